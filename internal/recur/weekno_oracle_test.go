package recur

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/crossagenda/crossagenda/internal/civil"
)

// The week-number oracle: a slow, obvious expansion of YEARLY rules with
// BYWEEKNO, written from the definitions rather than from the package's
// arithmetic, and the generator of such rules.

// slowWeek returns the year whose numbering holds x's week (weeks starting
// on wkst) and the week's number in it, counted from the start (1 = first)
// and from the end (1 = last). A week belongs to the year holding its
// fourth day, which is the year holding at least four of its days.
func slowWeek(x civil.Date, wkst time.Weekday) (year, n, fromEnd int) {
	start := x - civil.Date((int(x.Weekday())-int(wkst)+7)%7)
	fourth := start + 3
	year = fourth.Year()
	n = (fourth.YearDay()-1)/7 + 1
	// The last week's fourth day is the year's last day on that weekday.
	dec31 := civil.DateOf(year, time.December, 31)
	lastFourth := dec31 - civil.Date((int(dec31.Weekday())-int(fourth.Weekday())+7)%7)
	weeks := (lastFourth.YearDay()-1)/7 + 1
	return year, n, weeks - n + 1
}

// dateutilPrevYearWeeks is the number of weeks dateutil and rrule-go give
// year y-1 when deciding whether the days of January before y's week 1 match
// BYWEEKNO (rrule.py, _iterinfo.rebuild, "lnumweeks"), transcribed to
// reproduce a slip: when y-1's week 1 starts in y-1, they count from y's
// length and y's first week instead of y-1's, and so give some years 53
// weeks that have 52 (2021, weeks from Monday: 2022-01-01 lands in week 53).
func dateutilPrevYearWeeks(y int, wkst time.Weekday) int {
	py := func(wd time.Weekday) int { return (int(wd) + 6) % 7 } // Python's weekday(): Monday = 0
	k := py(wkst)
	yearLen := 365
	if civil.IsLeap(y) {
		yearLen = 366
	}
	no1wkst := (7 - py(civil.DateOf(y, time.January, 1).Weekday()) + k) % 7
	lyw := py(civil.DateOf(y-1, time.January, 1).Weekday())
	if (7-lyw+k)%7 >= 4 {
		lyearLen := 365
		if civil.IsLeap(y - 1) {
			lyearLen = 366
		}
		return 52 + (lyearLen+(lyw-k+7)%7)%7/4
	}
	return 52 + (yearLen-no1wkst)%7/4
}

// weeknoOracle lists the occurrences in [from, to) of g, a YEARLY rule
// with BYWEEKNO, Spec.Until applied. With quirks it reproduces what
// dateutil and rrule-go do where they depart from the week numbering
// (documented in doc.go): January days before week 1 match by
// dateutilPrevYearWeeks or -1, and December days after the last week match
// only BYWEEKNO=1, never its negative form.
func weeknoOracle(g *genRule, from, to civil.Date, quirks bool) []civil.Date {
	wkst := time.Monday
	if g.wkst != "" {
		wkst = weekdayCodes[g.wkst]
	}
	byday := g.refByday()
	has := func(vals []int, v int) bool { return slices.Contains(vals, v) }
	match := func(x civil.Date) bool {
		y, m, dom := x.YMD()
		dim := civil.DaysIn(y, m)
		yd, yl := x.YearDay(), yearLen(y)
		switch {
		case g.bymonth != nil && !has(g.bymonth, int(m)),
			g.bymonthday != nil && !has(g.bymonthday, dom) && !has(g.bymonthday, dom-dim-1),
			g.byyearday != nil && !has(g.byyearday, yd) && !has(g.byyearday, yd-yl-1),
			byday != nil && !slices.ContainsFunc(byday, func(wn weekdayNum) bool { return wn.wd == x.Weekday() }):
			return false
		}
		wy, n, fromEnd := slowWeek(x, wkst)
		switch {
		case !quirks || wy == y:
			return has(g.byweekno, n) || has(g.byweekno, -fromEnd)
		case wy > y:
			return has(g.byweekno, 1)
		default:
			return has(g.byweekno, -1) || has(g.byweekno, dateutilPrevYearWeeks(y, wkst))
		}
	}
	last := maxDate
	switch g.until {
	case untilDate:
		last = g.untilDate
	case untilFloating, untilUTC: // UTC only without a zone
		last = g.untilDate
		if g.start > g.untilTime {
			last--
		}
	}
	step := max(g.interval, 1)
	fy := g.first.Year()
	y := fy
	if g.count == 0 && from.Year()-1 > fy {
		// Without COUNT the years before the window do not matter.
		y += (from.Year() - 1 - fy) / step * step
	}
	var out []civil.Date
	count := 0
	for ; y <= 9999 && civil.DateOf(y, time.January, 1) < to; y += step {
		var set []civil.Date
		for x := civil.DateOf(y, time.January, 1); x < civil.DateOf(y+1, time.January, 1); x++ {
			if match(x) {
				set = append(set, x)
			}
		}
		if g.bysetpos != nil {
			var picked []civil.Date
			for _, p := range g.bysetpos {
				i := p - 1
				if p < 0 {
					i = len(set) + p
				}
				if i >= 0 && i < len(set) && !slices.Contains(picked, set[i]) {
					picked = append(picked, set[i])
				}
			}
			slices.Sort(picked)
			set = picked
		}
		for _, x := range set {
			if x < g.first {
				continue
			}
			if x > last {
				return out
			}
			if count++; g.count > 0 && count > g.count {
				return out
			}
			if x >= from && x < to && (!g.hasUntil || x <= g.specEnd) {
				out = append(out, x)
			}
		}
	}
	return out
}

// newWeeknoRule draws a YEARLY rule with BYWEEKNO: every WKST, week
// numbers favouring the first and last weeks (positive and negative),
// with or without BYDAY, sometimes BYMONTH (favouring January and
// December), BYMONTHDAY, BYYEARDAY or BYSETPOS, INTERVAL 1 to 3, COUNT or
// UNTIL, and a DTSTART often near New Year.
func newWeeknoRule(rng *rand.Rand) *genRule {
	g := &genRule{freq: yearly}
	if rng.IntN(4) > 0 {
		g.interval = 1 + rng.IntN(3)
	}
	if rng.IntN(5) > 0 {
		g.wkst = pick(rng, []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"})
	}
	g.byweekno = someInts(rng, 3, func() int {
		if rng.IntN(2) == 0 {
			return pick(rng, []int{1, 2, 52, 53, -1, -2, -52, -53})
		}
		return signed(rng, 53)
	})
	if rng.IntN(3) > 0 {
		for range 1 + rng.IntN(4) {
			g.byday = append(g.byday, weekdayNum{wd: time.Weekday(rng.IntN(7))})
		}
	}
	if rng.IntN(4) == 0 {
		g.bymonth = someInts(rng, 3, func() int { return pick(rng, []int{1, 12, 1 + rng.IntN(12)}) })
	}
	if rng.IntN(10) == 0 {
		g.bymonthday = someInts(rng, 3, func() int { return pick(rng, []int{1, 2, 3, -1, -2, signed(rng, 31)}) })
	}
	if rng.IntN(10) == 0 {
		g.byyearday = someInts(rng, 3, func() int { return pick(rng, []int{1, 2, 3, 4, -1, -2, -3, signed(rng, 366)}) })
	}
	if rng.IntN(3) == 0 {
		g.bysetpos = someInts(rng, 2, func() int { return signed(rng, 8) })
	}
	if rng.IntN(2) == 0 {
		y := 1990 + rng.IntN(40)
		g.first = civil.DateOf(y, time.December, 24+rng.IntN(16))
	} else {
		g.first = interestingDate(rng, 1990, 2030)
	}
	g.drawEnd(rng)
	return g
}

// weeknoWindow draws a query window for a week-number rule: across a New
// Year up to 35 years after DTSTART, whole years, around DTSTART, or as
// window does.
func weeknoWindow(rng *rand.Rand, g *genRule) (from, to civil.Date) {
	y := g.first.Year() + rng.IntN(36)
	switch rng.IntN(4) {
	case 0:
		from = civil.DateOf(y, time.December, 31) - civil.Date(rng.IntN(21))
		return from, from + civil.Date(1+rng.IntN(40))
	case 1:
		from = civil.DateOf(y, time.January, 1)
		return from, civil.DateOf(y+1+rng.IntN(3), time.January, 1)
	case 2:
		from = g.first - civil.Date(rng.IntN(30))
		return from, from + civil.Date(rng.IntN(800))
	default:
		return window(rng, g)
	}
}
