package reference

import (
	"testing"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The published examples, in Europe/Paris on Monday 2026-06-15 (CEST).
func TestSlotsPublishedExamples(t *testing.T) {
	base := func() *agenda.Dataset {
		ds := parisDataset()
		ds.OpeningPeriods = []agenda.OpeningPeriod{openingOn("op", "2026-06-15", "09:00", "11:20", "s30")}
		return ds
	}
	q := Query{
		ServiceID: "s30",
		From:      at(t, "2026-06-15T00:00:00+02:00"),
		To:        at(t, "2026-06-16T00:00:00+02:00"),
		Now:       at(t, "2026-06-15T07:00:00+02:00"),
	}
	appointment := func(status agenda.Status) agenda.Appointment {
		return agenda.Appointment{
			ID: "rdv", OrganisationID: "org", AgentIDs: []string{"ag"}, Status: status,
			Start: at(t, "2026-06-15T09:30:00+02:00"), End: at(t, "2026-06-15T09:45:00+02:00"),
		}
	}
	tests := []struct {
		name string
		edit func(*agenda.Dataset)
		want []string
	}{
		{"plain", func(*agenda.Dataset) {}, []string{"Mon 09:00", "Mon 09:30", "Mon 10:00", "Mon 10:30"}},
		{"absence 09:45-10:15", func(ds *agenda.Dataset) {
			ds.Absences = []agenda.Absence{{ID: "abs", AgentID: "ag", FirstDay: "2026-06-15", StartTime: "09:45", EndTime: "10:15"}}
		}, []string{"Mon 09:00", "Mon 10:15", "Mon 10:45"}},
		{"15-minute appointment at 09:30", func(ds *agenda.Dataset) {
			ds.Appointments = []agenda.Appointment{appointment("")}
		}, []string{"Mon 09:00", "Mon 09:45", "Mon 10:15", "Mon 10:45"}},
		{"that appointment revoked", func(ds *agenda.Dataset) {
			ds.Appointments = []agenda.Appointment{appointment(agenda.StatusRevoked)}
		}, []string{"Mon 09:00", "Mon 09:30", "Mon 10:00", "Mon 10:30"}},
		{"that appointment excused", func(ds *agenda.Dataset) {
			ds.Appointments = []agenda.Appointment{appointment(agenda.StatusExcused)}
		}, []string{"Mon 09:00", "Mon 09:30", "Mon 10:00", "Mon 10:30"}},
		{"that appointment a no-show", func(ds *agenda.Dataset) {
			ds.Appointments = []agenda.Appointment{appointment(agenda.StatusNoShow)}
		}, []string{"Mon 09:00", "Mon 09:45", "Mon 10:15", "Mon 10:45"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := base()
			tt.edit(ds)
			slots, err := mustNew(t, ds).Slots(q)
			require.NoError(t, err)
			assert.Equal(t, tt.want, parisClock(t, slots))
		})
	}

	t.Run("plain, as instants and fields", func(t *testing.T) {
		slots, err := mustNew(t, base()).Slots(q)
		require.NoError(t, err)
		require.Len(t, slots, 4)
		assert.Equal(t, Slot{
			Start: at(t, "2026-06-15T07:00:00Z"), End: at(t, "2026-06-15T07:30:00Z"),
			AgentID: "ag", PlaceID: "pl", OrganisationID: "org", ServiceID: "s30",
		}, slots[0])
	})
}

func TestSlotsRealignOnNow(t *testing.T) {
	ds := parisDataset()
	ds.Services = append(ds.Services, agenda.Service{ID: "s60", OrganisationID: "org", DurationMinutes: 60})
	ds.OpeningPeriods = []agenda.OpeningPeriod{
		openingOn("a", "2026-06-15", "14:00", "17:00:01", "s60"),
		openingOn("b", "2026-06-15", "18:00", "20:00:01", "s60"),
	}
	slots, err := mustNew(t, ds).Slots(Query{
		ServiceID: "s60",
		From:      at(t, "2026-06-15T00:00:00+02:00"),
		To:        at(t, "2026-06-16T00:00:00+02:00"),
		Now:       at(t, "2026-06-15T15:03:00+02:00"),
	})
	require.NoError(t, err)
	// 15:03 rounds up to 15:05 on the grid from 14:00; 16:05 would end after 17:00:01.
	assert.Equal(t, []string{"Mon 15:05", "Mon 18:00", "Mon 19:00"}, parisClock(t, slots))
}

func weekdaysDataset() *agenda.Dataset {
	ds := parisDataset()
	ds.Services = append(ds.Services, agenda.Service{
		ID: "s45", OrganisationID: "org", DurationMinutes: 45, MinNoticeMinutes: 24 * 60,
	})
	op := openingOn("week", "2026-06-01", "10:00", "18:00", "s45")
	op.RRule = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
	ds.OpeningPeriods = []agenda.OpeningPeriod{op}
	return ds
}

func TestSlotsMinNoticeUserView(t *testing.T) {
	r := mustNew(t, weekdaysDataset())
	q := Query{
		ServiceID: "s45",
		From:      at(t, "2026-06-15T00:00:00+02:00"),
		To:        at(t, "2026-06-17T00:00:00+02:00"),
		Now:       at(t, "2026-06-15T15:34:00+02:00"),
		UserView:  true,
	}
	slots, err := r.Slots(q)
	require.NoError(t, err)
	assert.Equal(t, []string{"Tue 16:00", "Tue 16:45"}, parisClock(t, slots))

	slot, ok, err := r.Next(q, 0)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, "2026-06-16T14:00:00Z", slot.Start.UTC().Format(time.RFC3339))

	// The agent view has no notice: Monday's interval, already begun, is
	// realigned on 15:34 -> 15:35 (a multiple of 5 minutes after 10:00).
	q.UserView = false
	q.To = at(t, "2026-06-16T00:00:00+02:00")
	slots, err = r.Slots(q)
	require.NoError(t, err)
	assert.Equal(t, []string{"Mon 15:35", "Mon 16:20", "Mon 17:05"}, parisClock(t, slots))
}

func TestSlotsMaxNoticeUserView(t *testing.T) {
	ds := weekdaysDataset()
	ds.Services[1].MinNoticeMinutes = 0
	ds.Services[1].MaxNoticeMinutes = 24*60 + 26 // now + max = Tuesday 16:00 exactly
	r := mustNew(t, ds)
	q := Query{
		ServiceID: "s45",
		From:      at(t, "2026-06-16T15:00:00+02:00"),
		To:        at(t, "2026-06-17T00:00:00+02:00"),
		Now:       at(t, "2026-06-15T15:34:00+02:00"),
		UserView:  true,
	}
	slots, err := r.Slots(q)
	require.NoError(t, err)
	assert.Equal(t, []string{"Tue 15:15", "Tue 16:00"}, parisClock(t, slots))

	q.UserView = false
	slots, err = r.Slots(q)
	require.NoError(t, err)
	assert.Equal(t, []string{"Tue 15:15", "Tue 16:00", "Tue 16:45"}, parisClock(t, slots))
}

func TestSlotsKeepTrueStartBeforeFrom(t *testing.T) {
	ds := parisDataset()
	ds.OpeningPeriods = []agenda.OpeningPeriod{openingOn("op", "2026-06-15", "09:00", "12:00", "s30")}
	ds.Services[0].DurationMinutes = 60
	slots, err := mustNew(t, ds).Slots(Query{
		ServiceID: "s30",
		From:      at(t, "2026-06-15T09:30:00+02:00"),
		To:        at(t, "2026-06-16T00:00:00+02:00"),
		Now:       at(t, "2026-06-01T00:00:00+02:00"),
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"Mon 10:00", "Mon 11:00"}, parisClock(t, slots))
}

// Daily 00:00-24:00 openings since 2026-01-01 make one free interval that
// began 165 days before the window, 2025-12-31T23:00Z (midnight CET), and
// runs on through the DST change. From it to 2026-06-14T22:00Z (midnight
// CEST on 06-15) is 165 days less an hour = 237540 minutes = 4750 x 50 + 40,
// so the first 50-minute slot in the window is 10 minutes after its start.
func TestSlotsLongFreeIntervalKeepsItsStart(t *testing.T) {
	ds := parisDataset()
	op := openingOn("all", "2026-01-01", "00:00", "24:00", "s30")
	op.RRule = "FREQ=DAILY"
	ds.OpeningPeriods = []agenda.OpeningPeriod{op}
	ds.Services[0].DurationMinutes = 50
	slots, err := mustNew(t, ds).Slots(Query{
		ServiceID: "s30",
		From:      at(t, "2026-06-14T22:00:00Z"),
		To:        at(t, "2026-06-15T00:00:00Z"),
		Now:       at(t, "2025-12-01T00:00:00Z"),
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"2026-06-14T22:10:00Z", "2026-06-14T23:00:00Z", "2026-06-14T23:50:00Z"}, slotStarts(slots))
}

func TestSlotsDST(t *testing.T) {
	ds := parisDataset()
	ds.Services[0].DurationMinutes = 60
	op := openingOn("sun", "2026-03-22", "09:00", "12:00", "s30")
	op.RRule = "FREQ=WEEKLY"
	ds.OpeningPeriods = []agenda.OpeningPeriod{op}
	r := mustNew(t, ds)
	q := Query{ServiceID: "s30", Now: at(t, "2026-01-01T00:00:00Z")}
	tests := []struct {
		name     string
		from, to string
		want     []string
	}{
		{"winter before the change", "2026-03-22T00:00:00Z", "2026-03-23T00:00:00Z",
			[]string{"2026-03-22T08:00:00Z", "2026-03-22T09:00:00Z", "2026-03-22T10:00:00Z"}},
		{"spring change day", "2026-03-29T00:00:00Z", "2026-03-30T00:00:00Z",
			[]string{"2026-03-29T07:00:00Z", "2026-03-29T08:00:00Z", "2026-03-29T09:00:00Z"}},
		{"summer", "2026-10-18T00:00:00Z", "2026-10-19T00:00:00Z",
			[]string{"2026-10-18T07:00:00Z", "2026-10-18T08:00:00Z", "2026-10-18T09:00:00Z"}},
		{"autumn change day", "2026-10-25T00:00:00Z", "2026-10-26T00:00:00Z",
			[]string{"2026-10-25T08:00:00Z", "2026-10-25T09:00:00Z", "2026-10-25T10:00:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q.From, q.To = at(t, tt.from), at(t, tt.to)
			slots, err := r.Slots(q)
			require.NoError(t, err)
			assert.Equal(t, tt.want, slotStarts(slots))
		})
	}
}

func TestSlotsDSTGapOpening(t *testing.T) {
	ds := parisDataset()
	ds.Services[0].DurationMinutes = 15
	ds.OpeningPeriods = []agenda.OpeningPeriod{
		// 02:30 does not exist: read with the CET offset, 01:30Z; 04:00 CEST is 02:00Z.
		openingOn("gap", "2026-03-29", "02:30", "04:00", "s30"),
		// 02:30 -> 01:30Z, 03:15 CEST -> 01:15Z: empty, skipped.
		openingOn("empty", "2026-03-29", "02:30", "03:15", "s30"),
	}
	slots, err := mustNew(t, ds).Slots(Query{
		ServiceID: "s30",
		From:      at(t, "2026-03-28T00:00:00Z"),
		To:        at(t, "2026-03-30T00:00:00Z"),
		Now:       at(t, "2026-01-01T00:00:00Z"),
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"2026-03-29T01:30:00Z", "2026-03-29T01:45:00Z"}, slotStarts(slots))
}

func TestSlotsLastDayOfRecurrence(t *testing.T) {
	tests := []struct {
		name  string
		rule  string
		until string
		zone  string
		want  []string
	}{
		{"until inclusive", "FREQ=DAILY", "2026-06-05", "Europe/Paris",
			[]string{"2026-06-04T07:00:00Z", "2026-06-05T07:00:00Z"}},
		{"rule UNTIL date inclusive", "FREQ=DAILY;UNTIL=20260605", "", "Europe/Paris",
			[]string{"2026-06-04T07:00:00Z", "2026-06-05T07:00:00Z"}},
		{"rule COUNT", "FREQ=DAILY;COUNT=5", "", "Europe/Paris",
			[]string{"2026-06-04T07:00:00Z", "2026-06-05T07:00:00Z"}},
		{"rule UNTIL UTC equal to the last start", "FREQ=DAILY;UNTIL=20260605T070000Z", "", "Europe/Paris",
			[]string{"2026-06-04T07:00:00Z", "2026-06-05T07:00:00Z"}},
		{"rule UNTIL UTC a second before the last start", "FREQ=DAILY;UNTIL=20260605T065959Z", "", "Europe/Paris",
			[]string{"2026-06-04T07:00:00Z"}},
		// 09:00 NZST (+12) on 06-06 is 06-05T21:00Z, before UNTIL though
		// its date is after UNTIL's UTC date.
		{"rule UNTIL UTC in a zone ahead of UTC", "FREQ=DAILY;UNTIL=20260605T210000Z", "", "Pacific/Auckland",
			[]string{"2026-06-03T21:00:00Z", "2026-06-04T21:00:00Z", "2026-06-05T21:00:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := parisDataset()
			ds.TimeZone = tt.zone
			ds.Services[0].DurationMinutes = 60
			op := openingOn("op", "2026-06-01", "09:00", "10:00", "s30")
			op.RRule, op.Until = tt.rule, tt.until
			ds.OpeningPeriods = []agenda.OpeningPeriod{op}
			slots, err := mustNew(t, ds).Slots(Query{
				ServiceID: "s30",
				From:      at(t, "2026-06-03T12:00:00Z"),
				To:        at(t, "2026-06-10T00:00:00Z"),
				Now:       at(t, "2026-01-01T00:00:00Z"),
			})
			require.NoError(t, err)
			assert.Equal(t, tt.want, slotStarts(slots))
		})
	}
}

func TestSlotsHolidaysAndClosedDays(t *testing.T) {
	ds := parisDataset()
	ds.HolidayCalendars = []string{"FR"}
	ds.Services[0].DurationMinutes = 8 * 60
	op := openingOn("week", "2026-01-05", "09:00", "17:00", "s30")
	op.RRule = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
	ds.OpeningPeriods = []agenda.OpeningPeriod{op}
	ds.ClosedDays = []agenda.ClosedDay{
		{Date: "2026-05-12", OrganisationID: "org"},
		{Date: "2026-05-13"},                          // every organisation
		{Date: "2026-05-19", OrganisationID: "other"}, // another organisation: no effect
	}
	ds.Organisations = append(ds.Organisations, agenda.Organisation{ID: "other"})
	r := mustNew(t, ds)
	q := Query{ServiceID: "s30", Now: at(t, "2026-01-01T00:00:00Z")}

	q.From, q.To = at(t, "2026-04-06T00:00:00+02:00"), at(t, "2026-04-08T00:00:00+02:00")
	slots, err := r.Slots(q)
	require.NoError(t, err)
	assert.Equal(t, []string{"Tue 09:00"}, parisClock(t, slots), "Easter Monday 2026-04-06 is closed")

	q.From, q.To = at(t, "2026-05-11T00:00:00+02:00"), at(t, "2026-05-16T00:00:00+02:00")
	slots, err = r.Slots(q)
	require.NoError(t, err)
	assert.Equal(t, []string{"Mon 09:00", "Fri 09:00"}, parisClock(t, slots), "closed 12th, 13th, Ascension 14th")

	q.From, q.To = at(t, "2026-05-18T00:00:00+02:00"), at(t, "2026-05-27T00:00:00+02:00")
	slots, err = r.Slots(q)
	require.NoError(t, err)
	assert.Equal(t, []string{"Mon 09:00", "Tue 09:00", "Wed 09:00", "Thu 09:00", "Fri 09:00", "Tue 09:00"},
		parisClock(t, slots), "Whit Monday 2026-05-25 is closed")

	q.From, q.To = at(t, "2031-05-21T00:00:00+02:00"), at(t, "2031-05-24T00:00:00+02:00")
	slots, err = r.Slots(q)
	require.NoError(t, err)
	assert.Equal(t, []string{"Wed 09:00", "Fri 09:00"}, parisClock(t, slots),
		"Ascension 2031-05-22 (Easter 04-13 + 39) is closed: holidays have no last year")
}

func TestSlotsNestedBusy(t *testing.T) {
	ds := parisDataset()
	ds.Services[0].DurationMinutes = 60
	ds.OpeningPeriods = []agenda.OpeningPeriod{openingOn("op", "2026-06-15", "09:00", "17:00", "s30")}
	ds.Absences = []agenda.Absence{{ID: "abs", AgentID: "ag", FirstDay: "2026-06-15", StartTime: "09:00", EndTime: "12:00"}}
	ds.Appointments = []agenda.Appointment{{
		ID: "in", OrganisationID: "org", AgentIDs: []string{"ag"},
		Start: at(t, "2026-06-15T10:00:00+02:00"), End: at(t, "2026-06-15T10:30:00+02:00"),
	}}
	slots, err := mustNew(t, ds).Slots(Query{
		ServiceID: "s30",
		From:      at(t, "2026-06-15T00:00:00+02:00"),
		To:        at(t, "2026-06-16T00:00:00+02:00"),
		Now:       at(t, "2026-06-01T00:00:00+02:00"),
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"Mon 12:00", "Mon 13:00", "Mon 14:00", "Mon 15:00", "Mon 16:00"}, parisClock(t, slots))
}

func TestSlotsGroupsFiltersAndOrder(t *testing.T) {
	ds := parisDataset()
	ds.Services[0].DurationMinutes = 60
	ds.Agents = append(ds.Agents, agenda.Agent{ID: "ab", OrganisationIDs: []string{"org"}})
	ds.Places = append(ds.Places, agenda.Place{ID: "pa", OrganisationID: "org"})
	other := openingOn("o2", "2026-06-15", "09:00", "10:00", "s30")
	other.AgentID = "ab"
	phone := openingOn("o3", "2026-06-15", "09:00", "11:00", "x", "s30", "s30")
	phone.PlaceID = ""
	atPA := openingOn("o4", "2026-06-15", "10:00", "11:00", "s30")
	atPA.PlaceID = "pa"
	ds.OpeningPeriods = []agenda.OpeningPeriod{
		openingOn("o1", "2026-06-15", "09:00", "10:00", "s30"),
		other, phone, atPA,
		openingOn("o5", "2026-06-15", "12:00", "13:00", "x"), // other service
	}
	r := mustNew(t, ds)
	q := Query{
		ServiceID: "s30",
		From:      at(t, "2026-06-15T00:00:00+02:00"),
		To:        at(t, "2026-06-16T00:00:00+02:00"),
		Now:       at(t, "2026-06-01T00:00:00+02:00"),
	}
	describe := func(slots []Slot) []string {
		var out []string
		for i, c := range parisClock(t, slots) {
			out = append(out, c+" "+slots[i].AgentID+"@"+slots[i].PlaceID)
		}
		return out
	}
	slots, err := r.Slots(q)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"Mon 09:00 ab@pl", "Mon 09:00 ag@", "Mon 09:00 ag@pl",
		"Mon 10:00 ag@", "Mon 10:00 ag@pa",
	}, describe(slots))

	q.AgentIDs = []string{"ag"}
	q.PlaceIDs = []string{"pl", "pa"}
	slots, err = r.Slots(q)
	require.NoError(t, err)
	assert.Equal(t, []string{"Mon 09:00 ag@pl", "Mon 10:00 ag@pa"}, describe(slots))

	q.PlaceIDs = []string{""}
	slots, err = r.Slots(q)
	require.NoError(t, err)
	assert.Equal(t, []string{"Mon 09:00 ag@", "Mon 10:00 ag@"}, describe(slots))
}

func TestSlotsAbsenceInAnotherZoneAndOrganisation(t *testing.T) {
	// An agent of two organisations: a New York agent zone for absences,
	// and an appointment booked in the other organisation.
	ds := parisDataset()
	ds.Services[0].DurationMinutes = 60
	ds.Organisations = append(ds.Organisations, agenda.Organisation{ID: "ny", TimeZone: "America/New_York"})
	ds.Agents[0].OrganisationIDs = []string{"org", "ny"}
	ds.Agents[0].TimeZone = "America/New_York"
	ds.OpeningPeriods = []agenda.OpeningPeriod{openingOn("op", "2026-06-15", "09:00", "17:00", "s30")}
	// 03:00-05:00 EDT (-4) = 07:00Z-09:00Z = 09:00-11:00 Paris.
	ds.Absences = []agenda.Absence{{ID: "abs", AgentID: "ag", FirstDay: "2026-06-15", StartTime: "03:00", EndTime: "05:00"}}
	ds.Appointments = []agenda.Appointment{{
		ID: "elsewhere", OrganisationID: "ny", AgentIDs: []string{"someone", "ag"},
		Start: at(t, "2026-06-15T12:00:00Z"), End: at(t, "2026-06-15T13:00:00Z"),
	}}
	slots, err := mustNew(t, ds).Slots(Query{
		ServiceID: "s30",
		From:      at(t, "2026-06-15T00:00:00+02:00"),
		To:        at(t, "2026-06-16T00:00:00+02:00"),
		Now:       at(t, "2026-06-01T00:00:00+02:00"),
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"Mon 11:00", "Mon 12:00", "Mon 13:00", "Mon 15:00", "Mon 16:00"}, parisClock(t, slots))
}

func TestSlotsCollective(t *testing.T) {
	ds := parisDataset()
	ds.Agents = append(ds.Agents, agenda.Agent{ID: "ab", OrganisationIDs: []string{"org"}})
	ds.Services = append(ds.Services, agenda.Service{ID: "ws", OrganisationID: "org", DurationMinutes: 120, Collective: true, MinNoticeMinutes: 60})
	// An opening for the workshop computes nothing.
	ds.OpeningPeriods = []agenda.OpeningPeriod{openingOn("op", "2026-06-15", "08:00", "18:00", "ws")}
	ws := func(id string, start string, agents []string, capacity, participants int, status agenda.Status) agenda.Appointment {
		s := at(t, start)
		return agenda.Appointment{
			ID: id, OrganisationID: "org", PlaceID: "pl", ServiceID: "ws", AgentIDs: agents, Status: status,
			Start: s, End: s.Add(2 * time.Hour), Capacity: capacity, Participants: participants,
		}
	}
	ds.Appointments = []agenda.Appointment{
		ws("w2", "2026-06-15T14:00:00+02:00", []string{"ag"}, 10, 3, ""),
		ws("w1", "2026-06-15T14:00:00+02:00", []string{"ag"}, 5, 4, agenda.StatusSeen),
		ws("full", "2026-06-15T10:00:00+02:00", []string{"ag"}, 5, 5, ""),
		ws("revoked", "2026-06-15T10:00:00+02:00", []string{"ag"}, 5, 0, agenda.StatusRevoked),
		ws("early", "2026-06-15T09:30:00+02:00", []string{"ab", "ag"}, 8, 0, ""),
		ws("next-day", "2026-06-16T09:00:00+02:00", []string{"ag"}, 8, 0, ""),
	}
	r := mustNew(t, ds)
	q := Query{
		ServiceID: "ws",
		From:      at(t, "2026-06-15T00:00:00+02:00"),
		To:        at(t, "2026-06-16T00:00:00+02:00"),
		Now:       at(t, "2026-06-15T08:45:00+02:00"),
	}
	ids := func(slots []Slot) []string {
		var out []string
		for _, s := range slots {
			out = append(out, s.AppointmentID)
		}
		return out
	}
	slots, err := r.Slots(q)
	require.NoError(t, err)
	assert.Equal(t, []string{"early", "w1", "w2"}, ids(slots))
	assert.Equal(t, Slot{
		Start: at(t, "2026-06-15T07:30:00Z"), End: at(t, "2026-06-15T09:30:00Z"), AgentID: "ab", PlaceID: "pl",
		OrganisationID: "org", ServiceID: "ws", AppointmentID: "early", SeatsLeft: 8,
	}, slots[0])
	assert.Equal(t, []int{8, 1, 7}, []int{slots[0].SeatsLeft, slots[1].SeatsLeft, slots[2].SeatsLeft})

	q.UserView = true // "early" starts 45 minutes after now: under the 60-minute notice
	slots, err = r.Slots(q)
	require.NoError(t, err)
	assert.Equal(t, []string{"w1", "w2"}, ids(slots))

	q.UserView, q.AgentIDs = false, []string{"ab"} // kept when any agent matches
	slots, err = r.Slots(q)
	require.NoError(t, err)
	assert.Equal(t, []string{"early"}, ids(slots))

	q.AgentIDs, q.PlaceIDs = nil, []string{"elsewhere"}
	slots, err = r.Slots(q)
	require.NoError(t, err)
	assert.Empty(t, slots)
}

func TestSlotsErrors(t *testing.T) {
	r := mustNew(t, parisDataset())
	_, err := r.Slots(Query{ServiceID: "nope"})
	assert.ErrorIs(t, err, agenda.ErrNotFound)
	_, err = r.Slots(Query{ServiceID: "s30", From: at(t, "2026-06-02T00:00:00Z"), To: at(t, "2026-06-01T00:00:00Z")})
	assert.ErrorIs(t, err, agenda.ErrInvalidQuery)
	_, _, err = r.Next(Query{ServiceID: "nope"}, 0)
	assert.ErrorIs(t, err, agenda.ErrNotFound)
	_, _, err = r.NextWeekByWeek(Query{ServiceID: "nope"}, 0)
	assert.ErrorIs(t, err, agenda.ErrNotFound)
}
