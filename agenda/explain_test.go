package agenda_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

// Over seeded random datasets, for every start on a 5-minute grid over a
// window, Explain says bookable exactly when Slots offers that start for
// that agent and place, in both views and for several nows; and it gives
// reasons exactly when it is not bookable. Two slots of each dataset are
// held first, so that holds count too. Explanations are asked on behalf of
// the service's organisation: a reason names a record of another
// organisation, an absence or a calendar never.
func TestExplainAgreesWithSlots(t *testing.T) {
	seeds := uint64(20)
	if testing.Short() {
		seeds = 6
	}
	ctx := context.Background()
	explained, bookable := 0, 0
	kinds := map[agenda.ReasonKind]int{}
	for seed := uint64(1); seed <= seeds; seed++ {
		c := gen.Random(seed, gen.RandomConfig{})
		clock := newManualClock(c.From)
		live, err := agenda.NewLive(c.Dataset, agenda.WithClock(clock.Now))
		require.NoError(t, err, "seed %d", seed)
		ix := live.Snapshot()
		// A window of 36 hours where the service has slots, if any: random
		// datasets are sparse.
		from := c.From
		for _, svc := range c.Dataset.Services {
			slots, err := ix.Slots(ctx, agenda.SlotQuery{ServiceID: svc.ID, From: c.From, To: c.To, Now: c.From.AddDate(-1, 0, 0),
				View: agenda.ViewAgent})
			require.NoError(t, err)
			if !svc.Collective && len(slots) > 0 {
				from = slots[len(slots)/2].Start.Add(-6 * time.Hour)
				for i, s := range []agenda.Slot{slots[len(slots)/2], slots[len(slots)/2+len(slots)/4]} {
					_, err := live.Hold(ctx, agenda.Booking{ID: fmt.Sprint("hold", i), ServiceID: s.ServiceID, AgentID: s.AgentID,
						PlaceID: s.PlaceID, Start: s.Start, Now: c.From.AddDate(-1, 0, 0), View: agenda.ViewAgent}, time.Hour)
					if err != nil {
						require.ErrorIs(t, err, agenda.ErrConflict, "seed %d", seed)
					}
				}
				ix = live.Snapshot()
				break
			}
		}
		from = from.Truncate(5 * time.Minute)
		to := from.Add(36 * time.Hour)
		nows := []time.Time{c.Now, from.Add(-3*24*time.Hour - 17*time.Second), from.Add(7*time.Hour + 13*time.Minute + 17*time.Second)}
		places := map[string][]string{} // service → places of its openings, and one more
		agents := map[string][]string{} // service → agents offering it, and one more
		for _, p := range c.Dataset.OpeningPeriods {
			for _, s := range p.ServiceIDs {
				places[s] = appendNew(places[s], p.PlaceID)
				agents[s] = appendNew(agents[s], p.AgentID)
			}
		}
		for _, svc := range c.Dataset.Services {
			if svc.Collective {
				continue
			}
			svcAgents := appendNew(agents[svc.ID], c.Dataset.Agents[0].ID)
			svcPlaces := appendNew(places[svc.ID], "")
			for _, now := range nows {
				for _, view := range []agenda.View{agenda.ViewUser, agenda.ViewAgent} {
					slots, err := ix.Slots(ctx, agenda.SlotQuery{ServiceID: svc.ID, From: from, To: to, Now: now, View: view})
					require.NoError(t, err)
					offered := map[string]bool{}
					for _, s := range slots {
						offered[fmt.Sprint(s.AgentID, "|", s.PlaceID, "|", s.Start.Unix())] = true
					}
					for _, ag := range svcAgents {
						for _, pl := range svcPlaces {
							for st := from; st.Before(to); st = st.Add(5 * time.Minute) {
								ex, err := ix.Explain(ctx, agenda.ExplainQuery{ServiceID: svc.ID, AgentID: ag, PlaceID: pl,
									Start: st, Now: now, View: view, OrganisationID: svc.OrganisationID})
								require.NoError(t, err, "seed %d service %s agent %s place %q start %s now %s view %s",
									seed, svc.ID, ag, pl, st, now, view)
								want := offered[fmt.Sprint(ag, "|", pl, "|", st.Unix())]
								if ex.Bookable != want || ex.Bookable != (len(ex.Reasons) == 0) {
									t.Fatalf("seed %d service %s agent %s place %q start %s now %s view %s: bookable %v, slots offer it: %v, reasons %v",
										seed, svc.ID, ag, pl, st, now, view, ex.Bookable, want, ex.Reasons)
								}
								explained++
								if ex.Bookable {
									bookable++
								}
								for _, r := range ex.Reasons {
									kinds[r.Kind]++
									switch r.Kind {
									case agenda.ReasonAppointment, agenda.ReasonHold:
										if r.RecordID != "" && r.OrganisationID != svc.OrganisationID {
											t.Fatalf("seed %d: %s of another organisation shown: %v", seed, r.Kind, r)
										}
									case agenda.ReasonAbsence, agenda.ReasonCalendar:
										if r.RecordID != "" {
											t.Fatalf("seed %d: %s shown with its id: %v", seed, r.Kind, r)
										}
									}
								}
							}
						}
					}
				}
			}
		}
	}
	t.Logf("%d starts explained, %d bookable; reasons: %v", explained, bookable, kinds)
	require.Positive(t, bookable, "no start was ever bookable: the test checks nothing")
	for _, k := range []agenda.ReasonKind{agenda.ReasonOutsideOpening, agenda.ReasonAppointment, agenda.ReasonHold, agenda.ReasonOffGrid,
		agenda.ReasonMinNotice, agenda.ReasonPast, agenda.ReasonPlaceNotOffered, agenda.ReasonServiceNotOffered} {
		require.Positive(t, kinds[k], "no start was refused for %s: the datasets do not exercise it", k)
	}
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// explainDataset is privacyDataset with, for m1 (30 minutes at l1 in o1):
// a one-hour minimum and a 14-day maximum notice, an opening on Thursday
// 5 March 08:00-10:00, and o1 closed on Monday 9 March.
func explainDataset() *agenda.Dataset {
	ds := privacyDataset()
	ds.Services[0].MinNoticeMinutes, ds.Services[0].MaxNoticeMinutes = 60, 14*24*60
	ds.OpeningPeriods = append(ds.OpeningPeriods, agenda.OpeningPeriod{ID: "p3", AgentID: "a1", OrganisationID: "o1",
		PlaceID: "l1", ServiceIDs: []string{"m1"}, FirstDay: "2026-03-05", StartTime: "08:00", EndTime: "10:00"})
	ds.ClosedDays = append(ds.ClosedDays, agenda.ClosedDay{Date: "2026-03-09", OrganisationID: "o1", Name: "Staff training"})
	return ds
}

func TestExplainReasons(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	at := func(day, h, m int) time.Time { return time.Date(2026, 3, day, h, m, 0, 0, paris) }
	ptr := func(t time.Time) *time.Time { return &t }
	ix, err := agenda.New(explainDataset())
	require.NoError(t, err)
	sunday := at(1, 12, 0)
	tests := []struct {
		name       string
		q          agenda.ExplainQuery
		want       []agenda.Reason
		before     *time.Time
		after      *time.Time
		bookableOK bool
	}{
		{name: "bookable: the excused appointment blocks nothing",
			q:          agenda.ExplainQuery{AgentID: "a1", PlaceID: "l1", Start: at(2, 11, 0), Now: sunday, OrganisationID: "o1"},
			bookableOK: true, before: ptr(at(2, 10, 30)), after: ptr(at(2, 11, 30))},
		{name: "own appointment, shown whole",
			q: agenda.ExplainQuery{AgentID: "a1", PlaceID: "l1", Start: at(2, 9, 0), Now: sunday, OrganisationID: "o1"},
			want: []agenda.Reason{{Kind: agenda.ReasonAppointment, RecordID: "r1", OrganisationID: "o1",
				Start: ptr(at(2, 9, 0)), End: ptr(at(2, 9, 30))}},
			after: ptr(at(2, 9, 30))},
		{name: "another organisation's appointment, as blocking time only",
			q:      agenda.ExplainQuery{AgentID: "a1", PlaceID: "l1", Start: at(2, 10, 0), Now: sunday, OrganisationID: "o1"},
			want:   []agenda.Reason{{Kind: agenda.ReasonAppointment, Start: ptr(at(2, 10, 0)), End: ptr(at(2, 10, 30))}},
			before: ptr(at(2, 9, 30)), after: ptr(at(2, 10, 30))},
		{name: "the same, seen by everyone",
			q: agenda.ExplainQuery{AgentID: "a1", PlaceID: "l1", Start: at(2, 10, 0), Now: sunday},
			want: []agenda.Reason{{Kind: agenda.ReasonAppointment, RecordID: "SECRET-appt-booked", OrganisationID: "SECRET-org",
				Start: ptr(at(2, 10, 0)), End: ptr(at(2, 10, 30))}},
			before: ptr(at(2, 9, 30)), after: ptr(at(2, 10, 30))},
		{name: "off the grid",
			q: agenda.ExplainQuery{AgentID: "a1", PlaceID: "l1", Start: at(2, 10, 40), Now: sunday, OrganisationID: "o1"},
			// The grid starts at 10:30, where the other appointment ends.
			want:   []agenda.Reason{{Kind: agenda.ReasonOffGrid, Before: ptr(at(2, 10, 30)), After: ptr(at(2, 11, 0)), BusyGrid: true}},
			before: ptr(at(2, 10, 30)), after: ptr(at(2, 11, 0))},
		{name: "outside the opening",
			q:      agenda.ExplainQuery{AgentID: "a1", PlaceID: "l1", Start: at(2, 11, 45), Now: sunday, OrganisationID: "o1"},
			want:   []agenda.Reason{{Kind: agenda.ReasonOutsideOpening}},
			before: ptr(at(2, 11, 30)), after: ptr(at(5, 9, 0))}, // the absence takes Thursday 08:00
		{name: "a recurring absence, without its id for an organisation",
			q:      agenda.ExplainQuery{AgentID: "a1", PlaceID: "l1", Start: at(5, 8, 30), Now: sunday, OrganisationID: "o1"},
			want:   []agenda.Reason{{Kind: agenda.ReasonAbsence, Start: ptr(at(5, 8, 0)), End: ptr(at(5, 9, 0))}},
			before: ptr(at(2, 11, 30)), after: ptr(at(5, 9, 0))},
		{name: "a closed day, by name",
			q: agenda.ExplainQuery{AgentID: "a1", PlaceID: "l1", Start: at(9, 9, 0), Now: sunday, OrganisationID: "o1"},
			want: []agenda.Reason{{Kind: agenda.ReasonClosed, RecordID: "2026-03-09", OrganisationID: "o1", Name: "Staff training",
				Start: ptr(at(9, 0, 0)), End: ptr(at(10, 0, 0))}},
			before: ptr(at(5, 9, 30))}, // and nothing after, up to the maximum notice
		{name: "minimum notice",
			q:     agenda.ExplainQuery{AgentID: "a1", PlaceID: "l1", Start: at(2, 9, 30), Now: at(2, 8, 45), OrganisationID: "o1"},
			want:  []agenda.Reason{{Kind: agenda.ReasonMinNotice, LimitMinutes: 60, Allowed: ptr(at(2, 9, 45))}},
			after: ptr(at(2, 10, 30))},
		{name: "maximum notice",
			q:      agenda.ExplainQuery{AgentID: "a1", PlaceID: "l1", Start: at(23, 9, 0), Now: sunday, OrganisationID: "o1"},
			want:   []agenda.Reason{{Kind: agenda.ReasonMaxNotice, LimitMinutes: 14 * 24 * 60, Allowed: ptr(at(15, 12, 0))}},
			before: ptr(at(5, 9, 30))}, // Monday 9 is closed
		{name: "past, in the agent view",
			q: agenda.ExplainQuery{AgentID: "a1", PlaceID: "l1", Start: at(2, 10, 30), Now: at(2, 10, 45), View: agenda.ViewAgent,
				OrganisationID: "o1"},
			want:  []agenda.Reason{{Kind: agenda.ReasonPast, Allowed: ptr(at(2, 10, 45))}},
			after: ptr(at(2, 10, 45))},
		{name: "place not offered",
			q:    agenda.ExplainQuery{AgentID: "a1", PlaceID: "", Start: at(2, 11, 0), Now: sunday, OrganisationID: "o1"},
			want: []agenda.Reason{{Kind: agenda.ReasonPlaceNotOffered}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.q.ServiceID = "m1"
			ex, err := ix.Explain(context.Background(), tt.q)
			require.NoError(t, err)
			assert.Equal(t, tt.bookableOK, ex.Bookable)
			if tt.want == nil {
				tt.want = []agenda.Reason{}
			}
			assert.Equal(t, tt.want, ex.Reasons)
			assert.Equal(t, tt.before, ex.Before, "before")
			assert.Equal(t, tt.after, ex.After, "after")
			if tt.q.OrganisationID == "o1" {
				assert.Empty(t, leaks(t, ex))
			}
		})
	}

	svc, ok := ix.Service("m1")
	assert.True(t, ok)
	assert.Equal(t, "o1", svc.OrganisationID)
	assert.Equal(t, 60, svc.MinNoticeMinutes)
	_, ok = ix.Service("m9")
	assert.False(t, ok)

	// Service not offered by the agent; unknown records; collective services.
	ex, err := ix.Explain(context.Background(), agenda.ExplainQuery{ServiceID: "SECRET-svc", AgentID: "a2", PlaceID: "SECRET-place",
		Start: at(2, 14, 0), Now: sunday})
	require.NoError(t, err)
	assert.Equal(t, []agenda.Reason{{Kind: agenda.ReasonServiceNotOffered}}, ex.Reasons)
	_, err = ix.Explain(context.Background(), agenda.ExplainQuery{ServiceID: "m9", AgentID: "a1", Start: at(2, 9, 0), Now: sunday})
	assert.ErrorIs(t, err, agenda.ErrNotFound)
	_, err = ix.Explain(context.Background(), agenda.ExplainQuery{ServiceID: "m1", AgentID: "a1", PlaceID: "l1", Start: at(2, 9, 0),
		Now: sunday, OrganisationID: "o9"})
	assert.ErrorIs(t, err, agenda.ErrNotFound)
}

// A daily cap and a hold are reasons too.
func TestExplainCapAndHold(t *testing.T) {
	ds := explainDataset()
	ds.Services[0].MaxPerAgentPerDay = 1
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	at := func(day, h, m int) time.Time { return time.Date(2026, 3, day, h, m, 0, 0, paris) }
	clock := newManualClock(at(1, 12, 0))
	live, err := agenda.NewLive(ds, agenda.WithClock(clock.Now))
	require.NoError(t, err)
	q := agenda.ExplainQuery{ServiceID: "m1", AgentID: "a1", PlaceID: "l1", Start: at(2, 11, 0), Now: at(1, 12, 0)}
	ex, err := live.Snapshot().Explain(context.Background(), q)
	require.NoError(t, err)
	assert.Equal(t, []agenda.Reason{{Kind: agenda.ReasonDailyCap, RecordID: "m1", OrganisationID: "o1", Limit: 1, Count: 1}}, ex.Reasons)

	_, err = live.Hold(context.Background(), agenda.Booking{ID: "h1", ServiceID: "m1", AgentID: "a1", PlaceID: "l1",
		Start: at(5, 9, 0), Now: at(1, 12, 0)}, 5*time.Minute)
	require.NoError(t, err)
	q.Start = at(5, 9, 0)
	ex, err = live.Snapshot().Explain(context.Background(), q)
	require.NoError(t, err)
	h0, h1 := at(5, 9, 0), at(5, 9, 30)
	// The hold counts towards the cap of its day until it expires.
	capped := agenda.Reason{Kind: agenda.ReasonDailyCap, RecordID: "m1", OrganisationID: "o1", Limit: 1, Count: 1}
	assert.Equal(t, []agenda.Reason{{Kind: agenda.ReasonHold, RecordID: "h1", OrganisationID: "o1", Start: &h0, End: &h1}, capped}, ex.Reasons)
	q.OrganisationID = "SECRET-org"
	ex, err = live.Snapshot().Explain(context.Background(), q)
	require.NoError(t, err)
	assert.Equal(t, []agenda.Reason{{Kind: agenda.ReasonHold, Start: &h0, End: &h1}, capped}, ex.Reasons)
	clock.Advance(5 * time.Minute)
	q.OrganisationID = ""
	ex, err = live.Snapshot().Explain(context.Background(), q)
	require.NoError(t, err)
	assert.True(t, ex.Bookable, "%v", ex.Reasons)
}

// Book and Hold failures carry the explanation: ErrConflict when the time
// is taken, ErrUnbookable when the request can never succeed as asked.
func TestBookingErrors(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	at := func(day, h, m int) time.Time { return time.Date(2026, 3, day, h, m, 0, 0, paris) }
	sunday := at(1, 12, 0)
	live, err := agenda.NewLive(explainDataset())
	require.NoError(t, err)
	ctx := context.Background()
	tests := []struct {
		name      string
		start     time.Time
		view      agenda.View
		place     string
		conflict  bool
		wantKinds []agenda.ReasonKind
	}{
		{"taken by another organisation's appointment", at(2, 10, 0), agenda.ViewUser, "l1", true,
			[]agenda.ReasonKind{agenda.ReasonAppointment}},
		{"taken by an absence", at(5, 8, 30), agenda.ViewUser, "l1", true, []agenda.ReasonKind{agenda.ReasonAbsence}},
		{"grid moved by an appointment", at(2, 10, 40), agenda.ViewUser, "l1", true, []agenda.ReasonKind{agenda.ReasonOffGrid}},
		{"off the opening's grid", at(16, 9, 10), agenda.ViewAgent, "l1", false, []agenda.ReasonKind{agenda.ReasonOffGrid}},
		{"inside the minimum notice", at(1, 12, 30), agenda.ViewUser, "l1", false,
			[]agenda.ReasonKind{agenda.ReasonMinNotice, agenda.ReasonOutsideOpening}},
		{"closed", at(9, 9, 0), agenda.ViewUser, "l1", false, []agenda.ReasonKind{agenda.ReasonClosed}},
		{"wrong place", at(2, 11, 0), agenda.ViewUser, "", false, []agenda.ReasonKind{agenda.ReasonPlaceNotOffered}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := agenda.Booking{ID: fmt.Sprint("b", i), ServiceID: "m1", AgentID: "a1", PlaceID: tt.place, Start: tt.start,
				Now: sunday, View: tt.view}
			_, err := live.Book(ctx, b)
			_, holdErr := live.Hold(ctx, b, time.Minute)
			_, checkErr := live.Snapshot().CheckBooking(ctx, b)
			for _, err := range []error{err, holdErr, checkErr} {
				var berr *agenda.BookingError
				require.ErrorAs(t, err, &berr)
				var kinds []agenda.ReasonKind
				for _, r := range berr.Explanation.Reasons {
					kinds = append(kinds, r.Kind)
				}
				assert.Equal(t, tt.wantKinds, kinds)
				assert.Equal(t, tt.conflict, errors.Is(err, agenda.ErrConflict), "%v", err)
				assert.Equal(t, !tt.conflict, errors.Is(err, agenda.ErrUnbookable), "%v", err)
				assert.NotContains(t, err.Error(), "SECRET", "the service's organisation sees no other's records")
			}
		})
	}
}

// An external calendar's event is a reason, named by the calendar only.
func TestExplainCalendar(t *testing.T) {
	ds := explainDataset()
	ds.Calendars = []agenda.Calendar{{ID: "SECRET-outlook", AgentID: "a1", ICS: "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n" +
		"BEGIN:VEVENT\r\nUID:x1\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261102T100000Z\r\nDTEND:20261102T103000Z\r\n" +
		"SUMMARY:SECRET dentist\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"}}
	ds.Calendars[0].ICS = strings.ReplaceAll(ds.Calendars[0].ICS, "20261102T100000Z", "20260302T100000Z")
	ds.Calendars[0].ICS = strings.ReplaceAll(ds.Calendars[0].ICS, "20261102T103000Z", "20260302T103000Z")
	ix, err := agenda.New(ds)
	require.NoError(t, err, "%+v", err)
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	at := func(day, h, m int) time.Time { return time.Date(2026, 3, day, h, m, 0, 0, paris) }
	q := agenda.ExplainQuery{ServiceID: "m1", AgentID: "a1", PlaceID: "l1", Start: at(2, 11, 0), Now: at(1, 12, 0)}
	ex, err := ix.Explain(context.Background(), q)
	require.NoError(t, err)
	s, e := at(2, 11, 0), at(2, 11, 30)
	assert.Equal(t, []agenda.Reason{{Kind: agenda.ReasonCalendar, RecordID: "SECRET-outlook", Start: &s, End: &e}}, ex.Reasons)
	q.OrganisationID = "o1"
	ex, err = ix.Explain(context.Background(), q)
	require.NoError(t, err)
	assert.Equal(t, []agenda.Reason{{Kind: agenda.ReasonCalendar, Start: &s, End: &e}}, ex.Reasons)
	assert.Empty(t, leaks(t, ex))
}

func TestReasonString(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	end := at.Add(30 * time.Minute)
	tests := []struct {
		give agenda.Reason
		want string
	}{
		{agenda.Reason{Kind: agenda.ReasonAppointment, RecordID: "r1", OrganisationID: "o1", Start: &at, End: &end},
			`appointment "r1" of organisation "o1" 2026-03-02T09:00:00Z to 2026-03-02T09:30:00Z`},
		{agenda.Reason{Kind: agenda.ReasonMinNotice, LimitMinutes: 60, Allowed: &at}, "min_notice of 60 minutes, allowed from 2026-03-02T09:00:00Z"},
		{agenda.Reason{Kind: agenda.ReasonMaxNotice, LimitMinutes: 60, Allowed: &at}, "max_notice of 60 minutes, allowed until 2026-03-02T09:00:00Z"},
		{agenda.Reason{Kind: agenda.ReasonDailyCap, RecordID: "m1", Limit: 2, Count: 2}, `daily_cap "m1" 2 of 2`},
		{agenda.Reason{Kind: agenda.ReasonClosed, RecordID: "2026-12-25", Name: "Noël"}, `closed "2026-12-25" (Noël)`},
		{agenda.Reason{Kind: agenda.ReasonOffGrid, Before: &at, After: &end, BusyGrid: true},
			"off_grid, nearest start before 2026-03-02T09:00:00Z, nearest start after 2026-03-02T09:30:00Z, the grid starting where busy time ends"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.give.String())
	}
}

// The nearest-start search stops at the last year the index covers.
func TestExplainNearTheLastYear(t *testing.T) {
	ds := explainDataset()
	ds.OpeningPeriods[0].FirstDay = "2026-12-28" // Mondays, from the last week of 2026
	ds.Services[0].MaxNoticeMinutes = 0
	ix, err := agenda.New(ds, agenda.WithLimits(agenda.Limits{MaxYear: 2026}))
	require.NoError(t, err)
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	ex, err := ix.Explain(context.Background(), agenda.ExplainQuery{ServiceID: "m1", AgentID: "a1", PlaceID: "l1",
		Start: time.Date(2026, 12, 28, 11, 30, 0, 0, paris), Now: time.Date(2026, 12, 20, 0, 0, 0, 0, paris)})
	require.NoError(t, err)
	assert.True(t, ex.Bookable)
	assert.Nil(t, ex.After, "no start in 2027, past Limits.MaxYear")
	require.NotNil(t, ex.Before)
	assert.True(t, time.Date(2026, 12, 28, 11, 0, 0, 0, paris).Equal(*ex.Before))
}
