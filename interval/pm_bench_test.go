package interval

import (
	"math/rand/v2"
	"testing"
)

func BenchmarkPointsRaw(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	mk := func(n int) []Interval {
		out := make([]Interval, n)
		t := int64(0)
		for i := range out {
			t += 1 + r.Int64N(100)
			e := t + 1 + r.Int64N(100)
			out[i] = Interval{t, e}
			t = e
		}
		return out
	}
	x, y := mk(10000), mk(10000)
	dst := make([]Interval, 0, 20001)
	for b.Loop() {
		dst, _ = appendPoints(dst[:0], x, y, unionPoints)
	}
}
