package peers

import (
	"fmt"
	"runtime/debug"
	"testing"

	workiva "github.com/Workiva/go-datastructures/augmentedtree"
	intervalst "github.com/rdleal/intervalst/interval"

	"github.com/crossagenda/crossagenda/internal/testkit/treeoracle"
	"github.com/crossagenda/crossagenda/interval"
)

// Semantics: crossagenda's intervals are half-open [Start, End); both peers
// use closed intervals [low, high]. Instants are integers (seconds), so the
// peers store [Start, End-1] and are asked about [q.Start, q.End-1]: two
// closed integer ranges [a, b-1] and [c, d-1] intersect exactly when the
// half-open [a, b) and [c, d) overlap. Every workload interval is at least
// 30 minutes long, so End-1 > Start as intervalst requires. TestSameHits
// checks that all implementations return the same hits.

var sizes = []int{1e4, 1e5, 1e6}

const numQueries = 1 << 12 // a power of two, cycled through with a mask

func cmpInt64(x, y int64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

func newIntervalst(entries []interval.Entry[int]) *intervalst.SearchTree[int, int64] {
	t := intervalst.NewSearchTree[int](cmpInt64)
	for _, e := range entries {
		if err := t.Insert(e.Start, e.End-1, e.Value); err != nil {
			panic(err)
		}
	}
	return t
}

// workivaInterval is a closed interval [low, high] for the Workiva tree.
type workivaInterval struct {
	low, high int64
	id        uint64
}

func (w *workivaInterval) LowAtDimension(uint64) int64  { return w.low }
func (w *workivaInterval) HighAtDimension(uint64) int64 { return w.high }
func (w *workivaInterval) ID() uint64                   { return w.id }

func (w *workivaInterval) OverlapsAtDimension(o workiva.Interval, d uint64) bool {
	return w.low <= o.HighAtDimension(d) && o.LowAtDimension(d) <= w.high
}

func workivaIntervals(entries []interval.Entry[int]) []workiva.Interval {
	// One backing array rather than n small objects: the forced GC before
	// each benchmark then has n fewer objects to mark.
	backing := make([]workivaInterval, len(entries))
	out := make([]workiva.Interval, len(entries))
	for i, e := range entries {
		backing[i] = workivaInterval{low: e.Start, high: e.End - 1, id: uint64(e.Value)}
		out[i] = &backing[i]
	}
	return out
}

func newWorkiva(ivs []workiva.Interval) workiva.Tree {
	t := workiva.New(1)
	for _, iv := range ivs {
		t.Add(iv)
	}
	return t
}

// fixture is one workload and crossagenda's structures built from it,
// built on first use and kept for the rest of the run.
type fixture struct {
	entries []interval.Entry[int]
	queries []interval.Interval
	tree    *interval.Tree[int]
	static  *interval.Static[int]
	sorted  *treeoracle.SortedSlice
}

var fixtures = map[int]*fixture{}

func fixtureFor(n int) *fixture {
	if f, ok := fixtures[n]; ok {
		return f
	}
	f := newFixture(n, 0, numQueries, 1)
	fixtures[n] = f
	return f
}

func newFixture(n, long, queries int, seed uint64) *fixture {
	defer debug.SetGCPercent(debug.SetGCPercent(800)) // setup only, see buildQuiet
	f := &fixture{tree: &interval.Tree[int]{}}
	f.entries, f.queries = treeoracle.Workload(n, long, queries, seed)
	for _, e := range f.entries {
		f.tree.Insert(e.Interval, e.Value)
	}
	f.static = interval.NewStatic(f.entries)
	f.sorted = treeoracle.NewSortedSlice(f.entries)
	return f
}

// impl is one implementation: build returns a function answering one
// overlap query with the implementation's idiomatic all-overlaps API, and
// the number of hits it found.
type impl struct {
	name  string
	build func(f *fixture) func(interval.Interval) int
}

var impls = []impl{
	{"tree", func(f *fixture) func(interval.Interval) int {
		dst := make([]interval.Entry[int], 0, 64)
		return func(q interval.Interval) int {
			dst = f.tree.AppendOverlapping(dst[:0], q)
			return len(dst)
		}
	}},
	{"static", func(f *fixture) func(interval.Interval) int {
		dst := make([]interval.Entry[int], 0, 64)
		return func(q interval.Interval) int {
			dst = f.static.AppendOverlapping(dst[:0], q)
			return len(dst)
		}
	}},
	{"sortedslice", func(f *fixture) func(interval.Interval) int {
		dst := make([]interval.Entry[int], 0, 64)
		return func(q interval.Interval) int {
			dst = f.sorted.AppendOverlapping(dst[:0], q)
			return len(dst)
		}
	}},
	{"intervalst", func(f *fixture) func(interval.Interval) int {
		t := newIntervalst(f.entries)
		return func(q interval.Interval) int {
			vals, _ := t.AllIntersections(q.Start, q.End-1)
			return len(vals)
		}
	}},
	{"augmentedtree", func(f *fixture) func(interval.Interval) int {
		t := newWorkiva(workivaIntervals(f.entries))
		wq := &workivaInterval{}
		return func(q interval.Interval) int {
			wq.low, wq.high = q.Start, q.End-1
			ivs := t.Query(wq)
			n := len(ivs)
			ivs.Dispose()
			return n
		}
	}},
}

// TestSameHits checks that every implementation answers the same question:
// the same number of hits as the model on a sample of queries, on one
// workload without and one with long intervals.
func TestSameHits(t *testing.T) {
	for name, f := range map[string]*fixture{
		"uniform": newFixture(10_000, 0, 300, 1),
		"long":    newFixture(2_000, 3, 300, 2),
	} {
		want := make([]int, len(f.queries))
		total := 0
		for i, q := range f.queries {
			want[i] = len(treeoracle.Overlapping(f.entries, q))
			total += want[i]
		}
		if total == 0 {
			t.Fatalf("%s: no query had a hit; the comparison proves nothing", name)
		}
		for _, impl := range impls {
			query := impl.build(f)
			for i, q := range f.queries {
				if got := query(q); got != want[i] {
					t.Fatalf("%s: %s found %d overlaps of %v, want %d", name, impl.name, got, q, want[i])
				}
			}
		}
	}
}

// BenchmarkOverlapQuery measures one overlap query returning all hits. The
// peers' trees are built for their own sub-benchmark only, so that the
// forced collection before each benchmark never marks millions of their
// nodes while another implementation is measured.
func BenchmarkOverlapQuery(b *testing.B) {
	for _, n := range sizes {
		f := fixtureFor(n)
		for _, impl := range impls {
			b.Run(fmt.Sprintf("n=%d/impl=%s", n, impl.name), func(b *testing.B) {
				b.ReportAllocs()
				query := buildQuiet(impl, f)
				hits, i := 0, 0
				for b.Loop() {
					hits += query(f.queries[i&(numQueries-1)])
					i++
				}
				b.ReportMetric(float64(hits)/float64(i), "hits/op")
			})
		}
		if n >= 1e6 {
			delete(fixtures, n)
		}
	}
}

// buildQuiet builds an implementation with fewer collections: setup only,
// it keeps the smoke run (-benchtime 1x) short.
func buildQuiet(impl impl, f *fixture) func(interval.Interval) int {
	defer debug.SetGCPercent(debug.SetGCPercent(800))
	return impl.build(f)
}

const churnN = 100_000

// BenchmarkInsert measures building a tree of 1e5 entries by inserts, in
// the workload's random order.
func BenchmarkInsert(b *testing.B) {
	entries, _ := treeoracle.Workload(churnN, 0, 1, 1)
	wivs := workivaIntervals(entries)
	b.Run(fmt.Sprintf("n=%d/impl=tree", churnN), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var t interval.Tree[int]
			for _, e := range entries {
				t.Insert(e.Interval, e.Value)
			}
		}
	})
	b.Run(fmt.Sprintf("n=%d/impl=intervalst", churnN), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			newIntervalst(entries)
		}
	})
	b.Run(fmt.Sprintf("n=%d/impl=augmentedtree", churnN), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			newWorkiva(wivs)
		}
	})
}

// BenchmarkDelete measures deleting all 1e5 entries of a tree, one call per
// entry in the workload's random order; building the tree is not timed.
func BenchmarkDelete(b *testing.B) {
	entries, _ := treeoracle.Workload(churnN, 0, 1, 1)
	wivs := workivaIntervals(entries)
	b.Run(fmt.Sprintf("n=%d/impl=tree", churnN), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			var t interval.Tree[int]
			for _, e := range entries {
				t.Insert(e.Interval, e.Value)
			}
			b.StartTimer()
			for _, e := range entries {
				if !t.Delete(e.Interval, e.Value) {
					b.Fatal("missing entry")
				}
			}
		}
	})
	b.Run(fmt.Sprintf("n=%d/impl=intervalst", churnN), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			t := newIntervalst(entries)
			b.StartTimer()
			for _, e := range entries {
				if err := t.Delete(e.Start, e.End-1); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	// The Workiva tree recomputes the ranges of the whole tree after every
	// Delete call, so one call per entry costs O(n) each (minutes here); it
	// is given all entries in one variadic call instead, its cheapest use.
	b.Run(fmt.Sprintf("n=%d/impl=augmentedtree", churnN), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			t := newWorkiva(wivs)
			b.StartTimer()
			t.Delete(wivs...)
			if t.Len() != 0 {
				b.Fatalf("%d entries left", t.Len())
			}
		}
	})
}
