package ical

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestSeveralTimesADay holds BYHOUR and BYMINUTE on hand-worked cases:
// each occurrence date × each listed time, COUNT and UNTIL over those
// instances, EXDATE and RECURRENCE-ID naming one of them, across both DST
// changes of Paris (UTC+1 to UTC+2 on 2026-03-29 at 02:00, back on
// 2026-10-25 at 03:00).
func TestSeveralTimesADay(t *testing.T) {
	tests := []struct {
		name     string
		ev       []string
		from, to string // UTC
		want     []string
	}{
		{
			// 27 09:00 14:00, 28 09:00 (14:00 excluded but counted),
			// 29 09:00 (UTC+2 from that day): five instances.
			name: "COUNT across the spring change",
			ev: []string{"DTSTART;TZID=Europe/Paris:20260327T090000", "DURATION:PT30M",
				"RRULE:FREQ=DAILY;BYHOUR=9,14;COUNT=5", "EXDATE;TZID=Europe/Paris:20260328T140000"},
			from: "2026-03-20T00:00:00Z", to: "2026-04-10T00:00:00Z",
			want: []string{"2026-03-27T08:00:00Z", "2026-03-27T13:00:00Z", "2026-03-28T08:00:00Z", "2026-03-29T07:00:00Z"},
		},
		{
			// DTSTART 10:00 is no rule instance but an instance all the
			// same; the rule skips 09:00 on its first day, then counts
			// 24 14:00, 25 09:00 and 14:00 (UTC+1 from the 25th).
			name: "DTSTART off the times, across the autumn change",
			ev: []string{"DTSTART;TZID=Europe/Paris:20261024T100000", "DURATION:PT30M",
				"RRULE:FREQ=DAILY;BYHOUR=9,14;COUNT=3"},
			from: "2026-10-20T00:00:00Z", to: "2026-11-01T00:00:00Z",
			want: []string{"2026-10-24T08:00:00Z", "2026-10-24T12:00:00Z", "2026-10-25T08:00:00Z", "2026-10-25T13:00:00Z"},
		},
		{
			// Monday 1 and Wednesday 3 June, six times a day; UNTIL keeps
			// Wednesday's times up to 12:00 inclusive.
			name: "UNTIL within the last day",
			ev: []string{"DTSTART:20260601T080000Z", "DURATION:PT15M",
				"RRULE:FREQ=WEEKLY;BYDAY=MO,WE;BYHOUR=17,8,12;BYMINUTE=30,0;UNTIL=20260603T120000Z"},
			from: "2026-05-01T00:00:00Z", to: "2026-07-01T00:00:00Z",
			want: []string{"2026-06-01T08:00:00Z", "2026-06-01T08:30:00Z", "2026-06-01T12:00:00Z", "2026-06-01T12:30:00Z",
				"2026-06-01T17:00:00Z", "2026-06-01T17:30:00Z", "2026-06-03T08:00:00Z", "2026-06-03T08:30:00Z", "2026-06-03T12:00:00Z"},
		},
		{
			// BYMINUTE alone keeps DTSTART's hour; the 09:45 instance of
			// the first day is moved to 16:00.
			name: "override of one instance of a day",
			ev:   []string{"DTSTART:20260601T090000Z", "DURATION:PT30M", "RRULE:FREQ=DAILY;BYMINUTE=0,45;COUNT=4"},
			from: "2026-05-01T00:00:00Z", to: "2026-07-01T00:00:00Z",
			want: []string{"2026-06-01T09:00:00Z", "2026-06-01T16:00:00Z", "2026-06-02T09:00:00Z", "2026-06-02T09:45:00Z"},
		},
		{
			// The last Friday of each month at 10:00 and 15:00, from
			// January 2026; a window in May 2031 starts at its 10:00.
			name: "monthly, years later",
			ev: []string{"DTSTART;TZID=Europe/Paris:20260130T100000", "DURATION:PT1H",
				"RRULE:FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=10,15"},
			from: "2031-05-30T07:59:00Z", to: "2031-07-01T00:00:00Z",
			want: []string{"2031-05-30T08:00:00Z", "2031-05-30T13:00:00Z", "2031-06-27T08:00:00Z", "2031-06-27T13:00:00Z"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs := []string{event(append([]string{"UID:u"}, tt.ev...)...)}
			if strings.HasPrefix(tt.name, "override") {
				evs = append(evs, event("UID:u", "RECURRENCE-ID:20260601T094500Z", "DTSTART:20260601T160000Z", "DURATION:PT30M"))
			}
			c, err := Parse(strings.NewReader(cal(evs...)), Options{Name: "c"})
			require.NoError(t, err)
			from, _ := time.Parse(time.RFC3339, tt.from)
			to, _ := time.Parse(time.RFC3339, tt.to)
			got, err := c.AppendBetween(nil, from.Unix(), to.Unix(), 0)
			require.NoError(t, err)
			var starts []string
			for _, o := range got {
				starts = append(starts, time.Unix(o.Start, 0).UTC().Format(time.RFC3339))
			}
			require.Equal(t, tt.want, starts)
		})
	}
}

// TestHourlyAcrossDST holds FREQ=HOURLY and MINUTELY on Paris's DST days,
// worked by hand. The grid steps on the wall clock, as python-dateutil
// does: DTSTART + k·INTERVAL hours of local time. A wall time in the spring
// gap is read with the offset before it (RFC 5545 §3.3.5), so 02:00 is
// 01:00Z, which 03:00 names too: the instant is listed once (COUNT counted
// both). In the autumn the repeated 02:00 is its first instant, 00:00Z
// (recurring_ical_events says 01:00Z, the second), and 01:00Z is no
// instance.
func TestHourlyAcrossDST(t *testing.T) {
	tests := []struct {
		name, start, rule string
		want              []string // UTC hh:mm of the instances, from DTSTART on
	}{
		{"spring HOURLY", "20260328T220000", "FREQ=HOURLY;COUNT=8",
			[]string{"21:00", "22:00", "23:00", "00:00", "01:00", "02:00", "03:00"}},
		{"autumn HOURLY", "20261024T220000", "FREQ=HOURLY;COUNT=8",
			[]string{"20:00", "21:00", "22:00", "23:00", "00:00", "02:00", "03:00", "04:00"}},
		// 01:30 (00:30Z), 02:00 and 02:30 in the gap (01:00Z, 01:30Z),
		// then 03:00 and 03:30 name those again, 04:00 is 02:00Z.
		{"spring MINUTELY", "20260329T013000", "FREQ=MINUTELY;INTERVAL=30;COUNT=6",
			[]string{"00:30", "01:00", "01:30", "02:00"}},
		// INTERVAL=5 hours from 23:00 on the 24th: 04:00 on the 25th is
		// 03:00Z, 09:00 is 08:00Z; BYHOUR keeps 04:00 and 14:00 only.
		{"autumn HOURLY with BYHOUR", "20261024T230000", "FREQ=HOURLY;INTERVAL=5;BYHOUR=4,14;COUNT=2",
			[]string{"21:00", "03:00", "13:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse(strings.NewReader(cal(event("UID:h", "DTSTART;TZID=Europe/Paris:"+tt.start, "DURATION:PT10M", "RRULE:"+tt.rule))), Options{Name: "c"})
			require.NoError(t, err)
			from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
			got, err := c.AppendBetween(nil, from.Unix(), from.AddDate(0, 9, 0).Unix(), 0)
			require.NoError(t, err)
			var hm []string
			for _, o := range got {
				hm = append(hm, time.Unix(o.Start, 0).UTC().Format("15:04"))
			}
			require.Equal(t, tt.want, hm)
		})
	}
}
