package interval

import "unsafe"

// The loops of union2, intersect2 and subtract2 check, at every step, that
// neither lane has run out of an input or of room, and the compiler keeps
// both lanes' slices, indices and states in too few registers, so that
// they are spilled and reloaded on every step: about nine cycles an
// interval. The batches below take the same steps without checks, for a
// number of steps computed beforehand that no lane can exceed, and keep
// each lane to four values: a pointer to its next member of a and of b,
// one into out, and the end of its interval under construction (the union),
// its gap start (the difference) or nothing (the intersection), few enough
// that the compiler holds most of them in registers (it still spills one
// or two). On intervals in random order (BenchmarkLaneBatches) they run 1.4
// to 1.7 times faster than the checked loops from 1,000 to 10,000
// intervals per input, up to 1.2 times at 100,000, and little faster at
// 100, where the checked loops' share is large. The checked loops take
// over for the last few steps, where a batch would be too short to pay for
// itself.
//
// A pointer advances by a branch while the inputs fit in the second-level
// cache, and by a conditional move beyond. A conditional move puts the
// compare, and the loads before it, on the chain from one step's address to
// the next; a branch lets the next loads start at once, on the predicted
// side, and even on intervals in random order, where it is mispredicted
// often, the union and the intersection of two inputs of 1,000 intervals
// run 1.4 times faster with it. Once the inputs come from further out, a
// misprediction costs a load from there and the branch loses: on a
// processor with 1 MiB of second-level cache the two are even at about
// 22,000 intervals per input, and the conditional move is 1.5 times faster
// at 80,000. predictMax (32,768 in both inputs) stays below that; a smaller
// cache lowers the crossing, where a batch then runs up to 1.5 times
// slower than it could.
//
// The input pointers always point at members, and the pointers into out at
// elements of out: a batch of n steps is taken only when each lane has more
// than n members left in each input, and when out has room for what each
// lane may write, the first lane below the second lane's first output, the
// second within out.

// minBatch is the fewest steps worth a batch; below it the checked loops go
// on. Tests raise it to time the checked loops alone.
var minBatch = 8

// laneBatch is both lanes of a merge, as a batch takes and leaves them.
type laneBatch struct {
	a, b, w [2]unsafe.Pointer // each lane's next members of a and b, and its place in out
	g       [2]int64          // each lane's interval end (union) or gap start (difference)
	steps   int               // the steps each lane is to take
}

// batchSteps returns how many steps both lanes of s may take in a batch from
// step k, with lane 0 at a[i0], b[k-i0] and out[w0] and lane 1 at a[i1],
// b[k+s.off-i1] and out[w1], when a step writes at most one interval at
// its place in out and, as the union's does, one ahead of it (ahead is 1).
// It returns 0 when a batch is not worth it.
func batchSteps(s *lanes, i0, w0, i1, w1, k, ahead int) int {
	j0, j1 := k-i0, k+s.off-i1
	// One step fewer than the least member left: the pointers stay on
	// members. The first lane's steps left (s.end-k) seldom bound a batch:
	// the second lane runs short of an input first.
	n := min(len(s.a)-i0, len(s.b)-j0, len(s.a)-i1, len(s.b)-j1, s.end-k+1) - 1
	// Lane 0 writes below lane 1's first output, lane 1 within out, and
	// lane 1's place stays on an element of out. A place advances by one
	// interval a step at most, so that this follows from the bounds above;
	// it is checked anyway, so that what the batch may touch rests on this
	// function alone.
	n = min(n, s.mid-ahead-w0, len(s.out)-1-ahead-w1)
	if n < minBatch || i0 < 0 || j0 < 0 || i1 < 0 || j1 < 0 || w0 < 0 || w1 < s.mid {
		return 0
	}
	return n
}

// newBatch returns the batch of n steps from the lanes' places.
func newBatch(s *lanes, i0, w0, i1, w1, k int, g0, g1 int64, n int) laneBatch {
	return laneBatch{
		a:     [2]unsafe.Pointer{unsafe.Pointer(&s.a[i0]), unsafe.Pointer(&s.a[i1])},
		b:     [2]unsafe.Pointer{unsafe.Pointer(&s.b[k-i0]), unsafe.Pointer(&s.b[k+s.off-i1])},
		w:     [2]unsafe.Pointer{unsafe.Pointer(&s.out[w0]), unsafe.Pointer(&s.out[w1])},
		g:     [2]int64{g0, g1},
		steps: n,
	}
}

// places returns the lanes' indices into a and out after the batch r.
func (r *laneBatch) places(s *lanes) (i0, w0, i1, w1 int) {
	a, out := uintptr(unsafe.Pointer(&s.a[0])), uintptr(unsafe.Pointer(&s.out[0]))
	return int((uintptr(r.a[0]) - a) / size), int((uintptr(r.w[0]) - out) / size),
		int((uintptr(r.a[1]) - a) / size), int((uintptr(r.w[1]) - out) / size)
}

// at returns the int64 at p plus off bytes.
func at(p unsafe.Pointer, off uintptr) *int64 { return (*int64)(unsafe.Add(p, off)) }

// size is the size of an interval in bytes.
const size = unsafe.Sizeof(Interval{})

// next returns a pointer to the interval after the one at p.
func next(p unsafe.Pointer) unsafe.Pointer { return unsafe.Add(p, size) }

// b2u returns 1 for true and 0 for false, without a branch: a place in out
// advances by an output not known in advance, which a branch would
// mispredict.
func b2u(b bool) uintptr {
	if b {
		return 1
	}
	return 0
}

// unionFast runs union2 in batches while they are worth it, then union2
// for the rest. A batch keeps only the end of each lane's interval under
// construction in a register: every step writes the start of the interval
// that a gap would open one place ahead in out, where the next step
// overwrites it unless a gap came, and the end at the lane's place.
func unionFast(s *lanes, i0, w0 int, c0 Interval, i1, w1 int, c1 Interval, k int) (int, int, int, Interval, int, int, int, Interval) {
	for {
		n := batchSteps(s, i0, w0, i1, w1, k, 1)
		if n == 0 {
			return union2(s, i0, w0, c0, i1, w1, c1, k)
		}
		s.out[w0], s.out[w1] = c0, c1
		r := newBatch(s, i0, w0, i1, w1, k, c0.End, c1.End, n)
		unionBatch(&r, predictSteps(s))
		i0, w0, i1, w1 = r.places(s)
		c0 = Interval{s.out[w0].Start, r.g[0]}
		c1 = Interval{s.out[w1].Start, r.g[1]}
		k += n
	}
}

// unionBatch takes r.steps steps of each lane of a union; see unionFast.
// Each step is unionKernel's, written twice, once for each lane, since a
// function for it would not be inlined.
func unionBatch(r *laneBatch, predict bool) {
	a0, b0, w0, e0 := r.a[0], r.b[0], r.w[0], r.g[0]
	a1, b1, w1, e1 := r.a[1], r.b[1], r.w[1], r.g[1]
	for n := r.steps; n > 0; n-- {
		{
			xs, ys := *at(a0, 0), *at(b0, 0)
			xe, ye := *at(a0, 8), *at(b0, 8)
			if xs <= ys {
				ye = xe
			}
			if predict {
				na, nb := next(a0), next(b0)
				if xs <= ys {
					a0 = na
				}
				if xs > ys {
					b0 = nb
				}
			} else {
				a0 = unsafe.Add(a0, size*b2u(xs <= ys))
				b0 = unsafe.Add(b0, size*b2u(xs > ys))
			}
			ns := min(xs, ys)
			*at(w0, 16) = ns
			w0 = unsafe.Add(w0, size*b2u(ns > e0))
			e0 = max(e0, ye)
			*at(w0, 8) = e0
		}
		{
			xs, ys := *at(a1, 0), *at(b1, 0)
			xe, ye := *at(a1, 8), *at(b1, 8)
			if xs <= ys {
				ye = xe
			}
			if predict {
				na, nb := next(a1), next(b1)
				if xs <= ys {
					a1 = na
				}
				if xs > ys {
					b1 = nb
				}
			} else {
				a1 = unsafe.Add(a1, size*b2u(xs <= ys))
				b1 = unsafe.Add(b1, size*b2u(xs > ys))
			}
			ns := min(xs, ys)
			*at(w1, 16) = ns
			w1 = unsafe.Add(w1, size*b2u(ns > e1))
			e1 = max(e1, ye)
			*at(w1, 8) = e1
		}
	}
	r.a, r.b, r.w, r.g = [2]unsafe.Pointer{a0, a1}, [2]unsafe.Pointer{b0, b1}, [2]unsafe.Pointer{w0, w1}, [2]int64{e0, e1}
}

// intersectFast runs intersect2 in batches while they are worth it, then
// intersect2 for the rest.
func intersectFast(s *lanes, i0, w0, i1, w1, k int) (int, int, int, int, int, int) {
	for {
		n := batchSteps(s, i0, w0, i1, w1, k, 0)
		if n == 0 {
			return intersect2(s, i0, w0, i1, w1, k)
		}
		r := newBatch(s, i0, w0, i1, w1, k, 0, 0, n)
		intersectBatch(&r, predictSteps(s))
		i0, w0, i1, w1 = r.places(s)
		k += n
	}
}

// intersectBatch takes r.steps steps of each lane of an intersection, each
// step written once per lane, as in unionBatch.
func intersectBatch(r *laneBatch, predict bool) {
	a0, b0, w0 := r.a[0], r.b[0], r.w[0]
	a1, b1, w1 := r.a[1], r.b[1], r.w[1]
	for n := r.steps; n > 0; n-- {
		{
			xs, ys := *at(a0, 0), *at(b0, 0)
			xe, ye := *at(a0, 8), *at(b0, 8)
			if predict {
				na, nb := next(a0), next(b0)
				if xe <= ye {
					a0 = na
				}
				if xe > ye {
					b0 = nb
				}
			} else {
				a0 = unsafe.Add(a0, size*b2u(xe <= ye))
				b0 = unsafe.Add(b0, size*b2u(xe > ye))
			}
			st, e := max(xs, ys), min(xe, ye)
			*at(w0, 0), *at(w0, 8) = st, e
			w0 = unsafe.Add(w0, size*b2u(st < e))
		}
		{
			xs, ys := *at(a1, 0), *at(b1, 0)
			xe, ye := *at(a1, 8), *at(b1, 8)
			if predict {
				na, nb := next(a1), next(b1)
				if xe <= ye {
					a1 = na
				}
				if xe > ye {
					b1 = nb
				}
			} else {
				a1 = unsafe.Add(a1, size*b2u(xe <= ye))
				b1 = unsafe.Add(b1, size*b2u(xe > ye))
			}
			st, e := max(xs, ys), min(xe, ye)
			*at(w1, 0), *at(w1, 8) = st, e
			w1 = unsafe.Add(w1, size*b2u(st < e))
		}
	}
	r.a, r.b, r.w = [2]unsafe.Pointer{a0, a1}, [2]unsafe.Pointer{b0, b1}, [2]unsafe.Pointer{w0, w1}
}

// subtractFast runs subtract2 in batches while they are worth it, then
// subtract2 for the rest.
func subtractFast(s *lanes, i0, w0 int, g0 int64, i1, w1 int, g1 int64, k int) (int, int, int, int64, int, int, int, int64) {
	for {
		n := batchSteps(s, i0, w0, i1, w1, k, 0)
		if n == 0 {
			return subtract2(s, i0, w0, g0, i1, w1, g1, k)
		}
		r := newBatch(s, i0, w0, i1, w1, k, g0, g1, n)
		subtractBatch(&r, predictSteps(s))
		i0, w0, i1, w1 = r.places(s)
		g0, g1 = r.g[0], r.g[1]
		k += n
	}
}

// subtractBatch takes r.steps steps of each lane of a difference, each step
// written once per lane, as in unionBatch.
func subtractBatch(r *laneBatch, predict bool) {
	a0, b0, w0, g0 := r.a[0], r.b[0], r.w[0], r.g[0]
	a1, b1, w1, g1 := r.a[1], r.b[1], r.w[1], r.g[1]
	for n := r.steps; n > 0; n-- {
		{
			xs, xe := *at(a0, 0), *at(a0, 8)
			ys, ye := *at(b0, 0), *at(b0, 8)
			st, e := max(xs, g0), min(xe, ys)
			if predict {
				na, nb := next(a0), next(b0)
				if xe <= ys {
					a0 = na
				}
				if xe > ys {
					b0 = nb
					g0 = ye
				}
			} else {
				a0 = unsafe.Add(a0, size*b2u(xe <= ys))
				b0 = unsafe.Add(b0, size*b2u(xe > ys))
				if xe > ys {
					g0 = ye
				}
			}
			*at(w0, 0), *at(w0, 8) = st, e
			w0 = unsafe.Add(w0, size*b2u(st < e))
		}
		{
			xs, xe := *at(a1, 0), *at(a1, 8)
			ys, ye := *at(b1, 0), *at(b1, 8)
			st, e := max(xs, g1), min(xe, ys)
			if predict {
				na, nb := next(a1), next(b1)
				if xe <= ys {
					a1 = na
				}
				if xe > ys {
					b1 = nb
					g1 = ye
				}
			} else {
				a1 = unsafe.Add(a1, size*b2u(xe <= ys))
				b1 = unsafe.Add(b1, size*b2u(xe > ys))
				if xe > ys {
					g1 = ye
				}
			}
			*at(w1, 0), *at(w1, 8) = st, e
			w1 = unsafe.Add(w1, size*b2u(st < e))
		}
	}
	r.a, r.b, r.w, r.g = [2]unsafe.Pointer{a0, a1}, [2]unsafe.Pointer{b0, b1}, [2]unsafe.Pointer{w0, w1}, [2]int64{g0, g1}
}

// predictSteps reports whether batches over s advance by branches.
func predictSteps(s *lanes) bool { return len(s.a)+len(s.b) <= predictMax }

// predictMax is the most intervals in both inputs for which batches advance
// by branches; see the top of this file.
var predictMax = 1 << 15
