package reference

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/teambition/rrule-go"
)

// Reference answers the queries of a dataset the slow, obvious way.
//
// A Reference is immutable after [New]: its methods are safe for concurrent
// use. It keeps its own copy of the dataset's records, so the caller may
// mutate the dataset afterwards.
type Reference struct {
	ds        agenda.Dataset
	orgZone   map[string]*time.Location // by organisation id
	agentZone map[string]*time.Location // by agent id
	orgIDs    []string                  // every organisation id, in dataset order
	agents    map[string]agenda.Agent
	services  map[string]agenda.Service
	openings  []opening
	absences  []absence
	// calendars holds each agent's external calendars, parsed.
	calendars map[string][][]calEvent
}

// recurrence is a parsed first day, RRULE and until date, shared by opening
// periods and recurring absences.
type recurrence struct {
	first    day
	rule     *rrule.ROption // nil: a single occurrence on first
	utcUntil time.Time      // a rule UNTIL given as a UTC date-time (removed from rule); zero if none
	until    day            // the inclusive last date; zero if none
	exdates  []day          // dates whose occurrence is removed
}

type opening struct {
	src        agenda.OpeningPeriod
	loc        *time.Location
	rec        recurrence
	start, end int // seconds after midnight; end may be 86400
}

type absence struct {
	src        agenda.Absence
	loc        *time.Location
	rec        recurrence // rule nil for a one-off absence
	endDay     day        // one-off absences only
	start, end int
}

// New checks that every zone, date, time of day and rule of ds parses and
// returns a Reference on a copy of ds. It builds no index: lookups by id
// aside, every query scans the records.
func New(ds *agenda.Dataset) (*Reference, error) {
	r := &Reference{
		orgZone:   map[string]*time.Location{},
		agentZone: map[string]*time.Location{},
		agents:    map[string]agenda.Agent{},
		services:  map[string]agenda.Service{},
	}
	r.ds = *ds
	r.ds.Organisations = slices.Clone(ds.Organisations)
	for i := range r.ds.Organisations {
		r.ds.Organisations[i].WorkedHolidays = slices.Clone(r.ds.Organisations[i].WorkedHolidays)
	}
	r.ds.Agents = slices.Clone(ds.Agents)
	r.ds.Places = slices.Clone(ds.Places)
	r.ds.Services = slices.Clone(ds.Services)
	r.ds.OpeningPeriods = slices.Clone(ds.OpeningPeriods)
	r.ds.Absences = slices.Clone(ds.Absences)
	r.ds.Appointments = slices.Clone(ds.Appointments)
	r.ds.ClosedDays = slices.Clone(ds.ClosedDays)
	r.ds.HolidayCalendars = slices.Clone(ds.HolidayCalendars)
	for i := range r.ds.Agents {
		r.ds.Agents[i].OrganisationIDs = slices.Clone(r.ds.Agents[i].OrganisationIDs)
	}
	for i := range r.ds.OpeningPeriods {
		r.ds.OpeningPeriods[i].ServiceIDs = slices.Clone(r.ds.OpeningPeriods[i].ServiceIDs)
	}
	for i := range r.ds.Appointments {
		r.ds.Appointments[i].AgentIDs = slices.Clone(r.ds.Appointments[i].AgentIDs)
	}

	defZone, err := loadZone(r.ds.TimeZone)
	if err != nil {
		return nil, err
	}
	for _, o := range r.ds.Organisations {
		loc := defZone
		if o.TimeZone != "" {
			if loc, err = loadZone(o.TimeZone); err != nil {
				return nil, fmt.Errorf("reference: organisation %q: %w", o.ID, err)
			}
		}
		r.orgZone[o.ID] = loc
		r.orgIDs = append(r.orgIDs, o.ID)
	}
	for _, a := range r.ds.Agents {
		r.agents[a.ID] = a
		switch {
		case a.TimeZone != "":
			loc, err := loadZone(a.TimeZone)
			if err != nil {
				return nil, fmt.Errorf("reference: agent %q: %w", a.ID, err)
			}
			r.agentZone[a.ID] = loc
		case len(a.OrganisationIDs) > 0 && r.orgZone[a.OrganisationIDs[0]] != nil:
			r.agentZone[a.ID] = r.orgZone[a.OrganisationIDs[0]]
		default:
			return nil, fmt.Errorf("reference: agent %q has no time zone and no known first organisation", a.ID)
		}
	}
	r.calendars = map[string][][]calEvent{}
	for _, c := range ds.Calendars {
		loc := r.agentZone[c.AgentID]
		if loc == nil {
			return nil, fmt.Errorf("reference: calendar %q: unknown agent %q", c.ID, c.AgentID)
		}
		evs, err := parseCalendar(c, loc)
		if err != nil {
			return nil, err
		}
		r.calendars[c.AgentID] = append(r.calendars[c.AgentID], evs)
	}
	for _, s := range r.ds.Services {
		if r.orgZone[s.OrganisationID] == nil {
			return nil, fmt.Errorf("reference: service %q: unknown organisation %q", s.ID, s.OrganisationID)
		}
		if !s.Collective && s.DurationMinutes <= 0 {
			return nil, fmt.Errorf("reference: service %q: duration must be positive", s.ID)
		}
		r.services[s.ID] = s
	}
	for _, p := range r.ds.OpeningPeriods {
		o := opening{src: p, loc: r.orgZone[p.OrganisationID]}
		if o.loc == nil {
			return nil, fmt.Errorf("reference: opening period %q: unknown organisation %q", p.ID, p.OrganisationID)
		}
		if o.rec, err = parseRecurrence(p.FirstDay, p.RRule, p.Until, p.Exdates); err != nil {
			return nil, fmt.Errorf("reference: opening period %q: %w", p.ID, err)
		}
		if o.start, err = parseClock(p.StartTime, false); err == nil {
			o.end, err = parseClock(p.EndTime, true)
		}
		if err != nil {
			return nil, fmt.Errorf("reference: opening period %q: %w", p.ID, err)
		}
		r.openings = append(r.openings, o)
	}
	for _, ab := range r.ds.Absences {
		a := absence{src: ab, loc: r.agentZone[ab.AgentID]}
		if a.loc == nil {
			return nil, fmt.Errorf("reference: absence %q: unknown agent %q", ab.ID, ab.AgentID)
		}
		if a.rec, err = parseRecurrence(ab.FirstDay, ab.RRule, ab.Until, ab.Exdates); err != nil {
			return nil, fmt.Errorf("reference: absence %q: %w", ab.ID, err)
		}
		a.endDay = a.rec.first
		if ab.RRule == "" && ab.EndDay != "" {
			if a.endDay, err = parseDay(ab.EndDay); err != nil {
				return nil, fmt.Errorf("reference: absence %q: %w", ab.ID, err)
			}
		}
		if a.start, err = parseClock(ab.StartTime, false); err == nil {
			a.end, err = parseClock(ab.EndTime, true)
		}
		if err != nil {
			return nil, fmt.Errorf("reference: absence %q: %w", ab.ID, err)
		}
		r.absences = append(r.absences, a)
	}
	for _, c := range r.ds.ClosedDays {
		if _, err := parseDay(c.Date); err != nil {
			return nil, fmt.Errorf("reference: closed day: %w", err)
		}
	}
	for _, cal := range r.ds.HolidayCalendars {
		if _, ok := zoneNames[cal]; !ok {
			return nil, fmt.Errorf("reference: unknown holiday calendar %q", cal)
		}
	}
	for _, o := range r.ds.Organisations {
		if _, ok := zoneNames[o.HolidayCalendar]; !ok && o.HolidayCalendar != "" && o.HolidayCalendar != "none" {
			return nil, fmt.Errorf("reference: organisation %q: unknown holiday calendar %q", o.ID, o.HolidayCalendar)
		}
	}
	return r, nil
}

func loadZone(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("reference: time zone %q: %w", name, err)
	}
	return loc, nil
}

func parseRecurrence(first, rule, until string, exdates []string) (recurrence, error) {
	var rec recurrence
	var err error
	if rec.first, err = parseDay(first); err != nil {
		return rec, err
	}
	for _, s := range exdates {
		d, err := parseDay(s)
		if err != nil {
			return rec, fmt.Errorf("reference: exdates: %w", err)
		}
		rec.exdates = append(rec.exdates, d)
	}
	if until != "" {
		if rec.until, err = parseDay(until); err != nil {
			return rec, err
		}
	}
	if rule == "" {
		return rec, nil
	}
	opt, err := rrule.StrToROption(rule)
	if err != nil {
		return rec, fmt.Errorf("reference: rrule %q: %w", rule, err)
	}
	switch opt.Freq {
	case rrule.DAILY, rrule.WEEKLY, rrule.MONTHLY, rrule.YEARLY:
	default:
		return rec, fmt.Errorf("reference: rrule %q: only DAILY, WEEKLY, MONTHLY and YEARLY are supported", rule)
	}
	// rrule-go parses a DATE or floating DATE-TIME UNTIL in UTC, which
	// against a DTSTART of midnight UTC compares dates as dateutil does.
	// A UTC DATE-TIME UNTIL must instead be compared with each
	// occurrence's real start instant, which rrule-go cannot know.
	for _, part := range strings.Split(rule, ";") {
		if v, ok := strings.CutPrefix(part, "UNTIL="); ok && strings.HasSuffix(v, "Z") {
			rec.utcUntil = opt.Until
			opt.Until = time.Time{}
		}
	}
	opt.Dtstart = rec.first
	if _, err := rrule.NewRRule(*opt); err != nil {
		return rec, fmt.Errorf("reference: rrule %q: %w", rule, err)
	}
	rec.rule = opt
	return rec, nil
}

// days returns the occurrence dates of rec within [lo, hi] (inclusive
// dates). Recurring rules are expanded by rrule-go from DTSTART on every
// call: the historical cost model.
func (rec recurrence) days(lo, hi day) []day {
	if !rec.until.IsZero() && rec.until.Before(hi) {
		hi = rec.until
	}
	if hi.Before(lo) {
		return nil
	}
	if rec.rule == nil {
		if rec.first.Before(lo) || rec.first.After(hi) || slices.ContainsFunc(rec.exdates, rec.first.Equal) {
			return nil
		}
		return []day{rec.first}
	}
	// A fresh RRule per call: RRule's iteration writes to the rule (its
	// cached length), so sharing one between goroutines would race.
	rr, err := rrule.NewRRule(*rec.rule)
	if err != nil {
		return nil // unreachable: New built the same rule
	}
	var out []day
	for _, t := range rr.Between(lo, hi, true) {
		d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		if n := len(out); n > 0 && out[n-1].Equal(d) {
			continue // a BYHOUR-like part could repeat a date
		}
		if slices.ContainsFunc(rec.exdates, d.Equal) {
			continue // an exception date (EXDATE)
		}
		out = append(out, d)
	}
	return out
}

// occurrences returns the non-empty occurrences [instant(d, start),
// instant(d, end)) in loc of rec on the dates that may overlap [from, to),
// unfiltered: callers test the overlap they need.
func (rec recurrence) occurrences(loc *time.Location, start, end int, from, to time.Time) []Span {
	var out []Span
	for _, d := range rec.days(dayRange(from, to)) {
		s := Span{instant(loc, d, start), instant(loc, d, end)}
		if s.empty() {
			continue // emptied by DST resolution
		}
		if !rec.utcUntil.IsZero() && s.Start.After(rec.utcUntil) {
			continue
		}
		out = append(out, s)
	}
	return out
}

// dayRange returns dates wide enough that any local day, in any zone
// (offsets within ±14 h), whose span, even ending at 24:00, overlaps
// [from, to) lies within them.
func dayRange(from, to time.Time) (day, day) {
	f, t := from.UTC(), to.UTC()
	lo := time.Date(f.Year(), f.Month(), f.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -3)
	hi := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, 3)
	return lo, hi
}
