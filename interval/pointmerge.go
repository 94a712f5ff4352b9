package interval

import (
	"math/bits"
	"unsafe"
)

// This file runs AppendUnion, AppendIntersect and AppendSubtract as a merge
// of endpoints, the form that vector instructions can take (see
// pointmerge_amd64.s for AVX-512, pointmerge_avx2_amd64.s for AVX2); where
// they are missing the two-lane merges of set_lanes.go run instead.
//
// A normalised slice read as []int64 is a strictly increasing sequence of
// endpoints, start, end, start, end…: an instant lies in the set when an odd
// number of endpoints are at or before it. Merging the endpoints of a and b
// into one increasing sequence and counting, after each endpoint, whether an
// odd number of a's and of b's have passed gives each operation's status —
// inside or outside its result — after each endpoint; the result is the
// sequence of endpoints at which the status flips, which is again a
// normalised slice read as []int64. Endpoints of a and b may be equal; they
// are ordered so that the status flips at most once at one instant (for the
// union, starts before ends, so that touching intervals merge; for the
// intersection, ends before starts; for a minus b, b's start before a's and
// a's end before b's) by merging the encoded endpoints
//
//	v<<2 | tie<<1 | source
//
// with source 0 for a and 1 for b, which also makes them all distinct. The
// encoding needs |v| < 2^60; other inputs take the portable merges. The
// vector loops take endpoints 16 (AVX-512) or 8 (AVX2) at a time, the last
// step excepted, so the counts i and j of endpoints of a and b merged
// before a step have the same parity, and the merge is inside both inputs
// or neither when i is odd or even.
//
// Which endpoints flip the status follows from parities alone. The k-th
// endpoint of the merge, the i-th of its own input, has k-i endpoints of the
// other input before it, so the other input's status at it is the parity of
// k-i; and its tie bit is i's parity (for the union, and b's in a minus b)
// or the opposite (for the intersection, and a's in a minus b). It flips the
// union's or the intersection's status exactly when its tie bit is k's
// parity, and a minus b's exactly when it is not. The vector merges test
// that on the sorted lanes, against keep.

// pointOp is what one operation needs to merge endpoints. The assembly
// relies on the layout of its first fields.
type pointOp struct {
	// ties holds the encoding's low bits, tie<<1 | source, of 8 consecutive
	// endpoints by source and by the parity of the first one's index.
	ties [2][2][8]int64
	// emit[f] holds, for f marking endpoints to write, f in bits 0-7, a
	// mask of as many lanes from the first in bits 8-15, and their count
	// in bits 16-19.
	emit [256]uint32
	// biased holds ties[s][p][:4] plus pointBias, for the AVX2 merge.
	biased [2][2][4]int64
	// keep holds, for the 8 lanes of merged endpoints from an even index,
	// the tie bit, times 2, of those that flip the status.
	keep [8]int64
	// tiesHigh holds ties in the top two bits, for the AVX-512 merge's
	// VPSHRDQ, which shifts and fills them in as it loads.
	tiesHigh [2][2][8]int64
	// tie[s][p] is the tie bit of an endpoint of source s at an index of
	// parity p, a start for p = 0 and an end for p = 1.
	tie [2][2]int64
	// inside gives the status from whether the merge is inside a and b.
	inside func(inA, inB bool) bool
}

func newPointOp(inside func(inA, inB bool) bool, tieA, tieB [2]int64) *pointOp {
	op := &pointOp{inside: inside, tie: [2][2]int64{tieA, tieB}}
	for s := range 2 {
		for p := range 2 {
			for k := range 8 {
				op.ties[s][p][k] = op.tie[s][(p+k)&1]<<1 | int64(s)
				op.tiesHigh[s][p][k] = op.ties[s][p][k] << 62
			}
			for k := range 4 {
				op.biased[s][p][k] = op.ties[s][p][k] + pointBias
			}
		}
	}
	subtract := op.tie[0][0] != op.tie[1][0] // a's tie bits are the opposite of b's
	for k := range 8 {
		op.keep[k] = int64(k&1) << 1
		if subtract {
			op.keep[k] ^= 2
		}
	}
	for f := range len(op.emit) {
		n := bits.OnesCount8(uint8(f))
		op.emit[f] = uint32(f) | (1<<n-1)<<8 | uint32(n)<<16
	}
	return op
}

var (
	// The union orders a start before an end at one instant, so that
	// touching intervals merge.
	unionPoints = newPointOp(func(inA, inB bool) bool { return inA || inB }, [2]int64{0, 1}, [2]int64{0, 1})
	// The intersection orders an end before a start, so that touching
	// intervals give no empty piece.
	intersectPoints = newPointOp(func(inA, inB bool) bool { return inA && inB }, [2]int64{1, 0}, [2]int64{1, 0})
	// a minus b orders b's start before a's, so that a piece of a that b
	// starts with gives no empty piece, and a's end before b's likewise.
	subtractPoints = newPointOp(func(inA, inB bool) bool { return inA && !inB }, [2]int64{1, 0}, [2]int64{0, 1})
)

// pointMerge is the state of one endpoint merge, shared with the assembly,
// which relies on its layout. The merge runs from the front, where i and j
// endpoints of a and b are merged and w written at the start of out, and
// in the two-lane loop also from the back, where what is left ends at na and
// nb and w2 endpoints are written at the end of out's room.
type pointMerge struct {
	a, b   *int64   // the endpoints of the inputs
	na, nb int      // where what is left of them ends
	i, j   int      // how many of them are merged from the front
	out    *int64   // where the result goes
	w, lim int      // endpoints written from the front, and room
	w2     int      // endpoints written from the back, before out[lim]
	op     *pointOp // the operation
	full   int      // set when out had no room for the next endpoints

	// left holds what is left of a and b while the AVX-512 merge takes
	// its last steps.
	left [2]uint32
}

// pointLimit bounds the endpoints the encoding takes.
const pointLimit = 1 << 60

// pointBias is what the AVX2 merge adds to the encoding, v<<2 | tie<<1 |
// source, so that every endpoint within pointLimit encodes as a
// non-negative number below math.MaxInt64, its padding.
const pointBias = 1<<62 - 4

// namedMerge is one form of the vector merge, named for the instructions it
// needs, with the fewest intervals in both inputs together for which it is
// worth entering. BenchmarkPointMerge, which lowers that minimum to compare,
// finds on the union of intervals in random order the AVX-512 forms 2.0 to
// 2.6 times faster than the two-lane merges from 8 + 8 intervals to 1,000 +
// 1,000 and at 30,000 + 30,000, 1.75 times at 10,000 + 10,000 (where the
// lanes' batches advance by branches), and below 8 + 8 as fast or slower;
// the form with VBMI2 2 to 3.5% faster than the one without from 24 + 24.
// It finds the AVX2 form slower than the lanes at 8 + 8 and 16 + 16, 1.1 to
// 1.3 times faster from 24 + 24 to 300 + 300, as fast at 1,000 + 1,000,
// 1.2 times slower at 10,000 + 10,000, and 1.15 times faster at 30,000 +
// 30,000. The AVX2 form therefore stands aside for the lanes from 1,000
// intervals in all up to predictMax.
type namedMerge struct {
	name string
	form mergeForm
	min  int
	// lanesFrom, when not zero, is the fewest intervals in both inputs
	// from which up to predictMax the two-lane merges' batches, advancing
	// by branches, run faster than this form, which then stands aside for
	// them when dst has room for the lanes.
	lanesFrom int
}

// mergeForm picks a form of the vector merge for runMerge; noMerge is none.
// It is a number rather than a function value, which would make the merge
// state escape to the heap on every call.
type mergeForm int

const noMerge mergeForm = 0

// vectorMerge is the vector merge that runs, of form noMerge when none
// does: the fastest of vectorMerges. Tests switch it to reach each form
// and the other paths.
var vectorMerge = fastestMerge()

func fastestMerge() namedMerge {
	if len(vectorMerges) == 0 {
		return namedMerge{}
	}
	return vectorMerges[0]
}

// appendPoints appends op's result on a and b to dst with the vector merge
// and reports true, or reports false, having written at most into dst's
// spare capacity, when it does not apply: no vector instructions, small
// or out-of-range inputs, dst sharing memory with an input or without room
// for the result. Only the merge finds the result's size, so when dst's room
// proves short the work done is lost and the caller's portable merge starts
// over (growing dst): once, for a caller whose buffer then fits.
func appendPoints(dst, a, b []Interval, op *pointOp) ([]Interval, bool) {
	room := cap(dst) - len(dst)
	n := len(a) + len(b)
	if vectorMerge.form == noMerge || n < vectorMerge.min || len(a) == 0 || len(b) == 0 || room == 0 ||
		!pointRange(a) || !pointRange(b) {
		return dst, false
	}
	if from := vectorMerge.lanesFrom; from > 0 && n >= from && n <= predictMax && room >= laneRoom(n, op) {
		return dst, false // the lanes are faster
	}
	out := dst[len(dst):cap(dst)]
	if overlaps(out, a) || overlaps(out, b) {
		return dst, false
	}
	// Fields set one by one: a composite literal is built aside and copied
	// in 16-byte moves, whose loads wait on the 8-byte stores before them
	// (4% of a merge of 100 + 100 intervals).
	var m pointMerge
	m.a, m.na = &a[0].Start, 2*len(a)
	m.b, m.nb = &b[0].Start, 2*len(b)
	m.out, m.lim = &out[0].Start, 2*room
	// The back lane's masked stores skip lanes above its output, which at
	// first lie past the room: on a page that is not present, skipping one
	// costs a Zen 4 about 150 ns. So the back starts below the room's end by
	// as much of 8 endpoints as the result, at most len(a)+len(b)
	// intervals, leaves free.
	m.lim -= min(8, max(0, 2*(room-len(a)-len(b))))
	m.op = op
	runMerge(vectorMerge.form, &m)
	if m.full != 0 || m.i > m.na || m.j > m.nb {
		return dst, false // no room, or unnormalised input
	}
	w, ok := m.w, true
	if m.i == m.na && m.j == m.nb && m.w2 == 0 { // the merge joined the outputs
		if w&1 != 0 {
			return dst, false // unnormalised input
		}
		return dst[:len(dst)+w/2], true
	}
	pa := unsafe.Slice(&a[0].Start, 2*len(a))
	pb := unsafe.Slice(&b[0].Start, 2*len(b))
	po := unsafe.Slice(m.out, m.lim)
	top := m.lim - m.w2 // the front's room ends where the back's output starts
	if m.i != m.na || m.j != m.nb {
		w, ok = finishPoints(&m, pa[:m.na], pb[:m.nb], po[:top])
	}
	if !ok || (w+m.w2)&1 != 0 {
		return dst, false // no room, or unnormalised input
	}
	w += copy(po[w:], po[top:top+m.w2])
	return dst[:len(dst)+w/2], true
}

// laneRoom returns the room in dst the two-lane merge of op needs on n
// intervals in all: one less than n for the intersection, as laneCut says.
func laneRoom(n int, op *pointOp) int {
	if op == intersectPoints {
		return n - 1
	}
	return n
}

// finishPoints merges, one at a time, the endpoints of pa and pb that the
// vector loops leave from m.i and m.j, and returns how many endpoints out
// holds, or false when it has no room. It keeps the endpoints that flip the
// status by the rule the vector loops use (flips), with no call per
// endpoint.
func finishPoints(m *pointMerge, pa, pb, out []int64) (int, bool) {
	op := m.op
	i, j, w := m.i, m.j, m.w
	for i < len(pa) && j < len(pb) {
		x := pa[i]<<2 | op.tie[0][i&1]<<1
		y := pb[j]<<2 | op.tie[1][j&1]<<1 | 1
		k := i + j
		var v int64
		var keep bool
		if x < y {
			v, keep = pa[i], op.flips(0, i, k)
			i++
		} else {
			v, keep = pb[j], op.flips(1, j, k)
			j++
		}
		if keep {
			if w >= len(out) {
				return w, false
			}
			out[w] = v
			w++
		}
	}
	// One input is exhausted, and the other's endpoints advance their own
	// index and the merge's together, so that either every one flips the
	// status or none.
	rest, keep := pa[i:], op.flips(0, i, i+j)
	if i == len(pa) {
		rest, keep = pb[j:], op.flips(1, j, i+j)
	}
	if !keep || len(rest) == 0 {
		return w, true
	}
	if len(out)-w < len(rest) {
		return w, false
	}
	return w + copy(out[w:], rest), true
}

// flips reports whether the endpoint of index i of source s (0 for a, 1
// for b) flips op's status at index k of the merge: whether its tie bit is
// k's parity, or, for a minus b, is not (pointmerge.go's opening comment
// says why; TestPointFlipsRule holds it to inside).
func (op *pointOp) flips(s, i, k int) bool {
	return op.tie[s][i&1]<<1 == op.keep[k&1]
}

// pointRange reports whether the endpoints of the normalised slice a fit
// the encoding.
func pointRange(a []Interval) bool {
	return a[0].Start > -pointLimit && a[len(a)-1].End < pointLimit
}

// overlaps reports whether x and y share memory.
func overlaps(x, y []Interval) bool {
	if len(x) == 0 || len(y) == 0 {
		return false
	}
	const size = unsafe.Sizeof(Interval{})
	x0 := uintptr(unsafe.Pointer(&x[0]))
	y0 := uintptr(unsafe.Pointer(&y[0]))
	return x0 < y0+uintptr(len(y))*size && y0 < x0+uintptr(len(x))*size
}
