package interval

import "math"

// Interval is the half-open range [Start, End). The zero value is empty.
type Interval struct {
	Start, End int64
}

// Empty reports whether the interval contains no instant (End <= Start).
func (iv Interval) Empty() bool { return iv.End <= iv.Start }

// Len returns End-Start, or 0 for an empty interval; a length beyond
// math.MaxInt64 (only for intervals wider than half the int64 range)
// saturates to math.MaxInt64.
func (iv Interval) Len() int64 {
	if iv.End <= iv.Start {
		return 0
	}
	if d := iv.End - iv.Start; d > 0 {
		return d
	}
	return math.MaxInt64
}

// Intersect returns the common part of the two intervals, and false when they
// do not overlap.
func (iv Interval) Intersect(o Interval) (Interval, bool) {
	r := Interval{max(iv.Start, o.Start), min(iv.End, o.End)}
	if r.Empty() {
		return Interval{}, false
	}
	return r, true
}

// Compare orders intervals by Start, then End. It returns -1, 0 or +1 and
// never overflows, so it is safe as a slices.SortFunc comparator.
func Compare(a, b Interval) int {
	switch {
	case a.Start < b.Start:
		return -1
	case a.Start > b.Start:
		return 1
	case a.End < b.End:
		return -1
	case a.End > b.End:
		return 1
	}
	return 0
}
