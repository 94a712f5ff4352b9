package agenda_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
)

// calendarICS is agent a1's Outlook calendar: every Monday 10:00-11:00
// (Windows zone name for Paris) from 2 March 2026, the Monday of 9 March
// excluded, and an all-day event on Wednesday 4 March; a FREE event on
// Tuesday 3 March blocks nothing.
const calendarICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" +
	"BEGIN:VEVENT\r\nUID:weekly\r\nDTSTART;TZID=\"Romance Standard Time\":20260302T100000\r\n" +
	"DTEND;TZID=\"Romance Standard Time\":20260302T110000\r\nRRULE:FREQ=WEEKLY\r\n" +
	"EXDATE;TZID=\"Romance Standard Time\":20260309T100000\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:allday\r\nDTSTART;VALUE=DATE:20260304\r\nDTEND;VALUE=DATE:20260305\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:free\r\nDTSTART:20260303T090000Z\r\nDTEND:20260303T100000Z\r\nX-MICROSOFT-CDO-BUSYSTATUS:FREE\r\nEND:VEVENT\r\n" +
	"END:VCALENDAR\r\n"

// calendarDataset: a1 works for o1 and o2, open 09:00-12:00 every weekday
// in o2 (Paris, UTC+1 in March until the 29th).
func calendarDataset() *agenda.Dataset {
	return &agenda.Dataset{
		TimeZone:      "Europe/Paris",
		Organisations: []agenda.Organisation{{ID: "o1"}, {ID: "o2"}},
		Agents:        []agenda.Agent{{ID: "a1", OrganisationIDs: []string{"o1", "o2"}}},
		Services:      []agenda.Service{{ID: "m2", OrganisationID: "o2", DurationMinutes: 60}},
		OpeningPeriods: []agenda.OpeningPeriod{{ID: "p2", AgentID: "a1", OrganisationID: "o2", ServiceIDs: []string{"m2"},
			FirstDay: "2026-03-02", StartTime: "09:00", EndTime: "12:00", RRule: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"}},
		Calendars: []agenda.Calendar{{ID: "outlook", AgentID: "a1", ICS: calendarICS,
			UpdatedAt: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)}},
	}
}

func parisDay(d, h, m int) time.Time {
	loc, _ := time.LoadLocation("Europe/Paris")
	return time.Date(2026, 3, d, h, m, 0, 0, loc)
}

func spanStrings(ss []agenda.Span) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Start.UTC().Format("Jan 2 15:04")+"-"+s.End.UTC().Format("Jan 2 15:04"))
	}
	return out
}

// TestCalendarMakesAgentBusy: the calendar's events are busy time in every
// organisation, listed as events of kind calendar, and slots avoid them.
func TestCalendarMakesAgentBusy(t *testing.T) {
	ix, err := agenda.New(calendarDataset())
	require.NoError(t, err)
	ctx := context.Background()
	ag, err := ix.Agenda(ctx, "a1", parisDay(2, 0, 0), parisDay(10, 0, 0))
	require.NoError(t, err)
	// Busy (UTC): Monday 2 10:00-11:00 local, Wednesday 4 all day; the
	// FREE event and the excluded Monday 9 block nothing.
	assert.Equal(t, []string{"Mar 2 09:00-Mar 2 10:00", "Mar 3 23:00-Mar 4 23:00"}, spanStrings(ag.Busy))
	var cal []string
	for _, e := range ag.Events {
		if e.Kind == agenda.KindCalendar {
			assert.Equal(t, "outlook", e.ID)
			cal = append(cal, e.UID+" "+e.Start.UTC().Format("Jan 2 15:04")+" "+map[bool]string{true: "busy", false: "free"}[e.Blocking])
		}
	}
	assert.Equal(t, []string{"weekly Mar 2 09:00 busy", "free Mar 3 09:00 free", "allday Mar 3 23:00 busy"}, cal)
	require.Len(t, ag.Calendars, 1)
	assert.Equal(t, agenda.CalendarStatus{ID: "outlook", UpdatedAt: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC), Events: 3}, ag.Calendars[0])

	// Slots of o2's hourly service: Monday 2 loses 10:00, Wednesday 4 is
	// gone, Monday 9 keeps all three.
	slots, err := ix.Slots(ctx, agenda.SlotQuery{ServiceID: "m2", From: parisDay(2, 0, 0), To: parisDay(10, 0, 0),
		Now: parisDay(1, 0, 0), View: agenda.ViewAgent})
	require.NoError(t, err)
	var starts []string
	for _, s := range slots {
		starts = append(starts, s.Start.In(parisDay(1, 0, 0).Location()).Format("Mon 2 15:04"))
	}
	assert.Equal(t, []string{"Mon 2 09:00", "Mon 2 11:00", "Tue 3 09:00", "Tue 3 10:00", "Tue 3 11:00",
		"Thu 5 09:00", "Thu 5 10:00", "Thu 5 11:00", "Fri 6 09:00", "Fri 6 10:00", "Fri 6 11:00",
		"Mon 9 09:00", "Mon 9 10:00", "Mon 9 11:00"}, starts)

	// Another organisation sees the blocking events only, without ids.
	for_, err := ix.AgendaFor(ctx, "o1", "a1", parisDay(2, 0, 0), parisDay(10, 0, 0))
	require.NoError(t, err)
	n := 0
	for _, e := range for_.Events {
		if e.Kind == agenda.KindCalendar {
			n++
			assert.Empty(t, e.ID)
			assert.Empty(t, e.UID)
			assert.True(t, e.Blocking)
		}
	}
	assert.Equal(t, 2, n)
}

func TestCalendarValidation(t *testing.T) {
	tests := []struct {
		name  string
		give  agenda.Calendar
		want  string
		limit bool
	}{
		{"unknown agent", agenda.Calendar{ID: "c1", AgentID: "nobody", ICS: calendarICS}, `agenda: calendar "c1": agent_id "nobody" is not a known agent`, false},
		{"bad rule", agenda.Calendar{ID: "c1", AgentID: "a1", ICS: strings.Replace(calendarICS, "FREQ=WEEKLY", "FREQ=SECONDLY", 1)},
			`agenda: calendar "c1": ics: event "weekly": RRULE: rrule "FREQ=SECONDLY": FREQ=SECONDLY not supported`, false},
		{"huge count", agenda.Calendar{ID: "c1", AgentID: "a1", ICS: strings.Replace(calendarICS, "FREQ=WEEKLY", "FREQ=WEEKLY;COUNT=100000", 1)},
			`agenda: calendar "c1": ics: event "weekly": RRULE:`, true},
		{"unknown zone", agenda.Calendar{ID: "c1", AgentID: "a1", ICS: strings.ReplaceAll(calendarICS, "Romance Standard Time", "Atlantis Standard Time")},
			`agenda: calendar "c1": ics: event "weekly": DTSTART: TZID "Atlantis Standard Time" is neither an IANA zone nor a Windows zone name that CLDR maps`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := calendarDataset()
			ds.Calendars = []agenda.Calendar{tt.give}
			_, err := agenda.New(ds)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			var re *agenda.RecordError
			require.True(t, errors.As(err, &re))
			assert.Equal(t, "calendar", re.Kind)
			assert.Equal(t, tt.limit, errors.Is(err, agenda.ErrLimit), "%v", err)
		})
	}
	ds := calendarDataset()
	ds.Calendars[0].ICS = strings.Repeat("X", 2000)
	_, err := agenda.New(ds, agenda.WithLimits(agenda.Limits{MaxICSBytes: 1000}))
	require.Error(t, err)
	assert.ErrorIs(t, err, agenda.ErrLimit)
	assert.Contains(t, err.Error(), "Limits.MaxICSBytes")

	live, err := agenda.NewLive(calendarDataset())
	require.NoError(t, err)
	err = live.SetCalendar(context.Background(), "c9", "a1", nil)
	assert.ErrorIs(t, err, agenda.ErrInvalidQuery, "a nil reader is an error, not a panic")
	assert.ErrorContains(t, err, `calendar "c9": no text`)
}

// TestCalendarRuleDaysLimit: 200 events whose rule never matches (no 30
// February) each walk one 400-year cycle (146,097 days) to find that out:
// 29 million days, above the default Limits.MaxCalendarRuleDays, so the
// calendar is refused naming the event and RRULE; raising the limit lets
// it in (with no busy time).
func TestCalendarRuleDaysLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n")
	for i := range 200 {
		fmt.Fprintf(&b, "BEGIN:VEVENT\r\nUID:never-%d\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260302T090000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30\r\nEND:VEVENT\r\n", i)
	}
	b.WriteString("END:VCALENDAR\r\n")
	ds := calendarDataset()
	ds.Calendars = []agenda.Calendar{{ID: "hostile", AgentID: "a1", ICS: b.String()}}
	_, err := agenda.New(ds)
	require.Error(t, err)
	assert.ErrorIs(t, err, agenda.ErrLimit)
	assert.Regexp(t, `agenda: calendar "hostile": ics: event "never-6[0-9]": RRULE: .*the limit is Limits.MaxCalendarRuleDays; raise it with WithLimits`, err.Error())
	var le *agenda.LimitError
	require.True(t, errors.As(err, &le))
	assert.Equal(t, "MaxCalendarRuleDays", le.Limit)

	_, err = agenda.New(ds, agenda.WithLimits(agenda.Limits{MaxCalendarRuleDays: 200 * 147_000}))
	require.NoError(t, err)
}

// TestLiveSetCalendar: a calendar is replaced atomically, stamped with the
// clock; bad text leaves the old one in place; deleting frees the time.
func TestLiveSetCalendar(t *testing.T) {
	clock := newManualClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	ds := calendarDataset()
	ds.Calendars = nil
	live, err := agenda.NewLive(ds, agenda.WithClock(clock.Now))
	require.NoError(t, err)
	ctx := context.Background()
	var changes []agenda.Change
	stop := live.OnChange(func(c agenda.Change) { changes = append(changes, c) })
	defer stop()
	busy := func() []string {
		ag, err := live.Agenda(ctx, "a1", parisDay(2, 0, 0), parisDay(10, 0, 0))
		require.NoError(t, err)
		return spanStrings(ag.Busy)
	}
	assert.Empty(t, busy())

	require.NoError(t, live.SetCalendar(ctx, "outlook", "a1", strings.NewReader(calendarICS)))
	assert.Equal(t, []string{"Mar 2 09:00-Mar 2 10:00", "Mar 3 23:00-Mar 4 23:00"}, busy())
	require.Len(t, changes, 1)
	assert.Equal(t, []string{"a1"}, changes[0].AgentIDs)
	assert.False(t, changes[0].Bounded(), "a recurring calendar's change is not bounded")

	clock.Advance(time.Hour)
	next := strings.Replace(calendarICS, "EXDATE;TZID=\"Romance Standard Time\":20260309T100000\r\n", "", 1)
	require.NoError(t, live.SetCalendar(ctx, "outlook", "a1", strings.NewReader(next)))
	assert.Equal(t, []string{"Mar 2 09:00-Mar 2 10:00", "Mar 3 23:00-Mar 4 23:00", "Mar 9 09:00-Mar 9 10:00"}, busy())
	st := live.Snapshot().Calendars()
	require.Len(t, st, 1)
	assert.Equal(t, time.Date(2026, 3, 1, 13, 0, 0, 0, time.UTC), st[0].UpdatedAt)

	err = live.SetCalendar(ctx, "outlook", "a1", strings.NewReader("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `agenda: calendar "outlook": ics: event "x": DTSTART: DTSTART is missing`)
	assert.Len(t, busy(), 3, "the calendar in place stays")

	err = live.SetCalendar(ctx, "outlook", "a1", bytes.NewReader(make([]byte, 11<<20)))
	assert.ErrorIs(t, err, agenda.ErrLimit)

	exported := live.Snapshot().Dataset()
	require.Len(t, exported.Calendars, 1)
	assert.Equal(t, next, exported.Calendars[0].ICS)

	require.NoError(t, live.DeleteCalendar("outlook"))
	assert.Empty(t, busy())
	assert.ErrorIs(t, live.DeleteCalendar("outlook"), agenda.ErrNotFound)
}

// TestCalendarJSON: the dataset's calendars read and write as JSON.
func TestCalendarJSON(t *testing.T) {
	ds := calendarDataset()
	var buf bytes.Buffer
	require.NoError(t, ds.WriteJSON(&buf))
	back, err := agenda.ReadDataset(&buf)
	require.NoError(t, err)
	assert.Equal(t, ds.Calendars, back.Calendars)
	_, err = agenda.ReadDataset(strings.NewReader(`{"calendars": [{"id": "c1", "agent_id": "a1", "ics": 3}]}`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `calendar "c1"`)
}

// TestSetCalendarAtomic: readers racing a writer that swaps between two
// calendars see one or the other, whole, never a mix or nothing.
func TestSetCalendarAtomic(t *testing.T) {
	ds := calendarDataset()
	live, err := agenda.NewLive(ds)
	require.NoError(t, err)
	ctx := context.Background()
	// Version B moves the weekly meeting to 14:00.
	versionB := strings.ReplaceAll(calendarICS, "T100000", "T140000")
	versionB = strings.ReplaceAll(versionB, "T110000", "T150000")
	a := []string{"Mar 2 09:00-Mar 2 10:00", "Mar 3 23:00-Mar 4 23:00"}
	b := []string{"Mar 2 13:00-Mar 2 14:00", "Mar 3 23:00-Mar 4 23:00"}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 200 {
			text := calendarICS
			if i%2 == 0 {
				text = versionB
			}
			if err := live.SetCalendar(ctx, "outlook", "a1", strings.NewReader(text)); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for reading := true; reading; {
		select {
		case <-done:
			reading = false
		default:
		}
		ag, err := live.Agenda(ctx, "a1", parisDay(2, 0, 0), parisDay(5, 0, 0))
		require.NoError(t, err)
		got := spanStrings(ag.Busy)
		if !assert.True(t, slices.Equal(got, a) || slices.Equal(got, b), "%v", got) {
			return
		}
	}
}

func TestUpsertAndCheckCalendar(t *testing.T) {
	live, err := agenda.NewLive(calendarDataset())
	require.NoError(t, err)
	at := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	require.NoError(t, live.UpsertCalendar(agenda.Calendar{ID: "google", AgentID: "a1", ICS: calendarICS, UpdatedAt: at}))
	st := live.Calendars()
	require.Len(t, st, 2)
	assert.Equal(t, "google", st[0].ID)
	assert.Equal(t, at, st[0].UpdatedAt)
	err = live.Snapshot().CheckCalendar(agenda.Calendar{ID: "x", AgentID: "a1", ICS: "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"})
	assert.NoError(t, err, "an empty calendar is a calendar")
	err = live.Snapshot().CheckCalendar(agenda.Calendar{ID: "x", AgentID: "a9", ICS: calendarICS})
	assert.ErrorContains(t, err, `agenda: calendar "x": agent_id "a9" is not a known agent`)
	assert.Equal(t, int64(10<<20), live.Snapshot().MaxICSBytes())
}
