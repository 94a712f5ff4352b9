package benchmarks

import (
	"github.com/crossagenda/crossagenda/internal/race"
	"testing"

	"github.com/crossagenda/crossagenda/internal/testkit/treeoracle"
	"github.com/crossagenda/crossagenda/interval"
)

// TestGuardTreeAllocs pins the allocation behaviour of the interval trees:
// queries into a buffer with room allocate nothing, building a tree by
// inserts allocates only when the node array grows, and deleting and
// reinserting reuses freed nodes.
func TestGuardTreeAllocs(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector changes allocation counts")
	}
	const n = 10_000
	entries, queries := treeoracle.Workload(n, 2, 256, 7)
	var tree interval.Tree[int]
	for _, e := range entries {
		tree.Insert(e.Interval, e.Value)
	}
	static := interval.NewStatic(entries)
	dst := make([]interval.Entry[int], 0, n)

	reads := map[string]func(i int){
		"Tree.AppendOverlapping":   func(i int) { dst = tree.AppendOverlapping(dst[:0], queries[i]) },
		"Static.AppendOverlapping": func(i int) { dst = static.AppendOverlapping(dst[:0], queries[i]) },
	}
	for name, read := range reads {
		i := 0
		got := testing.AllocsPerRun(len(queries), func() {
			read(i % len(queries))
			i++
		})
		if got != 0 {
			t.Errorf("%s: %v allocations per call with a large enough buffer, want 0", name, got)
		}
	}

	// Building by inserts: two arrays (nodes, values) that grow
	// geometrically, so O(log n) allocations in all, whatever n.
	builds := testing.AllocsPerRun(3, func() {
		var tr interval.Tree[int]
		for _, e := range entries {
			tr.Insert(e.Interval, e.Value)
		}
	})
	if builds > 80 {
		t.Errorf("building a tree of %d entries by inserts: %v allocations, want at most 80", n, builds)
	}

	// Deleting and reinserting reuses freed nodes: no allocation at all.
	churn := testing.AllocsPerRun(1000, func() {
		e := entries[0]
		tree.Delete(e.Interval, e.Value)
		tree.Insert(e.Interval, e.Value)
	})
	if churn != 0 {
		t.Errorf("Delete then Insert: %v allocations, want 0", churn)
	}
}
