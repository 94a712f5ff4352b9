package ical

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	goical "github.com/emersion/go-ical"

	"github.com/crossagenda/crossagenda/internal/recur"
	"github.com/crossagenda/crossagenda/internal/tz"
)

// Options situate and bound one calendar. Zero fields take the defaults.
type Options struct {
	// Name names the calendar in errors.
	Name string
	// Zone is the zone of floating times and all-day events: the agent's.
	// nil means UTC.
	Zone *tz.Zone
	// MaxBytes bounds the text. Default 10 MiB.
	MaxBytes int64
	// MaxEvents bounds the VEVENT components. Default 50,000.
	MaxEvents int
	// MaxDates bounds the RDATE and EXDATE values of one event.
	// Default 10,000.
	MaxDates int
	// MaxCount bounds the COUNT of a rule. Default recur.DefaultMaxCount.
	MaxCount int
	// MaxRuleDays bounds the days the RRULEs of all the calendar's events
	// walk, together, when Parse compiles them (to find each first
	// instance and to count COUNT), so that thousands of rules that never
	// or rarely match cannot each walk their bound (one calendar cycle, or
	// 100,000 days for HOURLY and MINUTELY).
	// Default 10,000,000: 1,000 daily series of COUNT=10,000.
	MaxRuleDays int64
}

// Defaults of Options.
const (
	DefaultMaxBytes  = 10 << 20
	DefaultMaxEvents = 50_000
	DefaultMaxDates  = 10_000

	DefaultMaxRuleDays = 10_000_000
)

// maxDays bounds a duration: no event lasts a century.
const maxDays = 36600

func (o Options) withDefaults() Options {
	if o.Zone == nil {
		o.Zone = tz.UTC
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxEvents <= 0 {
		o.MaxEvents = DefaultMaxEvents
	}
	if o.MaxDates <= 0 {
		o.MaxDates = DefaultMaxDates
	}
	if o.MaxCount <= 0 {
		o.MaxCount = recur.DefaultMaxCount
	}
	if o.MaxRuleDays <= 0 {
		o.MaxRuleDays = DefaultMaxRuleDays
	}
	return o
}

// Occurrence is one instance of an event, in Unix seconds over
// [Start, End).
type Occurrence struct {
	Start, End int64
	// UID is the event's UID ("#N" for the N-th VEVENT without one).
	UID string
	// Original is the instance's start before an override moved it (its
	// RECURRENCE-ID), or Start for an event that does not recur.
	Original int64
	// Blocking is false for transparent, free and cancelled events.
	Blocking bool
	// AllDay is true for events of whole days (DTSTART;VALUE=DATE).
	AllDay bool
}

// Calendar is a parsed calendar, ready to be expanded over any window.
// It is immutable and safe for concurrent use.
type Calendar struct {
	name     string
	events   int
	once     []Occurrence // single instances, by start
	onceMax  int64        // longest of once up to longOnce
	onceLong []int        // indices in once of the longer ones
	series   []*series
}

// longOnce splits single events: longer ones are scanned apart, so that one
// month-long holiday does not widen every search.
const longOnce = 7 * 86400

// Name returns the calendar's name.
func (c *Calendar) Name() string { return c.name }

// Events returns the number of VEVENT components read.
func (c *Calendar) Events() int { return c.events }

// Series returns the number of recurring events.
func (c *Calendar) Series() int { return len(c.series) }

type parser struct {
	o Options
	// zones maps the TZIDs of the calendar's VTIMEZONEs that name no
	// known zone to the IANA zone their rules match.
	zones map[string]*tz.Zone
	// ruleDays is shared by every RRULE's compilation: MaxRuleDays.
	ruleDays recur.Budget
}

func (p *parser) fail(uid, prop, format string, args ...any) *Error {
	return &Error{Calendar: p.o.Name, UID: uid, Property: prop, Msg: fmt.Sprintf(format, args...), Err: ErrInvalid}
}

func (p *parser) limit(field, uid, prop, format string, args ...any) *Error {
	return &Error{Calendar: p.o.Name, UID: uid, Property: prop, Limit: field,
		Msg: fmt.Sprintf(format, args...) + fmt.Sprintf(" (the limit is %s)", field), Err: ErrLimit}
}

func eventName(uid string, i int) string {
	if uid == "" {
		return "#" + strconv.Itoa(i)
	}
	return uid
}

// Parse reads a calendar. It reads at most o.MaxBytes+1 bytes of r, checks
// everything it uses, and returns an [*Error] naming the calendar, the
// event and the property at the first problem. Its cost is linear in the
// text, plus compiling each rule (see internal/recur).
func Parse(r io.Reader, o Options) (*Calendar, error) {
	o = o.withDefaults()
	p := &parser{o: o, ruleDays: recur.Budget{Days: o.MaxRuleDays}}
	data, err := io.ReadAll(io.LimitReader(r, o.MaxBytes+1))
	if err != nil {
		e := p.fail("", "", "reading: %v", err)
		e.Err = errors.Join(ErrInvalid, err)
		return nil, e
	}
	if int64(len(data)) > o.MaxBytes {
		return nil, p.limit("MaxBytes", "", "", "longer than %d bytes", o.MaxBytes)
	}
	if err := p.scan(data); err != nil {
		return nil, err
	}
	comps, err := decode(data)
	if err != nil {
		return nil, p.fail("", "", "%v", err)
	}
	for _, cal := range comps { // zones first: events may come before them
		for _, child := range cal.Children {
			if child.Name == goical.CompTimezone {
				if err := p.timezone(child); err != nil {
					return nil, err
				}
			}
		}
	}
	var evs []*vevent
	for _, cal := range comps {
		for _, child := range cal.Children {
			switch child.Name {
			case goical.CompEvent:
				ev, err := p.event(child, len(evs))
				if err != nil {
					return nil, err
				}
				evs = append(evs, ev)
			}
		}
	}
	return p.build(evs)
}

// decode runs the decoder over every VCALENDAR of the text. scan has
// checked what makes it panic; recover stays as a last guard, turning a
// panic into an error.
func decode(data []byte) (comps []*goical.Component, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("malformed calendar: %v", r)
		}
	}()
	dec := goical.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	for {
		cal, err := dec.Decode()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		comps = append(comps, cal.Component)
	}
	if len(comps) == 0 {
		return nil, errors.New("no VCALENDAR")
	}
	return comps, nil
}

func (p *parser) timezone(c *goical.Component) error {
	prop := c.Props.Get(goical.PropTimezoneID)
	if prop == nil {
		return p.fail("", "VTIMEZONE", "TZID is missing")
	}
	if _, ok := loadZone(prop.Value); ok {
		return nil
	}
	if len(p.zones) >= maxMatched {
		return p.fail("", "VTIMEZONE", "TZID %q: more than %d VTIMEZONEs to match by their rules", prop.Value, maxMatched)
	}
	z, err := matchVTimezone(c)
	if err != nil {
		return p.fail("", "VTIMEZONE", "TZID %q is neither an IANA zone nor a Windows zone name that CLDR maps, and its rules match no zone: %v",
			prop.Value, err)
	}
	if p.zones == nil {
		p.zones = map[string]*tz.Zone{}
	}
	p.zones[prop.Value] = z
	return nil
}

// vevent is one VEVENT, interpreted.
type vevent struct {
	name     string // UID or "#N"
	hasUID   bool
	start    when
	startAt  int64
	dur      dur
	blocking bool
	rule     *recur.Rule
	rdates   []rdate
	exdates  []int64
	rid      int64
	hasRID   bool
	future   bool // RANGE=THISANDFUTURE
	sequence int
}

// rdate is an extra instance: its start, and its end for a PERIOD (-1
// otherwise: the event's duration applies).
type rdate struct {
	start, end int64
}

func (p *parser) event(c *goical.Component, i int) (*vevent, error) {
	ev := &vevent{name: eventName("", i)}
	if u := c.Props.Get(goical.PropUID); u != nil && u.Value != "" {
		ev.name, ev.hasUID = u.Value, true
	}
	fail := func(prop, format string, args ...any) (*vevent, error) {
		return nil, p.fail(ev.name, prop, format, args...)
	}
	one := func(name string) (*goical.Prop, error) {
		ps := c.Props.Values(name)
		if len(ps) > 1 {
			return nil, p.fail(ev.name, name, "appears %d times", len(ps))
		}
		if len(ps) == 0 {
			return nil, nil
		}
		return &ps[0], nil
	}
	ds, err := one(goical.PropDateTimeStart)
	if err != nil {
		return nil, err
	}
	if ds == nil {
		return fail("DTSTART", "DTSTART is missing")
	}
	if ev.start, err = p.when(ds); err != nil {
		return fail("DTSTART", "%v", err)
	}
	ev.startAt = ev.start.instant()

	de, err := one(goical.PropDateTimeEnd)
	if err != nil {
		return nil, err
	}
	du, err := one(goical.PropDuration)
	if err != nil {
		return nil, err
	}
	switch {
	case de != nil && du != nil:
		return fail("DURATION", "DTEND and DURATION together: an event has one or the other")
	case de != nil:
		end, err := p.when(de)
		if err != nil {
			return fail("DTEND", "%v", err)
		}
		if end.isDate != ev.start.isDate {
			return fail("DTEND", "DTEND is a %s but DTSTART a %s", kind(end), kind(ev.start))
		}
		if ev.start.isDate {
			ev.dur.days = int(end.date - ev.start.date)
		} else {
			ev.dur.secs = end.instant() - ev.startAt
		}
		if ev.dur.days < 0 || ev.dur.secs < 0 {
			return fail("DTEND", "DTEND %s is before DTSTART %s", de.Value, ds.Value)
		}
	case du != nil:
		if ev.dur, err = parseDuration(du.Value, maxDays); err != nil {
			return fail("DURATION", "%v", err)
		}
		if ev.dur.days < 0 || ev.dur.secs < 0 {
			return fail("DURATION", "%s is negative", du.Value)
		}
		if ev.start.isDate && ev.dur.secs != 0 {
			return fail("DURATION", "%s has hours, minutes or seconds but DTSTART is a DATE", du.Value)
		}
	case ev.start.isDate:
		ev.dur.days = 1 // RFC 5545 §3.6.1: an all-day event without an end lasts one day
	}
	if ev.dur.days > maxDays {
		return fail("DTEND", "the event lasts more than %d days", maxDays)
	}

	ev.blocking = true
	if s, _ := one(goical.PropStatus); s != nil && strings.EqualFold(s.Value, "CANCELLED") {
		ev.blocking = false
	}
	if t, _ := one(goical.PropTransparency); t != nil && strings.EqualFold(t.Value, "TRANSPARENT") {
		ev.blocking = false
	}
	if b := c.Props.Get("X-MICROSOFT-CDO-BUSYSTATUS"); b != nil {
		switch strings.ToUpper(b.Value) {
		case "FREE", "WORKINGELSEWHERE":
			ev.blocking = false
		}
	}
	if s := c.Props.Get(goical.PropSequence); s != nil {
		ev.sequence, _ = strconv.Atoi(s.Value)
	}

	if rid, err := one(goical.PropRecurrenceID); err != nil {
		return nil, err
	} else if rid != nil {
		w, err := p.when(rid)
		if err != nil {
			return fail("RECURRENCE-ID", "%v", err)
		}
		ev.rid, ev.hasRID = w.instant(), true
		switch r := strings.ToUpper(rid.Params.Get("RANGE")); r {
		case "":
		case "THISANDFUTURE":
			ev.future = true
		default:
			return fail("RECURRENCE-ID", "RANGE=%s: want THISANDFUTURE", r)
		}
		if !ev.hasUID {
			return fail("RECURRENCE-ID", "an instance override needs the UID of its event")
		}
	}

	rules := c.Props.Values(goical.PropRecurrenceRule)
	if len(rules) > 1 {
		return fail("RRULE", "%d RRULE properties: RFC 5545 allows one", len(rules))
	}
	if len(rules) == 1 {
		if ev.hasRID {
			return fail("RRULE", "an instance override (RECURRENCE-ID) cannot recur")
		}
		spec := recur.Spec{RRule: rules[0].Value, First: ev.start.date, Start: ev.start.tod, Zone: ev.start.zone, MaxCount: p.o.MaxCount, Times: true, Budget: &p.ruleDays}
		if ev.rule, err = recur.Compile(spec); err != nil {
			msg := strings.TrimPrefix(err.Error(), "recur: ")
			if errors.Is(err, recur.ErrBudget) {
				e := p.limit("MaxRuleDays", ev.name, "RRULE", "%s", strings.ReplaceAll(msg,
					"the budget (the limit is Spec.Budget)", "this calendar's budget"))
				e.Err = errors.Join(ErrLimit, err)
				return nil, e
			}
			if strings.Contains(msg, "Spec.MaxCount") {
				e := p.limit("MaxCount", ev.name, "RRULE", "%s", strings.ReplaceAll(msg, " (the limit is Spec.MaxCount)", ""))
				e.Err = errors.Join(ErrLimit, err)
				return nil, e
			}
			e := p.fail(ev.name, "RRULE", "%s", msg)
			e.Err = errors.Join(ErrInvalid, err)
			return nil, e
		}
		if ev.start.isDate && ev.rule.HasTimes() {
			return fail("RRULE", "BYHOUR, BYMINUTE, BYSECOND, FREQ=HOURLY or MINUTELY with an all-day DTSTART (VALUE=DATE): the instances are whole days")
		}
	}
	n := 0
	for _, prop := range c.Props.Values(goical.PropRecurrenceDates) {
		for v := range strings.SplitSeq(prop.Value, ",") {
			if n++; n > p.o.MaxDates {
				return nil, p.limit("MaxDates", ev.name, "RDATE", "more than %d RDATE and EXDATE values", p.o.MaxDates)
			}
			rd, err := p.rdate(&prop, v)
			if err != nil {
				return fail("RDATE", "%v", err)
			}
			ev.rdates = append(ev.rdates, rd)
		}
	}
	for _, prop := range c.Props.Values(goical.PropExceptionDates) {
		for v := range strings.SplitSeq(prop.Value, ",") {
			if n++; n > p.o.MaxDates {
				return nil, p.limit("MaxDates", ev.name, "EXDATE", "more than %d RDATE and EXDATE values", p.o.MaxDates)
			}
			w, err := p.whenValue(&prop, v)
			if err != nil {
				return fail("EXDATE", "%v", err)
			}
			if w.isDate && !ev.start.isDate {
				// A date excludes the instance of that day, at DTSTART's time.
				w = when{date: w.date, tod: ev.start.tod, zone: ev.start.zone}
			}
			ev.exdates = append(ev.exdates, w.instant())
		}
	}
	if ev.hasRID && (len(ev.rdates) > 0 || len(ev.exdates) > 0) {
		return fail("RECURRENCE-ID", "an instance override cannot have RDATE or EXDATE")
	}
	return ev, nil
}

func kind(w when) string {
	if w.isDate {
		return "DATE"
	}
	return "DATE-TIME"
}

// when reads a DATE or DATE-TIME property.
func (p *parser) when(prop *goical.Prop) (when, error) {
	return p.whenValue(prop, prop.Value)
}

func (p *parser) whenValue(prop *goical.Prop, v string) (when, error) {
	var zone *tz.Zone
	if id := prop.Params.Get(goical.PropTimezoneID); id != "" {
		z, ok := p.zones[id]
		if !ok {
			z, ok = loadZone(id)
		}
		if !ok {
			return when{}, fmt.Errorf("TZID %q is neither an IANA zone nor a Windows zone name that CLDR maps", id)
		}
		zone = z
	}
	return parseWhen(strings.TrimSpace(v), prop.Params.Get(goical.ParamValue), zone, p.o.Zone)
}

// rdate reads one RDATE value: a DATE, a DATE-TIME or a PERIOD.
func (p *parser) rdate(prop *goical.Prop, v string) (rdate, error) {
	if !strings.EqualFold(prop.Params.Get(goical.ParamValue), "PERIOD") {
		w, err := p.whenValue(prop, v)
		if err != nil {
			return rdate{}, err
		}
		return rdate{start: w.instant(), end: -1}, nil
	}
	a, b, ok := strings.Cut(v, "/")
	if !ok {
		return rdate{}, fmt.Errorf("%q is not a PERIOD (start/end or start/duration)", v)
	}
	noValue := *prop
	noValue.Params = goical.Params{}
	for k, vs := range prop.Params {
		if k != goical.ParamValue {
			noValue.Params[k] = vs
		}
	}
	s, err := p.whenValue(&noValue, a)
	if err != nil || s.isDate {
		return rdate{}, fmt.Errorf("%q is not a PERIOD: its start is not a DATE-TIME", v)
	}
	r := rdate{start: s.instant()}
	if strings.HasPrefix(b, "P") || strings.HasPrefix(b, "+P") {
		d, err := parseDuration(b, maxDays)
		if err != nil || d.days < 0 || d.secs < 0 {
			return rdate{}, fmt.Errorf("%q is not a PERIOD: bad duration", v)
		}
		r.end = d.end(r.start, s.zone)
	} else {
		e, err := p.whenValue(&noValue, b)
		if err != nil || e.isDate {
			return rdate{}, fmt.Errorf("%q is not a PERIOD: its end is not a DATE-TIME", v)
		}
		r.end = e.instant()
	}
	if r.end < r.start {
		return rdate{}, fmt.Errorf("PERIOD %q ends before it starts", v)
	}
	return r, nil
}

// build groups the events by UID into single instances and series.
func (p *parser) build(evs []*vevent) (*Calendar, error) {
	c := &Calendar{name: p.o.Name, events: len(evs)}
	masters := make(map[string]*vevent, len(evs))
	overrides := map[string][]*vevent{}
	for _, ev := range evs {
		if ev.hasRID {
			overrides[ev.name] = append(overrides[ev.name], ev)
			continue
		}
		if _, dup := masters[ev.name]; dup {
			return nil, p.fail(ev.name, "UID", "two events with this UID and no RECURRENCE-ID")
		}
		masters[ev.name] = ev
	}
	for _, ev := range evs {
		if ev.hasRID || masters[ev.name] != ev {
			continue
		}
		ovs := overrides[ev.name]
		if ev.rule == nil && len(ev.rdates) == 0 && len(ovs) == 0 {
			c.addOnce(ev.single(ev.startAt, ev.startAt))
			continue
		}
		s, err := p.newSeries(ev, ovs)
		if err != nil {
			return nil, err
		}
		c.series = append(c.series, s)
		for _, o := range s.overrides {
			c.addOnce(o.single(o.startAt, o.rid))
		}
	}
	for uid, ovs := range overrides {
		if _, ok := masters[uid]; ok {
			continue
		}
		for _, o := range dedupeOverrides(ovs) {
			c.addOnce(o.single(o.startAt, o.rid)) // an instance whose series is not in this calendar
		}
	}
	slices.SortFunc(c.once, func(a, b Occurrence) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End), strings.Compare(a.UID, b.UID))
	})
	for i, o := range c.once {
		if l := o.End - o.Start; l <= longOnce {
			c.onceMax = max(c.onceMax, l)
		} else {
			c.onceLong = append(c.onceLong, i)
		}
	}
	return c, nil
}

func (c *Calendar) addOnce(o Occurrence) {
	if o.End > o.Start {
		c.once = append(c.once, o)
	}
}

// single is ev's one instance at start.
func (ev *vevent) single(start, original int64) Occurrence {
	return Occurrence{Start: start, End: ev.dur.end(start, ev.start.zone), UID: ev.name,
		Original: original, Blocking: ev.blocking, AllDay: ev.start.isDate}
}

// dedupeOverrides keeps, for each RECURRENCE-ID, the override with the
// highest SEQUENCE, sorted by RECURRENCE-ID.
func dedupeOverrides(ovs []*vevent) []*vevent {
	ovs = slices.Clone(ovs)
	slices.SortStableFunc(ovs, func(a, b *vevent) int {
		return cmp.Or(cmp.Compare(a.rid, b.rid), cmp.Compare(b.sequence, a.sequence))
	})
	return slices.CompactFunc(ovs, func(a, b *vevent) bool { return a.rid == b.rid })
}
