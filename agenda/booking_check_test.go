package agenda_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

// TestCheckBookingAgreesWithBook holds CheckBooking to Live.Book: on the
// same snapshot, a check succeeds exactly when the booking does, with the
// same appointment, and fails with the same kind of error otherwise.
// Bookings aim at offered slots, at taken ones and at instants between.
func TestCheckBookingAgreesWithBook(t *testing.T) {
	ds := gen.Generate(gen.Small, 5)
	live, err := agenda.NewLive(ds)
	require.NoError(t, err)
	ctx := context.Background()
	now := gen.DefaultAnchor()
	rng := rand.New(rand.NewPCG(5, 1))
	var booked, conflicts int
	for i := range 300 {
		svc := ds.Services[rng.IntN(len(ds.Services))]
		if svc.Collective {
			continue
		}
		slots, err := live.Slots(ctx, agenda.SlotQuery{ServiceID: svc.ID, From: now, To: now.AddDate(0, 0, 7), Now: now, View: agenda.ViewAgent})
		require.NoError(t, err)
		if len(slots) == 0 {
			continue
		}
		s := slots[rng.IntN(min(len(slots), 4))]
		start := s.Start
		if rng.IntN(5) == 0 {
			start = start.Add(7 * 60e9) // off the grid
		}
		b := agenda.Booking{ID: fmt.Sprintf("ck%d", i), ServiceID: s.ServiceID, AgentID: s.AgentID, PlaceID: s.PlaceID,
			Start: start, Now: now, View: agenda.ViewUser}
		if rng.IntN(2) == 0 {
			b.View = agenda.ViewAgent
		}
		want, checkErr := live.Snapshot().CheckBooking(ctx, b)
		got, bookErr := live.Book(ctx, b)
		if bookErr != nil {
			require.Error(t, checkErr, "booking %s failed (%v) but the check passed", b.ID, bookErr)
			assert.Equal(t, errors.Is(bookErr, agenda.ErrConflict), errors.Is(checkErr, agenda.ErrConflict), "%v vs %v", bookErr, checkErr)
			conflicts++
			continue
		}
		require.NoError(t, checkErr)
		assert.Equal(t, got, want)
		booked++
		// Booked now: the same slot checks as a conflict.
		b.ID += "again"
		_, err = live.Snapshot().CheckBooking(ctx, b)
		assert.ErrorIs(t, err, agenda.ErrConflict)
	}
	t.Logf("%d booked, %d refused", booked, conflicts)
	require.Positive(t, booked)
	require.Positive(t, conflicts)
}

func TestCheckRecords(t *testing.T) {
	ds := gen.Generate(gen.Small, 5)
	ix, err := agenda.New(ds)
	require.NoError(t, err)
	a := ds.Appointments[0]
	require.NoError(t, ix.CheckAppointment(a))
	a.AgentIDs = []string{"nobody"}
	var re *agenda.RecordError
	require.ErrorAs(t, ix.CheckAppointment(a), &re)
	assert.Equal(t, "agent_ids", re.Field)
	b := ds.Absences[0]
	require.NoError(t, ix.CheckAbsence(b))
	b.EndTime = "25:00"
	require.ErrorAs(t, ix.CheckAbsence(b), &re)
	assert.Equal(t, "end_time", re.Field)
	p := ds.OpeningPeriods[0]
	require.NoError(t, ix.CheckOpeningPeriod(p))
	p.RRule = "FREQ=SECONDLY"
	require.ErrorAs(t, ix.CheckOpeningPeriod(p), &re)
	require.NoError(t, ix.CheckClosedDay(agenda.ClosedDay{Date: "2026-12-24"}))
	require.ErrorAs(t, ix.CheckClosedDay(agenda.ClosedDay{Date: "2026-12-24", OrganisationID: "nowhere"}), &re)
	assert.Equal(t, "organisation_id", re.Field)
}
