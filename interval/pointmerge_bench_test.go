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
	input := func(n int) []Interval {
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
	for _, n := range []int{8, 16, 24, 32, 100, 1000, 10000} {
		x, y := input(n), input(n)
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
