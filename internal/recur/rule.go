package recur

import (
	"fmt"
	"iter"
	"slices"
	"sort"
	"time"

	"github.com/crossagenda/crossagenda/internal/civil"
	"github.com/crossagenda/crossagenda/internal/tz"
)

// DefaultMaxCount is the largest COUNT Compile accepts when Spec.MaxCount
// is 0.
const DefaultMaxCount = 10000

// The dates RRULE can write: 0001-01-01 and 9999-12-31.
const (
	minDate civil.Date = -719162
	maxDate civil.Date = 2932896
)

// Spec describes a recurrence: an RRULE value and its DTSTART, split into a
// date, a time of day and a zone.
type Spec struct {
	// RRule is an RFC 5545 RRULE value without the "RRULE:" prefix, such as
	// "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TU". "" means a single occurrence on
	// First.
	RRule string
	// First is the date of DTSTART, between 0001-01-01 and 9999-12-31.
	First civil.Date
	// Start is the time of day of DTSTART and of every occurrence, in
	// [00:00, 24:00). It only matters when comparing with an UNTIL that
	// has a time.
	Start civil.TimeOfDay
	// Zone is DTSTART's zone, used to compare occurrences with a UTC UNTIL
	// ("…Z"). nil means UTC.
	Zone *tz.Zone
	// Until, when HasUntil is set, is an extra inclusive bound on
	// occurrence dates, on top of the rule's own UNTIL or COUNT.
	Until    civil.Date
	HasUntil bool
	// MaxCount is the largest COUNT accepted; 0 means DefaultMaxCount.
	// COUNT is expanded once by Compile, so this bounds its cost.
	MaxCount int
	// Exclude lists dates removed from the occurrences, in any order (RFC
	// 5545 EXDATE on dates). As in RFC 5545, COUNT counts occurrences
	// before they are removed; a date that is not an occurrence has no
	// effect. Compile copies it.
	Exclude []civil.Date
	// Times accepts BYHOUR, BYMINUTE and BYSECOND (0 only): each
	// occurrence date then holds several instances, at the local times
	// [Rule.AppendTimes] lists, and COUNT and UNTIL count and bound instances
	// rather than dates. Without it those parts are refused, as callers
	// that keep one start time per day (opening periods) want.
	Times bool
	// Budget, when not nil, bounds the days Compile walks (to find the
	// first occurrence and to count COUNT), summed over every Spec that
	// shares it: a caller compiling many rules, such as the events of one
	// calendar, bounds their total work so. nil means no bound but each
	// rule's own (one calendar cycle, about 150,000 days).
	Budget *Budget
}

// Budget bounds the days Compile walks over several rules. It is not safe
// for concurrent use.
type Budget struct {
	// Days is how many days may still be walked. A Compile that would
	// walk past it fails with an error wrapping ErrBudget.
	Days int64
	// Used counts the days walked so far.
	Used int64
}

// charge takes n days from b and reports whether they were there.
func (b *Budget) charge(n int64) bool {
	if b == nil {
		return true
	}
	b.Used += n
	b.Days -= n
	return b.Days >= 0
}

func (b *Budget) err(src string) error {
	return &RuleError{Rule: src, Msg: fmt.Sprintf(
		"finding the first instance or counting COUNT walks more than the %d days of the budget (the limit is Spec.Budget)", b.Days+b.Used), Err: ErrBudget}
}

// Stats counts the work of one expansion, for regression guards.
type Stats struct {
	// Periods is the number of recurrence periods (days, weeks, months or
	// years of the rule's FREQ) visited.
	Periods int
	// Candidates is the number of days tested against the rule's BY*
	// parts.
	Candidates int
}

// Rule is a compiled recurrence. It is immutable and safe for concurrent
// use; every query keeps its own state.
type Rule struct {
	src      string
	first    civil.Date // DTSTART date
	freq     freq
	interval int64
	wkst     time.Weekday

	// The BY* parts as bit sets; each has* flag says the part is present.
	months        uint16    // bit m: BYMONTH=m
	mdays, nmdays uint32    // bit d: BYMONTHDAY=d, BYMONTHDAY=-d
	ydays, nydays [6]uint64 // bit d: BYYEARDAY=d, BYYEARDAY=-d
	wdays         uint8     // bit w: BYDAY=w (no ordinal)
	weeknos       uint64    // bit n: BYWEEKNO=n
	nweeknos      uint64    // bit n: BYWEEKNO=-n
	nth, nnth     [7]uint64 // bit n of [w]: BYDAY=nw, BYDAY=-nw
	setpos        []int
	hasMday       bool
	hasYday       bool
	hasByday      bool
	hasNth        bool
	hasWeekno     bool
	nthInYear     bool // ordinals count weeks of the year (YEARLY without BYMONTH)
	weekdaysOnly  bool // no part but plain BYDAY: scan needs no calendar
	needYearDay   bool // BYYEARDAY, or ordinals counted in the year

	// Origins of the period numbering.
	week0  civil.Date // Monday (or WKST) on or before first
	month0 int64      // year*12 + month-1 of first
	year0  int64

	// Bounds: occurrences are dates in [lo, hi); firstOcc and lastOcc are
	// the first and last of them (lastOcc valid when bounded and not empty).
	hi       civil.Date
	firstOcc civil.Date
	lastOcc  civil.Date
	bounded  bool
	empty    bool

	untilDate civil.Date // the date the rule's own UNTIL names
	hasUntil  bool       // the rule has an UNTIL part

	exclude []civil.Date // sorted, unique

	// Instances within a day: times lists the local times of every
	// occurrence date, ascending; the first date keeps times[skip:] (those
	// not before DTSTART) and, when cut is set, the date hi-1 keeps
	// times[:keep] (those within UNTIL or COUNT).
	times  []civil.TimeOfDay
	one    [1]civil.TimeOfDay // times' array without a time part
	byTime bool               // the rule has BYHOUR, BYMINUTE or BYSECOND
	lo     civil.Date
	skip   int
	cut    bool
	keep   int
	// The grid of FREQ=HOURLY or MINUTELY (step 0 otherwise): instances at
	// local seconds origin + k·step, filtered and expanded by appendFull.
	step, origin int64
	hours        uint32 // BYHOUR filter bits; 0: none
	minutes      uint64 // BYMINUTE filter bits (MINUTELY); 0: none
	mins, secs   []int  // expansions: minutes (HOURLY), seconds
	start        civil.TimeOfDay
}

// Compile checks and compiles s. Errors are *RuleError values naming the
// part at fault. Compile expands COUNT once (so later queries can seek) and
// looks for the first occurrence; a rule that never matches, such as
// FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30, compiles to an empty rule after
// scanning one full cycle of the calendar (at most about 150,000 days).
// Spec.Budget bounds those walks over many rules. An HOURLY or MINUTELY
// grid that can never meet its BYHOUR or BYMINUTE is refused up front.
func Compile(s Spec) (*Rule, error) {
	maxCount := s.MaxCount
	if maxCount == 0 {
		maxCount = DefaultMaxCount
	}
	if maxCount < 0 {
		return nil, &RuleError{Rule: s.RRule, Msg: fmt.Sprintf("Spec.MaxCount %d is negative", s.MaxCount)}
	}
	if s.First < minDate || s.First > maxDate {
		return nil, &RuleError{Rule: s.RRule, Msg: fmt.Sprintf("first date %s out of range 0001-01-01..9999-12-31", s.First)}
	}
	if s.Start < 0 || s.Start >= civil.EndOfDay {
		return nil, &RuleError{Rule: s.RRule, Msg: fmt.Sprintf("start time %s out of range 00:00..23:59:59", s.Start)}
	}
	p := &parsed{freq: daily, interval: 1, count: 1, wkst: time.Monday}
	if s.RRule != "" {
		var err error
		if p, err = parseRule(s.RRule, maxCount, s.Times); err != nil {
			return nil, err
		}
	}
	r := &Rule{src: s.RRule, first: s.First, freq: p.freq, interval: int64(p.interval), wkst: p.wkst}
	r.setParts(p)
	r.setTimes(p, s.Start)
	if p.freq >= hourly {
		// Dates are those of a DAILY rule with the same day parts; times
		// come from the grid of DTSTART + k·INTERVAL hours or minutes.
		r.setGrid(p, s.Start)
		r.freq, r.interval = daily, 1
		if err := r.gridReaches(p, s.Start); err != nil {
			return nil, err
		}
	}

	// Upper bound from UNTIL and Spec.Until, then COUNT.
	r.hi = maxDate + 1
	if p.until != untilNone {
		r.untilDate, r.hasUntil = p.untilDate, true
		last, keep, full := r.untilLast(p, s)
		r.hi = min(r.hi, last+1)
		r.cut, r.keep = keep < full, keep
		r.bounded = true
	}
	if s.HasUntil {
		if hi := max(min(s.Until, maxDate)+1, s.First); hi < r.hi {
			r.hi, r.cut = hi, false // whole days up to Spec.Until
		}
		r.bounded = true
	}
	if r.byTime || r.step != 0 {
		var buf [64]civil.TimeOfDay
		if len(r.AppendTimes(buf[:0], r.first)) == 0 {
			r.lo = r.first + 1 // no instance left on DTSTART's date
		}
	}
	first, ok := r.scanFirst(s.Budget)
	if !ok && s.Budget != nil && s.Budget.Days < 0 {
		return nil, s.Budget.err(s.RRule)
	}
	if !ok {
		r.empty, r.bounded = true, true
		r.firstOcc, r.lastOcc, r.hi = s.First, s.First-1, s.First
		return r, nil
	}
	r.firstOcc = first
	if p.count != 0 {
		r.bounded = true
		last, keep, full, n, err := r.nth0(p.count, s.Budget)
		if err != nil {
			return nil, err
		}
		if n == p.count {
			r.hi = last + 1
			r.cut, r.keep = keep < full, keep
		}
	}
	if r.bounded {
		r.lastOcc, _ = r.Prev(r.hi)
	}
	if len(s.Exclude) > 0 {
		r.setExclude(s.Exclude)
	}
	return r, nil
}

// setExclude removes dates from the compiled rule: COUNT is already
// expanded, so it counts them; the first and last occurrences move past
// excluded ones.
func (r *Rule) setExclude(dates []civil.Date) {
	r.exclude = slices.Compact(slices.Sorted(slices.Values(dates)))
	first, ok := r.Next(r.firstOcc)
	if !ok {
		r.empty, r.bounded = true, true
		r.firstOcc, r.lastOcc, r.hi = r.first, r.first-1, r.first
		return
	}
	r.firstOcc = first
	if r.bounded {
		r.lastOcc, _ = r.Prev(r.hi)
	}
}

// excluded reports whether d is one of the excluded dates.
func (r *Rule) excluded(d civil.Date) bool {
	_, found := slices.BinarySearch(r.exclude, d)
	return found
}

// dropExcluded removes the excluded dates from ds, a sorted run of
// occurrences, in place. Merging the two sorted lists costs
// O(len(ds) + len(exclude)) at worst and nothing without exclusions.
func (r *Rule) dropExcluded(ds []civil.Date) []civil.Date {
	if len(r.exclude) == 0 || len(ds) == 0 {
		return ds
	}
	ex, _ := slices.BinarySearch(r.exclude, ds[0])
	if ex == len(r.exclude) || r.exclude[ex] > ds[len(ds)-1] {
		return ds
	}
	out := ds[:0]
	for _, d := range ds {
		for ex < len(r.exclude) && r.exclude[ex] < d {
			ex++
		}
		if ex < len(r.exclude) && r.exclude[ex] == d {
			continue
		}
		out = append(out, d)
	}
	return out
}

// setParts turns the parsed BY* lists into bit sets, applying the defaults
// RFC 5545 implies and dateutil and rrule-go apply: without any day part, a
// YEARLY rule repeats DTSTART's month and day, a MONTHLY rule DTSTART's day
// of the month and a WEEKLY rule DTSTART's weekday. BYWEEKNO without BYDAY,
// BYMONTHDAY or BYYEARDAY takes DTSTART's weekday in those weeks, as RFC
// 5545 derives what a rule leaves out from DTSTART; dateutil and rrule-go
// take every day of the weeks instead.
func (r *Rule) setParts(p *parsed) {
	fy, fm, fd := r.first.YMD()
	bymonth, bymonthday, byday := p.bymonth, p.bymonthday, p.byday
	switch {
	case p.byweekno != nil && p.byyearday == nil && bymonthday == nil && byday == nil:
		byday = []weekdayNum{{wd: r.first.Weekday()}}
	case p.byweekno == nil && p.byyearday == nil && bymonthday == nil && byday == nil:
		switch p.freq {
		case yearly:
			if bymonth == nil {
				bymonth = []int{int(fm)}
			}
			bymonthday = []int{fd}
		case monthly:
			bymonthday = []int{fd}
		case weekly:
			byday = []weekdayNum{{wd: r.first.Weekday()}}
		}
	}
	for _, m := range bymonth {
		r.months |= 1 << m
	}
	for _, d := range bymonthday {
		r.hasMday = true
		if d > 0 {
			r.mdays |= 1 << d
		} else {
			r.nmdays |= 1 << -d
		}
	}
	for _, d := range p.byyearday {
		r.hasYday = true
		if d > 0 {
			r.ydays[d/64] |= 1 << (d % 64)
		} else {
			r.nydays[-d/64] |= 1 << (-d % 64)
		}
	}
	for _, n := range p.byweekno {
		r.hasWeekno = true
		if n > 0 {
			r.weeknos |= 1 << n
		} else {
			r.nweeknos |= 1 << -n
		}
	}
	for _, wn := range byday {
		r.hasByday = true
		switch {
		case wn.n == 0:
			r.wdays |= 1 << wn.wd
		case wn.n > 0:
			r.hasNth = true
			r.nth[wn.wd] |= 1 << wn.n
		default:
			r.hasNth = true
			r.nnth[wn.wd] |= 1 << -wn.n
		}
	}
	r.nthInYear = p.freq == yearly && bymonth == nil
	r.setpos = p.bysetpos
	r.weekdaysOnly = r.months == 0 && !r.hasMday && !r.hasYday && !r.hasNth && !r.hasWeekno
	r.needYearDay = r.hasYday || (r.hasNth && r.nthInYear)

	r.week0 = r.first - civil.Date((int(r.first.Weekday())-int(r.wkst)+7)%7)
	r.month0 = int64(fy)*12 + int64(fm) - 1
	r.year0 = int64(fy)
}

// setTimes lists the local times of each occurrence date: BYHOUR ×
// BYMINUTE × BYSECOND, each defaulting to DTSTART's (RFC 5545 §3.3.10),
// sorted; without those parts, DTSTART's time alone.
func (r *Rule) setTimes(p *parsed, start civil.TimeOfDay) {
	r.byTime = p.byhour != nil || p.byminute != nil || p.bysecond != nil
	r.lo = r.first
	if !r.byTime {
		r.one[0] = start
		r.times = r.one[:] // no allocation for the common rule
		r.keep = 1
		return
	}
	or := func(l []int, v int) []int {
		if l == nil {
			return []int{v}
		}
		return l
	}
	s := int(start)
	for _, h := range or(p.byhour, s/3600) {
		for _, m := range or(p.byminute, s/60%60) {
			for _, sec := range or(p.bysecond, s%60) {
				r.times = append(r.times, civil.TimeOfDay(h*3600+m*60+sec))
			}
		}
	}
	slices.Sort(r.times)
	r.times = slices.Compact(r.times)
	r.skip, _ = slices.BinarySearch(r.times, start)
	r.keep = len(r.times)
}

// untilLast returns the last date with an instance not after the rule's
// UNTIL, how many of the date's times (from its first, DTSTART's date
// included) that keeps, and how many it has. An UNTIL given as a DATE keeps
// whole days. It looks at three dates at most.
func (r *Rule) untilLast(p *parsed, s Spec) (civil.Date, int, int) {
	var buf [64]civil.TimeOfDay
	if p.until == untilDate {
		full := r.appendFull(buf[:0], p.untilDate)
		return p.untilDate, len(full), len(full)
	}
	z := s.Zone
	if z == nil {
		z = tz.UTC
	}
	u := int64(p.untilDate)*86400 + int64(p.untilTime) // the UNTIL instant, or local seconds
	at := func(d civil.Date, t civil.TimeOfDay) int64 { return int64(d)*86400 + int64(t) }
	d := p.untilDate
	if p.until == untilUTC {
		at = func(d civil.Date, t civil.TimeOfDay) int64 { return z.Instant(d, t) }
		d, _ = z.Local(u)
		d++
	}
	for {
		full := r.appendFull(buf[:0], d)
		keep := sort.Search(len(full), func(i int) bool { return at(d, full[i]) > u })
		// Stop at a date with an instance within UNTIL, or one that ends
		// before it (offsets are under a day: three dates at most).
		if keep > 0 || at(d+1, 0) <= u {
			return d, keep, len(full)
		}
		d--
	}
}

// setGrid sets the grid of FREQ=HOURLY or MINUTELY: instances at the local
// wall-clock times DTSTART + k·INTERVAL hours (or minutes), as dateutil
// steps them, BYHOUR (and for MINUTELY BYMINUTE) keeping some, BYMINUTE
// (for HOURLY) and BYSECOND expanding each, as RFC 5545's table says.
func (r *Rule) setGrid(p *parsed, start civil.TimeOfDay) {
	unit := int64(3600)
	if p.freq == minutely {
		unit = 60
	}
	r.step = int64(p.interval) * unit
	r.origin = int64(r.first)*86400 + int64(start) - int64(start)%unit
	for _, h := range p.byhour {
		r.hours |= 1 << h
	}
	if p.freq == minutely {
		for _, m := range p.byminute {
			r.minutes |= 1 << m
		}
	}
	r.secs = []int{int(start) % 60}
	if p.bysecond != nil {
		r.secs = slices.Compact(slices.Sorted(slices.Values(p.bysecond)))
	}
	r.mins = nil
	if p.freq == hourly {
		r.mins = []int{int(start) / 60 % 60}
		if p.byminute != nil {
			r.mins = slices.Compact(slices.Sorted(slices.Values(p.byminute)))
		}
	}
	r.skip = 0 // the grid starts at DTSTART
	r.start = start
}

// gridReaches refuses an HOURLY or MINUTELY grid that never meets its
// BYHOUR (and, for MINUTELY, BYMINUTE) filter, as dateutil does ("byxxx
// generates an empty set"), rather than walk 100,000 days to find no
// instance. With u the unit (an hour or a minute), n the units of a day
// and g = gcd(INTERVAL, n), the grid's wall-clock times of day are exactly
// those ≡ DTSTART's (mod g) in units of u, whatever the date and the DST
// days (the grid steps the wall clock). Cost: at most 24·60 tests.
func (r *Rule) gridReaches(p *parsed, start civil.TimeOfDay) error {
	if r.hours == 0 && r.minutes == 0 {
		return nil
	}
	unit, perHour := int64(3600), int64(1)
	if p.freq == minutely {
		unit, perHour = 60, 60
	}
	n := 86400 / unit
	g := gcd(int64(p.interval), n)
	t0 := int64(start) / unit
	for h := range int64(24) {
		if r.hours != 0 && r.hours&(1<<h) == 0 {
			continue
		}
		for m := range perHour {
			if r.minutes != 0 && r.minutes&(1<<m) == 0 {
				continue
			}
			if (h*perHour+m-t0)%g == 0 {
				return nil
			}
		}
	}
	part := "BYHOUR"
	switch {
	case r.hours != 0 && r.minutes != 0:
		part = "BYHOUR and BYMINUTE"
	case r.hours == 0:
		part = "BYMINUTE"
	}
	return &RuleError{Rule: r.src, Msg: fmt.Sprintf(
		"%s: FREQ=%s;INTERVAL=%d from DTSTART's %s reaches only the times of day a multiple of %d %ss from it: the rule has no instance",
		part, p.freq, p.interval, start, g, map[bool]string{true: "minute", false: "hour"}[unit == 60])}
}

// appendFull appends the times of date d before the COUNT or UNTIL cut,
// those before DTSTART on its date included (but for the grid of HOURLY
// and MINUTELY, which starts at DTSTART).
func (r *Rule) appendFull(dst []civil.TimeOfDay, d civil.Date) []civil.TimeOfDay {
	if r.step == 0 {
		return append(dst, r.times...)
	}
	day := int64(d) * 86400
	k := int64(0)
	if rel := day - r.origin; rel > 0 {
		k = (rel + r.step - 1) / r.step
	}
	for g := r.origin + k*r.step; g < day+86400; g += r.step {
		t := g - day // a multiple of the unit
		if r.hours != 0 && r.hours&(1<<(t/3600)) == 0 {
			continue
		}
		if r.minutes != 0 && r.minutes&(1<<(t/60%60)) == 0 {
			continue
		}
		if r.mins == nil { // MINUTELY: seconds expand the minute
			for _, sec := range r.secs {
				if tt := civil.TimeOfDay(t + int64(sec)); d != r.first || tt >= r.start {
					dst = append(dst, tt)
				}
			}
			continue
		}
		for _, m := range r.mins { // HOURLY: minutes and seconds expand the hour
			for _, sec := range r.secs {
				if tt := civil.TimeOfDay(t + int64(m*60+sec)); d != r.first || tt >= r.start {
					dst = append(dst, tt)
				}
			}
		}
	}
	return dst
}

// AppendTimes appends to dst the local times of the instances on date d,
// an occurrence date, ascending: every time of the rule, except on
// DTSTART's date (none before DTSTART) and on the last date of a rule
// bounded by UNTIL or COUNT (none past them). Without FREQ=HOURLY or
// MINUTELY the times are the same every date but those two, a handful; with
// them they follow the grid, and a date may have none. It allocates only
// when dst lacks capacity.
func (r *Rule) AppendTimes(dst []civil.TimeOfDay, d civil.Date) []civil.TimeOfDay {
	n := len(dst)
	dst = r.appendFull(dst, d)
	t := dst[n:]
	if r.cut && d == r.hi-1 {
		t = t[:min(r.keep, len(t))]
	}
	if d == r.first {
		t = t[min(r.skip, len(t)):]
	}
	return dst[:n+copy(dst[n:], t)]
}

// HasTimes reports whether the rule has BYHOUR, BYMINUTE or BYSECOND, or
// FREQ=HOURLY or MINUTELY: instances at other times than DTSTART's.
func (r *Rule) HasTimes() bool { return r.byTime || r.step != 0 }

// OwnUntil returns the date the rule's own UNTIL part names, as written
// (in UTC for a "…Z" UNTIL), and false when the rule has no UNTIL. A date
// before Spec.First means the rule ends before it starts, which callers
// may refuse as they refuse a Spec.Until before Spec.First.
func (r *Rule) OwnUntil() (civil.Date, bool) { return r.untilDate, r.hasUntil }

// Fast reports whether queries seek directly to the window, at a cost
// independent of the rule's age. It is true for every rule Compile accepts,
// BYWEEKNO included; callers written when some rules were expanded from
// DTSTART may keep checking it.
func (r *Rule) Fast() bool { return true }

// String returns the RRULE value the rule was compiled from.
func (r *Rule) String() string { return r.src }

// Bounds returns the first occurrence and, when the rule is finite (UNTIL,
// COUNT or Spec.Until), the last one, with bounded true; otherwise last is
// 0 and bounded false. A rule with no occurrence at all returns
// first > last and bounded true.
func (r *Rule) Bounds() (first, last civil.Date, bounded bool) {
	if r.bounded {
		return r.firstOcc, r.lastOcc, true
	}
	return r.firstOcc, 0, false
}

// Next returns the first occurrence on or after from.
func (r *Rule) Next(from civil.Date) (civil.Date, bool) {
	if r.empty {
		return 0, false
	}
	var c cursor
	c.init(r, from, r.hi)
	return c.next()
}

// Prev returns the last occurrence before before.
func (r *Rule) Prev(before civil.Date) (civil.Date, bool) {
	if r.empty || before <= r.firstOcc {
		return 0, false
	}
	before = min(before, r.hi)
	return r.prevFast(before)
}

// AppendBetween appends to dst the occurrence dates d with from <= d < to,
// in ascending order. With limit > 0, a window holding more than limit
// occurrences is an error wrapping ErrTooManyOccurrences, returned with the
// first limit appended. With enough capacity in dst it does not allocate.
func (r *Rule) AppendBetween(dst []civil.Date, from, to civil.Date, limit int) ([]civil.Date, error) {
	dst, _, err := r.AppendBetweenStats(dst, from, to, limit)
	return dst, err
}

// AppendBetweenStats is AppendBetween, also reporting the work done.
func (r *Rule) AppendBetweenStats(dst []civil.Date, from, to civil.Date, limit int) ([]civil.Date, Stats, error) {
	var st Stats
	lo, hi := max(from, r.lo), min(to, r.hi)
	if r.empty || lo >= hi {
		return dst, st, nil
	}
	base := len(dst)
	var buf *[maxPeriodDays]civil.Date // BYSETPOS scratch; on the stack
	if r.setpos != nil {
		buf = new([maxPeriodDays]civil.Date)
	}
	for p := r.periodFrom(lo); ; p++ {
		ps, pe := r.period(p)
		if ps >= hi || (limit > 0 && len(dst)-base > limit) {
			break
		}
		st.Periods++
		n := len(dst)
		if buf == nil {
			dst = r.generate(dst, ps, pe, lo, hi, &st) // straight into dst
		} else {
			dst = append(dst, r.generate(buf[:0], ps, pe, lo, hi, &st)...)
		}
		dst = append(dst[:n], r.dropExcluded(dst[n:])...)
	}
	if limit > 0 && len(dst)-base > limit {
		return dst[:base+limit], st, fmt.Errorf("recur: rrule %q: more than %d occurrences in [%s, %s): %w",
			r.src, limit, from, to, ErrTooManyOccurrences)
	}
	return dst, st, nil
}

// Between returns the occurrence dates d with from <= d < to, in ascending
// order, computed lazily as the sequence is consumed.
func (r *Rule) Between(from, to civil.Date) iter.Seq[civil.Date] {
	return func(yield func(civil.Date) bool) {
		if r.empty || from >= to {
			return
		}
		var c cursor
		c.init(r, from, min(to, r.hi))
		for {
			d, ok := c.next()
			if !ok || !yield(d) {
				return
			}
		}
	}
}
