package reference

import (
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mustLoad loads an IANA zone or fails the test.
func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

func mustDay(t testing.TB, s string) day {
	t.Helper()
	d, err := parseDay(s)
	require.NoError(t, err)
	return d
}

// The expected instants below were worked out by hand from the 2026 rules:
// Paris switches 02:00 CET -> 03:00 CEST on 03-29 and 03:00 CEST -> 02:00
// CET on 10-25; New York 02:00 EST -> 03:00 EDT on 03-08 and 02:00 EDT ->
// 01:00 EST on 11-01; Lord Howe (30-minute DST) 02:00 +11 -> 01:30 +10:30
// on 04-05 and 02:00 +10:30 -> 02:30 +11 on 10-04.
func TestInstant(t *testing.T) {
	tests := []struct {
		name string
		zone string
		date string
		time string
		want string
	}{
		{"paris winter", "Europe/Paris", "2026-01-15", "09:00", "2026-01-15T08:00:00Z"},
		{"paris summer", "Europe/Paris", "2026-07-15", "09:00", "2026-07-15T07:00:00Z"},
		{"paris before gap", "Europe/Paris", "2026-03-29", "01:59:59", "2026-03-29T00:59:59Z"},
		{"paris gap start", "Europe/Paris", "2026-03-29", "02:00", "2026-03-29T01:00:00Z"},
		{"paris in gap", "Europe/Paris", "2026-03-29", "02:30", "2026-03-29T01:30:00Z"},
		{"paris after gap", "Europe/Paris", "2026-03-29", "03:00", "2026-03-29T01:00:00Z"},
		{"paris spring 09:00", "Europe/Paris", "2026-03-29", "09:00", "2026-03-29T07:00:00Z"},
		{"paris before overlap", "Europe/Paris", "2026-10-25", "01:59", "2026-10-24T23:59:00Z"},
		{"paris overlap start", "Europe/Paris", "2026-10-25", "02:00", "2026-10-25T00:00:00Z"},
		{"paris in overlap", "Europe/Paris", "2026-10-25", "02:30", "2026-10-25T00:30:00Z"},
		{"paris after overlap", "Europe/Paris", "2026-10-25", "03:00", "2026-10-25T02:00:00Z"},
		{"paris 24:00 before gap", "Europe/Paris", "2026-03-28", "24:00", "2026-03-28T23:00:00Z"},
		{"paris 24:00 on gap day", "Europe/Paris", "2026-03-29", "24:00", "2026-03-29T22:00:00Z"},
		{"new york in gap", "America/New_York", "2026-03-08", "02:30", "2026-03-08T07:30:00Z"},
		{"new york after gap", "America/New_York", "2026-03-08", "03:30", "2026-03-08T07:30:00Z"},
		{"new york in overlap", "America/New_York", "2026-11-01", "01:30", "2026-11-01T05:30:00Z"},
		{"new york after overlap", "America/New_York", "2026-11-01", "02:00", "2026-11-01T07:00:00Z"},
		{"lord howe standard", "Australia/Lord_Howe", "2026-07-01", "12:00", "2026-07-01T01:30:00Z"},
		{"lord howe in gap", "Australia/Lord_Howe", "2026-10-04", "02:15", "2026-10-03T15:45:00Z"},
		{"lord howe after gap", "Australia/Lord_Howe", "2026-10-04", "02:30", "2026-10-03T15:30:00Z"},
		{"lord howe in overlap", "Australia/Lord_Howe", "2026-04-05", "01:45", "2026-04-04T14:45:00Z"},
		{"lord howe after overlap", "Australia/Lord_Howe", "2026-04-05", "02:00", "2026-04-04T15:30:00Z"},
		{"utc", "UTC", "2026-03-29", "02:30", "2026-03-29T02:30:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			secs, err := parseClock(tt.time, true)
			require.NoError(t, err)
			got := instant(mustLoad(t, tt.zone), mustDay(t, tt.date), secs)
			assert.Equal(t, tt.want, got.Format(time.RFC3339))
		})
	}
}

func TestParseClock(t *testing.T) {
	tests := []struct {
		give    string
		allow24 bool
		want    int
		wantErr bool
	}{
		{give: "00:00", want: 0},
		{give: "09:30", want: 9*3600 + 30*60},
		{give: "17:00:01", want: 17*3600 + 1},
		{give: "23:59:59", want: 86399},
		{give: "24:00", allow24: true, want: 86400},
		{give: "24:00:00", allow24: true, want: 86400},
		{give: "24:00", wantErr: true},
		{give: "24:01", allow24: true, wantErr: true},
		{give: "25:00", wantErr: true},
		{give: "09:60", wantErr: true},
		{give: "9:30", wantErr: true},
		{give: "09-30", wantErr: true},
		{give: "09:30:5x", wantErr: true},
		{give: "", wantErr: true},
	}
	for _, tt := range tests {
		got, err := parseClock(tt.give, tt.allow24)
		if tt.wantErr {
			assert.Error(t, err, tt.give)
			continue
		}
		assert.NoError(t, err, tt.give)
		assert.Equal(t, tt.want, got, tt.give)
	}
}

func TestParseDayRejectsInvalidDates(t *testing.T) {
	for _, s := range []string{"2026-02-30", "2026-13-01", "26-01-01", "2026-1-5", ""} {
		_, err := parseDay(s)
		assert.Error(t, err, s)
	}
}

// TestInstantBruteForce checks instant on every quarter hour of the days
// around each transition of 2024..2028 in zones with unusual changes
// (30-minute, 2-hour, at midnight, around Ramadan) against a scan of
// instants: the valid readings of a wall time are the instants whose local
// time is that wall time (take the earliest); with none, the clock jumped
// over it, and the offset in force just before the jump applies. Every
// transition of these zones in those years falls on a quarter hour, so a
// 15-minute scan sees them all.
func TestInstantBruteForce(t *testing.T) {
	zones := []string{
		"Europe/Paris", "America/New_York", "Australia/Lord_Howe", "America/Santiago", "America/Havana",
		"Pacific/Chatham", "Antarctica/Troll", "Africa/Casablanca", "Asia/Gaza", "Africa/Cairo",
	}
	if testing.Short() {
		zones = zones[:4]
	}
	const quarter = 15 * 60
	brute := func(loc *time.Location, wall int64) int64 {
		var before int64 // the offset at the last instant whose local time is below wall
		for u := wall - 16*3600; u <= wall+16*3600; u += quarter {
			off := offsetAt(loc, u)
			switch local := u + off; {
			case local == wall:
				return u // the earliest reading
			case local < wall:
				before = off
			default:
				return wall - before // the clock jumped over wall
			}
		}
		t.Fatalf("no reading of %d found", wall)
		return 0
	}
	checked := 0
	for _, z := range zones {
		loc := mustLoad(t, z)
		for d := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2029; d = d.AddDate(0, 0, 1) {
			if offsetAt(loc, d.Unix()-86400) == offsetAt(loc, d.Unix()+2*86400) {
				continue // no transition near this day
			}
			for secs := 0; secs <= 86400; secs += quarter {
				got := instant(loc, d, secs)
				want := brute(loc, d.Unix()+int64(secs))
				if got.Unix() != want {
					t.Errorf("%s %s +%ds: got %s, want %s", z, d.Format(time.DateOnly), secs,
						got.Format(time.RFC3339), time.Unix(want, 0).UTC().Format(time.RFC3339))
				}
				checked++
			}
		}
	}
	require.Greater(t, checked, 1000, "transitions found")
}
