package interval

import "math"

// Search returns the index of the first member of the normalised slice a
// whose End is after t: the member containing t if there is one, otherwise
// the first member starting after t. It returns len(a) when every member ends
// at or before t. It is a binary search, O(log n).
func Search(a []Interval, t int64) int {
	lo, hi := 0, len(a)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if a[m].End <= t {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// searchStart returns the index of the first member of a with Start >= t.
func searchStart(a []Interval, t int64) int {
	lo, hi := 0, len(a)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if a[m].Start < t {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// searchStartAfter returns the index of the first member of a with Start > t.
func searchStartAfter(a []Interval, t int64) int {
	lo, hi := 0, len(a)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if a[m].Start <= t {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// searchEndFrom returns the index of the first member of a with End >= t.
func searchEndFrom(a []Interval, t int64) int {
	lo, hi := 0, len(a)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if a[m].End < t {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// TotalLength returns the number of instants in the normalised slice a, the
// sum of its members' lengths. The sum saturates at math.MaxInt64, which only
// a set spanning most of the int64 range reaches.
func TotalLength(a []Interval) int64 {
	// Unsigned arithmetic: End-Start of a non-empty interval always fits in
	// a uint64, and so does the sum over disjoint intervals.
	var total uint64
	for _, iv := range a {
		total += uint64(iv.End) - uint64(iv.Start)
	}
	if total > math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(total)
}

// ContainsPoint reports whether the instant t is in the normalised slice a,
// in O(log n).
func ContainsPoint(a []Interval, t int64) bool {
	i := Search(a, t)
	return i < len(a) && a[i].Start <= t
}

// CoversInterval reports whether every instant of iv is in the normalised
// slice a, that is whether one member of a covers iv, in O(log n). An empty
// iv is covered by any slice, as with [Interval.Covers].
func CoversInterval(a []Interval, iv Interval) bool {
	if iv.Empty() {
		return true
	}
	i := Search(a, iv.Start)
	return i < len(a) && a[i].Start <= iv.Start && iv.End <= a[i].End
}

// OverlapsInterval reports whether iv shares at least one instant with the
// normalised slice a, in O(log n). An empty iv overlaps nothing.
func OverlapsInterval(a []Interval, iv Interval) bool {
	if iv.Empty() {
		return false
	}
	i := Search(a, iv.Start)
	return i < len(a) && a[i].Start < iv.End
}

// AppendOverlapping appends to dst the members of the normalised slice a that
// overlap q, whole and in order, in O(log n + m) for m members appended. Use
// [AppendClip] to cut them to q instead.
func AppendOverlapping(dst, a []Interval, q Interval) []Interval {
	if q.Empty() {
		return dst
	}
	i := Search(a, q.Start)
	j := searchStart(a, q.End)
	if i >= j {
		return dst
	}
	return append(dst, a[i:j]...)
}
