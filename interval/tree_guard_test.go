package interval_test

import (
	"math"
	"testing"

	"github.com/crossagenda/crossagenda/internal/testkit/treeoracle"
	"github.com/crossagenda/crossagenda/interval"
)

// TestGuardQueryWork bounds the work of overlap queries, counted in nodes
// visited (Tree) and entries plus implicit-tree nodes examined (Static), on
// the benchmark workload with and without a few very long intervals. The
// counts are deterministic; the bounds are O(log n + hits) with generous
// constants, far below what a linear scan or an unpruned descent would do.
func TestGuardQueryWork(t *testing.T) {
	sizes := []int{1_000, 10_000, 100_000}
	if testing.Short() {
		sizes = sizes[:2]
	}
	for _, long := range []int{0, 4} {
		perQuery := map[int]float64{}
		for _, n := range sizes {
			entries, queries := treeoracle.Workload(n, long, 1000, 3)
			var tree interval.Tree[int]
			for _, e := range entries {
				tree.Insert(e.Interval, e.Value)
			}
			static := interval.NewStatic(entries)
			var hits, visits, examined int
			for _, q := range queries {
				hits += len(tree.AppendOverlapping(nil, q))
				visits += interval.TreeVisits(&tree, q)
				ex, _ := interval.StaticExamined(static, q)
				examined += ex
			}
			logN := math.Log2(float64(n))
			nq := float64(len(queries))
			h, v, e := float64(hits)/nq, float64(visits)/nq, float64(examined)/nq
			t.Logf("long=%d n=%d: %.1f hits, tree %.1f visits, static %.1f examined per query", long, n, h, v, e)
			// Each long interval drags the descent down one more path.
			if limit := 2*float64(long+1)*logN + 2*h + 4; v > limit {
				t.Errorf("long=%d n=%d: Tree visits %.1f nodes per query, want at most %.1f", long, n, v, limit)
			}
			limit := 4 + 2*h // the bounded scan alone
			if long > 0 {
				limit = 20 + 4*float64(long+1)*logN + 2*h // scan budget, then the implicit tree
			}
			if e > limit {
				t.Errorf("long=%d n=%d: Static examined %.1f per query, want at most %.1f", long, n, e, limit)
			}
			perQuery[n] = v
		}
		// Growth: 100x the entries may cost at most 3x the visits (a
		// logarithmic cost grows about 1.7x here, a linear one 100x).
		first, last := sizes[0], sizes[len(sizes)-1]
		if ratio := perQuery[last] / perQuery[first]; ratio > 3 {
			t.Errorf("long=%d: Tree visits grew %.1fx from n=%d to n=%d", long, ratio, first, last)
		}
	}
}
