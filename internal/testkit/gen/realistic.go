package gen

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
)

// Window of appointments around the anchor, and the near future where
// bookings are densest.
const (
	pastDays     = 730 // appointments start this many days before the anchor
	futureDays   = 183 // ... and end this many days after it
	nearDays     = 42  // the near future: fill about nearFill
	decayDays    = 35  // beyond it, fill decays with this time constant
	nearFill     = 0.6
	offShare     = 0.04  // share of appointments booked outside openings
	extraShare   = 0.012 // replacements of cancelled and nested appointments
	openingYears = 5     // opening periods start within this many years before the anchor
)

var overseasZones = []string{"America/Cayenne", "Indian/Reunion", "America/Martinique", "Pacific/Noumea"}

var orgKinds = []string{"PMI", "Service social", "Maison des solidarités", "Centre médico-social", "Insertion"}

var serviceNames = []string{
	"Consultation", "Premier accueil", "Entretien de suivi", "Bilan de santé", "Visite à domicile",
	"Permanence téléphonique", "Accompagnement budgétaire", "Entretien RSA", "Vaccination", "Pesée",
}

var collectiveNames = []string{"Atelier collectif", "Réunion d'information", "Groupe de parole"}

// Times of day of openings (minutes after midnight), morning and afternoon.
var halfDayTimes = [2][][2]int{
	{{8*60 + 30, 12 * 60}, {9 * 60, 12 * 60}, {9 * 60, 12*60 + 30}, {9*60 + 30, 12 * 60}},
	{{13*60 + 30, 17 * 60}, {14 * 60, 17 * 60}, {13*60 + 30, 16*60 + 30}, {14 * 60, 18 * 60}},
}

var serviceDurations = []int{15, 20, 30, 30, 30, 45, 45, 60, 90}

// Generate returns the realistic dataset of scale s for seed, anchored at
// [DefaultAnchor]. See [GenerateWith].
func Generate(s Scale, seed uint64) *agenda.Dataset {
	return GenerateWith(s, seed, Config{})
}

// GenerateWith returns the realistic dataset of scale s for seed. The same
// arguments give the same dataset. Records are valid for agenda.New:
// every reference resolves, each agent belongs to the organisation of each
// of its opening periods and appointments, ids are unique.
//
// To stay lean at two million appointments the dataset shares strings and
// slices: the appointments of one agent share one AgentIDs backing array,
// and ids are substrings of shared buffers. Copy an AgentIDs slice before
// modifying it. It panics if s has no organisation or a negative count
// (programmer errors), or if the time zone database is unavailable
// (import time/tzdata to embed it).
func GenerateWith(s Scale, seed uint64, c Config) *agenda.Dataset {
	if s.Organisations < 1 || s.Agents < 0 || s.TargetAppointments < 0 || s.Overseas < 0 {
		panic("gen: scale " + strconv.Quote(s.Name) + " needs at least one organisation and no negative count")
	}
	anchor := c.Anchor
	if anchor.IsZero() {
		anchor = DefaultAnchor()
	}
	g := newRealGen(s, seed, dayOfTime(anchor.In(mustLoad("Europe/Paris"))))
	g.organisations()
	g.agentsAndOpenings()
	g.closedDays()
	g.appointments()
	return g.ds
}

type realGen struct {
	s      Scale
	seed   uint64
	pcg    *rand.PCG
	rng    *rand.Rand
	anchor day
	win    window
	ds     *agenda.Dataset

	orgs      []orgInfo
	zoneOrgs  [][]int // organisation indexes by zone group
	agents    []agentInfo
	closedAll []bool // by window day: global closed days and FR holidays
	pastFill  float64

	apptIDs *idPool
	blocked []bool // scratch: the current agent's blocked window days
}

type orgInfo struct {
	id       string
	loc      *time.Location
	group    int
	weight   float64
	places   []string
	services []svcInfo
	indiv    []int  // indexes of the individual services
	coll     []int  // indexes of the collective services
	closed   []bool // by window day; nil when the organisation has no closed day of its own
	members  []int  // agent indexes
}

type svcInfo struct {
	id         string
	dur        int // minutes
	collective bool
}

type agentInfo struct {
	id       string
	ids      []string // shared AgentIDs of its single-agent appointments
	orgs     []int
	openings []opening
	blocked  [][2]day // inclusive day ranges where no appointment is placed
	nearFill float64
	fullWeek int // near-future week fully booked, or -1
}

type opening struct {
	org      int
	place    string
	services []int
	shortest int     // the service of shortest duration
	steps    float64 // expected number of steps of bookOccurrence's walk
	coverage float64 // expected share of the occurrence the walk covers
	start    int     // minutes after midnight
	end      int
	r        rule
}

func newRealGen(s Scale, seed uint64, anchor day) *realGen {
	pcg := rand.NewPCG(0, 0)
	g := &realGen{
		s: s, seed: seed, pcg: pcg, rng: rand.New(pcg), anchor: anchor,
		win:     newWindow(anchor-pastDays, anchor+futureDays),
		apptIDs: newIDPool("r"),
		ds: &agenda.Dataset{
			TimeZone:         "Europe/Paris",
			HolidayCalendars: []string{"FR"},
		},
	}
	g.blocked = make([]bool, g.win.n)
	return g
}

// reseed points the generator's random stream at (phase, index), so each
// phase and each agent draws from its own stream whatever came before.
func (g *realGen) reseed(phase, index uint64) {
	g.pcg.Seed(g.seed, mix(phase<<40^index))
}

// mix is the splitmix64 finaliser: distinct inputs give unrelated streams.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

const (
	phaseOrgs uint64 = iota + 1
	phaseAgents
	phaseClosed
	phaseAppointments
)

func (g *realGen) organisations() {
	g.reseed(phaseOrgs, 0)
	rng := g.rng
	n := g.s.Organisations
	overseas := min(g.s.Overseas, n)
	orgIDs, placeIDs, svcIDs := newIDPool("o"), newIDPool("l"), newIDPool("m")
	paris := mustLoad("Europe/Paris")
	g.orgs = make([]orgInfo, n)
	g.zoneOrgs = [][]int{nil}
	groupOf := map[string]int{}
	for i := range g.orgs {
		o := &g.orgs[i]
		o.id = orgIDs.next()
		rec := agenda.Organisation{ID: o.id}
		kind := orgKinds[rng.IntN(len(orgKinds))]
		rec.Name = kind + " " + strconv.Itoa(i+1)
		o.loc = paris
		o.weight = 0.3 + rng.ExpFloat64()
		if k := i - (n - overseas); k >= 0 {
			zone := overseasZones[k*len(overseasZones)/overseas]
			rec.TimeZone = zone
			o.loc = mustLoad(zone)
			o.weight *= 0.5
			grp, ok := groupOf[zone]
			if !ok {
				grp = len(g.zoneOrgs)
				groupOf[zone] = grp
				g.zoneOrgs = append(g.zoneOrgs, nil)
			}
			o.group = grp
		} else if rng.IntN(2) == 0 {
			rec.TimeZone = "Europe/Paris" // the others inherit it from the dataset
		}
		g.zoneOrgs[o.group] = append(g.zoneOrgs[o.group], i)
		g.ds.Organisations = append(g.ds.Organisations, rec)

		for p := range 1 + rng.IntN(4) {
			id := placeIDs.next()
			o.places = append(o.places, id)
			g.ds.Places = append(g.ds.Places, agenda.Place{
				ID: id, OrganisationID: o.id, Name: "Site " + strconv.Itoa(i+1) + "-" + strconv.Itoa(p+1),
			})
		}
		nsvc := 3 + rng.IntN(6)
		for k := range nsvc {
			sv := svcInfo{id: svcIDs.next(), dur: serviceDurations[rng.IntN(len(serviceDurations))]}
			rec := agenda.Service{ID: sv.id, OrganisationID: o.id, DurationMinutes: sv.dur}
			if k == nsvc-1 && rng.IntN(3) == 0 {
				sv.collective = true
				sv.dur = 60 + 30*rng.IntN(2)
				rec.DurationMinutes = sv.dur
				rec.Collective = true
				rec.Name = collectiveNames[rng.IntN(len(collectiveNames))]
				o.coll = append(o.coll, k)
			} else {
				rec.Name = serviceNames[rng.IntN(len(serviceNames))]
				o.indiv = append(o.indiv, k)
			}
			switch x := rng.IntN(20); {
			case x < 15:
				rec.MinNoticeMinutes = 30
			case x < 17:
				rec.MinNoticeMinutes = 24 * 60
			case x < 18:
				rec.MinNoticeMinutes = 120
			}
			switch x := rng.IntN(20); {
			case x < 15:
				rec.MaxNoticeMinutes = 129_600 // 90 days
			case x < 17:
				rec.MaxNoticeMinutes = 43_200 // 30 days
			}
			o.services = append(o.services, sv)
			g.ds.Services = append(g.ds.Services, rec)
		}
	}
}

// agentOrgCounts weighs how many organisations an agent belongs to (1..5).
var agentOrgCounts = []int{55, 25, 12, 5, 3}

func (g *realGen) agentsAndOpenings() {
	agentIDs, openingIDs, absenceIDs := newIDPool("a"), newIDPool("p"), newIDPool("b")
	cum := make([]float64, len(g.orgs))
	total := 0.0
	for i, o := range g.orgs {
		total += o.weight
		cum[i] = total
	}
	g.agents = make([]agentInfo, g.s.Agents)
	g.ds.Agents = make([]agenda.Agent, 0, len(g.agents))
	for i := range g.agents {
		g.reseed(phaseAgents, uint64(i))
		rng := g.rng
		a := &g.agents[i]
		a.id = agentIDs.next()
		a.ids = []string{a.id}
		a.fullWeek = -1
		a.nearFill = nearFill * (0.6 + 0.8*rng.Float64())
		if rng.IntN(10) == 0 {
			a.fullWeek = rng.IntN(nearDays / 7)
		}

		// Organisations: a primary one by weight, others nearby in the same zone.
		primary, _ := slices.BinarySearch(cum, rng.Float64()*total)
		primary = min(primary, len(g.orgs)-1)
		a.orgs = append(a.orgs, primary)
		group := g.zoneOrgs[g.orgs[primary].group]
		want := min(1+pick(rng, agentOrgCounts), len(group))
		pos := slices.Index(group, primary)
		for tries := 0; len(a.orgs) < want && tries < 50; tries++ {
			var o int
			if rng.IntN(10) < 7 {
				o = group[min(max(pos+rng.IntN(9)-4, 0), len(group)-1)]
			} else {
				o = group[rng.IntN(len(group))]
			}
			if !slices.Contains(a.orgs, o) {
				a.orgs = append(a.orgs, o)
			}
		}
		rec := agenda.Agent{ID: a.id, OrganisationIDs: make([]string, len(a.orgs))}
		for k, o := range a.orgs {
			rec.OrganisationIDs[k] = g.orgs[o].id
			g.orgs[o].members = append(g.orgs[o].members, i)
		}
		if rng.IntN(50) == 0 {
			rec.TimeZone = g.orgs[primary].loc.String()
		}
		g.ds.Agents = append(g.ds.Agents, rec)

		var grid [7][2]bool // weekday x half-day already taken
		g.agentAbsences(a, &grid, absenceIDs)
		g.agentOpenings(a, &grid, openingIDs)
	}
}

// agentAbsences adds a weekly part-time absence to some agents, and to all
// holidays and training days around the appointment window.
func (g *realGen) agentAbsences(a *agentInfo, grid *[7][2]bool, ids *idPool) {
	rng := g.rng
	add := func(ab agenda.Absence) {
		ab.ID = ids.next()
		ab.AgentID = a.id
		g.ds.Absences = append(g.ds.Absences, ab)
	}
	if rng.IntN(4) == 0 {
		wd := time.Wednesday
		if rng.IntN(2) == 0 {
			wd = time.Weekday(1 + rng.IntN(5))
		}
		half := 1
		if rng.IntN(10) < 3 {
			half = 0
		}
		if rng.IntN(100) < 85 {
			grid[wd][half] = true
		}
		r := rule{kind: ruleWeekly, mask: 1 << wd, interval: 1, until: maxDay}
		r.first = r.align(g.anchor - day(rng.IntN(openingYears*365)))
		ab := agenda.Absence{FirstDay: r.first.String(), RRule: r.rrule(), StartTime: "13:30", EndTime: "18:00"}
		if half == 0 {
			ab.StartTime, ab.EndTime = "08:00", "12:30"
		}
		if rng.IntN(5) == 0 {
			ab.Until = (r.first + day(180+rng.IntN(3*365))).String()
		}
		add(ab)
	}
	ay, _, _ := g.anchor.civil()
	for y := ay - 2; y <= ay+1; y++ {
		var spans [][2]day
		// Summer: one to three weeks from a Monday in July or August.
		s := mondayOnOrAfter(dayOf(y, time.July, 1) + day(rng.IntN(50)))
		spans = append(spans, [2]day{s, s + day(7*rng.IntN(3)) + 4})
		if rng.IntN(10) < 6 {
			c := dayOf(y, time.December, 22+rng.IntN(4))
			spans = append(spans, [2]day{c, c + day(5+rng.IntN(5))})
		}
		if rng.IntN(10) < 4 {
			s := mondayOnOrAfter(dayOf(y, time.February, 1) + day(rng.IntN(70)))
			spans = append(spans, [2]day{s, s + 4})
		}
		for _, sp := range spans {
			if sp[1] < g.win.start || sp[0] >= g.win.end {
				continue
			}
			ab := agenda.Absence{FirstDay: sp[0].String(), StartTime: "00:00", EndDay: sp[1].String(), EndTime: "23:59"}
			if rng.IntN(2) == 0 {
				ab.StartTime, ab.EndTime = "08:00", "19:00"
			}
			add(ab)
			a.blocked = append(a.blocked, sp)
		}
		for range rng.IntN(3) {
			d := dayOf(y, time.January, 1) + day(rng.IntN(365))
			if wd := d.weekday(); wd == time.Saturday || wd == time.Sunday || d < g.win.start || d >= g.win.end {
				continue
			}
			ab := agenda.Absence{FirstDay: d.String(), StartTime: "09:00", EndTime: "17:00"}
			if rng.IntN(2) == 0 {
				ab.StartTime, ab.EndTime = "13:30", "17:30"
			}
			add(ab)
			a.blocked = append(a.blocked, [2]day{d, d})
		}
	}
}

func mondayOnOrAfter(d day) day {
	return d + day((8-int(d.weekday()))%7)
}

// Weights of opening shapes.
const (
	shapeWeekly = iota
	shapeBiweekly
	shapeMonthlyNth
	shapeMonthlyDay
	shapeOnce
)

var shapeWeights = []int{55, 20, 15, 5, 5}

func (g *realGen) agentOpenings(a *agentInfo, grid *[7][2]bool, ids *idPool) {
	rng := g.rng
	if rng.IntN(10) < 3 {
		return // back-office agents receive no public
	}
	for k, o := range a.orgs {
		n := 1
		if k == 0 && rng.IntN(10) < 3 {
			n = 2
		} else if k > 0 && rng.IntN(10) < 3 {
			n = 0
		}
		for range n {
			g.addOpening(a, o, grid, ids)
		}
	}
}

func (g *realGen) addOpening(a *agentInfo, oi int, grid *[7][2]bool, ids *idPool) {
	rng := g.rng
	org := &g.orgs[oi]
	half := rng.IntN(2)
	overlap := rng.IntN(100) < 8 // some openings ignore the agent's other commitments
	var free []time.Weekday
	for wd := time.Monday; wd <= time.Friday; wd++ {
		if overlap || !grid[wd][half] {
			free = append(free, wd)
		}
	}
	if half == 0 && rng.IntN(30) == 0 && (overlap || !grid[time.Saturday][0]) {
		free = append(free, time.Saturday)
	}
	if len(free) == 0 {
		return
	}
	rng.Shuffle(len(free), func(i, j int) { free[i], free[j] = free[j], free[i] })
	r := rule{interval: 1, until: maxDay}
	switch pick(rng, shapeWeights) {
	case shapeWeekly:
		r.kind = ruleWeekly
		for _, wd := range free[:min(len(free), 1+pick(rng, []int{70, 25, 5}))] {
			r.mask |= 1 << wd
		}
	case shapeBiweekly:
		r.kind = ruleWeekly
		r.interval = 2
		r.mask = 1 << free[0]
	case shapeMonthlyNth:
		r.kind = ruleMonthlyNth
		r.wd = free[0]
		r.nth = []int{1, 2, 3, 4, -1}[rng.IntN(5)]
	case shapeMonthlyDay:
		r.kind = ruleMonthlyDay
		r.mday = 1 + rng.IntN(28)
	case shapeOnce:
		r.kind = ruleOnce
		for {
			r.first = g.win.start + day(rng.IntN(g.win.n))
			if r.first.weekday() != time.Sunday {
				break
			}
		}
	}
	if r.kind != ruleOnce {
		r.first = r.align(g.anchor - day(rng.IntN(openingYears*365)))
		if rng.IntN(5) == 0 {
			r.until = r.first + day(90+rng.IntN(int(g.anchor+365-r.first)))
		}
		for wd := range time.Weekday(7) {
			if r.mask&(1<<wd) != 0 || (r.kind == ruleMonthlyNth && wd == r.wd) {
				grid[wd][half] = true
			}
		}
	}
	times := halfDayTimes[half][rng.IntN(len(halfDayTimes[half]))]
	op := opening{org: oi, start: times[0], end: times[1], r: r}
	if rng.IntN(10) > 0 {
		op.place = org.places[rng.IntN(len(org.places))]
	}
	if len(org.indiv) > 0 {
		perm := rng.Perm(len(org.indiv))
		for _, p := range perm[:1+rng.IntN(min(4, len(perm)))] {
			op.services = append(op.services, org.indiv[p])
		}
	}
	if len(org.coll) > 0 && (len(op.services) == 0 || (len(op.services) < 4 && rng.IntN(12) == 0)) {
		op.services = append(op.services, org.coll[rng.IntN(len(org.coll))])
	}
	slices.Sort(op.services)
	rec := agenda.OpeningPeriod{
		ID: ids.next(), AgentID: a.id, OrganisationID: org.id, PlaceID: op.place,
		ServiceIDs: make([]string, len(op.services)),
		FirstDay:   r.first.String(), StartTime: hhmm(op.start), EndTime: hhmm(op.end), RRule: r.rrule(),
	}
	durs := make([]int, len(op.services))
	op.shortest = op.services[0]
	for k, s := range op.services {
		rec.ServiceIDs[k] = org.services[s].id
		durs[k] = org.services[s].dur
		if durs[k] < org.services[op.shortest].dur {
			op.shortest = s
		}
	}
	op.steps, op.coverage = walkStats(op.end-op.start, durs)
	if r.until != maxDay {
		rec.Until = r.until.String()
	}
	g.ds.OpeningPeriods = append(g.ds.OpeningPeriods, rec)
	a.openings = append(a.openings, op)
}

// walkStats returns the expected number of steps of bookOccurrence's walk
// over length minutes, and the expected share of the length it covers.
// At each step the walk draws one of durs uniformly, falls back to the
// shortest when the draw does not fit, and stops when none fits:
// E(c) = mean over d of (1 + E(c+d')) and M(c) likewise with d' + M(c+d'),
// where d' is d, or the shortest duration when c+d exceeds the length.
func walkStats(length int, durs []int) (steps, coverage float64) {
	shortest := slices.Min(durs)
	e := make([]float64, length+1)
	m := make([]float64, length+1)
	for c := length - shortest; c >= 0; c-- {
		var se, sm float64
		for _, d := range durs {
			if c+d > length {
				d = shortest
			}
			se += 1 + e[c+d]
			sm += float64(d) + m[c+d]
		}
		e[c] = se / float64(len(durs))
		m[c] = sm / float64(len(durs))
	}
	return e[0], m[0] / float64(length)
}

// pick returns an index drawn with the given integer weights.
func pick(rng *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	x := rng.IntN(total)
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

func (g *realGen) closedDays() {
	g.reseed(phaseClosed, 0)
	rng := g.rng
	g.closedAll = make([]bool, g.win.n)
	y0, _, _ := g.win.start.civil()
	y1, _, _ := (g.win.end - 1).civil()
	taken := map[day]bool{}
	for y := y0; y <= y1; y++ {
		for _, d := range frHolidays(y) {
			g.win.mark(g.closedAll, d)
			taken[d] = true
		}
		// The bridge day after Ascension, and Christmas Eve on weekdays.
		global := []day{easter(y) + 40}
		if d := dayOf(y, time.December, 24); d.weekday() != time.Saturday && d.weekday() != time.Sunday {
			global = append(global, d)
		}
		for _, d := range global {
			if g.win.contains(d) && !taken[d] {
				g.ds.ClosedDays = append(g.ds.ClosedDays, agenda.ClosedDay{Date: d.String(), Name: "Fermeture exceptionnelle"})
				g.win.mark(g.closedAll, d)
				taken[d] = true
			}
		}
	}
	for i := range g.orgs {
		o := &g.orgs[i]
		var days []day
		for y := y0; y <= y1; y++ {
			for range rng.IntN(4) {
				d := dayOf(y, time.January, 1) + day(rng.IntN(365))
				if !g.win.contains(d) || taken[d] || slices.Contains(days, d) ||
					d.weekday() == time.Saturday || d.weekday() == time.Sunday {
					continue
				}
				days = append(days, d)
			}
		}
		slices.Sort(days)
		if len(days) > 0 {
			o.closed = make([]bool, g.win.n)
		}
		for _, d := range days {
			g.ds.ClosedDays = append(g.ds.ClosedDays, agenda.ClosedDay{Date: d.String(), OrganisationID: o.id, Name: "Formation"})
			g.win.mark(o.closed, d)
		}
	}
}

// appointments books the agents' opening occurrences in two passes: the
// first measures the capacity so that the fill of the past can be chosen to
// meet the target, the second books.
func (g *realGen) appointments() {
	target := float64(g.s.TargetAppointments)
	inOpenings := target * (1 - offShare - extraShare)
	var pastSteps, futureBooked float64
	for i := range g.agents {
		a := &g.agents[i]
		g.markBlocked(a)
		for di := range g.win.n {
			if g.blocked[di] {
				continue
			}
			off := di - pastDays
			for k := range a.openings {
				op := &a.openings[k]
				if !g.occurs(op, di) {
					continue
				}
				if off < 0 {
					pastSteps += op.steps / op.coverage
				} else {
					futureBooked += op.steps * min(1, a.fill(off, 0)/op.coverage)
				}
			}
		}
	}
	g.pastFill = 0.02
	if pastSteps > 0 {
		g.pastFill = min(max((inOpenings-futureBooked)/pastSteps, 0.02), 0.9)
	}

	g.ds.Appointments = make([]agenda.Appointment, 0, g.s.TargetAppointments+g.s.TargetAppointments/8+64)
	offPerAgent := target * offShare / float64(max(len(g.agents), 1))
	for i := range g.agents {
		g.reseed(phaseAppointments, uint64(i))
		a := &g.agents[i]
		g.markBlocked(a)
		for di := range g.win.n {
			if g.blocked[di] {
				continue
			}
			for k := range a.openings {
				if op := &a.openings[k]; g.occurs(op, di) {
					g.bookOccurrence(i, op, di)
				}
			}
		}
		n := int(offPerAgent)
		if g.rng.Float64() < offPerAgent-float64(n) {
			n++
		}
		for range n {
			g.bookOutside(i)
		}
	}
}

func (a *agentInfo) fill(off int, pastFill float64) float64 {
	switch {
	case off < 0:
		return pastFill
	case off < nearDays:
		if off/7 == a.fullWeek {
			return 1
		}
		return a.nearFill
	default:
		return a.nearFill * math.Exp(-float64(off-nearDays)/decayDays)
	}
}

func (g *realGen) markBlocked(a *agentInfo) {
	clear(g.blocked)
	for _, sp := range a.blocked {
		for d := max(sp[0], g.win.start); d <= sp[1] && d < g.win.end; d++ {
			g.blocked[d-g.win.start] = true
		}
	}
}

// occurs reports whether op has an occurrence on window day di that is
// not on a closed day of its organisation.
func (g *realGen) occurs(op *opening, di int) bool {
	if g.closedAll[di] {
		return false
	}
	if c := g.orgs[op.org].closed; c != nil && c[di] {
		return false
	}
	return op.r.matchesIn(&g.win, di)
}

// Status weights in the past and in the future: booked, seen, noshow,
// excused, revoked.
var (
	pastStatus   = []int{12, 70, 8, 6, 4}
	futureStatus = []int{90, 0, 0, 6, 4}
	statuses     = []agenda.Status{agenda.StatusBooked, agenda.StatusSeen, agenda.StatusNoShow, agenda.StatusExcused, agenda.StatusRevoked}
)

func (g *realGen) status(past bool) agenda.Status {
	if past {
		return statuses[pick(g.rng, pastStatus)]
	}
	return statuses[pick(g.rng, futureStatus)]
}

// bookOccurrence walks the occurrence of op on window day di in steps of
// its services' durations, booking each step with a probability that makes
// the expected booked share of the occurrence the agent's fill for that
// day.
func (g *realGen) bookOccurrence(ai int, op *opening, di int) {
	rng := g.rng
	a := &g.agents[ai]
	org := &g.orgs[op.org]
	off := di - pastDays
	f := min(1, a.fill(off, g.pastFill)/op.coverage)
	past := off < 0
	var base time.Time
	for cursor := op.start; ; {
		sv := &org.services[op.services[rng.IntN(len(op.services))]]
		if cursor+sv.dur > op.end {
			sv = &org.services[op.shortest]
			if cursor+sv.dur > op.end {
				return
			}
		}
		if rng.Float64() >= f {
			cursor += sv.dur
			continue
		}
		if base.IsZero() {
			base = g.win.day(di).at(op.start, org.loc)
		}
		start := base.Add(time.Duration(cursor-op.start) * time.Minute)
		ap := agenda.Appointment{
			ID: g.apptIDs.next(), OrganisationID: org.id, PlaceID: op.place, ServiceID: sv.id,
			AgentIDs: a.ids, Start: start, End: start.Add(time.Duration(sv.dur) * time.Minute),
			Status: g.status(past),
		}
		multi := 30
		if sv.collective {
			ap.Capacity = 4 + rng.IntN(12)
			ap.Participants = rng.IntN(ap.Capacity + 1)
			multi = 300
		}
		if rng.IntN(1000) < multi {
			if other := org.members[rng.IntN(len(org.members))]; other != ai {
				ap.AgentIDs = []string{a.id, g.agents[other].id}
			}
		}
		g.ds.Appointments = append(g.ds.Appointments, ap)
		if !ap.Status.Blocking() && !past && rng.IntN(2) == 0 {
			// The cancelled slot was booked again.
			re := ap
			re.ID = g.apptIDs.next()
			re.Status = agenda.StatusBooked
			re.AgentIDs = a.ids
			g.ds.Appointments = append(g.ds.Appointments, re)
		}
		if sv.dur >= 30 && rng.IntN(1000) < 5 {
			// A short call nested inside the appointment.
			in := agenda.Appointment{
				ID: g.apptIDs.next(), OrganisationID: org.id, AgentIDs: a.ids,
				Start: start.Add(10 * time.Minute), End: start.Add(20 * time.Minute), Status: g.status(past),
			}
			g.ds.Appointments = append(g.ds.Appointments, in)
		}
		cursor += sv.dur
	}
}

// bookOutside books an appointment outside the agent's openings (a home
// visit, a meeting booked by the agent), on a working day of one of its
// organisations.
func (g *realGen) bookOutside(ai int) {
	rng := g.rng
	a := &g.agents[ai]
	org := &g.orgs[a.orgs[rng.IntN(len(a.orgs))]]
	if len(org.indiv) == 0 {
		return
	}
	for range 20 {
		di := rng.IntN(g.win.n)
		d := g.win.day(di)
		if wd := d.weekday(); wd == time.Saturday || wd == time.Sunday || g.blocked[di] || g.closedAll[di] ||
			(org.closed != nil && org.closed[di]) {
			continue
		}
		sv := &org.services[org.indiv[rng.IntN(len(org.indiv))]]
		start := d.at(8*60+15*rng.IntN(38), org.loc)
		ap := agenda.Appointment{
			ID: g.apptIDs.next(), OrganisationID: org.id, ServiceID: sv.id, AgentIDs: a.ids,
			Start: start, End: start.Add(time.Duration(sv.dur) * time.Minute), Status: g.status(di < pastDays),
		}
		if rng.IntN(2) == 0 {
			ap.PlaceID = org.places[rng.IntN(len(org.places))]
		}
		g.ds.Appointments = append(g.ds.Appointments, ap)
		return
	}
}

// window is a range of days [start, end) with per-day calendar facts
// precomputed, so matching a rule on a day costs a few comparisons.
type window struct {
	start, end day
	n          int
	wd         []time.Weekday
	mday       []int8
	lastWeek   []bool // the day is in the last seven days of its month
	week       []int32
}

func newWindow(start, end day) window {
	w := window{start: start, end: end, n: int(end - start)}
	w.wd = make([]time.Weekday, w.n)
	w.mday = make([]int8, w.n)
	w.lastWeek = make([]bool, w.n)
	w.week = make([]int32, w.n)
	for i := range w.n {
		d := start + day(i)
		y, m, dd := d.civil()
		w.wd[i] = d.weekday()
		w.mday[i] = int8(dd)
		w.lastWeek[i] = dd+7 > daysIn(y, m)
		w.week[i] = int32(weekIndex(d))
	}
	return w
}

func (w *window) day(i int) day       { return w.start + day(i) }
func (w *window) contains(d day) bool { return d >= w.start && d < w.end }
func (w *window) mark(bs []bool, d day) {
	if w.contains(d) {
		bs[d-w.start] = true
	}
}

// weekIndex numbers weeks starting on Monday (RFC 5545's default WKST);
// day 4 (1970-01-05) was a Monday.
func weekIndex(d day) int { return floorDiv(int(d)-4, 7) }

// maxDay stands for "no end".
const maxDay = day(math.MaxInt32)

type ruleKind uint8

const (
	ruleOnce       ruleKind = iota // rrule "": the first day only
	ruleWeekly                     // FREQ=WEEKLY;INTERVAL=interval;BYDAY=mask
	ruleMonthlyNth                 // FREQ=MONTHLY;BYDAY=<nth><wd>, nth in 1..4 or -1
	ruleMonthlyDay                 // FREQ=MONTHLY;BYMONTHDAY=mday, mday in 1..28
)

// rule is one of the recurrence shapes the realistic generator uses, with
// its first day (DTSTART, always an occurrence) and inclusive last day.
type rule struct {
	kind     ruleKind
	mask     uint8 // weekdays, bit i for time.Weekday(i)
	interval int
	nth      int
	wd       time.Weekday
	mday     int
	first    day
	until    day
}

// matches reports whether d is an occurrence date of r.
func (r *rule) matches(d day) bool {
	if d < r.first || d > r.until {
		return false
	}
	y, m, dd := d.civil()
	return r.match(d.weekday(), dd, dd+7 > daysIn(y, m), weekIndex(d)-weekIndex(r.first), d)
}

// matchesIn is matches for window day i, from the precomputed facts.
func (r *rule) matchesIn(w *window, i int) bool {
	d := w.start + day(i)
	if d < r.first || d > r.until {
		return false
	}
	return r.match(w.wd[i], int(w.mday[i]), w.lastWeek[i], int(w.week[i])-weekIndex(r.first), d)
}

func (r *rule) match(wd time.Weekday, mday int, lastWeek bool, weeks int, d day) bool {
	switch r.kind {
	case ruleOnce:
		return d == r.first
	case ruleWeekly:
		return r.mask&(1<<wd) != 0 && weeks%r.interval == 0
	case ruleMonthlyNth:
		if wd != r.wd {
			return false
		}
		if r.nth < 0 {
			return lastWeek
		}
		return (mday-1)/7+1 == r.nth
	case ruleMonthlyDay:
		return mday == r.mday
	}
	return false
}

// align returns the first occurrence date on or after d, to be the rule's
// first day; it sets r.first as a side effect.
func (r *rule) align(d day) day {
	r.first = d
	for !r.matches(d) {
		d++
		r.first = d // interval phases count from the first day itself
	}
	return d
}

var byday = [7]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// rrule returns r as an RFC 5545 RRULE value ("" for a single day).
func (r *rule) rrule() string {
	var b strings.Builder
	switch r.kind {
	case ruleOnce:
		return ""
	case ruleWeekly:
		b.WriteString("FREQ=WEEKLY")
		if r.interval > 1 {
			b.WriteString(";INTERVAL=")
			b.WriteString(strconv.Itoa(r.interval))
		}
		b.WriteString(";BYDAY=")
		sep := ""
		for _, wd := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday} {
			if r.mask&(1<<wd) != 0 {
				b.WriteString(sep)
				b.WriteString(byday[wd])
				sep = ","
			}
		}
	case ruleMonthlyNth:
		b.WriteString("FREQ=MONTHLY;BYDAY=")
		b.WriteString(strconv.Itoa(r.nth))
		b.WriteString(byday[r.wd])
	case ruleMonthlyDay:
		b.WriteString("FREQ=MONTHLY;BYMONTHDAY=")
		b.WriteString(strconv.Itoa(r.mday))
	}
	return b.String()
}
