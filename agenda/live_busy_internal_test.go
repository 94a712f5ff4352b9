package agenda

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/crossagenda/crossagenda/interval"
)

// TestLiveBusyMatchesDerive holds the busy time Live keeps up to date
// incrementally (a new blocking appointment is merged into it) to the busy
// time derived afresh from every record, after each of a random sequence
// of bookings, cancellations, moves and deletions, with buffers and a
// one-off absence in the way.
func TestLiveBusyMatchesDerive(t *testing.T) {
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
				if err := live.CancelAppointment(ids[rng.IntN(len(ids))], StatusExcused); err != nil {
					t.Fatal(err)
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
			for _, ag := range live.Snapshot().agents {
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
