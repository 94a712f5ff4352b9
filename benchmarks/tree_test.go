package benchmarks

import (
	"fmt"
	"testing"

	"github.com/crossagenda/crossagenda/internal/testkit/treeoracle"
	"github.com/crossagenda/crossagenda/interval"
)

// Overlap-query workload for the interval trees: n entries of 30-120
// minutes (seconds as the unit) spread so that a 60-minute query overlaps
// about two of them. The peer libraries are compared in the separate module
// benchmarks/peers on the same workload.

var treeSizes = []int{1e4, 1e5, 1e6}

const treeQueries = 1 << 12 // a power of two, cycled through with a mask

// treeFixture is one workload and every structure built from it, built on
// first use and kept for the rest of the run.
type treeFixture struct {
	entries []interval.Entry[int]
	queries []interval.Interval
	tree    *interval.Tree[int]
	static  *interval.Static[int]
	sorted  *treeoracle.SortedSlice
}

var treeFixtures = map[int]*treeFixture{}

func treeFixtureFor(n int) *treeFixture {
	if f, ok := treeFixtures[n]; ok {
		return f
	}
	f := &treeFixture{tree: &interval.Tree[int]{}}
	f.entries, f.queries = treeoracle.Workload(n, 0, treeQueries, 1)
	for _, e := range f.entries {
		f.tree.Insert(e.Interval, e.Value)
	}
	f.static = interval.NewStatic(f.entries)
	f.sorted = treeoracle.NewSortedSlice(f.entries)
	treeFixtures[n] = f
	return f
}

// BenchmarkTreeOverlapQuery measures one overlap query returning all hits
// into a reused buffer: impl=tree (interval.Tree), impl=static
// (interval.Static) and impl=sortedslice (the baseline above).
func BenchmarkTreeOverlapQuery(b *testing.B) {
	for _, n := range treeSizes {
		f := treeFixtureFor(n)
		impls := []struct {
			name  string
			query func([]interval.Entry[int], interval.Interval) []interval.Entry[int]
		}{
			{"tree", f.tree.AppendOverlapping},
			{"static", f.static.AppendOverlapping},
			{"sortedslice", f.sorted.AppendOverlapping},
		}
		for _, impl := range impls {
			b.Run(fmt.Sprintf("n=%d/impl=%s", n, impl.name), func(b *testing.B) {
				b.ReportAllocs()
				dst := make([]interval.Entry[int], 0, 64)
				hits, i := 0, 0
				for b.Loop() {
					dst = impl.query(dst[:0], f.queries[i&(treeQueries-1)])
					hits += len(dst)
					i++
				}
				b.ReportMetric(float64(hits)/float64(i), "hits/op")
			})
		}
	}
}

// BenchmarkTreeOverlapQueryLong is BenchmarkTreeOverlapQuery on n=1e5
// entries plus 4 intervals covering most of the span: the longest length no
// longer bounds the sorted slice's scan, which degrades to O(n), while Tree
// and Static stay O(log n + k).
func BenchmarkTreeOverlapQueryLong(b *testing.B) {
	const n, long = 100_000, 4
	entries, queries := treeoracle.Workload(n, long, treeQueries, 1)
	tree := &interval.Tree[int]{}
	for _, e := range entries {
		tree.Insert(e.Interval, e.Value)
	}
	impls := []struct {
		name  string
		query func([]interval.Entry[int], interval.Interval) []interval.Entry[int]
	}{
		{"tree", tree.AppendOverlapping},
		{"static", interval.NewStatic(entries).AppendOverlapping},
		{"sortedslice", treeoracle.NewSortedSlice(entries).AppendOverlapping},
	}
	for _, impl := range impls {
		b.Run(fmt.Sprintf("long=%d/n=%d/impl=%s", long, n, impl.name), func(b *testing.B) {
			b.ReportAllocs()
			dst := make([]interval.Entry[int], 0, 64)
			hits, i := 0, 0
			for b.Loop() {
				dst = impl.query(dst[:0], queries[i&(treeQueries-1)])
				hits += len(dst)
				i++
			}
			b.ReportMetric(float64(hits)/float64(i), "hits/op")
		})
	}
}

// BenchmarkTreeBuild measures building each structure from the n=1e5
// workload: impl=tree by n inserts, impl=static with NewStatic (copy and
// sort), impl=sortedslice by copy and sort.
func BenchmarkTreeBuild(b *testing.B) {
	const n = 100_000
	entries, _ := treeoracle.Workload(n, 0, 1, 1)
	b.Run(fmt.Sprintf("n=%d/impl=tree", n), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var t interval.Tree[int]
			for _, e := range entries {
				t.Insert(e.Interval, e.Value)
			}
		}
	})
	b.Run(fmt.Sprintf("n=%d/impl=static", n), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			interval.NewStatic(entries)
		}
	})
	b.Run(fmt.Sprintf("n=%d/impl=sortedslice", n), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			treeoracle.NewSortedSlice(entries)
		}
	})
}

// BenchmarkTreeChurn measures keeping a tree of n=1e5 entries up to date:
// one op deletes an entry and inserts it back.
func BenchmarkTreeChurn(b *testing.B) {
	const n = 100_000
	f := treeFixtureFor(n)
	t := &interval.Tree[int]{}
	for _, e := range f.entries {
		t.Insert(e.Interval, e.Value)
	}
	b.Run(fmt.Sprintf("n=%d/impl=tree", n), func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			e := f.entries[i%n]
			t.Delete(e.Interval, e.Value)
			t.Insert(e.Interval, e.Value)
			i++
		}
	})
}
