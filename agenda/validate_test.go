package agenda_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
)

// validDataset is a small dataset that New accepts; each case of
// TestValidation breaks one field of it.
func validDataset() *agenda.Dataset {
	return &agenda.Dataset{
		TimeZone:      "Europe/Paris",
		Organisations: []agenda.Organisation{{ID: "o1"}, {ID: "o2", TimeZone: "America/Cayenne"}},
		Agents:        []agenda.Agent{{ID: "a1", OrganisationIDs: []string{"o1", "o2"}}, {ID: "a2", OrganisationIDs: []string{"o2"}}},
		Places:        []agenda.Place{{ID: "l1", OrganisationID: "o1"}, {ID: "l2", OrganisationID: "o2"}},
		Services: []agenda.Service{{ID: "m1", OrganisationID: "o1", DurationMinutes: 30},
			{ID: "m2", OrganisationID: "o2", DurationMinutes: 60, Collective: true}},
		OpeningPeriods: []agenda.OpeningPeriod{{ID: "p1", AgentID: "a1", OrganisationID: "o1", PlaceID: "l1", ServiceIDs: []string{"m1"},
			FirstDay: "2026-01-05", StartTime: "09:00", EndTime: "12:00", RRule: "FREQ=WEEKLY;BYDAY=MO", Until: "2026-12-31"}},
		Absences: []agenda.Absence{{ID: "b1", AgentID: "a1", FirstDay: "2026-12-24", StartTime: "09:00", EndDay: "2026-12-26", EndTime: "18:00"}},
		Appointments: []agenda.Appointment{{ID: "r1", OrganisationID: "o2", PlaceID: "l2", ServiceID: "m2", AgentIDs: []string{"a1", "a2"},
			Start: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), End: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC), Capacity: 10, Participants: 3}},
		ClosedDays:       []agenda.ClosedDay{{Date: "2026-12-25"}, {Date: "2026-12-26", OrganisationID: "o1"}},
		HolidayCalendars: []string{"FR"},
	}
}

func TestValidation(t *testing.T) {
	_, err := agenda.New(validDataset())
	require.NoError(t, err)

	tests := []struct {
		name   string
		mutate func(ds *agenda.Dataset)
		want   string // the first error's message, written by hand
		field  string
	}{
		{"unknown dataset zone", func(ds *agenda.Dataset) { ds.TimeZone = "Europe/Pariss" },
			`agenda: dataset "": unknown time zone "Europe/Pariss"`, "time_zone"},
		{"duplicate organisation", func(ds *agenda.Dataset) { ds.Organisations[1].ID = "o1" },
			`agenda: organisation "o1": duplicate id (records #0 and #1)`, "id"},
		{"organisation without id", func(ds *agenda.Dataset) { ds.Organisations = append(ds.Organisations, agenda.Organisation{}) },
			`agenda: organisation "#2": id is missing`, "id"},
		{"agent in an unknown organisation", func(ds *agenda.Dataset) { ds.Agents[1].OrganisationIDs = []string{"o9"} },
			`agenda: agent "a2": organisation_ids "o9" is not a known organisation`, "organisation_ids"},
		{"agent without organisation", func(ds *agenda.Dataset) { ds.Agents[1].OrganisationIDs = nil },
			`agenda: agent "a2": organisation_ids is empty: an agent belongs to at least one organisation`, "organisation_ids"},
		{"place of an unknown organisation", func(ds *agenda.Dataset) { ds.Places[0].OrganisationID = "o3" },
			`agenda: place "l1": organisation_id "o3" is not a known organisation`, "organisation_id"},
		{"service without duration", func(ds *agenda.Dataset) { ds.Services[0].DurationMinutes = 0 },
			`agenda: service "m1": duration_minutes 0 is not positive`, "duration_minutes"},
		{"max notice below min notice", func(ds *agenda.Dataset) { ds.Services[0].MinNoticeMinutes, ds.Services[0].MaxNoticeMinutes = 60, 30 },
			`agenda: service "m1": max_notice_minutes 30 is below min_notice_minutes 60`, "max_notice_minutes"},
		{"opening ends before it starts", func(ds *agenda.Dataset) {
			ds.OpeningPeriods[0].StartTime, ds.OpeningPeriods[0].EndTime = "10:00", "09:00"
		},
			`agenda: opening period "p1": end_time 09:00 is not after start_time 10:00`, "end_time"},
		{"opening time unparsable", func(ds *agenda.Dataset) { ds.OpeningPeriods[0].StartTime = "9h" },
			`agenda: opening period "p1": start_time "9h" is not a time of day (HH:MM or HH:MM:SS)`, "start_time"},
		{"opening starting at 24:00", func(ds *agenda.Dataset) { ds.OpeningPeriods[0].StartTime = "24:00" },
			`agenda: opening period "p1": start_time 24:00 is only allowed as an end time`, "start_time"},
		{"opening date unparsable", func(ds *agenda.Dataset) { ds.OpeningPeriods[0].FirstDay = "2026-02-30" },
			`agenda: opening period "p1": first_day "2026-02-30" is not a date (YYYY-MM-DD)`, "first_day"},
		{"opening in 1900", func(ds *agenda.Dataset) { ds.OpeningPeriods[0].FirstDay = "1900-01-01" },
			`agenda: opening period "p1": first_day 1900-01-01 is outside the years 2000 to 2100 (Limits.MinYear, Limits.MaxYear)`, "first_day"},
		{"opening until before first day", func(ds *agenda.Dataset) { ds.OpeningPeriods[0].Until = "2025-12-31" },
			`agenda: opening period "p1": until 2025-12-31 is before first_day 2026-01-05`, "until"},
		{"opening with an hourly rule", func(ds *agenda.Dataset) { ds.OpeningPeriods[0].RRule = "FREQ=HOURLY" },
			`agenda: opening period "p1": rrule: rrule "FREQ=HOURLY": FREQ=HOURLY not supported: occurrences are whole days at the start time (want DAILY, WEEKLY, MONTHLY or YEARLY)`, "rrule"},
		{"opening in an organisation of another agent", func(ds *agenda.Dataset) { ds.OpeningPeriods[0].AgentID = "a2" },
			`agenda: opening period "p1": agent "a2" does not belong to organisation "o1"`, "organisation_id"},
		{"opening at a place of another organisation", func(ds *agenda.Dataset) { ds.OpeningPeriods[0].PlaceID = "l2" },
			`agenda: opening period "p1": place "l2" belongs to another organisation than "o1"`, "place_id"},
		{"opening offering a service of another organisation", func(ds *agenda.Dataset) { ds.OpeningPeriods[0].ServiceIDs = []string{"m1", "m2"} },
			`agenda: opening period "p1": service "m2" belongs to another organisation than "o1"`, "service_ids"},
		{"opening with a duplicate service", func(ds *agenda.Dataset) { ds.OpeningPeriods[0].ServiceIDs = []string{"m1", "m1"} },
			`agenda: opening period "p1": service_ids lists "m1" twice`, "service_ids"},
		{"duplicate opening id", func(ds *agenda.Dataset) { ds.OpeningPeriods = append(ds.OpeningPeriods, ds.OpeningPeriods[0]) },
			`agenda: opening period "p1": duplicate id (records #0 and #1)`, "id"},
		{"recurring absence spanning days", func(ds *agenda.Dataset) { ds.Absences[0].RRule = "FREQ=WEEKLY" },
			`agenda: absence "b1": a recurring absence cannot span days: end_day 2026-12-26 is not first_day 2026-12-24`, "end_day"},
		{"absence ending before it starts", func(ds *agenda.Dataset) { ds.Absences[0].EndDay = "2026-12-23" },
			`agenda: absence "b1": end_day end_time 2026-12-23 18:00 is not after first_day start_time 2026-12-24 09:00`, "end_time"},
		{"absence of an unknown agent", func(ds *agenda.Dataset) { ds.Absences[0].AgentID = "a7" },
			`agenda: absence "b1": agent_id "a7" is not a known agent`, "agent_id"},
		{"appointment ending before it starts", func(ds *agenda.Dataset) { ds.Appointments[0].End = ds.Appointments[0].Start },
			`agenda: appointment "r1": end 2026-12-01T09:00:00Z is not after start 2026-12-01T09:00:00Z`, "end"},
		{"appointment with an unknown status", func(ds *agenda.Dataset) { ds.Appointments[0].Status = "cancelled" },
			`agenda: appointment "r1": status "cancelled" is not one of booked, seen, noshow, excused, revoked`, "status"},
		{"appointment of an agent outside the organisation", func(ds *agenda.Dataset) {
			ds.Appointments[0].OrganisationID, ds.Appointments[0].PlaceID, ds.Appointments[0].ServiceID = "o1", "", ""
			ds.Appointments[0].AgentIDs = []string{"a2"}
		}, `agenda: appointment "r1": agent "a2" does not belong to organisation "o1"`, "agent_ids"},
		{"appointment with the same agent twice", func(ds *agenda.Dataset) { ds.Appointments[0].AgentIDs = []string{"a1", "a1"} },
			`agenda: appointment "r1": agent_ids lists "a1" twice`, "agent_ids"},
		{"overbooked workshop", func(ds *agenda.Dataset) { ds.Appointments[0].Participants = 11 },
			`agenda: appointment "r1": participants 11 exceeds capacity 10`, "participants"},
		{"workshop without capacity", func(ds *agenda.Dataset) { ds.Appointments[0].Capacity, ds.Appointments[0].Participants = 0, 0 },
			`agenda: appointment "r1": appointment of collective service "m2" has no capacity`, "capacity"},
		{"appointment without start", func(ds *agenda.Dataset) { ds.Appointments[0].Start = time.Time{} },
			`agenda: appointment "r1": start is missing`, "start"},
		{"closed day of an unknown organisation", func(ds *agenda.Dataset) { ds.ClosedDays[1].OrganisationID = "o5" },
			`agenda: closed day "2026-12-26": organisation_id "o5" is not a known organisation`, "organisation_id"},
		{"closed day twice", func(ds *agenda.Dataset) { ds.ClosedDays = append(ds.ClosedDays, agenda.ClosedDay{Date: "2026-12-25"}) },
			`agenda: closed day "2026-12-25": duplicate closed day (records #0 and #2)`, "date"},
		{"unknown holiday calendar", func(ds *agenda.Dataset) { ds.HolidayCalendars = []string{"XX"} },
			`agenda: dataset "": unknown holiday calendar "XX" (known: FR, FR-57, FR-67, FR-68, FR-971, FR-972, FR-973, FR-974, FR-976, FR-977, FR-978, FR-986, FR-987, FR-988)`, "holiday_calendars"},
		{"unknown organisation holiday calendar", func(ds *agenda.Dataset) { ds.Organisations[0].HolidayCalendar = "FR-975" },
			`agenda: organisation "o1": unknown holiday calendar "FR-975" (known: FR, FR-57, FR-67, FR-68, FR-971, FR-972, FR-973, FR-974, FR-976, FR-977, FR-978, FR-986, FR-987, FR-988, or "none")`, "holiday_calendar"},
		{"unknown worked holiday", func(ds *agenda.Dataset) { ds.Organisations[1].WorkedHolidays = []string{"whit_monday", "pentecost"} },
			`agenda: organisation "o2": worked_holidays[1]: unknown holiday key "pentecost" (known: abolition_of_slavery, all_saints, armistice, ascension, assumption, autonomy_day, bastille_day, christmas, citizenship_day, easter_monday, good_friday, labour_day, new_year, saint_pierre_chanel, st_stephen, territory_day, victor_schoelcher, victory_1945, whit_monday)`, "worked_holidays"},
		{"worked holiday twice", func(ds *agenda.Dataset) { ds.Organisations[1].WorkedHolidays = []string{"whit_monday", "whit_monday"} },
			`agenda: organisation "o2": worked_holidays lists "whit_monday" twice`, "worked_holidays"},
		{"negative agent cap", func(ds *agenda.Dataset) { ds.Agents[0].MaxAppointmentsPerDay = -1 },
			`agenda: agent "a1": max_appointments_per_day -1 is negative`, "max_appointments_per_day"},
		{"negative buffer", func(ds *agenda.Dataset) { ds.Services[0].BufferAfterMinutes = -10 },
			`agenda: service "m1": buffer_after_minutes -10 is negative`, "buffer_after_minutes"},
		{"buffer longer than a day", func(ds *agenda.Dataset) { ds.Services[0].BufferBeforeMinutes = 1441 },
			`agenda: service "m1": buffer_before_minutes 1441 is longer than a day`, "buffer_before_minutes"},
		{"negative slot interval", func(ds *agenda.Dataset) { ds.Services[0].SlotIntervalMinutes = -15 },
			`agenda: service "m1": slot_interval_minutes -15 is negative`, "slot_interval_minutes"},
		{"negative service cap", func(ds *agenda.Dataset) { ds.Services[0].MaxPerAgentPerDay = -2 },
			`agenda: service "m1": max_per_agent_per_day -2 is negative`, "max_per_agent_per_day"},
		{"opening exdate unparsable", func(ds *agenda.Dataset) { ds.OpeningPeriods[0].Exdates = []string{"2026-01-12", "2026-13-01"} },
			`agenda: opening period "p1": exdates[1] "2026-13-01" is not a date (YYYY-MM-DD)`, "exdates"},
		{"opening exdate outside the years", func(ds *agenda.Dataset) { ds.OpeningPeriods[0].Exdates = []string{"2101-01-03"} },
			`agenda: opening period "p1": exdates[0] 2101-01-03 is outside the years 2000 to 2100 (Limits.MinYear, Limits.MaxYear)`, "exdates"},
		{"absence exdate unparsable", func(ds *agenda.Dataset) {
			ds.Absences[0].RRule, ds.Absences[0].EndDay, ds.Absences[0].Exdates = "FREQ=WEEKLY", "", []string{"31/12/2026"}
		}, `agenda: absence "b1": exdates[0] "31/12/2026" is not a date (YYYY-MM-DD)`, "exdates"},
		{"exdates on a one-off absence", func(ds *agenda.Dataset) { ds.Absences[0].Exdates = []string{"2026-12-24"} },
			`agenda: absence "b1": exdates is set but rrule is empty: a one-off absence has no occurrence to remove`, "exdates"},
		{"negative appointment buffer", func(ds *agenda.Dataset) { ds.Appointments[0].BufferBeforeMinutes = ptr(-5) },
			`agenda: appointment "r1": buffer_before_minutes -5 is negative`, "buffer_before_minutes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := validDataset()
			tt.mutate(ds)
			_, err := agenda.New(ds)
			require.Error(t, err)
			var verr *agenda.ValidationError
			require.ErrorAs(t, err, &verr)
			assert.Equal(t, tt.want, verr.Errs[0].Error())
			assert.Equal(t, tt.field, verr.Errs[0].Field)
			var rerr *agenda.RecordError
			assert.True(t, errors.As(err, &rerr))
		})
	}
}

func TestValidationListsEveryError(t *testing.T) {
	ds := validDataset()
	ds.Services[0].DurationMinutes = -5
	ds.OpeningPeriods[0].EndTime = "08:00"
	ds.Absences[0].AgentID = "ghost"
	_, err := agenda.New(ds)
	var verr *agenda.ValidationError
	require.ErrorAs(t, err, &verr)
	require.Len(t, verr.Errs, 3)
	assert.Equal(t, `agenda: service "m1": duration_minutes -5 is not positive (and 2 more)`, err.Error())

	_, err = agenda.New(ds, agenda.WithLimits(agenda.Limits{MaxErrors: 1}))
	require.ErrorAs(t, err, &verr)
	assert.Len(t, verr.Errs, 1)
	assert.True(t, verr.Truncated)
	assert.Equal(t, `agenda: service "m1": duration_minutes -5 is not positive (and 0+ more)`, err.Error())
}

func TestReadDatasetNamesTheRecord(t *testing.T) {
	_, err := agenda.ReadDataset(stringsReader(`{"appointments": [{"id": "r9", "start": "tomorrow", "end": "2026-12-01T10:00:00Z"}]}`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `appointment "r9": start "tomorrow" is not an RFC 3339 time`)
	_, err = agenda.ReadDataset(stringsReader(`{"agents": [{"id": "a1", "organisations": ["o1"]}]}`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown field "organisations"`)
}

func ptr[T any](v T) *T { return &v }

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }
