package benchmarks

import (
	"context"
	"testing"

	"github.com/crossagenda/crossagenda/internal/testkit/reference"
)

// BenchmarkAgenda measures one month of the agenda of an agent of five
// organisations (the one with the most appointments), merged across them.
// The baseline expands every opening from its first day with rrule-go and
// scans every appointment of the dataset; it must agree with ours.
func BenchmarkAgenda(b *testing.B) {
	f := loadFixture(b)
	ctx := context.Background()
	b.Run("scale="+f.scale.Name, func(b *testing.B) {
		b.Run("impl=ours", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := f.ix.Agenda(ctx, f.agendaAgent, f.agendaFrom, f.agendaTo); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(f.agendaEvents), "events")
		})
		b.Run("impl=baseline", func(b *testing.B) {
			b.ReportAllocs()
			var got reference.Agenda
			for b.Loop() {
				var err error
				if got, err = f.ref.Agenda(f.agendaAgent, f.agendaFrom, f.agendaTo); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(f.agendaEvents), "events")
			ours, err := f.ix.Agenda(ctx, f.agendaAgent, f.agendaFrom, f.agendaTo)
			if err != nil {
				b.Fatal(err)
			}
			if err := diffAgenda(ours, got); err != nil {
				b.Fatalf("the baseline disagrees with ours: %v", err)
			}
		})
	})
}
