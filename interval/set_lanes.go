package interval

import "math"

// This file runs the linear merges of AppendUnion, AppendIntersect and
// AppendSubtract as two lanes. A single merge is slow for a reason other
// than its work: each step loads the next interval at an index chosen by the
// previous step's comparison, so steps cannot overlap, and a step costs the
// latency of that chain (shift, load, compare, add: about 11 cycles) rather
// than its two dozen instructions. Cutting the merge at its middle step and
// running both halves in one loop, a step of each per iteration, lets the
// processor overlap the two chains: 1.25 (union) to 1.7 (intersection)
// times faster from a hundred intervals up. A third lane gains nothing more;
// the loop is then bound by its instructions.
//
// The cut is the merge path point of step k = (len(a)+len(b))/2: the i for
// which the first k steps of the single merge consume a[:i] and b[:k-i],
// found by binary search. Each operation merges by its own order (see
// splitPath). The second lane starts in the state the single merge has at
// step k — for the intersection the two indices, for the difference also
// the end of b's previous member — so the lanes write exactly what the single
// merge writes. The union carries an interval under construction, which the
// second lane starts afresh; the seam is stitched by folding the second
// lane's leading intervals into the first lane's last one.
//
// Lanes write into dst's spare capacity, the first lane from len(dst) and
// the second k intervals further on, and the second lane's output then moves
// down to follow the first's: a copy of about half the result. They run
// only when that capacity holds what the lanes may write whatever the input
// (len(a)+len(b) intervals, one less for the intersection) and shares no
// memory with the inputs, and when the cut leaves each lane at least one
// member of each input, so that the first lane cannot run out of an input
// before its last step. Otherwise the single merge runs.
//
// Most steps of both lanes run in unchecked batches (set_lanes_batch.go);
// the checked loops below take the few steps left when a batch is no
// longer worth it, and the lanes' ends.

// laneMin is the fewest intervals in both inputs together for which the two
// lanes pay for the binary searches and the copy that join them.
const laneMin = 32

// lanes is what both lanes of a merge read. The loops read it through a
// pointer: with two lanes' indices in registers there is no room left for
// three slices, and reloading their fields costs less than spilling indices.
type lanes struct {
	a, b, out []Interval
	off       int // the second lane is off steps ahead of the first
	end       int // the first lane's steps
	mid       int // where in out the second lane's output starts
}

// splitPath returns how many members of a are among the first k steps of
// the merge of a and b in which a member x of a comes before a member y of b
// when key(x) <= key(y), key being End or Start as aEnd and bEnd say. Ties
// go to a, as in the kernels.
func splitPath(a, b []Interval, k int, aEnd, bEnd bool) int {
	lo, hi := max(0, k-len(b)), min(k, len(a))
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		x, y := a[m].Start, b[k-m-1].Start
		if aEnd {
			x = a[m].End
		}
		if bEnd {
			y = b[k-m-1].End
		}
		if x <= y {
			lo = m + 1 // a[m] comes before b[k-m-1], which is among the first k
		} else {
			hi = m
		}
	}
	return lo
}

// laneCut returns the step k at which to cut the merge of a and b and how
// many members of a come before it, or ok = false when lanes do not apply:
// too few intervals, less room than room in dst, dst's spare capacity
// sharing memory with an input, or a cut that leaves a lane without a
// member of an input.
func laneCut(dst, a, b []Interval, room int, aEnd, bEnd bool) (k, i int, ok bool) {
	n := len(a) + len(b)
	if n < laneMin || cap(dst)-len(dst) < room {
		return 0, 0, false
	}
	// Set.AddSet passes a in dst's spare capacity, where the second lane
	// would overwrite members the first has still to read.
	if out := dst[len(dst):cap(dst)]; overlaps(out, a) || overlaps(out, b) {
		return 0, 0, false
	}
	k = n / 2
	i = splitPath(a, b, k, aEnd, bEnd)
	return k, i, i > 0 && i < len(a) && k-i > 0 && k-i < len(b)
}

// unionLanes is AppendUnion in two lanes; see the top of this file. It
// reports false when lanes do not apply, having written at most into dst's
// spare capacity, which the single merge then overwrites.
func unionLanes(dst, a, b []Interval) ([]Interval, bool) {
	k, ia, ok := laneCut(dst, a, b, len(a)+len(b), false, false)
	if !ok {
		return dst, false
	}
	jb := k - ia
	out := dst[:cap(dst)]
	base := len(dst)
	// Each lane opens with the earlier-starting first member of its part.
	i0, c0 := 0, b[0]
	if a[0].Start <= b[0].Start {
		i0, c0 = 1, a[0]
	}
	i1, c1 := ia, b[jb]
	if a[ia].Start <= b[jb].Start {
		i1, c1 = ia+1, a[ia]
	}
	s := lanes{a: a, b: b, out: out, off: k, end: k, mid: base + k}
	i0, j0, w0, c0, i1, j1, w1, c1 := unionFast(&s, i0, base, c0, i1, base+k, c1, 1)
	w0, c0 = unionTail(out, a, b, i0, j0, w0, c0, k)
	i1, j1, w1, c1 = unionKernel(out, a, b, i1, j1, w1, c1)
	if i1 < len(a) && j1 < len(b) {
		return dst, false // out filled up: only on unnormalised input
	}
	// One input is exhausted: close the second lane as AppendUnion does.
	rest := a[i1:]
	if j1 < len(b) {
		rest = b[j1:]
	}
	q := 0
	for q < len(rest) && rest[q].Start <= c1.End {
		c1.End = max(c1.End, rest[q].End)
		q++
	}
	if w1 >= len(out) {
		return dst, false // only on unnormalised input
	}
	out[w1] = c1
	e1 := w1 + 1 + copy(out[w1+1:], rest[q:])
	// Stitch: the second lane's intervals all start at or after c0.Start;
	// fold those that reach c0 into it.
	r := base + k
	for r < e1 && out[r].Start <= c0.End {
		c0.End = max(c0.End, out[r].End)
		r++
	}
	out[w0] = c0
	w0++
	w0 += copy(out[w0:], out[r:e1])
	return out[:w0], true
}

// union2 runs both lanes of the union from step k to the first lane's last,
// or until either lane would leave its inputs or out, and returns both
// lanes' states. Each lane takes the step of unionKernel; the first lane's
// index into b is k-i0, the second's k+off-i1.
func union2(s *lanes, i0, w0 int, c0 Interval, i1, w1 int, c1 Interval, k int) (int, int, int, Interval, int, int, int, Interval) {
	for k < s.end {
		{
			a, b, out := s.a, s.b, s.out
			j0 := k - i0
			if uint(i0) >= uint(len(a)) || uint(j0) >= uint(len(b)) || uint(w0) >= uint(len(out)) {
				break
			}
			x, y := a[i0], b[j0]
			ns, ne, d := y.Start, y.End, 0
			if x.Start <= y.Start {
				ns, ne, d = x.Start, x.End, 1
			}
			i0 += d
			out[w0] = c0
			gap := 0
			if ns > c0.End {
				gap = 1
				c0.Start = ns
			}
			w0 += gap
			c0.End = max(c0.End, ne)
		}
		{
			a, b, out := s.a, s.b, s.out
			j1 := k + s.off - i1
			if uint(i1) >= uint(len(a)) || uint(j1) >= uint(len(b)) || uint(w1) >= uint(len(out)) {
				return i0, k + 1 - i0, w0, c0, i1, j1, w1, c1
			}
			x, y := a[i1], b[j1]
			ns, ne, d := y.Start, y.End, 0
			if x.Start <= y.Start {
				ns, ne, d = x.Start, x.End, 1
			}
			i1 += d
			out[w1] = c1
			gap := 0
			if ns > c1.End {
				gap = 1
				c1.Start = ns
			}
			w1 += gap
			c1.End = max(c1.End, ne)
		}
		k++
	}
	return i0, k - i0, w0, c0, i1, k + s.off - i1, w1, c1
}

// intersectLanes is AppendIntersect in two lanes; see unionLanes.
func intersectLanes(dst, a, b []Interval) ([]Interval, bool) {
	// A step writes one interval, and the second lane stops when an input
	// runs out, one step short of its members: n-1 intervals of room, which
	// Set.Intersect gives, are enough.
	k, ia, ok := laneCut(dst, a, b, len(a)+len(b)-1, true, true)
	if !ok {
		return dst, false
	}
	out := dst[:cap(dst)]
	base := len(dst)
	s := lanes{a: a, b: b, out: out, off: k, end: k, mid: base + k}
	i0, j0, w0, i1, j1, w1 := intersectFast(&s, 0, base, ia, base+k, 0)
	w0 = intersectTail(out, a, b, i0, j0, w0, k)
	i1, j1, w1 = intersectKernel(out, a, b, i1, j1, w1)
	if i1 < len(a) && j1 < len(b) {
		return dst, false // out filled up: only on unnormalised input
	}
	w0 += copy(out[w0:], out[base+k:w1])
	return out[:w0], true
}

// intersect2 runs both lanes of the intersection; see union2 and
// intersectKernel.
func intersect2(s *lanes, i0, w0, i1, w1, k int) (int, int, int, int, int, int) {
	for k < s.end {
		{
			a, b, out := s.a, s.b, s.out
			j0 := k - i0
			if uint(i0) >= uint(len(a)) || uint(j0) >= uint(len(b)) || uint(w0) >= uint(len(out)) {
				break
			}
			x, y := a[i0], b[j0]
			d := 0
			if x.End <= y.End {
				d = 1
			}
			i0 += d
			st, e := max(x.Start, y.Start), min(x.End, y.End)
			o := &out[w0]
			o.Start, o.End = st, e
			g := 0
			if st < e {
				g = 1
			}
			w0 += g
		}
		{
			a, b, out := s.a, s.b, s.out
			j1 := k + s.off - i1
			if uint(i1) >= uint(len(a)) || uint(j1) >= uint(len(b)) || uint(w1) >= uint(len(out)) {
				return i0, k + 1 - i0, w0, i1, j1, w1
			}
			x, y := a[i1], b[j1]
			d := 0
			if x.End <= y.End {
				d = 1
			}
			i1 += d
			st, e := max(x.Start, y.Start), min(x.End, y.End)
			o := &out[w1]
			o.Start, o.End = st, e
			g := 0
			if st < e {
				g = 1
			}
			w1 += g
		}
		k++
	}
	return i0, k - i0, w0, i1, k + s.off - i1, w1
}

// subtractLanes is AppendSubtract in two lanes; see unionLanes. The second
// lane's first gap of b starts where b's last member before the cut ends.
func subtractLanes(dst, a, b []Interval) ([]Interval, bool) {
	k, ia, ok := laneCut(dst, a, b, len(a)+len(b), true, false)
	if !ok {
		return dst, false
	}
	jb := k - ia
	out := dst[:cap(dst)]
	base := len(dst)
	s := lanes{a: a, b: b, out: out, off: k, end: k, mid: base + k}
	i0, j0, w0, g0, i1, j1, w1, g1 := subtractFast(&s, 0, base, math.MinInt64, ia, base+k, b[jb-1].End, 0)
	w0 = subtractTail(out, a, b, i0, j0, w0, g0, k)
	i1, j1, w1, g1 = subtractKernel(out, a, b, i1, j1, w1, g1)
	if i1 < len(a) && j1 < len(b) {
		return dst, false // out filled up: only on unnormalised input
	}
	// As in AppendSubtract: what is left of a lies in the last gap.
	for i1 < len(a) && a[i1].End <= g1 {
		i1++
	}
	if i1 < len(a) {
		if w1 >= len(out) {
			return dst, false // only on unnormalised input
		}
		out[w1] = Interval{max(a[i1].Start, g1), a[i1].End}
		w1++
		w1 += copy(out[w1:], a[i1+1:])
	}
	w0 += copy(out[w0:], out[base+k:w1])
	return out[:w0], true
}

// subtract2 runs both lanes of the difference; see union2 and
// subtractKernel.
func subtract2(s *lanes, i0, w0 int, g0 int64, i1, w1 int, g1 int64, k int) (int, int, int, int64, int, int, int, int64) {
	for k < s.end {
		{
			a, b, out := s.a, s.b, s.out
			j0 := k - i0
			if uint(i0) >= uint(len(a)) || uint(j0) >= uint(len(b)) || uint(w0) >= uint(len(out)) {
				break
			}
			x, y := a[i0], b[j0]
			st, e := max(x.Start, g0), min(x.End, y.Start)
			d := 0
			if x.End <= y.Start {
				d = 1
			}
			if x.End > y.Start {
				g0 = y.End
			}
			i0 += d
			o := &out[w0]
			o.Start, o.End = st, e
			g := 0
			if st < e {
				g = 1
			}
			w0 += g
		}
		{
			a, b, out := s.a, s.b, s.out
			j1 := k + s.off - i1
			if uint(i1) >= uint(len(a)) || uint(j1) >= uint(len(b)) || uint(w1) >= uint(len(out)) {
				return i0, k + 1 - i0, w0, g0, i1, j1, w1, g1
			}
			x, y := a[i1], b[j1]
			st, e := max(x.Start, g1), min(x.End, y.Start)
			d := 0
			if x.End <= y.Start {
				d = 1
			}
			if x.End > y.Start {
				g1 = y.End
			}
			i1 += d
			o := &out[w1]
			o.Start, o.End = st, e
			g := 0
			if st < e {
				g = 1
			}
			w1 += g
		}
		k++
	}
	return i0, k - i0, w0, g0, i1, k + s.off - i1, w1, g1
}

// The tails below finish the first lane, up to step end, when the second
// lane has stopped first (it ran out of an input). They are seldom long, so
// they are written plainly; each returns the first lane's end of output.

// unionTail continues unionKernel up to step end and returns w and cur.
func unionTail(out, a, b []Interval, i, j, w int, cur Interval, end int) (int, Interval) {
	for i+j < end && i < len(a) && j < len(b) {
		nx := b[j]
		if a[i].Start <= nx.Start {
			nx = a[i]
			i++
		} else {
			j++
		}
		if nx.Start <= cur.End {
			cur.End = max(cur.End, nx.End)
		} else if w < len(out) {
			out[w] = cur
			w++
			cur = nx
		}
	}
	return w, cur
}

// intersectTail continues intersectKernel up to step end and returns w.
func intersectTail(out, a, b []Interval, i, j, w, end int) int {
	for i+j < end && i < len(a) && j < len(b) {
		x, y := a[i], b[j]
		if x.End <= y.End {
			i++
		} else {
			j++
		}
		if iv, ok := x.Intersect(y); ok && w < len(out) {
			out[w] = iv
			w++
		}
	}
	return w
}

// subtractTail continues subtractKernel up to step end and returns w.
func subtractTail(out, a, b []Interval, i, j, w int, gs int64, end int) int {
	for i+j < end && i < len(a) && j < len(b) {
		x, y := a[i], b[j]
		s, e := max(x.Start, gs), min(x.End, y.Start)
		if x.End <= y.Start {
			i++
		} else {
			gs = y.End
			j++
		}
		if s < e && w < len(out) {
			out[w] = Interval{s, e}
			w++
		}
	}
	return w
}
