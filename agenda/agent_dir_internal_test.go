package agenda

import (
	"fmt"
	"testing"
)

// TestAgentDir: with replaces agents by number and leaves the directory it
// was called on, and the list it was built from, as they were; at and all
// read agents in number order, across chunk boundaries.
func TestAgentDir(t *testing.T) {
	for _, n := range []int{0, 1, agentChunk - 1, agentChunk, agentChunk + 1, 3*agentChunk + 7} {
		list := make([]*agentData, n)
		for i := range list {
			list[i] = &agentData{idx: int32(i), id: fmt.Sprint("a", i)}
		}
		d := newAgentDir(list)
		check := func(what string, d agentDir, want func(i int) string) {
			t.Helper()
			seen := 0
			for i, a := range d.all() {
				if int(i) != seen || a.id != want(seen) || d.at(i) != a {
					t.Fatalf("n=%d %s: all yields %d %s at its %dth step, at(%d) %s; want %s", n, what, i, a.id, seen, i, d.at(i).id, want(seen))
				}
				seen++
			}
			if seen != n {
				t.Fatalf("n=%d %s: all yields %d agents", n, what, seen)
			}
		}
		orig := func(i int) string { return fmt.Sprint("a", i) }
		check("built", d, orig)
		if n == 0 {
			continue
		}
		// Two agents of one chunk, and the last agent.
		changed := map[int]bool{0: true, min(1, n-1): true, n - 1: true}
		var updated []*agentData
		for i := range changed {
			updated = append(updated, &agentData{idx: int32(i), id: fmt.Sprint("b", i)})
		}
		next := d.with(updated)
		check("with", next, func(i int) string {
			if changed[i] {
				return fmt.Sprint("b", i)
			}
			return orig(i)
		})
		check("the directory with was called on", d, orig)
		for i, a := range list {
			if a.id != orig(i) {
				t.Fatalf("n=%d: the list the directory was built from changed at %d: %s", n, i, a.id)
			}
		}
	}
}
