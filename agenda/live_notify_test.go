package agenda_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

// TestLiveOnChangeEachWrite checks the change of each kind of write by
// hand: the agent named and the range the record covers.
func TestLiveOnChangeEachWrite(t *testing.T) {
	ds := oneAgent(30)
	ds.Organisations = append(ds.Organisations, agenda.Organisation{ID: "o2"})
	ds.Agents = append(ds.Agents, agenda.Agent{ID: "a2", OrganisationIDs: []string{"o2"}})
	ds.OpeningPeriods = []agenda.OpeningPeriod{opening("p1", "2026-12-01", "09:00", "11:20", "")}
	live, err := agenda.NewLive(ds)
	require.NoError(t, err)
	var got []agenda.Change
	stop := live.OnChange(func(c agenda.Change) { got = append(got, c) })
	last := func() agenda.Change {
		t.Helper()
		require.NotEmpty(t, got)
		c := got[len(got)-1]
		got = got[:0]
		return c
	}
	utc := func(s string) time.Time { return at(s).UTC() }

	_, err = live.Book(context.Background(), agenda.Booking{ID: "r1", ServiceID: "m1", AgentID: "a1", PlaceID: "l1",
		Start: at("2026-12-01 09:30"), Now: at("2026-11-20 09:00")})
	require.NoError(t, err)
	assert.Equal(t, agenda.Change{AgentIDs: []string{"a1"}, From: utc("2026-12-01 09:30"), To: utc("2026-12-01 10:00")}, last())

	_, err = live.Hold(context.Background(), agenda.Booking{ID: "h1", ServiceID: "m1", AgentID: "a1", PlaceID: "l1",
		Start: at("2026-12-01 10:30"), Now: at("2026-11-20 09:00")}, time.Hour)
	require.NoError(t, err)
	assert.Equal(t, agenda.Change{AgentIDs: []string{"a1"}, From: utc("2026-12-01 10:30"), To: utc("2026-12-01 11:00")}, last())
	require.NoError(t, live.ReleaseHold("h1"))
	assert.Equal(t, agenda.Change{AgentIDs: []string{"a1"}, From: utc("2026-12-01 10:30"), To: utc("2026-12-01 11:00")}, last())

	require.NoError(t, live.CancelAppointment("r1", agenda.StatusExcused))
	assert.Equal(t, agenda.Change{AgentIDs: []string{"a1"}, From: utc("2026-12-01 09:30"), To: utc("2026-12-01 10:00")}, last())

	// Moving an appointment covers both places.
	require.NoError(t, live.UpsertAppointment(agenda.Appointment{ID: "r1", OrganisationID: "o1", AgentIDs: []string{"a1"},
		Start: at("2026-12-03 14:00"), End: at("2026-12-03 14:30")}))
	assert.Equal(t, agenda.Change{AgentIDs: []string{"a1"}, From: utc("2026-12-01 09:30"), To: utc("2026-12-03 14:30")}, last())

	require.NoError(t, live.UpsertAbsence(agenda.Absence{ID: "b1", AgentID: "a2", FirstDay: "2026-12-02", StartTime: "10:00",
		EndDay: "2026-12-04", EndTime: "12:00"}))
	assert.Equal(t, agenda.Change{AgentIDs: []string{"a2"}, From: utc("2026-12-02 10:00"), To: utc("2026-12-04 12:00")}, last())

	// Recurring records are not bounded.
	require.NoError(t, live.UpsertOpeningPeriod(opening("p2", "2026-12-01", "14:00", "15:00", "FREQ=WEEKLY")))
	assert.Equal(t, agenda.Change{AgentIDs: []string{"a1"}}, last())

	// A closed day of o2 concerns its agents, over that day.
	require.NoError(t, live.AddClosedDay(agenda.ClosedDay{Date: "2026-12-08", OrganisationID: "o2"}))
	assert.Equal(t, agenda.Change{AgentIDs: []string{"a2"}, From: utc("2026-12-08 00:00"), To: utc("2026-12-09 00:00")}, last())
	require.NoError(t, live.AddClosedDay(agenda.ClosedDay{Date: "2026-12-09"}))
	assert.Equal(t, agenda.Change{AgentIDs: []string{"a1", "a2"}, From: utc("2026-12-09 00:00"), To: utc("2026-12-10 00:00")}, last())

	stop()
	require.NoError(t, live.DeleteAppointment("r1"))
	assert.Empty(t, got, "no call after stop")
}

// TestLiveOnChangeCoversEveryDifference applies random writes and checks,
// against the agendas themselves, that every agent whose agenda differs
// between the snapshots before and after is named, and that nothing
// differs outside the range.
func TestLiveOnChangeCoversEveryDifference(t *testing.T) {
	seeds, steps := 12, 30
	if testing.Short() {
		seeds, steps = 4, 15
	}
	ctx := context.Background()
	for seed := range uint64(seeds) {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			rc := gen.Random(seed, gen.RandomConfig{})
			live, err := agenda.NewLive(rc.Dataset)
			require.NoError(t, err)
			var changes []agenda.Change
			live.OnChange(func(c agenda.Change) { changes = append(changes, c) })
			rng := rand.New(rand.NewPCG(seed, 11))
			model := cloneDataset(rc.Dataset)
			keys := func(ix *agenda.Index, agent string, from, to time.Time) []string {
				if !from.Before(to) {
					return nil
				}
				ag, err := ix.Agenda(ctx, agent, from, to)
				require.NoError(t, err)
				return agendaKeys(ag)
			}
			for step := range steps {
				before := live.Snapshot()
				changes = changes[:0]
				applyRandomChange(t, rng, live, model, rc, step)
				after := live.Snapshot()
				require.Len(t, changes, 1, "step %d: one write, one change", step)
				c := changes[0]
				require.NotEmpty(t, c.AgentIDs)
				for _, a := range rc.Dataset.Agents {
					if !slices.Contains(c.AgentIDs, a.ID) {
						require.Equal(t, keys(before, a.ID, rc.From, rc.To), keys(after, a.ID, rc.From, rc.To),
							"step %d: agent %s is not named but its agenda changed", step, a.ID)
						continue
					}
					if !c.From.IsZero() {
						end := c.From
						if end.After(rc.To) {
							end = rc.To
						}
						require.Equal(t, keys(before, a.ID, rc.From, end), keys(after, a.ID, rc.From, end),
							"step %d: agent %s changed before %s", step, a.ID, c.From)
					}
					if !c.To.IsZero() {
						start := c.To
						if start.Before(rc.From) {
							start = rc.From
						}
						require.Equal(t, keys(before, a.ID, start, rc.To), keys(after, a.ID, start, rc.To),
							"step %d: agent %s changed after %s", step, a.ID, c.To)
					}
				}
			}
		})
	}
}

// TestLiveOnChangeConcurrent books from many goroutines while watchers
// come and go (run it with -race): a watcher registered throughout sees
// one change per booking, naming the booked agent.
func TestLiveOnChangeConcurrent(t *testing.T) {
	ds := gen.Generate(gen.Small, 5)
	live, err := agenda.NewLive(ds)
	require.NoError(t, err)
	var mu sync.Mutex
	seen := map[string]int{}
	stop := live.OnChange(func(c agenda.Change) {
		mu.Lock()
		defer mu.Unlock()
		for _, a := range c.AgentIDs {
			seen[a]++
		}
	})
	defer stop()
	ctx := context.Background()
	now := gen.DefaultAnchor()
	from := now.AddDate(0, 0, 7)
	var booked sync.Map // agent -> count
	var churn atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // watchers registered and removed meanwhile
		defer wg.Done()
		for !churn.Load() {
			live.OnChange(func(agenda.Change) {})()
		}
	}()
	var workers sync.WaitGroup
	for w := range 4 {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for _, svc := range ds.Services[w*len(ds.Services)/4 : (w+1)*len(ds.Services)/4] {
				if svc.Collective {
					continue
				}
				slots, err := live.Slots(ctx, agenda.SlotQuery{ServiceID: svc.ID, From: from, To: from.AddDate(0, 0, 7),
					Now: now, View: agenda.ViewAgent})
				require.NoError(t, err)
				for i, s := range slots[:min(3, len(slots))] {
					_, err := live.Book(ctx, agenda.Booking{ID: fmt.Sprintf("c-%s-%d", svc.ID, i), ServiceID: svc.ID,
						AgentID: s.AgentID, PlaceID: s.PlaceID, Start: s.Start, Now: now, View: agenda.ViewAgent})
					if err == nil {
						n, _ := booked.LoadOrStore(s.AgentID, new(atomic.Int32))
						n.(*atomic.Int32).Add(1)
					}
				}
			}
		}()
	}
	workers.Wait()
	churn.Store(true)
	wg.Wait()
	total := 0
	booked.Range(func(k, v any) bool {
		n := int(v.(*atomic.Int32).Load())
		total += n
		assert.Equal(t, n, seen[k.(string)], "agent %s", k)
		return true
	})
	assert.Positive(t, total)
	assert.Len(t, seen, func() int { n := 0; booked.Range(func(any, any) bool { n++; return true }); return n }())
}
