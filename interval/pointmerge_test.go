package interval_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/crossagenda/crossagenda/internal/testkit/intervaloracle"
	"github.com/crossagenda/crossagenda/interval"
)

// pointOps are the operations the vector endpoint merge runs, with their
// oracles and public functions.
var pointOps = []struct {
	name string
	want func(a, b bits) bits
	run  func(dst, a, b []interval.Interval) []interval.Interval
}{
	{"union", bits.Union, interval.AppendUnion},
	{"intersect", bits.Intersect, interval.AppendIntersect},
	{"subtract", bits.Subtract, interval.AppendSubtract},
}

// eachVectorMerge runs test once for each form of the vector merge this
// machine runs, as a subtest named after it, or skips when it runs none.
func eachVectorMerge(t *testing.T, test func(t *testing.T)) {
	names := interval.VectorMerges()
	if len(names) == 0 {
		t.Skip("this machine has no vector endpoint merge; the two-lane merges run instead")
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			defer interval.UseVectorMerge(name)()
			test(t)
		})
	}
}

// pointShapes returns a normalised slice of n intervals over [0, Size) in
// one of several shapes, most of them dense in the coincident endpoints
// the tie order must get right.
func pointShapes(r *rand.Rand, n int) []interval.Interval {
	raw := make([]interval.Interval, 0, n)
	switch r.IntN(4) {
	case 0: // a coarse grid: endpoints of a and b often coincide
		grid := int64(1 + r.IntN(6))
		for range n {
			s := grid * r.Int64N(intervaloracle.Size/grid)
			raw = append(raw, interval.Interval{Start: s, End: min(s+grid*(1+r.Int64N(3)), intervaloracle.Size)})
		}
	case 1: // sparse in a window placed at random
		lo := r.Int64N(intervaloracle.Size - 64)
		hi := lo + 64 + r.Int64N(intervaloracle.Size-lo-64+1)
		raw = setWindowed(r, n, lo, hi)
	default:
		raw = intervaloracle.RandomIntervals(r, n)
	}
	return interval.Normalize(raw)
}

// TestPointMergeModel holds the vector endpoint merge against the oracle on
// random inputs of up to a few hundred intervals, with room in dst, and
// checks that it ran: sizes around sixteen and thirty-two endpoints reach
// the masked and last steps, larger ones the two-lane loop.
func TestPointMergeModel(t *testing.T) { eachVectorMerge(t, testPointMergeModel) }

func testPointMergeModel(t *testing.T) {
	defer interval.LowerPointMin()()
	ran := 0
	for seed := range setModelSeeds(t) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(seed), 11))
			for round := range 20 {
				na, nb := 1+r.IntN(24), 1+r.IntN(24)
				if round%3 == 0 {
					na, nb = 1+r.IntN(400), 1+r.IntN(400)
				}
				a, b := pointShapes(r, na), pointShapes(r, nb)
				oa, ob := intervaloracle.FromIntervals(a...), intervaloracle.FromIntervals(b...)
				for _, op := range pointOps {
					dst := append(make([]interval.Interval, 0, 1+len(a)+len(b)), interval.Interval{Start: -7, End: -3})
					got, ok := interval.AppendPoints(op.name, dst, a, b)
					if !ok {
						if len(a) > 0 && len(b) > 0 && len(a)+len(b) >= interval.PointMin() {
							t.Fatalf("round %d %s: did not run on %d and %d intervals with room", round, op.name, len(a), len(b))
						}
						continue
					}
					ran++
					assertSetIs(t, op.want(oa, ob), setAppended(t, got), "round %d %s(%v, %v)", round, op.name, a, b)
				}
			}
		})
	}
	if ran == 0 {
		t.Fatal("the vector merge never ran")
	}
}

// TestPointMergeShapes runs the vector merge on inputs whose shape sends
// every endpoint down one path: one input wholly before the other (the rest
// is copied), equal inputs, touching at every endpoint, one interval
// spanning the other input, and sizes at each step boundary.
func TestPointMergeShapes(t *testing.T) { eachVectorMerge(t, testPointMergeShapes) }

func testPointMergeShapes(t *testing.T) {
	defer interval.LowerPointMin()()
	steps := func(n int, start, step, length int64) []interval.Interval { return setSteps(n, start, step, length) }
	cases := []struct {
		name string
		a, b []interval.Interval
	}{
		{"a before b", steps(40, 0, 10, 5), steps(40, 1000, 10, 5)},
		{"b before a", steps(40, 1000, 10, 5), steps(40, 0, 10, 5)},
		{"equal", steps(50, 0, 10, 5), steps(50, 0, 10, 5)},
		{"touching", steps(50, 0, 10, 5), steps(50, 5, 10, 5)},
		{"same starts", steps(50, 0, 10, 5), steps(50, 0, 10, 3)},
		{"same ends", steps(50, 0, 10, 5), steps(50, 2, 10, 3)},
		{"one spans all", []interval.Interval{{Start: 0, End: 2000}}, steps(60, 3, 30, 7)},
		{"all span one", steps(60, 3, 30, 7), []interval.Interval{{Start: 0, End: 2000}}},
		{"interleaved", steps(100, 0, 20, 10), steps(100, 10, 20, 5)},
		{"three spread among many", steps(96, 10, 20, 10), []interval.Interval{{Start: 0, End: 5}, {Start: 900, End: 915}, {Start: 1990, End: 2000}}},
		{"many around three", []interval.Interval{{Start: 0, End: 12}, {Start: 900, End: 915}, {Start: 1925, End: 2000}}, steps(96, 10, 20, 10)},
	}
	for n := 1; n <= 40; n++ {
		cases = append(cases, struct {
			name string
			a, b []interval.Interval
		}{fmt.Sprintf("sizes %d and %d", n, 41-n), steps(n, 0, 50, 20), steps(41-n, 7, 47, 31)})
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			oa, ob := intervaloracle.FromIntervals(tt.a...), intervaloracle.FromIntervals(tt.b...)
			for _, op := range pointOps {
				got, ok := interval.AppendPoints(op.name, make([]interval.Interval, 0, len(tt.a)+len(tt.b)), tt.a, tt.b)
				if setExpect(t, ok, len(tt.a)+len(tt.b) >= interval.PointMin(), "%s ran", op.name) && ok {
					assertSetIs(t, op.want(oa, ob), got, "%s", op.name)
				}
			}
		})
	}
}

// TestPointMergeRoom checks that the vector merge writes only into dst's
// spare capacity, runs with exactly the room the result needs, and steps
// aside, for the public functions to grow dst, with less.
func TestPointMergeRoom(t *testing.T) { eachVectorMerge(t, testPointMergeRoom) }

func testPointMergeRoom(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	for round := range 300 {
		a, b := pointShapes(r, 8+r.IntN(200)), pointShapes(r, 8+r.IntN(200))
		oa, ob := intervaloracle.FromIntervals(a...), intervaloracle.FromIntervals(b...)
		for _, op := range pointOps {
			want := op.want(oa, ob).Intervals()
			for _, room := range []int{len(want), max(len(want)-1, 0), len(want) / 2, len(a) + len(b)} {
				// A canary after the capacity must survive.
				backing := make([]interval.Interval, 1+room+4)
				canary := interval.Interval{Start: -99, End: -98}
				for i := range backing {
					backing[i] = canary
				}
				dst := backing[: 1 : 1+room]
				dst[0] = interval.Interval{Start: -7, End: -3}
				got, ok := interval.AppendPoints(op.name, dst, a, b)
				for i, iv := range backing[1+room:] {
					setExpect(t, iv, canary, "round %d %s room %d: canary %d", round, op.name, room, i)
				}
				if len(a) == 0 || len(b) == 0 || len(a)+len(b) < interval.PointMin() || room == 0 {
					continue // declined whatever the room
				}
				setExpect(t, ok, room >= len(want), "round %d %s room %d of %d: ran", round, op.name, room, len(want))
				if ok {
					setExpectSlice(t, setAppended(t, got), want, "round %d %s room %d", round, op.name, room)
				}
				// The public function gives the result whatever the room.
				assertSetIs(t, op.want(oa, ob), setAppended(t, op.run(dst, a, b)), "round %d %s room %d public", round, op.name, room)
			}
		}
	}
}

// TestPointMergeDeclines checks the inputs the vector merge leaves to the
// other paths: dst sharing memory with an input, endpoints beyond ±2^60,
// and too few intervals.
func TestPointMergeDeclines(t *testing.T) { eachVectorMerge(t, testPointMergeDeclines) }

func testPointMergeDeclines(t *testing.T) {
	a, b := setSteps(40, 0, 10, 5), setSteps(40, 3, 10, 5)
	shared := make([]interval.Interval, 0, 200)
	shared = append(shared, b...)
	huge := setSteps(40, 1<<60, 10, 5)
	for _, op := range pointOps {
		_, ok := interval.AppendPoints(op.name, shared[len(shared):], a, shared[:len(b)])
		setExpect(t, ok, true, "%s: b in dst's prefix is not shared", op.name)
		_, ok = interval.AppendPoints(op.name, shared[:0], a, shared[:len(b)])
		setExpect(t, ok, false, "%s: b in dst's spare capacity", op.name)
		_, ok = interval.AppendPoints(op.name, make([]interval.Interval, 0, 100), a, huge)
		setExpect(t, ok, false, "%s: endpoints at 2^60", op.name)
		_, ok = interval.AppendPoints(op.name, make([]interval.Interval, 0, 100), a[:interval.PointMin()/2], b[:interval.PointMin()/2-1])
		setExpect(t, ok, false, "%s: one interval fewer than PointMin", op.name)
	}
	// The public functions still answer, by the other paths: huge lies
	// after a.
	setExpectSlice(t, interval.AppendUnion(make([]interval.Interval, 0, 100), a, huge), append(slices.Clone(a), huge...), "union with endpoints at 2^60")
	setExpectSlice(t, interval.AppendIntersect(make([]interval.Interval, 0, 100), a, huge), nil, "intersection with endpoints at 2^60")
	setExpectSlice(t, interval.AppendSubtract(make([]interval.Interval, 0, 100), a, huge), a, "difference with endpoints at 2^60")
}

// TestPointMergeUnnormalised feeds the vector merge raw intervals: the
// result is unspecified, but it must return, and write nothing past dst's
// capacity.
func TestPointMergeUnnormalised(t *testing.T) { eachVectorMerge(t, testPointMergeUnnormalised) }

func testPointMergeUnnormalised(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 6))
	for round := range 2000 {
		a := intervaloracle.RandomIntervals(r, 16+r.IntN(100))
		b := intervaloracle.RandomIntervals(r, 16+r.IntN(100))
		if r.IntN(4) == 0 {
			b = interval.Normalize(b)
		}
		// Endpoints the encoding cannot hold, inside inputs whose first
		// and last endpoints it can.
		for _, s := range [][]interval.Interval{a, b} {
			for k := 0; k < len(s) && r.IntN(3) == 0; k++ {
				i := r.IntN(len(s))
				s[i].Start = []int64{math.MinInt64, math.MaxInt64, -1 << 61, 1 << 61, -1 << 62}[r.IntN(5)]
			}
		}
		room := r.IntN(len(a) + len(b) + 2)
		backing := make([]interval.Interval, room+8)
		dst := backing[:0:room]
		for _, op := range pointOps {
			interval.AppendPoints(op.name, dst, a, b)
			for i, iv := range backing[room:] {
				setExpect(t, iv, interval.Interval{}, "round %d %s: wrote past capacity at %d", round, op.name, i)
			}
		}
	}
}

// FuzzPointMerge holds the vector merge against the oracle, given room, and
// runs it on the raw inputs too.
func FuzzPointMerge(f *testing.F) {
	setFuzzSeeds(f)
	var grid []byte
	for i := range uint32(60) {
		v := (i*16)&2047 | 8<<11
		grid = append(grid, byte(v), byte(v>>8), byte(v>>16))
	}
	f.Add(grid, grid[3:])
	f.Fuzz(func(t *testing.T, da, db []byte) {
		if len(da)+len(db) > 3000 {
			// 1,000 intervals say all the merge has to say; longer inputs
			// only slow the fuzzer down, the oracle most.
			t.Skip("inputs longer than 1,000 intervals")
		}
		rawA, rawB, a, b, oa, ob := setFuzzPair(t, da, db)
		forms := interval.VectorMerges()
		if len(forms) == 0 {
			t.Skip("this machine has no vector endpoint merge")
		}
		// Each form in turn, without subtests, which would slow every run.
		for _, form := range forms {
			restore := interval.UseVectorMerge(form)
			restoreMin := interval.LowerPointMin()
			for _, op := range pointOps {
				got, ok := interval.AppendPoints(op.name, make([]interval.Interval, 0, len(a)+len(b)), a, b)
				if ok {
					assertSetIs(t, op.want(oa, ob), got, "%s %s(%v, %v)", form, op.name, a, b)
				}
				interval.AppendPoints(op.name, make([]interval.Interval, 0, len(rawA)+len(rawB)), rawA, rawB)
			}
			restoreMin()
			restore()
		}
	})
}

// TestVectorMergeStandsAside checks where each form of the vector merge
// gives way to the two-lane merges: from its lanesFrom intervals in all up
// to the lanes' predictMax, and only when dst has room for the lanes.
func TestVectorMergeStandsAside(t *testing.T) { eachVectorMerge(t, testVectorMergeStandsAside) }

func testVectorMergeStandsAside(t *testing.T) {
	from, most := interval.LanesFrom(), interval.PredictMax()
	sizes := []int{interval.PointMin(), 2 * interval.PointMin(), most + 1, most + 2}
	if from > 0 {
		sizes = append(sizes, from-1, from, from+1, (from+most)/2, most-1, most)
	}
	for _, n := range sizes {
		// Each member of b overlaps one of a: the union and the
		// intersection have at most len(a) intervals, the difference none,
		// so that the vector merge has room for them all.
		a, b := setSteps((n+1)/2, 0, 10, 5), setSteps(n/2, 2, 10, 5)
		for _, tt := range []struct {
			op   string
			need int // the room the lanes need
		}{{"union", n}, {"intersect", n - 1}, {"subtract", n}} {
			for _, room := range []int{tt.need + 1, tt.need, tt.need - 1} {
				dst := make([]interval.Interval, 0, room)
				_, ran := interval.AppendPoints(tt.op, dst, a, b)
				aside := from > 0 && n >= from && n <= most && room >= tt.need
				if ran == aside {
					t.Errorf("%s of %d intervals, room for %d: the vector merge ran %v, want %v", tt.op, n, room, ran, !aside)
				}
			}
		}
	}
}
