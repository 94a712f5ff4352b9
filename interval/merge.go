package interval

import "math"

// cursor is a position in one input of a k-way merge, kept in a binary
// min-heap ordered by key.
type cursor struct {
	key int64 // Start of the next interval, or the next endpoint for coverage
	set int   // index of the input
	idx int   // next interval, or next endpoint (2i is Start of i, 2i+1 its End)
}

// stackCursors is how many inputs the package-level k-way functions handle
// without allocating; larger merges allocate their cursors once per call
// unless they go through a [Merger].
const stackCursors = 64

// Merger runs k-way merges over many normalised slices: union, intersection
// and at-least-k coverage. It keeps its cursor storage between calls, so once
// it has seen the largest k it runs without allocating (beyond growing dst).
//
// The zero value is ready to use. A Merger is not safe for concurrent use;
// give each goroutine its own.
type Merger struct {
	heap []cursor
	pos  []int
}

func (m *Merger) cursors(k int) []cursor {
	if cap(m.heap) < k {
		m.heap = make([]cursor, 0, k)
	}
	return m.heap[:0]
}

func (m *Merger) positions(k int) []int {
	if cap(m.pos) < k {
		m.pos = make([]int, k)
	}
	return m.pos[:k]
}

// AppendUnionAll appends to dst the union of the normalised slices in sets,
// in O(N log k) for N intervals in k slices. It allocates nothing beyond
// growing dst when k <= 64; use a [Merger] to merge more slices without
// allocating.
func AppendUnionAll(dst []Interval, sets ...[]Interval) []Interval {
	if len(sets) <= stackCursors {
		var buf [stackCursors]cursor
		return unionAll(dst, sets, buf[:0])
	}
	return unionAll(dst, sets, make([]cursor, 0, len(sets)))
}

// AppendUnionAll is [AppendUnionAll] with cursor storage reused across calls.
func (m *Merger) AppendUnionAll(dst []Interval, sets ...[]Interval) []Interval {
	return unionAll(dst, sets, m.cursors(len(sets)))
}

// AppendIntersectAll appends to dst the instants common to all the
// normalised slices in sets; no slices give nothing. It leapfrogs: each
// slice in turn jumps (by galloping search) to the first member ending after
// the candidate instant, so it costs O(k·m·log(N/m)) for m output intervals
// and skips long stretches of any input cheaply. It allocates nothing beyond
// growing dst when k <= 64; use a [Merger] above that.
func AppendIntersectAll(dst []Interval, sets ...[]Interval) []Interval {
	if len(sets) <= stackCursors {
		var buf [stackCursors]int
		return intersectAll(dst, sets, buf[:len(sets)])
	}
	return intersectAll(dst, sets, make([]int, len(sets)))
}

// AppendIntersectAll is [AppendIntersectAll] with cursor storage reused
// across calls.
func (m *Merger) AppendIntersectAll(dst []Interval, sets ...[]Interval) []Interval {
	return intersectAll(dst, sets, m.positions(len(sets)))
}

func unionAll(dst []Interval, sets [][]Interval, h []cursor) []Interval {
	switch len(sets) {
	case 0:
		return dst
	case 1:
		return append(dst, sets[0]...)
	case 2:
		return AppendUnion(dst, sets[0], sets[1])
	}
	h = h[:0]
	for s, set := range sets {
		if len(set) > 0 {
			h = append(h, cursor{key: set[0].Start, set: s})
		}
	}
	if len(h) == 0 {
		return dst
	}
	heapify(h)
	// An empty cur starting at the smallest Start absorbs the first interval.
	cur := Interval{h[0].key, h[0].key}
	for len(h) > 0 {
		c := &h[0]
		set := sets[c.set]
		idx := c.idx
		x := set[idx]
		if x.Start > cur.End {
			dst = append(dst, cur)
			cur = x
		} else {
			cur.End = max(cur.End, x.End)
		}
		// This input's next intervals that start inside cur merge at once:
		// no heap traffic for runs of overlapping or nested intervals.
		idx++
		for idx < len(set) && set[idx].Start <= cur.End {
			cur.End = max(cur.End, set[idx].End)
			idx++
		}
		if idx < len(set) {
			c.key = set[idx].Start
			c.idx = idx
		} else {
			last := len(h) - 1
			h[0] = h[last]
			h = h[:last]
		}
		siftDown(h)
	}
	return append(dst, cur)
}

func intersectAll(dst []Interval, sets [][]Interval, pos []int) []Interval {
	k := len(sets)
	switch k {
	case 0:
		return dst
	case 1:
		return append(dst, sets[0]...)
	case 2:
		return AppendIntersect(dst, sets[0], sets[1])
	}
	lo := int64(math.MinInt64)
	for s, set := range sets {
		if len(set) == 0 {
			return dst
		}
		lo = max(lo, set[0].Start)
		pos[s] = 0
	}
	// Invariant: lo is the candidate start of the next output interval, the
	// agree inputs visited last all contain lo, and hi is the least End of
	// their members containing it.
	hi := int64(math.MaxInt64)
	agree := 0
	for s := 0; ; s++ {
		if s == k {
			s = 0
		}
		set := sets[s]
		p := gallop(set, pos[s], lo)
		if p >= len(set) {
			return dst
		}
		pos[s] = p
		iv := set[p]
		if iv.Start > lo {
			lo, hi, agree = iv.Start, iv.End, 1
			continue
		}
		hi = min(hi, iv.End)
		agree++
		if agree == k {
			dst = append(dst, Interval{lo, hi})
			lo, hi, agree = hi, math.MaxInt64, 0
		}
	}
}

// gallop returns the first index at or after i of a member of a ending after
// t, probing i, i+1, i+3, i+7, ... before a binary search, so a short move
// costs O(1) and a move of d costs O(log d).
func gallop(a []Interval, i int, t int64) int {
	if i >= len(a) || a[i].End > t {
		return i
	}
	lo, step := i, 1 // a[lo].End <= t
	hi := lo + step
	for hi < len(a) && a[hi].End <= t {
		lo = hi
		step <<= 1
		hi = lo + step
	}
	if hi > len(a) {
		hi = len(a)
	}
	return lo + 1 + Search(a[lo+1:hi], t)
}

// heapify orders h as a binary min-heap on key.
func heapify(h []cursor) {
	for i := len(h)/2 - 1; i >= 0; i-- {
		siftDownFrom(h, i)
	}
}

// siftDown restores the heap after the root's key grew or the root was
// replaced.
func siftDown(h []cursor) {
	if len(h) > 1 {
		siftDownFrom(h, 0)
	}
}

func siftDownFrom(h []cursor, i int) {
	n := len(h)
	if i >= n {
		return
	}
	e := h[i]
	for {
		c := 2*i + 1
		if c >= n || c < 0 {
			break
		}
		if r := c + 1; r < n && h[r].key < h[c].key {
			c = r
		}
		if e.key <= h[c].key {
			break
		}
		h[i] = h[c]
		i = c
	}
	h[i] = e
}
