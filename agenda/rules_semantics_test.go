package agenda_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

// These tests hold the booking rules of issue 13 to its text, sentence by
// sentence, through the public API only. Every expected slot and span is
// worked out by hand in the comments next to it, never by the code.

// semDataset is one agent a1 in organisations o1 and o2 (Paris), open in
// o1 at place l1 from 09:00 to 12:00 every day of December 2026 for the
// services listed (all of o1); o2 has a service n1 and no opening.
func semDataset(services ...agenda.Service) *agenda.Dataset {
	ids := make([]string, len(services))
	for i, s := range services {
		ids[i] = s.ID
	}
	return &agenda.Dataset{
		TimeZone:      "Europe/Paris",
		Organisations: []agenda.Organisation{{ID: "o1"}, {ID: "o2"}},
		Agents:        []agenda.Agent{{ID: "a1", OrganisationIDs: []string{"o1", "o2"}}},
		Places:        []agenda.Place{{ID: "l1", OrganisationID: "o1"}},
		Services:      append(services, agenda.Service{ID: "n1", OrganisationID: "o2", DurationMinutes: 30}),
		OpeningPeriods: []agenda.OpeningPeriod{{ID: "p1", AgentID: "a1", OrganisationID: "o1", PlaceID: "l1",
			ServiceIDs: ids, FirstDay: "2026-12-01", StartTime: "09:00", EndTime: "12:00", RRule: "FREQ=DAILY", Until: "2026-12-31"}},
	}
}

// semStarts lists the slots' starts as Paris "MM-DD HH:MM".
func semStarts(slots []agenda.Slot) []string {
	out := []string{}
	for _, s := range slots {
		out = append(out, s.Start.In(paris).Format("01-02 15:04"))
	}
	return out
}

// semSpans lists spans as Paris "MM-DD HH:MM-HH:MM".
func semSpans(spans []agenda.Span) []string {
	out := []string{}
	for _, s := range spans {
		out = append(out, s.Start.In(paris).Format("01-02 15:04")+"-"+s.End.In(paris).Format("15:04"))
	}
	return out
}

// semSlots asks the agent view (no notice) for the slots of one Paris day.
func semSlots(t *testing.T, ix *agenda.Index, service, day string) []string {
	t.Helper()
	from := at(day + " 00:00")
	slots, err := ix.Slots(context.Background(), agenda.SlotQuery{ServiceID: service, From: from, To: from.AddDate(0, 0, 1),
		Now: from.AddDate(0, 0, -10), View: agenda.ViewAgent})
	require.NoError(t, err)
	return semStarts(slots)
}

func semRead(t *testing.T, js string) *agenda.Dataset {
	t.Helper()
	ds, err := agenda.ReadDataset(strings.NewReader(js))
	require.NoError(t, err)
	return ds
}

func intp(n int) *int { return &n }

// semJSON is a dataset in the JSON format: service m1 (30 minutes, buffers
// 10 before and 15 after) and n1 (o2, no buffers); the appointments are
// given as JSON text.
func semJSON(appointments string) string {
	return `{"time_zone": "Europe/Paris",
  "organisations": [{"id": "o1"}, {"id": "o2"}],
  "agents": [{"id": "a1", "organisation_ids": ["o1", "o2"]}],
  "places": [{"id": "l1", "organisation_id": "o1"}],
  "services": [{"id": "m1", "organisation_id": "o1", "duration_minutes": 30,
                "buffer_before_minutes": 10, "buffer_after_minutes": 15},
               {"id": "n1", "organisation_id": "o2", "duration_minutes": 30}],
  "opening_periods": [{"id": "p1", "agent_id": "a1", "organisation_id": "o1", "place_id": "l1", "service_ids": ["m1"],
                       "first_day": "2026-12-01", "start_time": "09:00", "end_time": "12:00", "rrule": "FREQ=DAILY"}],
  "absences": [], "closed_days": [],
  "appointments": [` + appointments + `]}`
}

// "An appointment blocks its agents in every organisation over [start −
// before, end + after), where before and after are the appointment's own
// buffer_before_minutes / buffer_after_minutes when present in the
// record, else its service's. [...] Cancelled statuses (excused, revoked)
// block nothing, buffers included." "agenda events keep the appointment's
// own start and end and report its buffers."
func TestSemanticsAppointmentBuffers(t *testing.T) {
	appt := func(fields string) string {
		return `{"id": "r1", "organisation_id": "o1", "place_id": "l1", "service_id": "m1", "agent_ids": ["a1"],
		         "start": "2026-12-02T10:00:00+01:00", "end": "2026-12-02T10:30:00+01:00"` + fields + `}`
	}
	tests := []struct {
		name              string
		give              string
		wantBusy          []string
		wantBefore, after int
	}{
		// Absent: the service's 10 and 15 minutes.
		{"absent", appt(``), []string{"12-02 09:50-10:45"}, 10, 15},
		// Present as 0: none, whatever the service says.
		{"both 0", appt(`, "buffer_before_minutes": 0, "buffer_after_minutes": 0`), []string{"12-02 10:00-10:30"}, 0, 0},
		// Each field on its own: present before 0, absent after takes 15.
		{"before 0", appt(`, "buffer_before_minutes": 0`), []string{"12-02 10:00-10:45"}, 0, 15},
		{"after 0", appt(`, "buffer_after_minutes": 0`), []string{"12-02 09:50-10:30"}, 10, 0},
		{"own 5 and 20", appt(`, "buffer_before_minutes": 5, "buffer_after_minutes": 20`), []string{"12-02 09:55-10:50"}, 5, 20},
		{"excused", appt(`, "status": "excused"`), []string{}, 10, 15},
		{"revoked", appt(`, "status": "revoked", "buffer_before_minutes": 30`), []string{}, 30, 15},
		// The buffers of an appointment of another organisation block too:
		// n1 has none, its own 20 after blocks a1 in o1.
		{"other organisation", `{"id": "r1", "organisation_id": "o2", "service_id": "n1", "agent_ids": ["a1"],
		  "start": "2026-12-02T10:00:00+01:00", "end": "2026-12-02T10:30:00+01:00", "buffer_after_minutes": 20}`,
			[]string{"12-02 10:00-10:50"}, 0, 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix, err := agenda.New(semRead(t, semJSON(tt.give)))
			require.NoError(t, err)
			ag, err := ix.Agenda(context.Background(), "a1", at("2026-12-02 00:00"), at("2026-12-03 00:00"))
			require.NoError(t, err)
			assert.Equal(t, tt.wantBusy, semSpans(ag.Busy))
			var found bool
			for _, e := range ag.Events {
				if e.Kind == agenda.KindAppointment {
					found = true
					assert.Equal(t, at("2026-12-02 10:00"), e.Start.In(paris), "own start")
					assert.Equal(t, at("2026-12-02 10:30"), e.End.In(paris), "own end")
					assert.Equal(t, tt.wantBefore, e.BufferBeforeMinutes)
					assert.Equal(t, tt.after, e.BufferAfterMinutes)
				}
			}
			assert.True(t, found, "the appointment is an event")
		})
	}
}

// "A slot [s, s + duration) of a service with buffers is offered only if
// [s − before, s + duration + after) overlaps no busy time [...]. The slot
// itself must lie in the free opening time; its buffers need not (a slot
// may start when the opening starts)."
func TestSemanticsSlotBuffers(t *testing.T) {
	// s1: 30 minutes, 10 before, 5 after. t1: no buffers, books the busy time.
	s1 := agenda.Service{ID: "s1", OrganisationID: "o1", DurationMinutes: 30, BufferBeforeMinutes: 10, BufferAfterMinutes: 5}
	t1 := agenda.Service{ID: "t1", OrganisationID: "o1", DurationMinutes: 30}
	busy := func(before, after *int, status agenda.Status) []agenda.Appointment {
		return []agenda.Appointment{{ID: "r1", OrganisationID: "o1", PlaceID: "l1", ServiceID: "t1", AgentIDs: []string{"a1"},
			Start: at("2026-12-02 10:00"), End: at("2026-12-02 10:30"), Status: status,
			BufferBeforeMinutes: before, BufferAfterMinutes: after}}
	}
	tests := []struct {
		name  string
		appts []agenda.Appointment
		want  []string
	}{
		// Nothing busy: back-to-back from the opening's start (buffer
		// 08:50-09:00 outside the opening) to 11:30-12:00 (buffer after
		// 12:00 outside it).
		{"free day", nil, []string{"12-02 09:00", "12-02 09:30", "12-02 10:00", "12-02 10:30", "12-02 11:00", "12-02 11:30"}},
		// Busy [10:00, 10:30) widened by s1's after 5 and before 10 to
		// [09:55, 10:40): free [09:00, 09:55) gives 09:00 (09:30 would end
		// 10:00 > 09:55); free [10:40, 12:00) gives 10:40, 11:10 (11:40
		// would end 12:10).
		{"appointment without buffers", busy(nil, nil, ""), []string{"12-02 09:00", "12-02 10:40", "12-02 11:10"}},
		// Its own 25 before: busy [09:35, 10:30), widened [09:30, 10:40):
		// 09:00 still fits (ends 09:30).
		{"appointment with own buffer", busy(intp(25), nil, ""), []string{"12-02 09:00", "12-02 10:40", "12-02 11:10"}},
		// Its own 26 before: busy [09:34, 10:30), widened [09:29, 10:40):
		// 09:00-09:30 no longer fits.
		{"one minute more", busy(intp(26), nil, ""), []string{"12-02 10:40", "12-02 11:10"}},
		// Its own 0 after and 20 after: busy [10:00, 10:50), widened
		// [09:55, 11:00): 11:00, 11:30.
		{"own after", busy(intp(0), intp(20), ""), []string{"12-02 09:00", "12-02 11:00", "12-02 11:30"}},
		// Cancelled: blocks nothing, its buffers neither.
		{"revoked", busy(intp(60), intp(60), agenda.StatusRevoked),
			[]string{"12-02 09:00", "12-02 09:30", "12-02 10:00", "12-02 10:30", "12-02 11:00", "12-02 11:30"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := semDataset(s1, t1)
			ds.Appointments = tt.appts
			ix, err := agenda.New(ds)
			require.NoError(t, err)
			assert.Equal(t, tt.want, semSlots(t, ix, "s1", "2026-12-02"))
		})
	}

	// An absence is busy time too: absence 11:00-11:20 widened to
	// [10:55, 11:30) leaves 09:00 to 10:55 (09:00, 09:30, 10:00) and
	// 11:30-12:00 (11:30).
	ds := semDataset(s1)
	ds.Absences = []agenda.Absence{{ID: "b1", AgentID: "a1", FirstDay: "2026-12-02", StartTime: "11:00", EndTime: "11:20"}}
	ix, err := agenda.New(ds)
	require.NoError(t, err)
	assert.Equal(t, []string{"12-02 09:00", "12-02 09:30", "12-02 10:00", "12-02 11:30"}, semSlots(t, ix, "s1", "2026-12-02"))
}

// "Agenda.Busy and group availability include the buffers."
func TestSemanticsCommonIncludesBuffers(t *testing.T) {
	ds := semDataset(agenda.Service{ID: "m1", OrganisationID: "o1", DurationMinutes: 30, BufferAfterMinutes: 15})
	ds.Agents = append(ds.Agents, agenda.Agent{ID: "a2", OrganisationIDs: []string{"o1"}})
	ds.OpeningPeriods = append(ds.OpeningPeriods, agenda.OpeningPeriod{ID: "p2", AgentID: "a2", OrganisationID: "o1",
		ServiceIDs: []string{"m1"}, FirstDay: "2026-12-02", StartTime: "08:00", EndTime: "18:00"})
	// a1's appointment 10:00-10:30 of m1 blocks [10:00, 10:45).
	ds.Appointments = []agenda.Appointment{{ID: "r1", OrganisationID: "o1", ServiceID: "m1", AgentIDs: []string{"a1"},
		Start: at("2026-12-02 10:00"), End: at("2026-12-02 10:30")}}
	ix, err := agenda.New(ds)
	require.NoError(t, err)
	spans, err := ix.Common(context.Background(), agenda.CommonQuery{AgentIDs: []string{"a1", "a2"},
		From: at("2026-12-02 00:00"), To: at("2026-12-03 00:00")})
	require.NoError(t, err)
	assert.Equal(t, []string{"12-02 09:00-10:00", "12-02 10:45-12:00"}, semSpans(spans))
	ag, err := ix.Agenda(context.Background(), "a1", at("2026-12-02 00:00"), at("2026-12-03 00:00"))
	require.NoError(t, err)
	assert.Equal(t, []string{"12-02 10:00-10:45"}, semSpans(ag.Busy))
	assert.Equal(t, []string{"12-02 09:00-10:00", "12-02 10:45-12:00"}, semSpans(ag.Free))
}

// "a booking copies its service's values onto the appointment, so changing
// a service later does not move past appointments."
func TestSemanticsBookingCopiesBuffers(t *testing.T) {
	ctx := context.Background()
	ds := semDataset(agenda.Service{ID: "m1", OrganisationID: "o1", DurationMinutes: 30, BufferBeforeMinutes: 10, BufferAfterMinutes: 20})
	// r0 was imported without buffers: it follows its service.
	ds.Appointments = []agenda.Appointment{{ID: "r0", OrganisationID: "o1", PlaceID: "l1", ServiceID: "m1", AgentIDs: []string{"a1"},
		Start: at("2026-12-03 10:00"), End: at("2026-12-03 10:30")}}
	live, err := agenda.NewLive(ds)
	require.NoError(t, err)
	got, err := live.Book(ctx, agenda.Booking{ID: "r1", ServiceID: "m1", AgentID: "a1", PlaceID: "l1",
		Start: at("2026-12-02 10:00"), Now: at("2026-12-01 08:00"), View: agenda.ViewAgent})
	require.NoError(t, err)
	require.NotNil(t, got.BufferBeforeMinutes)
	require.NotNil(t, got.BufferAfterMinutes)
	assert.Equal(t, 10, *got.BufferBeforeMinutes)
	assert.Equal(t, 20, *got.BufferAfterMinutes)
	// A hold, confirmed, is a booking too: r2 at 11:00 blocks [10:50, 11:50).
	_, err = live.Hold(ctx, agenda.Booking{ID: "r2", ServiceID: "m1", AgentID: "a1", PlaceID: "l1",
		Start: at("2026-12-02 11:00"), Now: at("2026-12-01 08:00"), View: agenda.ViewAgent}, time.Hour)
	require.NoError(t, err)
	got, err = live.Confirm(ctx, "r2")
	require.NoError(t, err)
	require.NotNil(t, got.BufferBeforeMinutes)
	require.NotNil(t, got.BufferAfterMinutes)
	assert.Equal(t, 10, *got.BufferBeforeMinutes)
	assert.Equal(t, 20, *got.BufferAfterMinutes)

	// The service loses its buffers in a new index built from the live
	// one's records, through the JSON format.
	var buf bytes.Buffer
	require.NoError(t, live.Snapshot().Dataset().WriteJSON(&buf))
	next, err := agenda.ReadDataset(&buf)
	require.NoError(t, err)
	for i := range next.Services {
		if next.Services[i].ID == "m1" {
			next.Services[i].BufferBeforeMinutes, next.Services[i].BufferAfterMinutes = 0, 0
		}
	}
	ix, err := agenda.New(next)
	require.NoError(t, err)
	ag, err := ix.Agenda(ctx, "a1", at("2026-12-02 00:00"), at("2026-12-04 00:00"))
	require.NoError(t, err)
	// r1 keeps [09:50, 10:50) and r2 [10:50, 11:50); r0 follows m1 and
	// has none left.
	assert.Equal(t, []string{"12-02 09:50-11:50", "12-03 10:00-10:30"}, semSpans(ag.Busy))
}

// "before and after are the appointment's own buffer_before_minutes /
// buffer_after_minutes when present in the record, else its service's":
// per field, and so still after a round trip through Dataset and WriteJSON.
func TestSemanticsPartialOwnBuffersRoundTrip(t *testing.T) {
	ds := semRead(t, semJSON(`{"id": "r1", "organisation_id": "o1", "service_id": "m1", "agent_ids": ["a1"],
		"start": "2026-12-02T10:00:00+01:00", "end": "2026-12-02T10:30:00+01:00", "buffer_before_minutes": 0}`))
	ix, err := agenda.New(ds)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, ix.Dataset().WriteJSON(&buf))
	back, err := agenda.ReadDataset(&buf)
	require.NoError(t, err)
	require.Len(t, back.Appointments, 1)
	r := back.Appointments[0]
	require.NotNil(t, r.BufferBeforeMinutes, "buffer_before_minutes was present")
	assert.Equal(t, 0, *r.BufferBeforeMinutes)
	assert.Nil(t, r.BufferAfterMinutes, "buffer_after_minutes was absent: the service's applies")
	// The service's after changes from 15 to 40: the appointment's
	// after follows, its before stays 0: busy [10:00, 11:10).
	back.Services[0].BufferAfterMinutes = 40
	ix2, err := agenda.New(back)
	require.NoError(t, err)
	ag, err := ix2.Agenda(context.Background(), "a1", at("2026-12-02 00:00"), at("2026-12-03 00:00"))
	require.NoError(t, err)
	assert.Equal(t, []string{"12-02 10:00-11:10"}, semSpans(ag.Busy))
}

// "Candidate starts in a free interval [a, b) are a' + k × interval for k
// = 0, 1, … while start + duration ≤ b, where a' is a, or, when a is
// before now, a plus the smallest multiple of 5 minutes that reaches now."
func TestSemanticsSlotInterval(t *testing.T) {
	tests := []struct {
		name               string
		duration, interval int
		appts              []agenda.Appointment
		now                string
		want               []string
	}{
		// Default: the duration, back to back.
		{"default", 45, 0, nil, "2026-12-01 08:00",
			[]string{"12-02 09:00", "12-02 09:45", "12-02 10:30", "12-02 11:15"}},
		// 15 < 30: 09:00, 09:15, ..., 11:30 (11:30 + 30 = 12:00 ≤ 12:00).
		{"shorter", 30, 15, nil, "2026-12-01 08:00",
			[]string{"12-02 09:00", "12-02 09:15", "12-02 09:30", "12-02 09:45", "12-02 10:00", "12-02 10:15",
				"12-02 10:30", "12-02 10:45", "12-02 11:00", "12-02 11:15", "12-02 11:30"}},
		// 45 > 30: 09:00, 09:45, 10:30, 11:15 (11:45 ≤ 12:00); 12:00 ends past.
		{"longer", 30, 45, nil, "2026-12-01 08:00", []string{"12-02 09:00", "12-02 09:45", "12-02 10:30", "12-02 11:15"}},
		// 70 > 30: 09:00, 10:10, 11:20 (11:50 ≤ 12:00).
		{"longer still", 30, 70, nil, "2026-12-01 08:00", []string{"12-02 09:00", "12-02 10:10", "12-02 11:20"}},
		// A free interval starting at 09:13 (after an appointment
		// 09:00-09:13): the grid starts there: 09:13, 09:33, ..., 11:13
		// (11:53 ≤ 12:00).
		{"grid from the free interval", 40, 20, []agenda.Appointment{{ID: "r1", OrganisationID: "o1", AgentIDs: []string{"a1"},
			Start: at("2026-12-02 09:00"), End: at("2026-12-02 09:13")}}, "2026-12-01 08:00",
			[]string{"12-02 09:13", "12-02 09:33", "12-02 09:53", "12-02 10:13", "12-02 10:33", "12-02 10:53", "12-02 11:13"}},
		// now 09:07: a' = 09:00 + 10 minutes = 09:10, then every 15:
		// 09:10, ..., 11:25 (11:55 ≤ 12:00).
		{"now rounds", 30, 15, nil, "2026-12-02 09:07",
			[]string{"12-02 09:10", "12-02 09:25", "12-02 09:40", "12-02 09:55", "12-02 10:10", "12-02 10:25",
				"12-02 10:40", "12-02 10:55", "12-02 11:10", "12-02 11:25"}},
		// now 09:05 exactly: a' = 09:05.
		{"now on a 5-minute step", 60, 50, nil, "2026-12-02 09:05", []string{"12-02 09:05", "12-02 09:55", "12-02 10:45"}},
		// now 09:05:01: a' = 09:10; interval 50: 09:10, 10:00, 10:50 (11:50).
		{"now just past a step", 60, 50, nil, "2026-12-02 09:05:01", []string{"12-02 09:10", "12-02 10:00", "12-02 10:50"}},
		// Free interval from 09:13, now 09:14: a' = 09:13 + 5 = 09:18;
		// every 20: 09:18, ..., 11:18 (11:58 ≤ 12:00).
		{"now rounds from a", 40, 20, []agenda.Appointment{{ID: "r1", OrganisationID: "o1", AgentIDs: []string{"a1"},
			Start: at("2026-12-02 09:00"), End: at("2026-12-02 09:13")}}, "2026-12-02 09:14",
			[]string{"12-02 09:18", "12-02 09:38", "12-02 09:58", "12-02 10:18", "12-02 10:38", "12-02 10:58", "12-02 11:18"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := semDataset(agenda.Service{ID: "m1", OrganisationID: "o1", DurationMinutes: tt.duration, SlotIntervalMinutes: tt.interval})
			ds.Appointments = tt.appts
			ix, err := agenda.New(ds)
			require.NoError(t, err)
			from := at("2026-12-02 00:00")
			slots, err := ix.Slots(context.Background(), agenda.SlotQuery{ServiceID: "m1", From: from, To: from.AddDate(0, 0, 1),
				Now: at(tt.now), View: agenda.ViewAgent})
			require.NoError(t, err)
			assert.Equal(t, tt.want, semStarts(slots))
			// NextAvailable gives the first of them.
			next, ok, err := ix.NextAvailable(context.Background(), agenda.SlotQuery{ServiceID: "m1", From: from,
				Now: at(tt.now), View: agenda.ViewAgent})
			require.NoError(t, err)
			require.True(t, ok)
			assert.Equal(t, tt.want[0], next.Start.In(paris).Format("01-02 15:04"))
		})
	}
}

// "Book accepts only a start that the same slot query offers (today's
// rule), so the grid is enforced at booking."
func TestSemanticsBookOnGridOnly(t *testing.T) {
	ctx := context.Background()
	live, err := agenda.NewLive(semDataset(agenda.Service{ID: "m1", OrganisationID: "o1", DurationMinutes: 30, SlotIntervalMinutes: 15}))
	require.NoError(t, err)
	book := func(id, start, now string) error {
		_, err := live.Book(ctx, agenda.Booking{ID: id, ServiceID: "m1", AgentID: "a1", PlaceID: "l1",
			Start: at(start), Now: at(now), View: agenda.ViewAgent})
		return err
	}
	assert.ErrorIs(t, book("r1", "2026-12-02 09:05", "2026-12-01 08:00"), agenda.ErrUnbookable, "off the 15-minute grid")
	assert.ErrorIs(t, book("r1", "2026-12-02 09:20", "2026-12-01 08:00"), agenda.ErrUnbookable, "off the grid")
	require.NoError(t, book("r1", "2026-12-02 09:15", "2026-12-01 08:00"))
	// r1 takes [09:15, 09:45): the free interval [09:45, 12:00) has its
	// own grid: 09:45, 10:00, ...; 09:30 overlaps r1.
	assert.ErrorIs(t, book("r2", "2026-12-02 09:30", "2026-12-01 08:00"), agenda.ErrConflict)
	require.NoError(t, book("r2", "2026-12-02 09:45", "2026-12-01 08:00"))
	// On 12-03, now 12-03 09:02: a' = 09:05, grid 09:05, 09:20, ...
	assert.ErrorIs(t, book("r3", "2026-12-03 09:15", "2026-12-03 09:02"), agenda.ErrUnbookable)
	require.NoError(t, book("r3", "2026-12-03 09:20", "2026-12-03 09:02"))
}

// "exdates: [...] on opening periods and recurring absences: the
// occurrence on that local date is removed (RFC 5545 EXDATE on dates). A
// date that is not an occurrence has no effect [...]. A one-off opening
// period on the same date is how a user changes that day's hours."
func TestSemanticsExdates(t *testing.T) {
	m1 := agenda.Service{ID: "m1", OrganisationID: "o1", DurationMinutes: 60}
	ds := semDataset(m1)
	// Mondays of December 2026: 7, 14, 21, 28. 12-14 is removed, 12-15 (a
	// Tuesday) is no occurrence and has no effect; 12-14 gets 14:00-15:00
	// from a one-off period.
	ds.OpeningPeriods = []agenda.OpeningPeriod{
		{ID: "p1", AgentID: "a1", OrganisationID: "o1", PlaceID: "l1", ServiceIDs: []string{"m1"},
			FirstDay: "2026-12-07", StartTime: "09:00", EndTime: "10:00", RRule: "FREQ=WEEKLY;BYDAY=MO",
			Exdates: []string{"2026-12-14", "2026-12-15"}},
		{ID: "p2", AgentID: "a1", OrganisationID: "o1", PlaceID: "l1", ServiceIDs: []string{"m1"},
			FirstDay: "2026-12-14", StartTime: "14:00", EndTime: "15:00"},
		// COUNT counts the removed occurrence (RFC 5545: EXDATE removes
		// from the set the rule generates): 12-01, 12-02 (removed), 12-03.
		{ID: "p3", AgentID: "a1", OrganisationID: "o1", PlaceID: "l1", ServiceIDs: []string{"m1"},
			FirstDay: "2026-12-01", StartTime: "16:00", EndTime: "17:00", RRule: "FREQ=DAILY;COUNT=3",
			Exdates: []string{"2026-12-02"}},
	}
	// A recurring absence every Monday 09:00-09:30 but 12-21.
	ds.Absences = []agenda.Absence{{ID: "b1", AgentID: "a1", FirstDay: "2026-12-07", StartTime: "09:00", EndTime: "09:30",
		RRule: "FREQ=WEEKLY;BYDAY=MO", Exdates: []string{"2026-12-21"}}}
	ix, err := agenda.New(ds)
	require.NoError(t, err)
	ag, err := ix.Agenda(context.Background(), "a1", at("2026-12-01 00:00"), at("2027-01-01 00:00"))
	require.NoError(t, err)
	var openings, absences []string
	for _, e := range ag.Events {
		s := e.Start.In(paris).Format("01-02 15:04")
		switch e.Kind {
		case agenda.KindOpening:
			openings = append(openings, s)
		case agenda.KindAbsence:
			absences = append(absences, s)
		}
	}
	assert.Equal(t, []string{"12-01 16:00", "12-03 16:00", "12-07 09:00", "12-14 14:00", "12-21 09:00", "12-28 09:00"}, openings)
	assert.Equal(t, []string{"12-07 09:00", "12-14 09:00", "12-28 09:00"}, absences)
	slots, err := ix.Slots(context.Background(), agenda.SlotQuery{ServiceID: "m1", From: at("2026-12-01 00:00"),
		To: at("2027-01-01 00:00"), Now: at("2026-11-01 00:00"), View: agenda.ViewAgent})
	require.NoError(t, err)
	// 12-07 and 12-28 lose 09:00-09:30 to the absence: no hour left.
	assert.Equal(t, []string{"12-01 16:00", "12-03 16:00", "12-14 14:00", "12-21 09:00"}, semStarts(slots))
}

// "an unparsable date or one outside the year limits is an error naming
// the record and the field."
func TestSemanticsExdateErrors(t *testing.T) {
	tests := []struct {
		name     string
		opening  []string
		absence  []string
		wantKind string
		wantID   string
		wantMsg  string
	}{
		{"opening, not a date", []string{"2026-12-14", "2026-13-01"}, nil, "opening period", "p1", `exdates[1] "2026-13-01"`},
		{"opening, before MinYear", []string{"1999-12-28"}, nil, "opening period", "p1", "1999-12-28"},
		{"opening, after MaxYear", []string{"2101-01-03"}, nil, "opening period", "p1", "2101-01-03"},
		{"absence, not a date", nil, []string{"14/12/2026"}, "absence", "b1", `exdates[0] "14/12/2026"`},
		{"absence, empty", nil, []string{""}, "absence", "b1", "exdates[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := semDataset(agenda.Service{ID: "m1", OrganisationID: "o1", DurationMinutes: 30})
			ds.OpeningPeriods[0].Exdates = tt.opening
			ds.Absences = []agenda.Absence{{ID: "b1", AgentID: "a1", FirstDay: "2026-12-07", StartTime: "09:00", EndTime: "09:30",
				RRule: "FREQ=WEEKLY", Exdates: tt.absence}}
			_, err := agenda.New(ds)
			var ve *agenda.ValidationError
			require.ErrorAs(t, err, &ve)
			require.Len(t, ve.Errs, 1, "%v", err)
			assert.Equal(t, tt.wantKind, ve.Errs[0].Kind)
			assert.Equal(t, tt.wantID, ve.Errs[0].ID)
			assert.Equal(t, "exdates", ve.Errs[0].Field)
			assert.Contains(t, ve.Errs[0].Error(), tt.wantMsg)
		})
	}
}

// "The JSON format, Dataset.WriteJSON, the live updates [...] carry
// exdates."
func TestSemanticsExdatesCarried(t *testing.T) {
	ds := semRead(t, semJSON(``))
	ds.OpeningPeriods[0].Exdates = []string{"2026-12-02"}
	var buf bytes.Buffer
	require.NoError(t, ds.WriteJSON(&buf))
	assert.Contains(t, buf.String(), `"exdates":["2026-12-02"]`)
	back, err := agenda.ReadDataset(&buf)
	require.NoError(t, err)
	assert.Equal(t, []string{"2026-12-02"}, back.OpeningPeriods[0].Exdates)

	live, err := agenda.NewLive(back)
	require.NoError(t, err)
	assert.Empty(t, semSlots(t, live.Snapshot(), "m1", "2026-12-02"))
	p := back.OpeningPeriods[0]
	p.Exdates = []string{"2026-12-03"}
	require.NoError(t, live.UpsertOpeningPeriod(p))
	assert.NotEmpty(t, semSlots(t, live.Snapshot(), "m1", "2026-12-02"))
	assert.Empty(t, semSlots(t, live.Snapshot(), "m1", "2026-12-03"))
	require.NoError(t, live.UpsertAbsence(agenda.Absence{ID: "b1", AgentID: "a1", FirstDay: "2026-12-01", StartTime: "09:00",
		EndTime: "12:00", RRule: "FREQ=DAILY", Exdates: []string{"2026-12-05"}}))
	assert.Empty(t, semSlots(t, live.Snapshot(), "m1", "2026-12-04"))
	// 09:00 + 10 before is outside the opening; 11:30 + 15 after too.
	assert.Equal(t, []string{"12-05 09:00", "12-05 09:30", "12-05 10:00", "12-05 10:30", "12-05 11:00", "12-05 11:30"},
		semSlots(t, live.Snapshot(), "m1", "2026-12-05"))
	got := live.Snapshot().Dataset()
	assert.Equal(t, []string{"2026-12-03"}, got.OpeningPeriods[0].Exdates)
	assert.Equal(t, []string{"2026-12-05"}, got.Absences[0].Exdates)
	err = live.UpsertOpeningPeriod(agenda.OpeningPeriod{ID: "p9", AgentID: "a1", OrganisationID: "o1", ServiceIDs: []string{"m1"},
		FirstDay: "2026-12-01", StartTime: "13:00", EndTime: "14:00", RRule: "FREQ=DAILY", Exdates: []string{"2026-02-30"}})
	var re *agenda.RecordError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "p9", re.ID)
	assert.Equal(t, "exdates", re.Field)
}

// Daily caps: "Service.max_per_agent_per_day: an agent who already has
// that many blocking appointments of this service on a local day (in the
// service organisation's zone) is offered no more slots of it that day.
// Agent.max_appointments_per_day: counted over blocking appointments in
// all of the agent's organisations, on the local days of the agent's
// zone; at the cap, no slot of any service that day. 0 or absent means no
// cap."
func TestSemanticsDailyCaps(t *testing.T) {
	all := []string{"12-02 09:00", "12-02 10:00", "12-02 11:00"}
	appt := func(id, org, service, start string, status agenda.Status) agenda.Appointment {
		return agenda.Appointment{ID: id, OrganisationID: org, ServiceID: service, AgentIDs: []string{"a1"},
			Start: at(start), End: at(start).Add(20 * time.Minute), Status: status}
	}
	tests := []struct {
		name                 string
		serviceCap, agentCap int
		appts                []agenda.Appointment
		want                 []string
	}{
		{"no cap", 0, 0, []agenda.Appointment{appt("r1", "o1", "m1", "2026-12-02 07:00", ""),
			appt("r2", "o1", "m1", "2026-12-02 07:30", ""), appt("r3", "o1", "m1", "2026-12-02 08:00", "")}, all},
		{"service below the cap", 2, 0, []agenda.Appointment{appt("r1", "o1", "m1", "2026-12-02 07:00", "")}, all},
		{"service at the cap", 2, 0, []agenda.Appointment{appt("r1", "o1", "m1", "2026-12-02 07:00", ""),
			appt("r2", "o1", "m1", "2026-12-02 20:00", "")}, []string{}},
		// Cancelled ones do not count.
		{"service, one cancelled", 2, 0, []agenda.Appointment{appt("r1", "o1", "m1", "2026-12-02 07:00", ""),
			appt("r2", "o1", "m1", "2026-12-02 20:00", agenda.StatusExcused)}, all},
		// seen and noshow block, so they count.
		{"service, seen and noshow", 2, 0, []agenda.Appointment{appt("r1", "o1", "m1", "2026-12-02 07:00", agenda.StatusSeen),
			appt("r2", "o1", "m1", "2026-12-02 20:00", agenda.StatusNoShow)}, []string{}},
		// Appointments of other services do not count towards m1's cap.
		{"service, other services", 1, 0, []agenda.Appointment{appt("r1", "o1", "k1", "2026-12-02 07:00", ""),
			appt("r2", "o2", "n1", "2026-12-02 20:00", "")}, all},
		// The day before and after do not count.
		{"service, other days", 1, 0, []agenda.Appointment{appt("r1", "o1", "m1", "2026-12-01 23:50", ""),
			appt("r2", "o1", "m1", "2026-12-03 00:00", "")}, all},
		{"agent below the cap", 0, 3, []agenda.Appointment{appt("r1", "o1", "k1", "2026-12-02 07:00", ""),
			appt("r2", "o2", "n1", "2026-12-02 20:00", "")}, all},
		// Counted over every organisation and service.
		{"agent at the cap", 0, 2, []agenda.Appointment{appt("r1", "o1", "k1", "2026-12-02 07:00", ""),
			appt("r2", "o2", "n1", "2026-12-02 20:00", "")}, []string{}},
		{"agent, one revoked", 0, 2, []agenda.Appointment{appt("r1", "o1", "k1", "2026-12-02 07:00", ""),
			appt("r2", "o2", "n1", "2026-12-02 20:00", agenda.StatusRevoked)}, all},
		// The tighter cap decides.
		{"both, the service's", 1, 5, []agenda.Appointment{appt("r1", "o1", "m1", "2026-12-02 07:00", "")}, []string{}},
		{"both, the agent's", 5, 1, []agenda.Appointment{appt("r1", "o2", "n1", "2026-12-02 07:00", "")}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := semDataset(agenda.Service{ID: "m1", OrganisationID: "o1", DurationMinutes: 60, MaxPerAgentPerDay: tt.serviceCap},
				agenda.Service{ID: "k1", OrganisationID: "o1", DurationMinutes: 60})
			ds.Agents[0].MaxAppointmentsPerDay = tt.agentCap
			ds.Appointments = tt.appts
			ix, err := agenda.New(ds)
			require.NoError(t, err)
			assert.Equal(t, tt.want, semSlots(t, ix, "m1", "2026-12-02"))
			// The day after is never capped.
			assert.Len(t, semSlots(t, ix, "m1", "2026-12-04"), 3)
		})
	}
}

// The service's cap counts local days of the service organisation's zone,
// the agent's those of the agent's zone.
func TestSemanticsDailyCapZones(t *testing.T) {
	// o1 in Paris (UTC+1 in December), the agent in New York (UTC-5).
	// r1 at 2026-12-02 02:00 Paris is 2026-12-01 20:00 in New York.
	ds := semDataset(agenda.Service{ID: "m1", OrganisationID: "o1", DurationMinutes: 60})
	ds.Agents[0].TimeZone = "America/New_York"
	ds.Appointments = []agenda.Appointment{{ID: "r1", OrganisationID: "o1", ServiceID: "m1", AgentIDs: []string{"a1"},
		Start: at("2026-12-02 02:00"), End: at("2026-12-02 02:30")}}
	all := func(day string) []string {
		return []string{day + " 09:00", day + " 10:00", day + " 11:00"}
	}

	ds.Services[0].MaxPerAgentPerDay = 1 // Paris days: 12-02 is full
	ix, err := agenda.New(ds)
	require.NoError(t, err)
	assert.Equal(t, all("12-01"), semSlots(t, ix, "m1", "2026-12-01"))
	assert.Equal(t, []string{}, semSlots(t, ix, "m1", "2026-12-02"))

	// New York days: 12-01 is full, and its slots 09:00-12:00 Paris are
	// 03:00-06:00 on 12-01 in New York.
	ds.Services[0].MaxPerAgentPerDay = 0
	ds.Agents[0].MaxAppointmentsPerDay = 1
	ix, err = agenda.New(ds)
	require.NoError(t, err)
	assert.Equal(t, []string{}, semSlots(t, ix, "m1", "2026-12-01"))
	assert.Equal(t, all("12-02"), semSlots(t, ix, "m1", "2026-12-02"))
}

// Local days are days of the calendar, 23 or 25 hours long on DST days.
func TestSemanticsDailyCapDSTDays(t *testing.T) {
	tests := []struct {
		name       string
		apptStart  string // Paris
		capped     string // the Paris day with no slot left
		free       string // the Paris day next to it, uncapped
		useService bool
	}{
		// 2026-03-29 has 23 hours; 00:30 on 03-30 is 22:30 UTC on 03-29,
		// 23.5 hours after 03-29 00:00 (23:00 UTC on 03-28).
		{"spring, service", "2026-03-30 00:30", "2026-03-30", "2026-03-29", true},
		{"spring, agent", "2026-03-30 00:30", "2026-03-30", "2026-03-29", false},
		// 2026-10-25 has 25 hours; 23:30 on it is 24.5 hours after its
		// midnight.
		{"autumn, service", "2026-10-25 23:30", "2026-10-25", "2026-10-26", true},
		{"autumn, agent", "2026-10-25 23:30", "2026-10-25", "2026-10-26", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := semDataset(agenda.Service{ID: "m1", OrganisationID: "o1", DurationMinutes: 60})
			ds.OpeningPeriods[0].FirstDay, ds.OpeningPeriods[0].Until = "2026-03-01", "2026-12-31"
			if tt.useService {
				ds.Services[0].MaxPerAgentPerDay = 1
			} else {
				ds.Agents[0].MaxAppointmentsPerDay = 1
			}
			ds.Appointments = []agenda.Appointment{{ID: "r1", OrganisationID: "o1", ServiceID: "m1", AgentIDs: []string{"a1"},
				Start: at(tt.apptStart), End: at(tt.apptStart).Add(20 * time.Minute)}}
			ix, err := agenda.New(ds)
			require.NoError(t, err)
			assert.Empty(t, semSlots(t, ix, "m1", tt.capped))
			assert.Len(t, semSlots(t, ix, "m1", tt.free), 3)
		})
	}
}

// "Book enforces both atomically (two concurrent bookings cannot both take
// the last place of the day)": the agent's cap over two organisations,
// booked from both at once.
func TestSemanticsConcurrentBookAcrossOrganisations(t *testing.T) {
	ctx := context.Background()
	ds := semDataset(agenda.Service{ID: "m1", OrganisationID: "o1", DurationMinutes: 30})
	ds.Agents[0].MaxAppointmentsPerDay = 2
	ds.Places = append(ds.Places, agenda.Place{ID: "l2", OrganisationID: "o2"})
	ds.OpeningPeriods = append(ds.OpeningPeriods, agenda.OpeningPeriod{ID: "p2", AgentID: "a1", OrganisationID: "o2", PlaceID: "l2",
		ServiceIDs: []string{"n1"}, FirstDay: "2026-12-01", StartTime: "14:00", EndTime: "17:00", RRule: "FREQ=DAILY"})
	// One appointment already: one place left on 12-02.
	ds.Appointments = []agenda.Appointment{{ID: "r0", OrganisationID: "o2", ServiceID: "n1", AgentIDs: []string{"a1"},
		Start: at("2026-12-02 08:00"), End: at("2026-12-02 08:30")}}
	for round := range 20 {
		live, err := agenda.NewLive(ds)
		require.NoError(t, err)
		var ok atomic.Int32
		var wg sync.WaitGroup
		for i := range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				b := agenda.Booking{ID: fmt.Sprintf("r%d", i+1), ServiceID: "m1", AgentID: "a1", PlaceID: "l1",
					Start: at("2026-12-02 09:00").Add(time.Duration(i) * 30 * time.Minute), Now: at("2026-12-01 08:00"), View: agenda.ViewAgent}
				if i%2 == 1 {
					b.ServiceID, b.PlaceID, b.Start = "n1", "l2", at("2026-12-02 14:00").Add(time.Duration(i)*30*time.Minute)
				}
				_, err := live.Book(ctx, b)
				if err == nil {
					ok.Add(1)
				} else {
					assert.ErrorIs(t, err, agenda.ErrConflict)
				}
			}()
		}
		wg.Wait()
		require.Equal(t, int32(1), ok.Load(), "round %d", round)
		assert.Empty(t, semSlots(t, live.Snapshot(), "m1", "2026-12-02"))
		assert.Empty(t, semSlots(t, live.Snapshot(), "n1", "2026-12-02"))
	}
}

// semClosed lists the closed days of the agent's organisations in 2026
// from the agenda, as "org MM-DD".
func semClosed(t *testing.T, ds *agenda.Dataset, agent string) []string {
	t.Helper()
	ix, err := agenda.New(ds)
	require.NoError(t, err)
	ag, err := ix.Agenda(context.Background(), agent, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	out := []string{}
	for _, e := range ag.Events {
		if e.Kind == agenda.KindClosed {
			out = append(out, e.OrganisationID+" "+e.ID[5:])
		}
	}
	return out
}

// "Holiday calendars per zone [...] exactly the zones and days of the
// open-data reference computation published by Etalab (its
// jours-feries-france package)". The expected days of 2026 are read off
// jours_feries_france/compute.py (the version with per-zone local days):
// Easter 2026 is 5 April, so Good Friday is 3 April, Easter Monday 6
// April, Ascension (Easter + 39) 14 May, Whit Monday (Easter + 50) 25 May.
func TestSemanticsHolidayZones2026(t *testing.T) {
	mainland := []string{"01-01", "04-06", "05-01", "05-08", "05-14", "05-25", "07-14", "08-15", "11-01", "11-11", "12-25"}
	with := func(extra ...string) []string {
		out := append(append([]string{}, mainland...), extra...)
		for i := 1; i < len(out); i++ { // insertion sort: MM-DD sorts as text
			for j := i; j > 0 && out[j] < out[j-1]; j-- {
				out[j], out[j-1] = out[j-1], out[j]
			}
		}
		return out
	}
	tests := []struct {
		zone string
		want []string
	}{
		{"FR", mainland},
		{"FR-57", with("04-03", "12-26")},
		{"FR-67", with("04-03", "12-26")},
		{"FR-68", with("04-03", "12-26")},
		{"FR-971", with("05-27", "07-21")}, // Guadeloupe: abolition, Victor Schœlcher
		{"FR-972", with("05-22", "07-21")}, // Martinique
		{"FR-973", with("06-10")},          // Guyane
		{"FR-974", with("12-20")},          // La Réunion
		{"FR-976", with("04-27")},          // Mayotte
		{"FR-977", with("10-09")},          // Saint-Barthélemy
		{"FR-978", with("05-28")},          // Saint-Martin
		{"FR-986", with("04-28", "07-29")}, // Wallis-et-Futuna: Saint Pierre Chanel, Fête du Territoire
		{"FR-987", with("06-29")},          // Polynésie française: Fête de l'autonomie
		{"FR-988", with("09-24")},          // Nouvelle-Calédonie: Fête de la Citoyenneté
	}
	for _, tt := range tests {
		t.Run(tt.zone, func(t *testing.T) {
			// Once through the organisation's calendar, once through the
			// dataset's; the organisation in UTC so that the window holds
			// exactly the days of 2026.
			byOrg := &agenda.Dataset{
				Organisations: []agenda.Organisation{{ID: "o1", HolidayCalendar: tt.zone}},
				Agents:        []agenda.Agent{{ID: "a1", OrganisationIDs: []string{"o1"}}},
			}
			want := make([]string, len(tt.want))
			for i, d := range tt.want {
				want[i] = "o1 " + d
			}
			assert.Equal(t, want, semClosed(t, byOrg, "a1"))
			byDataset := &agenda.Dataset{
				Organisations:    []agenda.Organisation{{ID: "o1"}},
				Agents:           []agenda.Agent{{ID: "a1", OrganisationIDs: []string{"o1"}}},
				HolidayCalendars: []string{tt.zone},
			}
			assert.Equal(t, want, semClosed(t, byDataset, "a1"))
		})
	}
}

// La Réunion's 20 December applies from 1981 in Etalab's computation, the
// others every year; within 2000-2100 every day applies. The years
// themselves are checked at the limits: 2000 and 2100.
func TestSemanticsHolidayYearLimits(t *testing.T) {
	ds := &agenda.Dataset{
		Organisations: []agenda.Organisation{{ID: "o1", HolidayCalendar: "FR-974"}},
		Agents:        []agenda.Agent{{ID: "a1", OrganisationIDs: []string{"o1"}}},
	}
	ix, err := agenda.New(ds)
	require.NoError(t, err)
	for _, y := range []int{2000, 2100} {
		ag, err := ix.Agenda(context.Background(), "a1", time.Date(y, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC))
		require.NoError(t, err)
		var days []string
		for _, e := range ag.Events {
			days = append(days, e.ID)
		}
		assert.Equal(t, []string{fmt.Sprintf("%d-12-20", y), fmt.Sprintf("%d-12-25", y)}, days)
	}
}

// "Organisation.holiday_calendar overrides the dataset's holiday_calendars
// for that organisation ("none": no holidays); Organisation.worked_holidays
// lists holidays it stays open on, by a stable key [...]. Closed days are
// in the organisation's own zone."
func TestSemanticsHolidayOverrides(t *testing.T) {
	ds := &agenda.Dataset{
		HolidayCalendars: []string{"FR"},
		Organisations: []agenda.Organisation{
			{ID: "o1"},                            // the dataset's FR
			{ID: "o2", HolidayCalendar: "none"},   // none
			{ID: "o3", HolidayCalendar: "FR-57"},  // FR-57 instead of FR (the same days and two more)
			{ID: "o4", HolidayCalendar: "FR-987"}, // FR-987 instead of FR
			{ID: "o5", WorkedHolidays: []string{"whit_monday", "christmas"}},
			{ID: "o6", HolidayCalendar: "FR-57", WorkedHolidays: []string{"good_friday"}},
			// A key of another calendar is accepted and changes nothing.
			{ID: "o7", WorkedHolidays: []string{"autonomy_day"}},
		},
		Agents: []agenda.Agent{{ID: "a1", OrganisationIDs: []string{"o1", "o2", "o3", "o4", "o5", "o6", "o7"}}},
	}
	ds.TimeZone = "UTC"
	got := map[string][]string{}
	for _, s := range semClosed(t, ds, "a1") {
		org, day, _ := strings.Cut(s, " ")
		got[org] = append(got[org], day)
	}
	mainland := []string{"01-01", "04-06", "05-01", "05-08", "05-14", "05-25", "07-14", "08-15", "11-01", "11-11", "12-25"}
	assert.Equal(t, mainland, got["o1"])
	assert.Nil(t, got["o2"])
	assert.Equal(t, []string{"01-01", "04-03", "04-06", "05-01", "05-08", "05-14", "05-25", "07-14", "08-15", "11-01", "11-11", "12-25", "12-26"}, got["o3"])
	assert.Equal(t, []string{"01-01", "04-06", "05-01", "05-08", "05-14", "05-25", "06-29", "07-14", "08-15", "11-01", "11-11", "12-25"}, got["o4"])
	assert.Equal(t, []string{"01-01", "04-06", "05-01", "05-08", "05-14", "07-14", "08-15", "11-01", "11-11"}, got["o5"])
	assert.Equal(t, []string{"01-01", "04-06", "05-01", "05-08", "05-14", "05-25", "07-14", "08-15", "11-01", "11-11", "12-25", "12-26"}, got["o6"])
	assert.Equal(t, mainland, got["o7"])

	// Every key the README lists is accepted.
	for _, key := range []string{"new_year", "easter_monday", "labour_day", "victory_1945", "ascension", "whit_monday",
		"bastille_day", "assumption", "all_saints", "armistice", "christmas", "good_friday", "st_stephen",
		"abolition_of_slavery", "victor_schoelcher", "saint_pierre_chanel", "territory_day", "autonomy_day", "citizenship_day"} {
		ds := &agenda.Dataset{Organisations: []agenda.Organisation{{ID: "o1", WorkedHolidays: []string{key}}}}
		_, err := agenda.New(ds)
		assert.NoError(t, err, key)
	}
	// Unknown keys and calendars name the record and the field.
	for _, tt := range []struct {
		org   agenda.Organisation
		field string
	}{
		{agenda.Organisation{ID: "o1", WorkedHolidays: []string{"pentecost"}}, "worked_holidays"},
		{agenda.Organisation{ID: "o1", HolidayCalendar: "FR-975"}, "holiday_calendar"},
		{agenda.Organisation{ID: "o1", HolidayCalendar: "None"}, "holiday_calendar"},
	} {
		_, err := agenda.New(&agenda.Dataset{Organisations: []agenda.Organisation{tt.org}})
		var ve *agenda.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "o1", ve.Errs[0].ID)
		assert.Equal(t, tt.field, ve.Errs[0].Field)
	}
}

// "Closed days are in the organisation's own zone": Guyane's 10 June is
// [00:00, 24:00) in Cayenne (UTC-3), and closes that organisation's
// openings only.
func TestSemanticsHolidayLocalZone(t *testing.T) {
	ds := &agenda.Dataset{
		TimeZone: "Europe/Paris",
		Organisations: []agenda.Organisation{{ID: "g", TimeZone: "America/Cayenne", HolidayCalendar: "FR-973"},
			{ID: "p", HolidayCalendar: "FR"}},
		Agents: []agenda.Agent{{ID: "a1", OrganisationIDs: []string{"g", "p"}}},
		Services: []agenda.Service{{ID: "sg", OrganisationID: "g", DurationMinutes: 60},
			{ID: "sp", OrganisationID: "p", DurationMinutes: 60}},
		OpeningPeriods: []agenda.OpeningPeriod{
			{ID: "og", AgentID: "a1", OrganisationID: "g", ServiceIDs: []string{"sg"}, FirstDay: "2026-06-09",
				StartTime: "20:00", EndTime: "22:00", RRule: "FREQ=DAILY", Until: "2026-06-11"},
			{ID: "op", AgentID: "a1", OrganisationID: "p", ServiceIDs: []string{"sp"}, FirstDay: "2026-06-10",
				StartTime: "09:00", EndTime: "10:00"},
		},
	}
	ix, err := agenda.New(ds)
	require.NoError(t, err)
	cayenne := mustLoad("America/Cayenne")
	ag, err := ix.Agenda(context.Background(), "a1", time.Date(2026, 6, 9, 0, 0, 0, 0, cayenne), time.Date(2026, 6, 12, 0, 0, 0, 0, cayenne))
	require.NoError(t, err)
	var closed []agenda.Event
	for _, e := range ag.Events {
		if e.Kind == agenda.KindClosed {
			closed = append(closed, e)
		}
	}
	require.Len(t, closed, 1)
	assert.Equal(t, "g", closed[0].OrganisationID)
	assert.True(t, closed[0].Start.Equal(time.Date(2026, 6, 10, 0, 0, 0, 0, cayenne)), "%v", closed[0].Start)
	assert.True(t, closed[0].End.Equal(time.Date(2026, 6, 11, 0, 0, 0, 0, cayenne)), "%v", closed[0].End)
	// Cayenne's openings 20:00-22:00 local: 06-09 and 06-11 open, 06-10
	// closed although 20:00 Cayenne is 01:00 on 06-11 in Paris.
	slots, err := ix.Slots(context.Background(), agenda.SlotQuery{ServiceID: "sg", From: time.Date(2026, 6, 1, 0, 0, 0, 0, cayenne),
		To: time.Date(2026, 6, 30, 0, 0, 0, 0, cayenne), Now: time.Date(2026, 5, 1, 0, 0, 0, 0, cayenne), View: agenda.ViewAgent})
	require.NoError(t, err)
	var starts []string
	for _, s := range slots {
		starts = append(starts, s.Start.In(cayenne).Format("01-02 15:04"))
	}
	assert.Equal(t, []string{"06-09 20:00", "06-09 21:00", "06-11 20:00", "06-11 21:00"}, starts)
	// The Paris organisation is open on 06-10 (not a mainland holiday).
	slots, err = ix.Slots(context.Background(), agenda.SlotQuery{ServiceID: "sp", From: at("2026-06-10 00:00"),
		To: at("2026-06-11 00:00"), Now: at("2026-05-01 00:00"), View: agenda.ViewAgent})
	require.NoError(t, err)
	assert.Equal(t, []string{"06-10 09:00"}, semStarts(slots))
}

// An opening period without rrule is one occurrence: an exdate on its
// first_day removes it, any other date has no effect.
func TestSemanticsExdateOneOffOpening(t *testing.T) {
	for _, tt := range []struct {
		exdates []string
		want    []string
	}{
		{nil, []string{"12-02 09:00", "12-02 10:00", "12-02 11:00"}},
		{[]string{"2026-12-03"}, []string{"12-02 09:00", "12-02 10:00", "12-02 11:00"}},
		{[]string{"2026-12-02"}, []string{}},
	} {
		ds := semDataset(agenda.Service{ID: "m1", OrganisationID: "o1", DurationMinutes: 60})
		ds.OpeningPeriods[0].RRule, ds.OpeningPeriods[0].Until = "", ""
		ds.OpeningPeriods[0].FirstDay = "2026-12-02"
		ds.OpeningPeriods[0].Exdates = tt.exdates
		ix, err := agenda.New(ds)
		require.NoError(t, err)
		assert.Equal(t, tt.want, semSlots(t, ix, "m1", "2026-12-02"), "%v", tt.exdates)
	}
}

// Next availability applies the caps: a day at its cap is skipped.
func TestSemanticsNextAvailableSkipsCappedDays(t *testing.T) {
	ds := semDataset(agenda.Service{ID: "m1", OrganisationID: "o1", DurationMinutes: 60, MaxPerAgentPerDay: 1})
	ds.Agents[0].MaxAppointmentsPerDay = 1
	// 12-02 has one m1 (service cap), 12-03 one n1 in o2 (agent cap).
	ds.Appointments = []agenda.Appointment{
		{ID: "r1", OrganisationID: "o1", ServiceID: "m1", AgentIDs: []string{"a1"}, Start: at("2026-12-02 13:00"), End: at("2026-12-02 13:30")},
		{ID: "r2", OrganisationID: "o2", ServiceID: "n1", AgentIDs: []string{"a1"}, Start: at("2026-12-03 13:00"), End: at("2026-12-03 13:30")},
	}
	ix, err := agenda.New(ds)
	require.NoError(t, err)
	next, ok, err := ix.NextAvailable(context.Background(), agenda.SlotQuery{ServiceID: "m1", From: at("2026-12-02 00:00"),
		Now: at("2026-12-01 20:00"), View: agenda.ViewAgent})
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, at("2026-12-04 09:00"), next.Start.In(paris))
}

// The records an index gives back carry each appointment's own buffers
// exactly as given, present or absent field by field: seeded datasets
// with buffers on some services and appointments.
func TestSemanticsOwnBuffersSurviveDataset(t *testing.T) {
	for seed := range uint64(40) {
		ds := gen.Random(seed, gen.RandomConfig{Agents: 3, AppointmentsPerAgent: 8}).Dataset
		ix, err := agenda.New(ds)
		require.NoError(t, err, "seed %d", seed)
		type own struct{ before, after *int }
		want := map[string]own{}
		for _, r := range ds.Appointments {
			want[r.ID] = own{r.BufferBeforeMinutes, r.BufferAfterMinutes}
		}
		for _, r := range ix.Dataset().Appointments {
			assert.Equal(t, want[r.ID].before, r.BufferBeforeMinutes, "seed %d appointment %s before", seed, r.ID)
			assert.Equal(t, want[r.ID].after, r.BufferAfterMinutes, "seed %d appointment %s after", seed, r.ID)
		}
	}
}

// Buffers reach into a window whose appointment lies outside it: the
// agenda from 10:40 is busy until 10:45 (10:00-10:30 plus 15 after), and
// slots from 10:40 of a service with 10 before start at 10:55.
func TestSemanticsBuffersAcrossTheWindowEdge(t *testing.T) {
	ctx := context.Background()
	ds := semRead(t, semJSON(`{"id": "r1", "organisation_id": "o2", "service_id": "n1", "agent_ids": ["a1"],
		"start": "2026-12-02T10:00:00+01:00", "end": "2026-12-02T10:30:00+01:00", "buffer_after_minutes": 15}`))
	ix, err := agenda.New(ds)
	require.NoError(t, err)
	ag, err := ix.Agenda(ctx, "a1", at("2026-12-02 10:40"), at("2026-12-02 12:00"))
	require.NoError(t, err)
	assert.Equal(t, []string{"12-02 10:40-10:45"}, semSpans(ag.Busy))
	assert.Equal(t, []string{"12-02 10:45-12:00"}, semSpans(ag.Free))
	fr, err := ix.AgendaFor(ctx, "o1", "a1", at("2026-12-02 10:40"), at("2026-12-02 12:00"))
	require.NoError(t, err)
	assert.Equal(t, []string{"12-02 10:40-10:45"}, semSpans(fr.Busy), "on behalf of o1, o2's buffer is busy time too")
	slots, err := ix.Slots(ctx, agenda.SlotQuery{ServiceID: "m1", From: at("2026-12-02 10:40"), To: at("2026-12-02 12:00"),
		Now: at("2026-12-01 08:00"), View: agenda.ViewAgent})
	require.NoError(t, err)
	// Free after widening: [10:55, 12:00); m1 is 30 minutes: 10:55, 11:25.
	assert.Equal(t, []string{"12-02 10:55", "12-02 11:25"}, semStarts(slots))
}

// The grid starts at the free interval's start, however long before the
// query's window it lies: openings of whole days chain into one free
// interval from 12-01 00:00; with a 45-minute interval, 12-05 10:00 is
// 6,360 minutes later, so the next start is 12-01 00:00 + 142 × 45 min =
// 12-05 10:30.
func TestSemanticsGridFromALongFreeInterval(t *testing.T) {
	ds := semDataset(agenda.Service{ID: "m1", OrganisationID: "o1", DurationMinutes: 30, SlotIntervalMinutes: 45})
	ds.OpeningPeriods[0].StartTime, ds.OpeningPeriods[0].EndTime = "00:00", "24:00"
	ix, err := agenda.New(ds)
	require.NoError(t, err)
	ctx := context.Background()
	q := agenda.SlotQuery{ServiceID: "m1", From: at("2026-12-05 10:00"), To: at("2026-12-05 12:00"),
		Now: at("2026-11-30 08:00"), View: agenda.ViewAgent}
	slots, err := ix.Slots(ctx, q)
	require.NoError(t, err)
	assert.Equal(t, []string{"12-05 10:30", "12-05 11:15"}, semStarts(slots))
	next, ok, err := ix.NextAvailable(ctx, q)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, at("2026-12-05 10:30"), next.Start.In(paris))
}

// A hold takes the last place of the day while it lasts, and its own
// confirmation does not count it twice.
func TestSemanticsHoldTakesTheLastPlace(t *testing.T) {
	ctx := context.Background()
	ds := semDataset(agenda.Service{ID: "m1", OrganisationID: "o1", DurationMinutes: 60, MaxPerAgentPerDay: 1})
	live, err := agenda.NewLive(ds)
	require.NoError(t, err)
	b := agenda.Booking{ID: "h1", ServiceID: "m1", AgentID: "a1", PlaceID: "l1", Start: at("2026-12-02 09:00"),
		Now: at("2026-12-01 08:00"), View: agenda.ViewAgent}
	_, err = live.Hold(ctx, b, time.Hour)
	require.NoError(t, err)
	assert.Empty(t, semSlots(t, live.Snapshot(), "m1", "2026-12-02"))
	b2 := b
	b2.ID, b2.Start = "r2", at("2026-12-02 11:00")
	_, err = live.Book(ctx, b2)
	assert.ErrorIs(t, err, agenda.ErrConflict)
	_, err = live.Confirm(ctx, "h1")
	require.NoError(t, err)
	assert.Empty(t, semSlots(t, live.Snapshot(), "m1", "2026-12-02"))
	assert.Len(t, semSlots(t, live.Snapshot(), "m1", "2026-12-03"), 3)
}

// Every field of the booking rules goes through WriteJSON, ReadDataset and
// Index.Dataset unchanged.
func TestSemanticsRulesRoundTrip(t *testing.T) {
	ds := &agenda.Dataset{
		TimeZone:         "Europe/Paris",
		HolidayCalendars: []string{"FR", "FR-974"},
		Organisations: []agenda.Organisation{{ID: "o1", HolidayCalendar: "FR-57", WorkedHolidays: []string{"whit_monday", "good_friday"}},
			{ID: "o2", HolidayCalendar: "none"}},
		Agents: []agenda.Agent{{ID: "a1", OrganisationIDs: []string{"o1", "o2"}, MaxAppointmentsPerDay: 7}},
		Places: []agenda.Place{{ID: "l1", OrganisationID: "o1"}},
		Services: []agenda.Service{{ID: "m1", OrganisationID: "o1", DurationMinutes: 45, BufferBeforeMinutes: 5,
			BufferAfterMinutes: 10, SlotIntervalMinutes: 15, MaxPerAgentPerDay: 3}},
		OpeningPeriods: []agenda.OpeningPeriod{{ID: "p1", AgentID: "a1", OrganisationID: "o1", PlaceID: "l1", ServiceIDs: []string{"m1"},
			FirstDay: "2026-12-01", StartTime: "09:00", EndTime: "12:00", RRule: "FREQ=DAILY", Exdates: []string{"2026-12-02", "2026-12-09"}}},
		Absences: []agenda.Absence{{ID: "b1", AgentID: "a1", FirstDay: "2026-12-01", StartTime: "12:00", EndTime: "13:00",
			RRule: "FREQ=WEEKLY", Exdates: []string{"2026-12-08"}}},
		Appointments: []agenda.Appointment{
			{ID: "r1", OrganisationID: "o1", PlaceID: "l1", ServiceID: "m1", AgentIDs: []string{"a1"}, Start: at("2026-12-03 09:00"),
				End: at("2026-12-03 09:45"), Status: agenda.StatusBooked, BufferBeforeMinutes: intp(0), BufferAfterMinutes: intp(20)},
			{ID: "r2", OrganisationID: "o1", PlaceID: "l1", ServiceID: "m1", AgentIDs: []string{"a1"}, Start: at("2026-12-04 09:00"),
				End: at("2026-12-04 09:45"), Status: agenda.StatusBooked, BufferAfterMinutes: intp(0)},
			{ID: "r3", OrganisationID: "o1", PlaceID: "l1", ServiceID: "m1", AgentIDs: []string{"a1"}, Start: at("2026-12-05 09:00"),
				End: at("2026-12-05 09:45"), Status: agenda.StatusBooked},
		},
	}
	var buf bytes.Buffer
	require.NoError(t, ds.WriteJSON(&buf))
	back, err := agenda.ReadDataset(&buf)
	require.NoError(t, err)
	for i := range back.Appointments { // times read back in a fixed zone
		back.Appointments[i].Start, back.Appointments[i].End = back.Appointments[i].Start.In(paris), back.Appointments[i].End.In(paris)
	}
	assert.Equal(t, ds.Organisations, back.Organisations)
	assert.Equal(t, ds.Agents, back.Agents)
	assert.Equal(t, ds.Services, back.Services)
	assert.Equal(t, ds.OpeningPeriods, back.OpeningPeriods)
	assert.Equal(t, ds.Absences, back.Absences)
	assert.Equal(t, ds.Appointments, back.Appointments)
	assert.Equal(t, ds.HolidayCalendars, back.HolidayCalendars)

	ix, err := agenda.New(back)
	require.NoError(t, err)
	out := ix.Dataset()
	for i := range out.Appointments {
		out.Appointments[i].Start, out.Appointments[i].End = out.Appointments[i].Start.In(paris), out.Appointments[i].End.In(paris)
	}
	assert.Equal(t, ds.Organisations, out.Organisations)
	assert.Equal(t, ds.Agents, out.Agents)
	assert.Equal(t, ds.Services, out.Services)
	assert.Equal(t, ds.OpeningPeriods, out.OpeningPeriods)
	assert.Equal(t, ds.Absences, out.Absences)
	assert.Equal(t, ds.Appointments, out.Appointments)
	assert.Equal(t, ds.HolidayCalendars, out.HolidayCalendars)
}
