package interval_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/crossagenda/crossagenda/internal/testkit/intervaloracle"
	"github.com/crossagenda/crossagenda/interval"
)

type bits = intervaloracle.Bits

// setExpect reports a test error unless got == want.
func setExpect[T comparable](t *testing.T, got, want T, what string, args ...any) bool {
	t.Helper()
	if got != want {
		t.Errorf("%s:\n got %v\nwant %v", fmt.Sprintf(what, args...), got, want)
		return false
	}
	return true
}

// setExpectSlice reports a test error unless got and want hold the same
// intervals; nil and empty are the same.
func setExpectSlice(t *testing.T, got, want []interval.Interval, what string, args ...any) bool {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got %v\nwant %v", fmt.Sprintf(what, args...), got, want)
		return false
	}
	return true
}

// assertSetIs checks that got is normalised and holds exactly the instants of
// want.
// The description is formatted only on failure: fuzz inputs grow to
// thousands of intervals, and printing them on every run would cost more
// than the run.
func assertSetIs(t *testing.T, want bits, got []interval.Interval, what string, args ...any) bool {
	t.Helper()
	ok := true
	if !interval.IsNormalized(got) {
		t.Errorf("%s: not normalised: %v", fmt.Sprintf(what, args...), got)
		ok = false
	}
	return setExpectSlice(t, got, want.Intervals(), what, args...) && ok
}

// setDst returns a destination for an Append function: a prefix that must
// survive, and a capacity that is none, tight or ample, so that both the
// in-place and the growing paths run.
func setDst(r *rand.Rand, room int) []interval.Interval {
	prefix := []interval.Interval{{Start: -7, End: -3}}
	switch r.IntN(3) {
	case 0:
		return prefix
	case 1:
		return append(make([]interval.Interval, 0, 1+r.IntN(room+1)), prefix...)
	}
	return append(make([]interval.Interval, 0, 1+room+r.IntN(8)), prefix...)
}

// setAppended checks that out kept dst's prefix and returns what was appended.
func setAppended(t *testing.T, out []interval.Interval) []interval.Interval {
	t.Helper()
	if len(out) == 0 || out[0] != (interval.Interval{Start: -7, End: -3}) {
		t.Fatalf("prefix of dst lost: %v", out)
	}
	return out[1:]
}

// setRandom returns a random normalised slice and its oracle.
func setRandom(r *rand.Rand, maxN int) ([]interval.Interval, bits) {
	raw := intervaloracle.RandomIntervals(r, maxN)
	return interval.Normalize(slices.Clone(raw)), intervaloracle.FromIntervals(raw...)
}

func setModelSeeds(t *testing.T) int {
	if testing.Short() {
		return 15
	}
	return 150
}

func TestSetModelSlices(t *testing.T) {
	for seed := range setModelSeeds(t) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(seed), 1))
			for round := range 20 {
				maxN := 1 + r.IntN(60)
				rawA := intervaloracle.RandomIntervals(r, maxN)
				rawB := intervaloracle.RandomIntervals(r, maxN)
				oa, ob := intervaloracle.FromIntervals(rawA...), intervaloracle.FromIntervals(rawB...)
				a := interval.Normalize(slices.Clone(rawA))
				b := interval.Normalize(slices.Clone(rawB))
				assertSetIs(t, oa, a, "round %d: Normalize(%v)", round, rawA)
				assertSetIs(t, ob, b, "round %d: Normalize(%v)", round, rawB)
				room := len(a) + len(b)

				got := setAppended(t, interval.AppendUnion(setDst(r, room), a, b))
				assertSetIs(t, oa.Union(ob), got, "round %d: AppendUnion(%v, %v)", round, a, b)
				got = setAppended(t, interval.AppendIntersect(setDst(r, room), a, b))
				assertSetIs(t, oa.Intersect(ob), got, "round %d: AppendIntersect(%v, %v)", round, a, b)
				got = setAppended(t, interval.AppendSubtract(setDst(r, room), a, b))
				assertSetIs(t, oa.Subtract(ob), got, "round %d: AppendSubtract(%v, %v)", round, a, b)
				got = setAppended(t, interval.AppendSubtract(setDst(r, room), b, a))
				assertSetIs(t, ob.Subtract(oa), got, "round %d: AppendSubtract(%v, %v)", round, b, a)
				// Identical and empty operands.
				got = setAppended(t, interval.AppendUnion(setDst(r, room), a, a))
				assertSetIs(t, oa, got, "round %d: AppendUnion(a, a) a=%v", round, a)
				got = setAppended(t, interval.AppendIntersect(setDst(r, room), a, a))
				assertSetIs(t, oa, got, "round %d: AppendIntersect(a, a) a=%v", round, a)
				got = setAppended(t, interval.AppendSubtract(setDst(r, room), a, a))
				assertSetIs(t, bits{}, got, "round %d: AppendSubtract(a, a) a=%v", round, a)
				got = setAppended(t, interval.AppendSubtract(setDst(r, room), a, nil))
				assertSetIs(t, oa, got, "round %d: AppendSubtract(a, nil) a=%v", round, a)

				w := intervaloracle.RandomWindow(r)
				got = setAppended(t, interval.AppendComplement(setDst(r, room), a, w))
				assertSetIs(t, oa.Complement(w), got, "round %d: AppendComplement(%v, %v)", round, a, w)
				got = setAppended(t, interval.AppendClip(setDst(r, room), a, w))
				assertSetIs(t, oa.Clip(w), got, "round %d: AppendClip(%v, %v)", round, a, w)
				got = setAppended(t, interval.AppendOverlapping(setDst(r, room), a, w))
				var want []interval.Interval
				for _, m := range a {
					if intervaloracle.FromIntervals(m).Overlaps(w) {
						want = append(want, m)
					}
				}
				setExpectSlice(t, got, want, "round %d: AppendOverlapping(%v, %v)", round, a, w)

				setExpect(t, interval.TotalLength(a), oa.Count(), "round %d: TotalLength(%v)", round, a)
				setExpect(t, interval.OverlapsInterval(a, w), oa.Overlaps(w), "round %d: OverlapsInterval(%v, %v)", round, a, w)
				setExpect(t, interval.CoversInterval(a, w), oa.Covers(w), "round %d: CoversInterval(%v, %v)", round, a, w)
				for _, m := range a { // a member is covered by its own set; a member widened by one is not
					setExpect(t, interval.CoversInterval(a, m), true, "round %d: CoversInterval(%v, %v)", round, a, m)
					wide := interval.Interval{Start: m.Start - 1, End: m.End}
					setExpect(t, interval.CoversInterval(a, wide), oa.Covers(wide), "round %d: CoversInterval(%v, %v)", round, a, wide)
				}
				for range 10 {
					pt := r.Int64N(intervaloracle.Size+4) - 2
					setExpect(t, interval.ContainsPoint(a, pt), oa.Contains(pt), "round %d: ContainsPoint(%v, %d)", round, a, pt)
					i := interval.Search(a, pt)
					for _, m := range a[:i] {
						setExpect(t, m.End <= pt, true, "round %d: Search(%v, %d) = %d skips a member ending after", round, a, pt, i)
					}
					if i < len(a) {
						setExpect(t, a[i].End > pt, true, "round %d: Search(%v, %d) = %d", round, a, pt, i)
					}
				}
			}
		})
	}
}

func TestSetModelKWay(t *testing.T) {
	var m interval.Merger // reused across all rounds and seeds on purpose
	for seed := range setModelSeeds(t) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(seed), 2))
			for round := range 10 {
				n := r.IntN(8)
				if r.IntN(10) == 0 {
					n = 60 + r.IntN(10) // across the stack-storage limit of 64
				}
				maxN := 1 + r.IntN(40)
				sets := make([][]interval.Interval, n)
				oracles := make([]bits, n)
				var union bits
				var inter bits
				for i := range sets {
					sets[i], oracles[i] = setRandom(r, maxN)
					if r.IntN(8) == 0 && i > 0 { // identical inputs
						sets[i], oracles[i] = sets[i-1], oracles[i-1]
					}
					union = union.Union(oracles[i])
					if i == 0 {
						inter = oracles[0]
					} else {
						inter = inter.Intersect(oracles[i])
					}
				}
				room := 0
				for _, s := range sets {
					room += len(s)
				}
				got := setAppended(t, interval.AppendUnionAll(setDst(r, room), sets...))
				assertSetIs(t, union, got, "round %d: AppendUnionAll(%v)", round, sets)
				got = setAppended(t, m.AppendUnionAll(setDst(r, room), sets...))
				assertSetIs(t, union, got, "round %d: Merger.AppendUnionAll(%v)", round, sets)
				got = setAppended(t, interval.AppendIntersectAll(setDst(r, room), sets...))
				assertSetIs(t, inter, got, "round %d: AppendIntersectAll(%v)", round, sets)
				got = setAppended(t, m.AppendIntersectAll(setDst(r, room), sets...))
				assertSetIs(t, inter, got, "round %d: Merger.AppendIntersectAll(%v)", round, sets)
				ks := []int{-1, 0, 1, 2, n / 2, n - 1, n, n + 1}
				if n < 10 {
					ks = ks[:0]
					for k := -1; k <= n+1; k++ {
						ks = append(ks, k)
					}
				}
				for _, k := range ks {
					// k < 1 is documented to mean 1.
					want := intervaloracle.AtLeast(max(k, 1), oracles...)
					got = setAppended(t, interval.AppendAtLeast(setDst(r, room), k, sets...))
					assertSetIs(t, want, got, "round %d: AppendAtLeast(%d, %v)", round, k, sets)
					got = setAppended(t, m.AppendAtLeast(setDst(r, room), k, sets...))
					assertSetIs(t, want, got, "round %d: Merger.AppendAtLeast(%d, %v)", round, k, sets)
				}
			}
		})
	}
}

func TestSetModelSet(t *testing.T) {
	for seed := range setModelSeeds(t) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(seed), 3))
			for round := range 10 {
				maxN := 1 + r.IntN(50)
				rawA := intervaloracle.RandomIntervals(r, maxN)
				rawB := intervaloracle.RandomIntervals(r, maxN)
				oa, ob := intervaloracle.FromIntervals(rawA...), intervaloracle.FromIntervals(rawB...)

				// Add, one interval at a time, checked after every step.
				var s interval.Set
				var model bits
				for _, iv := range rawA {
					s.Add(iv)
					model = model.Union(intervaloracle.FromIntervals(iv))
					if !assertSetIs(t, model, s.Intervals(), "round %d: after Add(%v)", round, iv) {
						return
					}
				}
				rawCopy := slices.Clone(rawB)
				sb := interval.NewSet(rawB...)
				if !slices.Equal(rawCopy, rawB) {
					t.Fatalf("NewSet modified its argument")
				}
				assertSetIs(t, ob, sb.Intervals(), "round %d: NewSet(%v)", round, rawB)
				sa := interval.NewSet(rawA...)
				setExpect(t, sa.Equal(s), true, "round %d: NewSet %v, Add %v", round, sa, s)

				assertSetIs(t, oa.Union(ob), sa.Union(sb).Intervals(), "round %d: %v.Union(%v)", round, sa, sb)
				assertSetIs(t, oa.Intersect(ob), sa.Intersect(sb).Intervals(), "round %d: %v.Intersect(%v)", round, sa, sb)
				assertSetIs(t, oa.Subtract(ob), sa.Subtract(sb).Intervals(), "round %d: %v.Subtract(%v)", round, sa, sb)
				w := intervaloracle.RandomWindow(r)
				assertSetIs(t, oa.Complement(w), sa.Complement(w).Intervals(), "round %d: %v.Complement(%v)", round, sa, w)
				assertSetIs(t, oa.Clip(w), sa.Clip(w).Intervals(), "round %d: %v.Clip(%v)", round, sa, w)
				setExpectSlice(t, slices.Collect(sa.Overlapping(w)), interval.AppendOverlapping(nil, sa.Intervals(), w), "round %d: %v.Overlapping(%v)", round, sa, w)
				setExpectSlice(t, slices.Collect(sa.All()), sa.Intervals(), "round %d: %v.All()", round, sa)
				setExpect(t, sa.Len(), len(oa.Intervals()), "round %d: %v.Len()", round, sa)
				setExpect(t, sa.TotalLength(), oa.Count(), "round %d: %v.TotalLength()", round, sa)
				setExpect(t, sa.Covers(w), oa.Covers(w), "round %d: %v.Covers(%v)", round, sa, w)
				setExpect(t, sa.Overlaps(w), oa.Overlaps(w), "round %d: %v.Overlaps(%v)", round, sa, w)
				pt := r.Int64N(intervaloracle.Size)
				setExpect(t, sa.Contains(pt), oa.Contains(pt), "round %d: %v.Contains(%d)", round, sa, pt)
				setExpect(t, sa.Equal(sb), oa == ob, "round %d: %v.Equal(%v)", round, sa, sb)

				// AddSet in place, into a clone so sa is left as it was.
				before := sa.Clone()
				u := sa.Clone()
				u.AddSet(sb)
				assertSetIs(t, oa.Union(ob), u.Intervals(), "round %d: %v.AddSet(%v)", round, sa, sb)
				setExpect(t, before.Equal(sa), true, "round %d: AddSet on a clone changed the original", round)
				// AddSet with spare capacity, and with an operand sharing storage.
				v := interval.NewSet(rawA...)
				v.Add(interval.Interval{Start: 5000, End: 5001}) // outside the oracle range, may leave spare capacity
				v.AddSet(sb)
				v.AddSet(v)
				want := append(oa.Union(ob).Intervals(), interval.Interval{Start: 5000, End: 5001})
				setExpectSlice(t, v.Intervals(), want, "round %d: AddSet with spare capacity and self", round)
				alias := v
				v.AddSet(alias)
				setExpectSlice(t, v.Intervals(), want, "round %d: AddSet of a copy sharing storage", round)
			}
		})
	}
}

// TestSetSlicesAgainstSet holds the slice functions against the Set methods
// on the same inputs, including the growing paths of the Append functions.
func TestSetSlicesAgainstSet(t *testing.T) {
	for seed := range setModelSeeds(t) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(seed), 4))
			a, _ := setRandom(r, 80)
			b, _ := setRandom(r, 80)
			sa, sb := interval.NewSet(a...), interval.NewSet(b...)
			w := intervaloracle.RandomWindow(r)
			setExpectSlice(t, sa.Union(sb).Intervals(), interval.AppendUnion(nil, a, b), "Union")
			setExpectSlice(t, sa.Intersect(sb).Intervals(), interval.AppendIntersect(nil, a, b), "Intersect")
			setExpectSlice(t, sa.Subtract(sb).Intervals(), interval.AppendSubtract(nil, a, b), "Subtract")
			setExpectSlice(t, sa.Complement(w).Intervals(), interval.AppendComplement(nil, a, w), "Complement")
			setExpectSlice(t, sa.Clip(w).Intervals(), interval.AppendClip(nil, a, w), "Clip")
			setExpectSlice(t, interval.AppendUnionAll(nil, a, b), sa.Union(sb).Intervals(), "UnionAll")
			setExpectSlice(t, interval.AppendAtLeast(nil, 2, a, b, a), sa.Intervals(), "at least 2 of a, b, a is a")
		})
	}
}

// TestSetGarbageInput feeds unnormalised slices to every function: the
// result is unspecified, but each call must return, without a panic, at
// most the number of intervals the worst case of normalised inputs allows.
func TestSetGarbageInput(t *testing.T) {
	for seed := range setModelSeeds(t) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(seed), 5))
			a := intervaloracle.RandomIntervals(r, 30)
			b := intervaloracle.RandomIntervals(r, 30)
			c := intervaloracle.RandomIntervals(r, 30)
			w := intervaloracle.RandomWindow(r)
			n := len(a) + len(b)
			atMost := func(what string, got []interval.Interval, limit int) {
				t.Helper()
				setExpect(t, len(got) <= limit, true, "%s returned %d intervals, more than %d", what, len(got), limit)
			}
			atMost("AppendUnion", interval.AppendUnion(nil, a, b), n)
			atMost("AppendIntersect", interval.AppendIntersect(nil, a, b), n)
			atMost("AppendSubtract", interval.AppendSubtract(nil, a, b), n)
			atMost("AppendComplement", interval.AppendComplement(nil, a, w), len(a)+1)
			atMost("AppendClip", interval.AppendClip(nil, a, w), len(a))
			atMost("AppendOverlapping", interval.AppendOverlapping(nil, a, w), len(a))
			atMost("AppendUnionAll", interval.AppendUnionAll(nil, a, b, c), n+len(c))
			atMost("AppendIntersectAll", interval.AppendIntersectAll(nil, a, b, c), 2*(n+len(c)))
			for k := range 4 {
				atMost(fmt.Sprintf("AppendAtLeast(%d)", k), interval.AppendAtLeast(nil, k, a, b, c), 2*(n+len(c)))
			}
			for _, pt := range []int64{-1, 0, w.Start, w.End} {
				i := interval.Search(a, pt)
				setExpect(t, i >= 0 && i <= len(a), true, "Search(%v, %d) = %d", a, pt, i)
				interval.ContainsPoint(a, pt)
			}
			interval.CoversInterval(a, w)
			interval.OverlapsInterval(a, w)
			interval.TotalLength(a)
		})
	}
}

// TestSetModelSkewed holds the galloping paths, taken when one input has many
// times more intervals than the other, against the oracle.
func TestSetModelSkewed(t *testing.T) {
	skewedRounds, rounds := 0, 0
	for seed := range setModelSeeds(t) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(seed), 6))
			for round := range 20 {
				rawL := intervaloracle.RandomFine(r, 200+r.IntN(400))
				rawS := intervaloracle.RandomIntervals(r, 1+r.IntN(6))
				ol, os := intervaloracle.FromIntervals(rawL...), intervaloracle.FromIntervals(rawS...)
				l := interval.Normalize(slices.Clone(rawL))
				s := interval.Normalize(slices.Clone(rawS))
				rounds++
				if len(s)*interval.SkewRatio < len(l) {
					skewedRounds++
				}
				room := len(l) + len(s)
				got := setAppended(t, interval.AppendUnion(setDst(r, room), l, s))
				assertSetIs(t, ol.Union(os), got, "round %d: AppendUnion(%v, %v)", round, l, s)
				got = setAppended(t, interval.AppendUnion(setDst(r, room), s, l))
				assertSetIs(t, ol.Union(os), got, "round %d: AppendUnion(%v, %v)", round, s, l)
				got = setAppended(t, interval.AppendIntersect(setDst(r, room), l, s))
				assertSetIs(t, ol.Intersect(os), got, "round %d: AppendIntersect(%v, %v)", round, l, s)
				got = setAppended(t, interval.AppendIntersect(setDst(r, room), s, l))
				assertSetIs(t, ol.Intersect(os), got, "round %d: AppendIntersect(%v, %v)", round, s, l)
				got = setAppended(t, interval.AppendSubtract(setDst(r, room), l, s))
				assertSetIs(t, ol.Subtract(os), got, "round %d: AppendSubtract(%v, %v)", round, l, s)
				got = setAppended(t, interval.AppendSubtract(setDst(r, room), s, l))
				assertSetIs(t, os.Subtract(ol), got, "round %d: AppendSubtract(%v, %v)", round, s, l)

				// In place, both ways round.
				big := interval.NewSet(rawL...)
				big.AddSet(interval.NewSet(rawS...))
				assertSetIs(t, ol.Union(os), big.Intervals(), "round %d: large.AddSet(small)", round)
				small := interval.NewSet(rawS...)
				small.AddSet(interval.NewSet(rawL...))
				assertSetIs(t, ol.Union(os), small.Intervals(), "round %d: small.AddSet(large)", round)
			}
		})
	}
	if skewedRounds*2 < rounds {
		t.Errorf("only %d of %d rounds were skewed enough to take the galloping paths", skewedRounds, rounds)
	}
}
