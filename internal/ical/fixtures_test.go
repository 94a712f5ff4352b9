package ical

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/internal/tz"
)

// TestExporterFixtures reads calendars in the shapes Google Calendar,
// Outlook, Apple Calendar and Thunderbird export; the blocking instances
// each must give were worked out by hand (Paris is UTC+2 until the last
// Sunday of October and from the last Sunday of March, UTC+1 otherwise).
func TestExporterFixtures(t *testing.T) {
	tests := []struct {
		file     string
		from, to string // local dates in Paris
		want     []string
	}{
		{
			// Weekly Monday 10:00-11:00 from Oct 5; Oct 19 excluded; Oct 26
			// moved to Tuesday 27 14:00 (after the DST change of Oct 25);
			// Nov 2 cancelled; an all-day seminar Oct 21-22; a transparent
			// lunch that blocks nothing.
			file: "google.ics", from: "2026-10-05", to: "2026-11-10",
			want: []string{
				"2026-10-05T08:00:00Z/2026-10-05T09:00:00Z",
				"2026-10-12T08:00:00Z/2026-10-12T09:00:00Z",
				"2026-10-20T22:00:00Z/2026-10-22T22:00:00Z",
				"2026-10-27T13:00:00Z/2026-10-27T14:00:00Z",
				"2026-11-09T09:00:00Z/2026-11-09T10:00:00Z",
			},
		},
		{
			// "Romance Standard Time" is Paris. Three Thursdays at 09:00,
			// across the DST change of Mar 29; a FREE slot; an OOF morning.
			file: "outlook.ics", from: "2026-03-23", to: "2026-04-20",
			want: []string{
				"2026-03-26T08:00:00Z/2026-03-26T09:00:00Z",
				"2026-03-30T06:00:00Z/2026-03-30T10:00:00Z",
				"2026-04-02T07:00:00Z/2026-04-02T08:00:00Z",
				"2026-04-09T07:00:00Z/2026-04-09T08:00:00Z",
			},
		},
		{
			// First Tuesday of the month 09:30-10:30 until Sep 1, July
			// excluded, an extra instance on Jun 20; a yearly all-day
			// event since 1985 on June 11.
			file: "apple.ics", from: "2026-06-01", to: "2026-10-01",
			want: []string{
				"2026-06-02T07:30:00Z/2026-06-02T08:30:00Z",
				"2026-06-10T22:00:00Z/2026-06-11T22:00:00Z",
				"2026-06-20T07:30:00Z/2026-06-20T08:30:00Z",
				"2026-08-04T07:30:00Z/2026-08-04T08:30:00Z",
				"2026-09-01T07:30:00Z/2026-09-01T08:30:00Z",
			},
		},
		{
			// Daily 08:30-09:00 for ten days from Nov 16; from Nov 20 on
			// (RANGE=THISANDFUTURE) 09:00-10:00; a floating 14:00 for
			// 1h30; 16:00-16:30 on Nov 17 plus a 2-hour PERIOD on Nov 19.
			file: "thunderbird.ics", from: "2026-11-16", to: "2026-11-30",
			want: []string{
				"2026-11-16T07:30:00Z/2026-11-16T08:00:00Z",
				"2026-11-17T07:30:00Z/2026-11-17T08:00:00Z",
				"2026-11-17T15:00:00Z/2026-11-17T15:30:00Z",
				"2026-11-18T07:30:00Z/2026-11-18T08:00:00Z",
				"2026-11-18T13:00:00Z/2026-11-18T14:30:00Z",
				"2026-11-19T07:30:00Z/2026-11-19T08:00:00Z",
				"2026-11-19T15:00:00Z/2026-11-19T17:00:00Z",
				"2026-11-20T08:00:00Z/2026-11-20T09:00:00Z",
				"2026-11-21T08:00:00Z/2026-11-21T09:00:00Z",
				"2026-11-22T08:00:00Z/2026-11-22T09:00:00Z",
				"2026-11-23T08:00:00Z/2026-11-23T09:00:00Z",
				"2026-11-24T08:00:00Z/2026-11-24T09:00:00Z",
				"2026-11-25T08:00:00Z/2026-11-25T09:00:00Z",
			},
		},
	}
	paris, err := tz.Load("Europe/Paris")
	require.NoError(t, err)
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", "fixtures", tt.file))
			require.NoError(t, err)
			defer f.Close()
			cal, err := Parse(f, Options{Name: tt.file, Zone: paris})
			require.NoError(t, err)
			from, err := time.ParseInLocation(time.DateOnly, tt.from, paris.Location())
			require.NoError(t, err)
			to, err := time.ParseInLocation(time.DateOnly, tt.to, paris.Location())
			require.NoError(t, err)
			occ, err := cal.AppendBetween(nil, from.Unix(), to.Unix(), 0)
			require.NoError(t, err)
			var got []string
			for _, o := range occ {
				if o.Blocking {
					got = append(got, time.Unix(o.Start, 0).UTC().Format(time.RFC3339)+"/"+time.Unix(o.End, 0).UTC().Format(time.RFC3339))
				}
			}
			assert.Equal(t, tt.want, got)
		})
	}
}
