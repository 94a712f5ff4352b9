package agenda_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
)

// A nil context is context.Background() in every query: same answer, no
// panic.
func TestNilContextIsBackground(t *testing.T) {
	live, err := agenda.NewLive(validDataset())
	require.NoError(t, err)
	ix := live.Snapshot()
	from := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 0, 7)
	now := from.Add(-time.Hour)
	sq := agenda.SlotQuery{ServiceID: "m1", From: from, To: to, Now: now}
	bg := context.Background()
	//lint:ignore SA1012 the point of the test is a nil context
	var nilCtx context.Context

	wantAg, err := ix.Agenda(bg, "a1", from, to)
	require.NoError(t, err)
	gotAg, err := ix.Agenda(nilCtx, "a1", from, to)
	require.NoError(t, err)
	assert.Equal(t, wantAg, gotAg)

	wantSlots, err := ix.Slots(bg, sq)
	require.NoError(t, err)
	require.NotEmpty(t, wantSlots)
	gotSlots, err := ix.Slots(nilCtx, sq)
	require.NoError(t, err)
	assert.Equal(t, wantSlots, gotSlots)

	next, ok, err := ix.NextAvailable(nilCtx, sq)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, wantSlots[0], next)

	cq := agenda.CommonQuery{AgentIDs: []string{"a1", "a2"}, From: from, To: to, Quorum: 1}
	wantCommon, err := ix.Common(bg, cq)
	require.NoError(t, err)
	gotCommon, err := ix.Common(nilCtx, cq)
	require.NoError(t, err)
	assert.Equal(t, wantCommon, gotCommon)

	_, err = live.Book(nilCtx, agenda.Booking{ID: "new", ServiceID: "m1", AgentID: "a1", PlaceID: "l1",
		Start: wantSlots[0].Start, Now: now})
	require.NoError(t, err)
	_, err = live.Agenda(nilCtx, "a1", from, to)
	require.NoError(t, err)
}

// WithLimits refuses what it used to replace or swap silently, naming the
// field.
func TestWithLimitsRefuses(t *testing.T) {
	tests := []struct {
		give agenda.Limits
		want string
	}{
		{agenda.Limits{MaxWindow: -time.Hour}, "agenda: Limits.MaxWindow -1h0m0s is negative: invalid option"},
		{agenda.Limits{MaxOccurrences: -1}, "agenda: Limits.MaxOccurrences -1 is negative: invalid option"},
		{agenda.Limits{MaxResults: -2}, "agenda: Limits.MaxResults -2 is negative: invalid option"},
		{agenda.Limits{MaxAgents: -3}, "agenda: Limits.MaxAgents -3 is negative: invalid option"},
		{agenda.Limits{MaxCount: -4}, "agenda: Limits.MaxCount -4 is negative: invalid option"},
		{agenda.Limits{MinYear: -5}, "agenda: Limits.MinYear -5 is negative: invalid option"},
		{agenda.Limits{MaxYear: -6}, "agenda: Limits.MaxYear -6 is negative: invalid option"},
		{agenda.Limits{NextHorizon: -time.Minute}, "agenda: Limits.NextHorizon -1m0s is negative: invalid option"},
		{agenda.Limits{MaxErrors: -7}, "agenda: Limits.MaxErrors -7 is negative: invalid option"},
		{agenda.Limits{MaxYear: 10000}, "agenda: Limits.MaxYear 10000 is past the year 9999: invalid option"},
		{agenda.Limits{MinYear: 12000, MaxYear: 12001}, "agenda: Limits.MinYear 12000 is past the year 9999: invalid option"},
		{agenda.Limits{MinYear: 2050, MaxYear: 2040}, "agenda: Limits.MinYear 2050 is after Limits.MaxYear 2040: invalid option"},
		// MaxYear left at its default, 2100.
		{agenda.Limits{MinYear: 2200}, "agenda: Limits.MinYear 2200 is after Limits.MaxYear 2100: invalid option"},
	}
	for _, tt := range tests {
		_, err := agenda.New(validDataset(), agenda.WithLimits(tt.give))
		require.Error(t, err, "%+v", tt.give)
		assert.Equal(t, tt.want, err.Error())
		assert.ErrorIs(t, err, agenda.ErrInvalidOption)
		_, err = agenda.NewLive(validDataset(), agenda.WithLimits(tt.give))
		assert.ErrorIs(t, err, agenda.ErrInvalidOption)
	}
	// The edges are accepted.
	_, err := agenda.New(&agenda.Dataset{}, agenda.WithLimits(agenda.Limits{MinYear: 9999, MaxYear: 9999}))
	assert.NoError(t, err)
	_, err = agenda.New(validDataset(), agenda.WithLimits(agenda.Limits{MinYear: 2026, MaxYear: 2026}))
	assert.NoError(t, err)
}

// An RRULE whose own UNTIL is before the first day is refused like an
// until field before it; a malformed COUNT is a syntax error, not a limit.
func TestRuleErrorsSayWhatHappened(t *testing.T) {
	tests := []struct {
		name      string
		rrule     string
		until     string
		want      string
		field     string
		wantLimit bool
	}{
		{"until field before the first day", "FREQ=WEEKLY;BYDAY=MO", "2026-01-04",
			`agenda: opening period "p1": until 2026-01-04 is before first_day 2026-01-05`, "until", false},
		{"rule UNTIL before the first day", "FREQ=WEEKLY;BYDAY=MO;UNTIL=20260104", "",
			`agenda: opening period "p1": rrule "FREQ=WEEKLY;BYDAY=MO;UNTIL=20260104": UNTIL 2026-01-04 is before first_day 2026-01-05`, "rrule", false},
		{"rule UNTIL a year before", "FREQ=DAILY;UNTIL=20250105T090000Z", "",
			`agenda: opening period "p1": rrule "FREQ=DAILY;UNTIL=20250105T090000Z": UNTIL 2025-01-05 is before first_day 2026-01-05`, "rrule", false},
		{"COUNT not an integer", "FREQ=DAILY;COUNT=abc", "",
			`agenda: opening period "p1": rrule: rrule "FREQ=DAILY;COUNT=abc": COUNT=ABC: want an integer`, "rrule", false},
		{"COUNT above the limit", "FREQ=DAILY;COUNT=10001", "",
			`agenda: opening period "p1": rrule: rrule "FREQ=DAILY;COUNT=10001": COUNT=10001: want 1..10000 (the limit is Limits.MaxCount; raise it with WithLimits)`, "rrule", true},
		{"COUNT too long", "FREQ=DAILY;COUNT=99999999999999999999", "",
			`agenda: opening period "p1": rrule: rrule "FREQ=DAILY;COUNT=99999999999999999999": COUNT=99999999999999999999: too large: want 1..10000 (the limit is Limits.MaxCount; raise it with WithLimits)`, "rrule", true},
		{"INTERVAL too long", "FREQ=DAILY;INTERVAL=123456789012", "",
			`agenda: opening period "p1": rrule: rrule "FREQ=DAILY;INTERVAL=123456789012": INTERVAL=123456789012: too large: want 1..1000000`, "rrule", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := validDataset()
			ds.OpeningPeriods[0].RRule, ds.OpeningPeriods[0].Until = tt.rrule, tt.until
			_, err := agenda.New(ds)
			var verr *agenda.ValidationError
			require.ErrorAs(t, err, &verr)
			require.Len(t, verr.Errs, 1, "%+v", err)
			assert.Equal(t, tt.want, verr.Errs[0].Error())
			assert.Equal(t, tt.field, verr.Errs[0].Field)
			assert.Equal(t, tt.wantLimit, errors.Is(err, agenda.ErrLimit))
		})
	}
}

// ReadDataset matches keys exactly, and names the record and the field of
// every unknown field and type error, never a Go type.
func TestReadDatasetStrict(t *testing.T) {
	tests := []struct {
		name string
		give string
		want string
	}{
		{"top-level key in another case", `{"Agents": []}`,
			`agenda: dataset "": unknown field "Agents" (did you mean "agents"?)`},
		{"record key in another case", `{"agents": [{"id": "a1", "Organisation_IDs": ["o1"]}]}`,
			`agenda: agent "a1": unknown field "Organisation_IDs" (did you mean "organisation_ids"?)`},
		{"unknown field of a record without id", `{"places": [{"id": "l1"}, {"organisation": "o1"}]}`,
			`agenda: place "#1": unknown field "organisation"`},
		{"string for an integer", `{"services": [{"id": "m1", "duration_minutes": "30"}]}`,
			`agenda: service "m1": duration_minutes: want an integer, got a string`},
		{"fraction for an integer", `{"services": [{"id": "m1", "duration_minutes": 30.5}]}`,
			`agenda: service "m1": duration_minutes: want an integer, got the number 30.5`},
		{"string for a list", `{"opening_periods": [{"id": "p1", "service_ids": "m1"}]}`,
			`agenda: opening period "p1": service_ids: want an array of strings, got a string`},
		{"number in a list", `{"agents": [{"id": "a1", "organisation_ids": ["o1", 2]}]}`,
			`agenda: agent "a1": organisation_ids: want an array of strings, got an array holding number`},
		{"number for a boolean", `{"services": [{"id": "m1", "collective": 1}]}`,
			`agenda: service "m1": collective: want true or false, got the number 1`},
		{"closed day named by its date", `{"closed_days": [{"date": "2026-12-25", "org": "o1"}]}`,
			`agenda: closed day "2026-12-25": unknown field "org"`},
		{"appointment time", `{"appointments": [{"id": "r9", "start": "tomorrow", "end": "2026-12-01T10:00:00Z"}]}`,
			`agenda: appointment "r9": start "tomorrow" is not an RFC 3339 time`},
		{"appointment key in another case", `{"appointments": [{"ID": "r9"}]}`,
			`agenda: appointment "#0": unknown field "ID" (did you mean "id"?)`},
		{"record not an object", `{"absences": [3]}`,
			`agenda: absence "#0": want an object, got the number 3`},
		{"array not an array", `{"absences": {"id": "b1"}}`,
			`agenda: dataset "": absences: want an array, got an object`},
		{"duplicate key", `{"agents": [{"id": "a1", "name": "x", "name": "y"}]}`,
			`agenda: agent "a1": field "name" appears twice`},
		{"time zone not a string", `{"time_zone": 1}`,
			`agenda: dataset "": time_zone: want a string, got the number 1`},
		{"not an object", `[]`, `agenda: dataset "": want a JSON object, got an array`},
		{"malformed", "{\n  \"agents\": [,]\n}", `agenda: reading dataset: malformed JSON at line 2, column 14`},
		{"trailing data", `{} {}`, `agenda: reading dataset: unexpected data after the dataset object`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := agenda.ReadDataset(strings.NewReader(tt.give))
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), tt.want), "got  %s\nwant %s", err, tt.want)
			for _, goType := range []string{"Go ", "agenda.", "int", "[]string", "struct"} {
				if !strings.Contains(tt.want, goType) {
					assert.NotContains(t, err.Error(), goType)
				}
			}
		})
	}

	// Several wrong records: each is listed, in document order.
	_, err := agenda.ReadDataset(strings.NewReader(`{"agents": [{"id": "a1", "Name": "x"}, {"id": "a2", "time_zone": 3}], "Places": []}`))
	var verr *agenda.ValidationError
	require.ErrorAs(t, err, &verr)
	assert.Equal(t, `agenda: agent "a1": unknown field "Name" (did you mean "name"?)
agenda: agent "a2": time_zone: want a string, got the number 3
agenda: dataset "": unknown field "Places" (did you mean "places"?)`, fmt.Sprintf("%+v", err))
	assert.Equal(t, "Name", verr.Errs[0].Field)
}

// A validation error lists every problem with %+v, each once.
func TestValidationErrorListsEveryProblemOnce(t *testing.T) {
	ds := validDataset()
	ds.Agents = append(ds.Agents, agenda.Agent{ID: "a3", OrganisationIDs: []string{"o9", "o9"}}) // the same problem twice
	ds.Services[0].DurationMinutes = 0
	ds.ClosedDays[1].OrganisationID = "o3"
	_, err := agenda.New(ds)
	var verr *agenda.ValidationError
	require.ErrorAs(t, err, &verr)
	want := `agenda: agent "a3": organisation_ids "o9" is not a known organisation
agenda: service "m1": duration_minutes 0 is not positive
agenda: closed day "2026-12-26": organisation_id "o3" is not a known organisation`
	assert.Equal(t, want, fmt.Sprintf("%+v", err))
	assert.Len(t, verr.Errs, 3)
	assert.Equal(t, `agenda: agent "a3": organisation_ids "o9" is not a known organisation (and 2 more)`, fmt.Sprintf("%v", err))
	assert.Equal(t, err.Error(), fmt.Sprintf("%s", err))

	_, err = agenda.New(ds, agenda.WithLimits(agenda.Limits{MaxErrors: 2}))
	assert.Equal(t, `agenda: agent "a3": organisation_ids "o9" is not a known organisation
agenda: service "m1": duration_minutes 0 is not positive
(more errors not listed: raise Limits.MaxErrors)`, fmt.Sprintf("%+v", err))
}

// The README's JSON example is a valid dataset.
func TestReadmeDataset(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	_, rest, ok := strings.Cut(string(readme), "## The JSON dataset format")
	require.True(t, ok, "the README has no JSON dataset section")
	_, rest, ok = strings.Cut(rest, "```json\n")
	require.True(t, ok, "the JSON dataset section has no json block")
	block, _, ok := strings.Cut(rest, "```")
	require.True(t, ok)
	ds, err := agenda.ReadDataset(strings.NewReader(block))
	require.NoError(t, err)
	ix, err := agenda.New(ds)
	require.NoError(t, err, "%+v", err)
	from := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	ag, err := ix.Agenda(context.Background(), "a1", from, from.AddDate(0, 0, 7))
	require.NoError(t, err)
	var kinds []string
	for _, e := range ag.Events {
		kinds = append(kinds, string(e.Kind)+" "+e.ID)
	}
	// Monday and Tuesday 09:00-12:00, the appointment on Tuesday 09:30,
	// the external calendar's weekly Wednesday 14:00.
	assert.Equal(t, []string{"opening p1", "opening p1", "appointment r1", "calendar c1"}, kinds)
}

// Every field of Dataset is read by ReadDataset's strict decoder: a field
// added to the struct and forgotten there would be refused as unknown.
func TestReadDatasetKnowsEveryField(t *testing.T) {
	rt := reflect.TypeFor[agenda.Dataset]()
	for i := range rt.NumField() {
		name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		_, err := agenda.ReadDataset(strings.NewReader(`{"` + name + `": null}`))
		assert.NoError(t, err, "field %s", name)
	}
}
