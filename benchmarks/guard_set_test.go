package benchmarks

import (
	"github.com/crossagenda/crossagenda/internal/race"
	"testing"

	"github.com/crossagenda/crossagenda/interval"
)

// TestGuardSetAllocs pins the allocation counts of the set algebra's hot
// paths: with a dst that has room, none of them allocates, and AppendAtLeast
// allocates its cursors only above 64 inputs.
func TestGuardSetAllocs(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector allocates")
	}
	const n = 1000
	a, b := setInput(1, n, 50, 50), setInput(2, n, 50, 50)
	window := interval.Interval{Start: a[10].Start, End: a[n-10].End}
	small := setSets(10, 100, false)
	many := setSets(200, 50, false) // more inputs than AppendAtLeast keeps on the stack
	dst := make([]interval.Interval, 0, 2*n+len(many)*50)
	unsorted := make([]interval.Interval, 0, 2*n)

	tests := []struct {
		name string
		want float64
		run  func()
	}{
		{"AppendUnion", 0, func() { dst = interval.AppendUnion(dst[:0], a, b) }},
		{"AppendIntersect", 0, func() { dst = interval.AppendIntersect(dst[:0], a, b) }},
		{"AppendSubtract", 0, func() { dst = interval.AppendSubtract(dst[:0], a, b) }},
		{"AppendClip", 0, func() { dst = interval.AppendClip(dst[:0], a, window) }},
		{"Normalize sorted", 0, func() { interval.Normalize(append(unsorted[:0], a...)) }},
		{"Normalize unsorted", 0, func() { interval.Normalize(append(append(unsorted[:0], b...), a...)) }},
		{"Search", 0, func() { interval.Search(a, 5000) }},
		{"AppendAtLeast k=1 of 10", 0, func() { dst = interval.AppendAtLeast(dst[:0], 1, small...) }},
		{"AppendAtLeast k=3 of 10", 0, func() { dst = interval.AppendAtLeast(dst[:0], 3, small...) }},
		{"AppendAtLeast k=10 of 10", 0, func() { dst = interval.AppendAtLeast(dst[:0], 10, small...) }},
		// Above 64 inputs it allocates its cursors: a tree and a position
		// per input, two allocations.
		{"AppendAtLeast k=1 of 200", 2, func() { dst = interval.AppendAtLeast(dst[:0], 1, many...) }},
		{"AppendAtLeast k=2 of 200", 2, func() { dst = interval.AppendAtLeast(dst[:0], 2, many...) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := testing.AllocsPerRun(20, tt.run); got != tt.want {
				t.Errorf("%s: %v allocations per run, want %v", tt.name, got, tt.want)
			}
		})
	}
}
