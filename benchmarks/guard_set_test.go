package benchmarks

import (
	"github.com/crossagenda/crossagenda/internal/race"
	"testing"

	"github.com/crossagenda/crossagenda/interval"
)

// TestGuardSetAllocs pins the allocation counts of the set algebra's hot
// paths: with a dst that has room, none of them allocates, and a warm Merger
// merges any number of inputs without allocating.
func TestGuardSetAllocs(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector allocates")
	}
	const n = 1000
	a, b := setInput(1, n, 50, 50), setInput(2, n, 50, 50)
	window := interval.Interval{Start: a[10].Start, End: a[n-10].End}
	small := setSets(10, 100, false)
	many := setSets(200, 50, false) // more inputs than the package functions keep on the stack
	dst := make([]interval.Interval, 0, 2*n+len(many)*50)
	unsorted := make([]interval.Interval, 0, 2*n)
	var m interval.Merger
	var set interval.Set
	set.AddSet(interval.NewSet(a...))

	tests := []struct {
		name string
		want float64
		run  func()
	}{
		{"AppendUnion", 0, func() { dst = interval.AppendUnion(dst[:0], a, b) }},
		{"AppendIntersect", 0, func() { dst = interval.AppendIntersect(dst[:0], a, b) }},
		{"AppendSubtract", 0, func() { dst = interval.AppendSubtract(dst[:0], a, b) }},
		{"AppendComplement", 0, func() { dst = interval.AppendComplement(dst[:0], a, window) }},
		{"AppendClip", 0, func() { dst = interval.AppendClip(dst[:0], a, window) }},
		{"AppendOverlapping", 0, func() { dst = interval.AppendOverlapping(dst[:0], a, window) }},
		{"Normalize sorted", 0, func() { interval.Normalize(append(unsorted[:0], a...)) }},
		{"Normalize unsorted", 0, func() { interval.Normalize(append(append(unsorted[:0], b...), a...)) }},
		{"queries", 0, func() {
			interval.Search(a, 5000)
			interval.ContainsPoint(a, 5000)
			interval.CoversInterval(a, window)
			interval.OverlapsInterval(a, window)
			interval.TotalLength(a)
		}},
		{"AppendUnionAll k=10", 0, func() { dst = interval.AppendUnionAll(dst[:0], small...) }},
		{"AppendIntersectAll k=10", 0, func() { dst = interval.AppendIntersectAll(dst[:0], small...) }},
		{"AppendAtLeast k=10", 0, func() { dst = interval.AppendAtLeast(dst[:0], 3, small...) }},
		{"AppendUnionAll variadic", 0, func() { dst = interval.AppendUnionAll(dst[:0], a, b, a) }},
		// Above 64 inputs the package functions allocate their cursors: a
		// tree and a position per input, two allocations.
		{"AppendUnionAll k=200", 2, func() { dst = interval.AppendUnionAll(dst[:0], many...) }},
		{"AppendAtLeast k=200", 2, func() { dst = interval.AppendAtLeast(dst[:0], 2, many...) }},
		{"Merger.AppendUnionAll k=200", 0, func() { dst = m.AppendUnionAll(dst[:0], many...) }},
		{"Merger.AppendIntersectAll k=200", 0, func() { dst = m.AppendIntersectAll(dst[:0], many...) }},
		{"Merger.AppendAtLeast k=200", 0, func() { dst = m.AppendAtLeast(dst[:0], 2, many...) }},
		{"Set reads", 0, func() {
			set.Contains(5000)
			set.Covers(window)
			set.Overlaps(window)
			set.TotalLength()
			set.Intervals()
		}},
		{"Set.All", 0, func() {
			for range set.All() {
			}
		}},
		{"Set.Overlapping", 0, func() {
			for range set.Overlapping(window) {
			}
		}},
		// A Set built once holds one array; Union returns a new one.
		{"Set.Union", 1, func() { set.Union(set) }},
	}
	m.AppendAtLeast(nil, 2, many...) // warm the Merger up
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := testing.AllocsPerRun(20, tt.run); got != tt.want {
				t.Errorf("%s: %v allocations per run, want %v", tt.name, got, tt.want)
			}
		})
	}

	// Add and AddSet work in place once the set has room.
	t.Run("Set.Add in place", func(t *testing.T) {
		var s interval.Set
		s.AddSet(interval.NewSet(a...))
		s.Add(interval.Interval{Start: -10, End: -5}) // grows once, leaving spare capacity
		i := 0
		got := testing.AllocsPerRun(20, func() {
			i++
			s.Add(interval.Interval{Start: a[10*i].End, End: a[10*i+1].Start})     // bridges a gap: one interval fewer
			s.Add(interval.Interval{Start: int64(-20 * i), End: int64(-20*i + 5)}) // a new one at the front
		})
		if s.Len() != n+1 {
			t.Fatalf("Set.Len() = %d after the runs, want %d", s.Len(), n+1)
		}
		if got != 0 {
			t.Errorf("Set.Add with room: %v allocations per run, want 0", got)
		}
	})
}
