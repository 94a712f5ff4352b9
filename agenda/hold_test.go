package agenda_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
)

// manualClock is a clock a test moves by hand.
type manualClock struct{ ns atomic.Int64 }

func newManualClock(t time.Time) *manualClock {
	c := &manualClock{}
	c.ns.Store(t.UnixNano())
	return c
}

func (c *manualClock) Now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *manualClock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

// holdDataset: agent a1 opens Monday 2 March 2026 09:00-12:00 (Paris) both
// in o1 at l1 for m1 (30 minutes) and in o2 at l2 for m2 (60 minutes);
// m3 is a collective service of o1.
func holdDataset() *agenda.Dataset {
	return &agenda.Dataset{
		TimeZone:      "Europe/Paris",
		Organisations: []agenda.Organisation{{ID: "o1"}, {ID: "o2"}},
		Agents:        []agenda.Agent{{ID: "a1", OrganisationIDs: []string{"o1", "o2"}}},
		Places:        []agenda.Place{{ID: "l1", OrganisationID: "o1"}, {ID: "l2", OrganisationID: "o2"}},
		Services: []agenda.Service{{ID: "m1", OrganisationID: "o1", DurationMinutes: 30},
			{ID: "m2", OrganisationID: "o2", DurationMinutes: 60},
			{ID: "m3", OrganisationID: "o1", DurationMinutes: 60, Collective: true}},
		OpeningPeriods: []agenda.OpeningPeriod{
			{ID: "p1", AgentID: "a1", OrganisationID: "o1", PlaceID: "l1", ServiceIDs: []string{"m1"},
				FirstDay: "2026-03-02", StartTime: "09:00", EndTime: "12:00"},
			{ID: "p2", AgentID: "a1", OrganisationID: "o2", PlaceID: "l2", ServiceIDs: []string{"m2"},
				FirstDay: "2026-03-02", StartTime: "09:00", EndTime: "12:00"},
		},
	}
}

type holdFixture struct {
	live  *agenda.Live
	clock *manualClock
	at    func(h, m int) time.Time
	now   time.Time // the bookings' now: the Sunday before
}

func newHoldFixture(t *testing.T) *holdFixture {
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	at := func(h, m int) time.Time { return time.Date(2026, 3, 2, h, m, 0, 0, paris) }
	clock := newManualClock(at(8, 0))
	live, err := agenda.NewLive(holdDataset(), agenda.WithClock(clock.Now))
	require.NoError(t, err)
	return &holdFixture{live: live, clock: clock, at: at, now: at(8, 0).AddDate(0, 0, -1)}
}

// starts lists the slot starts of a service as "HH:MM", in view v.
func (f *holdFixture) starts(t *testing.T, service string, v agenda.View) []string {
	t.Helper()
	slots, err := f.live.Slots(context.Background(), agenda.SlotQuery{ServiceID: service,
		From: f.at(0, 0), To: f.at(23, 0), Now: f.now, View: v})
	require.NoError(t, err)
	out := []string{}
	for _, s := range slots {
		out = append(out, s.Start.Format("15:04"))
	}
	return out
}

func (f *holdFixture) booking(id string, h, m int) agenda.Booking {
	return agenda.Booking{ID: id, ServiceID: "m1", AgentID: "a1", PlaceID: "l1", Start: f.at(h, m), Now: f.now}
}

func TestHoldBlocksEveryViewUntilItExpires(t *testing.T) {
	f := newHoldFixture(t)
	ctx := context.Background()
	allM1 := []string{"09:00", "09:30", "10:00", "10:30", "11:00", "11:30"}
	for _, v := range []agenda.View{agenda.ViewUser, agenda.ViewAgent} {
		require.Equal(t, allM1, f.starts(t, "m1", v))
		require.Equal(t, []string{"09:00", "10:00", "11:00"}, f.starts(t, "m2", v))
	}

	held, err := f.live.Hold(ctx, f.booking("h1", 9, 30), 10*time.Minute)
	require.NoError(t, err)
	assert.Equal(t, "h1", held.ID)
	assert.True(t, f.at(10, 0).Equal(held.End))
	for _, v := range []agenda.View{agenda.ViewUser, agenda.ViewAgent} {
		assert.Equal(t, []string{"09:00", "10:00", "10:30", "11:00", "11:30"}, f.starts(t, "m1", v), "view %s", v)
		// In the other organisation too: 09:00-10:00 no longer fits.
		assert.Equal(t, []string{"10:00", "11:00"}, f.starts(t, "m2", v), "view %s", v)
	}

	// Neither a booking nor another hold takes a held slot.
	_, err = f.live.Book(ctx, f.booking("r1", 9, 30))
	assert.ErrorIs(t, err, agenda.ErrConflict)
	_, err = f.live.Hold(ctx, f.booking("h2", 9, 30), time.Minute)
	assert.ErrorIs(t, err, agenda.ErrConflict)
	_, err = f.live.Book(ctx, agenda.Booking{ID: "r2", ServiceID: "m2", AgentID: "a1", PlaceID: "l2", Start: f.at(9, 0), Now: f.now})
	assert.ErrorIs(t, err, agenda.ErrConflict)

	// The agenda shows it as a hold; another organisation sees a bare hold.
	ag, err := f.live.Agenda(ctx, "a1", f.at(0, 0), f.at(23, 0))
	require.NoError(t, err)
	assert.Contains(t, ag.Events, agenda.Event{Kind: agenda.KindHold, ID: "h1", OrganisationID: "o1", PlaceID: "l1",
		ServiceIDs: []string{"m1"}, Start: f.at(9, 30), End: f.at(10, 0), Blocking: true})
	assert.Contains(t, ag.Busy, agenda.Span{Start: f.at(9, 30), End: f.at(10, 0)})
	ag2, err := f.live.AgendaFor(ctx, "o2", "a1", f.at(0, 0), f.at(23, 0))
	require.NoError(t, err)
	assert.Contains(t, ag2.Events, agenda.Event{Kind: agenda.KindHold, Start: f.at(9, 30), End: f.at(10, 0), Blocking: true})

	// One second before expiry it still blocks; at expiry it blocks nothing,
	// though nothing has cleaned it up.
	f.clock.Advance(10*time.Minute - time.Second)
	assert.NotContains(t, f.starts(t, "m1", agenda.ViewUser), "09:30")
	f.clock.Advance(time.Second)
	assert.Equal(t, allM1, f.starts(t, "m1", agenda.ViewUser))
	assert.Equal(t, []string{"09:00", "10:00", "11:00"}, f.starts(t, "m2", agenda.ViewAgent))
	ag, err = f.live.Agenda(ctx, "a1", f.at(0, 0), f.at(23, 0))
	require.NoError(t, err)
	for _, e := range ag.Events {
		assert.NotEqual(t, agenda.KindHold, e.Kind)
	}
	_, err = f.live.Confirm(ctx, "h1")
	assert.ErrorIs(t, err, agenda.ErrExpired)
	_, err = f.live.Confirm(ctx, "h1")
	assert.ErrorIs(t, err, agenda.ErrNotFound, "an expired hold is forgotten once refused")

	// The slot is bookable again.
	_, err = f.live.Book(ctx, f.booking("r1", 9, 30))
	assert.NoError(t, err)
}

func TestHoldConfirmAndRelease(t *testing.T) {
	f := newHoldFixture(t)
	ctx := context.Background()
	_, err := f.live.Hold(ctx, f.booking("h1", 10, 0), time.Hour)
	require.NoError(t, err)
	_, err = f.live.Hold(ctx, f.booking("h2", 11, 0), time.Hour)
	require.NoError(t, err)

	a, err := f.live.Confirm(ctx, "h1")
	require.NoError(t, err)
	require.NotNil(t, a.BufferBeforeMinutes)
	require.NotNil(t, a.BufferAfterMinutes)
	assert.Zero(t, *a.BufferBeforeMinutes+*a.BufferAfterMinutes, "m1 has no buffers")
	a.BufferBeforeMinutes, a.BufferAfterMinutes = nil, nil
	assert.Equal(t, agenda.Appointment{ID: "h1", OrganisationID: "o1", PlaceID: "l1", ServiceID: "m1", AgentIDs: []string{"a1"},
		Start: f.at(10, 0), End: f.at(10, 30), Status: agenda.StatusBooked}, a)
	again, err := f.live.Confirm(ctx, "h1")
	require.NoError(t, err, "confirming again returns the appointment")
	assert.Equal(t, agenda.Appointment{ID: "h1", OrganisationID: "o1", PlaceID: "l1", ServiceID: "m1", AgentIDs: []string{"a1"},
		Start: f.at(10, 0), End: f.at(10, 30), Status: agenda.StatusBooked}, withoutBuffers(again))
	_, err = f.live.Confirm(ctx, "nohold")
	assert.ErrorIs(t, err, agenda.ErrNotFound)
	ag, err := f.live.Agenda(ctx, "a1", f.at(0, 0), f.at(23, 0))
	require.NoError(t, err)
	var kinds []string
	for _, e := range ag.Events {
		if e.Kind != agenda.KindOpening {
			kinds = append(kinds, fmt.Sprintf("%s %s %s", e.Kind, e.ID, e.Start.Format("15:04")))
		}
	}
	assert.Equal(t, []string{"appointment h1 10:00", "hold h2 11:00"}, kinds)
	// Still not offered after the hold's time has passed: it is an appointment now.
	f.clock.Advance(2 * time.Hour)
	assert.Equal(t, []string{"09:00", "09:30", "10:30", "11:00", "11:30"}, f.starts(t, "m1", agenda.ViewAgent))
	assert.Equal(t, "h1", f.live.Snapshot().Dataset().Appointments[0].ID)

	// Release.
	f.clock.Advance(-2 * time.Hour)
	assert.NotContains(t, f.starts(t, "m1", agenda.ViewAgent), "11:00")
	require.NoError(t, f.live.ReleaseHold("h2"))
	assert.Contains(t, f.starts(t, "m1", agenda.ViewAgent), "11:00")
	assert.ErrorIs(t, f.live.ReleaseHold("h2"), agenda.ErrNotFound)
}

func TestHoldRefuses(t *testing.T) {
	f := newHoldFixture(t)
	ctx := context.Background()
	_, err := f.live.Hold(ctx, f.booking("h1", 10, 0), 0)
	assert.ErrorIs(t, err, agenda.ErrInvalidQuery)
	_, err = f.live.Hold(ctx, agenda.Booking{ID: "h1", ServiceID: "m3", Start: f.at(10, 0), Now: f.now}, time.Minute)
	assert.ErrorIs(t, err, agenda.ErrInvalidQuery, "collective services are not held")
	held, err := f.live.Hold(ctx, f.booking("h1", 10, 0), time.Minute)
	require.NoError(t, err)
	f.clock.Advance(30 * time.Second)
	again, err := f.live.Hold(ctx, f.booking("h1", 10, 0), time.Minute)
	require.NoError(t, err, "the same hold again returns it")
	assert.Equal(t, held, again)
	_, err = f.live.Hold(ctx, f.booking("h1", 11, 0), time.Minute)
	assert.ErrorIs(t, err, agenda.ErrIDConflict, "the id is taken by another hold")
	_, err = f.live.Book(ctx, f.booking("h1", 10, 0))
	assert.ErrorIs(t, err, agenda.ErrIDConflict, "the id is taken by a hold, to confirm")
	f.clock.Advance(31 * time.Second)
	_, err = f.live.Book(ctx, f.booking("h1", 10, 0))
	require.NoError(t, err, "the hold expired a minute after it was made, not after it was repeated")
	_, err = f.live.Hold(ctx, f.booking("h1", 10, 0), time.Minute)
	assert.ErrorIs(t, err, agenda.ErrIDConflict, "an appointment has the id")
	_, err = f.live.Hold(ctx, f.booking("h3", 10, 10), time.Minute)
	assert.ErrorIs(t, err, agenda.ErrConflict, "off the grid, as Book")
	_, err = agenda.NewLive(holdDataset(), agenda.WithClock(nil))
	assert.ErrorIs(t, err, agenda.ErrInvalidOption)
}

// Holds and bookings of one slot race; exactly one wins.
func TestHoldRace(t *testing.T) {
	f := newHoldFixture(t)
	ctx := context.Background()
	var wins atomic.Int32
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			b := f.booking(fmt.Sprint("x", i), 9, 30)
			var err error
			if i%2 == 0 {
				_, err = f.live.Hold(ctx, b, time.Hour)
			} else {
				_, err = f.live.Book(ctx, b)
			}
			if err == nil {
				wins.Add(1)
			} else {
				assert.ErrorIs(t, err, agenda.ErrConflict)
			}
		})
	}
	wg.Wait()
	assert.Equal(t, int32(1), wins.Load())
}

// withoutBuffers returns a with no buffers, to compare the rest.
func withoutBuffers(a agenda.Appointment) agenda.Appointment {
	a.BufferBeforeMinutes, a.BufferAfterMinutes = nil, nil
	return a
}

func TestBookRepeated(t *testing.T) {
	f := newHoldFixture(t)
	ctx := context.Background()
	b := f.booking("r1", 9, 59)
	b.Start = b.Start.Add(59*time.Second + 500*time.Millisecond) // 09:59:59.5, booked at 10:00
	first, err := f.live.Book(ctx, b)
	require.NoError(t, err)
	assert.Equal(t, f.at(10, 0), first.Start)
	again, err := f.live.Book(ctx, b)
	require.NoError(t, err, "the same booking again returns its appointment")
	assert.Equal(t, first, again)
	assert.Len(t, f.live.Snapshot().Dataset().Appointments, 1, "booked once")

	for name, other := range map[string]agenda.Booking{
		"another start":   f.booking("r1", 10, 30),
		"another place":   {ID: "r1", ServiceID: "m1", AgentID: "a1", PlaceID: "l2", Start: f.at(10, 0), Now: f.now},
		"another agent":   {ID: "r1", ServiceID: "m1", AgentID: "a2", PlaceID: "l1", Start: f.at(10, 0), Now: f.now},
		"another service": {ID: "r1", ServiceID: "m2", AgentID: "a1", PlaceID: "l1", Start: f.at(10, 0), Now: f.now},
	} {
		_, err := f.live.Book(ctx, other)
		assert.ErrorIs(t, err, agenda.ErrIDConflict, name)
		assert.ErrorContains(t, err, "another appointment has this id", name)
	}

	require.NoError(t, f.live.CancelAppointment("r1", agenda.StatusExcused))
	require.NoError(t, f.live.CancelAppointment("r1", agenda.StatusExcused), "a repeated cancellation")
	err = f.live.CancelAppointment("r1", agenda.StatusRevoked)
	assert.ErrorIs(t, err, agenda.ErrConflict, "a cancellation is final")
	assert.ErrorContains(t, err, `appointment "r1": cancelled already (excused)`)
	_, err = f.live.Book(ctx, b)
	assert.ErrorIs(t, err, agenda.ErrIDConflict, "a cancelled booking is not booked again under its id")
	assert.ErrorContains(t, err, `its appointment was cancelled (excused); book with a new id`)
	b.ID = "r2"
	_, err = f.live.Book(ctx, b)
	assert.NoError(t, err, "with a new id, the freed slot books")
}
