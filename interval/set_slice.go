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

// IsNormalized reports whether a is normalised: non-empty intervals sorted by
// Start, with a gap between each and the next. It is the check to run on
// inputs of unknown origin, in O(n).
func IsNormalized(a []Interval) bool {
	for i, iv := range a {
		if iv.End <= iv.Start {
			return false
		}
		if i > 0 && a[i-1].End >= iv.Start {
			return false
		}
	}
	return true
}

// AppendUnion appends to dst the union of the normalised slices a and b, in
// O(len(a)+len(b)).
func AppendUnion(dst, a, b []Interval) []Interval {
	// Set.AddSet relies on this function being safe when a lives in dst's
	// spare capacity at offset len(b) or more: every write lands at an index
	// below the next unread element of a.
	if len(a) == 0 {
		return append(dst, b...)
	}
	if len(b) == 0 {
		return append(dst, a...)
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
	for i < len(a) && j < len(b) {
		x, y := a[i], b[j]
		// The selects below compile to conditional moves: which input comes
		// next is unpredictable, and a mispredicted branch costs more than
		// the whole step.
		nx, di := y, 0
		if x.Start <= y.Start {
			nx, di = x, 1
		}
		i += di
		j += 1 - di
		if w < len(out) {
			// Write cur speculatively; it is kept only when a gap follows.
			out[w] = cur
			gap := 0
			if nx.Start > cur.End {
				gap = 1
				cur.Start = nx.Start
			}
			w += gap
			cur.End = max(cur.End, nx.End)
		} else if nx.Start > cur.End {
			out = append(out[:w], cur)
			out = out[:cap(out)]
			w++
			cur = nx
		} else {
			cur.End = max(cur.End, nx.End)
		}
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

// AppendIntersect appends to dst the intersection of the normalised slices a
// and b, in O(len(a)+len(b)).
func AppendIntersect(dst, a, b []Interval) []Interval {
	out := dst[:cap(dst)]
	w := len(dst)
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		x, y := a[i], b[j]
		s := max(x.Start, y.Start)
		e := min(x.End, y.End)
		// Advance whichever interval ends first; branch-free, as in AppendUnion.
		di := 0
		if x.End <= y.End {
			di = 1
		}
		i += di
		j += 1 - di
		if w < len(out) {
			out[w] = Interval{s, e}
			if s < e {
				w++
			}
		} else if s < e {
			out = append(out[:w], Interval{s, e})
			out = out[:cap(out)]
			w++
		}
	}
	return out[:w]
}

// AppendSubtract appends to dst the instants of a that are not in b, for
// normalised slices a and b, in O(len(a)+len(b)).
func AppendSubtract(dst, a, b []Interval) []Interval {
	out := dst[:cap(dst)]
	w := len(dst)
	i, j := 0, 0
	// a minus b is a intersected with the gaps of b. The current gap is
	// [gs, b[j].Start); the first one starts at minus infinity.
	gs := int64(math.MinInt64)
	for i < len(a) && j < len(b) {
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
		if w < len(out) {
			out[w] = Interval{s, e}
			if s < e {
				w++
			}
		} else if s < e {
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

// AppendComplement appends to dst the instants of window that are not in the
// normalised slice a, in O(log len(a) + m) for m members of a in window. An
// empty window gives nothing.
func AppendComplement(dst, a []Interval, window Interval) []Interval {
	if window.Empty() {
		return dst
	}
	i := Search(a, window.Start)
	out := dst[:cap(dst)]
	w := len(dst)
	cur := window.Start // start of the current gap
	for ; i < len(a) && a[i].Start < window.End; i++ {
		s := a[i].Start
		if w < len(out) {
			out[w] = Interval{cur, s}
			if cur < s {
				w++
			}
		} else if cur < s {
			out = append(out[:w], Interval{cur, s})
			out = out[:cap(out)]
			w++
		}
		cur = a[i].End
	}
	out = out[:w]
	if cur < window.End {
		out = append(out, Interval{cur, window.End})
	}
	return out
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
