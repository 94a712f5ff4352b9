package interval

import "testing"

// TestPointFlipsRule holds the rule by which the merges keep an endpoint,
// its tie bit against the parity of its index in the merge, to the
// definition: the operation's status, from whether the merge is inside a
// and inside b, changes at that endpoint. Every merge of up to 6 + 6
// endpoints is tried, in every order.
func TestPointFlipsRule(t *testing.T) {
	for name, op := range map[string]*pointOp{"union": unionPoints, "intersect": intersectPoints, "subtract": subtractPoints} {
		for na := 0; na <= 6; na++ {
			for nb := 0; nb <= 6; nb++ {
				// order's bits, na+nb of them, say which input each merged
				// endpoint comes from: 0 for a, 1 for b.
				for order := 0; order < 1<<(na+nb); order++ {
					i, j := 0, 0
					for k := range na + nb {
						s := order >> k & 1
						if (s == 0 && i == na) || (s == 1 && j == nb) {
							break // not an order of na and nb endpoints
						}
						before := op.inside(i&1 == 1, j&1 == 1)
						var got bool
						if s == 0 {
							got = op.flips(0, i, k)
							i++
						} else {
							got = op.flips(1, j, k)
							j++
						}
						if want := op.inside(i&1 == 1, j&1 == 1) != before; got != want {
							t.Fatalf("%s: endpoint %d of the merge, from %s, flips = %v, want %v", name, k, "ab"[s:s+1], got, want)
						}
					}
				}
			}
		}
	}
}
