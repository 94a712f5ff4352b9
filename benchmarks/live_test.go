package benchmarks

import (
	"fmt"
	"testing"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
)

// BenchmarkLiveUpdate moves one appointment back and forth on a live
// index of the benchmark scale (CROSSAGENDA_BENCH_SCALE, département by
// default; impl=live: per-agent copy-on-write and a snapshot swap) and
// compares it with what a service without live updates must do: rebuild
// the whole index (impl=rebuild).
func BenchmarkLiveUpdate(b *testing.B) {
	scale, err := benchScale()
	if err != nil {
		b.Fatal(err)
	}
	ds := rawDataset(scale)
	// An appointment of an agent in several organisations, so that the
	// update touches a realistic agent.
	var target agenda.Appointment
	for _, a := range ds.Appointments {
		if len(a.AgentIDs) == 1 && a.Status.Blocking() {
			target = a
			break
		}
	}
	moved := func(i int) agenda.Appointment {
		a := target
		a.AgentIDs = append([]string(nil), target.AgentIDs...)
		shift := time.Duration(i%2) * 24 * time.Hour
		a.Start, a.End = target.Start.Add(shift), target.End.Add(shift)
		return a
	}
	b.Run(fmt.Sprintf("scale=%s/impl=live", scale.Name), func(b *testing.B) {
		live, err := agenda.NewLive(ds)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if err := live.UpsertAppointment(moved(i)); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run(fmt.Sprintf("scale=%s/impl=rebuild", scale.Name), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := agenda.New(ds); err != nil {
				b.Fatal(err)
			}
		}
	})
}
