package interval

import (
	"cmp"
	"math"
	"slices"
)

// This file holds the set algebra on normalised slices. A slice is normalised
// when its intervals are non-empty, sorted by Start, and neither overlap nor
// touch: a.End < b.Start for consecutive a, b. Every function here assumes
// normalised inputs and returns normalised output; on other inputs the output
// is unspecified, but the functions neither panic nor loop forever.
//
// The Append forms write into dst[len(dst):cap(dst)] and allocate only when
// the result does not fit, growing dst as append does. dst must not share
// memory with the inputs.

// Normalize sorts ivs in place by Start, drops empty intervals, merges
// overlapping and touching ones, and returns the normalised prefix of ivs.
// It costs O(n) when ivs is already sorted by Start and O(n log n) otherwise,
// and never allocates.
func Normalize(ivs []Interval) []Interval {
	n := 0
	sorted := true
	prev := int64(math.MinInt64)
	for _, iv := range ivs {
		if iv.End <= iv.Start {
			continue
		}
		if iv.Start < prev {
			sorted = false
		}
		prev = iv.Start
		ivs[n] = iv
		n++
	}
	ivs = ivs[:n]
	if n == 0 {
		return ivs
	}
	if !sorted {
		slices.SortFunc(ivs, compareStart)
	}
	w := 0
	cur := ivs[0]
	for _, iv := range ivs[1:] {
		if iv.Start > cur.End {
			ivs[w] = cur
			w++
			cur = iv
		} else if iv.End > cur.End {
			cur.End = iv.End
		}
	}
	ivs[w] = cur
	return ivs[:w+1]
}

func compareStart(a, b Interval) int { return cmp.Compare(a.Start, b.Start) }

// AppendUnion appends to dst the union of the normalised slices a and b, in
// O(len(a)+len(b)), or O(s·log(l/s)) comparisons and a copy when one input
// has s intervals and the other l, many times more.
func AppendUnion(dst, a, b []Interval) []Interval {
	if len(a) == 0 {
		return append(dst, b...)
	}
	if len(b) == 0 {
		return append(dst, a...)
	}
	if skewed(a, b) {
		return unionSkewed(dst, a, b)
	}
	if skewed(b, a) {
		return unionSkewed(dst, b, a)
	}
	out := dst[:cap(dst)]
	w := len(dst)
	i, j := 0, 0
	var cur Interval // the pending output interval, extended while inputs overlap it
	if a[0].Start <= b[0].Start {
		cur, i = a[0], 1
	} else {
		cur, j = b[0], 1
	}
	for {
		i, j, w, cur = unionKernel(out, a, b, i, j, w, cur)
		if i >= len(a) || j >= len(b) {
			break
		}
		// out is full, and cur is still to be written: grow it.
		out = slices.Grow(out[:w], 1)
		out = out[:cap(out)]
	}
	// One input is exhausted: fold the other's intervals that reach cur into
	// it, then copy the rest, which cannot touch cur.
	rest := a[i:]
	if j < len(b) {
		rest = b[j:]
	}
	k := 0
	for k < len(rest) && rest[k].Start <= cur.End {
		cur.End = max(cur.End, rest[k].End)
		k++
	}
	out = append(out[:w], cur)
	return append(out, rest[k:]...)
}

// unionKernel merges a[i:] and b[j:] into cur and out[w:] while both inputs
// last and out has room, and returns the new state. It is a leaf so that its
// state stays in registers, and branch-free but for the loop test: which
// input comes next is unpredictable, and a mispredicted branch costs more than
// a whole step. The unsigned comparisons let the compiler drop bounds checks.
func unionKernel(out, a, b []Interval, i, j, w int, cur Interval) (int, int, int, Interval) {
	for uint(i) < uint(len(a)) && uint(j) < uint(len(b)) && uint(w) < uint(len(out)) {
		x, y := a[i], b[j]
		nx, di := y, 0
		if x.Start <= y.Start {
			nx, di = x, 1
		}
		i += di
		j += 1 - di
		// Write cur speculatively; it is kept only when a gap follows, and
		// is otherwise overwritten later, so out needs room only for the
		// real output.
		out[w] = cur
		gap := 0
		if nx.Start > cur.End {
			gap = 1
			cur.Start = nx.Start
		}
		w += gap
		cur.End = max(cur.End, nx.End)
	}
	return i, j, w, cur
}

// AppendIntersect appends to dst the intersection of the normalised slices a
// and b, in O(len(a)+len(b)), or O(s·log(l/s)) comparisons and a copy when
// one input has s intervals and the other l, many times more.
func AppendIntersect(dst, a, b []Interval) []Interval {
	if skewed(a, b) {
		return intersectSkewed(dst, a, b)
	}
	if skewed(b, a) {
		return intersectSkewed(dst, b, a)
	}
	out := dst[:cap(dst)]
	w := len(dst)
	i, j := 0, 0
	for {
		i, j, w = intersectKernel(out, a, b, i, j, w)
		if i >= len(a) || j >= len(b) {
			return out[:w]
		}
		// out is full: one careful step, which grows it only for a real
		// piece, then back to the kernel.
		x, y := a[i], b[j]
		if x.End <= y.End {
			i++
		} else {
			j++
		}
		if iv, ok := x.Intersect(y); ok {
			out = append(out[:w], iv)
			out = out[:cap(out)]
			w++
		}
	}
}

// intersectKernel is the branch-free loop of AppendIntersect; see
// unionKernel. Each step writes the (maybe empty) common part of the two
// current intervals and advances the one that ends first.
func intersectKernel(out, a, b []Interval, i, j, w int) (int, int, int) {
	for uint(i) < uint(len(a)) && uint(j) < uint(len(b)) && uint(w) < uint(len(out)) {
		x, y := a[i], b[j]
		s := max(x.Start, y.Start)
		e := min(x.End, y.End)
		di := 0
		if x.End <= y.End {
			di = 1
		}
		i += di
		j += 1 - di
		out[w] = Interval{s, e}
		if s < e {
			w++
		}
	}
	return i, j, w
}

// AppendSubtract appends to dst the instants of a that are not in b, for
// normalised slices a and b, in O(len(a)+len(b)), or O(s·log(l/s))
// comparisons and a copy when one input has s intervals and the other l, many
// times more.
func AppendSubtract(dst, a, b []Interval) []Interval {
	if skewed(b, a) {
		return subtractSkewedB(dst, a, b)
	}
	if skewed(a, b) {
		return subtractSkewedA(dst, a, b)
	}
	out := dst[:cap(dst)]
	w := len(dst)
	i, j := 0, 0
	// a minus b is a intersected with the gaps of b. The current gap is
	// [gs, b[j].Start); the first one starts at minus infinity.
	gs := int64(math.MinInt64)
	for {
		i, j, w, gs = subtractKernel(out, a, b, i, j, w, gs)
		if i >= len(a) || j >= len(b) {
			break
		}
		x, y := a[i], b[j]
		s, e := max(x.Start, gs), min(x.End, y.Start)
		if x.End <= y.Start {
			i++
		} else {
			gs = y.End
			j++
		}
		if s < e {
			out = append(out[:w], Interval{s, e})
			out = out[:cap(out)]
			w++
		}
	}
	out = out[:w]
	// b is exhausted (or a is): what is left of a lies in the last gap
	// [gs, +inf). Only the first interval reaching past gs needs clipping.
	for i < len(a) && a[i].End <= gs {
		i++
	}
	if i < len(a) {
		out = append(out, Interval{max(a[i].Start, gs), a[i].End})
		out = append(out, a[i+1:]...)
	}
	return out
}

// subtractKernel is the branch-free loop of AppendSubtract; see unionKernel.
// Each step writes the (maybe empty) part of a[i] in the gap [gs, b[j].Start)
// and advances whichever of the two ends first.
func subtractKernel(out, a, b []Interval, i, j, w int, gs int64) (int, int, int, int64) {
	for uint(i) < uint(len(a)) && uint(j) < uint(len(b)) && uint(w) < uint(len(out)) {
		x, y := a[i], b[j]
		s := max(x.Start, gs)
		e := min(x.End, y.Start)
		di := 0
		if x.End <= y.Start {
			di = 1
		} else {
			gs = y.End
		}
		i += di
		j += 1 - di
		out[w] = Interval{s, e}
		if s < e {
			w++
		}
	}
	return i, j, w, gs
}

// AppendClip appends to dst the parts of the normalised slice a inside
// window, in O(log len(a) + m) for m members of a overlapping window.
func AppendClip(dst, a []Interval, window Interval) []Interval {
	if window.Empty() {
		return dst
	}
	i := Search(a, window.Start)
	j := searchStart(a, window.End)
	if i >= j {
		return dst
	}
	n := len(dst)
	dst = append(dst, a[i:j]...)
	dst[n].Start = max(dst[n].Start, window.Start)
	last := &dst[len(dst)-1]
	last.End = min(last.End, window.End)
	return dst
}
