package benchmarks

import (
	"runtime"
	"testing"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
)

// liveUpdateBytes is the heap allocated per UpsertAppointment that moves
// one appointment of agent g0 back and forth by a day, on a Live of the
// dataset of spec.
func liveUpdateBytes(t *testing.T, spec guardSpec) float64 {
	t.Helper()
	ds := guardDataset(t, spec)
	live, err := agenda.NewLive(ds)
	if err != nil {
		t.Fatal(err)
	}
	var target agenda.Appointment
	for _, a := range ds.Appointments {
		if a.AgentIDs[0] == "g0" && a.Status == agenda.StatusBooked {
			target = a
			break
		}
	}
	move := func(i int) {
		a := target
		shift := time.Duration(i%2) * 24 * time.Hour
		a.Start, a.End = target.Start.Add(shift), target.End.Add(shift)
		if err := live.UpsertAppointment(a); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 10 { // warm up
		move(i)
	}
	const n = 200
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := range n {
		move(i)
	}
	runtime.ReadMemStats(&after)
	return float64(after.TotalAlloc-before.TotalAlloc) / n
}

// TestGuardLiveUpdateGrowth: what a live update of one agent allocates
// grows by under half a byte per agent of the dataset, from 100 agents to
// 4,000: the new snapshot copies the changed agent's chunk of the agent
// directory and the chunk table (a slice header per 64 agents, 0.375 byte
// per agent), not the directory (a pointer, 8 bytes, per agent).
func TestGuardLiveUpdateGrowth(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a dataset of 4,000 agents")
	}
	spec := guardSpec{rule: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", first: "2026-11-02"}
	spec.agents = 100
	small := liveUpdateBytes(t, spec)
	spec.agents = 4000
	big := liveUpdateBytes(t, spec)
	perAgent := (big - small) / (4000 - 100)
	t.Logf("bytes allocated per live update: %.0f with 100 agents, %.0f with 4,000: %.2f more per agent", small, big, perAgent)
	if perAgent > 0.5 {
		t.Errorf("a live update allocates %.0f bytes with 4,000 agents and %.0f with 100: %.2f bytes more per agent, want at most 0.5", big, small, perAgent)
	}
}
