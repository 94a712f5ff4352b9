package ical

import (
	"fmt"
	"strings"
	"time"

	"github.com/crossagenda/crossagenda/internal/civil"
	"github.com/crossagenda/crossagenda/internal/tz"
)

// when is a DATE or DATE-TIME value: a civil date and time of day in a zone
// (UTC for "…Z", the calendar's zone for floating times and dates).
type when struct {
	date   civil.Date
	tod    civil.TimeOfDay
	zone   *tz.Zone
	isDate bool
}

// instant returns the Unix seconds of w: the start of its day for a date.
func (w when) instant() int64 { return w.zone.Instant(w.date, w.tod) }

// dur is an RFC 5545 duration: days (weeks are 7 days) are nominal, added
// to the local date; secs are exact.
type dur struct {
	days int
	secs int64
}

// longest bounds the exact length of d from any start: a nominal day is at
// most 24 hours plus the largest DST jump, counted here as 3 hours.
func (d dur) longest() int64 {
	if d.days == 0 {
		return d.secs
	}
	return int64(d.days)*86400 + 3*3600 + d.secs
}

// end returns the instant d after start, in zone z (nominal days added to
// start's local date and time).
func (d dur) end(start int64, z *tz.Zone) int64 {
	if d.days == 0 {
		return start + d.secs
	}
	day, tod := z.Local(start)
	return z.Instant(day.AddDays(d.days), tod) + d.secs
}

// parseDate reads YYYYMMDD.
func parseDate(s string) (civil.Date, error) {
	if len(s) != 8 {
		return 0, fmt.Errorf("%q is not a DATE (YYYYMMDD)", s)
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[4:6])
	d, ok3 := digits(s[6:8])
	if !ok1 || !ok2 || !ok3 || y < 1 || m < 1 || m > 12 || d < 1 || d > civil.DaysIn(y, time.Month(m)) {
		return 0, fmt.Errorf("%q is not a DATE (YYYYMMDD)", s)
	}
	return civil.DateOf(y, time.Month(m), d), nil
}

// parseWhen reads a DATE or DATE-TIME value. valueType is the VALUE
// parameter ("" when absent); floating is the zone of floating times and
// dates; tzid, when not nil, the zone of the TZID parameter.
func parseWhen(s, valueType string, tzid, floating *tz.Zone) (when, error) {
	switch strings.ToUpper(valueType) {
	case "DATE":
		d, err := parseDate(s)
		return when{date: d, zone: floating, isDate: true}, err
	case "", "DATE-TIME":
	default:
		return when{}, fmt.Errorf("VALUE=%s: want DATE or DATE-TIME", valueType)
	}
	if valueType == "" && len(s) == 8 {
		d, err := parseDate(s)
		return when{date: d, zone: floating, isDate: true}, err
	}
	bad := func() error { return fmt.Errorf("%q is not a DATE-TIME (YYYYMMDDTHHMMSS, with Z for UTC)", s) }
	utc := strings.HasSuffix(s, "Z")
	core := strings.TrimSuffix(s, "Z")
	if len(core) != 15 || core[8] != 'T' {
		return when{}, bad()
	}
	d, err := parseDate(core[:8])
	if err != nil {
		return when{}, bad()
	}
	h, ok1 := digits(core[9:11])
	m, ok2 := digits(core[11:13])
	sec, ok3 := digits(core[13:15])
	if !ok1 || !ok2 || !ok3 || h > 23 || m > 59 || sec > 60 {
		return when{}, bad()
	}
	sec = min(sec, 59) // a leap second is read as the second before it
	w := when{date: d, tod: civil.MakeTimeOfDay(h, m, sec), zone: floating}
	switch {
	case utc && tzid != nil:
		return when{}, fmt.Errorf("%q is in UTC but has a TZID parameter", s)
	case utc:
		w.zone = tz.UTC
	case tzid != nil:
		w.zone = tzid
	}
	return w, nil
}

// parseDuration reads an RFC 5545 DURATION value such as PT1H30M, P1D or
// -P1W. maxDays bounds its days, so that no arithmetic overflows.
func parseDuration(s string, maxDays int) (dur, error) {
	bad := &durationError{s}
	p := s
	neg := false
	switch {
	case strings.HasPrefix(p, "-"):
		neg, p = true, p[1:]
	case strings.HasPrefix(p, "+"):
		p = p[1:]
	}
	if !strings.HasPrefix(p, "P") || len(p) < 3 {
		return dur{}, bad
	}
	p = p[1:]
	var d dur
	inTime, any := false, false
	for p != "" {
		if p[0] == 'T' {
			if inTime {
				return dur{}, bad
			}
			inTime, p = true, p[1:]
			continue
		}
		i := 0
		for i < len(p) && p[i] >= '0' && p[i] <= '9' {
			i++
		}
		if i == 0 || i > 9 || i == len(p) {
			return dur{}, bad
		}
		n, _ := digits(p[:i])
		unit := p[i]
		p = p[i+1:]
		any = true
		switch {
		case unit == 'W' && !inTime:
			d.days += 7 * n
		case unit == 'D' && !inTime:
			d.days += n
		case unit == 'H' && inTime:
			d.secs += int64(n) * 3600
		case unit == 'M' && inTime:
			d.secs += int64(n) * 60
		case unit == 'S' && inTime:
			d.secs += int64(n)
		default:
			return dur{}, bad
		}
		if d.days > maxDays || d.secs > int64(maxDays)*86400 {
			return dur{}, fmt.Errorf("%q is longer than %d days", s, maxDays)
		}
	}
	if !any {
		return dur{}, bad
	}
	if neg {
		d.days, d.secs = -d.days, -d.secs
	}
	return d, nil
}

type durationError struct{ s string }

func (e *durationError) Error() string {
	return fmt.Sprintf("%q is not a DURATION (such as PT1H30M, P1D or P1W)", e.s)
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, s != ""
}
