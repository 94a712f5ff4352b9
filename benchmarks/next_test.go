package benchmarks

import (
	"context"
	"testing"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/reference"
)

// BenchmarkNext measures next availability when the first free slot is
// about five months ahead, behind 150 days in which every opening
// occurrence of the service's agents is booked (blocked=booked) or its
// organisation is closed (blocked=closed). The week-by-week baseline runs
// a whole slot query per 7-day window, as the historical platform did,
// and must find the same slot.
func BenchmarkNext(b *testing.B) {
	f := loadFixture(b)
	ctx := context.Background()
	b.Run("scale="+f.scale.Name, func(b *testing.B) {
		for _, c := range []struct {
			name string
			q    agenda.SlotQuery
			want agenda.Slot
		}{{"blocked=booked", f.nextBooked, f.nextBookedWant}, {"blocked=closed", f.nextClosed, f.nextClosedWant}} {
			days := c.want.Start.Sub(c.q.Now).Hours() / 24
			b.Run(c.name, func(b *testing.B) {
				b.Run("impl=ours", func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						if _, ok, err := f.ix.NextAvailable(ctx, c.q); err != nil || !ok {
							b.Fatal(ok, err)
						}
					}
					b.ReportMetric(days, "days-ahead")
				})
				b.Run("impl=weekbyweek", func(b *testing.B) {
					b.ReportAllocs()
					q := refQuery(c.q)
					var got reference.Slot
					for b.Loop() {
						var ok bool
						var err error
						if got, ok, err = f.ref.NextWeekByWeek(q, 0); err != nil || !ok {
							b.Fatal(ok, err)
						}
					}
					b.ReportMetric(days, "days-ahead")
					if !sameSlot(c.want, got) {
						b.Fatalf("the baseline found %+v, ours %+v", got, c.want)
					}
				})
			})
		}
	})
}
