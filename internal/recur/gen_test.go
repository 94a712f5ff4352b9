package recur

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/teambition/rrule-go"

	"github.com/crossagenda/crossagenda/internal/civil"
)

// genRule is a randomly generated rule, kept as fields so the same rule can
// be written for this package, for rrule-go and for dateutil.
type genRule struct {
	freq       freq
	interval   int // 0: omitted
	wkst       string
	byday      []weekdayNum
	bymonthday []int
	bymonth    []int
	byyearday  []int
	byweekno   []int
	bysetpos   []int
	count      int
	until      untilKind
	untilDate  civil.Date
	untilTime  civil.TimeOfDay

	first    civil.Date
	start    civil.TimeOfDay
	hasUntil bool // Spec.Until
	specEnd  civil.Date
}

// text writes the rule. forReference writes it for dateutil and rrule-go
// with this package's meaning: an UNTIL DATE as 23:59:59 of that day
// (they read a DATE as 00:00), and BYWEEKNO's default weekday as an
// explicit BYDAY (see refByday).
func (g *genRule) text(forReference bool) string {
	dateUntilAsEndOfDay := forReference
	byday := g.byday
	if forReference {
		byday = g.refByday()
	}
	var parts []string
	add := func(name string, vals []int) {
		if vals != nil {
			s := make([]string, len(vals))
			for i, v := range vals {
				s[i] = strconv.Itoa(v)
			}
			parts = append(parts, name+"="+strings.Join(s, ","))
		}
	}
	parts = append(parts, "FREQ="+g.freq.String())
	if g.interval != 0 {
		parts = append(parts, fmt.Sprintf("INTERVAL=%d", g.interval))
	}
	if g.wkst != "" {
		parts = append(parts, "WKST="+g.wkst)
	}
	if byday != nil {
		s := make([]string, len(byday))
		for i, wn := range byday {
			s[i] = weekdayCode(wn.wd)
			if wn.n != 0 {
				s[i] = strconv.Itoa(wn.n) + s[i]
			}
		}
		parts = append(parts, "BYDAY="+strings.Join(s, ","))
	}
	add("BYMONTHDAY", g.bymonthday)
	add("BYMONTH", g.bymonth)
	add("BYYEARDAY", g.byyearday)
	add("BYWEEKNO", g.byweekno)
	add("BYSETPOS", g.bysetpos)
	if g.count != 0 {
		parts = append(parts, fmt.Sprintf("COUNT=%d", g.count))
	}
	if g.until != untilNone {
		y, m, d := g.untilDate.YMD()
		u := fmt.Sprintf("UNTIL=%04d%02d%02d", y, m, d)
		h, mi, s := g.untilTime.Clock()
		switch {
		case g.until == untilDate && dateUntilAsEndOfDay:
			u += "T235959"
		case g.until == untilFloating:
			u += fmt.Sprintf("T%02d%02d%02d", h, mi, s)
		case g.until == untilUTC:
			u += fmt.Sprintf("T%02d%02d%02dZ", h, mi, s)
		}
		parts = append(parts, u)
	}
	return strings.Join(parts, ";")
}

// refByday is BYDAY as dateutil and rrule-go need it to mean what this
// package means: with BYWEEKNO and no other day part, DTSTART's weekday,
// which they would leave out (taking the weeks' every day).
func (g *genRule) refByday() []weekdayNum {
	if g.byweekno != nil && g.byday == nil && g.bymonthday == nil && g.byyearday == nil {
		return []weekdayNum{{wd: g.first.Weekday()}}
	}
	return g.byday
}

func (g *genRule) spec() Spec {
	return Spec{RRule: g.text(false), First: g.first, Start: g.start, Until: g.specEnd, HasUntil: g.hasUntil}
}

func (g *genRule) String() string {
	s := fmt.Sprintf("%s first=%s start=%s", g.text(false), g.first, g.start)
	if g.hasUntil {
		s += " spec.Until=" + g.specEnd.String()
	}
	return s
}

func pick[T any](rng *rand.Rand, vals []T) T { return vals[rng.IntN(len(vals))] }

func someInts(rng *rand.Rand, n int, f func() int) []int {
	out := make([]int, 1+rng.IntN(n))
	for i := range out {
		out[i] = f()
	}
	return out
}

func signed(rng *rand.Rand, hi int) int {
	v := 1 + rng.IntN(hi)
	if rng.IntN(3) == 0 {
		v = -v
	}
	return v
}

// interestingDate favours the ends of months, leap days and year ends.
func interestingDate(rng *rand.Rand, yLo, yHi int) civil.Date {
	y := yLo + rng.IntN(yHi-yLo+1)
	switch rng.IntN(4) {
	case 0:
		m := time.Month(1 + rng.IntN(12))
		return civil.DateOf(y, m, civil.DaysIn(y, m)-rng.IntN(3))
	case 1:
		return civil.DateOf(y-y%4, time.February, 28+rng.IntN(2))
	default:
		return civil.DateOf(y, time.January, 1+rng.IntN(365))
	}
}

// newGenRule draws a rule. withWeekno allows BYWEEKNO; newWeeknoRule draws
// rules that focus on it.
func newGenRule(rng *rand.Rand, withWeekno bool) *genRule {
	g := &genRule{freq: freq(rng.IntN(4))}
	if rng.IntN(3) > 0 {
		g.interval = 1 + rng.IntN(5)
	}
	if rng.IntN(3) == 0 {
		g.wkst = pick(rng, []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"})
	}
	anyPart := false
	if rng.IntN(2) == 0 {
		anyPart = true
		ordinals := (g.freq == monthly || g.freq == yearly) && rng.IntN(2) == 0
		n := 1 + rng.IntN(4)
		for range n {
			wn := weekdayNum{wd: time.Weekday(rng.IntN(7))}
			if ordinals {
				wn.n = signed(rng, 5)
				if g.freq == yearly && rng.IntN(3) == 0 {
					wn.n = signed(rng, 53)
				}
			}
			g.byday = append(g.byday, wn)
		}
	}
	if g.freq != weekly && rng.IntN(3) == 0 {
		anyPart = true
		g.bymonthday = someInts(rng, 3, func() int { return signed(rng, 31) })
	}
	if rng.IntN(3) == 0 {
		anyPart = true
		g.bymonth = someInts(rng, 4, func() int { return 1 + rng.IntN(12) })
	}
	if g.freq == yearly && g.bymonth != nil {
		// Ordinals then count within a month. Beyond ±5 rrule-go panics
		// (index out of range) and dateutil may raise IndexError.
		for i := range g.byday {
			if g.byday[i].n > 5 || g.byday[i].n < -5 {
				g.byday[i].n %= 5
				if g.byday[i].n == 0 {
					g.byday[i].n = 5
				}
			}
		}
	}
	if g.freq == yearly && rng.IntN(4) == 0 {
		anyPart = true
		g.byyearday = someInts(rng, 3, func() int { return signed(rng, 366) })
	}
	if withWeekno && g.freq == yearly && rng.IntN(3) == 0 {
		anyPart = true
		g.byweekno = someInts(rng, 3, func() int { return signed(rng, 53) })
		for i := range g.byday {
			g.byday[i].n = 0
		}
	}
	if anyPart && rng.IntN(3) == 0 {
		g.bysetpos = someInts(rng, 3, func() int { return signed(rng, 6) })
	}
	g.first = interestingDate(rng, 1995, 2030)
	g.drawEnd(rng)
	return g
}

// drawEnd draws the start time, COUNT or UNTIL, and Spec.Until.
func (g *genRule) drawEnd(rng *rand.Rand) {
	g.start = pick(rng, []civil.TimeOfDay{0, 9 * 3600, 2*3600 + 30*60, 23*3600 + 59*60, civil.TimeOfDay(rng.IntN(86400))})
	switch rng.IntN(5) {
	case 0:
		g.count = 1 + rng.IntN(60)
	case 1:
		g.until = untilKind(1 + rng.IntN(3))
		g.untilDate = g.first + civil.Date(rng.IntN(3000)) - 30
		g.untilTime = pick(rng, []civil.TimeOfDay{0, g.start, g.start + 1, g.start - 1, civil.TimeOfDay(rng.IntN(86400))})
		if g.untilTime < 0 || g.untilTime >= civil.EndOfDay {
			g.untilTime = 0
		}
		if g.until == untilDate {
			g.untilTime = 0
		}
	}
	if rng.IntN(6) == 0 {
		g.hasUntil = true
		g.specEnd = g.first + civil.Date(rng.IntN(4000)) - 10
	}
}

// window draws a query window around the rule: before it, across its
// start, years later, empty or reversed.
func window(rng *rand.Rand, g *genRule) (from, to civil.Date) {
	switch rng.IntN(6) {
	case 0:
		from = g.first - civil.Date(rng.IntN(100))
	case 1:
		from = g.first + civil.Date(rng.IntN(20*366))
	case 2:
		from = g.first - civil.Date(400+rng.IntN(400))
	default:
		from = g.first + civil.Date(rng.IntN(6*366))
	}
	switch rng.IntN(8) {
	case 0:
		to = from
	case 1:
		to = from - civil.Date(rng.IntN(10))
	case 2:
		to = from + civil.Date(rng.IntN(3*366))
	default:
		to = from + civil.Date(1+rng.IntN(62))
	}
	return from, to
}

var rruleWeekdays = [7]rrule.Weekday{rrule.SU, rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA}

// dateTime and timeDate convert between dates and rrule-go's times at
// 00:00 UTC, where time.Date has no daylight-saving gaps.
func dateTime(d civil.Date) time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

func timeDate(t time.Time) civil.Date { return civil.Date(t.Unix() / 86400) }

var rruleFreqs = [...]rrule.Frequency{yearly: rrule.YEARLY, monthly: rrule.MONTHLY, weekly: rrule.WEEKLY, daily: rrule.DAILY}

var rruleWkst = map[string]rrule.Weekday{"": rrule.MO, "MO": rrule.MO, "TU": rrule.TU, "WE": rrule.WE, "TH": rrule.TH, "FR": rrule.FR, "SA": rrule.SA, "SU": rrule.SU}

// rrulegoExpand expands g over [from, to) with rrule-go on UTC date-times
// at g.start, applying Spec.Until afterwards. UNTIL is given as an instant
// with this package's meaning (a DATE as 23:59:59 of its day); without
// UNTIL rrule-go is given 9999-12-31, its own default stopping
// about 292 years after DTSTART, even with COUNT.
func rrulegoExpand(g *genRule, from, to civil.Date) []civil.Date {
	o := rrule.ROption{
		Freq:       rruleFreqs[g.freq],
		Dtstart:    dateTime(g.first).Add(time.Duration(g.start) * time.Second),
		Interval:   g.interval,
		Wkst:       rruleWkst[g.wkst],
		Count:      g.count,
		Bysetpos:   g.bysetpos,
		Bymonth:    g.bymonth,
		Bymonthday: g.bymonthday,
		Byyearday:  g.byyearday,
		Byweekno:   g.byweekno,
	}
	for _, wn := range g.refByday() {
		o.Byweekday = append(o.Byweekday, rruleWeekdays[wn.wd].Nth(wn.n))
	}
	switch g.until {
	case untilNone:
		o.Until = dateTime(maxDate).Add(86399 * time.Second)
	case untilDate:
		o.Until = dateTime(g.untilDate).Add(86399 * time.Second)
	default:
		o.Until = dateTime(g.untilDate).Add(time.Duration(g.untilTime) * time.Second)
	}
	rr, err := rrule.NewRRule(o)
	if err != nil {
		panic(err)
	}
	var out []civil.Date
	if from >= to {
		return nil
	}
	for _, t := range rr.Between(dateTime(from), dateTime(to).Add(-time.Second), true) {
		d := timeDate(t)
		if !g.hasUntil || d <= g.specEnd {
			out = append(out, d)
		}
	}
	return out
}

func datesString(ds []civil.Date) string {
	if len(ds) > 12 {
		return fmt.Sprintf("%v ... %v (%d)", ds[:6], ds[len(ds)-6:], len(ds))
	}
	return fmt.Sprint(ds)
}

func sameDates(a, b []civil.Date) bool { return slices.Equal(a, b) }
