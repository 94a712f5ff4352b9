package interval_test

import (
	"math"
	"slices"
	"testing"

	"github.com/crossagenda/crossagenda/interval"
)

// setOf builds a slice from flat start, end pairs.
func setOf(pairs ...int64) []interval.Interval {
	out := make([]interval.Interval, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, interval.Interval{Start: pairs[i], End: pairs[i+1]})
	}
	return out
}

const (
	setMin = math.MinInt64
	setMax = math.MaxInt64
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name string
		give []interval.Interval
		want []interval.Interval
	}{
		{"nil", nil, nil},
		{"only empties", setOf(3, 3, 5, 1), nil},
		{"sorted disjoint", setOf(1, 2, 4, 5), setOf(1, 2, 4, 5)},
		{"touching merge", setOf(1, 2, 2, 3, 3, 4), setOf(1, 4)},
		{"unsorted", setOf(8, 9, 1, 2, 4, 5), setOf(1, 2, 4, 5, 8, 9)},
		{"nested", setOf(1, 10, 2, 3, 4, 5), setOf(1, 10)},
		{"identical", setOf(4, 6, 4, 6, 4, 6), setOf(4, 6)},
		{"empties between", setOf(1, 2, 7, 7, 2, 2, 3, 4), setOf(1, 2, 3, 4)},
		{"overlap chain", setOf(5, 7, 1, 3, 2, 6), setOf(1, 7)},
		{"empty touching is dropped", setOf(1, 2, 3, 3, 4, 5), setOf(1, 2, 4, 5)},
		{"extremes", setOf(0, setMax, setMin, 0), setOf(setMin, setMax)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := interval.Normalize(slices.Clone(tt.give))
			setExpectSlice(t, got, tt.want, "Normalize(%v)", tt.give)
			setExpect(t, isNormalized(got), true, "Normalize(%v) = %v is not normalised", tt.give, got)
		})
	}
}

func TestSetBinaryOps(t *testing.T) {
	tests := []struct {
		name                       string
		a, b                       []interval.Interval
		union, intersect, subtract []interval.Interval
	}{
		{
			name: "both empty",
		},
		{
			name: "one empty", a: setOf(1, 3, 5, 8),
			union: setOf(1, 3, 5, 8), subtract: setOf(1, 3, 5, 8),
		},
		{
			name: "disjoint interleaved", a: setOf(1, 2, 5, 6), b: setOf(3, 4, 7, 9),
			union: setOf(1, 2, 3, 4, 5, 6, 7, 9), subtract: setOf(1, 2, 5, 6),
		},
		{
			name: "touching merges in union, vanishes in intersect", a: setOf(1, 3, 6, 8), b: setOf(3, 6),
			union: setOf(1, 8), subtract: setOf(1, 3, 6, 8),
		},
		{
			name: "identical", a: setOf(1, 3, 6, 8), b: setOf(1, 3, 6, 8),
			union: setOf(1, 3, 6, 8), intersect: setOf(1, 3, 6, 8),
		},
		{
			name: "nested", a: setOf(0, 100), b: setOf(10, 20, 30, 40),
			union: setOf(0, 100), intersect: setOf(10, 20, 30, 40), subtract: setOf(0, 10, 20, 30, 40, 100),
		},
		{
			name: "b covers a", a: setOf(10, 20, 30, 40), b: setOf(0, 100),
			union: setOf(0, 100), intersect: setOf(10, 20, 30, 40),
		},
		{
			name: "one interval bridges a gap", a: setOf(1, 4, 6, 9), b: setOf(3, 7),
			union: setOf(1, 9), intersect: setOf(3, 4, 6, 7), subtract: setOf(1, 3, 7, 9),
		},
		{
			name: "tail of a after b", a: setOf(1, 3, 10, 12, 20, 22), b: setOf(2, 11),
			union: setOf(1, 12, 20, 22), intersect: setOf(2, 3, 10, 11), subtract: setOf(1, 2, 11, 12, 20, 22),
		},
		{
			name: "shared endpoints", a: setOf(0, 5, 10, 15), b: setOf(0, 5, 12, 15),
			union: setOf(0, 5, 10, 15), intersect: setOf(0, 5, 12, 15), subtract: setOf(10, 12),
		},
		{
			name: "extremes", a: setOf(setMin, -5, 0, setMax), b: setOf(setMin+1, 1, 10, setMax-1),
			union:     setOf(setMin, setMax),
			intersect: setOf(setMin+1, -5, 0, 1, 10, setMax-1),
			subtract:  setOf(setMin, setMin+1, 1, 10, setMax-1, setMax),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			setExpectSlice(t, interval.AppendUnion(nil, tt.a, tt.b), tt.union, "AppendUnion(%v, %v)", tt.a, tt.b)
			setExpectSlice(t, interval.AppendUnion(nil, tt.b, tt.a), tt.union, "AppendUnion(%v, %v)", tt.b, tt.a)
			setExpectSlice(t, interval.AppendIntersect(nil, tt.a, tt.b), tt.intersect, "AppendIntersect(%v, %v)", tt.a, tt.b)
			setExpectSlice(t, interval.AppendIntersect(nil, tt.b, tt.a), tt.intersect, "AppendIntersect(%v, %v)", tt.b, tt.a)
			setExpectSlice(t, interval.AppendSubtract(nil, tt.a, tt.b), tt.subtract, "AppendSubtract(%v, %v)", tt.a, tt.b)
			// The same through the k-way functions.
			setExpectSlice(t, interval.AppendAtLeast(nil, 1, tt.a, tt.b, tt.a), tt.union, "AppendAtLeast(1, a, b, a)")
			setExpectSlice(t, interval.AppendAtLeast(nil, 3, tt.a, tt.b, tt.a), tt.intersect, "AppendAtLeast(3, a, b, a)")
		})
	}
}

func TestAppendClip(t *testing.T) {
	a := setOf(2, 4, 6, 8, 10, 12)
	tests := []struct {
		name   string
		window interval.Interval
		clip   []interval.Interval
	}{
		{"empty window", interval.Interval{Start: 5, End: 5}, nil},
		{"inverted window", interval.Interval{Start: 9, End: 3}, nil},
		{"all", interval.Interval{Start: 0, End: 20}, a},
		{"exact", interval.Interval{Start: 2, End: 12}, a},
		{"inside a member", interval.Interval{Start: 6, End: 7}, setOf(6, 7)},
		{"inside a gap", interval.Interval{Start: 4, End: 6}, nil},
		{"cuts members", interval.Interval{Start: 3, End: 11}, setOf(3, 4, 6, 8, 10, 11)},
		{"before", interval.Interval{Start: -5, End: 1}, nil},
		{"after", interval.Interval{Start: 12, End: 14}, nil},
		{"whole line", interval.Interval{Start: setMin, End: setMax}, a},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			setExpectSlice(t, interval.AppendClip(nil, a, tt.window), tt.clip, "AppendClip(%v, %v)", a, tt.window)
		})
	}
}

func TestSearch(t *testing.T) {
	a := setOf(2, 4, 6, 8)
	for _, tt := range []struct {
		t      int64
		search int
	}{
		{setMin, 0}, {1, 0}, {2, 0}, {3, 0}, {4, 1}, {5, 1}, {6, 1}, {7, 1}, {8, 2}, {setMax, 2},
	} {
		setExpect(t, interval.Search(a, tt.t), tt.search, "Search(%v, %d)", a, tt.t)
	}
}

func TestAppendKWay(t *testing.T) {
	x := setOf(0, 10, 20, 30)
	y := setOf(5, 25)
	z := setOf(8, 22, 28, 40)
	w := setOf(40, 50) // touches z
	tests := []struct {
		name string
		k    int
		sets [][]interval.Interval
		want []interval.Interval
	}{
		{"no sets", 1, nil, nil},
		{"k above n", 4, [][]interval.Interval{x, y, z}, nil},
		{"k zero means one", 0, [][]interval.Interval{x, y}, setOf(0, 30)},
		{"k negative means one", -3, [][]interval.Interval{x, w}, setOf(0, 10, 20, 30, 40, 50)},
		{"union touching", 1, [][]interval.Interval{x, z, w}, setOf(0, 50)},
		{"one set", 1, [][]interval.Interval{x}, x},
		{"2 of 3", 2, [][]interval.Interval{x, y, z}, setOf(5, 25, 28, 30)},
		{"3 of 3", 3, [][]interval.Interval{x, y, z}, setOf(8, 10, 20, 22)},
		{"2 of 4 with touching", 2, [][]interval.Interval{x, y, z, w}, setOf(5, 25, 28, 30)},
		{"with empty sets", 2, [][]interval.Interval{nil, x, nil, y}, setOf(5, 10, 20, 25)},
		{"all of sets with one empty", 3, [][]interval.Interval{x, nil, y}, nil},
		{"same set thrice", 3, [][]interval.Interval{x, x, x}, x},
		{"ends at the last instant", 2, [][]interval.Interval{setOf(0, setMax), setOf(5, setMax), setOf(3, 4)}, setOf(3, 4, 5, setMax)},
		{"starts at the first instant", 2, [][]interval.Interval{setOf(setMin, 0), setOf(setMin, 7), setOf(-1, 1)}, setOf(setMin, 1)},
		{"whole line thrice", 2, [][]interval.Interval{setOf(setMin, setMax), setOf(setMin, setMax), setOf(setMin, setMax)}, setOf(setMin, setMax)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			setExpectSlice(t, interval.AppendAtLeast(nil, tt.k, tt.sets...), tt.want, "AppendAtLeast(%d, %v)", tt.k, tt.sets)
		})
	}
}

// TestSetSkewed covers the galloping paths with inputs whose sizes differ
// by more than interval.SkewRatio, where a long member of the large input
// spans several members of the small one.
func TestSetSkewed(t *testing.T) {
	// members returns [10i, 10i+5) for i in [from, to).
	members := func(from, to int64) []interval.Interval {
		var out []interval.Interval
		for i := from; i < to; i++ {
			out = append(out, interval.Interval{Start: 10 * i, End: 10*i + 5})
		}
		return out
	}
	large := append(members(0, 80), setOf(1000, 2000, 3000, 3001)...)
	if 2*interval.SkewRatio >= len(large) {
		t.Fatalf("large input of %d intervals is not skewed enough", len(large))
	}
	inside := setOf(1100, 1200, 1300, 1400)
	across := setOf(3, 22, 2500, 2600)
	tests := []struct {
		name string
		op   func(dst, a, b []interval.Interval) []interval.Interval
		a, b []interval.Interval
		want []interval.Interval
	}{
		{"union inside", interval.AppendUnion, large, inside, large},
		{"union inside reversed", interval.AppendUnion, inside, large, large},
		{"intersect inside", interval.AppendIntersect, large, inside, inside},
		{"intersect inside reversed", interval.AppendIntersect, inside, large, inside},
		{"subtract inside", interval.AppendSubtract, large, inside,
			append(members(0, 80), setOf(1000, 1100, 1200, 1300, 1400, 2000, 3000, 3001)...)},
		{"subtract from inside", interval.AppendSubtract, inside, large, nil},
		{"union across", interval.AppendUnion, large, across,
			slices.Concat(setOf(0, 25), members(3, 80), setOf(1000, 2000, 2500, 2600, 3000, 3001))},
		{"intersect across", interval.AppendIntersect, across, large, setOf(3, 5, 10, 15, 20, 22)},
		{"subtract across", interval.AppendSubtract, large, across,
			slices.Concat(setOf(0, 3, 22, 25), members(3, 80), setOf(1000, 2000, 3000, 3001))},
		{"subtract from across", interval.AppendSubtract, across, large, setOf(5, 10, 15, 20, 2500, 2600)},
		{"subtract empty", interval.AppendSubtract, large, nil, large},
		{"subtract from empty", interval.AppendSubtract, nil, large, nil},
		{"intersect empty", interval.AppendIntersect, nil, large, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			setExpectSlice(t, tt.op(nil, tt.a, tt.b), tt.want, "%s", tt.name)
		})
	}
}
