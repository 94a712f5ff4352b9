package recur

import (
	"math/bits"
	"time"

	"github.com/crossagenda/crossagenda/internal/civil"
)

// Week numbers (BYWEEKNO, FREQ=YEARLY only). Weeks start on WKST; week 1 of
// a year is the first week with at least four of its days in that year, as
// in ISO 8601 when WKST is Monday, so a year has 52 or 53 weeks and its
// first and last weeks may straddle New Year. BYWEEKNO=-n is week n
// counted back from the year's last week. As in dateutil and rrule-go, a
// date belongs to the set of its calendar year, whichever year's numbering
// its week is in: 2027-01-01, in week 53 of 2026, is in 2027's set when
// BYWEEKNO holds 53 or -1, and 2025-12-29, in week 1 of 2026, in 2025's set
// when it holds 1 (or -53, the same week
// counted back from the end of 2026). BYSETPOS then
// picks within the calendar year.

// weekOne returns the first day of week 1 of year y, weeks starting on
// wkst.
func weekOne(y int, wkst time.Weekday) civil.Date {
	jan1 := civil.DateOf(y, time.January, 1)
	s := jan1 - civil.Date((int(jan1.Weekday())-int(wkst)+7)%7) // WKST on or before January 1
	if jan1-s > 3 {
		s += 7 // fewer than four days of y in that week: it belongs to y-1
	}
	return s
}

// yearWeeks is the week numbering of one calendar year, as BYWEEKNO sees
// it: the days of the year fall in slots, slot 0 for days before week 1
// (the previous year's last week), k for week k, and n+1 for days after
// the year's last week n (the next year's week 1).
type yearWeeks struct {
	w1   civil.Date // first day of week 1
	mask uint64     // bit k: the days of slot k match BYWEEKNO
}

// slot returns d's slot; d is a day of the year.
func (w *yearWeeks) slot(d civil.Date) int { return int(d-w.w1+7) / 7 }

// has reports whether a slot in [a, b] matches BYWEEKNO.
func (w *yearWeeks) has(a, b int) bool { return w.mask>>a&(1<<(b-a+1)-1) != 0 }

// weeksOf returns year y's numbering; it costs four weekOne calls and a
// step per BYWEEKNO value.
func (r *Rule) weeksOf(y int) yearWeeks {
	prev, w1, next, after := weekOne(y-1, r.wkst), weekOne(y, r.wkst), weekOne(y+1, r.wkst), weekOne(y+2, r.wkst)
	n, nPrev, nNext := int(next-w1)/7, int(w1-prev)/7, int(after-next)/7
	weeks := uint64(1)<<(n+1) - 2 // bits 1..n
	mask := r.weeknos & weeks
	for neg := r.nweeknos & weeks; neg != 0; neg &= neg - 1 {
		mask |= 1 << (n + 1 - bits.TrailingZeros64(neg))
	}
	if r.weeknos&(1<<nPrev) != 0 || r.nweeknos&(1<<1) != 0 {
		mask |= 1 // the previous year's last week
	}
	if r.weeknos&(1<<1) != 0 || r.nweeknos&(1<<nNext) != 0 {
		mask |= 1 << (n + 1) // the next year's week 1
	}
	return yearWeeks{w1: w1, mask: mask}
}
