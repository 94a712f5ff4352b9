package gen_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/teambition/rrule-go"

	"github.com/crossagenda/crossagenda/agenda"
)

// checkDataset lists every way ds breaks the dataset rules of the
// semantics (references, ids, dates, times, ranges, statuses, seats). It
// is written from the rules, not from the generators, and parses every
// rrule with rrule-go.
func checkDataset(ds *agenda.Dataset) []string {
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }

	zone := func(what, name string) *time.Location {
		loc, err := time.LoadLocation(name)
		if err != nil {
			fail("%s: zone %q: %v", what, name, err)
			return time.UTC
		}
		return loc
	}
	dsLoc := zone("dataset", ds.TimeZone)

	orgs := map[string]*time.Location{}
	for _, o := range ds.Organisations {
		if o.ID == "" || orgs[o.ID] != nil {
			fail("organisation %q: missing or duplicate id", o.ID)
		}
		orgs[o.ID] = dsLoc
		if o.TimeZone != "" {
			orgs[o.ID] = zone("organisation "+o.ID, o.TimeZone)
		}
	}
	type agentInfo struct {
		orgs map[string]bool
		loc  *time.Location
	}
	agents := map[string]*agentInfo{}
	for _, a := range ds.Agents {
		if a.ID == "" || agents[a.ID] != nil {
			fail("agent %q: missing or duplicate id", a.ID)
		}
		info := &agentInfo{orgs: map[string]bool{}}
		agents[a.ID] = info
		if len(a.OrganisationIDs) == 0 {
			fail("agent %s: no organisation", a.ID)
			continue
		}
		for _, o := range a.OrganisationIDs {
			if orgs[o] == nil {
				fail("agent %s: unknown organisation %q", a.ID, o)
			}
			if info.orgs[o] {
				fail("agent %s: organisation %q twice", a.ID, o)
			}
			info.orgs[o] = true
		}
		info.loc = orgs[a.OrganisationIDs[0]]
		if a.TimeZone != "" {
			info.loc = zone("agent "+a.ID, a.TimeZone)
		}
	}
	places := map[string]string{}
	for _, p := range ds.Places {
		if _, dup := places[p.ID]; dup || p.ID == "" {
			fail("place %q: missing or duplicate id", p.ID)
		}
		if orgs[p.OrganisationID] == nil {
			fail("place %s: unknown organisation %q", p.ID, p.OrganisationID)
		}
		places[p.ID] = p.OrganisationID
	}
	services := map[string]agenda.Service{}
	for _, s := range ds.Services {
		if _, dup := services[s.ID]; dup || s.ID == "" {
			fail("service %q: missing or duplicate id", s.ID)
		}
		if orgs[s.OrganisationID] == nil {
			fail("service %s: unknown organisation %q", s.ID, s.OrganisationID)
		}
		if s.DurationMinutes <= 0 || s.DurationMinutes > 24*60 || s.MinNoticeMinutes < 0 || s.MaxNoticeMinutes < 0 ||
			(s.MaxNoticeMinutes > 0 && s.MaxNoticeMinutes < s.MinNoticeMinutes) {
			fail("service %s: bad duration or notices %+v", s.ID, s)
		}
		services[s.ID] = s
	}
	date := func(what, s string) (time.Time, bool) {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil || d.Year() < 2000 || d.Year() > 2100 {
			fail("%s: bad date %q", what, s)
			return d, false
		}
		return d, true
	}
	rule := func(what, r string, first time.Time, until string) {
		if until != "" {
			if r == "" {
				fail("%s: until without rrule", what)
			}
			if u, ok := date(what+" until", until); ok && u.Before(first) {
				fail("%s: until %s before first day", what, until)
			}
		}
		if r == "" {
			return
		}
		opt, err := rrule.StrToROption(r)
		if err != nil {
			fail("%s: rrule %q: %v", what, r, err)
			return
		}
		if opt.Freq != rrule.DAILY && opt.Freq != rrule.WEEKLY && opt.Freq != rrule.MONTHLY && opt.Freq != rrule.YEARLY {
			fail("%s: rrule %q: unsupported FREQ", what, r)
		}
		if opt.Count > 10_000 {
			fail("%s: rrule %q: COUNT too large", what, r)
		}
		if !opt.Until.IsZero() && opt.Count > 0 {
			fail("%s: rrule %q: both COUNT and UNTIL", what, r)
		}
		if !opt.Until.IsZero() && opt.Until.Before(first.AddDate(0, 0, -1)) {
			fail("%s: rrule %q: UNTIL before the first day", what, r)
		}
	}

	seen := map[string]bool{}
	for _, p := range ds.OpeningPeriods {
		what := "opening " + p.ID
		if p.ID == "" || seen[p.ID] {
			fail("%s: missing or duplicate id", what)
		}
		seen[p.ID] = true
		a := agents[p.AgentID]
		switch {
		case a == nil:
			fail("%s: unknown agent %q", what, p.AgentID)
		case !a.orgs[p.OrganisationID]:
			fail("%s: agent %s not in organisation %q", what, p.AgentID, p.OrganisationID)
		}
		if p.PlaceID != "" && places[p.PlaceID] != p.OrganisationID {
			fail("%s: place %q not of organisation %s", what, p.PlaceID, p.OrganisationID)
		}
		if len(p.ServiceIDs) == 0 {
			fail("%s: no service", what)
		}
		svc := map[string]bool{}
		for _, s := range p.ServiceIDs {
			if svc[s] || services[s].OrganisationID != p.OrganisationID {
				fail("%s: service %q twice or not of organisation %s", what, s, p.OrganisationID)
			}
			svc[s] = true
		}
		first, _ := date(what, p.FirstDay)
		start, end := clock(what, p.StartTime, false, fail), clock(what, p.EndTime, true, fail)
		if end <= start {
			fail("%s: end_time %s not after start_time %s", what, p.EndTime, p.StartTime)
		}
		rule(what, p.RRule, first, p.Until)
	}
	clear(seen)
	for _, b := range ds.Absences {
		what := "absence " + b.ID
		if b.ID == "" || seen[b.ID] {
			fail("%s: missing or duplicate id", what)
		}
		seen[b.ID] = true
		a := agents[b.AgentID]
		if a == nil {
			fail("%s: unknown agent %q", what, b.AgentID)
			continue
		}
		first, _ := date(what, b.FirstDay)
		start, end := clock(what, b.StartTime, false, fail), clock(what, b.EndTime, true, fail)
		rule(what, b.RRule, first, b.Until)
		if b.RRule != "" {
			if b.EndDay != "" && b.EndDay != b.FirstDay {
				fail("%s: recurring absence spans days", what)
			}
			if end <= start {
				fail("%s: end_time %s not after start_time %s", what, b.EndTime, b.StartTime)
			}
			continue
		}
		endDay := first
		if b.EndDay != "" {
			endDay, _ = date(what, b.EndDay)
		}
		if s, e := wallInstant(first, start, a.loc), wallInstant(endDay, end, a.loc); !e.After(s) {
			fail("%s: ends %v, not after its start %v", what, e, s)
		}
	}
	clear(seen)
	for _, r := range ds.Appointments {
		what := "appointment " + r.ID
		if r.ID == "" || seen[r.ID] {
			fail("%s: missing or duplicate id", what)
		}
		seen[r.ID] = true
		if orgs[r.OrganisationID] == nil {
			fail("%s: unknown organisation %q", what, r.OrganisationID)
		}
		if len(r.AgentIDs) == 0 {
			fail("%s: no agent", what)
		}
		in := map[string]bool{}
		for _, id := range r.AgentIDs {
			a := agents[id]
			if a == nil || in[id] || !a.orgs[r.OrganisationID] {
				fail("%s: agent %q unknown, twice, or not in organisation %s", what, id, r.OrganisationID)
			}
			in[id] = true
		}
		if r.PlaceID != "" && places[r.PlaceID] != r.OrganisationID {
			fail("%s: place %q not of organisation %s", what, r.PlaceID, r.OrganisationID)
		}
		s, known := services[r.ServiceID]
		if r.ServiceID != "" && (!known || s.OrganisationID != r.OrganisationID) {
			fail("%s: service %q not of organisation %s", what, r.ServiceID, r.OrganisationID)
		}
		if r.End.Sub(r.Start) < time.Second || r.Start.Nanosecond() != 0 || r.End.Nanosecond() != 0 {
			fail("%s: [%v, %v) is not a range of whole seconds of one second or more", what, r.Start, r.End)
		}
		if y := r.Start.UTC().Year(); y < 2000 || y > 2100 {
			fail("%s: year %d", what, y)
		}
		if !r.Status.Valid() {
			fail("%s: status %q", what, r.Status)
		}
		if r.Capacity < 0 || r.Participants < 0 || r.Participants > r.Capacity || (s.Collective && r.Capacity == 0) {
			fail("%s: capacity %d participants %d (collective %v)", what, r.Capacity, r.Participants, s.Collective)
		}
	}
	closed := map[string]bool{}
	for _, c := range ds.ClosedDays {
		date("closed day "+c.Date, c.Date)
		if c.OrganisationID != "" && orgs[c.OrganisationID] == nil {
			fail("closed day %s: unknown organisation %q", c.Date, c.OrganisationID)
		}
		key := c.Date + "/" + c.OrganisationID
		if closed[key] {
			fail("closed day %s: duplicate", key)
		}
		closed[key] = true
	}
	zones := "FR FR-57 FR-67 FR-68 FR-971 FR-972 FR-973 FR-974 FR-976 FR-977 FR-978 FR-986 FR-987 FR-988"
	known := func(z string) bool { return slices.Contains(strings.Fields(zones), z) }
	for _, h := range ds.HolidayCalendars {
		if !known(h) {
			fail("unknown holiday calendar %q", h)
		}
	}
	for _, o := range ds.Organisations {
		if o.HolidayCalendar != "" && o.HolidayCalendar != "none" && !known(o.HolidayCalendar) {
			fail("organisation %s: unknown holiday calendar %q", o.ID, o.HolidayCalendar)
		}
		for i, k := range o.WorkedHolidays {
			if slices.Contains(o.WorkedHolidays[:i], k) {
				fail("organisation %s: worked holiday %q twice", o.ID, k)
			}
		}
	}
	for _, s := range ds.Services {
		for _, v := range []int{s.BufferBeforeMinutes, s.BufferAfterMinutes, s.SlotIntervalMinutes, s.MaxPerAgentPerDay} {
			if v < 0 || v > 1440 {
				fail("service %s: buffer, interval or cap %d out of [0, 1440]", s.ID, v)
			}
		}
	}
	for _, r := range ds.Appointments {
		for _, b := range []*int{r.BufferBeforeMinutes, r.BufferAfterMinutes} {
			if b != nil && (*b < 0 || *b > 1440) {
				fail("appointment %s: buffer %d out of [0, 1440]", r.ID, *b)
			}
		}
	}
	for _, b := range ds.Absences {
		if len(b.Exdates) > 0 && b.RRule == "" {
			fail("absence %s: exdates without rrule", b.ID)
		}
		for _, d := range b.Exdates {
			if _, err := time.Parse(time.DateOnly, d); err != nil {
				fail("absence %s: exdate %q", b.ID, d)
			}
		}
	}
	for _, p := range ds.OpeningPeriods {
		for _, d := range p.Exdates {
			if _, err := time.Parse(time.DateOnly, d); err != nil {
				fail("opening period %s: exdate %q", p.ID, d)
			}
		}
	}
	return errs
}

var clockRE = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$`)

// clock parses a time of day to seconds; "24:00" and "24:00:00" only as
// an end.
func clock(what, s string, isEnd bool, fail func(string, ...any)) int {
	if s == "24:00" || s == "24:00:00" {
		if !isEnd {
			fail("%s: %s as a start", what, s)
		}
		return 24 * 3600
	}
	if !clockRE.MatchString(s) {
		fail("%s: bad time of day %q", what, s)
		return 0
	}
	var h, m, sec int
	fmt.Sscanf(strings.ReplaceAll(s, ":", " "), "%d %d %d", &h, &m, &sec)
	return h*3600 + m*60 + sec
}

// wallInstant is the RFC 5545 reading of a wall time: in a gap, the offset
// before the gap; in a fold, the earlier instant. It tries the offsets in
// force two days either side, which is exact for zones that change at
// most once in four days.
func wallInstant(d time.Time, sec int, loc *time.Location) time.Time {
	naive := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, sec, 0, time.UTC)
	_, before := naive.Add(-48 * time.Hour).In(loc).Zone()
	_, after := naive.Add(48 * time.Hour).In(loc).Zone()
	var best time.Time
	for _, off := range []int{before, after} {
		u := naive.Add(-time.Duration(off) * time.Second)
		if _, o := u.In(loc).Zone(); o == off && (best.IsZero() || u.Before(best)) {
			best = u
		}
	}
	if best.IsZero() { // in a gap
		best = naive.Add(-time.Duration(before) * time.Second)
	}
	return best
}
