package reference

import (
	"testing"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// eventStrings renders events as "kind id org place start/end status
// blocking" with UTC times.
func eventStrings(events []Event) []string {
	var out []string
	for _, e := range events {
		s := e.Kind + " " + e.ID + " " + e.OrganisationID + " " + e.PlaceID + " " + spanStrings([]Span{{e.Start, e.End}})[0]
		if e.Kind == KindAppointment {
			s += " " + string(e.Status)
			if e.Blocking {
				s += " blocking"
			}
		}
		out = append(out, s)
	}
	return out
}

func TestAgendaOrderingAndBlocking(t *testing.T) {
	ds := parisDataset()
	ds.Organisations = append(ds.Organisations, agenda.Organisation{ID: "org2"})
	ds.Agents[0].OrganisationIDs = []string{"org2", "org"}
	ds.Agents = append(ds.Agents, agenda.Agent{ID: "ab", OrganisationIDs: []string{"org"}})
	ds.OpeningPeriods = []agenda.OpeningPeriod{openingOn("op", "2026-06-16", "00:00", "24:00", "s30")}
	ds.Absences = []agenda.Absence{{ID: "abs", AgentID: "ag", FirstDay: "2026-06-16", StartTime: "00:00", EndTime: "24:00"}}
	ds.ClosedDays = []agenda.ClosedDay{{Date: "2026-06-16"}}
	appt := func(id, start, end string, status agenda.Status, agents ...string) agenda.Appointment {
		return agenda.Appointment{
			ID: id, OrganisationID: "org", PlaceID: "pl", AgentIDs: agents, Status: status,
			Start: at(t, start), End: at(t, end),
		}
	}
	ds.Appointments = []agenda.Appointment{
		appt("late", "2026-06-16T22:00:00Z", "2026-06-16T23:00:00Z", "", "ag"),
		appt("a2", "2026-06-15T22:00:00Z", "2026-06-16T22:00:00Z", agenda.StatusRevoked, "ag"),
		appt("a1", "2026-06-15T22:00:00Z", "2026-06-16T22:00:00Z", "", "ab", "ag"),
		appt("a0", "2026-06-15T22:00:00Z", "2026-06-15T23:00:00Z", agenda.StatusExcused, "ag"),
		appt("other", "2026-06-16T10:00:00Z", "2026-06-16T11:00:00Z", "", "ab"),
		appt("outside", "2026-06-15T21:00:00Z", "2026-06-15T22:00:00Z", "", "ag"),
		appt("early", "2026-06-15T20:00:00Z", "2026-06-15T22:30:00Z", agenda.StatusNoShow, "ag"),
	}
	// The local day 2026-06-16 in Paris (CEST).
	got, err := mustNew(t, ds).Agenda("ag", at(t, "2026-06-15T22:00:00Z"), at(t, "2026-06-16T22:00:00Z"))
	require.NoError(t, err)
	day := "2026-06-15T22:00:00Z/2026-06-16T22:00:00Z"
	assert.Equal(t, []string{
		"appointment early org pl 2026-06-15T20:00:00Z/2026-06-15T22:30:00Z noshow blocking",
		"appointment a0 org pl 2026-06-15T22:00:00Z/2026-06-15T23:00:00Z excused",
		"absence abs   " + day,
		"appointment a1 org pl " + day + " booked blocking",
		"appointment a2 org pl " + day + " revoked",
		"closed 2026-06-16 org  " + day,
		"closed 2026-06-16 org2  " + day,
		"opening op org pl " + day,
	}, eventStrings(got.Events))
	assert.Equal(t, []string{day}, spanStrings(got.Busy))
	assert.Empty(t, got.Free, "the only opening is on a closed day")
}

func TestAgendaNestedBusyKeepsTheRestOfTheDay(t *testing.T) {
	ds := parisDataset()
	ds.Organisations = append(ds.Organisations, agenda.Organisation{ID: "org2"})
	ds.OpeningPeriods = []agenda.OpeningPeriod{openingOn("op", "2026-06-15", "09:00", "17:00", "s30")}
	ds.Absences = []agenda.Absence{{ID: "abs", AgentID: "ag", FirstDay: "2026-06-15", StartTime: "09:00", EndTime: "12:00"}}
	ds.Appointments = []agenda.Appointment{{
		ID: "in", OrganisationID: "org", AgentIDs: []string{"ag"},
		Start: at(t, "2026-06-15T10:00:00+02:00"), End: at(t, "2026-06-15T10:30:00+02:00"),
	}}
	ds.ClosedDays = []agenda.ClosedDay{{Date: "2026-06-15", OrganisationID: "org2"}} // not the opening's organisation
	got, err := mustNew(t, ds).Agenda("ag", at(t, "2026-06-15T00:00:00+02:00"), at(t, "2026-06-16T00:00:00+02:00"))
	require.NoError(t, err)
	assert.Equal(t, []string{"2026-06-15T07:00:00Z/2026-06-15T10:00:00Z"}, spanStrings(got.Busy))
	assert.Equal(t, []string{"2026-06-15T10:00:00Z/2026-06-15T15:00:00Z"}, spanStrings(got.Free))
}

func TestAgendaEventsAreNotClipped(t *testing.T) {
	ds := parisDataset()
	ds.OpeningPeriods = []agenda.OpeningPeriod{openingOn("op", "2026-06-15", "09:00", "17:00", "s30")}
	ds.Appointments = []agenda.Appointment{{
		ID: "rdv", OrganisationID: "org", AgentIDs: []string{"ag"},
		Start: at(t, "2026-06-15T09:00:00+02:00"), End: at(t, "2026-06-15T11:00:00+02:00"),
	}}
	got, err := mustNew(t, ds).Agenda("ag", at(t, "2026-06-15T10:00:00+02:00"), at(t, "2026-06-15T12:00:00+02:00"))
	require.NoError(t, err)
	assert.Equal(t, []string{
		"appointment rdv org  2026-06-15T07:00:00Z/2026-06-15T09:00:00Z booked blocking",
		"opening op org pl 2026-06-15T07:00:00Z/2026-06-15T15:00:00Z",
	}, eventStrings(got.Events))
	assert.Equal(t, []string{"2026-06-15T08:00:00Z/2026-06-15T09:00:00Z"}, spanStrings(got.Busy))
	assert.Equal(t, []string{"2026-06-15T09:00:00Z/2026-06-15T10:00:00Z"}, spanStrings(got.Free))
}

func TestAgendaDST(t *testing.T) {
	ds := parisDataset()
	weekly := openingOn("sun", "2026-03-22", "09:00", "12:00", "s30")
	weekly.RRule = "FREQ=WEEKLY"
	ds.OpeningPeriods = []agenda.OpeningPeriod{
		weekly,
		openingOn("gap", "2026-03-29", "02:30", "04:00", "s30"),
		openingOn("empty", "2026-03-29", "02:30", "03:15", "s30"),
		openingOn("fold", "2026-10-25", "02:30", "03:30", "s30"),
	}
	ds.ClosedDays = []agenda.ClosedDay{{Date: "2026-03-29"}, {Date: "2026-10-25"}}
	r := mustNew(t, ds)

	got, err := r.Agenda("ag", at(t, "2026-03-21T00:00:00Z"), at(t, "2026-04-06T00:00:00Z"))
	require.NoError(t, err)
	assert.Equal(t, []string{
		"opening sun org pl 2026-03-22T08:00:00Z/2026-03-22T11:00:00Z",
		// The spring closed day is 23 hours long.
		"closed 2026-03-29 org  2026-03-28T23:00:00Z/2026-03-29T22:00:00Z",
		// 02:30 does not exist: CET offset, 01:30Z; 04:00 CEST = 02:00Z.
		"opening gap org pl 2026-03-29T01:30:00Z/2026-03-29T02:00:00Z",
		"opening sun org pl 2026-03-29T07:00:00Z/2026-03-29T10:00:00Z",
		"opening sun org pl 2026-04-05T07:00:00Z/2026-04-05T10:00:00Z",
	}, eventStrings(got.Events))
	assert.Equal(t, []string{
		"2026-03-22T08:00:00Z/2026-03-22T11:00:00Z",
		"2026-04-05T07:00:00Z/2026-04-05T10:00:00Z",
	}, spanStrings(got.Free))

	got, err = r.Agenda("ag", at(t, "2026-10-17T00:00:00Z"), at(t, "2026-11-02T00:00:00Z"))
	require.NoError(t, err)
	assert.Equal(t, []string{
		"opening sun org pl 2026-10-18T07:00:00Z/2026-10-18T10:00:00Z",
		// The autumn closed day is 25 hours long.
		"closed 2026-10-25 org  2026-10-24T22:00:00Z/2026-10-25T23:00:00Z",
		// 02:30 happens twice: the first, CEST, 00:30Z; 03:30 CET = 02:30Z.
		"opening fold org pl 2026-10-25T00:30:00Z/2026-10-25T02:30:00Z",
		"opening sun org pl 2026-10-25T08:00:00Z/2026-10-25T11:00:00Z",
		"opening sun org pl 2026-11-01T08:00:00Z/2026-11-01T11:00:00Z",
	}, eventStrings(got.Events))
	assert.Equal(t, []string{
		"2026-10-18T07:00:00Z/2026-10-18T10:00:00Z",
		"2026-11-01T08:00:00Z/2026-11-01T11:00:00Z",
	}, spanStrings(got.Free))
}

func TestAgendaMultiDayAbsence(t *testing.T) {
	ds := parisDataset()
	op := openingOn("week", "2026-06-01", "09:00", "17:00", "s30")
	op.RRule = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
	ds.OpeningPeriods = []agenda.OpeningPeriod{op}
	ds.Absences = []agenda.Absence{{
		ID: "trip", AgentID: "ag", FirstDay: "2026-06-15", StartTime: "14:00", EndDay: "2026-06-17", EndTime: "10:00",
	}}
	got, err := mustNew(t, ds).Agenda("ag", at(t, "2026-06-15T00:00:00+02:00"), at(t, "2026-06-18T00:00:00+02:00"))
	require.NoError(t, err)
	assert.Equal(t, []string{
		"opening week org pl 2026-06-15T07:00:00Z/2026-06-15T15:00:00Z",
		"absence trip   2026-06-15T12:00:00Z/2026-06-17T08:00:00Z",
		"opening week org pl 2026-06-16T07:00:00Z/2026-06-16T15:00:00Z",
		"opening week org pl 2026-06-17T07:00:00Z/2026-06-17T15:00:00Z",
	}, eventStrings(got.Events))
	assert.Equal(t, []string{"2026-06-15T12:00:00Z/2026-06-17T08:00:00Z"}, spanStrings(got.Busy))
	assert.Equal(t, []string{
		"2026-06-15T07:00:00Z/2026-06-15T12:00:00Z",
		"2026-06-17T08:00:00Z/2026-06-17T15:00:00Z",
	}, spanStrings(got.Free))
}

func TestAgendaRecurringAbsence(t *testing.T) {
	ds := parisDataset()
	ds.OpeningPeriods = []agenda.OpeningPeriod{openingOn("op", "2026-06-15", "09:00", "17:00", "s30")}
	ds.Absences = []agenda.Absence{{
		ID: "lunch", AgentID: "ag", FirstDay: "2026-06-01", StartTime: "12:00", EndTime: "13:30",
		RRule: "FREQ=WEEKLY;BYDAY=MO", Until: "2026-06-22",
	}}
	r := mustNew(t, ds)
	got, err := r.Agenda("ag", at(t, "2026-06-15T00:00:00+02:00"), at(t, "2026-06-16T00:00:00+02:00"))
	require.NoError(t, err)
	assert.Equal(t, []string{
		"opening op org pl 2026-06-15T07:00:00Z/2026-06-15T15:00:00Z",
		"absence lunch   2026-06-15T10:00:00Z/2026-06-15T11:30:00Z",
	}, eventStrings(got.Events))
	assert.Equal(t, []string{
		"2026-06-15T07:00:00Z/2026-06-15T10:00:00Z",
		"2026-06-15T11:30:00Z/2026-06-15T15:00:00Z",
	}, spanStrings(got.Free))

	got, err = r.Agenda("ag", at(t, "2026-06-21T00:00:00+02:00"), at(t, "2026-07-01T00:00:00+02:00"))
	require.NoError(t, err)
	assert.Equal(t, []string{"absence lunch   2026-06-22T10:00:00Z/2026-06-22T11:30:00Z"}, eventStrings(got.Events),
		"the last Monday is the until date; 06-29 is past it")
}

func TestAgendaHolidayEvents(t *testing.T) {
	ds := parisDataset()
	ds.HolidayCalendars = []string{"FR"}
	ds.Organisations = append(ds.Organisations, agenda.Organisation{ID: "lyon"})
	ds.Agents[0].OrganisationIDs = []string{"org", "lyon"}
	ds.ClosedDays = []agenda.ClosedDay{
		{Date: "2026-05-01", OrganisationID: "org"}, // also a holiday: one event
		{Date: "2026-04-20", OrganisationID: "lyon"},
	}
	got, err := mustNew(t, ds).Agenda("ag", at(t, "2026-04-01T00:00:00+02:00"), at(t, "2026-05-20T00:00:00+02:00"))
	require.NoError(t, err)
	var ids []string
	for _, e := range got.Events {
		ids = append(ids, e.ID+" "+e.OrganisationID)
	}
	assert.Equal(t, []string{
		"2026-04-06 lyon", "2026-04-06 org", // Easter Monday
		"2026-04-20 lyon",
		"2026-05-01 lyon", "2026-05-01 org",
		"2026-05-08 lyon", "2026-05-08 org",
		"2026-05-14 lyon", "2026-05-14 org", // Ascension
	}, ids)
	assert.Equal(t, "2026-04-05T22:00:00Z", got.Events[0].Start.UTC().Format(time.RFC3339))
}

func TestAgendaErrors(t *testing.T) {
	r := mustNew(t, parisDataset())
	_, err := r.Agenda("nobody", at(t, "2026-06-15T00:00:00Z"), at(t, "2026-06-16T00:00:00Z"))
	assert.ErrorIs(t, err, agenda.ErrNotFound)
	_, err = r.Agenda("ag", at(t, "2026-06-16T00:00:00Z"), at(t, "2026-06-15T00:00:00Z"))
	assert.ErrorIs(t, err, agenda.ErrInvalidQuery)
	got, err := r.Agenda("ag", at(t, "2026-06-16T00:00:00Z"), at(t, "2026-06-16T00:00:00Z"))
	require.NoError(t, err)
	assert.Empty(t, got.Events)
}
