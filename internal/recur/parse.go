package recur

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/crossagenda/crossagenda/internal/civil"
)

type freq uint8

const (
	yearly freq = iota
	monthly
	weekly
	daily
	hourly   // only with Spec.Times; compiled as DAILY dates with a grid of times
	minutely // likewise
)

var freqNames = [...]string{yearly: "YEARLY", monthly: "MONTHLY", weekly: "WEEKLY", daily: "DAILY", hourly: "HOURLY", minutely: "MINUTELY"}

func (f freq) String() string { return freqNames[f] }

// maxInterval bounds INTERVAL; larger values would put every occurrence but
// the first beyond the year 9999 anyway.
const maxInterval = 1_000_000

type untilKind uint8

const (
	untilNone     untilKind = iota
	untilDate               // UNTIL=20261231: inclusive of the whole day
	untilFloating           // UNTIL=20261231T090000: local wall time
	untilUTC                // UNTIL=20261231T090000Z: an instant
)

// weekdayNum is one BYDAY entry: a weekday and an ordinal (0 = every).
type weekdayNum struct {
	wd time.Weekday
	n  int
}

// parsed is an RRULE value after syntax and RFC 5545 consistency checks.
type parsed struct {
	freq       freq
	interval   int
	count      int // 0: no COUNT
	until      untilKind
	untilDate  civil.Date
	untilTime  civil.TimeOfDay
	wkst       time.Weekday
	byday      []weekdayNum
	bymonthday []int
	bymonth    []int
	byyearday  []int
	byweekno   []int
	bysetpos   []int
	byhour     []int
	byminute   []int
	bysecond   []int
}

var weekdayCodes = map[string]time.Weekday{
	"SU": time.Sunday, "MO": time.Monday, "TU": time.Tuesday, "WE": time.Wednesday,
	"TH": time.Thursday, "FR": time.Friday, "SA": time.Saturday,
}

// parseRule parses an RRULE value such as "FREQ=WEEKLY;BYDAY=MO,TU".
// Part names and values are case-insensitive (RFC 5545 §3.1). maxCount
// bounds COUNT.
func parseRule(src string, maxCount int, times bool) (*parsed, error) {
	fail := func(format string, args ...any) error {
		return &RuleError{Rule: src, Msg: fmt.Sprintf(format, args...)}
	}
	if len(src) >= 6 && strings.EqualFold(src[:6], "RRULE:") {
		return nil, fail("give the value without the \"RRULE:\" prefix")
	}
	p := &parsed{interval: 1, wkst: time.Monday}
	seen := map[string]bool{}
	for part := range strings.SplitSeq(src, ";") {
		if part == "" {
			return nil, fail("empty part (stray ';')")
		}
		name, value, ok := strings.Cut(part, "=")
		name = strings.ToUpper(name)
		value = strings.ToUpper(value)
		if !ok || name == "" {
			return nil, fail("part %q is not NAME=VALUE", part)
		}
		if seen[name] {
			return nil, fail("duplicate part %s", name)
		}
		seen[name] = true
		if value == "" {
			return nil, fail("%s has an empty value", name)
		}
		var err error
		switch name {
		case "FREQ":
			switch value {
			case "YEARLY":
				p.freq = yearly
			case "MONTHLY":
				p.freq = monthly
			case "WEEKLY":
				p.freq = weekly
			case "DAILY":
				p.freq = daily
			case "HOURLY", "MINUTELY":
				if !times {
					return nil, fail("FREQ=%s not supported: occurrences are whole days at the start time (want DAILY, WEEKLY, MONTHLY or YEARLY)", value)
				}
				p.freq = hourly
				if value == "MINUTELY" {
					p.freq = minutely
				}
			case "SECONDLY":
				return nil, fail("FREQ=%s not supported: occurrences are whole days at the start time (want DAILY, WEEKLY, MONTHLY or YEARLY)", value)
			default:
				return nil, fail("FREQ=%s: want DAILY, WEEKLY, MONTHLY or YEARLY", value)
			}
		case "INTERVAL":
			p.interval, err = parseInt(value, 1, maxInterval, false)
			if err != nil {
				return nil, fail("INTERVAL=%s: %v", value, err)
			}
		case "COUNT":
			p.count, err = parseInt(value, 1, maxCount, false)
			if errors.Is(err, errAboveRange) || errors.Is(err, errTooLarge) {
				// A well-formed COUNT past the caller's bound: a limit,
				// not a syntax error.
				return nil, &RuleError{Rule: src, Msg: fmt.Sprintf("COUNT=%s: %v (the limit is Spec.MaxCount)", value, err),
					Err: ErrCountLimit}
			}
			if err != nil {
				return nil, fail("COUNT=%s: %v", value, err)
			}
		case "UNTIL":
			if err := p.parseUntil(value); err != nil {
				return nil, fail("UNTIL=%s: %v", value, err)
			}
		case "WKST":
			wd, ok := weekdayCodes[value]
			if !ok {
				return nil, fail("WKST=%s: want MO, TU, WE, TH, FR, SA or SU", value)
			}
			p.wkst = wd
		case "BYDAY":
			for v := range strings.SplitSeq(value, ",") {
				wn, err := parseWeekdayNum(v)
				if err != nil {
					return nil, fail("BYDAY=%s: %v", v, err)
				}
				p.byday = append(p.byday, wn)
			}
		case "BYMONTHDAY":
			p.bymonthday, err = parseList(value, 1, 31, true)
			if err != nil {
				return nil, fail("BYMONTHDAY=%s: %v", value, err)
			}
		case "BYMONTH":
			p.bymonth, err = parseList(value, 1, 12, false)
			if err != nil {
				return nil, fail("BYMONTH=%s: %v", value, err)
			}
		case "BYYEARDAY":
			p.byyearday, err = parseList(value, 1, 366, true)
			if err != nil {
				return nil, fail("BYYEARDAY=%s: %v", value, err)
			}
		case "BYWEEKNO":
			p.byweekno, err = parseList(value, 1, 53, true)
			if err != nil {
				return nil, fail("BYWEEKNO=%s: %v", value, err)
			}
		case "BYSETPOS":
			p.bysetpos, err = parseList(value, 1, 366, true)
			if err != nil {
				return nil, fail("BYSETPOS=%s: %v", value, err)
			}
		case "BYHOUR", "BYMINUTE", "BYSECOND":
			if !times {
				return nil, fail("%s not supported: every occurrence is at the start time of its day", name)
			}
			hi := map[string]int{"BYHOUR": 23, "BYMINUTE": 59, "BYSECOND": 59}[name]
			list, err := parseList(value, 0, hi, false)
			if err != nil {
				return nil, fail("%s=%s: %v", name, value, err)
			}
			switch name {
			case "BYHOUR":
				p.byhour = list
			case "BYMINUTE":
				p.byminute = list
			default:
				for _, v := range list {
					if v != 0 {
						return nil, fail("BYSECOND=%s not supported: instances fall on whole minutes (want BYSECOND=0 or none)", value)
					}
				}
				p.bysecond = list
			}
		case "DTSTART":
			return nil, fail("DTSTART does not belong in the rule: it is Spec.First and Spec.Start")
		default:
			return nil, fail("unknown part %s", name)
		}
	}
	if !seen["FREQ"] {
		return nil, fail("missing FREQ")
	}
	// Consistency rules of RFC 5545 §3.3.10.
	switch {
	case p.count != 0 && p.until != untilNone:
		return nil, fail("COUNT and UNTIL together: a rule may have only one")
	case p.bymonthday != nil && p.freq == weekly:
		return nil, fail("BYMONTHDAY not allowed with FREQ=WEEKLY")
	case p.byyearday != nil && p.freq != yearly:
		return nil, fail("BYYEARDAY only allowed with FREQ=YEARLY")
	case p.byweekno != nil && p.freq != yearly:
		return nil, fail("BYWEEKNO only allowed with FREQ=YEARLY")
	case p.bysetpos != nil && p.byday == nil && p.bymonthday == nil && p.bymonth == nil &&
		p.byyearday == nil && p.byweekno == nil:
		return nil, fail("BYSETPOS needs another BYxxx part")
	case p.bysetpos != nil && p.freq >= hourly:
		return nil, fail("BYSETPOS with FREQ=%s not supported", p.freq)
	case p.bysetpos != nil && (p.byhour != nil || p.byminute != nil || p.bysecond != nil):
		// BYSETPOS would pick among the period's instances, dates × times.
		return nil, fail("BYSETPOS with BYHOUR, BYMINUTE or BYSECOND not supported: BYSETPOS picks among days here")
	}
	for _, wn := range p.byday {
		switch {
		case wn.n != 0 && p.freq != monthly && p.freq != yearly:
			return nil, fail("BYDAY with an ordinal (%+d%s) needs FREQ=MONTHLY or YEARLY", wn.n, weekdayCode(wn.wd))
		case wn.n != 0 && p.byweekno != nil:
			return nil, fail("BYDAY with an ordinal (%+d%s) not allowed with BYWEEKNO", wn.n, weekdayCode(wn.wd))
		}
	}
	return p, nil
}

func weekdayCode(wd time.Weekday) string {
	return [...]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}[wd]
}

func (p *parsed) parseUntil(v string) error {
	if len(v) != 8 && len(v) != 15 && len(v) != 16 {
		return fmt.Errorf("want YYYYMMDD, YYYYMMDDTHHMMSS or YYYYMMDDTHHMMSSZ")
	}
	d, err := civil.ParseDate(v[0:4] + "-" + v[4:6] + "-" + v[6:8])
	if err != nil {
		return fmt.Errorf("bad date: want YYYYMMDD, a day that exists")
	}
	p.untilDate, p.until = d, untilDate
	if len(v) == 8 {
		return nil
	}
	if v[8] != 'T' || (len(v) == 16 && v[15] != 'Z') {
		return fmt.Errorf("want YYYYMMDD, YYYYMMDDTHHMMSS or YYYYMMDDTHHMMSSZ")
	}
	t, err := civil.ParseTimeOfDay(v[9:11] + ":" + v[11:13] + ":" + v[13:15])
	if err != nil || t == civil.EndOfDay {
		return fmt.Errorf("bad time: want HHMMSS from 000000 to 235959")
	}
	p.untilTime, p.until = t, untilFloating
	if len(v) == 16 {
		p.until = untilUTC
	}
	return nil
}

// Errors of parseInt that say the integer is well formed but too large:
// errTooLarge has more digits than any bound, errAboveRange is past hi.
var (
	errTooLarge   = errors.New("too large")
	errAboveRange = errors.New("above the range")
)

// aboveRange is errAboveRange with the range wanted as its message.
type aboveRange string

func (e aboveRange) Error() string        { return string(e) }
func (e aboveRange) Is(target error) bool { return target == errAboveRange }

// parseInt parses an optionally signed decimal integer. Its magnitude must
// lie in [lo, hi]; negative values are accepted only when signed.
func parseInt(s string, lo, hi int, signed bool) (int, error) {
	neg := false
	digits := s
	if digits != "" && (digits[0] == '+' || digits[0] == '-') {
		neg = digits[0] == '-'
		digits = digits[1:]
	}
	if digits == "" {
		return 0, fmt.Errorf("want an integer")
	}
	n := 0
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("want an integer")
		}
		if i < 9 {
			n = n*10 + int(c-'0')
		}
	}
	want := fmt.Sprintf("%d..%d", lo, hi)
	if signed {
		want = fmt.Sprintf("%d..%d or -%d..-%d", lo, hi, hi, lo)
	}
	if len(digits) > 9 { // more digits than any bound here: too large to read
		return 0, fmt.Errorf("%w: want %s", errTooLarge, want)
	}
	if neg && !signed {
		return 0, fmt.Errorf("want %s", want)
	}
	if n > hi {
		return 0, aboveRange("want " + want)
	}
	if n < lo {
		return 0, fmt.Errorf("want %s", want)
	}
	if neg {
		n = -n
	}
	return n, nil
}

func parseList(s string, lo, hi int, signed bool) ([]int, error) {
	var out []int
	for v := range strings.SplitSeq(s, ",") {
		n, err := parseInt(v, lo, hi, signed)
		if err != nil {
			return nil, fmt.Errorf("value %q: %v", v, err)
		}
		out = append(out, n)
	}
	return out, nil
}

func parseWeekdayNum(s string) (weekdayNum, error) {
	if len(s) < 2 {
		return weekdayNum{}, fmt.Errorf("want [+|-][n]MO..SU")
	}
	wd, ok := weekdayCodes[s[len(s)-2:]]
	if !ok {
		return weekdayNum{}, fmt.Errorf("want [+|-][n]MO..SU")
	}
	if len(s) == 2 {
		return weekdayNum{wd: wd}, nil
	}
	n, err := parseInt(s[:len(s)-2], 1, 53, true)
	if err != nil {
		return weekdayNum{}, fmt.Errorf("ordinal: %v", err)
	}
	return weekdayNum{wd: wd, n: n}, nil
}
