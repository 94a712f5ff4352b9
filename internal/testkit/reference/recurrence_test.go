package reference

import (
	"testing"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRecurrenceDays(t *testing.T) {
	tests := []struct {
		name        string
		first, rule string
		until       string
		lo, hi      string
		want        []string
		exdates     []string
	}{
		{"one-off", "2026-06-15", "", "", "2026-06-01", "2026-06-30", []string{"2026-06-15"}, nil},
		{"one-off outside", "2026-06-15", "", "", "2026-06-16", "2026-06-30", nil, nil},
		{"one-off after until", "2026-06-15", "", "2026-06-14", "2026-06-01", "2026-06-30", nil, nil},
		{"first day not matching the rule", "2026-06-02", "FREQ=WEEKLY;BYDAY=MO", "", "2026-06-01", "2026-06-16",
			[]string{"2026-06-08", "2026-06-15"}, nil},
		{"every other week", "2026-06-01", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH", "", "2026-06-01", "2026-06-30",
			[]string{"2026-06-01", "2026-06-04", "2026-06-15", "2026-06-18", "2026-06-29"}, nil},
		{"31st skips short months", "2026-01-31", "FREQ=MONTHLY", "", "2026-01-01", "2026-12-31",
			[]string{"2026-01-31", "2026-03-31", "2026-05-31", "2026-07-31", "2026-08-31", "2026-10-31", "2026-12-31"}, nil},
		{"29 February", "2024-02-29", "FREQ=YEARLY", "", "2024-01-01", "2032-12-31",
			[]string{"2024-02-29", "2028-02-29", "2032-02-29"}, nil},
		{"last Friday", "2026-01-01", "FREQ=MONTHLY;BYDAY=-1FR", "", "2026-01-01", "2026-03-31",
			[]string{"2026-01-30", "2026-02-27", "2026-03-27"}, nil},
		{"count from the first day, not the range", "2026-06-01", "FREQ=DAILY;COUNT=10", "", "2026-06-08", "2026-06-30",
			[]string{"2026-06-08", "2026-06-09", "2026-06-10"}, nil},
		{"until inclusive", "2026-06-01", "FREQ=DAILY", "2026-06-03", "2026-05-01", "2026-06-30",
			[]string{"2026-06-01", "2026-06-02", "2026-06-03"}, nil},
		{"range bounds inclusive", "2026-06-01", "FREQ=DAILY", "", "2026-06-10", "2026-06-11",
			[]string{"2026-06-10", "2026-06-11"}, nil},
		{"old rule", "1990-01-01", "FREQ=WEEKLY;BYDAY=MO", "", "2026-06-01", "2026-06-14",
			[]string{"2026-06-01", "2026-06-08"}, nil},
		{"exdate on and off an occurrence", "2026-06-01", "FREQ=WEEKLY;BYDAY=MO", "", "2026-06-01", "2026-06-30",
			[]string{"2026-06-01", "2026-06-15", "2026-06-29"}, []string{"2026-06-08", "2026-06-22", "2026-06-23"}},
		{"count counts an excluded date", "2026-06-01", "FREQ=DAILY;COUNT=3", "", "2026-06-01", "2026-06-30",
			[]string{"2026-06-01", "2026-06-03"}, []string{"2026-06-02"}},
		{"one-off excluded", "2026-06-15", "", "", "2026-06-01", "2026-06-30", nil, []string{"2026-06-15"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, err := parseRecurrence(tt.first, tt.rule, tt.until, tt.exdates)
			require.NoError(t, err)
			var got []string
			for _, d := range rec.days(mustDay(t, tt.lo), mustDay(t, tt.hi)) {
				got = append(got, d.Format(time.DateOnly))
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

// Closed days apply in each organisation's own zone, and only to that
// organisation's openings.
func TestClosedDaysInEachOrganisationsZone(t *testing.T) {
	ds := parisDataset()
	ds.Organisations = append(ds.Organisations, agenda.Organisation{ID: "ny", TimeZone: "America/New_York"})
	ds.Agents[0].OrganisationIDs = []string{"org", "ny"}
	evening := openingOn("ny-evening", "2026-06-15", "20:00", "23:00", "s30") // 06-16T00:00Z-03:00Z
	evening.OrganisationID = "ny"
	ds.OpeningPeriods = []agenda.OpeningPeriod{evening}
	ds.ClosedDays = []agenda.ClosedDay{{Date: "2026-06-16"}}
	got, err := mustNew(t, ds).Agenda("ag", at(t, "2026-06-15T00:00:00Z"), at(t, "2026-06-18T00:00:00Z"))
	require.NoError(t, err)
	assert.Equal(t, []string{
		"closed 2026-06-16 org  2026-06-15T22:00:00Z/2026-06-16T22:00:00Z",
		"opening ny-evening ny pl 2026-06-16T00:00:00Z/2026-06-16T03:00:00Z",
		"closed 2026-06-16 ny  2026-06-16T04:00:00Z/2026-06-17T04:00:00Z",
	}, eventStrings(got.Events))
	assert.Equal(t, []string{"2026-06-16T00:00:00Z/2026-06-16T03:00:00Z"}, spanStrings(got.Free),
		"the Paris closed day does not close the New York opening")
}
