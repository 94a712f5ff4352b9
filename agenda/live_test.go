package agenda_test

import (
	"context"
	"errors"
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

func TestLiveAppointmentLifecycle(t *testing.T) {
	ds := oneAgent(30)
	ds.OpeningPeriods = []agenda.OpeningPeriod{opening("p1", "2026-12-01", "09:00", "11:20", "")}
	live, err := agenda.NewLive(ds)
	require.NoError(t, err)
	ctx := context.Background()
	q := agenda.SlotQuery{ServiceID: "m1", From: at("2026-12-01 00:00"), To: at("2026-12-02 00:00"), Now: at("2026-12-01 07:00")}
	starts := func(ix *agenda.Index) []string {
		slots, err := ix.Slots(ctx, q)
		require.NoError(t, err)
		var out []string
		for _, s := range slots {
			out = append(out, s.Start.In(paris).Format("15:04"))
		}
		return out
	}
	before := live.Snapshot()
	require.NoError(t, live.UpsertAppointment(agenda.Appointment{ID: "r1", OrganisationID: "o1", AgentIDs: []string{"a1"},
		Start: at("2026-12-01 09:30"), End: at("2026-12-01 09:45")}))
	assert.Equal(t, []string{"09:00", "09:45", "10:15", "10:45"}, starts(live.Snapshot()))
	assert.Equal(t, []string{"09:00", "09:30", "10:00", "10:30"}, starts(before), "an old snapshot never changes")

	require.NoError(t, live.CancelAppointment("r1", agenda.StatusRevoked))
	assert.Equal(t, []string{"09:00", "09:30", "10:00", "10:30"}, starts(live.Snapshot()))

	require.NoError(t, live.UpsertAppointment(agenda.Appointment{ID: "r1", OrganisationID: "o1", AgentIDs: []string{"a1"},
		Start: at("2026-12-01 10:00"), End: at("2026-12-01 10:30")}))
	assert.Equal(t, []string{"09:00", "09:30", "10:30"}, starts(live.Snapshot()))

	require.NoError(t, live.DeleteAppointment("r1"))
	assert.Equal(t, []string{"09:00", "09:30", "10:00", "10:30"}, starts(live.Snapshot()))
	assert.ErrorIs(t, live.DeleteAppointment("r1"), agenda.ErrNotFound)

	err = live.UpsertAppointment(agenda.Appointment{ID: "r2", OrganisationID: "o1", AgentIDs: []string{"nobody"},
		Start: at("2026-12-01 10:00"), End: at("2026-12-01 10:30")})
	var rerr *agenda.RecordError
	require.ErrorAs(t, err, &rerr)
	assert.Equal(t, "agent_ids", rerr.Field)
	assert.Equal(t, `agenda: appointment "r2": agent_ids "nobody" is not a known agent`, rerr.Error())

	require.NoError(t, live.UpsertAbsence(agenda.Absence{ID: "b1", AgentID: "a1", FirstDay: "2026-12-01", StartTime: "09:45", EndTime: "10:15"}))
	assert.Equal(t, []string{"09:00", "10:15", "10:45"}, starts(live.Snapshot()))
	require.NoError(t, live.DeleteAbsence("b1"))

	require.NoError(t, live.AddClosedDay(agenda.ClosedDay{Date: "2026-12-01"}))
	assert.Empty(t, starts(live.Snapshot()))
	require.NoError(t, live.RemoveClosedDay("2026-12-01", ""))
	assert.Len(t, starts(live.Snapshot()), 4)

	require.NoError(t, live.UpsertOpeningPeriod(opening("p2", "2026-12-01", "14:00", "15:00", "")))
	assert.Equal(t, []string{"09:00", "09:30", "10:00", "10:30", "14:00", "14:30"}, starts(live.Snapshot()))
	require.NoError(t, live.DeleteOpeningPeriod("p1"))
	assert.Equal(t, []string{"14:00", "14:30"}, starts(live.Snapshot()))
	require.NoError(t, live.DeleteOpeningPeriod("p2"))
	assert.Empty(t, starts(live.Snapshot()))
}

func TestLiveBook(t *testing.T) {
	ds := oneAgent(30)
	ds.OpeningPeriods = []agenda.OpeningPeriod{opening("p1", "2026-12-01", "09:00", "11:20", "")}
	ds.Services = append(ds.Services, agenda.Service{ID: "w1", OrganisationID: "o1", DurationMinutes: 60, Collective: true})
	ds.Appointments = []agenda.Appointment{{ID: "ws", OrganisationID: "o1", ServiceID: "w1", AgentIDs: []string{"a1"},
		Start: at("2026-12-01 14:00"), End: at("2026-12-01 15:00"), Capacity: 2, Participants: 1}}
	live, err := agenda.NewLive(ds)
	require.NoError(t, err)
	ctx := context.Background()
	b := agenda.Booking{ID: "x1", ServiceID: "m1", AgentID: "a1", PlaceID: "l1", Start: at("2026-12-01 09:30"), Now: at("2026-12-01 07:00")}
	got, err := live.Book(ctx, b)
	require.NoError(t, err)
	assert.True(t, got.End.Equal(at("2026-12-01 10:00")))
	b.ID = "x2"
	_, err = live.Book(ctx, b)
	assert.ErrorIs(t, err, agenda.ErrConflict, "the same slot twice")
	b.Start = at("2026-12-01 09:40")
	_, err = live.Book(ctx, b)
	assert.ErrorIs(t, err, agenda.ErrConflict, "off the slot grid")
	b.Start = at("2026-12-01 10:00")
	_, err = live.Book(ctx, b)
	assert.NoError(t, err)

	seat := agenda.Booking{ID: "ws", ServiceID: "w1", AgentID: "a1", Now: at("2026-12-01 07:00")}
	_, err = live.Book(ctx, seat)
	require.NoError(t, err)
	_, err = live.Book(ctx, seat)
	assert.ErrorIs(t, err, agenda.ErrConflict, "the workshop is full")
}

// TestLiveSeatID: a seat id takes one seat however often its booking is
// repeated, even by racing callers; it cannot take a seat in another
// appointment, nor answer for one since cancelled; it is refused where no
// seat is booked.
func TestLiveSeatID(t *testing.T) {
	ds := oneAgent(30)
	ds.OpeningPeriods = []agenda.OpeningPeriod{opening("p1", "2026-12-01", "09:00", "11:20", "")}
	ds.Services = append(ds.Services, agenda.Service{ID: "w1", OrganisationID: "o1", DurationMinutes: 60, Collective: true})
	ds.Appointments = []agenda.Appointment{
		{ID: "ws", OrganisationID: "o1", ServiceID: "w1", AgentIDs: []string{"a1"},
			Start: at("2026-12-01 14:00"), End: at("2026-12-01 15:00"), Capacity: 3, Participants: 1},
		{ID: "ws2", OrganisationID: "o1", ServiceID: "w1", AgentIDs: []string{"a1"},
			Start: at("2026-12-01 16:00"), End: at("2026-12-01 17:00"), Capacity: 3}}
	live, err := agenda.NewLive(ds)
	require.NoError(t, err)
	ctx := context.Background()
	now := at("2026-12-01 07:00")

	// Sixteen callers repeat one seat booking at once: one seat.
	seat := agenda.Booking{ID: "ws", ServiceID: "w1", Now: now, SeatID: "seat-1"}
	var wg sync.WaitGroup
	participants := make([]int, 16)
	for i := range participants {
		wg.Go(func() {
			got, err := live.Book(ctx, seat)
			if assert.NoError(t, err) {
				participants[i] = got.Participants
			}
		})
	}
	wg.Wait()
	for _, p := range participants {
		assert.Equal(t, 2, p, "every repeat answers the appointment with the one seat taken")
	}

	// Another seat id takes another seat; without one, each booking does.
	seat.SeatID = "seat-2"
	got, err := live.Book(ctx, seat)
	require.NoError(t, err)
	assert.Equal(t, 3, got.Participants)
	seat.SeatID = ""
	_, err = live.Book(ctx, seat)
	assert.ErrorIs(t, err, agenda.ErrConflict, "full")
	// A repeat is answered even when the appointment is full.
	seat.SeatID = "seat-1"
	got, err = live.Book(ctx, seat)
	require.NoError(t, err)
	assert.Equal(t, 3, got.Participants)

	// The seat id of a seat of ws cannot take a seat in ws2.
	_, err = live.Book(ctx, agenda.Booking{ID: "ws2", ServiceID: "w1", Now: now, SeatID: "seat-1"})
	assert.ErrorIs(t, err, agenda.ErrIDConflict)
	assert.Equal(t, 0, live.Snapshot().Dataset().Appointments[1].Participants)

	// Once ws is cancelled, its seat ids answer no more.
	require.NoError(t, live.CancelAppointment("ws", agenda.StatusRevoked))
	_, err = live.Book(ctx, seat)
	assert.ErrorIs(t, err, agenda.ErrIDConflict)
	assert.ErrorContains(t, err, "cancelled")
	// Deleted, its seat ids go with it: a new appointment of its id is
	// another session, where seat-1 takes a seat.
	require.NoError(t, live.DeleteAppointment("ws"))
	require.NoError(t, live.UpsertAppointment(ds.Appointments[0]))
	got, err = live.Book(ctx, seat)
	require.NoError(t, err)
	assert.Equal(t, 2, got.Participants)

	// Where no seat is booked, a seat id is an error, not ignored.
	single := agenda.Booking{ID: "x1", ServiceID: "m1", AgentID: "a1", PlaceID: "l1", Start: at("2026-12-01 09:30"), Now: now, SeatID: "s"}
	_, err = live.Book(ctx, single)
	assert.ErrorIs(t, err, agenda.ErrInvalidQuery)
	_, err = live.Hold(ctx, single, time.Minute)
	assert.ErrorIs(t, err, agenda.ErrInvalidQuery)
	_, err = live.Snapshot().CheckBooking(ctx, single)
	assert.ErrorIs(t, err, agenda.ErrInvalidQuery)
	single.SeatID = ""
	_, err = live.Book(ctx, single)
	assert.NoError(t, err, "the refusals took nothing")
}

// TestLiveMatchesRebuild applies seeded random changes to a Live and to a
// plain dataset, and checks after each step that the live snapshot
// answers like an index rebuilt from the dataset.
func TestLiveMatchesRebuild(t *testing.T) {
	seeds, steps := 20, 30
	if testing.Short() {
		seeds, steps = 5, 15
	}
	ctx := context.Background()
	for seed := range uint64(seeds) {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			rc := gen.Random(seed, gen.RandomConfig{})
			ds := rc.Dataset
			live, err := agenda.NewLive(ds)
			require.NoError(t, err)
			rng := rand.New(rand.NewPCG(seed, 7))
			model := cloneDataset(ds)
			for step := range steps {
				applyRandomChange(t, rng, live, model, rc, step)
				rebuilt, err := agenda.New(model)
				require.NoError(t, err)
				assertSameAnswers(t, ctx, live.Snapshot(), rebuilt, rc)
			}
			exported := live.Snapshot().Dataset()
			again, err := agenda.New(exported)
			require.NoError(t, err)
			assertSameAnswers(t, ctx, live.Snapshot(), again, rc)
		})
	}
}

func cloneDataset(ds *agenda.Dataset) *agenda.Dataset {
	c := *ds
	c.Appointments = slices.Clone(ds.Appointments)
	c.Absences = slices.Clone(ds.Absences)
	c.OpeningPeriods = slices.Clone(ds.OpeningPeriods)
	c.ClosedDays = slices.Clone(ds.ClosedDays)
	return &c
}

func applyRandomChange(t *testing.T, rng *rand.Rand, live *agenda.Live, model *agenda.Dataset, rc gen.RandomCase, step int) {
	t.Helper()
	span := rc.To.Sub(rc.From)
	randomTime := func() time.Time {
		return rc.From.Add(time.Duration(rng.Int64N(int64(span/time.Minute))) * time.Minute)
	}
	agent := model.Agents[rng.IntN(len(model.Agents))]
	op := rng.IntN(7)
	if op == 3 && !slices.ContainsFunc(model.Appointments, func(a agenda.Appointment) bool { return a.Status.Blocking() }) {
		op = 0 // nothing to cancel: a cancellation is final
	}
	switch {
	case op <= 2 || len(model.Appointments) == 0: // new appointment
		start := randomTime()
		a := agenda.Appointment{ID: fmt.Sprintf("live%d", step), OrganisationID: agent.OrganisationIDs[0],
			AgentIDs: []string{agent.ID}, Start: start, End: start.Add(time.Duration(15+rng.IntN(120)) * time.Minute)}
		require.NoError(t, live.UpsertAppointment(a))
		model.Appointments = append(model.Appointments, a)
	case op == 3: // cancel one that stands
		var standing []int
		for i, a := range model.Appointments {
			if a.Status.Blocking() {
				standing = append(standing, i)
			}
		}
		i := standing[rng.IntN(len(standing))]
		require.NoError(t, live.CancelAppointment(model.Appointments[i].ID, agenda.StatusExcused))
		model.Appointments[i].Status = agenda.StatusExcused
	case op == 4: // delete one
		i := rng.IntN(len(model.Appointments))
		require.NoError(t, live.DeleteAppointment(model.Appointments[i].ID))
		model.Appointments = slices.Delete(model.Appointments, i, i+1)
	case op == 5: // a multi-day absence
		start := randomTime()
		b := agenda.Absence{ID: fmt.Sprintf("liveb%d", step), AgentID: agent.ID, FirstDay: start.Format("2006-01-02"),
			StartTime: "10:00", EndDay: start.AddDate(0, 0, rng.IntN(3)).Format("2006-01-02"), EndTime: "16:30"}
		require.NoError(t, live.UpsertAbsence(b))
		model.Absences = append(model.Absences, b)
	default: // close a day everywhere, if not closed already
		d := randomTime().Format("2006-01-02")
		if slices.ContainsFunc(model.ClosedDays, func(c agenda.ClosedDay) bool { return c.Date == d && c.OrganisationID == "" }) {
			require.NoError(t, live.RemoveClosedDay(d, ""))
			model.ClosedDays = slices.DeleteFunc(model.ClosedDays, func(c agenda.ClosedDay) bool { return c.Date == d && c.OrganisationID == "" })
		} else {
			require.NoError(t, live.AddClosedDay(agenda.ClosedDay{Date: d}))
			model.ClosedDays = append(model.ClosedDays, agenda.ClosedDay{Date: d})
		}
	}
}

func assertSameAnswers(t *testing.T, ctx context.Context, got, want *agenda.Index, rc gen.RandomCase) {
	t.Helper()
	for _, a := range rc.Dataset.Agents {
		g, err := got.Agenda(ctx, a.ID, rc.From, rc.To)
		require.NoError(t, err)
		w, err := want.Agenda(ctx, a.ID, rc.From, rc.To)
		require.NoError(t, err)
		require.Equal(t, agendaKeys(w), agendaKeys(g), "agent %s", a.ID)
	}
	for _, s := range rc.Dataset.Services {
		q := agenda.SlotQuery{ServiceID: s.ID, From: rc.From, To: rc.To, Now: rc.Now, View: agenda.ViewAgent}
		g, err := got.Slots(ctx, q)
		require.NoError(t, err)
		w, err := want.Slots(ctx, q)
		require.NoError(t, err)
		require.Equal(t, oursSlotKeys(w), oursSlotKeys(g), "service %s", s.ID)
	}
}

func agendaKeys(ag *agenda.AgentAgenda) []string {
	var out []string
	for _, e := range ag.Events {
		out = append(out, eventKey(string(e.Kind), e.ID, e.OrganisationID, e.PlaceID, e.Start, e.End, e.Status, e.Blocking, e.BufferBeforeMinutes, e.BufferAfterMinutes))
	}
	get := func(s agenda.Span) (time.Time, time.Time) { return s.Start, s.End }
	out = append(out, "busy")
	out = append(out, spanKeys(ag.Busy, get)...)
	out = append(out, "free")
	return append(out, spanKeys(ag.Free, get)...)
}

// TestLiveStress books, cancels and queries from many goroutines at once
// (run it with -race). Afterwards no booking is lost or doubled, no two
// bookings of an agent overlap, and the live index answers like a rebuild
// from its own export.
func TestLiveStress(t *testing.T) {
	d := 2 * time.Second
	if testing.Short() {
		d = 300 * time.Millisecond
	}
	ds := gen.Generate(gen.Small, 3)
	live, err := agenda.NewLive(ds)
	require.NoError(t, err)
	ctx := context.Background()
	now := gen.DefaultAnchor()
	week := agenda.SlotQuery{From: now, To: now.AddDate(0, 0, 7), Now: now, View: agenda.ViewAgent}

	var (
		mu        sync.Mutex
		booked    = map[string]agenda.Appointment{} // id -> booking, while not cancelled
		cancelled = map[string]bool{}
		conflicts atomic.Int64
		nextID    atomic.Int64
		queries   atomic.Int64
	)
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 11))
			for time.Now().Before(deadline) {
				snap := live.Snapshot()
				svc := ds.Services[rng.IntN(len(ds.Services))]
				if svc.Collective {
					continue
				}
				q := week
				q.ServiceID = svc.ID
				slots, err := snap.Slots(ctx, q)
				if !assert.NoError(t, err) {
					return
				}
				queries.Add(1)
				if len(slots) == 0 {
					continue
				}
				// Many workers aim at the first few slots: real contention.
				s := slots[rng.IntN(min(len(slots), 3))]
				id := fmt.Sprintf("bk%d", nextID.Add(1))
				a, err := live.Book(ctx, agenda.Booking{ID: id, ServiceID: s.ServiceID, AgentID: s.AgentID, PlaceID: s.PlaceID,
					Start: s.Start, Now: now, View: agenda.ViewAgent})
				var berr *agenda.BookingError
				switch {
				case errors.Is(err, agenda.ErrConflict):
					conflicts.Add(1)
				case errors.As(err, &berr) && onlyOffGrid(berr):
					// A cancellation merged free time and moved the grid
					// away from the slot seen: refused as off the grid.
					conflicts.Add(1)
				case assert.NoError(t, err):
					mu.Lock()
					booked[id] = a
					mu.Unlock()
				}
				if rng.IntN(4) == 0 { // cancel one of ours now and then
					mu.Lock()
					var victim string
					for k := range booked {
						victim = k
						break
					}
					if victim != "" {
						delete(booked, victim)
						cancelled[victim] = true
					}
					mu.Unlock()
					if victim != "" {
						assert.NoError(t, live.CancelAppointment(victim, agenda.StatusExcused))
					}
				}
			}
		}()
	}
	wg.Wait()
	require.NotEmpty(t, booked)
	t.Logf("%d bookings kept, %d cancelled, %d conflicts, %d slot queries", len(booked), len(cancelled), conflicts.Load(), queries.Load())

	final := live.Snapshot()
	exported := final.Dataset()
	byID := map[string]agenda.Appointment{}
	for _, a := range exported.Appointments {
		byID[a.ID] = a
	}
	for id, b := range booked {
		a, ok := byID[id]
		require.True(t, ok, "booking %s lost", id)
		assert.True(t, a.Start.Equal(b.Start) && a.Status.Blocking(), "booking %s changed", id)
	}
	for id := range cancelled {
		assert.False(t, byID[id].Status.Blocking(), "cancelled booking %s still blocks", id)
	}
	assert.Len(t, exported.Appointments, len(ds.Appointments)+len(booked)+len(cancelled))
	// No two live bookings of one agent overlap.
	perAgent := map[string][]agenda.Appointment{}
	for _, b := range booked {
		perAgent[b.AgentIDs[0]] = append(perAgent[b.AgentIDs[0]], b)
	}
	for agent, list := range perAgent {
		slices.SortFunc(list, func(x, y agenda.Appointment) int { return x.Start.Compare(y.Start) })
		for i := 1; i < len(list); i++ {
			assert.False(t, list[i].Start.Before(list[i-1].End), "agent %s double-booked: %s and %s", agent, list[i-1].ID, list[i].ID)
		}
	}
	rebuilt, err := agenda.New(exported)
	require.NoError(t, err)
	for _, svc := range ds.Services {
		q := week
		q.ServiceID = svc.ID
		g, err := final.Slots(ctx, q)
		require.NoError(t, err)
		w, err := rebuilt.Slots(ctx, q)
		require.NoError(t, err)
		require.Equal(t, oursSlotKeys(w), oursSlotKeys(g), "service %s", svc.ID)
	}
	for _, a := range ds.Agents {
		g, err := final.Agenda(ctx, a.ID, now, now.AddDate(0, 0, 7))
		require.NoError(t, err)
		w, err := rebuilt.Agenda(ctx, a.ID, now, now.AddDate(0, 0, 7))
		require.NoError(t, err)
		require.Equal(t, agendaKeys(w), agendaKeys(g), "agent %s", a.ID)
	}
}

// onlyOffGrid reports whether the booking was refused for being off the
// slot grid and nothing else.
func onlyOffGrid(e *agenda.BookingError) bool {
	for _, r := range e.Explanation.Reasons {
		if r.Kind != agenda.ReasonOffGrid {
			return false
		}
	}
	return len(e.Explanation.Reasons) > 0
}
