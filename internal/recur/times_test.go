package recur

import (
	"fmt"
	"strings"
	"testing"

	"github.com/crossagenda/crossagenda/internal/civil"
	"github.com/crossagenda/crossagenda/internal/tz"
)

// TestTimesOn holds Spec.Times on hand-worked rules: the times of each
// occurrence date, DTSTART's date losing those before DTSTART, and COUNT or
// UNTIL cutting the last date.
func TestTimesOn(t *testing.T) {
	paris, err := tz.Load("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	d := func(s string) civil.Date { v, _ := civil.ParseDate(s); return v }
	hm := func(h, m int) civil.TimeOfDay { return civil.TimeOfDay(h*3600 + m*60) }
	tests := []struct {
		rule  string
		start civil.TimeOfDay
		zone  *tz.Zone
		want  string // date: times; ... over 2026-06-01 to 2026-06-30
	}{
		// 10:00 start: the 1st keeps 14:00; COUNT=4 then takes the 2nd's
		// 09:00 and 14:00, and the 3rd's 09:00.
		{"FREQ=DAILY;BYHOUR=14,9;COUNT=4", hm(10, 0), nil,
			"2026-06-01 [14:00] 2026-06-02 [09:00 14:00] 2026-06-03 [09:00]"},
		// BYMINUTE alone keeps DTSTART's hour; a floating UNTIL at 08:20 on
		// the 3rd keeps its 08:00 and 08:15.
		{"FREQ=DAILY;INTERVAL=2;BYMINUTE=45,0,15;UNTIL=20260603T082000", hm(8, 0), nil,
			"2026-06-01 [08:00 08:15 08:45] 2026-06-03 [08:00 08:15]"},
		// UNTIL 06:30Z is 08:30 in Paris (UTC+2): the 3rd keeps 08:00.
		{"FREQ=DAILY;BYMINUTE=0,45;UNTIL=20260603T063000Z", hm(8, 0), paris,
			"2026-06-01 [08:00 08:45] 2026-06-02 [08:00 08:45] 2026-06-03 [08:00]"},
		// UNTIL before the first time of the 3rd: the 2nd is the last date.
		{"FREQ=DAILY;BYHOUR=9,12;UNTIL=20260603T080000", hm(9, 0), nil,
			"2026-06-01 [09:00 12:00] 2026-06-02 [09:00 12:00]"},
		// No time left on DTSTART's date: the rule starts the next day.
		{"FREQ=DAILY;BYHOUR=9;BYSECOND=0;COUNT=2", hm(9, 0) + 1, nil,
			"2026-06-02 [09:00] 2026-06-03 [09:00]"},
		// UNTIL on DTSTART's date before DTSTART: no occurrence at all.
		{"FREQ=DAILY;BYHOUR=9,10;UNTIL=20260601T093000", hm(10, 0) + 1, nil, ""},
		// Every 10 hours from 20:15: 1st 20:15, 2nd 06:15 16:15, 3rd
		// 02:15 12:15 22:15, 4th 08:15 (COUNT=7).
		{"FREQ=HOURLY;INTERVAL=10;COUNT=7", hm(20, 15), nil,
			"2026-06-01 [20:15] 2026-06-02 [06:15 16:15] 2026-06-03 [02:15 12:15 22:15] 2026-06-04 [08:15]"},
		// Hourly, BYMINUTE expanding each hour, BYHOUR filtering, UNTIL
		// 10:00 on the 2nd (inclusive).
		{"FREQ=HOURLY;BYHOUR=9,10;BYMINUTE=0,40;UNTIL=20260602T100000", hm(9, 0), nil,
			"2026-06-01 [09:00 09:40 10:00 10:40] 2026-06-02 [09:00 09:40 10:00]"},
		// Every 25 minutes from 00:05, on the minutes 5 or 55 of hour 12
		// only: a day is 1440 ≡ 15 (mod 25) minutes, so the grid is on
		// minutes ≡ 5, then 15, then 0 (mod 25) of the 1st, 2nd and 3rd:
		// 12:10 12:35, 12:20 12:45, then 12:05 12:30 12:55. The 1st has no
		// instance, so the dates start on the 2nd.
		{"FREQ=MINUTELY;INTERVAL=25;BYHOUR=12;BYMINUTE=5,55;COUNT=2", hm(0, 5), nil,
			"2026-06-02 [] 2026-06-03 [12:05 12:55]"},
		// Every 48 hours on Mondays and Wednesdays: dates of the daily
		// candidates without an instance are listed with no times.
		{"FREQ=HOURLY;INTERVAL=48;BYDAY=MO,WE;COUNT=3", hm(8, 0), nil,
			"2026-06-01 [08:00] 2026-06-03 [08:00] 2026-06-08 [] 2026-06-10 [] 2026-06-15 [08:00]"},
	}
	for _, tt := range tests {
		r, err := Compile(Spec{RRule: tt.rule, First: d("2026-06-01"), Start: tt.start, Zone: tt.zone, Times: true})
		if err != nil {
			t.Fatalf("%s: %v", tt.rule, err)
		}
		dates, err := r.AppendBetween(nil, d("2026-06-01"), d("2026-06-30"), 0)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, dd := range dates {
			var ts []string
			for _, x := range r.AppendTimes(nil, dd) {
				ts = append(ts, x.String())
			}
			got = append(got, fmt.Sprintf("%s [%s]", dd, strings.Join(ts, " ")))
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("%s from %s:\n got %s\nwant %s", tt.rule, tt.start, g, tt.want)
		}
	}
}

// TestTimesRefused: without Spec.Times the time parts stay refused (opening
// periods keep one start a day); with it, BYSECOND other than 0 and
// BYSETPOS with a time part are refused.
func TestTimesRefused(t *testing.T) {
	tests := []struct {
		rule  string
		times bool
		want  string
	}{
		{"FREQ=DAILY;BYHOUR=9", false, "BYHOUR not supported"},
		{"FREQ=DAILY;BYHOUR=24", true, `BYHOUR=24: value "24": want 0..23`},
		{"FREQ=DAILY;BYMINUTE=60", true, "BYMINUTE=60"},
		{"FREQ=DAILY;BYSECOND=0,30", true, "BYSECOND=0,30 not supported"},
		{"FREQ=DAILY;BYHOUR=-1", true, "BYHOUR=-1"},
		{"FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1;BYHOUR=9", true, "BYSETPOS with BYHOUR, BYMINUTE or BYSECOND not supported"},
		{"FREQ=HOURLY", false, "FREQ=HOURLY not supported"},
		{"FREQ=SECONDLY", true, "FREQ=SECONDLY not supported"},
		{"FREQ=HOURLY;BYDAY=MO;BYSETPOS=1", true, "BYSETPOS with FREQ=HOURLY not supported"},
		// An instance every 114 years: three in 274, the ten needed lie
		// past the walk.
		{"FREQ=HOURLY;INTERVAL=1000000;COUNT=10", true, "COUNT=10: 3 instances in the first 100000 days"},
	}
	for _, tt := range tests {
		_, err := Compile(Spec{RRule: tt.rule, First: 20000, Times: tt.times})
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.rule) {
			t.Errorf("%s: got %v, want %q", tt.rule, err, tt.want)
		}
	}
}
