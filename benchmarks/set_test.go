package benchmarks

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/crossagenda/crossagenda/interval"
)

// setInput returns a normalised slice of n intervals starting near 0, with
// gaps and lengths drawn uniformly from [1, 2·mean], so that two inputs with
// different seeds interleave over the same span.
func setInput(seed uint64, n int, meanGap, meanLen int64) []interval.Interval {
	r := rand.New(rand.NewPCG(seed, 0xbe7c))
	out := make([]interval.Interval, n)
	t := int64(0)
	for i := range out {
		t += 1 + r.Int64N(2*meanGap)
		end := t + 1 + r.Int64N(2*meanLen)
		out[i] = interval.Interval{Start: t, End: end}
		t = end
	}
	return out
}

// setPairs caches the two inputs of each size across sub-benchmarks.
var setPairs = map[int][2][]interval.Interval{}

func setPair(n int) ([]interval.Interval, []interval.Interval) {
	p, ok := setPairs[n]
	if !ok {
		p = [2][]interval.Interval{setInput(1, n, 50, 50), setInput(2, n, 50, 50)}
		setPairs[n] = p
	}
	return p[0], p[1]
}

// setReportVsCopy reports, as x-copy, how long op takes relative to copying
// the same number of intervals (inputs plus output) with the built-in copy.
func setReportVsCopy(b *testing.B, op func(), ins ...[]interval.Interval) {
	n := 0
	for _, in := range ins {
		n += len(in)
	}
	buf := make([]interval.Interval, n)
	copyAll := func() {
		off := 0
		for _, in := range ins {
			off += copy(buf[off:], in)
		}
	}
	b.ReportMetric(setRatio(op, copyAll, 5), "x-copy")
}

// setRatio returns how long f takes relative to g. It times them in
// alternating batches, so that both see the same load on a shared machine,
// and compares their fastest batches, which are the least disturbed.
func setRatio(f, g func(), rounds int) float64 {
	nf, ng := setBatch(f), setBatch(g)
	bestF, bestG := math.Inf(1), math.Inf(1)
	for range rounds {
		bestF = min(bestF, setTimePerCall(f, nf))
		bestG = min(bestG, setTimePerCall(g, ng))
	}
	return bestF / bestG
}

// setBatch returns how many calls of f take about a millisecond, at least 1.
func setBatch(f func()) int {
	n := 1
	for n < 1<<20 && setTimePerCall(f, n)*float64(n) < float64(time.Millisecond) {
		n *= 2
	}
	return n
}

func setTimePerCall(f func(), n int) float64 {
	start := time.Now()
	for range n {
		f()
	}
	return float64(time.Since(start)) / float64(n)
}

var setSizes = []int{1e2, 1e3, 1e4, 1e5, 1e6}

// BenchmarkSetOps runs the two-input operations with a dst sized for the
// worst case, so they must not allocate, and reports their cost relative to
// copying the bytes they read and write.
func BenchmarkSetOps(b *testing.B) {
	ops := []struct {
		name string
		run  func(dst, a, b []interval.Interval) []interval.Interval
	}{
		{"union", interval.AppendUnion},
		{"intersect", interval.AppendIntersect},
		{"subtract", interval.AppendSubtract},
	}
	for _, op := range ops {
		b.Run("op="+op.name, func(b *testing.B) {
			for _, n := range setSizes {
				b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
					x, y := setPair(n)
					dst := make([]interval.Interval, 0, 2*n+1)
					b.ReportAllocs()
					for b.Loop() {
						dst = op.run(dst[:0], x, y)
					}
					setReportVsCopy(b, func() { dst = op.run(dst[:0], x, y) }, x, y, dst)
				})
			}
		})
	}
}

// setSets returns k normalised slices of n intervals over a common span.
// Dense inputs each cover about half of it, so their union is nearly one
// interval (busy agents in working hours); sparse inputs cover about 1% each,
// so the union stays fragmented.
func setSets(k, n int, dense bool) [][]interval.Interval {
	sets := make([][]interval.Interval, k)
	for i := range sets {
		if dense {
			sets[i] = setInput(uint64(100+i), n, 50, 50)
		} else {
			sets[i] = setInput(uint64(100+i), n, 5000, 50)
		}
	}
	return sets
}

// setUnionConcatSortSweep is the obvious k-way union: concatenate, sort by
// Start, merge in one sweep. all must have room for every input interval.
func setUnionConcatSortSweep(dst, all []interval.Interval, sets [][]interval.Interval) []interval.Interval {
	all = all[:0]
	for _, s := range sets {
		all = append(all, s...)
	}
	slices.SortFunc(all, func(a, b interval.Interval) int { return cmp.Compare(a.Start, b.Start) })
	if len(all) == 0 {
		return dst
	}
	cur := all[0]
	for _, iv := range all[1:] {
		if iv.Start > cur.End {
			dst = append(dst, cur)
			cur = iv
		} else if iv.End > cur.End {
			cur.End = iv.End
		}
	}
	return append(dst, cur)
}

type setEvent struct {
	at    int64
	delta int
}

// setAtLeastConcatSortSweep is the obvious at-least-k: concatenate all
// endpoints as +1/-1 events, sort them, sweep a counter.
func setAtLeastConcatSortSweep(dst []interval.Interval, events []setEvent, k int, sets [][]interval.Interval) []interval.Interval {
	events = events[:0]
	for _, s := range sets {
		for _, iv := range s {
			events = append(events, setEvent{iv.Start, 1}, setEvent{iv.End, -1})
		}
	}
	slices.SortFunc(events, func(a, b setEvent) int { return cmp.Compare(a.at, b.at) })
	count := 0
	var start int64
	for i := 0; i < len(events); {
		at, before := events[i].at, count
		for ; i < len(events) && events[i].at == at; i++ {
			count += events[i].delta
		}
		if before < k && count >= k {
			start = at
		} else if before >= k && count < k {
			dst = append(dst, interval.Interval{Start: start, End: at})
		}
	}
	return dst
}

const (
	setKWayK = 1000 // input slices
	setKWayN = 1000 // intervals in each
)

func BenchmarkUnionAll(b *testing.B) {
	for _, dense := range []bool{true, false} {
		name := map[bool]string{true: "dist=dense", false: "dist=sparse"}[dense]
		b.Run(name, func(b *testing.B) {
			sets := setSets(setKWayK, setKWayN, dense)
			dst := make([]interval.Interval, 0, setKWayK*setKWayN)
			all := make([]interval.Interval, 0, setKWayK*setKWayN)
			b.Run("impl=heap", func(b *testing.B) {
				run := func() { dst = interval.AppendAtLeast(dst[:0], 1, sets...) }
				b.ReportAllocs()
				for b.Loop() {
					run()
				}
				b.ReportMetric(setRatio(run, func() { setUnionConcatSortSweep(dst[:0], all, sets) }, 3), "x-baseline")
			})
			b.Run("impl=concat-sort-sweep", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					dst = setUnionConcatSortSweep(dst[:0], all, sets)
				}
			})
		})
	}
}

func BenchmarkAtLeast(b *testing.B) {
	sets := setSets(setKWayK, setKWayN, true)
	dst := make([]interval.Interval, 0, setKWayK*setKWayN)
	events := make([]setEvent, 0, 2*setKWayK*setKWayN)
	for _, k := range []int{2, setKWayK / 2, setKWayK - 1, setKWayK} {
		b.Run(fmt.Sprintf("k=%d", k), func(b *testing.B) {
			b.Run("impl=heap", func(b *testing.B) {
				run := func() { dst = interval.AppendAtLeast(dst[:0], k, sets...) }
				b.ReportAllocs()
				for b.Loop() {
					run()
				}
				b.ReportMetric(setRatio(run, func() { setAtLeastConcatSortSweep(dst[:0], events, k, sets) }, 3), "x-baseline")
			})
			b.Run("impl=concat-sort-sweep", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					dst = setAtLeastConcatSortSweep(dst[:0], events, k, sets)
				}
			})
		})
	}
}

// BenchmarkSetSkewed runs the two-input operations on a large input and one
// with a thousandth of its intervals, where they gallop through the large
// one and copy it in stretches.
func BenchmarkSetSkewed(b *testing.B) {
	ops := []struct {
		name string
		run  func(dst, a, b []interval.Interval) []interval.Interval
	}{
		{"union", interval.AppendUnion},
		{"intersect", interval.AppendIntersect},
		{"subtract", interval.AppendSubtract},
	}
	for _, op := range ops {
		b.Run("op="+op.name, func(b *testing.B) {
			for _, n := range []int{1e5, 1e6} {
				b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
					large, _ := setPair(n)
					// The small input spreads over the same span.
					small := setInput(3, n/1000, 50*1000, 50*10)
					dst := make([]interval.Interval, 0, n+n/1000+1)
					b.ReportAllocs()
					for b.Loop() {
						dst = op.run(dst[:0], large, small)
					}
					setReportVsCopy(b, func() { dst = op.run(dst[:0], large, small) }, large, small, dst)
				})
			}
		})
	}
}
