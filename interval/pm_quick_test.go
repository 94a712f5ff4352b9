package interval

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func randSet(r *rand.Rand, n int, span int64) []Interval {
	var out []Interval
	t := int64(r.IntN(3))
	for len(out) < n {
		t += 1 + r.Int64N(span)
		e := t + 1 + r.Int64N(span)
		out = append(out, Interval{t, e})
		t = e
	}
	return out
}

func TestPointsQuick(t *testing.T) {
	if !vectorMerge { t.Fatal("no vector") }
	r := rand.New(rand.NewPCG(1, 2))
	ops := []struct {
		name string
		op   *pointOp
	}{{"union", unionPoints}, {"intersect", intersectPoints}, {"subtract", subtractPoints}}
	for round := 0; round < 20000; round++ {
		na, nb := 1+r.IntN(40), 1+r.IntN(40)
		if round%4 == 0 {
			na, nb = 1+r.IntN(400), 1+r.IntN(400)
		}
		span := int64(1 + r.IntN(4))
		a, b := randSet(r, na, span), randSet(r, nb, span)
		for _, o := range ops {
			dst := make([]Interval, 1, 2+na+nb)
			got, ok := appendPoints(dst, a, b, o.op)
			if !ok {
				if len(a)+len(b) >= pointMin {
					t.Fatalf("%s: not ok", o.name)
				}
				continue
			}
			vectorMerge = false
			var want []Interval
			switch o.name {
			case "union":
				want = AppendUnion(make([]Interval, 1, 2+na+nb), a, b)
			case "intersect":
				want = AppendIntersect(make([]Interval, 1, 2+na+nb), a, b)
			case "subtract":
				want = AppendSubtract(make([]Interval, 1, 2+na+nb), a, b)
			}
			vectorMerge = true
			if !slices.Equal(got, want) {
				t.Fatalf("%s round %d\na=%v\nb=%v\ngot  %v\nwant %v", o.name, round, a, b, got, want)
			}
		}
	}
}
