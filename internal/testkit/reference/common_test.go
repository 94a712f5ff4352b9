package reference

import (
	"testing"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// threeAgents, on Monday 2026-06-15 in Paris (local times):
//
//	A open 09-12 and 14-18                 free 09-12, 14-18
//	B open 10-16                           free 10-16
//	C open 11-13 and 15-19, busy 15:30-16  free 11-13, 15-15:30, 16-19
//
// so the number of free agents is 1 on 09-10, 2 on 10-11, 3 on 11-12,
// 2 on 12-13, 1 on 13-14, 2 on 14-15, 3 on 15-15:30, 2 on 15:30-18, 1 on 18-19.
func threeAgents(t *testing.T) *Reference {
	ds := parisDataset()
	ds.Agents = []agenda.Agent{
		{ID: "A", OrganisationIDs: []string{"org"}},
		{ID: "B", OrganisationIDs: []string{"org"}},
		{ID: "C", OrganisationIDs: []string{"org"}},
	}
	open := func(id, agent, start, end string) agenda.OpeningPeriod {
		o := openingOn(id, "2026-06-15", start, end, "s30")
		o.AgentID = agent
		return o
	}
	ds.OpeningPeriods = []agenda.OpeningPeriod{
		open("a1", "A", "09:00", "12:00"), open("a2", "A", "14:00", "18:00"),
		open("b1", "B", "10:00", "16:00"),
		open("c1", "C", "11:00", "13:00"), open("c2", "C", "15:00", "19:00"),
	}
	ds.Appointments = []agenda.Appointment{{
		ID: "rdv", OrganisationID: "org", AgentIDs: []string{"C"},
		Start: at(t, "2026-06-15T15:30:00+02:00"), End: at(t, "2026-06-15T16:00:00+02:00"),
	}}
	return mustNew(t, ds)
}

func TestCommonQuorum(t *testing.T) {
	r := threeAgents(t)
	day := func(s string) time.Time { return at(t, "2026-06-15T"+s+":00+02:00") }
	tests := []struct {
		name     string
		from, to string
		quorum   int
		minLen   time.Duration
		want     []string
	}{
		{"all (quorum 0)", "00:00", "23:59", 0, 0, []string{
			"2026-06-15T09:00:00Z/2026-06-15T10:00:00Z", "2026-06-15T13:00:00Z/2026-06-15T13:30:00Z"}},
		{"all (quorum 3)", "00:00", "23:59", 3, 0, []string{
			"2026-06-15T09:00:00Z/2026-06-15T10:00:00Z", "2026-06-15T13:00:00Z/2026-06-15T13:30:00Z"}},
		{"two of three", "00:00", "23:59", 2, 0, []string{
			"2026-06-15T08:00:00Z/2026-06-15T11:00:00Z", "2026-06-15T12:00:00Z/2026-06-15T16:00:00Z"}},
		{"any", "00:00", "23:59", 1, 0, []string{"2026-06-15T07:00:00Z/2026-06-15T17:00:00Z"}},
		{"min length drops the short one", "00:00", "23:59", 3, 45 * time.Minute, []string{
			"2026-06-15T09:00:00Z/2026-06-15T10:00:00Z"}},
		{"clipped before the length test", "11:30", "15:20", 3, 30 * time.Minute, []string{
			"2026-06-15T09:30:00Z/2026-06-15T10:00:00Z"}},
		{"clipped, none long enough", "11:30", "15:20", 3, 31 * time.Minute, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.Common([]string{"C", "A", "B"}, day(tt.from), day(tt.to), tt.quorum, tt.minLen)
			require.NoError(t, err)
			assert.Equal(t, tt.want, spanStrings(got))
		})
	}
}

func TestCommonErrors(t *testing.T) {
	r := threeAgents(t)
	from, to := at(t, "2026-06-15T00:00:00Z"), at(t, "2026-06-16T00:00:00Z")
	tests := []struct {
		name   string
		agents []string
		quorum int
		minLen time.Duration
		want   error
	}{
		{"no agents", nil, 0, 0, agenda.ErrInvalidQuery},
		{"quorum above N", []string{"A", "B"}, 3, 0, agenda.ErrInvalidQuery},
		{"negative quorum", []string{"A", "B"}, -1, 0, agenda.ErrInvalidQuery},
		{"negative length", []string{"A"}, 1, -time.Minute, agenda.ErrInvalidQuery},
		{"duplicate agent", []string{"A", "A"}, 1, 0, agenda.ErrInvalidQuery},
		{"unknown agent", []string{"A", "Z"}, 1, 0, agenda.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.Common(tt.agents, from, to, tt.quorum, tt.minLen)
			assert.ErrorIs(t, err, tt.want)
		})
	}
}
