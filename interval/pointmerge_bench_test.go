package interval

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkPointMerge compares the forms of the vector endpoint merge this
// machine runs with the two-lane merges they replace, on the union of two interleaved inputs, from sizes
// below each form's minimum (lowered for the purpose) up, to place it.
func BenchmarkPointMerge(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{8, 16, 24, 32, 100, 300, 1000, 10000, 30000} {
		x, y := randomSet(r, n), randomSet(r, n)
		dst := make([]Interval, 0, 2*n+1)
		for _, impl := range append(VectorMerges(), "lanes") {
			b.Run(fmt.Sprintf("n=%d/impl=%s", n, impl), func(b *testing.B) {
				if impl == "lanes" {
					impl = ""
				}
				defer UseVectorMerge(impl)()
				defer LowerPointMin()()
				for b.Loop() {
					dst = AppendUnion(dst[:0], x, y)
				}
			})
		}
	}
}

// BenchmarkLaneBatches times the two-lane merges with their steps in
// unchecked batches and, for comparison, all in the checked loops, on two
// inputs of n intervals in random order.
func BenchmarkLaneBatches(b *testing.B) {
	defer UseVectorMerge("")()
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{100, 1000, 10000, 100000} {
		x, y := randomSet(r, n), randomSet(r, n)
		dst := make([]Interval, 0, 2*n+1)
		for _, op := range []struct {
			name string
			run  func(dst, a, b []Interval) []Interval
		}{{"union", AppendUnion}, {"intersect", AppendIntersect}, {"subtract", AppendSubtract}} {
			for _, impl := range []string{"batches", "checked"} {
				b.Run(fmt.Sprintf("op=%s/n=%d/impl=%s", op.name, n, impl), func(b *testing.B) {
					if impl == "checked" {
						defer CheckedLanes()()
					}
					for b.Loop() {
						dst = op.run(dst[:0], x, y)
					}
				})
			}
		}
	}
}

// randomSet returns n intervals with gaps and lengths drawn from 1 to 100:
// two of them interleave at random.
func randomSet(r *rand.Rand, n int) []Interval {
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
