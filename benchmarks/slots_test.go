package benchmarks

import (
	"context"
	"testing"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/reference"
)

// BenchmarkSlots measures the free slots of one service across 50 agents
// and 5 places over 3 months, in the agent view (no notice, so the whole
// window counts). Ours runs on one worker so that the ratio compares one
// core with one core; the baseline recomputes everything from the records
// and must agree with ours.
func BenchmarkSlots(b *testing.B) {
	f := loadFixture(b)
	benchSlots(b, f, f.slots, f.slotCount)
}

// BenchmarkSlotsBuffered is BenchmarkSlots for a 45-minute service with
// buffers (10 minutes before, 15 after) offered every 15 minutes, by the
// same 50 agents at the same 5 places over the same 3 months: busy time
// is widened before it is subtracted, and each free interval offers a
// slot every 15 minutes.
func BenchmarkSlotsBuffered(b *testing.B) {
	f := loadFixture(b)
	benchSlots(b, f, f.slotsBuffered, f.slotBufferedCount)
}

// benchSlots runs one slot query as impl=ours and impl=baseline, and fails
// if the two disagree.
func benchSlots(b *testing.B, f *benchFixture, sq agenda.SlotQuery, count int) {
	ctx := context.Background()
	b.Run("scale="+f.scale.Name, func(b *testing.B) {
		b.Run("impl=ours", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := f.ix.Slots(ctx, sq); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(count), "slots")
		})
		b.Run("impl=baseline", func(b *testing.B) {
			b.ReportAllocs()
			q := refQuery(sq)
			var got []reference.Slot
			for b.Loop() {
				var err error
				if got, err = f.ref.Slots(q); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(count), "slots")
			ours, err := f.ix.Slots(ctx, sq)
			if err != nil {
				b.Fatal(err)
			}
			if err := diffSlots(ours, got); err != nil {
				b.Fatalf("the baseline disagrees with ours: %v", err)
			}
		})
	})
}

// BenchmarkSlotsFanout measures the same query as BenchmarkSlots with the
// agents spread over one and over two workers: on two idle cores the
// ratio is the speed-up of the fan-out.
func BenchmarkSlotsFanout(b *testing.B) {
	f := loadFixture(b)
	ctx := context.Background()
	b.Run("scale="+f.scale.Name, func(b *testing.B) {
		for _, w := range []struct {
			name string
			ix   *agenda.Index
		}{{"impl=workers-1", f.ix}, {"impl=workers-2", f.ix2}} {
			b.Run(w.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := w.ix.Slots(ctx, f.slots); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(f.slotCount), "slots")
			})
		}
	})
}
