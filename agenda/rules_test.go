package agenda_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
)

// capsDataset has one agent, open 09:00-12:00 every day of December 2026
// for a 30-minute service offered every 15 minutes.
func capsDataset(serviceCap, agentCap int) *agenda.Dataset {
	return &agenda.Dataset{
		TimeZone:      "Europe/Paris",
		Organisations: []agenda.Organisation{{ID: "o1"}, {ID: "o2"}},
		Agents:        []agenda.Agent{{ID: "a1", OrganisationIDs: []string{"o1", "o2"}, MaxAppointmentsPerDay: agentCap}},
		Services: []agenda.Service{{ID: "m1", OrganisationID: "o1", DurationMinutes: 30, SlotIntervalMinutes: 15,
			MaxPerAgentPerDay: serviceCap}},
		OpeningPeriods: []agenda.OpeningPeriod{{ID: "p1", AgentID: "a1", OrganisationID: "o1", ServiceIDs: []string{"m1"},
			FirstDay: "2026-12-01", StartTime: "09:00", EndTime: "12:00", RRule: "FREQ=DAILY", Until: "2026-12-31"}},
	}
}

// TestBookEnforcesCapsAtomically books many slots of one day at once:
// whatever the interleaving, exactly as many succeed as the tighter cap
// allows, and the others fail with ErrConflict.
func TestBookEnforcesCapsAtomically(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		serviceCap, agentCap, want int
	}{{1, 0, 1}, {2, 0, 2}, {0, 1, 1}, {3, 2, 2}, {2, 3, 2}}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("service=%d/agent=%d", tt.serviceCap, tt.agentCap), func(t *testing.T) {
			live, err := agenda.NewLive(capsDataset(tt.serviceCap, tt.agentCap))
			require.NoError(t, err)
			for round := range 5 {
				day := time.Date(2026, 12, 2+round, 9, 0, 0, 0, paris)
				var ok, conflict atomic.Int32
				var wg sync.WaitGroup
				for i := range 6 { // 09:00, 09:30, ..., 11:30: disjoint, so only the caps conflict
					wg.Add(1)
					go func() {
						defer wg.Done()
						_, err := live.Book(ctx, agenda.Booking{ID: fmt.Sprintf("r%d-%d", round, i), ServiceID: "m1", AgentID: "a1",
							Start: day.Add(time.Duration(i) * 30 * time.Minute), Now: day.AddDate(0, 0, -1), View: agenda.ViewAgent})
						switch {
						case err == nil:
							ok.Add(1)
						case errors.Is(err, agenda.ErrConflict):
							conflict.Add(1)
						default:
							t.Error(err)
						}
					}()
				}
				wg.Wait()
				assert.Equal(t, int32(tt.want), ok.Load(), "round %d bookings", round)
				assert.Equal(t, int32(6-tt.want), conflict.Load(), "round %d conflicts", round)
				slots, err := live.Slots(ctx, agenda.SlotQuery{ServiceID: "m1", From: day.Add(-9 * time.Hour), To: day.Add(15 * time.Hour),
					Now: day.AddDate(0, 0, -1), View: agenda.ViewAgent})
				require.NoError(t, err)
				assert.Empty(t, slots, "round %d: the day is at its cap", round)
			}
		})
	}
}

// TestBookFollowsTheSlotGrid: with a 15-minute interval, a start off the
// grid is refused and one on it is booked.
func TestBookFollowsTheSlotGrid(t *testing.T) {
	live, err := agenda.NewLive(capsDataset(0, 0))
	require.NoError(t, err)
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 8, 0, 0, 0, paris)
	book := func(id string, hh, mm int) error {
		_, err := live.Book(ctx, agenda.Booking{ID: id, ServiceID: "m1", AgentID: "a1",
			Start: time.Date(2026, 12, 1, hh, mm, 0, 0, paris), Now: now, View: agenda.ViewAgent})
		return err
	}
	assert.ErrorIs(t, book("x1", 9, 5), agenda.ErrUnbookable, "09:05 is not on the grid, and never will be")
	assert.NoError(t, book("x2", 9, 15))
	assert.ErrorIs(t, book("x3", 9, 30), agenda.ErrConflict, "09:30 overlaps 09:15-09:45")
	assert.NoError(t, book("x4", 9, 45), "the grid restarts at the end of the booking, 09:45")
}

// TestHoldCountsTowardsDailyCaps: a hold takes a place of the day like
// the appointment it becomes, until it expires.
func TestHoldCountsTowardsDailyCaps(t *testing.T) {
	ds := capsDataset(1, 0)
	clock := newManualClock(time.Date(2026, 12, 1, 7, 0, 0, 0, paris))
	live, err := agenda.NewLive(ds, agenda.WithClock(clock.Now))
	require.NoError(t, err)
	ctx := context.Background()
	at := func(h, m int) time.Time { return time.Date(2026, 12, 2, h, m, 0, 0, paris) }
	now := at(0, 0).AddDate(0, 0, -1)
	_, err = live.Hold(ctx, agenda.Booking{ID: "h1", ServiceID: "m1", AgentID: "a1", Start: at(9, 0), Now: now, View: agenda.ViewAgent}, 10*time.Minute)
	require.NoError(t, err)
	_, err = live.Book(ctx, agenda.Booking{ID: "r1", ServiceID: "m1", AgentID: "a1", Start: at(11, 0), Now: now, View: agenda.ViewAgent})
	assert.ErrorIs(t, err, agenda.ErrConflict, "the hold takes the day's one place")
	clock.Advance(11 * time.Minute)
	_, err = live.Book(ctx, agenda.Booking{ID: "r2", ServiceID: "m1", AgentID: "a1", Start: at(11, 0), Now: now, View: agenda.ViewAgent})
	assert.NoError(t, err, "the hold expired")
}

// rulesJSON carries every field of the booking rules.
const rulesJSON = `{"time_zone":"Europe/Paris",
"organisations":[{"id":"o1","holiday_calendar":"FR-974","worked_holidays":["whit_monday","christmas"]},{"id":"o2","holiday_calendar":"none"}],
"agents":[{"id":"a1","organisation_ids":["o1","o2"],"max_appointments_per_day":3}],
"places":[],
"services":[{"id":"m1","organisation_id":"o1","duration_minutes":45,"buffer_before_minutes":10,"buffer_after_minutes":15,
  "slot_interval_minutes":15,"max_per_agent_per_day":2}],
"opening_periods":[{"id":"p1","agent_id":"a1","organisation_id":"o1","service_ids":["m1"],"first_day":"2026-12-01",
  "start_time":"09:00","end_time":"12:00","rrule":"FREQ=WEEKLY;BYDAY=TU","exdates":["2026-12-08","2026-12-10"]}],
"absences":[{"id":"b1","agent_id":"a1","first_day":"2026-12-01","start_time":"13:00","end_time":"14:00","rrule":"FREQ=DAILY",
  "exdates":["2026-12-02"]}],
"appointments":[{"id":"r1","organisation_id":"o1","service_id":"m1","agent_ids":["a1"],"start":"2026-12-01T09:00:00+01:00",
  "end":"2026-12-01T09:45:00+01:00","buffer_before_minutes":0,"buffer_after_minutes":5},
  {"id":"r2","organisation_id":"o1","service_id":"m1","agent_ids":["a1"],"start":"2026-12-15T09:00:00+01:00",
  "end":"2026-12-15T09:45:00+01:00"}],
"closed_days":[],"holiday_calendars":["FR-57"]}`

// TestRulesRoundTrip: ReadDataset, New, Index.Dataset and WriteJSON carry
// every field of the booking rules, an appointment's buffers present or
// absent as given.
func TestRulesRoundTrip(t *testing.T) {
	ds, err := agenda.ReadDataset(strings.NewReader(rulesJSON))
	require.NoError(t, err)
	ix, err := agenda.New(ds)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, ix.Dataset().WriteJSON(&buf))
	again, err := agenda.ReadDataset(&buf)
	require.NoError(t, err)
	assert.Equal(t, ds.Organisations, again.Organisations)
	assert.Equal(t, ds.Agents, again.Agents)
	assert.Equal(t, ds.Services, again.Services)
	assert.Equal(t, ds.OpeningPeriods[0].Exdates, again.OpeningPeriods[0].Exdates)
	assert.Equal(t, ds.Absences[0].Exdates, again.Absences[0].Exdates)
	assert.Equal(t, ds.HolidayCalendars, again.HolidayCalendars)
	require.Len(t, again.Appointments, 2)
	assert.Equal(t, 0, *again.Appointments[0].BufferBeforeMinutes)
	assert.Equal(t, 5, *again.Appointments[0].BufferAfterMinutes)
	assert.Nil(t, again.Appointments[1].BufferBeforeMinutes, "absent buffers stay absent: the service's apply")
	assert.Nil(t, again.Appointments[1].BufferAfterMinutes)
}

// TestLiveUpsertsCarryRules: live upserts of opening periods, absences
// and appointments apply their exdates and buffers like New.
func TestLiveUpsertsCarryRules(t *testing.T) {
	ds, err := agenda.ReadDataset(strings.NewReader(rulesJSON))
	require.NoError(t, err)
	plain := *ds
	plain.OpeningPeriods = slices.Clone(ds.OpeningPeriods)
	plain.OpeningPeriods[0].Exdates = nil
	plain.Absences = nil
	plain.Appointments = nil
	live, err := agenda.NewLive(&plain)
	require.NoError(t, err)
	require.NoError(t, live.UpsertOpeningPeriod(ds.OpeningPeriods[0]))
	require.NoError(t, live.UpsertAbsence(ds.Absences[0]))
	for _, a := range ds.Appointments {
		require.NoError(t, live.UpsertAppointment(a))
	}
	rebuilt, err := agenda.New(ds)
	require.NoError(t, err)
	ctx := context.Background()
	from := time.Date(2026, 11, 30, 0, 0, 0, 0, paris)
	for _, ix := range []*agenda.Index{live.Snapshot(), rebuilt} {
		ag, err := ix.Agenda(ctx, "a1", from, from.AddDate(0, 0, 28))
		require.NoError(t, err)
		var lines []string
		for _, e := range ag.Events {
			lines = append(lines, fmt.Sprint(e.Kind, " ", e.ID, " ", e.Start.Format("Jan 2 15:04"), " ", e.BufferBeforeMinutes, e.BufferAfterMinutes))
		}
		for _, b := range ag.Busy {
			lines = append(lines, "busy "+b.Start.Format("Jan 2 15:04")+"-"+b.End.Format("15:04"))
		}
		// Hand-checked: Tuesdays but the 8th; the absence every day but
		// the 2nd; r1 with its own buffers (0, 5), r2 with the service's
		// (10, 15); o1 (in Paris, the dataset's zone) follows FR-974,
		// which closes 20 December, and works Christmas.
		assert.Contains(t, lines, "appointment r1 Dec 1 09:00 0 5")
		assert.Contains(t, lines, "appointment r2 Dec 15 09:00 10 15")
		assert.Contains(t, lines, "busy Dec 1 09:00-09:50")
		assert.Contains(t, lines, "busy Dec 15 08:50-10:00")
		assert.NotContains(t, lines, "opening p1 Dec 8 09:00 0 0")
		assert.Contains(t, lines, "opening p1 Dec 15 09:00 0 0")
		assert.NotContains(t, lines, "absence b1 Dec 2 13:00 0 0")
		assert.Contains(t, lines, "absence b1 Dec 3 13:00 0 0")
		assert.Contains(t, lines, "closed 2026-12-20 Dec 20 00:00 0 0")
		assert.Contains(t, lines, "absence b1 Dec 25 13:00 0 0")
		assert.NotContains(t, lines, "closed 2026-12-25 Dec 25 00:00 0 0")
	}
}
