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
	if !isNormalized(got) {
		t.Errorf("%s: not normalised: %v", fmt.Sprintf(what, args...), got)
		ok = false
	}
	return setExpectSlice(t, got, want.Intervals(), what, args...) && ok
}

// isNormalized reports whether a is normalised: non-empty intervals sorted
// by Start, with a gap between each and the next.
func isNormalized(a []interval.Interval) bool {
	for i, iv := range a {
		if iv.End <= iv.Start || (i > 0 && a[i-1].End >= iv.Start) {
			return false
		}
	}
	return true
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
				got = setAppended(t, interval.AppendClip(setDst(r, room), a, w))
				assertSetIs(t, oa.Clip(w), got, "round %d: AppendClip(%v, %v)", round, a, w)
				for range 10 {
					pt := r.Int64N(intervaloracle.Size+4) - 2
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
				got := setAppended(t, interval.AppendAtLeast(setDst(r, room), 1, sets...))
				assertSetIs(t, union, got, "round %d: AppendAtLeast(1, %v)", round, sets)
				if n > 0 {
					got = setAppended(t, interval.AppendAtLeast(setDst(r, room), n, sets...))
					assertSetIs(t, inter, got, "round %d: AppendAtLeast(%d, %v)", round, n, sets)
				}
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
				}
			}
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
			atMost("AppendClip", interval.AppendClip(nil, a, w), len(a))
			for k := range 4 {
				atMost(fmt.Sprintf("AppendAtLeast(%d)", k), interval.AppendAtLeast(nil, k, a, b, c), 2*(n+len(c)))
			}
			for _, pt := range []int64{-1, 0, w.Start, w.End} {
				i := interval.Search(a, pt)
				setExpect(t, i >= 0 && i <= len(a), true, "Search(%v, %d) = %d", a, pt, i)
			}
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
			}
		})
	}
	if skewedRounds*2 < rounds {
		t.Errorf("only %d of %d rounds were skewed enough to take the galloping paths", skewedRounds, rounds)
	}
}
