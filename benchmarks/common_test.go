package benchmarks

import (
	"context"
	"fmt"
	"testing"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/reference"
)

// BenchmarkCommon measures group availability over a year for 100 agents
// (and, for ours, 400: ns/agent should stay about the same, the cost being
// linear in the input), with everyone required (quorum=all), half of them
// (quorum=half, k = N/2) and a tenth (quorum=tenth, k = N/10; the only
// one whose answer is not empty on these agents, who rarely overlap).
// Ours runs on one worker. The baseline concatenates, sorts and sweeps the
// free time of every agent, each recomputed from the records, and must
// agree with ours.
func BenchmarkCommon(b *testing.B) {
	f := loadFixture(b)
	ctx := context.Background()
	quorums := []struct {
		name string
		k    func(n int) int
	}{
		{"all", func(int) int { return 0 }},
		{"half", func(n int) int { return n / 2 }},
		{"tenth", func(n int) int { return n / 10 }},
	}
	b.Run("scale="+f.scale.Name, func(b *testing.B) {
		for _, qu := range quorums {
			b.Run("quorum="+qu.name, func(b *testing.B) {
				for _, n := range []int{100, commonAgents} {
					q := agenda.CommonQuery{AgentIDs: f.common[:n], From: f.commonFrom, To: f.commonTo, Quorum: qu.k(n)}
					b.Run(fmt.Sprintf("agents=%d", n), func(b *testing.B) {
						b.Run("impl=ours", func(b *testing.B) {
							b.ReportAllocs()
							var got []agenda.Span
							for b.Loop() {
								var err error
								if got, err = f.ix.Common(ctx, q); err != nil {
									b.Fatal(err)
								}
							}
							b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/agent")
							b.ReportMetric(float64(len(got)), "spans")
						})
						if n > 100 {
							return // the baseline's cost at 100 agents makes the point
						}
						b.Run("impl=baseline", func(b *testing.B) {
							b.ReportAllocs()
							var got []reference.Span
							for b.Loop() {
								var err error
								if got, err = f.ref.Common(q.AgentIDs, q.From, q.To, q.Quorum, q.MinLength); err != nil {
									b.Fatal(err)
								}
							}
							b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/agent")
							b.ReportMetric(float64(len(got)), "spans")
							ours, err := f.ix.Common(ctx, q)
							if err != nil {
								b.Fatal(err)
							}
							if err := diffSpans("common", ours, got); err != nil {
								b.Fatalf("the baseline disagrees with ours: %v", err)
							}
						})
					})
				}
			})
		}
	})
}

// BenchmarkCommonFanout runs the 400-agent, one-year group query on one and
// on two workers: the per-agent free-time computation is what fans out.
func BenchmarkCommonFanout(b *testing.B) {
	f := loadFixture(b)
	ctx := context.Background()
	q := agenda.CommonQuery{AgentIDs: f.common, From: f.commonFrom, To: f.commonTo, Quorum: len(f.common) / 10}
	b.Run("scale="+f.scale.Name, func(b *testing.B) {
		for _, w := range []struct {
			name string
			ix   *agenda.Index
		}{{"impl=workers-1", f.ix}, {"impl=workers-2", f.ix2}} {
			b.Run(w.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := w.ix.Common(ctx, q); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	})
}
