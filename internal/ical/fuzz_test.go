package ical

import (
	"bytes"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/crossagenda/crossagenda/internal/tz"
)

// FuzzParse feeds arbitrary text to Parse: it must return a calendar or an
// *Error, never panic; and a calendar's expansion must hold together: every
// instance overlaps the window, starts before it ends, comes sorted, and
// the instances of [a, c) are those of [a, b) and [b, c) together. The
// seeds in testdata/fuzz/FuzzParse are the exporter fixtures and
// malformed variants of them.
func FuzzParse(f *testing.F) {
	f.Add([]byte(cal(event("UID:u", "DTSTART:20260105T090000Z", "DURATION:PT1H", "RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=20",
		"EXDATE:20260107T090000Z", "RDATE;VALUE=PERIOD:20260110T120000Z/PT30M"),
		event("UID:u", "RECURRENCE-ID;RANGE=THISANDFUTURE:20260119T090000Z", "DTSTART:20260119T100000Z", "DTEND:20260119T120000Z"))))
	f.Add([]byte(cal(event("UID:h", "DTSTART;TZID=Europe/Paris:20260327T100000", "DURATION:PT30M",
		"RRULE:FREQ=DAILY;BYHOUR=9,14,2;BYMINUTE=0,30;COUNT=40", "EXDATE;TZID=Europe/Paris:20260329T023000"),
		event("UID:h", "RECURRENCE-ID;TZID=Europe/Paris:20260328T140000", "DTSTART:20260328T150000Z", "DURATION:PT1H"))))
	f.Add([]byte(cal(event("UID:g", "DTSTART;TZID=Europe/Paris:20260328T220000", "DURATION:PT10M", "RRULE:FREQ=HOURLY;INTERVAL=1;COUNT=30"),
		event("UID:m", "DTSTART;TZID=Europe/Paris:20261024T013000", "DURATION:PT10M", "RRULE:FREQ=MINUTELY;INTERVAL=30;BYHOUR=1,2,3;UNTIL=20261026T000000Z"))))
	f.Add([]byte(cal(event("UID:w", "DTSTART:20251231T230000Z", "DURATION:PT2H", "RRULE:FREQ=WEEKLY;BYDAY=MO,WE;BYHOUR=23,0;UNTIL=20260114T000000Z"))))
	paris, err := tz.Load("Europe/Paris")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(bytes.NewReader(data), Options{Name: "fuzz", Zone: paris, MaxBytes: 1 << 16, MaxEvents: 200, MaxDates: 200, MaxCount: 500})
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
		a, b, cc := base-40*86400, base+17*86400+3600, base+80*86400
		whole, err1 := c.AppendBetween(nil, a, cc, 50_000)
		left, err2 := c.AppendBetween(nil, a, b, 50_000)
		right, err3 := c.AppendBetween(nil, b, cc, 50_000)
		if err1 != nil || err2 != nil || err3 != nil {
			return // a window past the limit is refused, which is fine
		}
		key := func(o Occurrence) string {
			return fmt.Sprintf("%s %d %d %d %v", o.UID, o.Start, o.End, o.Original, o.Blocking)
		}
		check := func(occ []Occurrence, from, to int64) []string {
			var keys []string
			for i, o := range occ {
				if o.Start >= o.End || o.Start >= to || o.End <= from {
					t.Fatalf("instance %+v outside [%d, %d) or empty", o, from, to)
				}
				if i > 0 && occ[i-1].Start > o.Start {
					t.Fatalf("instances out of order: %+v before %+v", occ[i-1], o)
				}
				keys = append(keys, key(o))
			}
			return keys
		}
		w := check(whole, a, cc)
		u := append(check(left, a, b), check(right, b, cc)...)
		slices.Sort(w)
		slices.Sort(u)
		u = slices.Compact(u) // an instance across b is in both halves
		w2 := slices.Compact(slices.Clone(w))
		if !slices.Equal(w2, u) {
			t.Fatalf("[a, c) gives %v\n[a, b) and [b, c) give %v", w, u)
		}
	})
}
