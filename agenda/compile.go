package agenda

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/crossagenda/crossagenda/internal/civil"
	"github.com/crossagenda/crossagenda/internal/recur"
	"github.com/crossagenda/crossagenda/internal/tz"
	"github.com/crossagenda/crossagenda/interval"
)

// New validates ds and compiles it into an [Index]. Every invalid record
// is reported with the first problem found in it (up to
// [Limits.MaxErrors] records) in a [*ValidationError] whose record errors
// name the record and the field; nothing is silently dropped.
//
// Building costs O(n log n) in the number of records, plus the public
// holidays of every year in [Limits.MinYear, Limits.MaxYear]. New keeps no
// reference to ds.
func New(ds *Dataset, opts ...Option) (*Index, error) {
	if ds == nil {
		return nil, errors.New("agenda: nil dataset")
	}
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	c := &compiler{cfg: cfg, ds: ds}
	ix := c.compile()
	if len(c.errs) > 0 {
		return nil, &ValidationError{Errs: c.errs, Truncated: c.truncated}
	}
	return ix, nil
}

type compiler struct {
	cfg       config
	ds        *Dataset
	ix        *Index
	errs      []*RecordError
	truncated bool

	// The agents' one-off absences and appointments, per agent, until
	// finishAgent indexes them.
	absOnce [][]interval.Entry[*absence]
	appts   [][]interval.Entry[*appt]
	seen    map[string]bool // the messages of errs
	dup     bool            // the last fail was a repeat, not recorded
}

func (c *compiler) fail(kind, id, field, format string, args ...any) {
	e := recordErr(kind, id, field, format, args...)
	// The same problem found twice (a reference listed twice, say) is
	// reported once.
	key := e.Error()
	if c.seen[key] {
		c.dup = true
		return
	}
	if len(c.errs) >= c.cfg.limits.MaxErrors {
		c.truncated = true
		return
	}
	if c.seen == nil {
		c.seen = make(map[string]bool)
	}
	c.seen[key] = true
	c.errs = append(c.errs, e)
}

// failCause is fail with an underlying error that errors.Is can find.
func (c *compiler) failCause(cause error, kind, id, field, format string, args ...any) {
	c.dup = false
	c.fail(kind, id, field, format, args...)
	if !c.truncated && !c.dup {
		c.errs[len(c.errs)-1].Err = cause
	}
}

// checkID reports a missing or duplicate id of the record at position i,
// and returns the name errors use for it. A record with a duplicate id is
// skipped (unique false); one without an id is still checked field by field.
func (c *compiler) checkID(kind, id string, i int, seen map[string]int) (string, bool) {
	if id == "" {
		c.fail(kind, recordID("", i), "id", "id is missing")
		return recordID("", i), true
	}
	if j, dup := seen[id]; dup {
		c.fail(kind, id, "id", "duplicate id (records #%d and #%d)", j, i)
		return id, false
	}
	seen[id] = i
	return id, true
}

// recordID names a record in errors: its id, or its position when it has
// none.
func recordID(id string, i int) string {
	if id == "" {
		return fmt.Sprintf("#%d", i)
	}
	return id
}

func (c *compiler) zone(kind, id, field, name string) (*tz.Zone, bool) {
	z, err := tz.Load(name)
	if err != nil {
		c.fail(kind, id, field, "unknown time zone %q", name)
		return nil, false
	}
	return z, true
}

func (c *compiler) date(kind, id, field, s string) (civil.Date, bool) {
	return c.dateNamed(kind, id, field, field, s)
}

// dateNamed is date for a field whose messages name it label, such as
// "exdates[2]" for an element of the list field "exdates".
func (c *compiler) dateNamed(kind, id, field, label, s string) (civil.Date, bool) {
	d, err := civil.ParseDate(s)
	if err != nil {
		if s == "" {
			c.fail(kind, id, field, "%s is missing", label)
		} else {
			c.fail(kind, id, field, "%s %q is not a date (YYYY-MM-DD)", label, s)
		}
		return 0, false
	}
	if y, _, _ := d.YMD(); y < c.cfg.limits.MinYear || y > c.cfg.limits.MaxYear {
		c.fail(kind, id, field, "%s %s is outside the years %d to %d (Limits.MinYear, Limits.MaxYear)",
			label, s, c.cfg.limits.MinYear, c.cfg.limits.MaxYear)
		return 0, false
	}
	return d, true
}

func (c *compiler) timeOfDay(kind, id, field, s string, isEnd bool) (civil.TimeOfDay, bool) {
	t, err := civil.ParseTimeOfDay(s)
	if err != nil {
		if s == "" {
			c.fail(kind, id, field, "%s is missing", field)
		} else {
			c.fail(kind, id, field, "%s %q is not a time of day (HH:MM or HH:MM:SS)", field, s)
		}
		return 0, false
	}
	if t >= 86400 && !isEnd {
		c.fail(kind, id, field, "%s %s is only allowed as an end time", field, s)
		return 0, false
	}
	return t, true
}

func (c *compiler) instantInRange(kind, id, field string, t time.Time) bool {
	if t.IsZero() {
		c.fail(kind, id, field, "%s is missing", field)
		return false
	}
	if y := t.UTC().Year(); y < c.cfg.limits.MinYear || y > c.cfg.limits.MaxYear {
		c.fail(kind, id, field, "%s %s is outside the years %d to %d (Limits.MinYear, Limits.MaxYear)",
			field, t.Format(time.RFC3339), c.cfg.limits.MinYear, c.cfg.limits.MaxYear)
		return false
	}
	return true
}

// rule compiles a recurrence; an empty rrule gives a single occurrence.
// exdates remove the occurrences on those dates.
func (c *compiler) rule(kind, id, rrule string, first civil.Date, start civil.TimeOfDay, z *tz.Zone, until string, exdates []string) (*recur.Rule, bool) {
	spec := recur.Spec{RRule: rrule, First: first, Start: start, Zone: z, MaxCount: c.cfg.limits.MaxCount}
	good := true
	for i, s := range exdates {
		d, ok := c.dateNamed(kind, id, "exdates", fmt.Sprintf("exdates[%d]", i), s)
		if !ok {
			good = false
			continue
		}
		spec.Exclude = append(spec.Exclude, d)
	}
	if !good {
		return nil, false
	}
	if until != "" {
		u, ok := c.date(kind, id, "until", until)
		if !ok {
			return nil, false
		}
		if u < first {
			c.fail(kind, id, "until", "until %s is before first_day %s", until, first)
			return nil, false
		}
		spec.Until, spec.HasUntil = u, true
	}
	r, err := recur.Compile(spec)
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), "recur: ")
		if errors.Is(err, recur.ErrCountLimit) { // speak of the agenda's limit, and let errors.Is find ErrLimit
			msg = strings.ReplaceAll(msg, "the limit is Spec.MaxCount", "the limit is Limits.MaxCount; raise it with WithLimits")
			err = errors.Join(err, &LimitError{Limit: "MaxCount", Value: fmt.Sprint(c.cfg.limits.MaxCount)})
		}
		c.failCause(err, kind, id, "rrule", "rrule: %s", msg)
		return nil, false
	}
	// The rule's own UNTIL is held to the same rule as the until field.
	if last, ok := r.OwnUntil(); ok && last < first {
		c.fail(kind, id, "rrule", "rrule %q: UNTIL %s is before first_day %s", rrule, last, first)
		return nil, false
	}
	return r, true
}

// lookup resolves a reference to another record.
func (c *compiler) lookup(m map[string]int32, kind, id, field, refKind, ref string) (int32, bool) {
	if ref == "" {
		c.fail(kind, id, field, "%s is missing", field)
		return -1, false
	}
	i, ok := m[ref]
	if !ok {
		c.fail(kind, id, field, "%s %q is not a known %s", field, ref, refKind)
		return -1, false
	}
	return i, true
}

// sortedIDs numbers records by ascending id and reports empty and
// duplicate ids. order[i] is the dataset position of the record numbered i.
func (c *compiler) sortedIDs(kind string, n int, id func(int) string) (order []int, byID map[string]int32) {
	order = make([]int, 0, n)
	for i := range n {
		if id(i) == "" {
			c.fail(kind, recordID("", i), "id", "id is missing")
			continue
		}
		order = append(order, i)
	}
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(id(a), id(b)) })
	byID = make(map[string]int32, len(order))
	kept := order[:0]
	for k, i := range order {
		if k > 0 && id(order[k-1]) == id(i) {
			c.fail(kind, id(i), "id", "duplicate id (records #%d and #%d)", order[k-1], i)
			continue
		}
		byID[id(i)] = int32(len(kept))
		kept = append(kept, i)
	}
	return kept, byID
}

func (c *compiler) compile() *Index {
	ds := c.ds
	ix := &Index{cfg: c.cfg}
	ix.records.timeZone = ds.TimeZone
	c.ix = ix
	var ok bool
	if ix.zone, ok = c.zone(kindDataset, "", "time_zone", ds.TimeZone); !ok {
		ix.zone = tz.New(time.UTC)
	}
	c.compileOrganisations()
	c.compileAgents()
	c.compilePlaces()
	c.compileServices()
	c.compileOpenings()
	c.compileAbsences()
	c.compileCalendars()
	c.compileAppointments()
	c.compileClosedDays()
	for i, a := range ix.agents.all() {
		finishAgent(a, c.absOnce[i], c.appts[i])
	}
	return ix
}

func (c *compiler) compileOrganisations() {
	ds, ix := c.ds, c.ix
	order, byID := c.sortedIDs(kindOrganisation, len(ds.Organisations), func(i int) string { return ds.Organisations[i].ID })
	ix.orgByID = byID
	ix.orgs = make([]orgData, len(order))
	for k, i := range order {
		o := &ds.Organisations[i]
		z := ix.zone
		if o.TimeZone != "" {
			if zz, ok := c.zone(kindOrganisation, o.ID, "time_zone", o.TimeZone); ok {
				z = zz
			}
		}
		ix.orgs[k] = orgData{id: o.ID, name: o.Name, zone: z}
		if o.HolidayCalendar != "" && o.HolidayCalendar != noHolidays {
			if _, ok := holidayZones[o.HolidayCalendar]; !ok {
				c.fail(kindOrganisation, o.ID, "holiday_calendar", "unknown holiday calendar %q (known: %s, or %q)",
					o.HolidayCalendar, knownCalendars(), noHolidays)
			}
		}
		keys := holidayKeys()
		for i, key := range o.WorkedHolidays {
			switch {
			case !slices.Contains(keys, key):
				c.fail(kindOrganisation, o.ID, "worked_holidays", "worked_holidays[%d]: unknown holiday key %q (known: %s)",
					i, key, strings.Join(keys, ", "))
			case slices.Contains(o.WorkedHolidays[:i], key):
				c.fail(kindOrganisation, o.ID, "worked_holidays", "worked_holidays lists %q twice", key)
			}
		}
		rec := *o
		rec.WorkedHolidays = slices.Clone(o.WorkedHolidays)
		ix.records.organisations = append(ix.records.organisations, rec)
	}
}

func (c *compiler) compileAgents() {
	ds, ix := c.ds, c.ix
	order, byID := c.sortedIDs(kindAgent, len(ds.Agents), func(i int) string { return ds.Agents[i].ID })
	ix.agentByID = byID
	list := make([]*agentData, len(order))
	ix.agents = newAgentDir(list) // its chunks share list's array: filled below
	c.absOnce = make([][]interval.Entry[*absence], len(order))
	c.appts = make([][]interval.Entry[*appt], len(order))
	for k, i := range order {
		a := &ds.Agents[i]
		ad := &agentData{idx: int32(k), id: a.ID, name: a.Name, zone: ix.zone}
		list[k] = ad
		rec := *a
		rec.OrganisationIDs = slices.Clone(a.OrganisationIDs)
		ix.records.agents = append(ix.records.agents, rec)
		if len(a.OrganisationIDs) == 0 {
			c.fail(kindAgent, a.ID, "organisation_ids", "organisation_ids is empty: an agent belongs to at least one organisation")
		}
		if a.MaxAppointmentsPerDay < 0 {
			c.fail(kindAgent, a.ID, "max_appointments_per_day", "max_appointments_per_day %d is negative", a.MaxAppointmentsPerDay)
		}
		ad.maxPerDay = max(a.MaxAppointmentsPerDay, 0)
		for _, oid := range a.OrganisationIDs {
			o, ok := c.lookup(ix.orgByID, kindAgent, a.ID, "organisation_ids", "organisation", oid)
			if !ok {
				continue
			}
			if slices.Contains(ad.orgs, o) {
				c.fail(kindAgent, a.ID, "organisation_ids", "organisation_ids lists %q twice", oid)
				continue
			}
			ad.orgs = append(ad.orgs, o)
		}
		switch {
		case a.TimeZone != "":
			if z, ok := c.zone(kindAgent, a.ID, "time_zone", a.TimeZone); ok {
				ad.zone = z
			}
		case len(ad.orgs) > 0:
			ad.zone = ix.orgs[ad.orgs[0]].zone
		}
	}
}

func (c *compiler) compilePlaces() {
	ds, ix := c.ds, c.ix
	order, byID := c.sortedIDs(kindPlace, len(ds.Places), func(i int) string { return ds.Places[i].ID })
	ix.placeByID = byID
	ix.places = make([]placeData, len(order))
	for k, i := range order {
		p := &ds.Places[i]
		o, _ := c.lookup(ix.orgByID, kindPlace, p.ID, "organisation_id", "organisation", p.OrganisationID)
		ix.places[k] = placeData{id: p.ID, name: p.Name, org: o}
		ix.records.places = append(ix.records.places, *p)
	}
}

func (c *compiler) compileServices() {
	ds, ix := c.ds, c.ix
	order, byID := c.sortedIDs(kindService, len(ds.Services), func(i int) string { return ds.Services[i].ID })
	ix.serviceByID = byID
	ix.services = make([]serviceData, len(order))
	ix.serviceAgents = make([][]int32, len(order))
	ix.collective = make([][]*appt, len(order))
	for k, i := range order {
		s := &ds.Services[i]
		o, _ := c.lookup(ix.orgByID, kindService, s.ID, "organisation_id", "organisation", s.OrganisationID)
		switch {
		case s.DurationMinutes <= 0:
			c.fail(kindService, s.ID, "duration_minutes", "duration_minutes %d is not positive", s.DurationMinutes)
		case s.DurationMinutes > 24*60:
			c.fail(kindService, s.ID, "duration_minutes", "duration_minutes %d is longer than a day", s.DurationMinutes)
		}
		// Notices longer than the years the index covers mean nothing, and
		// would overflow in seconds.
		longest := (c.cfg.limits.MaxYear - c.cfg.limits.MinYear + 1) * 366 * 24 * 60
		for _, n := range []struct {
			field string
			value int
		}{{"min_notice_minutes", s.MinNoticeMinutes}, {"max_notice_minutes", s.MaxNoticeMinutes}} {
			switch {
			case n.value < 0:
				c.fail(kindService, s.ID, n.field, "%s %d is negative", n.field, n.value)
			case n.value > longest:
				c.fail(kindService, s.ID, n.field, "%s %d is longer than the years %d to %d (Limits.MinYear, Limits.MaxYear)",
					n.field, n.value, c.cfg.limits.MinYear, c.cfg.limits.MaxYear)
			}
		}
		for _, n := range []struct {
			field string
			value int
		}{{"buffer_before_minutes", s.BufferBeforeMinutes}, {"buffer_after_minutes", s.BufferAfterMinutes},
			{"slot_interval_minutes", s.SlotIntervalMinutes}} {
			switch {
			case n.value < 0:
				c.fail(kindService, s.ID, n.field, "%s %d is negative", n.field, n.value)
			case n.value > 24*60:
				c.fail(kindService, s.ID, n.field, "%s %d is longer than a day", n.field, n.value)
			}
		}
		if s.MaxPerAgentPerDay < 0 {
			c.fail(kindService, s.ID, "max_per_agent_per_day", "max_per_agent_per_day %d is negative", s.MaxPerAgentPerDay)
		}
		if s.MaxNoticeMinutes > 0 && s.MaxNoticeMinutes < s.MinNoticeMinutes {
			c.fail(kindService, s.ID, "max_notice_minutes", "max_notice_minutes %d is below min_notice_minutes %d",
				s.MaxNoticeMinutes, s.MinNoticeMinutes)
		}
		ix.records.services = append(ix.records.services, *s)
		ix.services[k] = serviceData{
			id: s.ID, name: s.Name, org: o,
			duration:   int64(s.DurationMinutes) * 60,
			minNotice:  int64(s.MinNoticeMinutes) * 60,
			maxNotice:  int64(s.MaxNoticeMinutes) * 60,
			collective: s.Collective,
			ids:        []string{s.ID},
			bufBefore:  int64(max(s.BufferBeforeMinutes, 0)) * 60,
			bufAfter:   int64(max(s.BufferAfterMinutes, 0)) * 60,
			step:       int64(s.SlotIntervalMinutes) * 60,
			maxPerDay:  max(s.MaxPerAgentPerDay, 0),
		}
		if s.SlotIntervalMinutes <= 0 {
			ix.services[k].step = ix.services[k].duration
		}
	}
}

// compileEach compiles the records of one kind in dataset order: it
// reports missing and duplicate ids (a duplicate is skipped), compiles
// each record with compile, and hands the valid ones to add. Every kind of
// record that other records do not refer to goes through it.
func compileEach[R, C any](c *compiler, kind string, recs []R, id func(*R) string, compile func(*R, string) (C, bool), add func(C)) {
	seen := make(map[string]int, len(recs))
	for i := range recs {
		r := &recs[i]
		rid, unique := c.checkID(kind, id(r), i, seen)
		if !unique {
			continue
		}
		if v, ok := compile(r, rid); ok {
			add(v)
		}
	}
}

func (c *compiler) compileOpenings() {
	ds, ix := c.ds, c.ix
	compileEach(c, kindOpening, ds.OpeningPeriods, func(p *OpeningPeriod) string { return p.ID }, c.opening, func(op *opening) {
		a := ix.agents.at(op.agent)
		a.openings = append(a.openings, op)
		for _, s := range op.services {
			ix.serviceAgents[s] = append(ix.serviceAgents[s], op.agent)
		}
	})
	for s, agents := range ix.serviceAgents {
		slices.Sort(agents)
		ix.serviceAgents[s] = slices.Clip(slices.Compact(agents))
	}
}

func (c *compiler) opening(p *OpeningPeriod, id string) (*opening, bool) {
	ix := c.ix
	good := true
	agent, ok := c.lookup(ix.agentByID, kindOpening, id, "agent_id", "agent", p.AgentID)
	good = good && ok
	org, ok := c.lookup(ix.orgByID, kindOpening, id, "organisation_id", "organisation", p.OrganisationID)
	good = good && ok
	if agent >= 0 && org >= 0 && !slices.Contains(ix.agents.at(agent).orgs, org) {
		c.fail(kindOpening, id, "organisation_id", "agent %q does not belong to organisation %q", p.AgentID, p.OrganisationID)
		good = false
	}
	place := int32(-1)
	if p.PlaceID != "" {
		place, ok = c.lookup(ix.placeByID, kindOpening, id, "place_id", "place", p.PlaceID)
		good = good && ok
		if ok && org >= 0 && ix.places[place].org != org {
			c.fail(kindOpening, id, "place_id", "place %q belongs to another organisation than %q", p.PlaceID, p.OrganisationID)
			good = false
		}
	}
	if len(p.ServiceIDs) == 0 {
		c.fail(kindOpening, id, "service_ids", "service_ids is empty")
		good = false
	}
	services := make([]int32, 0, len(p.ServiceIDs))
	for _, sid := range p.ServiceIDs {
		s, ok := c.lookup(ix.serviceByID, kindOpening, id, "service_ids", "service", sid)
		if !ok {
			good = false
			continue
		}
		if slices.Contains(services, s) {
			c.fail(kindOpening, id, "service_ids", "service_ids lists %q twice", sid)
			good = false
			continue
		}
		if org >= 0 && ix.services[s].org != org {
			c.fail(kindOpening, id, "service_ids", "service %q belongs to another organisation than %q", sid, p.OrganisationID)
			good = false
		}
		services = append(services, s)
	}
	first, ok := c.date(kindOpening, id, "first_day", p.FirstDay)
	good = good && ok
	start, ok1 := c.timeOfDay(kindOpening, id, "start_time", p.StartTime, false)
	end, ok2 := c.timeOfDay(kindOpening, id, "end_time", p.EndTime, true)
	if ok1 && ok2 && end <= start {
		c.fail(kindOpening, id, "end_time", "end_time %s is not after start_time %s", p.EndTime, p.StartTime)
		good = false
	}
	good = good && ok1 && ok2
	if !good {
		return nil, false
	}
	slices.Sort(services)
	z := ix.orgs[org].zone
	rule, ok := c.rule(kindOpening, id, p.RRule, first, start, z, p.Until, p.Exdates)
	if !ok {
		return nil, false
	}
	rec := *p
	rec.ServiceIDs = slices.Clone(p.ServiceIDs)
	rec.Exdates = slices.Clone(p.Exdates)
	ids := make([]string, len(services))
	for i, s := range services {
		ids[i] = ix.services[s].id
	}
	return &opening{
		id: p.ID, agent: agent, org: org, place: place, services: services,
		first: first, start: start, end: end, rule: rule, zone: z, rec: rec, serviceIDs: ids,
	}, true
}

func (c *compiler) compileAbsences() {
	ds, ix := c.ds, c.ix
	compileEach(c, kindAbsence, ds.Absences, func(b *Absence) string { return b.ID }, c.absence, func(ab *absence) {
		if ab.rule == nil {
			c.absOnce[ab.agent] = append(c.absOnce[ab.agent], ab.entry())
		} else {
			a := ix.agents.at(ab.agent)
			a.absRecurring = append(a.absRecurring, ab)
		}
	})
}

// absence compiles one absence record.
func (c *compiler) absence(b *Absence, id string) (*absence, bool) {
	ix := c.ix
	agent, ok := c.lookup(ix.agentByID, kindAbsence, id, "agent_id", "agent", b.AgentID)
	first, ok1 := c.date(kindAbsence, id, "first_day", b.FirstDay)
	start, ok2 := c.timeOfDay(kindAbsence, id, "start_time", b.StartTime, false)
	end, ok3 := c.timeOfDay(kindAbsence, id, "end_time", b.EndTime, true)
	endDay, ok4 := first, true
	if b.EndDay != "" {
		endDay, ok4 = c.date(kindAbsence, id, "end_day", b.EndDay)
	}
	if !ok || !ok1 || !ok2 || !ok3 || !ok4 {
		return nil, false
	}
	z := ix.agents.at(agent).zone
	ab := &absence{id: b.ID, agent: agent, start: start, end: end, zone: z, rec: *b}
	ab.rec.Exdates = slices.Clone(b.Exdates)
	if b.RRule == "" {
		if b.Until != "" {
			c.fail(kindAbsence, id, "until", "until is set but rrule is empty")
			return nil, false
		}
		if len(b.Exdates) > 0 {
			c.fail(kindAbsence, id, "exdates", "exdates is set but rrule is empty: a one-off absence has no occurrence to remove")
			return nil, false
		}
		ab.onceStart, ab.onceEnd = z.Instant(first, start), z.Instant(endDay, end)
		if ab.onceEnd <= ab.onceStart {
			c.fail(kindAbsence, id, "end_time", "end_day end_time %s %s is not after first_day start_time %s %s",
				endDay, b.EndTime, first, b.StartTime)
			return nil, false
		}
		return ab, true
	}
	if endDay != first {
		c.fail(kindAbsence, id, "end_day", "a recurring absence cannot span days: end_day %s is not first_day %s", endDay, first)
		return nil, false
	}
	if end <= start {
		c.fail(kindAbsence, id, "end_time", "end_time %s is not after start_time %s", b.EndTime, b.StartTime)
		return nil, false
	}
	if ab.rule, ok = c.rule(kindAbsence, id, b.RRule, first, start, z, b.Until, b.Exdates); !ok {
		return nil, false
	}
	return ab, true
}

func (c *compiler) compileAppointments() {
	ds, ix := c.ds, c.ix
	// One backing array for all appointments keeps them together in memory
	// and costs one allocation.
	store := make([]appt, 0, len(ds.Appointments))
	compileEach(c, kindAppointment, ds.Appointments, func(r *Appointment) string { return r.ID }, c.appointment, func(a appt) {
		store = append(store, a)
		ap := &store[len(store)-1]
		for _, ag := range ap.agents {
			c.appts[ag] = append(c.appts[ag], interval.Entry[*appt]{Interval: ap.span(), Value: ap})
		}
		if ap.service >= 0 && ix.services[ap.service].collective {
			ix.collective[ap.service] = append(ix.collective[ap.service], ap)
		}
	})
	ix.appointments = len(store)
	for s, list := range ix.collective {
		slices.SortFunc(list, func(a, b *appt) int {
			return cmp.Or(cmp.Compare(a.start, b.start), strings.Compare(a.id, b.id))
		})
		ix.collective[s] = list
	}
}

func (c *compiler) appointment(r *Appointment, id string) (appt, bool) {
	ix := c.ix
	a := appt{id: r.ID, place: -1, service: -1, status: r.Status}
	good := true
	org, ok := c.lookup(ix.orgByID, kindAppointment, id, "organisation_id", "organisation", r.OrganisationID)
	a.org = org
	good = good && ok
	if r.PlaceID != "" {
		a.place, ok = c.lookup(ix.placeByID, kindAppointment, id, "place_id", "place", r.PlaceID)
		good = good && ok
		if ok && org >= 0 && ix.places[a.place].org != org {
			c.fail(kindAppointment, id, "place_id", "place %q belongs to another organisation than %q", r.PlaceID, r.OrganisationID)
			good = false
		}
	}
	if r.ServiceID != "" {
		a.service, ok = c.lookup(ix.serviceByID, kindAppointment, id, "service_id", "service", r.ServiceID)
		good = good && ok
		if ok && org >= 0 && ix.services[a.service].org != org {
			c.fail(kindAppointment, id, "service_id", "service %q belongs to another organisation than %q", r.ServiceID, r.OrganisationID)
			good = false
		}
	}
	if len(r.AgentIDs) == 0 {
		c.fail(kindAppointment, id, "agent_ids", "agent_ids is empty")
		good = false
	}
	a.agents = make([]int32, 0, len(r.AgentIDs))
	for _, aid := range r.AgentIDs {
		ag, ok := c.lookup(ix.agentByID, kindAppointment, id, "agent_ids", "agent", aid)
		if !ok {
			good = false
			continue
		}
		if slices.Contains(a.agents, ag) {
			c.fail(kindAppointment, id, "agent_ids", "agent_ids lists %q twice", aid)
			good = false
			continue
		}
		if org >= 0 && !slices.Contains(ix.agents.at(ag).orgs, org) {
			c.fail(kindAppointment, id, "agent_ids", "agent %q does not belong to organisation %q", aid, r.OrganisationID)
			good = false
		}
		a.agents = append(a.agents, ag)
	}
	if !r.Status.Valid() {
		c.fail(kindAppointment, id, "status", "status %q is not one of booked, seen, noshow, excused, revoked", r.Status)
		good = false
	}
	if a.status == "" {
		a.status = StatusBooked
	}
	ok1 := c.instantInRange(kindAppointment, id, "start", r.Start)
	ok2 := c.instantInRange(kindAppointment, id, "end", r.End)
	if ok1 && ok2 && !r.End.After(r.Start) {
		c.fail(kindAppointment, id, "end", "end %s is not after start %s", r.End.Format(time.RFC3339), r.Start.Format(time.RFC3339))
		good = false
	}
	good = good && ok1 && ok2
	a.start, a.end = r.Start.Unix(), r.End.Unix()
	if a.end <= a.start && good {
		// Sub-second appointments vanish at our one-second resolution.
		c.fail(kindAppointment, id, "end", "end is less than a second after start")
		good = false
	}
	switch {
	case r.Capacity < 0:
		c.fail(kindAppointment, id, "capacity", "capacity %d is negative", r.Capacity)
		good = false
	case r.Participants < 0:
		c.fail(kindAppointment, id, "participants", "participants %d is negative", r.Participants)
		good = false
	case r.Participants > r.Capacity && r.Capacity > 0:
		c.fail(kindAppointment, id, "participants", "participants %d exceeds capacity %d", r.Participants, r.Capacity)
		good = false
	case r.Capacity > 1<<30 || r.Participants > 1<<30:
		c.fail(kindAppointment, id, "capacity", "capacity %d is too large", r.Capacity)
		good = false
	}
	a.capacity, a.participants = int32(r.Capacity), int32(r.Participants)
	if a.service >= 0 {
		a.bufBefore, a.bufAfter = ix.services[a.service].bufBefore, ix.services[a.service].bufAfter
	}
	for _, b := range []struct {
		field string
		value *int
		dst   *int64
		own   *bool
	}{{"buffer_before_minutes", r.BufferBeforeMinutes, &a.bufBefore, &a.ownBefore},
		{"buffer_after_minutes", r.BufferAfterMinutes, &a.bufAfter, &a.ownAfter}} {
		if b.value == nil {
			continue
		}
		*b.own = true
		switch {
		case *b.value < 0:
			c.fail(kindAppointment, id, b.field, "%s %d is negative", b.field, *b.value)
			good = false
		case *b.value > 24*60:
			c.fail(kindAppointment, id, b.field, "%s %d is longer than a day", b.field, *b.value)
			good = false
		default:
			*b.dst = int64(*b.value) * 60
		}
	}
	if a.service >= 0 && ix.services[a.service].collective && a.capacity == 0 {
		c.fail(kindAppointment, id, "capacity", "appointment of collective service %q has no capacity", r.ServiceID)
		good = false
	}
	return a, good
}

func (c *compiler) compileClosedDays() {
	ds, ix := c.ds, c.ix
	type key struct {
		date civil.Date
		org  string
	}
	seen := make(map[key]int, len(ds.ClosedDays))
	for i := range ds.ClosedDays {
		cd := &ds.ClosedDays[i]
		id := cd.Date
		if id == "" {
			id = recordID("", i)
		}
		if !c.closedDay(cd, id) {
			continue
		}
		d, _ := civil.ParseDate(cd.Date)
		if j, dup := seen[key{d, cd.OrganisationID}]; dup {
			c.fail(kindClosedDay, id, "date", "duplicate closed day (records #%d and #%d)", j, i)
			continue
		}
		seen[key{d, cd.OrganisationID}] = i
		ix.records.closedDays = append(ix.records.closedDays, *cd)
	}
	for _, name := range ds.HolidayCalendars {
		if _, ok := holidayZones[name]; !ok {
			c.fail(kindDataset, "", "holiday_calendars", "unknown holiday calendar %q (known: %s)", name, knownCalendars())
			continue
		}
		ix.records.holidayCalendars = append(ix.records.holidayCalendars, name)
	}
	ix.closed = buildClosed(ix, ix.records.closedDays, ix.records.holidayCalendars, nil)
}

// closedDay checks one closed-day record.
func (c *compiler) closedDay(cd *ClosedDay, id string) bool {
	if _, ok := c.date(kindClosedDay, id, "date", cd.Date); !ok {
		return false
	}
	if cd.OrganisationID != "" {
		if _, ok := c.lookup(c.ix.orgByID, kindClosedDay, id, "organisation_id", "organisation", cd.OrganisationID); !ok {
			return false
		}
	}
	return true
}

// buildClosed computes, per organisation, the days it is closed: the
// explicit closed days (valid records) and, for every year of the limits,
// the holidays of its calendars (its own HolidayCalendar, else the
// dataset's calendars) but those it works, as whole local days of its
// zone. When prev is given, only the organisations in onlyOrgs (all when
// nil) are rebuilt and the others are kept from prev.
func buildClosed(ix *Index, days []ClosedDay, calendars []string, prev []*orgClosed, onlyOrgs ...int32) []*orgClosed {
	type closure struct {
		date civil.Date
		name string
	}
	var global []closure
	perOrg := make([][]closure, len(ix.orgs))
	for _, cd := range days {
		d, _ := civil.ParseDate(cd.Date)
		if cd.OrganisationID == "" {
			global = append(global, closure{d, cd.Name})
		} else if o, ok := ix.orgByID[cd.OrganisationID]; ok {
			perOrg[o] = append(perOrg[o], closure{d, cd.Name})
		}
	}
	// Holidays come after explicit closures so that, for a date closed
	// both ways, the stable sort below keeps the explicit name.
	holidays := func(cals, worked []string) []closure {
		var out []closure
		for _, name := range cals {
			for y := ix.cfg.limits.MinYear; y <= ix.cfg.limits.MaxYear; y++ {
				for _, h := range holidaysOf(name, y) {
					if !slices.Contains(worked, h.key) {
						out = append(out, closure{h.date, h.name})
					}
				}
			}
		}
		return out
	}
	closed := make([]*orgClosed, len(ix.orgs))
	copy(closed, prev)
	// Organisations without closures of their own share one list per zone
	// and holiday rules.
	type shareKey struct {
		zone         *tz.Zone
		cals, worked string
	}
	shared := make(map[shareKey]*orgClosed)
	for o := range ix.orgs {
		if prev != nil && !slices.Contains(onlyOrgs, int32(o)) {
			continue
		}
		z := ix.orgs[o].zone
		cals, worked := calendars, []string(nil)
		if o < len(ix.records.organisations) {
			rec := &ix.records.organisations[o]
			switch rec.HolidayCalendar {
			case "":
			case noHolidays:
				cals = nil
			default:
				cals = []string{rec.HolidayCalendar}
			}
			worked = rec.WorkedHolidays
		}
		key := shareKey{z, strings.Join(cals, ","), strings.Join(worked, ",")}
		if len(perOrg[o]) == 0 {
			if oc, ok := shared[key]; ok {
				closed[o] = oc
				continue
			}
		}
		all := slices.Concat(perOrg[o], global, holidays(cals, worked))
		slices.SortStableFunc(all, func(a, b closure) int { return cmp.Compare(a.date, b.date) })
		oc := &orgClosed{}
		for k, cl := range all {
			if k > 0 && all[k-1].date == cl.date {
				continue
			}
			s, e := z.DayStart(cl.date), z.DayStart(cl.date.AddDays(1))
			oc.days = append(oc.days, closedDay{date: cl.date, id: cl.date.String(), name: cl.name, start: s, end: e})
			if n := len(oc.set); n > 0 && oc.set[n-1].End >= s {
				oc.set[n-1].End = max(oc.set[n-1].End, e)
			} else {
				oc.set = append(oc.set, interval.Interval{Start: s, End: e})
			}
		}
		entries := make([]interval.Entry[*closedDay], len(oc.days))
		for k := range oc.days {
			d := &oc.days[k]
			entries[k] = interval.Entry[*closedDay]{Interval: interval.Interval{Start: d.start, End: d.end}, Value: d}
		}
		oc.index = interval.NewStatic(entries)
		closed[o] = oc
		if len(perOrg[o]) == 0 {
			shared[key] = oc
		}
	}
	return closed
}

// finishAgent sorts what compile appended, indexes the agent's one-off
// absences and appointments by time and derives the fixed busy time.
func finishAgent(a *agentData, absOnce []interval.Entry[*absence], appts []interval.Entry[*appt]) {
	slices.SortFunc(a.openings, func(x, y *opening) int { return strings.Compare(x.id, y.id) })
	slices.SortFunc(a.absRecurring, func(x, y *absence) int { return strings.Compare(x.id, y.id) })
	a.absences = interval.NewStatic(absOnce)
	a.appts = apptIndex{}
	if len(appts) > 0 {
		a.appts.static = interval.NewStatic(appts)
	}
	a.derive()
}

// derive computes the fixed busy time from the indexed records: blocking
// appointments widened by their buffers, and one-off absences.
func (a *agentData) derive() {
	busy := make([]interval.Interval, 0, a.absences.Len())
	for iv := range a.absences.All() {
		busy = append(busy, iv)
	}
	for _, r := range a.appts.all() {
		if r.blocking() {
			busy = append(busy, interval.Interval{Start: r.blockStart(), End: r.blockEnd()})
		}
	}
	a.busyFixed = slices.Clip(interval.Normalize(busy))
}

func (b *absence) entry() interval.Entry[*absence] {
	return interval.Entry[*absence]{Interval: interval.Interval{Start: b.onceStart, End: b.onceEnd}, Value: b}
}
