package interval

// When one input of a two-input operation is much larger than the other, the
// operations below walk the small one and find their place in the large one
// by galloping search, copying untouched stretches of it with one append:
// O(s·log(l/s)) comparisons plus a memmove of the output, instead of a
// comparison per interval of both. Holiday closures subtracted from a year
// of openings, or a few appointments added to a busy calendar, look like
// this.

// skewRatio is how many times more intervals one input must have for the
// galloping paths to pay off over the branch-free linear kernels, which
// cost a few nanoseconds per interval.
const skewRatio = 32

func skewed(small, large []Interval) bool { return len(small)*skewRatio < len(large) }

// gallopEndFrom returns the first index at or after i of a member of a
// ending at or after t (touching t or past it).
func gallopEndFrom(a []Interval, i int, t int64) int {
	if t == -1<<63 {
		return i
	}
	return gallop(a, i, t-1)
}

// gallopStart returns the first index at or after i of a member of a
// starting at or after t, by galloping search like gallop.
func gallopStart(a []Interval, i int, t int64) int {
	if i >= len(a) || a[i].Start >= t {
		return i
	}
	lo, step := i, 1 // a[lo].Start < t
	hi := lo + step
	for hi < len(a) && a[hi].Start < t {
		lo = hi
		step <<= 1
		hi = lo + step
	}
	if hi > len(a) {
		hi = len(a)
	}
	return lo + 1 + searchStart(a[lo+1:hi], t)
}

// unionSkewed is AppendUnion for len(small) much less than len(large).
func unionSkewed(dst, small, large []Interval) []Interval {
	i, k := 0, 0
	for k < len(small) {
		cur := small[k]
		k++
		// Large members ending before cur, without touching it, are kept
		// whole.
		p := gallopEndFrom(large, i, cur.Start)
		dst = append(dst, large[i:p]...)
		i = p
		// Merge everything that reaches cur, from either input.
		for {
			if i < len(large) && large[i].Start <= cur.End {
				cur = Interval{min(cur.Start, large[i].Start), max(cur.End, large[i].End)}
				i++
			} else if k < len(small) && small[k].Start <= cur.End {
				cur.End = max(cur.End, small[k].End)
				k++
			} else {
				break
			}
		}
		dst = append(dst, cur)
	}
	return append(dst, large[i:]...)
}

// intersectSkewed is AppendIntersect for len(small) much less than
// len(large).
func intersectSkewed(dst, small, large []Interval) []Interval {
	i := 0
	for _, y := range small {
		i = gallop(large, i, y.Start)
		j := gallopStart(large, i, y.End)
		if i >= j {
			continue
		}
		// large[i:j] overlap y: keep them, clipping the first and last.
		n := len(dst)
		dst = append(dst, large[i:j]...)
		dst[n].Start = max(dst[n].Start, y.Start)
		last := &dst[len(dst)-1]
		last.End = min(last.End, y.End)
		// The last may reach into the next member of small.
		i = j - 1
	}
	return dst
}

// subtractSkewedB is AppendSubtract for len(b) much less than len(a): it
// copies the stretches of a between members of b.
func subtractSkewedB(dst, a, b []Interval) []Interval {
	i := 0
	var front Interval // a[i], with its Start cut by the previous member of b
	if len(a) > 0 {
		front = a[0]
	}
	for _, y := range b {
		if i >= len(a) {
			return dst
		}
		// Members ending at or before y.Start are kept whole (front cut).
		if p := gallop(a, i, y.Start); p > i {
			dst = append(dst, front)
			dst = append(dst, a[i+1:p]...)
			i = p
			if i >= len(a) {
				return dst
			}
			front = a[i]
		}
		if front.Start < y.Start {
			dst = append(dst, Interval{front.Start, y.Start})
		}
		// Skip members ending inside y; the next one may start inside it.
		i = gallop(a, i, y.End)
		if i >= len(a) {
			return dst
		}
		front = a[i]
		front.Start = max(front.Start, y.End)
	}
	if i < len(a) {
		dst = append(dst, front)
		dst = append(dst, a[i+1:]...)
	}
	return dst
}

// subtractSkewedA is AppendSubtract for len(a) much less than len(b): it cuts
// each member of a by the members of b it meets.
func subtractSkewedA(dst, a, b []Interval) []Interval {
	j := 0
	for _, x := range a {
		j = gallop(b, j, x.Start)
		s := x.Start
		for j < len(b) && b[j].Start < x.End {
			if b[j].Start > s {
				dst = append(dst, Interval{s, b[j].Start})
			}
			s = max(s, b[j].End)
			if b[j].End > x.End {
				break // b[j] reaches into the next member of a
			}
			j++
		}
		if s < x.End {
			dst = append(dst, Interval{s, x.End})
		}
	}
	return dst
}
