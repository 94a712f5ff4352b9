package recur

import (
	"time"

	"github.com/teambition/rrule-go"

	"github.com/crossagenda/crossagenda/internal/civil"
)

// The fallback path hands rules the fast path does not cover (BYWEEKNO) to
// rrule-go. It runs on dates at 00:00 UTC, where time.Date has no DST gaps,
// and every query iterates a private copy of the compiled rrule.RRule,
// which writes to itself while iterating. COUNT, UNTIL and Spec.Until are
// applied by Compile as the bound hi, never given to rrule-go (whose
// default UNTIL would otherwise stop it about 292 years after DTSTART).

var rruleWeekdays = [7]rrule.Weekday{rrule.SU, rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA}

func dateTime(d civil.Date) time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

func timeDate(t time.Time) civil.Date { return civil.Date(t.Unix() / 86400) }

func newFallback(r *Rule, p *parsed) *rrule.RRule {
	o := rrule.ROption{
		Freq:       rrule.YEARLY,
		Dtstart:    dateTime(r.first),
		Interval:   p.interval,
		Wkst:       rruleWeekdays[p.wkst],
		Until:      dateTime(maxDate),
		Bysetpos:   p.bysetpos,
		Bymonth:    p.bymonth,
		Bymonthday: p.bymonthday,
		Byyearday:  p.byyearday,
		Byweekno:   p.byweekno,
	}
	for _, wn := range p.byday {
		o.Byweekday = append(o.Byweekday, rruleWeekdays[wn.wd].Nth(wn.n))
	}
	rr, err := rrule.NewRRule(o)
	if err != nil {
		// parseRule checked every bound rrule-go checks.
		panic("recur: rrule-go refused a checked rule: " + err.Error())
	}
	return rr
}

// fallbackEach calls f on the occurrences in [from, to) until f returns
// false.
func (r *Rule) fallbackEach(from, to civil.Date, f func(civil.Date) bool, st *Stats) {
	rr := *r.fallback
	next := rr.Iterator()
	for {
		t, ok := next()
		if !ok {
			return
		}
		if st != nil {
			st.Periods++
			st.Candidates++
		}
		d := timeDate(t)
		if d >= to {
			return
		}
		if d >= from && !f(d) {
			return
		}
	}
}

// fallbackFirst finds the first occurrence within one cycle of years.
func (r *Rule) fallbackFirst() (civil.Date, bool) {
	rr := *r.fallback
	fy, _, _ := r.first.YMD()
	limit := min(r.hi, civil.DateOf(fy+int(r.interval*r.cycle())+1, time.January, 1))
	rr.Until(dateTime(limit - 1))
	next := rr.Iterator()
	t, ok := next()
	if !ok {
		return 0, false
	}
	return timeDate(t), true
}
