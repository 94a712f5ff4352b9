package interval_test

import (
	"fmt"
	"testing"

	"github.com/crossagenda/crossagenda/internal/testkit/treeoracle"
	"github.com/crossagenda/crossagenda/interval"
)

// BenchmarkStaticStrategy compares Static's query strategies on the overlap
// workload, with and without a few very long intervals: impl=hybrid (the
// shipped one: bounded scan, implicit tree when the scan misses too often),
// impl=scan (sorted array and longest-length bound only) and impl=implicit
// (implicit augmented tree only).
func BenchmarkStaticStrategy(b *testing.B) {
	strategies := []struct {
		name   string
		budget int
	}{{"hybrid", 16}, {"scan", int(^uint(0) >> 1)}, {"implicit", -1}}
	for _, long := range []int{0, 4} {
		for _, n := range []int{10_000, 100_000} {
			entries, queries := treeoracle.Workload(n, long, 1<<12, 1)
			s := interval.NewStatic(entries)
			for _, st := range strategies {
				b.Run(fmt.Sprintf("long=%d/n=%d/impl=%s", long, n, st.name), func(b *testing.B) {
					b.ReportAllocs()
					dst := make([]interval.Entry[int], 0, 64)
					hits, i := 0, 0
					for b.Loop() {
						dst = interval.StaticAppendBudget(s, dst[:0], queries[i&(len(queries)-1)], st.budget)
						hits += len(dst)
						i++
					}
					b.ReportMetric(float64(hits)/float64(i), "hits/op")
				})
			}
		}
	}
}
