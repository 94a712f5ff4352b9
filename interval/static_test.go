package interval_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/crossagenda/crossagenda/internal/testkit/treeoracle"
	"github.com/crossagenda/crossagenda/interval"
)

func mustBeValidStatic[V any](t testing.TB, s *interval.Static[V]) {
	t.Helper()
	if err := interval.ValidateStatic(s); err != nil {
		t.Fatal(err)
	}
}

// checkStatic compares the overlap query of s with the model over entries,
// appending after an element that must survive.
func checkStatic[V comparable](t testing.TB, s *interval.Static[V], entries []interval.Entry[V], q interval.Interval) {
	t.Helper()
	want := treeoracle.Overlapping(entries, q)
	prefix := []interval.Entry[V]{{Interval: iv{-1, 1}}}
	mustEqual(t, s.AppendOverlapping(prefix, q), append(prefix, want...), "AppendOverlapping(%v)", q)
}

func TestStaticZeroValue(t *testing.T) {
	var s interval.Static[int]
	mustBeValidStatic(t, &s)
	checkEqual(t, s.Len(), 0, "Len")
	checkStatic(t, &s, nil, iv{math.MinInt64, math.MaxInt64})
	checkEqual(t, collect(s.All()), []interval.Entry[int](nil), "All")
	mustBeValidStatic(t, interval.NewStatic[int](nil))
}

func TestStaticQueries(t *testing.T) {
	in := []entry{
		{iv{1, 3}, "a"}, {iv{3, 5}, "b"}, {iv{4, 4}, "empty"}, {iv{0, 10}, "c"}, {iv{3, 5}, "d"}, {iv{7, 8}, "e"},
		{iv{math.MinInt64, -100}, "lo"}, {iv{9, 2}, "reversed"}, {iv{100, math.MaxInt64}, "hi"},
	}
	s := interval.NewStatic(in)
	mustBeValidStatic(t, s)
	checkEqual(t, s.Len(), 7, "Len (empty intervals dropped)")
	checkEqual(t, collect(s.All()), []entry{
		{iv{math.MinInt64, -100}, "lo"}, {iv{0, 10}, "c"}, {iv{1, 3}, "a"}, {iv{3, 5}, "b"}, {iv{3, 5}, "d"},
		{iv{7, 8}, "e"}, {iv{100, math.MaxInt64}, "hi"},
	}, "All")
	tests := []struct {
		name string
		give iv
		want []entry
	}{
		{"touching on the left", iv{5, 7}, []entry{{iv{0, 10}, "c"}}},
		{"touching on the right", iv{-1, 0}, nil},
		{"one instant at a shared bound", iv{3, 4}, []entry{{iv{0, 10}, "c"}, {iv{3, 5}, "b"}, {iv{3, 5}, "d"}}},
		{"empty query", iv{4, 4}, nil},
		{"reversed query", iv{8, 2}, nil},
		{"gap", iv{10, 100}, nil},
		{"lowest instants", iv{math.MinInt64, math.MinInt64 + 1}, []entry{{iv{math.MinInt64, -100}, "lo"}}},
		{"highest instants", iv{math.MaxInt64 - 1, math.MaxInt64}, []entry{{iv{100, math.MaxInt64}, "hi"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkEqual(t, s.AppendOverlapping(nil, tt.give), tt.want, "AppendOverlapping")
		})
	}

	in[0].Value = "changed"
	checkEqual(t, s.AppendOverlapping(nil, iv{1, 2}), []entry{{iv{0, 10}, "c"}, {iv{1, 3}, "a"}}, "AppendOverlapping([1, 2)) after the input changed")
}

// staticShape describes one family of random entry sets.
type staticShape struct {
	name  string
	width int64 // starts in [0, width)
	len   int64 // lengths in [-2, len)
	long  int   // entries spanning most of the width
}

func TestStaticModel(t *testing.T) {
	shapes := []staticShape{
		{"dense", 50, 10, 0},
		{"sparse", 1 << 20, 1 << 10, 0},
		{"long", 1 << 20, 1 << 10, 3},
		{"nested", 1 << 16, 1 << 16, 0},
	}
	sizes := []int{0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 33, 100, 1000, 2500}
	seeds := 4
	if testing.Short() {
		sizes, seeds = []int{0, 1, 2, 3, 17, 100, 1000}, 1
	}
	walked := 0
	for _, sh := range shapes {
		for _, n := range sizes {
			for seed := range uint64(seeds) {
				t.Run(fmt.Sprintf("shape=%s/n=%d/seed=%d", sh.name, n, seed), func(t *testing.T) {
					rng := rand.New(rand.NewPCG(seed, uint64(n)))
					entries := make([]interval.Entry[int], n)
					for i := range entries {
						start := rng.Int64N(sh.width)
						entries[i] = interval.Entry[int]{Interval: iv{start, start + rng.Int64N(sh.len+2) - 2}, Value: i}
					}
					for i := range min(sh.long, n) {
						entries[rng.IntN(n)].Interval = iv{int64(i), sh.width - int64(i)}
					}
					s := interval.NewStatic(entries)
					mustBeValidStatic(t, s)
					kept := treeoracle.Overlapping(entries, iv{math.MinInt64, math.MaxInt64})
					mustEqual(t, collect(s.All()), kept, "All")
					for range 200 {
						start := rng.Int64N(sh.width+20) - 10
						q := iv{start, start + rng.Int64N(2*sh.len+2) - 2}
						checkStatic(t, s, entries, q)
						// The strategies compared in BenchmarkStaticStrategy.
						want := treeoracle.Overlapping(entries, q)
						mustEqual(t, interval.StaticAppendBudget(s, nil, q, -1), want, "implicit tree only, %v", q)
						mustEqual(t, interval.StaticAppendBudget(s, nil, q, math.MaxInt), want, "scan only, %v", q)
						if _, w := interval.StaticExamined(s, q); w {
							walked++
						}
					}
				})
			}
		}
	}
	if walked == 0 {
		t.Error("no query walked the implicit tree: the long-interval path went untested")
	}
}

func FuzzStatic(f *testing.F) {
	f.Add([]byte{0, 5, 3, 7, 2, 2, 10, 0}, []byte{1, 4, 6, 3})
	f.Add([]byte{0, 200, 5, 1, 6, 1, 7, 1, 8, 1, 9, 1, 10, 1, 11, 1, 12, 1, 13, 1, 14, 1, 15, 1, 16, 1, 17, 1, 18, 1, 19, 1, 20, 1, 21, 1, 22, 1}, []byte{30, 2, 0, 255})
	f.Fuzz(func(t *testing.T, raw, queries []byte) {
		// An entry is 2 bytes: start, then length-2, where lengths >= 128
		// become very long to drive queries onto the implicit tree.
		raw, queries = raw[:min(len(raw), 2*1024)], queries[:min(len(queries), 2*256)]
		var entries []interval.Entry[int]
		for i := 0; i+1 < len(raw); i += 2 {
			start := int64(raw[i])
			length := int64(raw[i+1]%128) - 2
			if raw[i+1] >= 128 {
				length = 1000
			}
			entries = append(entries, interval.Entry[int]{Interval: iv{start, start + length}, Value: i / 2})
		}
		s := interval.NewStatic(entries)
		mustBeValidStatic(t, s)
		mustEqual(t, collect(s.All()), treeoracle.Sorted(treeoracle.Overlapping(entries, iv{math.MinInt64, math.MaxInt64})), "All")
		for i := 0; i+1 < len(queries); i += 2 {
			start := int64(queries[i]) - 4
			checkStatic(t, s, entries, iv{start, start + int64(queries[i+1]%64) - 2})
		}
	})
}
