package agenda_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
)

// heldAppointment is the appointment a hold of m1 for a1 at l1 from h:m
// stands for, written by hand as a store would read it from its row.
func (f *holdFixture) heldAppointment(id string, h, m int) agenda.Appointment {
	return agenda.Appointment{ID: id, OrganisationID: "o1", PlaceID: "l1", ServiceID: "m1", AgentIDs: []string{"a1"},
		Start: f.at(h, m), End: f.at(h, m+30), Status: agenda.StatusBooked}
}

func TestPutHoldBlocksLikeHoldUntilTheInstantGiven(t *testing.T) {
	f := newHoldFixture(t)
	ctx := context.Background()
	expires := f.clock.Now().Add(5 * time.Minute)
	require.NoError(t, f.live.PutHold(f.heldAppointment("h1", 9, 30), expires))

	for _, v := range []agenda.View{agenda.ViewUser, agenda.ViewAgent} {
		assert.Equal(t, []string{"09:00", "10:00", "10:30", "11:00", "11:30"}, f.starts(t, "m1", v), "view %s", v)
		assert.Equal(t, []string{"10:00", "11:00"}, f.starts(t, "m2", v), "view %s", v)
	}
	_, err := f.live.Book(ctx, f.booking("r1", 9, 30))
	assert.ErrorIs(t, err, agenda.ErrConflict)
	ag, err := f.live.Agenda(ctx, "a1", f.at(0, 0), f.at(23, 0))
	require.NoError(t, err)
	assert.Contains(t, ag.Events, agenda.Event{Kind: agenda.KindHold, ID: "h1", OrganisationID: "o1", PlaceID: "l1",
		ServiceIDs: []string{"m1"}, Start: f.at(9, 30), End: f.at(10, 0), Blocking: true})

	// Expiry at the instant given, on the Live's clock.
	assert.True(t, expires.Equal(f.live.Snapshot().Now().Add(5*time.Minute)))
	f.clock.Advance(5*time.Minute - time.Second)
	assert.NotContains(t, f.starts(t, "m1", agenda.ViewUser), "09:30")
	f.clock.Advance(time.Second)
	assert.Contains(t, f.starts(t, "m1", agenda.ViewUser), "09:30")
}

func TestPutHoldReplacesReleasesAndConfirms(t *testing.T) {
	f := newHoldFixture(t)
	ctx := context.Background()
	later := f.clock.Now().Add(time.Hour)
	require.NoError(t, f.live.PutHold(f.heldAppointment("h1", 9, 30), later))
	// The same id again moves the hold: 09:30 is free, 10:30 is not.
	require.NoError(t, f.live.PutHold(f.heldAppointment("h1", 10, 30), later))
	assert.Equal(t, []string{"09:00", "09:30", "10:00", "11:00", "11:30"}, f.starts(t, "m1", agenda.ViewUser))

	require.NoError(t, f.live.ReleaseHold("h1"))
	assert.Equal(t, []string{"09:00", "09:30", "10:00", "10:30", "11:00", "11:30"}, f.starts(t, "m1", agenda.ViewUser))
	assert.ErrorIs(t, f.live.ReleaseHold("h1"), agenda.ErrNotFound)

	require.NoError(t, f.live.PutHold(f.heldAppointment("h2", 11, 0), later))
	a, err := f.live.Confirm(ctx, "h2")
	require.NoError(t, err)
	assert.True(t, f.at(11, 0).Equal(a.Start))
	assert.NotContains(t, f.starts(t, "m1", agenda.ViewUser), "11:00")
	ag, err := f.live.Agenda(ctx, "a1", f.at(0, 0), f.at(23, 0))
	require.NoError(t, err)
	assert.Contains(t, ag.Events, agenda.Event{Kind: agenda.KindAppointment, ID: "h2", OrganisationID: "o1", PlaceID: "l1",
		ServiceIDs: []string{"m1"}, Start: f.at(11, 0), End: f.at(11, 30), Status: agenda.StatusBooked, Blocking: true})

	// A hold put already expired blocks nothing.
	require.NoError(t, f.live.PutHold(f.heldAppointment("h3", 9, 0), f.clock.Now()))
	assert.Contains(t, f.starts(t, "m1", agenda.ViewUser), "09:00")
}

func TestPutHoldRefusesWhatIsNoHold(t *testing.T) {
	f := newHoldFixture(t)
	later := f.clock.Now().Add(time.Hour)
	two := f.heldAppointment("h1", 9, 0)
	two.AgentIDs = []string{"a1", "a1"}
	cancelled := f.heldAppointment("h1", 9, 0)
	cancelled.Status = agenda.StatusRevoked
	unknown := f.heldAppointment("h1", 9, 0)
	unknown.AgentIDs = []string{"nobody"}
	collective := f.heldAppointment("h1", 9, 0)
	collective.ServiceID, collective.Capacity = "m3", 2
	tests := []struct {
		name  string
		give  agenda.Appointment
		field string
	}{
		{"no id", agenda.Appointment{}, "id"},
		{"two agents", two, "agent_ids"},
		{"not booked", cancelled, "status"},
		{"unknown agent", unknown, "agent_ids"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := f.live.PutHold(tt.give, later)
			var re *agenda.RecordError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, tt.field, re.Field)
		})
	}
	assert.ErrorIs(t, f.live.PutHold(collective, later), agenda.ErrInvalidQuery)
	assert.Equal(t, []string{"09:00", "09:30", "10:00", "10:30", "11:00", "11:30"}, f.starts(t, "m1", agenda.ViewUser))
}
