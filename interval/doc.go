// Package interval is an algebra of half-open time intervals over int64
// instants: normalised sets, k-way merges and interval indexes.
//
// # Instants and intervals
//
// An [Interval] is the half-open range [Start, End) of int64 instants, in the
// caller's unit (crossagenda uses Unix seconds). An interval with
// End <= Start is empty: it contains nothing, overlaps nothing, and is never
// stored. Touching intervals such as [1, 2) and [2, 3) do not overlap.
//
// # Sets
//
// A set of instants is a normalised slice: non-empty intervals sorted by
// Start, each ending strictly before the next starts. [Normalize] makes one
// in place.
//
// [AppendUnion], [AppendIntersect] and [AppendSubtract] merge two normalised
// slices in one linear pass, or gallop through the larger one when it is
// many times longer; [AppendClip] cuts one to a window and [Search] finds an
// instant in it. [AppendAtLeast] finds where at least k of N slices overlap
// ("k of N people are free"; k = 1 is their union, k = N their
// intersection). Each appends to dst, allocating only when dst lacks room;
// dst must not share memory with the inputs. Inputs that are not normalised
// give unspecified results, never a panic or an endless loop.
//
// # Indexes
//
// [Static] and [Tree] hold entries (an [Entry] is an interval and a value)
// and append those overlapping a query to a reused slice in O(log n + k) for
// k results, without allocating. Both keep equal intervals in insertion
// order and drop empty ones.
//
// A [Static] is built once by [NewStatic] and never changes: a sorted array,
// 24 bytes per entry plus the value, the faster to query; the agenda keeps
// each agent's appointments and absences in one. A [Tree] takes Insert and
// Delete in O(log n): an augmented AVL tree in one pointer-free slice, for
// entries that change between queries, as a Live index's appointments do
// once it compacts its changes. benchmarks/README.md compares both with sorted
// slices and peer libraries.
package interval
