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
package interval
