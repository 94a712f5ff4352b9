package ical

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/crossagenda/crossagenda/internal/civil"
)

// ErrTooManyOccurrences is wrapped by the error of an expansion that
// would produce more instances than its limit.
var ErrTooManyOccurrences = errors.New("too many occurrences")

// series is a recurring event: its rule, extra and excluded instances, and
// the overrides that replace some of them.
type series struct {
	ev        *vevent
	rdates    []rdate // DTSTART and the RDATEs, by start, one per start
	excluded  []int64 // EXDATEs and overridden instances, ascending
	futures   []*vevent
	overrides []*vevent // every override, by RECURRENCE-ID
	// An original start s can give an instance overlapping [from, to)
	// only if from-reach <= s < to+back.
	reach, back int64
}

func (p *parser) newSeries(ev *vevent, ovs []*vevent) (*series, error) {
	s := &series{ev: ev, overrides: dedupeOverrides(ovs)}
	s.rdates = append(s.rdates, rdate{start: ev.startAt, end: -1})
	s.rdates = append(s.rdates, ev.rdates...)
	slices.SortFunc(s.rdates, func(a, b rdate) int { return cmp.Compare(a.start, b.start) })
	s.rdates = slices.CompactFunc(s.rdates, func(a, b rdate) bool { return a.start == b.start })
	s.excluded = slices.Clone(ev.exdates)
	longest := ev.dur.longest()
	for _, r := range s.rdates {
		if r.end >= 0 {
			longest = max(longest, r.end-r.start)
		}
	}
	fwd, back := int64(0), int64(0)
	for _, o := range s.overrides {
		s.excluded = append(s.excluded, o.rid)
		if o.future {
			s.futures = append(s.futures, o)
			shift := o.startAt - o.rid
			fwd, back = max(fwd, shift), max(back, -shift)
			longest = max(longest, o.dur.longest())
		}
	}
	slices.Sort(s.excluded)
	s.excluded = slices.Compact(s.excluded)
	s.reach, s.back = longest+fwd, back
	return s, nil
}

// AppendBetween appends the instances that overlap [from, to) (Unix
// seconds), blocking or not, sorted by start, end and UID. It expands at
// most limit instances (counting those EXDATE removes; 0 means no limit)
// and fails with an error wrapping ErrTooManyOccurrences beyond. Each
// series costs a seek of its rule and binary searches of its dates, so the
// cost depends on the window and the series count, not on their age.
func (c *Calendar) AppendBetween(dst []Occurrence, from, to int64, limit int) ([]Occurrence, error) {
	n := len(dst)
	dst, err := c.AppendUnsorted(dst, from, to, limit)
	if err != nil {
		return dst, err
	}
	slices.SortFunc(dst[n:], func(a, b Occurrence) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End), cmp.Compare(a.UID, b.UID))
	})
	return dst, nil
}

// AppendUnsorted is AppendBetween without the sort, for callers that sort
// or merge the instances themselves: sorting thousands of instances costs
// more than finding them.
func (c *Calendar) AppendUnsorted(dst []Occurrence, from, to int64, limit int) ([]Occurrence, error) {
	n := len(dst)
	budget := limit
	if budget <= 0 {
		budget = int(^uint(0) >> 1)
	}
	i := sort.Search(len(c.once), func(i int) bool { return c.once[i].Start > from-c.onceMax })
	for ; i < len(c.once) && c.once[i].Start < to; i++ {
		if o := c.once[i]; o.End > from && o.End-o.Start <= longOnce {
			dst = append(dst, o)
		}
	}
	for _, i := range c.onceLong {
		if o := c.once[i]; o.Start < to && o.End > from {
			dst = append(dst, o)
		}
	}
	var dates []civil.Date
	var err error
	for _, s := range c.series {
		if dst, dates, budget, err = s.appendBetween(dst, dates, from, to, budget); err != nil {
			return dst[:n], fmt.Errorf("ical: calendar %q: event %q: more than %d instances in the window: %w",
				c.name, s.ev.name, limit, ErrTooManyOccurrences)
		}
	}
	return dst, nil
}

func (s *series) appendBetween(dst []Occurrence, dates []civil.Date, from, to int64, budget int) ([]Occurrence, []civil.Date, int, error) {
	ev := s.ev
	lo, hi := from-s.reach, to+s.back // original starts to consider: [lo, hi)
	z := ev.start.zone
	var err error
	var tb [32]civil.TimeOfDay
	tbuf := tb[:0] // one date's times, on the stack but for long HOURLY or MINUTELY days
	dates = dates[:0]
	if ev.rule != nil {
		d0, _ := z.Local(lo)
		d1, _ := z.Local(hi)
		dates, err = ev.rule.AppendBetween(dates, d0.AddDays(-1), d1.AddDays(2), budget+1)
		if err != nil || len(dates) > budget {
			return dst, dates, 0, ErrTooManyOccurrences
		}
		if !ev.rule.HasTimes() {
			budget -= len(dates) // one instance a date
		}
		for _, d := range dates {
			if !ev.rule.HasTimes() {
				break
			}
			// Several instances a date with BYHOUR, BYMINUTE, HOURLY or MINUTELY.
			tbuf = ev.rule.AppendTimes(tbuf[:0], d) // grown once, then reused
			if budget -= len(tbuf); budget < 0 {
				return dst, dates, 0, ErrTooManyOccurrences
			}
		}
	}
	ri := sort.Search(len(s.rdates), func(i int) bool { return s.rdates[i].start >= lo })
	di, ti := 0, 0 // the rule's next instance: dates[di] at times[ti]
	var times []civil.TimeOfDay
	one := [1]civil.TimeOfDay{ev.start.tod} // the times of every date of a rule without time parts
	many := ev.rule != nil && ev.rule.HasTimes()
	times = one[:]
	if many && len(dates) > 0 {
		times = ev.rule.AppendTimes(tbuf[:0], dates[0])
		tbuf = times[:0]
	}
	prev := int64(math.MinInt64) // the rule's last instance, to drop a repeat
	for {
		// Merge the rule's instances with the RDATEs, by original start.
		var orig, end int64 = 0, -1
		var ruleStart int64
		haveRule := false
		for di < len(dates) {
			if ti == len(times) {
				if di++; di < len(dates) {
					ti = 0
					if many {
						times = ev.rule.AppendTimes(tbuf[:0], dates[di])
						tbuf = times[:0]
					}
				}
				continue
			}
			ruleStart = z.Instant(dates[di], times[ti])
			if ruleStart <= prev {
				// A wall-clock time just after a DST gap names an instant
				// that one in the gap already named (HOURLY at 02:00 and
				// 03:00 in Paris on 2026-03-29 are both 01:00Z): once.
				ti++
				continue
			}
			if ruleStart >= lo {
				haveRule = true
				break
			}
			ti++
		}
		haveR := ri < len(s.rdates) && s.rdates[ri].start < hi
		switch {
		case haveRule && ruleStart < hi && (!haveR || ruleStart <= s.rdates[ri].start):
			orig, prev = ruleStart, ruleStart
			ti++
			if haveR && s.rdates[ri].start == orig {
				end = s.rdates[ri].end
				ri++
			}
		case haveR:
			orig, end = s.rdates[ri].start, s.rdates[ri].end
			ri++
			if budget--; budget < 0 {
				return dst, dates, 0, ErrTooManyOccurrences
			}
		default:
			return dst, dates, budget, nil
		}
		if k, found := slices.BinarySearch(s.excluded, orig); found || k < 0 {
			continue
		}
		o := Occurrence{UID: ev.name, Original: orig, Blocking: ev.blocking, AllDay: ev.start.isDate}
		d, zone := ev.dur, z
		o.Start = orig
		if f := s.future(orig); f != nil {
			o.Start = orig + f.startAt - f.rid
			d, zone, o.Blocking, o.AllDay = f.dur, f.start.zone, f.blocking, f.start.isDate
			end = -1
		}
		if end >= 0 {
			o.End = end
		} else {
			o.End = d.end(o.Start, zone)
		}
		if o.End > o.Start && o.Start < to && o.End > from {
			dst = append(dst, o)
		}
	}
}

// future returns the THISANDFUTURE override in force at original start
// orig: the last one at or before it.
func (s *series) future(orig int64) *vevent {
	k := sort.Search(len(s.futures), func(i int) bool { return s.futures[i].rid > orig })
	if k == 0 {
		return nil
	}
	return s.futures[k-1]
}
