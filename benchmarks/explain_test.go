package benchmarks

import (
	"context"
	"testing"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
)

// BenchmarkExplain measures one explanation of a start of the slots
// benchmark's service, for its first slot's agent and place in the agent
// view: a bookable start, and the same start seven minutes later, off the
// grid. Each includes the search for the nearest bookable starts before
// and after.
func BenchmarkExplain(b *testing.B) {
	f := loadFixture(b)
	ctx := context.Background()
	slots, err := f.ix.Slots(ctx, f.slots)
	if err != nil || len(slots) == 0 {
		b.Fatalf("no slot to explain: %v", err)
	}
	s := slots[len(slots)/2]
	for _, tt := range []struct {
		name     string
		start    time.Time
		bookable bool
	}{{"bookable", s.Start, true}, {"off-grid", s.Start.Add(7 * time.Minute), false}} {
		q := agenda.ExplainQuery{ServiceID: s.ServiceID, AgentID: s.AgentID, PlaceID: s.PlaceID, Start: tt.start,
			Now: f.slots.Now, View: f.slots.View}
		b.Run("scale="+f.scale.Name+"/case="+tt.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ex, err := f.ix.Explain(ctx, q)
				if err != nil || ex.Bookable != tt.bookable {
					b.Fatalf("explain: %v, %+v", err, ex)
				}
			}
		})
	}
}
