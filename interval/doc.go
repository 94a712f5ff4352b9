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
//
// # Speed of the two-input operations
//
// [AppendUnion], [AppendIntersect] and [AppendSubtract] run in one of three
// ways, all giving the same result. When one input is many times longer than
// the other, they gallop through it by binary search. Otherwise, on amd64,
// from 16 intervals in all (64 with AVX2), with instants within ±2^60, and
// when dst has room for the result and shares no memory with the inputs,
// they merge the endpoints of both inputs with a sorting network, from both
// ends at once: sixteen at a time with AVX-512 (the foundation instructions,
// and VBMI2 where the processor has it; pointmerge_amd64.s), or eight at a
// time with AVX2 on processors without it (pointmerge_avx2_amd64.s).
// Elsewhere, or with the build tag purego, they run a merge in two
// interleaved lanes, most of its steps in unchecked batches (or, without
// room for the lanes, a single merge); the AVX2 form also stands aside for
// the lanes from 1,000 intervals in all to 32,768, where they are faster.
// GODEBUG=cpu.avx512f=off or cpu.avx2=off, the standard library's option
// names, turns a vector form off: on processors whose clock drops under
// 512-bit instructions (Skylake-SP, Cascade Lake), a service that measures
// the AVX-512 form slowing its other work can choose the AVX2 form this way.
//
// On two inputs of n interleaved intervals each, measured on one AMD Zen 4
// machine against a plain copy of the bytes read and written (medians of
// union, intersection and difference), the AVX-512 merge costs 3.5 to 3.6
// times at n = 100, where the copy runs from the first-level cache, 2.5 to
// 2.6 times at 1,000, 2.1 to 2.3 times at 10,000 and 0.95 to 1.25 times at
// 100,000 and 1,000,000; the AVX2 path 7.2 to 7.4 times at 100 and 1.5 to
// 2.7 times from 100,000; the two lanes alone 7.6 to 8.2 times at 100, 4.6
// to 4.9 times at 1,000, 3.8 to 4.3 times at 10,000 and 1.5 to 2.7 times
// beyond. [AppendComplement] is one copy of the members' endpoints, 0.4 to
// 0.95 times a copy of input and output. When dst's room proves too short
// for the result, the vector merge's work is lost and the portable merge
// starts over. A masked load or store reads or writes nothing in the lanes
// it skips, but skipping one on a page that is not present takes a Zen 4
// about 150 ns: the AVX-512 merge takes no masked load that reaches past an
// input onto another page (it leaves those last endpoints to a scalar
// finish instead), and keeps its output's masked stores inside dst's room
// when the room has 4 intervals more than the inputs.
//
// # Trees
//
// [Tree] and [Static] index entries — an [Entry] is an interval and a value
// — for overlap queries. Both answer Overlapping and Stabbing as iterators
// in (Start, End) order, AppendOverlapping and AppendStabbing into a reused
// slice without allocating, AnyOverlap (stopping at the first hit), All and
// Len. Both keep equal intervals, in insertion (or input) order, and drop
// empty ones.
//
// [Tree] is mutable: an AVL tree augmented with the largest End of each
// subtree, its nodes in one pointer-free slice, so that building it costs
// O(log n) allocations and the garbage collector never scans it. Insert and
// Delete cost O(log n), queries O(log n + k) for k results. Its zero value
// is ready to use.
//
// [Static] is built once by [NewStatic] or [NewStaticSorted] and never
// changes. It is a sorted array: a query binary-searches for the first entry
// that could reach it, bounded by the longest interval, and scans forward;
// when a few very long intervals make that bound useless, it switches to an
// implicit augmented tree over the same array, so queries stay O(log n + k).
//
// Use a Static when the entries are known before the queries (a day's
// appointments loaded together, closed days, expanded recurrences) and a
// Tree when entries come and go between queries. Measured on 1e4 to 1e6
// entries of 30 to 120 minutes, where a 60-minute query finds two: a Static
// query costs about as much as a binary search and scan of a plain sorted
// slice, and 2 to 4 times less than a Tree query, whose descent misses the
// cache at nearly every level once the tree outgrows it; building a Static
// of 1e5 entries costs one sort, half the time of 1e5 Tree inserts; and it
// holds 24 bytes per entry plus the value, against 40 to 80 plus the value
// for a Tree. With four intervals spanning the whole range, both stay under
// a microsecond at 1e5 entries (the Tree about 20% ahead) while the plain
// sorted slice scans everything and is about 100 times slower. Rebuilding a
// Static costs O(n log n), so more than a few changes between queries favour
// a Tree.
package interval
