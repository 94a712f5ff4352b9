package recur

import (
	"time"

	"github.com/crossagenda/crossagenda/internal/civil"
)

// The fast path. A rule's occurrences are generated period by period, a
// period being a day, a week (starting on WKST), a month or a year as FREQ
// says, every INTERVAL-th one from DTSTART's. Within a period the BY* parts
// are intersected day by day (the expand/limit table of RFC 5545 §3.3.10
// comes to that when every part is over the same period, and it is what
// dateutil and rrule-go do), then BYSETPOS picks among the period's matches.
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
	stats  Stats
	buf    [maxPeriodDays]civil.Date
}

func (c *cursor) init(r *Rule, from, to civil.Date) {
	c.r = r
	c.lo, c.hi = max(from, r.first), min(to, r.hi)
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
	c.n = c.r.generate(ps, pe, c.lo, c.hi, &c.buf, &c.stats)
}

// generate writes the occurrences of the period [ps, pe) that fall in
// [lo, hi) to buf, in order, and returns how many it wrote.
func (r *Rule) generate(ps, pe, lo, hi civil.Date, buf *[maxPeriodDays]civil.Date, st *Stats) int {
	if r.setpos == nil {
		// Without BYSETPOS only the part of the period in the window matters.
		return r.scan(max(ps, lo), min(pe, hi), buf, st)
	}
	n := r.scan(ps, pe, buf, st)
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
	for i := 0; i < n; i++ {
		if keep[i/64]&(1<<(i%64)) != 0 && buf[i] >= lo && buf[i] < hi {
			buf[k] = buf[i]
			k++
		}
	}
	return k
}

// scan writes the days of [a, b) that match the rule's BY* parts to buf and
// returns how many. Months outside BYMONTH are skipped without testing
// their days.
func (r *Rule) scan(a, b civil.Date, buf *[maxPeriodDays]civil.Date, st *Stats) int {
	n := 0
	if a >= b {
		return 0
	}
	y, m, dom := a.YMD()
	ylen := 365
	if civil.IsLeap(y) {
		ylen = 366
	}
	yday := a.YearDay()
	for d := a; d < b; {
		dim := civil.DaysIn(y, m)
		stop := min(b, d+civil.Date(dim-dom+1))
		if r.months == 0 || r.months&(1<<m) != 0 {
			wd := d.Weekday()
			for ; d < stop; d++ {
				st.Candidates++
				if r.match(dom, dim, wd, yday, ylen) {
					buf[n] = d
					n++
				}
				dom++
				yday++
				if wd++; wd == 7 {
					wd = 0
				}
			}
		} else {
			yday += int(stop - d)
			d = stop
		}
		dom = 1
		if m++; m > time.December {
			m = time.January
			y++
			yday = 1
			ylen = 365
			if civil.IsLeap(y) {
				ylen = 366
			}
		}
	}
	return n
}

// match tests the day-level BY* parts (BYMONTH is tested by scan) for day
// dom of a month of dim days, weekday wd, day yday of a year of ylen days.
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
func (r *Rule) scanFirst() (civil.Date, bool) {
	if r.fallback != nil {
		return r.fallbackFirst()
	}
	var c cursor
	c.init(r, r.first, r.hi)
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

// nth0 returns the count-th occurrence (1-based) and count, or the last
// occurrence and how many there are when there are fewer.
func (r *Rule) nth0(count int) (civil.Date, int) {
	var last civil.Date
	n := 0
	each := func(d civil.Date) bool {
		last = d
		n++
		return n < count
	}
	if r.fallback != nil {
		r.fallbackEach(r.first, r.hi, each, nil)
		return last, n
	}
	var c cursor
	c.init(r, r.first, r.hi)
	for {
		d, ok := c.next()
		if !ok || !each(d) {
			return last, n
		}
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
		if n := r.generate(ps, pe, r.first, before, &buf, &st); n > 0 {
			return buf[n-1], true
		}
	}
	return 0, false
}
