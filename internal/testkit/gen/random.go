package gen

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
)

// RandomConfig sizes a [Random] dataset. A zero field means a small random
// number (shown in brackets).
type RandomConfig struct {
	Organisations        int // [1, 4]
	Agents               int // [1, 4]
	OpeningsPerAgent     int // [1, 5]
	AbsencesPerAgent     int // [0, 3]
	AppointmentsPerAgent int // [0, 8]
	// NoRules leaves out the booking rules (buffers, slot intervals,
	// exdates, daily caps, holiday zones), which a separate stream adds
	// after the records, so that a seed's records do not depend on it.
	NoRules bool
	// Calendars gives about half of the agents an external calendar
	// (iCalendar), from a stream of its own, so that the rest of a seed's
	// case does not depend on it.
	Calendars bool
}

// RandomCase is an adversarial dataset and a query window for it.
type RandomCase struct {
	Dataset *agenda.Dataset
	// From and To bound the query window [From, To); it often contains a
	// DST change of one of the dataset's zones.
	From, To time.Time
	// Now is the query's "now": before, inside or after the window.
	Now time.Time
}

// randomZones are the zones of Random datasets: two northern DST rules, a
// southern half-hour DST, a half-hour offset without DST, and UTC.
var randomZones = []string{"Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"}

// Random returns a small dataset built to break implementations, and a
// window to query it on. The same seed and config give the same case.
// Every dataset is valid for agenda.New. It panics if the time zone
// database is unavailable (import time/tzdata to embed it).
func Random(seed uint64, c RandomConfig) RandomCase {
	g := &randGen{
		rng: rand.New(rand.NewPCG(seed, 0x6a09e667f3bcc908)),
		ds:  &agenda.Dataset{},
	}
	g.locs = make([]*time.Location, len(randomZones))
	for i, z := range randomZones {
		g.locs[i] = mustLoad(z)
	}
	g.build(c)
	if !c.NoRules {
		g.rules(seed)
	}
	if c.Calendars {
		g.calendars(seed)
	}
	return RandomCase{Dataset: g.ds, From: g.from, To: g.to, Now: g.now}
}

type randGen struct {
	rng  *rand.Rand
	ds   *agenda.Dataset
	locs []*time.Location

	from, to, now time.Time
	focus         day            // a date of interest: the DST change day, or a holiday
	focusLoc      *time.Location // the zone whose DST change is the focus
	orgLocs       []*time.Location
	orgPlaces     [][]string
	orgServices   [][]int // indexes in ds.Services
	orgMembers    [][]int
	agentLocs     []*time.Location
}

func (g *randGen) n(given, lo, hi int) int {
	if given > 0 {
		return given
	}
	return lo + g.rng.IntN(hi-lo+1)
}

func (g *randGen) chance(percent int) bool { return g.rng.IntN(100) < percent }

func (g *randGen) build(c RandomConfig) {
	rng := g.rng
	ds := g.ds
	dsZone := -1
	if !g.chance(20) {
		dsZone = rng.IntN(len(randomZones))
		ds.TimeZone = randomZones[dsZone]
	}
	if g.chance(30) {
		ds.HolidayCalendars = []string{"FR"}
	}

	// Organisations, their places and services.
	nOrgs := g.n(c.Organisations, 1, 4)
	for i := range nOrgs {
		o := agenda.Organisation{ID: "o" + strconv.Itoa(i+1)}
		loc := time.UTC
		if dsZone >= 0 {
			loc = g.locs[dsZone]
		}
		if g.chance(75) {
			z := rng.IntN(len(randomZones))
			o.TimeZone = randomZones[z]
			loc = g.locs[z]
		}
		ds.Organisations = append(ds.Organisations, o)
		g.orgLocs = append(g.orgLocs, loc)
		var places []string
		for range rng.IntN(3) {
			id := "l" + strconv.Itoa(len(ds.Places)+1)
			ds.Places = append(ds.Places, agenda.Place{ID: id, OrganisationID: o.ID})
			places = append(places, id)
		}
		g.orgPlaces = append(g.orgPlaces, places)
		var services []int
		for range 1 + rng.IntN(4) {
			services = append(services, len(ds.Services))
			ds.Services = append(ds.Services, g.service(o.ID))
		}
		g.orgServices = append(g.orgServices, services)
	}
	g.orgMembers = make([][]int, nOrgs)

	g.window()

	// Agents, each in one to three organisations.
	nAgents := g.n(c.Agents, 1, 4)
	for i := range nAgents {
		a := agenda.Agent{ID: "a" + strconv.Itoa(i+1)}
		perm := rng.Perm(nOrgs)
		for _, o := range perm[:1+rng.IntN(min(3, nOrgs))] {
			a.OrganisationIDs = append(a.OrganisationIDs, ds.Organisations[o].ID)
			g.orgMembers[o] = append(g.orgMembers[o], i)
		}
		loc := g.orgLocs[perm[0]]
		if g.chance(20) {
			z := rng.IntN(len(randomZones))
			a.TimeZone = randomZones[z]
			loc = g.locs[z]
		}
		ds.Agents = append(ds.Agents, a)
		g.agentLocs = append(g.agentLocs, loc)
	}
	for i := range nAgents {
		g.openings(i, g.n(c.OpeningsPerAgent, 1, 5))
	}
	for i := range nAgents {
		g.absences(i, g.n(c.AbsencesPerAgent, 0, 3))
	}
	for i := range nAgents {
		g.appointments(i, g.n(c.AppointmentsPerAgent, 0, 8))
	}
	g.closedDays()
}

var randomDurations = []int{5, 7, 10, 15, 20, 25, 30, 45, 50, 60, 90, 120}

func (g *randGen) service(org string) agenda.Service {
	rng := g.rng
	s := agenda.Service{
		ID:              "m" + strconv.Itoa(len(g.ds.Services)+1),
		OrganisationID:  org,
		DurationMinutes: randomDurations[rng.IntN(len(randomDurations))],
		Collective:      g.chance(20),
	}
	s.MinNoticeMinutes = []int{0, 0, 30, 60, 1440, 1 + rng.IntN(3000)}[rng.IntN(6)]
	s.MaxNoticeMinutes = []int{0, 0, 120, 1440, 10_080, 129_600, 1 + rng.IntN(20_000)}[rng.IntN(7)]
	if s.MaxNoticeMinutes > 0 && s.MaxNoticeMinutes < s.MinNoticeMinutes {
		s.MaxNoticeMinutes = s.MinNoticeMinutes + rng.IntN(1000)
	}
	return s
}

// window chooses the query window and now around a focus: mostly a DST
// change of one of the zones, sometimes a French holiday, sometimes any
// date of 2024-2027.
func (g *randGen) window() {
	rng := g.rng
	// The focus zone: a DST zone of an organisation if there is one.
	var dst []*time.Location
	for _, l := range g.orgLocs {
		if l.String() == "Europe/Paris" || l.String() == "America/New_York" || l.String() == "Australia/Lord_Howe" {
			dst = append(dst, l)
		}
	}
	if len(dst) == 0 {
		dst = g.locs[:3]
	}
	g.focusLoc = dst[rng.IntN(len(dst))]
	year := 2024 + rng.IntN(4)
	probe := time.Date(year, time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 12, 0, 0, 0, g.focusLoc)
	_, change := probe.ZoneBounds() // the next DST change
	if change.IsZero() {
		change = probe
	}
	g.focus = dayOfTime(change)

	var from, to time.Time
	switch x := rng.IntN(100); {
	case x < 55: // a window containing the change
		from = change.Add(-g.span(10 * 24 * time.Hour))
		to = change.Add(time.Hour + g.span(14*24*time.Hour))
	case x < 70: // exactly the local day of the change (23 or 25 hours)
		from = g.focus.at(0, g.focusLoc)
		to = (g.focus + 1).at(0, g.focusLoc)
	case x < 85: // around a French holiday
		hol := frHolidays(year)
		g.focus = hol[rng.IntN(len(hol))]
		loc := g.orgLocs[rng.IntN(len(g.orgLocs))]
		from = (g.focus - day(rng.IntN(4))).at(0, loc)
		to = (g.focus + 1 + day(rng.IntN(4))).at(0, loc)
	default: // anywhere, of any length up to 40 days
		from = probe.Add(-g.span(60 * 24 * time.Hour))
		to = from.Add(time.Hour + g.span(40*24*time.Hour))
		g.focus = dayOfTime(from.In(g.focusLoc))
	}
	g.from, g.to = g.roughen(from), g.roughen(to)
	if !g.to.After(g.from) {
		g.to = g.from.Add(time.Hour)
	}
	switch rng.IntN(3) {
	case 0:
		g.now = g.from.Add(-g.span(30 * 24 * time.Hour))
	case 1:
		g.now = g.from.Add(time.Duration(rng.Int64N(int64(g.to.Sub(g.from)/time.Second))) * time.Second)
	default:
		g.now = g.to.Add(g.span(10 * 24 * time.Hour))
	}
	g.now = g.roughen(g.now)
}

// span returns a random duration in [0, max), in whole minutes.
func (g *randGen) span(max time.Duration) time.Duration {
	return time.Duration(g.rng.Int64N(int64(max/time.Minute))) * time.Minute
}

// roughen returns t, or t moved to a 5-minute boundary, or t plus odd
// seconds, in UTC or in one of the zones.
func (g *randGen) roughen(t time.Time) time.Time {
	switch g.rng.IntN(4) {
	case 0:
		t = t.Truncate(5 * time.Minute)
	case 1:
		t = t.Add(time.Duration(g.rng.IntN(3600)) * time.Second)
	}
	return t.In(g.locs[g.rng.IntN(len(g.locs))])
}

// Wall-time templates of openings, in seconds after midnight: ordinary
// ones, DST gap and fold hours, whole days and day edges.
var timeTemplates = [][2]int{
	{9 * 3600, 12 * 3600}, {13*3600 + 1800, 17 * 3600}, {8 * 3600, 18 * 3600},
	{2*3600 + 1800, 4 * 3600}, {2 * 3600, 3 * 3600}, {3600 + 1800, 2*3600 + 1800},
	{2*3600 + 900, 2*3600 + 2700}, {3600, 3 * 3600}, {1800, 2*3600 + 1800},
	{0, 24 * 3600}, {0, 6 * 3600}, {22 * 3600, 24 * 3600}, {23*3600 + 1800, 24 * 3600}, {0, 1800},
}

// times returns a start and end wall time (seconds) and their strings,
// start < end <= 24:00.
func (g *randGen) times() (start, end int) {
	rng := g.rng
	switch x := rng.IntN(10); {
	case x < 5:
		t := timeTemplates[rng.IntN(len(timeTemplates))]
		return t[0], t[1]
	case x < 8: // minute-aligned
		start = 60 * rng.IntN(24*60-1)
		return start, start + 60*(1+rng.IntN((24*3600-start)/60))
	default: // to the second
		start = rng.IntN(24*3600 - 1)
		return start, start + 1 + rng.IntN(24*3600-start)
	}
}

// clock formats seconds after midnight as HH:MM when whole minutes (or,
// at random, HH:MM:SS anyway), else HH:MM:SS; 86400 is 24:00.
func (g *randGen) clock(sec int) string {
	if sec%60 == 0 && g.rng.IntN(4) > 0 {
		return hhmm(sec / 60)
	}
	return hhmmss(sec)
}

var weekdayCodes = []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}

// rrule returns a random recurrence rule (possibly "") for a rule whose
// first day is first. A rule UNTIL is never before first.
func (g *randGen) rrule(first day) string {
	rng := g.rng
	var parts []string
	interval := func() {
		if g.chance(40) {
			parts = append(parts, "INTERVAL="+strconv.Itoa(2+rng.IntN(3)))
		}
	}
	days := func(n int) string {
		perm := rng.Perm(7)[:n]
		slices.Sort(perm)
		codes := make([]string, n)
		for i, p := range perm {
			codes[i] = weekdayCodes[p]
		}
		return strings.Join(codes, ",")
	}
	switch rng.IntN(12) {
	case 0:
		return ""
	case 1:
		parts = append(parts, "FREQ=DAILY")
		interval()
	case 2, 3:
		parts = append(parts, "FREQ=WEEKLY", "BYDAY="+days(1+rng.IntN(4)))
		interval()
		if g.chance(40) {
			parts = append(parts, "WKST="+weekdayCodes[rng.IntN(7)])
		}
	case 4:
		parts = append(parts, "FREQ=WEEKLY")
		interval()
	case 5:
		md := []string{"-1", "31", "30", "29", "1", "15", "1,15", "-1,1", "-2"}[rng.IntN(9)]
		parts = append(parts, "FREQ=MONTHLY", "BYMONTHDAY="+md)
		interval()
	case 6:
		nth := []string{"1", "2", "3", "4", "-1", "-2", "5"}[rng.IntN(7)]
		parts = append(parts, "FREQ=MONTHLY", "BYDAY="+nth+weekdayCodes[rng.IntN(7)])
	case 7:
		pos := []string{"1", "-1", "2", "-2", "1,-1"}[rng.IntN(5)]
		parts = append(parts, "FREQ=MONTHLY", "BYDAY="+[]string{"MO,TU,WE,TH,FR", "SA,SU", days(2)}[rng.IntN(3)], "BYSETPOS="+pos)
	case 8:
		parts = append(parts, "FREQ=MONTHLY")
		interval()
	case 9:
		md := [][2]int{{3, 29}, {3, 31}, {10, 25}, {10, 27}, {4, 6}, {11, 2}, {2, 29}, {3, 10}, {11, 3}, {10, 5}}[rng.IntN(10)]
		parts = append(parts, "FREQ=YEARLY", "BYMONTH="+strconv.Itoa(md[0]), "BYMONTHDAY="+strconv.Itoa(md[1]))
	case 10:
		parts = append(parts, "FREQ=YEARLY")
	default:
		parts = append(parts, "FREQ=WEEKLY", "BYDAY="+days(5))
	}
	switch x := rng.IntN(100); {
	case x < 20:
		parts = append(parts, "COUNT="+strconv.Itoa(1+rng.IntN(40)))
	case x < 35:
		parts = append(parts, "UNTIL="+max(first, g.focus+day(rng.IntN(30)-15)).rfcDate())
	case x < 45:
		// A UTC date-time near the focus, compared with occurrence starts.
		u := max(first, g.focus-1).at(0, time.UTC).Add(time.Duration(rng.IntN(2*24*60)) * time.Minute)
		parts = append(parts, "UNTIL="+u.Format("20060102T150405Z"))
	}
	rng.Shuffle(len(parts)-1, func(i, j int) { parts[i+1], parts[j+1] = parts[j+1], parts[i+1] })
	return strings.Join(parts, ";")
}

// firstDay returns a DTSTART date: years before the window, just before
// it, or on the focus day.
func (g *randGen) firstDay() day {
	switch g.rng.IntN(4) {
	case 0:
		return g.focus - day(g.rng.IntN(3*365))
	case 1:
		return g.focus - day(g.rng.IntN(60))
	case 2:
		return g.focus
	default:
		return g.focus + day(g.rng.IntN(20)-10)
	}
}

// until returns an optional inclusive last date on or after first.
func (g *randGen) until(first day) string {
	if !g.chance(20) {
		return ""
	}
	u := max(first, g.focus+day(g.rng.IntN(40)-20))
	if g.chance(30) {
		u = first + day(g.rng.IntN(3*365))
	}
	return u.String()
}

func (g *randGen) openings(ai, n int) {
	rng := g.rng
	ds := g.ds
	a := &ds.Agents[ai]
	var prevStart, prevEnd int
	for k := range n {
		org := g.orgIndex(a.OrganisationIDs[rng.IntN(len(a.OrganisationIDs))])
		start, end := g.times()
		if k > 0 && g.chance(30) {
			if g.chance(50) && prevEnd < 24*3600 { // adjacent
				start = prevEnd
			} else { // overlapping
				start = prevStart + (prevEnd-prevStart)/2
			}
			end = start + 1 + rng.IntN(24*3600-start)
		}
		prevStart, prevEnd = start, end
		p := agenda.OpeningPeriod{
			ID:             "p" + strconv.Itoa(len(ds.OpeningPeriods)+1),
			AgentID:        a.ID,
			OrganisationID: ds.Organisations[org].ID,
			StartTime:      g.clock(start),
			EndTime:        g.clock(end),
		}
		if places := g.orgPlaces[org]; len(places) > 0 && g.chance(70) {
			p.PlaceID = places[rng.IntN(len(places))]
		}
		svcs := g.orgServices[org]
		for _, i := range rng.Perm(len(svcs))[:1+rng.IntN(min(3, len(svcs)))] {
			p.ServiceIDs = append(p.ServiceIDs, ds.Services[svcs[i]].ID)
		}
		first := g.firstDay()
		p.FirstDay = first.String()
		p.RRule = g.rrule(first)
		if p.RRule != "" {
			p.Until = g.until(first)
		}
		ds.OpeningPeriods = append(ds.OpeningPeriods, p)
	}
}

func (g *randGen) orgIndex(id string) int {
	return slices.IndexFunc(g.ds.Organisations, func(o agenda.Organisation) bool { return o.ID == id })
}

func (g *randGen) absences(ai, n int) {
	rng := g.rng
	ds := g.ds
	for range n {
		b := agenda.Absence{ID: "b" + strconv.Itoa(len(ds.Absences)+1), AgentID: ds.Agents[ai].ID}
		first := g.firstDay()
		if g.chance(60) {
			first = g.focus + day(rng.IntN(10)-5)
		}
		b.FirstDay = first.String()
		switch rng.IntN(3) {
		case 0: // one day; two hours of wall time or more, so no DST change empties it
			start := rng.IntN(22*3600 - 7200)
			end := start + 7200 + rng.IntN(24*3600-start-7200+1)
			b.StartTime, b.EndTime = g.clock(start), g.clock(end)
		case 1: // several days
			start, end := rng.IntN(24*3600), 1+rng.IntN(24*3600)
			days := 1 + rng.IntN(10)
			b.EndDay = (first + day(days)).String()
			if days*24*3600+end-start < 7200 {
				end = start + 7200 - days*24*3600
			}
			b.StartTime, b.EndTime = g.clock(start), g.clock(end)
		default: // recurring, within a day
			start, end := g.times()
			b.StartTime, b.EndTime = g.clock(start), g.clock(end)
			for b.RRule == "" {
				b.RRule = g.rrule(first)
			}
			b.Until = g.until(first)
		}
		ds.Absences = append(ds.Absences, b)
	}
}

var randomStatuses = []agenda.Status{
	"", agenda.StatusBooked, agenda.StatusSeen, agenda.StatusNoShow, agenda.StatusExcused, agenda.StatusRevoked,
}

func (g *randGen) appointments(ai, n int) {
	rng := g.rng
	ds := g.ds
	a := &ds.Agents[ai]
	first := len(ds.Appointments)
	for range n {
		org := g.orgIndex(a.OrganisationIDs[rng.IntN(len(a.OrganisationIDs))])
		r := agenda.Appointment{
			ID:             "r" + strconv.Itoa(len(ds.Appointments)+1),
			OrganisationID: ds.Organisations[org].ID,
			AgentIDs:       []string{a.ID},
			Status:         randomStatuses[rng.IntN(len(randomStatuses))],
		}
		for _, other := range g.orgMembers[org] {
			if other != ai && g.chance(25) {
				r.AgentIDs = append(r.AgentIDs, ds.Agents[other].ID)
			}
		}
		if places := g.orgPlaces[org]; len(places) > 0 && g.chance(50) {
			r.PlaceID = places[rng.IntN(len(places))]
		}
		dur := time.Duration(5+rng.IntN(180)) * time.Minute
		if svcs := g.orgServices[org]; g.chance(80) {
			s := &ds.Services[svcs[rng.IntN(len(svcs))]]
			r.ServiceID = s.ID
			if g.chance(60) {
				dur = time.Duration(s.DurationMinutes) * time.Minute
			}
			if s.Collective {
				r.Capacity = 1 + rng.IntN(8)
				r.Participants = rng.IntN(r.Capacity + 1)
				if g.chance(30) {
					r.Participants = r.Capacity
				}
			}
		}
		mine := ds.Appointments[first:]
		switch x := rng.IntN(100); {
		case x < 15 && len(mine) > 0: // nested inside one of the agent's appointments
			outer := mine[rng.IntN(len(mine))]
			length := outer.End.Sub(outer.Start)
			off := time.Duration(rng.Int64N(int64(length)/int64(time.Second))) * time.Second
			r.Start = outer.Start.Add(off)
			r.End = r.Start.Add(max(time.Second, time.Duration(rng.Int64N(int64(length-off)+1)).Truncate(time.Second)))
		case x < 25 && len(mine) > 0: // right after one of them
			r.Start = mine[rng.IntN(len(mine))].End
		case x < 35: // inside an absence, roughly
			if b, ok := g.absenceOf(a.ID); ok {
				d, _ := time.Parse(time.DateOnly, b.FirstDay)
				s := parseClock(b.StartTime)
				r.Start = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, s+3600, 0, g.agentLocs[ai])
				dur = 30 * time.Minute
			}
		case x < 45: // across the window's start or end
			edge := g.from
			if g.chance(50) {
				edge = g.to
			}
			r.Start = edge.Add(-dur / 2).Truncate(time.Minute)
		case x < 70: // at the start time of one of the agent's openings, on a window day
			if p, ok := g.openingOf(a.ID, ds.Organisations[org].ID); ok {
				d := dayOfTime(g.from.In(g.orgLocs[org])) + day(rng.IntN(int(g.to.Sub(g.from)/(24*time.Hour))+1))
				r.Start = d.at(0, g.orgLocs[org]).Add(time.Duration(parseClock(p.StartTime)) * time.Second)
			}
		}
		if r.Start.IsZero() { // anywhere around the window
			span := g.to.Sub(g.from) + 48*time.Hour
			r.Start = g.from.Add(-24*time.Hour + time.Duration(rng.Int64N(int64(span/(5*time.Minute))))*5*time.Minute)
			if g.chance(10) {
				r.Start = r.Start.Add(time.Duration(rng.IntN(300)) * time.Second)
			}
		}
		if r.End.IsZero() {
			r.End = r.Start.Add(dur)
		}
		loc := g.orgLocs[org]
		if g.chance(30) {
			loc = time.UTC
		}
		r.Start, r.End = r.Start.In(loc), r.End.In(loc)
		ds.Appointments = append(ds.Appointments, r)
	}
}

func (g *randGen) absenceOf(agent string) (agenda.Absence, bool) {
	for _, b := range g.ds.Absences {
		if b.AgentID == agent && b.RRule == "" {
			return b, true
		}
	}
	return agenda.Absence{}, false
}

func (g *randGen) openingOf(agent, org string) (agenda.OpeningPeriod, bool) {
	var found []agenda.OpeningPeriod
	for _, p := range g.ds.OpeningPeriods {
		if p.AgentID == agent && p.OrganisationID == org {
			found = append(found, p)
		}
	}
	if len(found) == 0 {
		return agenda.OpeningPeriod{}, false
	}
	return found[g.rng.IntN(len(found))], true
}

// parseClock reads "HH:MM" or "HH:MM:SS" as seconds after midnight.
func parseClock(s string) int {
	h, _ := strconv.Atoi(s[0:2])
	m, _ := strconv.Atoi(s[3:5])
	sec := 0
	if len(s) == 8 {
		sec, _ = strconv.Atoi(s[6:8])
	}
	return h*3600 + m*60 + sec
}

// closedDays closes, globally and per organisation, the focus day, window
// days and holidays, never twice the same (date, organisation).
func (g *randGen) closedDays() {
	rng := g.rng
	ds := g.ds
	seen := map[string]bool{}
	fromDay := dayOfTime(g.from.In(time.UTC)) - 1
	days := int(g.to.Sub(g.from)/(24*time.Hour)) + 3
	add := func(org string) {
		d := fromDay + day(rng.IntN(days))
		if g.chance(40) {
			d = g.focus
		}
		key := d.String() + "/" + org
		if seen[key] {
			return
		}
		seen[key] = true
		ds.ClosedDays = append(ds.ClosedDays, agenda.ClosedDay{Date: d.String(), OrganisationID: org})
	}
	for range rng.IntN(3) {
		add("")
	}
	for _, o := range ds.Organisations {
		for range rng.IntN(3) {
			add(o.ID)
		}
	}
}
