package agenda_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

// privacyDataset has agent a1 in o1 and in another organisation whose every
// id, name and status worth hiding carries the marker SECRET (or is a
// status o1 must not learn: noshow, excused). The week of Monday 2 March
// 2026 in Paris (UTC+1):
//
//	o1:     opening p1 Monday 09:00-12:00; appointment r1 Monday 09:00-09:30
//	SECRET: opening Monday 14:00-17:00; appointments Monday 10:00-10:30
//	        (booked), 11:00-11:30 (excused), 15:00-16:00 (noshow); closed on
//	        Wednesday
//	a1:     absent Tuesday 08:00-09:00, and every Thursday 08:00-09:00
func privacyDataset() *agenda.Dataset {
	at := func(day, h, m int) time.Time {
		return time.Date(2026, 3, day, h, m, 0, 0, time.FixedZone("CET", 3600))
	}
	return &agenda.Dataset{
		TimeZone: "Europe/Paris",
		Organisations: []agenda.Organisation{{ID: "o1", Name: "PMI"},
			{ID: "SECRET-org", Name: "SECRET social services"}},
		Agents: []agenda.Agent{{ID: "a1", OrganisationIDs: []string{"o1", "SECRET-org"}},
			{ID: "a2", OrganisationIDs: []string{"o1"}}},
		Places: []agenda.Place{{ID: "l1", OrganisationID: "o1"},
			{ID: "SECRET-place", OrganisationID: "SECRET-org", Name: "SECRET shelter"}},
		Services: []agenda.Service{{ID: "m1", OrganisationID: "o1", DurationMinutes: 30},
			{ID: "SECRET-svc", OrganisationID: "SECRET-org", Name: "SECRET child protection", DurationMinutes: 60}},
		OpeningPeriods: []agenda.OpeningPeriod{
			{ID: "p1", AgentID: "a1", OrganisationID: "o1", PlaceID: "l1", ServiceIDs: []string{"m1"},
				FirstDay: "2026-03-02", StartTime: "09:00", EndTime: "12:00", RRule: "FREQ=WEEKLY"},
			{ID: "p2", AgentID: "a2", OrganisationID: "o1", PlaceID: "l1", ServiceIDs: []string{"m1"},
				FirstDay: "2026-03-02", StartTime: "09:00", EndTime: "12:00", RRule: "FREQ=WEEKLY"},
			{ID: "SECRET-opening", AgentID: "a1", OrganisationID: "SECRET-org", PlaceID: "SECRET-place",
				ServiceIDs: []string{"SECRET-svc"}, FirstDay: "2026-03-02", StartTime: "14:00", EndTime: "17:00", RRule: "FREQ=WEEKLY"},
		},
		Absences: []agenda.Absence{
			{ID: "SECRET-absence", AgentID: "a1", FirstDay: "2026-03-03", StartTime: "08:00", EndTime: "09:00"},
			{ID: "SECRET-weekly-absence", AgentID: "a1", FirstDay: "2026-03-05", StartTime: "08:00", EndTime: "09:00", RRule: "FREQ=WEEKLY"},
		},
		Appointments: []agenda.Appointment{
			{ID: "r1", OrganisationID: "o1", PlaceID: "l1", ServiceID: "m1", AgentIDs: []string{"a1"}, Start: at(2, 9, 0), End: at(2, 9, 30)},
			{ID: "SECRET-appt-booked", OrganisationID: "SECRET-org", PlaceID: "SECRET-place", ServiceID: "SECRET-svc",
				AgentIDs: []string{"a1"}, Start: at(2, 10, 0), End: at(2, 10, 30)},
			{ID: "SECRET-appt-excused", OrganisationID: "SECRET-org", PlaceID: "SECRET-place", ServiceID: "SECRET-svc",
				AgentIDs: []string{"a1"}, Start: at(2, 11, 0), End: at(2, 11, 30), Status: agenda.StatusExcused},
			{ID: "SECRET-appt-noshow", OrganisationID: "SECRET-org", PlaceID: "SECRET-place", ServiceID: "SECRET-svc",
				AgentIDs: []string{"a1"}, Start: at(2, 15, 0), End: at(2, 16, 0), Status: agenda.StatusNoShow},
		},
		ClosedDays: []agenda.ClosedDay{{Date: "2026-03-04", OrganisationID: "SECRET-org", Name: "SECRET staff day"}},
		// An external calendar: a blocking event Friday 10:00-11:00 and a
		// transparent one Friday 14:00-15:00.
		Calendars: []agenda.Calendar{{ID: "SECRET-calendar", AgentID: "a1", ICS: "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n" +
			"BEGIN:VEVENT\r\nUID:SECRET-uid-1\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260306T090000Z\r\nDTEND:20260306T100000Z\r\n" +
			"SUMMARY:SECRET therapy\r\nEND:VEVENT\r\n" +
			"BEGIN:VEVENT\r\nUID:SECRET-uid-2\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260306T130000Z\r\nDTEND:20260306T140000Z\r\n" +
			"TRANSP:TRANSPARENT\r\nSUMMARY:SECRET lunch\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"}},
	}
}

// leaks lists what of the other organisation a JSON text shows.
func leaks(t *testing.T, v any) []string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var found []string
	for _, w := range []string{"SECRET", "noshow", "excused", "14:00", "17:00"} {
		if strings.Contains(string(b), w) {
			found = append(found, w)
		}
	}
	return found
}

// On behalf of o1, the other organisation's records show only as blocking
// time: kind, start and end.
func TestAgendaForHidesOtherOrganisations(t *testing.T) {
	ix, err := agenda.New(privacyDataset())
	require.NoError(t, err)
	ctx := context.Background()
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	at := func(day, h, m int) time.Time { return time.Date(2026, 3, day, h, m, 0, 0, paris) }
	from, to := at(2, 0, 0), at(9, 0, 0)

	full, err := ix.Agenda(ctx, "a1", from, to)
	require.NoError(t, err)
	require.NotEmpty(t, leaks(t, full), "the full agenda shows everything, or the test checks nothing")

	got, err := ix.AgendaFor(ctx, "o1", "a1", from, to)
	require.NoError(t, err)
	assert.Empty(t, leaks(t, got))
	want := []agenda.Event{
		{Kind: agenda.KindAppointment, ID: "r1", OrganisationID: "o1", PlaceID: "l1", ServiceIDs: []string{"m1"},
			Start: at(2, 9, 0), End: at(2, 9, 30), Status: agenda.StatusBooked, Blocking: true},
		{Kind: agenda.KindOpening, ID: "p1", OrganisationID: "o1", PlaceID: "l1", ServiceIDs: []string{"m1"},
			Start: at(2, 9, 0), End: at(2, 12, 0)},
		{Kind: agenda.KindAppointment, Start: at(2, 10, 0), End: at(2, 10, 30), Blocking: true},
		{Kind: agenda.KindAppointment, Start: at(2, 15, 0), End: at(2, 16, 0), Blocking: true},
		{Kind: agenda.KindAbsence, Start: at(3, 8, 0), End: at(3, 9, 0), Blocking: true},
		{Kind: agenda.KindAbsence, Start: at(5, 8, 0), End: at(5, 9, 0), Blocking: true},
		{Kind: agenda.KindCalendar, Start: at(6, 10, 0), End: at(6, 11, 0), Blocking: true},
	}
	assert.Equal(t, want, got.Events)
	assert.Equal(t, full.Busy, got.Busy, "busy time is the same, whoever asks")
	assert.Equal(t, []agenda.Span{{Start: at(2, 9, 30), End: at(2, 10, 0)}, {Start: at(2, 10, 30), End: at(2, 12, 0)}}, got.Free)

	// The other queries o1 may ask show nothing of the other organisation either.
	slots, err := ix.Slots(ctx, agenda.SlotQuery{ServiceID: "m1", From: from, To: to, Now: from, View: agenda.ViewAgent})
	require.NoError(t, err)
	require.NotEmpty(t, slots)
	assert.Empty(t, leaks(t, slots))
	next, ok, err := ix.NextAvailable(ctx, agenda.SlotQuery{ServiceID: "m1", Now: from, View: agenda.ViewAgent})
	require.NoError(t, err)
	require.True(t, ok)
	assert.Empty(t, leaks(t, next))

	// An organisation the agent does not work for sees nothing.
	_, err = ix.AgendaFor(ctx, "o9", "a1", from, to)
	assert.ErrorIs(t, err, agenda.ErrNotFound)
	_, err = ix.AgendaFor(ctx, "SECRET-org", "a2", from, to)
	assert.ErrorIs(t, err, agenda.ErrNotFound)
	_, err = ix.AgendaFor(ctx, "o1", "a9", from, to)
	assert.ErrorIs(t, err, agenda.ErrNotFound)

	// The other organisation, asking, sees its own records and o1's as blocking time.
	other, err := ix.AgendaFor(ctx, "SECRET-org", "a1", from, to)
	require.NoError(t, err)
	b, err := json.Marshal(other)
	require.NoError(t, err)
	assert.NotContains(t, string(b), `"r1"`)
	assert.NotContains(t, string(b), `"l1"`)
	assert.NotContains(t, string(b), `"m1"`)
	assert.Contains(t, string(b), "SECRET-appt-noshow")
}

// Over random datasets, an agenda asked on behalf of each organisation of
// each agent holds exactly: the organisation's own events as the full
// agenda has them, one bare blocking event (kind, start, end) per blocking
// appointment of the other organisations, and each absence without its id;
// its busy time is the full agenda's.
func TestAgendaForRandom(t *testing.T) {
	ctx := context.Background()
	type key struct {
		kind       agenda.EventKind
		start, end int64
	}
	checked := 0
	for seed := uint64(1); seed <= 150; seed++ {
		c := gen.Random(seed, gen.RandomConfig{})
		ix, err := agenda.New(c.Dataset)
		require.NoError(t, err, "seed %d", seed)
		for _, ag := range c.Dataset.Agents {
			full, err := ix.Agenda(ctx, ag.ID, c.From, c.To)
			require.NoError(t, err)
			for _, org := range ag.OrganisationIDs {
				got, err := ix.AgendaFor(ctx, org, ag.ID, c.From, c.To)
				require.NoError(t, err)
				assert.Equal(t, full.Busy, got.Busy, "seed %d", seed)
				// The free time is that of the full agenda of a dataset
				// without the other organisations' openings.
				own := *c.Dataset
				own.OpeningPeriods = nil
				for _, p := range c.Dataset.OpeningPeriods {
					if p.OrganisationID == org {
						own.OpeningPeriods = append(own.OpeningPeriods, p)
					}
				}
				ownIx, err := agenda.New(&own)
				require.NoError(t, err)
				ownAg, err := ownIx.Agenda(ctx, ag.ID, c.From, c.To)
				require.NoError(t, err)
				assert.Equal(t, ownAg.Free, got.Free, "seed %d org %s", seed, org)
				want := map[string]int{}
				bare := map[key]int{}
				for _, e := range full.Events {
					switch {
					case e.Kind == agenda.KindAbsence, e.Kind == agenda.KindCalendar && e.Blocking:
						bare[key{e.Kind, e.Start.Unix(), e.End.Unix()}]++
					case e.OrganisationID == org:
						b, _ := json.Marshal(e)
						want[string(b)]++
					case (e.Kind == agenda.KindAppointment || e.Kind == agenda.KindHold) && e.Blocking:
						bare[key{e.Kind, e.Start.Unix(), e.End.Unix()}]++
					}
				}
				for _, e := range got.Events {
					if e.OrganisationID == org {
						b, _ := json.Marshal(e)
						want[string(b)]--
						continue
					}
					assert.Equal(t, agenda.Event{Kind: e.Kind, Start: e.Start, End: e.End, Blocking: true}, e,
						"seed %d: an event of another organisation shows more than kind, start and end", seed)
					bare[key{e.Kind, e.Start.Unix(), e.End.Unix()}]--
					checked++
				}
				for k, n := range want {
					assert.Zero(t, n, "seed %d org %s: own event %s", seed, org, k)
				}
				for k, n := range bare {
					assert.Zero(t, n, "seed %d org %s: blocking time %+v", seed, org, k)
				}
			}
		}
	}
	require.Positive(t, checked, "no event of another organisation was ever masked: the test checks nothing")
}
