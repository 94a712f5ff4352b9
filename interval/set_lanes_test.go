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

// setLaneOps are the operations that run as two lanes, with their oracles.
var setLaneOps = []struct {
	name string
	run  func(dst, a, b []interval.Interval) []interval.Interval
	want func(a, b bits) bits
}{
	{"union", interval.AppendUnion, bits.Union},
	{"intersect", interval.AppendIntersect, bits.Intersect},
	{"subtract", interval.AppendSubtract, bits.Subtract},
}

// setSteps returns [start+step·i, start+step·i+length) for i in [0, n).
func setSteps(n int, start, step, length int64) []interval.Interval {
	out := make([]interval.Interval, n)
	for i := range out {
		s := start + step*int64(i)
		out[i] = interval.Interval{Start: s, End: s + length}
	}
	return out
}

// setRoomy returns a dst with a prefix and room for every interval of a and
// b, so that the two-lane merges may run.
func setRoomy(a, b []interval.Interval) []interval.Interval {
	return append(make([]interval.Interval, 0, 1+len(a)+len(b)), interval.Interval{Start: -7, End: -3})
}

// TestSetLanesSeams places the cut of the two-lane merges where the lanes
// meet something: an interval spanning the seam, intervals touching across
// it, a lane left with one member of an input, a second lane that runs out
// of an input long before the first lane ends.
func TestSetLanesSeams(t *testing.T) {
	defer interval.UseVectorMerge("")()
	tests := []struct {
		name   string
		op     string
		a, b   []interval.Interval
		k, cut int // where the lanes cut: after k steps, cut of them in a
	}{
		{
			// a's first member covers every member of b; the second lane
			// starts inside it, and the stitch folds eleven intervals.
			name: "union spanning the seam", op: "union",
			a: append(setOf(0, 1500), setSteps(20, 1600, 20, 5)...),
			b: setSteps(40, 100, 30, 10),
			k: 30, cut: 1,
		},
		{
			// Every member of a touches one of b: the union is one interval,
			// and the lanes meet at a touching point.
			name: "union touching at the seam", op: "union",
			a: setSteps(20, 0, 20, 10),
			b: setSteps(20, 10, 20, 10),
			k: 20, cut: 10,
		},
		{
			// The second lane has six members of b among its 31: it runs out
			// of b after a dozen steps, and the first lane finishes alone.
			name: "union second lane runs out", op: "union",
			a: setSteps(40, 0, 20, 5),
			b: setSteps(21, 10, 20, 5),
			k: 30, cut: 15,
		},
		{
			// b's long member [205, 700) meets a[10:25] in the first lane and
			// a[25:] in the second, which starts with it.
			name: "intersect member of b across the seam", op: "intersect",
			a: setSteps(40, 0, 20, 5),
			b: slices.Concat(setSteps(10, 1, 20, 2), setOf(205, 700), setSteps(20, 710, 20, 5)),
			k: 35, cut: 25,
		},
		{
			name: "intersect second lane runs out", op: "intersect",
			a: setSteps(40, 0, 20, 15),
			b: setSteps(21, 10, 20, 5),
			k: 30, cut: 15,
		},
		{
			// b's member [175, 192) is the last before the cut and reaches
			// into a[18] and a[19], the second lane's first: its gap of b
			// starts at 192.
			name: "subtract member of b across the seam", op: "subtract",
			a: setSteps(40, 0, 10, 5),
			b: slices.Concat(setSteps(9, 1, 20, 2), setOf(175, 192), setSteps(7, 300, 50, 2)),
			k: 28, cut: 18,
		},
		{
			name: "subtract second lane runs out", op: "subtract",
			a: setSteps(40, 0, 20, 15),
			b: setSteps(21, 10, 20, 2),
			k: 30, cut: 15,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !interval.IsNormalized(tt.a) || !interval.IsNormalized(tt.b) {
				t.Fatalf("inputs not normalised: %v %v", tt.a, tt.b)
			}
			dst := setRoomy(tt.a, tt.b)
			k, cut, ok := interval.LaneCut(tt.op, dst, tt.a, tt.b)
			setExpect(t, [2]int{k, cut}, [2]int{tt.k, tt.cut}, "cut of %s", tt.op)
			setExpect(t, ok, tt.cut > 0, "lanes run")
			oa, ob := intervaloracle.FromIntervals(tt.a...), intervaloracle.FromIntervals(tt.b...)
			for _, op := range setLaneOps {
				if op.name == tt.op {
					assertSetIs(t, op.want(oa, ob), setAppended(t, op.run(dst, tt.a, tt.b)), "%s", op.name)
				}
			}
		})
	}
}

// setWindowed returns n raw intervals inside [lo, hi), mostly short, with
// now and then a long one that swallows many others and often the cut.
func setWindowed(r *rand.Rand, n int, lo, hi int64) []interval.Interval {
	out := make([]interval.Interval, 0, n)
	for range n {
		s := lo + r.Int64N(hi-lo)
		length := 1 + r.Int64N(1+r.Int64N(12))
		if r.IntN(50) == 0 {
			length = r.Int64N(intervaloracle.Size / 4)
		}
		out = append(out, interval.Interval{Start: s, End: min(s+length, hi)})
	}
	return out
}

// TestSetModelLanes holds the two-lane merges against the oracle on inputs
// that cover windows of the range placed at random, so that the cut falls
// anywhere: at the first or last member of an input, at an edge (where the
// single merge runs instead), across a long interval. It counts which of
// these it reached.
func TestSetModelLanes(t *testing.T) {
	eachLaneBatch(t, testSetModelLanes)
}

// eachLaneBatch runs test once with the lanes' batches advancing by branches
// and once by conditional moves, whatever the inputs' size.
func eachLaneBatch(t *testing.T, test func(t *testing.T)) {
	for _, tt := range []struct {
		name string
		max  int
	}{{"branch", math.MaxInt}, {"cmov", 0}} {
		t.Run(tt.name, func(t *testing.T) {
			defer interval.PredictLanes(tt.max)()
			test(t)
		})
	}
}

func testSetModelLanes(t *testing.T) {
	defer interval.UseVectorMerge("")()
	reached := map[string]int{}
	for seed := range setModelSeeds(t) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(seed), 7))
			for round := range 20 {
				var raw [2][]interval.Interval
				for s := range raw {
					lo := r.Int64N(intervaloracle.Size * 3 / 4)
					hi := lo + 1 + r.Int64N(intervaloracle.Size-lo)
					raw[s] = setWindowed(r, interval.LaneMin/4+r.IntN(300), lo, hi)
				}
				a := interval.Normalize(slices.Clone(raw[0]))
				b := interval.Normalize(slices.Clone(raw[1]))
				oa, ob := intervaloracle.FromIntervals(raw[0]...), intervaloracle.FromIntervals(raw[1]...)
				for _, op := range setLaneOps {
					for _, swap := range []bool{false, true} {
						x, y, ox, oy := a, b, oa, ob
						if swap {
							x, y, ox, oy = b, a, ob, oa
						}
						dst := setRoomy(x, y)
						k, cut, ok := interval.LaneCut(op.name, dst, x, y)
						switch {
						case ok:
							reached[op.name+" lanes"]++
							if cut == 1 || cut == len(x)-1 {
								reached[op.name+" cut next to an end of a"]++
							}
							if k-cut == 1 || k-cut == len(y)-1 {
								reached[op.name+" cut next to an end of b"]++
							}
						case len(x)+len(y) >= interval.LaneMin:
							reached[op.name+" cut at an edge"]++
						}
						got := setAppended(t, op.run(dst, x, y))
						assertSetIs(t, op.want(ox, oy), got, "round %d: %s(%v, %v)", round, op.name, x, y)
						if op.name == "intersect" {
							// One interval less of room, as Set.Intersect gives,
							// is enough for the lanes of the intersection.
							tight := append(make([]interval.Interval, 0, len(x)+len(y)), dst[0])
							_, _, tightOK := interval.LaneCut(op.name, tight, x, y)
							setExpect(t, tightOK, ok, "round %d: lanes run with room for n-1", round)
							setExpectSlice(t, setAppended(t, op.run(tight, x, y)), got, "round %d: %s with room for n-1", round, op.name)
						}
						// Without room the single merge runs; same result.
						setExpectSlice(t, op.run(nil, x, y), got, "round %d: %s into nil", round, op.name)
					}
				}
			}
		})
	}
	for _, op := range setLaneOps {
		for _, what := range []string{"lanes", "cut next to an end of a", "cut next to an end of b", "cut at an edge"} {
			if reached[op.name+" "+what] == 0 {
				t.Errorf("no round reached %s %s", op.name, what)
			}
		}
	}
	t.Logf("reached: %v", reached)
}

// TestSetLanesInPlace checks the union where Set.AddSet calls it, with a in
// dst's spare capacity, and with a elsewhere there from offset len(b): the
// lanes must not run, since the second would overwrite members of a that
// the first has still to read.
func TestSetLanesInPlace(t *testing.T) {
	defer interval.UseVectorMerge("")()
	r := rand.New(rand.NewPCG(1, 8))
	for round := range 50 {
		rawA := setWindowed(r, interval.LaneMin+r.IntN(200), 0, intervaloracle.Size)
		rawB := setWindowed(r, interval.LaneMin+r.IntN(200), 0, intervaloracle.Size)
		a := interval.Normalize(slices.Clone(rawA))
		b := interval.Normalize(slices.Clone(rawB))
		buf := make([]interval.Interval, len(b)+len(a), len(b)+len(a)+r.IntN(4))
		copy(buf[len(b):], a)
		_, _, ok := interval.LaneCut("union", buf[:0], buf[len(b):], b)
		setExpect(t, ok, false, "round %d: lanes run in place", round)
		got := interval.AppendUnion(buf[:0], buf[len(b):], b)
		want := intervaloracle.FromIntervals(rawA...).Union(intervaloracle.FromIntervals(rawB...))
		assertSetIs(t, want, got, "round %d: in-place union of %v and %v", round, a, b)

		// The same with a anywhere from offset len(b) in dst's spare
		// capacity, not only where Set.AddSet puts it: a's capacity and
		// dst's may end apart.
		extra := r.IntN(4)
		buf = make([]interval.Interval, len(b)+len(a)+extra+r.IntN(3))
		off := len(b) + r.IntN(extra+1)
		copy(buf[off:], a)
		dst := buf[: 0 : len(b)+len(a)+extra]
		_, _, ok = interval.LaneCut("union", dst, buf[off:off+len(a)], b)
		setExpect(t, ok, false, "round %d: lanes run on a in dst's spare capacity at %d", round, off)
		got = interval.AppendUnion(dst, buf[off:off+len(a)], b)
		assertSetIs(t, want, got, "round %d: union of %v in dst's spare capacity at %d and %v", round, a, off, b)
	}
}

// FuzzLanes holds the two-lane merges, given room in dst, against the
// oracle; the other fuzz targets pass no room and so test the single merge.
func FuzzLanes(f *testing.F) {
	defer interval.UseVectorMerge("")()
	// fine encodes n short intervals every step instants from start, in
	// setDecode's format.
	fine := func(n int, start, step, length uint32) []byte {
		var out []byte
		for i := range uint32(n) {
			v := (start+i*step)&(intervaloracle.Size-1) | (8+length)<<11
			out = append(out, byte(v), byte(v>>8), byte(v>>16))
		}
		return out
	}
	f.Add(fine(40, 0, 20, 5), fine(40, 10, 20, 5))   // interleaved
	f.Add(fine(40, 0, 20, 10), fine(40, 10, 20, 10)) // touching
	f.Add(fine(60, 0, 20, 5), fine(20, 7, 60, 30))   // overlapping
	f.Add(fine(30, 0, 10, 4), fine(30, 1000, 10, 4)) // disjoint halves: no lanes
	f.Add(append(fine(1, 0, 0, 40), fine(40, 100, 20, 5)...), fine(40, 110, 20, 5))
	f.Fuzz(func(t *testing.T, da, db []byte) {
		_, _, a, b, oa, ob := setFuzzPair(t, da, db)
		// One interval less of room: the intersection's lanes still run.
		tight := append(make([]interval.Interval, 0, max(len(a)+len(b), 1)), interval.Interval{Start: -7, End: -3})
		rawA, rawB := setDecode(da), setDecode(db)      // unnormalised: must return
		for _, predict := range []int{math.MaxInt, 0} { // batches by branches, by conditional moves
			restore := interval.PredictLanes(predict)
			for _, op := range setLaneOps {
				assertSetIs(t, op.want(oa, ob), setAppended(t, op.run(setRoomy(a, b), a, b)), "%s(%v, %v)", op.name, a, b)
				assertSetIs(t, op.want(ob, oa), setAppended(t, op.run(setRoomy(a, b), b, a)), "%s(%v, %v)", op.name, b, a)
				assertSetIs(t, op.want(oa, ob), setAppended(t, op.run(tight, a, b)), "%s(%v, %v) with room for n-1", op.name, a, b)
				op.run(setRoomy(rawA, rawB), rawA, rawB)
			}
			restore()
		}
	})
}
