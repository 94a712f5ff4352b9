package reference

import (
	"testing"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/stretchr/testify/require"
)

// parisDataset is one Paris organisation "org" with agent "ag", place "pl"
// and a 30-minute service "s30"; tests add what they need.
func parisDataset() *agenda.Dataset {
	return &agenda.Dataset{
		TimeZone:      "Europe/Paris",
		Organisations: []agenda.Organisation{{ID: "org"}},
		Agents:        []agenda.Agent{{ID: "ag", OrganisationIDs: []string{"org"}}},
		Places:        []agenda.Place{{ID: "pl", OrganisationID: "org"}},
		Services:      []agenda.Service{{ID: "s30", OrganisationID: "org", DurationMinutes: 30}},
	}
}

// openingOn is a one-off opening of agent "ag" at "pl" for the services.
func openingOn(id, date, start, end string, services ...string) agenda.OpeningPeriod {
	return agenda.OpeningPeriod{
		ID: id, AgentID: "ag", OrganisationID: "org", PlaceID: "pl", ServiceIDs: services,
		FirstDay: date, StartTime: start, EndTime: end,
	}
}

func mustNew(t testing.TB, ds *agenda.Dataset) *Reference {
	t.Helper()
	r, err := New(ds)
	require.NoError(t, err)
	return r
}

// at parses an RFC 3339 time written in a test.
func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	require.NoError(t, err)
	return v
}

// utc formats instants as RFC 3339 UTC strings for comparison with
// hand-computed values.
func utc(ts ...time.Time) []string {
	out := make([]string, len(ts))
	for i, v := range ts {
		out[i] = v.UTC().Format(time.RFC3339)
	}
	return out
}

func slotStarts(slots []Slot) []string {
	var ts []time.Time
	for _, s := range slots {
		ts = append(ts, s.Start)
	}
	return utc(ts...)
}

func spanStrings(spans []Span) []string {
	var out []string
	for _, s := range spans {
		out = append(out, s.Start.UTC().Format(time.RFC3339)+"/"+s.End.UTC().Format(time.RFC3339))
	}
	return out
}

// parisClock formats slot starts as Paris wall-clock "15:04" (Go's
// instant-to-local conversion is unambiguous, unlike local-to-instant).
func parisClock(t testing.TB, slots []Slot) []string {
	loc := mustLoad(t, "Europe/Paris")
	var out []string
	for _, s := range slots {
		out = append(out, s.Start.In(loc).Format("Mon 15:04"))
	}
	return out
}
