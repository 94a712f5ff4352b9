package reference

import (
	"fmt"
	"time"
)

// day is a calendar date, represented as midnight UTC of that date so that
// day arithmetic (AddDate) never meets a DST change.
type day = time.Time

func parseDay(s string) (day, error) {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return day{}, fmt.Errorf("reference: date %q is not a valid YYYY-MM-DD date", s)
	}
	return d, nil
}

// parseClock reads "HH:MM" or "HH:MM:SS" as seconds since midnight.
// "24:00" and "24:00:00" (86400) are accepted only when allow24 is set.
func parseClock(s string, allow24 bool) (int, error) {
	bad := fmt.Errorf("reference: time of day %q is not HH:MM or HH:MM:SS", s)
	if len(s) != 5 && len(s) != 8 {
		return 0, bad
	}
	num := func(i int) (int, bool) {
		a, b := s[i], s[i+1]
		if a < '0' || a > '9' || b < '0' || b > '9' {
			return 0, false
		}
		return int(a-'0')*10 + int(b-'0'), true
	}
	h, ok1 := num(0)
	m, ok2 := num(3)
	sec, ok3 := 0, true
	if len(s) == 8 {
		if s[5] != ':' {
			return 0, bad
		}
		sec, ok3 = num(6)
	}
	if !ok1 || !ok2 || !ok3 || s[2] != ':' {
		return 0, bad
	}
	if h == 24 && m == 0 && sec == 0 {
		if !allow24 {
			return 0, fmt.Errorf("reference: time of day %q: 24:00 is only allowed as an end time", s)
		}
		return 86400, nil
	}
	if h > 23 || m > 59 || sec > 59 {
		return 0, bad
	}
	return h*3600 + m*60 + sec, nil
}

// offsetAt is the UTC offset, in seconds, in force in loc at unix second u.
func offsetAt(loc *time.Location, u int64) int64 {
	_, off := time.Unix(u, 0).In(loc).Zone()
	return int64(off)
}

// instant resolves the local wall time "d at secs seconds after midnight"
// (secs may be 86400, meaning the next day's midnight) in loc, following
// RFC 5545 §3.3.5: a time in a DST gap uses the offset in force before the
// gap; an ambiguous time is its earlier instant.
//
// time.Date's own choice is deliberately not used. The candidate offsets are
// those in force two days before and two days after the wall time, read as
// if it were UTC (this assumes at most one transition within those four
// days, true of every zone in use). A candidate o is valid when the instant
// wall - o really has offset o; no valid candidate means a gap, two mean an
// overlap.
func instant(loc *time.Location, d day, secs int) time.Time {
	wall := d.Unix() + int64(secs)
	const twoDays = 2 * 86400
	before := offsetAt(loc, wall-twoDays)
	after := offsetAt(loc, wall+twoDays)
	var best int64
	found := false
	for _, o := range []int64{before, after} {
		u := wall - o
		if offsetAt(loc, u) != o {
			continue
		}
		if !found || u < best {
			best, found = u, true
		}
	}
	if !found {
		best = wall - before
	}
	return time.Unix(best, 0).UTC()
}
