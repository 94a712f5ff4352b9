package reference

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// firstMondays opens 09:00-10:00 Paris on the first Monday of each month
// from June 2026 (06-01, 07-06, 08-03, ...).
func firstMondays() *agenda.Dataset {
	ds := parisDataset()
	ds.Services[0].DurationMinutes = 60
	op := openingOn("monthly", "2026-06-01", "09:00", "10:00", "s30")
	op.RRule = "FREQ=MONTHLY;BYDAY=1MO"
	ds.OpeningPeriods = []agenda.OpeningPeriod{op}
	return ds
}

func TestNext(t *testing.T) {
	const day = 24 * time.Hour
	tests := []struct {
		name    string
		ds      *agenda.Dataset
		q       Query
		horizon time.Duration
		want    string // "" when there is none
	}{
		{"min notice", weekdaysDataset(), Query{
			ServiceID: "s45", Now: at(t, "2026-06-15T15:34:00+02:00"), UserView: true,
		}, 0, "2026-06-16T14:00:00Z"},
		{"from after now", weekdaysDataset(), Query{
			ServiceID: "s45", From: at(t, "2026-06-20T00:00:00+02:00"), Now: at(t, "2026-06-15T15:34:00+02:00"),
		}, 0, "2026-06-22T08:00:00Z"},
		{"a month ahead", firstMondays(), Query{
			ServiceID: "s30", Now: at(t, "2026-06-02T00:00:00Z"),
		}, 0, "2026-07-06T07:00:00Z"},
		{"beyond the horizon", firstMondays(), Query{
			ServiceID: "s30", Now: at(t, "2026-06-02T00:00:00Z"),
		}, 30 * day, ""},
		{"slot exactly at the horizon", firstMondays(), Query{
			ServiceID: "s30", Now: at(t, "2026-07-01T07:00:00Z"),
		}, 5 * day, "2026-07-06T07:00:00Z"},
		{"a second short of it", firstMondays(), Query{
			ServiceID: "s30", Now: at(t, "2026-07-01T06:59:59Z"),
		}, 5 * day, ""},
		{"nothing after the last occurrence", func() *agenda.Dataset {
			ds := firstMondays()
			ds.OpeningPeriods[0].Until = "2026-07-31"
			return ds
		}(), Query{ServiceID: "s30", Now: at(t, "2026-07-07T00:00:00Z")}, 0, ""},
		{"in progress, realigned", firstMondays(), Query{
			ServiceID: "s30", Now: at(t, "2026-07-06T06:58:00Z"),
		}, 0, "2026-07-06T07:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustNew(t, tt.ds)
			for name, next := range map[string]func(Query, time.Duration) (Slot, bool, error){
				"Next": r.Next, "NextWeekByWeek": r.NextWeekByWeek,
			} {
				slot, ok, err := next(tt.q, tt.horizon)
				require.NoError(t, err, name)
				if tt.want == "" {
					assert.False(t, ok, name)
					continue
				}
				if assert.True(t, ok, name) {
					assert.Equal(t, tt.want, slot.Start.UTC().Format(time.RFC3339), name)
				}
			}
		})
	}
}

func TestNextMaxNoticeReplacesHorizon(t *testing.T) {
	ds := firstMondays()
	ds.Services[0].MaxNoticeMinutes = 10 * 24 * 60
	r := mustNew(t, ds)
	q := Query{ServiceID: "s30", Now: at(t, "2026-06-02T00:00:00Z"), UserView: true}
	_, ok, err := r.Next(q, 0)
	require.NoError(t, err)
	assert.False(t, ok, "07-06 is 34 days ahead, past the 10-day maximum notice")

	q.UserView = false
	slot, ok, err := r.Next(q, 0)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, "2026-07-06T07:00:00Z", slot.Start.UTC().Format(time.RFC3339))

	q.UserView = true
	q.Now = at(t, "2026-06-26T07:00:00Z") // now + 10 days = 07-06T07:00Z exactly
	slot, ok, err = r.Next(q, time.Hour)
	require.NoError(t, err)
	require.True(t, ok, "the maximum notice, not the 1-hour horizon, bounds the user view")
	assert.Equal(t, "2026-07-06T07:00:00Z", slot.Start.UTC().Format(time.RFC3339))
}

// randomDataset builds a small dataset from seed: two organisations in
// different zones, three agents, recurring openings, absences, appointments
// and closed days around 2026.
func randomDataset(seed uint64) *agenda.Dataset {
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	ds := &agenda.Dataset{
		TimeZone: "Europe/Paris",
		Organisations: []agenda.Organisation{
			{ID: "paris"}, {ID: "nyc", TimeZone: "America/New_York"},
		},
		Agents: []agenda.Agent{
			{ID: "a1", OrganisationIDs: []string{"paris"}},
			{ID: "a2", OrganisationIDs: []string{"paris", "nyc"}},
			{ID: "a3", OrganisationIDs: []string{"nyc"}},
		},
		Places:   []agenda.Place{{ID: "p1", OrganisationID: "paris"}, {ID: "p2", OrganisationID: "paris"}},
		Services: []agenda.Service{{ID: "s", OrganisationID: "paris", DurationMinutes: 15 * (1 + rng.IntN(6)), MinNoticeMinutes: 30 * rng.IntN(4), MaxNoticeMinutes: []int{0, 0, 60 * 24 * 20}[rng.IntN(3)]}},
	}
	if rng.IntN(2) == 0 {
		ds.HolidayCalendars = []string{"FR"}
	}
	date := func(base time.Time, spreadDays int) time.Time { return base.AddDate(0, 0, rng.IntN(spreadDays)) }
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func(minH, maxH int) (string, string) {
		h := minH + rng.IntN(maxH-minH)
		m := []int{0, 15, 30, 45}[rng.IntN(4)]
		l := 1 + rng.IntN(6)
		end := fmt.Sprintf("%02d:%02d", min(h+l, 24), m)
		if h+l >= 24 {
			end = "24:00"
		}
		return fmt.Sprintf("%02d:%02d", h, m), end
	}
	rules := []string{"", "FREQ=DAILY", "FREQ=WEEKLY;BYDAY=MO,WE", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,FR",
		"FREQ=MONTHLY;BYDAY=2TH", "FREQ=MONTHLY;BYMONTHDAY=31", "FREQ=WEEKLY;COUNT=10", "FREQ=DAILY;UNTIL=20260401T080000Z"}
	for i := range 6 {
		s, e := clock(7, 20)
		o := agenda.OpeningPeriod{
			ID: fmt.Sprintf("o%d", i), AgentID: ds.Agents[rng.IntN(3)].ID, OrganisationID: "paris",
			PlaceID: []string{"p1", "p2", ""}[rng.IntN(3)], ServiceIDs: []string{"s"},
			FirstDay: date(start, 120).Format(time.DateOnly), StartTime: s, EndTime: e,
			RRule: rules[rng.IntN(len(rules))],
		}
		if rng.IntN(3) == 0 {
			o.Until = date(start.AddDate(0, 4, 0), 120).Format(time.DateOnly)
		}
		ds.OpeningPeriods = append(ds.OpeningPeriods, o)
	}
	for i := range 4 {
		s, e := clock(0, 22)
		a := agenda.Absence{
			ID: fmt.Sprintf("ab%d", i), AgentID: ds.Agents[rng.IntN(3)].ID,
			FirstDay: date(start, 200).Format(time.DateOnly), StartTime: s, EndTime: e,
		}
		if rng.IntN(2) == 0 {
			a.RRule = rules[1+rng.IntN(len(rules)-1)]
		} else if rng.IntN(2) == 0 {
			a.EndDay = date(start.AddDate(0, 8, 0), 20).Format(time.DateOnly)
		}
		ds.Absences = append(ds.Absences, a)
	}
	for i := range 30 {
		st := start.Add(time.Duration(rng.IntN(300*24*4)) * 15 * time.Minute)
		ds.Appointments = append(ds.Appointments, agenda.Appointment{
			ID: fmt.Sprintf("r%d", i), OrganisationID: "paris", AgentIDs: []string{ds.Agents[rng.IntN(3)].ID},
			Start: st, End: st.Add(time.Duration(1+rng.IntN(8)) * 15 * time.Minute),
			Status: []agenda.Status{"", agenda.StatusSeen, agenda.StatusRevoked, agenda.StatusExcused}[rng.IntN(4)],
		})
	}
	for range 5 {
		ds.ClosedDays = append(ds.ClosedDays, agenda.ClosedDay{
			Date: date(start, 300).Format(time.DateOnly), OrganisationID: []string{"", "paris", "nyc"}[rng.IntN(3)],
		})
	}
	return ds
}

// Next is defined by one Slots call; the week-by-week search must agree.
func TestNextEqualsNextWeekByWeek(t *testing.T) {
	seeds := 40
	if testing.Short() {
		seeds = 8
	}
	for seed := range uint64(seeds) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			r := mustNew(t, randomDataset(seed))
			rng := rand.New(rand.NewPCG(seed, 1))
			for range 4 {
				now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rng.IntN(300*24*60)) * time.Minute)
				q := Query{ServiceID: "s", Now: now, From: now.Add(time.Duration(rng.IntN(5*24)-48) * time.Hour),
					UserView: rng.IntN(2) == 0}
				if rng.IntN(3) == 0 {
					q.AgentIDs = []string{"a2"}
				}
				horizon := time.Duration(1+rng.IntN(90)) * 24 * time.Hour
				s1, ok1, err1 := r.Next(q, horizon)
				s2, ok2, err2 := r.NextWeekByWeek(q, horizon)
				require.NoError(t, err1)
				require.NoError(t, err2)
				assert.Equal(t, ok1, ok2, "query %+v", q)
				assert.Equal(t, s1, s2, "query %+v", q)
			}
		})
	}
}
