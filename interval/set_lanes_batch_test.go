package interval

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestLaneBatchesMatchCheckedLoops holds the batches to the checked loops
// they stand in for, step for step: each operation runs twice on the same
// inputs and the same dst, once with batches (of at least 1, 2 or 8 steps,
// advancing by branches or by conditional moves) and once with the checked
// loops alone, and must return the same result. Inputs are normalised or
// not — overlapping, unsorted, at the extremes of int64 — since the lanes
// must return the same thing whatever they are given; the intersection and
// the difference must also leave all of dst's array the same.
func TestLaneBatchesMatchCheckedLoops(t *testing.T) {
	ops := []struct {
		name string
		run  func(dst, a, b []Interval) ([]Interval, bool)
	}{{"union", unionLanes}, {"intersect", intersectLanes}, {"subtract", subtractLanes}}
	r := rand.New(rand.NewPCG(11, 12))
	rounds := 20000
	if testing.Short() {
		rounds = 2000
	}
	ran := map[string]int{}
	for round := range rounds {
		na, nb := 1+r.IntN(120), 1+r.IntN(120)
		if round%100 == 0 {
			na, nb = 1+r.IntN(3000), 1+r.IntN(3000)
		}
		a, b := laneTestInput(r, na), laneTestInput(r, nb)
		n := na + nb
		prefix := r.IntN(4)
		room := max(0, []int{n - 2, n - 1, n, n + 1, n + 7, r.IntN(2*n + 1)}[r.IntN(6)])
		back := make([]Interval, prefix+room+r.IntN(3))
		for i := range back {
			back[i] = Interval{int64(r.Uint64()), int64(r.Uint64())}
		}
		batch, predict := []int{1, 2, 8}[r.IntN(3)], []int{0, math.MaxInt}[r.IntN(2)]
		for _, op := range ops {
			run := func(least int) ([]Interval, bool, []Interval) {
				defer func(m, p int) { minBatch, predictMax = m, p }(minBatch, predictMax)
				minBatch, predictMax = least, predict
				arr := slices.Clone(back)
				got, ok := op.run(arr[:prefix:prefix+room], a, b)
				return slices.Clone(got), ok, arr
			}
			got, ok, arr := run(batch)
			want, wantOK, wantArr := run(math.MaxInt)
			if ok != wantOK || !slices.Equal(got, want) {
				i := 0
				for i < min(len(got), len(want)) && got[i] == want[i] {
					i++
				}
				t.Fatalf("round %d %s of %d and %d intervals (batches of %d or more, predictMax %d): ran %v, %d intervals, "+
					"the checked loops ran %v, %d intervals; they differ from interval %d",
					round, op.name, na, nb, batch, predict, ok, len(got), wantOK, len(want), i)
			}
			// The union's batches write one place ahead, past the result.
			if op.name != "union" && !slices.Equal(arr, wantArr) {
				t.Fatalf("round %d %s: dst's array differs beyond the result", round, op.name)
			}
			if ok {
				ran[op.name]++
			}
		}
	}
	for _, op := range ops {
		if ran[op.name] < rounds/10 {
			t.Errorf("the lanes of %s ran in %d rounds of %d", op.name, ran[op.name], rounds)
		}
	}
}

// laneTestInput returns n intervals of one of several shapes, most of them
// not normalised.
func laneTestInput(r *rand.Rand, n int) []Interval {
	out := make([]Interval, n)
	switch r.IntN(5) {
	case 0, 1: // normalised
		t := int64(r.IntN(20)) - 10
		for i := range out {
			t += 1 + int64(r.IntN(8))
			l := 1 + int64(r.IntN(10))
			out[i] = Interval{t, t + l}
			t += l
		}
	case 2: // sorted by start; overlapping, touching and empty members
		t := int64(r.IntN(20))
		for i := range out {
			t += int64(r.IntN(4))
			out[i] = Interval{t, t + int64(r.IntN(12)) - 2}
		}
	case 3: // anything, in a small range
		for i := range out {
			out[i] = Interval{int64(r.IntN(100)) - 50, int64(r.IntN(100)) - 50}
		}
	case 4: // anything, at the extremes
		vals := []int64{math.MinInt64, math.MinInt64 + 1, -1, 0, 1, math.MaxInt64 - 1, math.MaxInt64}
		for i := range out {
			out[i] = Interval{vals[r.IntN(len(vals))], vals[r.IntN(len(vals))]}
		}
	}
	return out
}
