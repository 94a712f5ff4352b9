package agenda_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
	_ "time/tzdata"
)

var paris = mustLoad("Europe/Paris")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at is a Paris wall-clock time, written by hand in the tests.
func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", s, paris)
	if err != nil {
		t, err = time.ParseInLocation("2006-01-02 15:04", s, paris)
	}
	if err != nil {
		panic(err)
	}
	return t
}

// oneAgent is a dataset with one agent in one Paris organisation offering
// one service of the given duration at one place.
func oneAgent(minutes int) *agenda.Dataset {
	return &agenda.Dataset{
		TimeZone:      "Europe/Paris",
		Organisations: []agenda.Organisation{{ID: "o1", Name: "PMI Calais"}},
		Agents:        []agenda.Agent{{ID: "a1", OrganisationIDs: []string{"o1"}}},
		Places:        []agenda.Place{{ID: "l1", OrganisationID: "o1"}},
		Services:      []agenda.Service{{ID: "m1", OrganisationID: "o1", DurationMinutes: minutes}},
	}
}

func opening(id, day, start, end, rrule string) agenda.OpeningPeriod {
	return agenda.OpeningPeriod{ID: id, AgentID: "a1", OrganisationID: "o1", PlaceID: "l1", ServiceIDs: []string{"m1"},
		FirstDay: day, StartTime: start, EndTime: end, RRule: rrule}
}

func slotStarts(t *testing.T, ds *agenda.Dataset, q agenda.SlotQuery) []string {
	t.Helper()
	ix, err := agenda.New(ds)
	require.NoError(t, err)
	q.ServiceID = "m1"
	slots, err := ix.Slots(context.Background(), q)
	require.NoError(t, err)
	out := make([]string, len(slots))
	for i, s := range slots {
		out[i] = s.Start.In(paris).Format("Mon 15:04")
	}
	return out
}

// TestPublishedExamples pins the examples published for the calculator
// crossagenda replaces; the expected slots were worked out by hand.
func TestPublishedExamples(t *testing.T) {
	day := agenda.SlotQuery{From: at("2026-12-01 00:00"), To: at("2026-12-02 00:00"), Now: at("2026-12-01 07:00")}
	tests := []struct {
		name string
		give func(ds *agenda.Dataset)
		want []string
	}{
		{"plain", func(ds *agenda.Dataset) {}, []string{"Tue 09:00", "Tue 09:30", "Tue 10:00", "Tue 10:30"}},
		{"absence 09:45-10:15", func(ds *agenda.Dataset) {
			ds.Absences = []agenda.Absence{{ID: "b1", AgentID: "a1", FirstDay: "2026-12-01", StartTime: "09:45", EndTime: "10:15"}}
		}, []string{"Tue 09:00", "Tue 10:15", "Tue 10:45"}},
		{"15-minute appointment at 09:30", func(ds *agenda.Dataset) {
			ds.Appointments = []agenda.Appointment{{ID: "r1", OrganisationID: "o1", AgentIDs: []string{"a1"},
				Start: at("2026-12-01 09:30"), End: at("2026-12-01 09:45")}}
		}, []string{"Tue 09:00", "Tue 09:45", "Tue 10:15", "Tue 10:45"}},
		{"revoked appointment", func(ds *agenda.Dataset) {
			ds.Appointments = []agenda.Appointment{{ID: "r1", OrganisationID: "o1", AgentIDs: []string{"a1"},
				Start: at("2026-12-01 09:30"), End: at("2026-12-01 09:45"), Status: agenda.StatusRevoked}}
		}, []string{"Tue 09:00", "Tue 09:30", "Tue 10:00", "Tue 10:30"}},
		{"appointment in another organisation", func(ds *agenda.Dataset) {
			ds.Organisations = append(ds.Organisations, agenda.Organisation{ID: "o2"})
			ds.Agents[0].OrganisationIDs = []string{"o1", "o2"}
			ds.Appointments = []agenda.Appointment{{ID: "r1", OrganisationID: "o2", AgentIDs: []string{"a1"},
				Start: at("2026-12-01 09:30"), End: at("2026-12-01 09:45")}}
		}, []string{"Tue 09:00", "Tue 09:45", "Tue 10:15", "Tue 10:45"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := oneAgent(30)
			ds.OpeningPeriods = []agenda.OpeningPeriod{opening("p1", "2026-12-01", "09:00", "11:20", "")}
			tt.give(ds)
			assert.Equal(t, tt.want, slotStarts(t, ds, day))
		})
	}

	t.Run("slot already begun, agent view", func(t *testing.T) {
		ds := oneAgent(60)
		ds.OpeningPeriods = []agenda.OpeningPeriod{
			opening("p1", "2026-12-01", "14:00", "17:00:01", ""),
			opening("p2", "2026-12-01", "18:00", "20:00:01", ""),
		}
		q := day
		q.Now, q.View = at("2026-12-01 15:03"), agenda.ViewAgent
		assert.Equal(t, []string{"Tue 15:05", "Tue 18:00", "Tue 19:00"}, slotStarts(t, ds, q))
	})

	t.Run("24-hour minimum notice, user view", func(t *testing.T) {
		ds := oneAgent(45)
		ds.Services[0].MinNoticeMinutes = 24 * 60
		ds.OpeningPeriods = []agenda.OpeningPeriod{opening("p1", "2026-11-02", "10:00", "18:00", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")}
		q := agenda.SlotQuery{From: at("2026-11-30 00:00"), To: at("2026-12-02 00:00"), Now: at("2026-11-30 15:34")}
		got := slotStarts(t, ds, q)
		require.NotEmpty(t, got)
		assert.Equal(t, "Tue 16:00", got[0])

		ix, err := agenda.New(ds)
		require.NoError(t, err)
		next, ok, err := ix.NextAvailable(context.Background(), agenda.SlotQuery{ServiceID: "m1", Now: at("2026-11-30 15:34")})
		require.NoError(t, err)
		require.True(t, ok)
		assert.True(t, next.Start.Equal(at("2026-12-01 16:00")), "next availability %s", next.Start)
	})
}

// TestOpeningKeepsWallClockAcrossDST checks a weekly 09:00-12:00 Paris
// opening on both sides of the spring change: 08:00Z in winter, 07:00Z in
// summer.
func TestOpeningKeepsWallClockAcrossDST(t *testing.T) {
	ds := oneAgent(30)
	ds.OpeningPeriods = []agenda.OpeningPeriod{opening("p1", "2021-03-01", "09:00", "12:00", "FREQ=WEEKLY;BYDAY=FR,MO")}
	ix, err := agenda.New(ds)
	require.NoError(t, err)
	ag, err := ix.Agenda(context.Background(), "a1", at("2026-03-27 00:00"), at("2026-03-31 00:00"))
	require.NoError(t, err)
	require.Len(t, ag.Events, 2)
	assert.Equal(t, "2026-03-27T08:00:00Z", ag.Events[0].Start.UTC().Format(time.RFC3339))
	assert.Equal(t, "2026-03-27T11:00:00Z", ag.Events[0].End.UTC().Format(time.RFC3339))
	assert.Equal(t, "2026-03-30T07:00:00Z", ag.Events[1].Start.UTC().Format(time.RFC3339))
	assert.Equal(t, "2026-03-30T10:00:00Z", ag.Events[1].End.UTC().Format(time.RFC3339))
	require.Len(t, ag.Free, 2)
	assert.Equal(t, 3*time.Hour, ag.Free[1].End.Sub(ag.Free[1].Start))
}
