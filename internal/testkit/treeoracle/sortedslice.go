package treeoracle

import (
	"slices"

	"github.com/crossagenda/crossagenda/interval"
)

// SortedSlice is the baseline the trees are benchmarked against: entries
// sorted by Start, a binary search for the first entry that could reach the
// query (Start > q.Start - longest length), then a scan while Start < q.End.
// It is fast while no interval is much longer than the others, and degrades
// to a linear scan when one is.
type SortedSlice struct {
	entries []interval.Entry[int]
	maxLen  int64
}

// NewSortedSlice copies and sorts entries.
func NewSortedSlice(entries []interval.Entry[int]) *SortedSlice {
	s := &SortedSlice{entries: slices.Clone(entries)}
	slices.SortFunc(s.entries, func(a, b interval.Entry[int]) int { return interval.Compare(a.Interval, b.Interval) })
	for _, e := range s.entries {
		s.maxLen = max(s.maxLen, e.End-e.Start)
	}
	return s
}

// AppendOverlapping appends the entries overlapping q, in (Start, End) order.
func (s *SortedSlice) AppendOverlapping(dst []interval.Entry[int], q interval.Interval) []interval.Entry[int] {
	bound := q.Start - s.maxLen
	lo, hi := 0, len(s.entries)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if s.entries[m].Start <= bound {
			lo = m + 1
		} else {
			hi = m
		}
	}
	for _, e := range s.entries[lo:] {
		if e.Start >= q.End {
			break
		}
		if e.End > q.Start {
			dst = append(dst, e)
		}
	}
	return dst
}
