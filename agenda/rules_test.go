package agenda_test

import (
	"context"
	"errors"
	"fmt"
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
	assert.ErrorIs(t, book("x1", 9, 5), agenda.ErrConflict, "09:05 is not on the grid")
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
