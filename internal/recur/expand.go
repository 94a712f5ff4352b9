package recur

import (
	"fmt"
	"math/bits"
	"time"

	"github.com/crossagenda/crossagenda/internal/civil"
)

// The fast path. A rule's occurrences are generated period by period, a
// period being a day, a week (starting on WKST), a month or a year as FREQ
// says, every INTERVAL-th one from DTSTART's. Within a period the BY* parts
// are intersected (the expand/limit table of RFC 5545 §3.3.10 comes to that
// when every part is over the same period, and it is what dateutil and
// rrule-go do): as a bit set of each month's days, or day by day for parts
// relative to the year. Then BYSETPOS picks among the period's matches.
// A query computes the index of the first period that can touch its window
// and starts there, so its cost is the window's, not the rule's age.

// maxPeriodDays is the longest period (a leap year), plus one spare slot.
const maxPeriodDays = 367

// cursor walks the occurrences in [lo, hi), one period at a time.
type cursor struct {
	r      *Rule
	p      int64 // next period to generate
	lo, hi civil.Date
	n, i   int // buf[i:n] are generated, not yet returned
	done   bool
	over   bool    // budget ran out: done, without reaching hi
	budget *Budget // charged the days of each period generated; nil: none
	stats  Stats
	buf    [maxPeriodDays]civil.Date
}

func (c *cursor) init(r *Rule, from, to civil.Date) {
	c.r = r
	c.lo, c.hi = max(from, r.lo), min(to, r.hi)
	c.p = r.periodFrom(c.lo)
	c.done = c.lo >= c.hi
}

func (c *cursor) next() (civil.Date, bool) {
	for c.i >= c.n {
		if c.done {
			return 0, false
		}
		c.fill()
	}
	d := c.buf[c.i]
	c.i++
	return d, true
}

// fill generates the next period's occurrences within [lo, hi).
func (c *cursor) fill() {
	ps, pe := c.r.period(c.p)
	c.i, c.n = 0, 0
	if ps >= c.hi {
		c.done = true
		return
	}
	c.p++
	c.stats.Periods++
	if !c.budget.charge(int64(min(pe, c.hi) - max(ps, c.lo))) {
		c.done, c.over = true, true
		return
	}
	c.n = len(c.r.dropExcluded(c.r.generate(c.buf[:0], ps, pe, c.lo, c.hi, &c.stats)))
}

// generate appends the occurrences of the period [ps, pe) that fall in
// [lo, hi) to out, in order. With BYSETPOS it first appends all the
// period's matches, up to maxPeriodDays, so callers avoid allocating by
// passing that much spare capacity.
func (r *Rule) generate(out []civil.Date, ps, pe, lo, hi civil.Date, st *Stats) []civil.Date {
	if r.setpos == nil {
		// Without BYSETPOS only the part of the period in the window matters.
		return r.scan(out, max(ps, lo), min(pe, hi), st)
	}
	base := len(out)
	out = r.scan(out, ps, pe, st)
	set := out[base:]
	n := len(set)
	var keep [6]uint64
	for _, sp := range r.setpos {
		i := sp - 1
		if sp < 0 {
			i = n + sp
		}
		if i >= 0 && i < n {
			keep[i/64] |= 1 << (i % 64)
		}
	}
	k := 0
	for i, dd := range set {
		if keep[i/64]&(1<<(i%64)) != 0 && dd >= lo && dd < hi {
			set[k] = dd
			k++
		}
	}
	return out[:base+k]
}

// scan appends the days of [a, b) that match the rule's BY* parts to out.
func (r *Rule) scan(out []civil.Date, a, b civil.Date, st *Stats) []civil.Date {
	if a >= b {
		return out
	}
	if r.weekdaysOnly {
		// Nothing but (plain) weekdays to test: no calendar arithmetic.
		st.Candidates += int(b - a)
		if !r.hasByday {
			for d := a; d < b; d++ {
				out = append(out, d)
			}
			return out
		}
		wd := a.Weekday()
		for d := a; d < b; d++ {
			if r.wdays&(1<<wd) != 0 {
				out = append(out, d)
			}
			if wd++; wd == 7 {
				wd = 0
			}
		}
		return out
	}
	// Walk month by month, skipping untested the months outside BYMONTH
	// and the months without a day in a BYWEEKNO week.
	y, m, dom := a.YMD()
	yday, ylen := 0, 0
	if r.needYearDay {
		yday = a.YearDay()
		ylen = yearLen(y)
	}
	var wk yearWeeks
	if r.hasWeekno {
		wk = r.weeksOf(y)
	}
	for d := a; d < b; {
		dim := civil.DaysIn(y, m)
		stop := min(b, d+civil.Date(dim-dom+1))
		switch {
		case r.months != 0 && r.months&(1<<m) == 0,
			r.hasWeekno && !wk.has(wk.slot(d), wk.slot(stop-1)):
			yday += int(stop - d)
			d = stop
		case !r.needYearDay && !r.hasWeekno:
			// Every part is relative to the month: match the month's days
			// at once as a bit set, then keep those in [d, stop).
			st.Candidates += int(stop - d)
			first := d - civil.Date(dom-1)
			lastDom := dom + int(stop-d) - 1
			set := r.monthDays(dim, first.Weekday()) &^ (1<<dom - 1) & (1<<(lastDom+1) - 1)
			for ; set != 0; set &= set - 1 {
				out = append(out, first+civil.Date(bits.TrailingZeros32(set)-1))
			}
			d = stop
		default:
			st.Candidates += int(stop - d)
			wd := d.Weekday()
			for ; d < stop; d++ {
				if r.match(dom, dim, wd, yday, ylen) && (!r.hasWeekno || wk.mask&(1<<wk.slot(d)) != 0) {
					out = append(out, d)
				}
				dom++
				yday++
				if wd++; wd == 7 {
					wd = 0
				}
			}
		}
		dom = 1
		if m++; m > time.December {
			m = time.January
			y++
			yday = 1
			ylen = yearLen(y)
			if r.hasWeekno {
				wk = r.weeksOf(y)
			}
		}
	}
	return out
}

// weekPattern has bits 0, 7, 14, 21 and 28: one weekday's days of a month,
// shifted to its first day.
const weekPattern = 1 | 1<<7 | 1<<14 | 1<<21 | 1<<28

// monthDays returns the days (bit d for day d) of a month of dim days
// starting on weekday wd1 that match BYMONTHDAY and BYDAY; BYYEARDAY and
// ordinals counted in the year are not handled here.
func (r *Rule) monthDays(dim int, wd1 time.Weekday) uint32 {
	all := uint32(1<<(dim+1) - 2)
	set := all
	if r.hasMday {
		days := r.mdays
		for neg := r.nmdays; neg != 0; neg &= neg - 1 {
			if k := bits.TrailingZeros32(neg); k <= dim {
				days |= 1 << (dim - k + 1)
			}
		}
		set &= days
	}
	if r.hasByday {
		var days uint32
		for wd := range 7 {
			f := 1 + (wd-int(wd1)+7)%7 // first day of the month on weekday wd
			switch {
			case r.wdays&(1<<wd) != 0:
				days |= uint32(weekPattern << f)
			case r.nth[wd]|r.nnth[wd] != 0:
				n := (dim-f)/7 + 1 // how many such weekdays the month has
				for k := 1; k <= n; k++ {
					if r.nth[wd]&(1<<k) != 0 || r.nnth[wd]&(1<<(n-k+1)) != 0 {
						days |= 1 << (f + 7*(k-1))
					}
				}
			}
		}
		set &= days
	}
	return set & all
}

func yearLen(y int) int {
	if civil.IsLeap(y) {
		return 366
	}
	return 365
}

// match tests the day-level BY* parts (scan tests BYMONTH and BYWEEKNO)
// for day dom of a month of dim days, weekday wd, day yday of a year of
// ylen days. scan uses it for rules with parts relative to the year.
func (r *Rule) match(dom, dim int, wd time.Weekday, yday, ylen int) bool {
	if r.hasMday && r.mdays&(1<<dom) == 0 && r.nmdays&(1<<(dim-dom+1)) == 0 {
		return false
	}
	if r.hasYday {
		neg := ylen - yday + 1
		if r.ydays[yday/64]&(1<<(yday%64)) == 0 && r.nydays[neg/64]&(1<<(neg%64)) == 0 {
			return false
		}
	}
	if r.hasByday && r.wdays&(1<<wd) == 0 {
		if !r.hasNth {
			return false
		}
		// Which occurrence of this weekday in the month (or year) the day
		// is, counted from the start and from the end.
		k, nk := (dom-1)/7+1, (dim-dom)/7+1
		if r.nthInYear {
			k, nk = (yday-1)/7+1, (ylen-yday)/7+1
		}
		if r.nth[wd]&(1<<k) == 0 && r.nnth[wd]&(1<<nk) == 0 {
			return false
		}
	}
	return true
}

// period returns the days [ps, pe) of period p. Week 0 starts on DTSTART
// rather than on WKST, as in dateutil and rrule-go, which matters only to
// BYSETPOS in that first week.
func (r *Rule) period(p int64) (ps, pe civil.Date) {
	const beyond = int64(maxDate + 1)
	switch r.freq {
	case daily:
		s := int64(r.first) + p*r.interval
		if s > beyond {
			s = beyond
		}
		return civil.Date(s), civil.Date(s + 1)
	case weekly:
		s := int64(r.week0) + 7*p*r.interval
		if s > beyond {
			s = beyond
		}
		if p == 0 {
			return r.first, civil.Date(s + 7)
		}
		return civil.Date(s), civil.Date(s + 7)
	case monthly:
		mi := r.month0 + p*r.interval
		if mi > 9999*12+11 {
			return civil.Date(beyond), civil.Date(beyond + 1)
		}
		y, m := int(mi/12), time.Month(mi%12+1)
		s := civil.DateOf(y, m, 1)
		return s, s + civil.Date(civil.DaysIn(y, m))
	default:
		y := r.year0 + p*r.interval
		if y > 9999 {
			return civil.Date(beyond), civil.Date(beyond + 1)
		}
		return civil.DateOf(int(y), time.January, 1), civil.DateOf(int(y)+1, time.January, 1)
	}
}

// periodFrom returns the first period that ends after d: the period holding
// d, or the next one the rule visits.
func (r *Rule) periodFrom(d civil.Date) int64 {
	if d <= r.first {
		return 0
	}
	var q int64 // periods of the rule's unit from DTSTART's to d's
	switch r.freq {
	case daily:
		q = int64(d - r.first)
	case weekly:
		q = int64(d-r.week0) / 7
	case monthly:
		y, m, _ := d.YMD()
		q = int64(y)*12 + int64(m) - 1 - r.month0
	default:
		y, _, _ := d.YMD()
		q = int64(y) - r.year0
	}
	return (q + r.interval - 1) / r.interval
}

// cycle returns a number of periods after which the rule's pattern repeats:
// the Gregorian calendar repeats every 400 years (146097 days, a whole
// number of weeks), so the pattern does too once a whole number of periods
// spans a multiple of that. A rule with no occurrence in its first cycle+1
// periods has none at all.
func (r *Rule) cycle() int64 {
	var n int64
	switch r.freq {
	case daily:
		n = 146097
	case weekly:
		n = 146097 / 7
	case monthly:
		n = 400 * 12
	default:
		n = 400
	}
	return n / gcd(n, r.interval)
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// scanFirst finds the first occurrence, giving up after one cycle.
func (r *Rule) scanFirst(b *Budget) (civil.Date, bool) {
	var c cursor
	c.init(r, r.first, r.hi)
	c.budget = b
	for limit := r.cycle() + 1; ; {
		if c.i < c.n {
			return c.buf[c.i], true
		}
		if c.done || c.p > limit {
			return 0, false
		}
		c.fill()
	}
}

// maxCountWalk bounds the days Compile walks to count the COUNT instances
// of an HOURLY or MINUTELY rule, whose dates may hold none (a large
// INTERVAL, a BYHOUR the grid rarely meets): about 274 years.
const maxCountWalk = 100_000

// nth0 returns the date of the count-th instance (1-based), how many of
// that date's times it keeps, how many it has, and count; or, when there
// are fewer instances, the last date, its times twice and how many
// instances there are. It visits at most count dates, but for HOURLY and
// MINUTELY grids with dates lacking instances, which may add
// maxCountWalk days.
func (r *Rule) nth0(count int, b *Budget) (civil.Date, int, int, int, error) {
	var last civil.Date
	n, lastFull := 0, 0
	var buf [64]civil.TimeOfDay
	var c cursor
	c.init(r, r.first, r.hi)
	c.budget = b
	for {
		d, ok := c.next()
		if !ok && c.over {
			return 0, 0, 0, n, b.err(r.src)
		}
		if !ok {
			return last, lastFull, lastFull, n, nil
		}
		if r.step != 0 && int64(d-r.first) > maxCountWalk {
			return 0, 0, 0, n, &RuleError{Rule: r.src, Msg: fmt.Sprintf(
				"COUNT=%d: %d instances in the first %d days: counting further is refused (give UNTIL instead)", count, n, maxCountWalk)}
		}
		last = d
		full := r.appendFull(buf[:0], d)
		lastFull = len(full)
		skip := 0
		if d == r.first {
			skip = min(r.skip, len(full))
		}
		if n+len(full)-skip >= count {
			return d, skip + count - n, len(full), count, nil
		}
		n += len(full) - skip
	}
}

// prevFast returns the last occurrence before before (> firstOcc), walking
// periods backwards from the one holding before-1.
func (r *Rule) prevFast(before civil.Date) (civil.Date, bool) {
	p := r.periodFrom(before - 1)
	if ps, _ := r.period(p); ps > before-1 {
		p--
	}
	var buf [maxPeriodDays]civil.Date
	var st Stats
	for ; p >= 0; p-- {
		ps, pe := r.period(p)
		if got := r.dropExcluded(r.generate(buf[:0], ps, pe, r.lo, before, &st)); len(got) > 0 {
			return got[len(got)-1], true
		}
	}
	return 0, false
}
