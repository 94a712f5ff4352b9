// Package interval is an algebra of half-open time intervals over int64
// instants, with normalised sets, k-way merges, coverage counting and
// interval trees.
//
// # Instants and intervals
//
// An [Interval] is the half-open range [Start, End) of int64 instants. The
// unit is the caller's; crossagenda uses Unix seconds. An interval with
// End <= Start is empty: it contains nothing, overlaps nothing, and is never
// stored by a set or a tree. Touching intervals such as [1, 2) and [2, 3) do
// not overlap.
//
// # Sets
//
// A set of instants is held as a normalised slice: non-empty intervals sorted
// by Start, each ending strictly before the next starts, so touching intervals
// are merged ([1, 2) and [2, 3) become [1, 3)). [Normalize] turns any slice
// into one in place, and [IsNormalized] checks one in O(n).
//
// The slice functions take normalised slices and return normalised results:
// [AppendUnion], [AppendIntersect], [AppendSubtract], [AppendComplement] and
// [AppendClip] in one linear pass; [Search], [ContainsPoint],
// [CoversInterval], [OverlapsInterval] and [AppendOverlapping] by binary
// search; [AppendUnionAll], [AppendIntersectAll] and [AppendAtLeast] ("at
// least k of N") over many slices at once, with a [Merger] to reuse their
// storage. Each appends to a dst slice and allocates nothing when dst has
// room for the result. dst must not share memory with the inputs. Inputs
// that are not normalised give unspecified results, but never a panic or an
// endless loop.
//
// [Set] wraps a normalised slice with methods, in-place [Set.Add], and
// iterators; its zero value is the empty set.
package interval
