package agenda

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/crossagenda/crossagenda/interval"
)

// TestLiveBusyMatchesDerive holds what Live keeps up to date
// incrementally to the records themselves, after each of a random sequence
// of bookings, cancellations, moves and deletions, with buffers and a
// one-off absence in the way: each agent's appointment index (a base and
// the changes since, compacted past overlayMax) holds exactly its current
// appointments and finds exactly those overlapping a random window, and
// its busy time (a new blocking appointment is merged into it) equals the
// busy time derived afresh from every record.
func TestLiveIndexMatchesRecords(t *testing.T) {
	day := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	ten := 10
	ds := &Dataset{
		Organisations: []Organisation{{ID: "o", Name: "O"}},
		Agents:        []Agent{{ID: "a", OrganisationIDs: []string{"o"}}, {ID: "b", OrganisationIDs: []string{"o"}}},
		Services:      []Service{{ID: "s", OrganisationID: "o", Name: "S", DurationMinutes: 30, BufferBeforeMinutes: 5, BufferAfterMinutes: ten}},
		Absences:      []Absence{{ID: "off", AgentID: "a", FirstDay: "2026-12-07", StartTime: "12:00", EndTime: "13:30"}},
	}
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 11))
		live, err := NewLive(ds)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for step := range 200 {
			switch op := rng.IntN(10); {
			case op < 6 || len(ids) == 0: // a new appointment, of one or both agents
				id := fmt.Sprintf("r%d", step)
				start := day.Add(time.Duration(rng.IntN(48)) * 15 * time.Minute)
				agents := []string{"a"}
				if rng.IntN(3) == 0 {
					agents = []string{"a", "b"}
				}
				status := StatusBooked
				if rng.IntN(5) == 0 {
					status = StatusRevoked
				}
				a := Appointment{ID: id, OrganisationID: "o", ServiceID: "s", AgentIDs: agents, Start: start,
					End: start.Add(time.Duration(1+rng.IntN(6)) * 15 * time.Minute), Status: status}
				if err := live.UpsertAppointment(a); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, id)
			case op < 8: // cancel
				if err := live.CancelAppointment(ids[rng.IntN(len(ids))], StatusExcused); err != nil && !errors.Is(err, ErrConflict) {
					t.Fatal(err) // a revoked one stays revoked
				}
			case op < 9: // move
				id := ids[rng.IntN(len(ids))]
				start := day.Add(time.Duration(rng.IntN(48)) * 15 * time.Minute)
				a := Appointment{ID: id, OrganisationID: "o", ServiceID: "s", AgentIDs: []string{"a"}, Start: start, End: start.Add(45 * time.Minute)}
				if err := live.UpsertAppointment(a); err != nil {
					t.Fatal(err)
				}
			default: // delete
				i := rng.IntN(len(ids))
				if err := live.DeleteAppointment(ids[i]); err != nil {
					t.Fatal(err)
				}
				ids = slices.Delete(ids, i, i+1)
			}
			for _, ag := range live.Snapshot().agents.all() {
				// The index holds exactly the agent's current records, and a
				// window query finds exactly those overlapping it.
				var want, got []string
				for _, r := range live.appts {
					if slices.Contains(r.agents, ag.idx) {
						want = append(want, r.id)
					}
				}
				for _, r := range ag.appts.all() {
					got = append(got, r.id)
				}
				slices.Sort(want)
				slices.Sort(got)
				if !slices.Equal(got, want) {
					t.Fatalf("seed %d step %d agent %d: appointments\n got %v\nwant %v", seed, step, ag.idx, got, want)
				}
				q := interval.Interval{Start: day.Unix() + int64(rng.IntN(48))*900, End: 0}
				q.End = q.Start + int64(1+rng.IntN(12))*900
				want, got = want[:0], got[:0]
				for _, r := range live.appts {
					if slices.Contains(r.agents, ag.idx) && r.start < q.End && q.Start < r.end {
						want = append(want, r.id)
					}
				}
				found := ag.appts.appendOverlapping(nil, q)
				if !slices.IsSortedFunc(found, func(a, b interval.Entry[*appt]) int { return interval.Compare(a.Interval, b.Interval) }) {
					t.Fatalf("seed %d step %d agent %d: overlapping %v not by start: %v", seed, step, ag.idx, q, found)
				}
				for _, e := range found {
					got = append(got, e.Value.id)
				}
				slices.Sort(want)
				slices.Sort(got)
				if !slices.Equal(got, want) {
					t.Fatalf("seed %d step %d agent %d: overlapping %v\n got %v\nwant %v", seed, step, ag.idx, q, got, want)
				}
				fresh := *ag
				fresh.derive()
				if !slices.Equal(ag.busyFixed, fresh.busyFixed) {
					t.Fatalf("seed %d step %d agent %d: busy time\n kept %v\n want %v", seed, step, ag.idx, ag.busyFixed, fresh.busyFixed)
				}
				if len(ag.busyFixed) > 0 && !slices.IsSortedFunc(ag.busyFixed, interval.Compare) {
					t.Fatalf("seed %d step %d: busy time not sorted: %v", seed, step, ag.busyFixed)
				}
			}
		}
	}
}
