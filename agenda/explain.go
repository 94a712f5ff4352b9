package agenda

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/crossagenda/crossagenda/interval"
)

// ExplainQuery asks whether one start of a service is bookable with one
// agent at one place, and why not.
type ExplainQuery struct {
	ServiceID string
	AgentID   string
	// PlaceID is the place; "" for openings without a place.
	PlaceID string
	Start   time.Time
	// Now and View apply the slot rules as [Index.Slots] does.
	Now  time.Time
	View View
	// OrganisationID is the viewer's organisation: records of the
	// agent's other organisations are given by kind and time only, as
	// [Index.AgendaFor] shows them. Empty: the viewer sees every record.
	OrganisationID string
}

// ReasonKind says why a start is not bookable.
type ReasonKind string

// Reasons a start is not bookable.
const (
	// ReasonServiceNotOffered: no opening of the agent offers the service.
	ReasonServiceNotOffered ReasonKind = "service_not_offered"
	// ReasonPlaceNotOffered: the agent offers the service, but not at
	// this place.
	ReasonPlaceNotOffered ReasonKind = "place_not_offered"
	// ReasonOutsideOpening: no opening of the service at the place covers
	// the whole slot.
	ReasonOutsideOpening ReasonKind = "outside_opening"
	// ReasonClosed: a closed day or public holiday of the service's
	// organisation overlaps the slot (Name is its name).
	ReasonClosed ReasonKind = "closed"
	// ReasonAbsence, ReasonAppointment and ReasonHold: the agent is busy,
	// in any organisation, over the slot widened by the service's buffers
	// (an appointment or hold counts with its own buffers).
	ReasonAbsence     ReasonKind = "absence"
	ReasonAppointment ReasonKind = "appointment"
	ReasonHold        ReasonKind = "hold"
	// ReasonCalendar: an event of one of the agent's external calendars
	// (RecordID is the calendar's id; the event itself is never shown).
	ReasonCalendar ReasonKind = "calendar"
	// ReasonMinNotice and ReasonMaxNotice: the public may not book this
	// close to now, or this far ahead (user view). LimitMinutes is the
	// notice, Allowed the first (minimum) or last (maximum) start it allows.
	ReasonMinNotice ReasonKind = "min_notice"
	ReasonMaxNotice ReasonKind = "max_notice"
	// ReasonPast: the start is before now (Allowed).
	ReasonPast ReasonKind = "past"
	// ReasonOffGrid: the slot is free but slots do not start there;
	// Before and After are the nearest offered starts of the agent and
	// place.
	ReasonOffGrid ReasonKind = "off_grid"
	// ReasonDailyCap: the day already holds the most appointments the
	// service allows per agent (Limit, Count), or the agent allows
	// (RecordID is then empty and OrganisationID too).
	ReasonDailyCap ReasonKind = "daily_cap"
)

// Reason is one cause that keeps a start from being bookable. The fields
// that do not apply to its kind are zero. The record fields (RecordID,
// OrganisationID, Name) are empty for records the viewer may not see.
type Reason struct {
	Kind ReasonKind `json:"kind"`
	// RecordID is the appointment, hold or absence id, or the closed
	// day's date.
	RecordID       string `json:"record_id,omitempty"`
	OrganisationID string `json:"organisation_id,omitempty"`
	Name           string `json:"name,omitempty"` // a closed day's or holiday's name
	// Start and End are the record's own span (an appointment's without
	// its buffers).
	Start *time.Time `json:"start,omitempty"`
	End   *time.Time `json:"end,omitempty"`
	// LimitMinutes is a notice; Limit a daily cap, Count the
	// appointments the day holds.
	LimitMinutes int        `json:"limit_minutes,omitempty"`
	Allowed      *time.Time `json:"allowed,omitempty"`
	Limit        int        `json:"limit,omitempty"`
	Count        int        `json:"count,omitempty"`
	// Before and After are the nearest offered starts (off grid).
	Before *time.Time `json:"before,omitempty"`
	After  *time.Time `json:"after,omitempty"`
	// BusyGrid says, off grid, that the grid starts where busy time
	// ends: an appointment, hold or absence moved it.
	BusyGrid bool `json:"busy_grid,omitempty"`
}

// String describes the reason in one line.
func (r Reason) String() string {
	var b strings.Builder
	b.WriteString(string(r.Kind))
	if r.RecordID != "" {
		fmt.Fprintf(&b, " %q", r.RecordID)
	}
	if r.OrganisationID != "" {
		fmt.Fprintf(&b, " of organisation %q", r.OrganisationID)
	}
	if r.Name != "" {
		fmt.Fprintf(&b, " (%s)", r.Name)
	}
	if r.Start != nil && r.End != nil {
		fmt.Fprintf(&b, " %s to %s", r.Start.Format(time.RFC3339), r.End.Format(time.RFC3339))
	}
	if r.LimitMinutes != 0 {
		fmt.Fprintf(&b, " of %d minutes", r.LimitMinutes)
	}
	if r.Allowed != nil {
		word := "from" // the first allowed start; for the maximum notice, the last
		if r.Kind == ReasonMaxNotice {
			word = "until"
		}
		fmt.Fprintf(&b, ", allowed %s %s", word, r.Allowed.Format(time.RFC3339))
	}
	if r.Limit != 0 {
		fmt.Fprintf(&b, " %d of %d", r.Count, r.Limit)
	}
	if r.Before != nil {
		fmt.Fprintf(&b, ", nearest start before %s", r.Before.Format(time.RFC3339))
	}
	if r.After != nil {
		fmt.Fprintf(&b, ", nearest start after %s", r.After.Format(time.RFC3339))
	}
	if r.BusyGrid {
		b.WriteString(", the grid starting where busy time ends")
	}
	return b.String()
}

// Explanation says whether a start is bookable and, if not, every reason.
type Explanation struct {
	Bookable bool      `json:"bookable"`
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	// Reasons is empty exactly when Bookable is true.
	Reasons []Reason `json:"reasons"`
	// Before and After are the nearest bookable starts of the agent at
	// the place, before and after Start (searched as far back as now and
	// as far ahead as next availability searches); nil when there is
	// none.
	Before *time.Time `json:"before,omitempty"`
	After  *time.Time `json:"after,omitempty"`
}

// Explain says whether q.Start is a start [Index.Slots] offers for q's
// agent and place, and if not, why: every reason among those of
// [ReasonKind], each with the record behind it where the viewer may see
// it. Bookable is decided by the very code Slots and [Live.Book] run; the
// reasons are read from the same free-time, busy-time, closed-day and
// cap computations. Collective services are refused ([ErrInvalidQuery]):
// their slots are the seats of their appointments.
//
// It costs one slot computation of the agent over a few days around the
// start, plus the search for the nearest bookable starts, which widens in
// doubling windows like [Index.NextAvailable].
func (ix *Index) Explain(ctx context.Context, q ExplainQuery) (*Explanation, error) {
	ctx = orBackground(ctx)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	viewer := int32(allOrgs)
	if q.OrganisationID != "" {
		o, ok := ix.orgByID[q.OrganisationID]
		if !ok {
			return nil, fmt.Errorf("agenda: organisation %q: %w", q.OrganisationID, ErrNotFound)
		}
		viewer = o
	}
	if q.Start.IsZero() {
		return nil, fmt.Errorf("agenda: the query needs a start: %w", ErrInvalidQuery)
	}
	if err := ix.checkYears(q.Start); err != nil {
		return nil, err
	}
	ai, start, p, err := ix.planStart(q.ServiceID, q.AgentID, q.PlaceID, q.Start, q.Now, q.View)
	if err != nil {
		return nil, err
	}
	if p.svc.collective {
		return nil, fmt.Errorf("agenda: service %q is collective: its slots are the seats of its appointments: %w",
			q.ServiceID, ErrInvalidQuery)
	}
	sc := takeScratch()
	defer sc.release()
	return ix.explain(ctx, ix.agents.at(ai), p, p.places[0], start, q.View, viewer, sc, newBudget(ix.cfg.limits))
}

// planStart plans [Index.Slots]' search of the service for one agent at
// one place, over the single start t = start rounded up to the second:
// the plan [Index.offers] decides on. Explain and booking both plan here.
func (ix *Index) planStart(serviceID, agentID, placeID string, start, now time.Time, view View) (ai int32, t int64, p *slotPlan, err error) {
	ai, ok := ix.agentByID[agentID]
	if !ok {
		return 0, 0, nil, fmt.Errorf("agenda: agent %q: %w", agentID, ErrNotFound)
	}
	t = ceilUnix(start)
	p, err = ix.planSlots(SlotQuery{ServiceID: serviceID, PlaceIDs: []string{placeID}, AgentIDs: []string{agentID},
		Now: now, View: view}, t, t+1)
	return ai, t, p, err
}

// offers reports whether the plan offers a slot of agent a starting at t:
// the decision of Slots and Book. p must be planned for [t, t+1).
func (ix *Index) offers(a *agentData, p *slotPlan, t int64, sc *scratch, b *budget) (bool, error) {
	if p.from >= p.to || len(p.agents) != 1 {
		return false, nil
	}
	recs, err := ix.agentSlots(sc.slots[:0], a, p, p.from, p.to, 2, sc, b)
	sc.slots = recs
	return err == nil && len(recs) > 0 && recs[0].start == t, err
}

// explain builds the explanation of start t for agent a at place pl.
func (ix *Index) explain(ctx context.Context, a *agentData, p *slotPlan, pl int32, t int64, view View, viewer int32,
	sc *scratch, b *budget) (*Explanation, error) {
	loc := ix.orgs[p.svc.org].zone.Location()
	at := func(u int64) *time.Time { v := time.Unix(u, 0).In(loc); return &v }
	ok, err := ix.offers(a, p, t, sc, b)
	if err != nil {
		return nil, err
	}
	ex := &Explanation{Bookable: ok, Start: *at(t), End: *at(t + p.svc.duration), Reasons: []Reason{}}
	if ex.Reasons, err = ix.reasons(ex.Reasons, a, p, pl, t, view, viewer, at, sc, b); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	before, after, err := ix.nearestSlots(ctx, a, p, t, view, sc, b)
	if err != nil {
		return nil, err
	}
	if before >= 0 {
		ex.Before = at(before)
	}
	if after >= 0 {
		ex.After = at(after)
	}
	if !ok && len(ex.Reasons) == 0 {
		// Every way Slots can refuse a start has a reason above; reaching
		// here is a bug, which the seeded test looks for.
		return nil, fmt.Errorf("agenda: start %s is not offered for no known reason", ex.Start.Format(time.RFC3339))
	}
	for i := range ex.Reasons {
		if ex.Reasons[i].Kind == ReasonOffGrid {
			ex.Reasons[i].Before, ex.Reasons[i].After = ex.Before, ex.After
		}
	}
	return ex, nil
}

// reasons appends every reason why t is not offered. It reads the same
// plan, free time, busy time, closed days and caps as the slots.
func (ix *Index) reasons(rs []Reason, a *agentData, p *slotPlan, pl int32, t int64, view View, viewer int32,
	at func(int64) *time.Time, sc *scratch, b *budget) ([]Reason, error) {
	svc, d := p.svc, p.svc.duration
	sees := func(org int32) bool { return viewer == allOrgs || org == viewer }

	// The notice rules and now, as planSlots applies them.
	switch {
	case view == ViewUser && svc.minNotice > 0 && t < p.now+svc.minNotice:
		rs = append(rs, Reason{Kind: ReasonMinNotice, LimitMinutes: int(svc.minNotice / 60), Allowed: at(p.now + svc.minNotice)})
	case t < p.now:
		rs = append(rs, Reason{Kind: ReasonPast, Allowed: at(p.now)})
	}
	if view == ViewUser && svc.maxNotice > 0 && t > p.now+svc.maxNotice {
		rs = append(rs, Reason{Kind: ReasonMaxNotice, LimitMinutes: int(svc.maxNotice / 60), Allowed: at(p.now + svc.maxNotice)})
	}

	// Whether the agent offers the service, and at this place.
	if len(p.agents) == 0 {
		return append(rs, Reason{Kind: ReasonServiceNotOffered}), nil
	}
	if !slices.ContainsFunc(a.openings, func(o *opening) bool { return o.place == pl && o.offers(p.service) }) {
		return append(rs, Reason{Kind: ReasonPlaceNotOffered}), nil
	}

	// Open time: the occurrences of the service's openings at the place.
	// The closed days come out of them, then the busy time.
	slot := interval.Interval{Start: t, End: t + d}
	rng := interval.Interval{Start: t - 86400 - svc.bufBefore, End: t + d + svc.bufAfter + 86400}
	var occ []interval.Interval
	q := freeQuery{win: rng, forService: true, service: p.service, place: pl, hasBusy: true}
	if _, err := ix.freeTime(nil, a, &q, func(_ *opening, iv interval.Interval) { occ = append(occ, iv) }, sc, b); err != nil {
		return rs, err
	}
	if !covers(interval.Normalize(occ), slot) {
		rs = append(rs, Reason{Kind: ReasonOutsideOpening})
	}
	sc.closed = ix.closed[svc.org].index.AppendOverlapping(sc.closed[:0], slot)
	for _, e := range sc.closed {
		cd := e.Value
		r := Reason{Kind: ReasonClosed, Start: at(cd.start), End: at(cd.end)}
		if sees(svc.org) {
			r.RecordID, r.Name, r.OrganisationID = cd.id, cd.name, ix.orgs[svc.org].id
		}
		rs = append(rs, r)
	}

	// Busy time: what blocks the slot widened by the service's buffers,
	// as serviceBusy widens busy time.
	bw := interval.Interval{Start: t - svc.bufBefore, End: t + d + svc.bufAfter}
	busyRec := func(kind ReasonKind, id string, org int32, s, e int64) {
		r := Reason{Kind: kind, Start: at(s), End: at(e)}
		if org >= 0 && sees(org) || org < 0 && viewer == allOrgs {
			r.RecordID = id
			if org >= 0 {
				r.OrganisationID = ix.orgs[org].id
			}
		}
		rs = append(rs, r)
	}
	const maxBuffer = 86400 // buffers are at most a day
	sc.appts = a.appts.appendOverlapping(sc.appts[:0], interval.Interval{Start: bw.Start - maxBuffer, End: bw.End + maxBuffer})
	for _, e := range sc.appts {
		if r := e.Value; r.blocking() && r.blockStart() < bw.End && r.blockEnd() > bw.Start {
			busyRec(ReasonAppointment, r.id, r.org, r.start, r.end)
		}
	}
	ix.activeHolds(a, bw.Start-maxBuffer, bw.End+maxBuffer, func(h *hold) {
		if h.a.blockStart() < bw.End && h.a.blockEnd() > bw.Start {
			busyRec(ReasonHold, h.a.id, h.a.org, h.a.start, h.a.end)
		}
	})
	absAt := func(s span) {
		if s.start < bw.End && s.end > bw.Start {
			busyRec(ReasonAbsence, s.abs.id, -1, s.start, s.end)
		}
	}
	sc.absences = a.absences.AppendOverlapping(sc.absences[:0], bw)
	for _, e := range sc.absences {
		absAt(span{start: e.Start, end: e.End, abs: e.Value})
	}
	for _, ab := range a.absRecurring {
		var err error
		sc.ivs, sc.dates, err = appendOccurrences(sc.ivs[:0], sc.dates, ab.rule, ab.zone, ab.start, ab.end, bw.Start, bw.End, b)
		if err != nil {
			return rs, err
		}
		for _, iv := range sc.ivs {
			absAt(span{start: iv.Start, end: iv.End, abs: ab})
		}
	}

	for _, c := range a.calendars {
		var err error
		if sc.cal, err = calendarOccurrences(sc.cal[:0], c, bw.Start, bw.End, b); err != nil {
			return rs, err
		}
		for _, o := range sc.cal {
			if o.Blocking && o.Start < bw.End && o.End > bw.Start {
				busyRec(ReasonCalendar, c.id, -1, o.Start, o.End)
			}
		}
	}

	// The daily caps, as cutSlots applies them.
	caps := dayCaps{ix: ix, a: a, p: p}
	if !caps.allows(t) {
		if n := svc.maxPerDay; n > 0 {
			if c := ix.countAppts(a, localDay(ix.orgs[svc.org].zone, t), p.service); c >= n {
				rs = append(rs, Reason{Kind: ReasonDailyCap, RecordID: svc.id, OrganisationID: ix.orgs[svc.org].id, Limit: n, Count: c})
			}
		}
		if n := a.maxPerDay; n > 0 {
			if c := ix.countAppts(a, localDay(a.zone, t), -1); c >= n {
				rs = append(rs, Reason{Kind: ReasonDailyCap, Limit: n, Count: c})
			}
		}
	}

	// The grid: a free slot that cutSlots does not start at t. Only
	// meaningful when nothing else stands in the way.
	if len(rs) == 0 {
		off, busyGrid, err := ix.offGrid(a, p, pl, t, sc, b)
		if err != nil {
			return rs, err
		}
		if off {
			rs = append(rs, Reason{Kind: ReasonOffGrid, BusyGrid: busyGrid})
		}
	}
	return rs, nil
}

// covers reports whether the normalised set holds all of iv.
func covers(set []interval.Interval, iv interval.Interval) bool {
	i := interval.Search(set, iv.Start)
	return i < len(set) && set[i].Start <= iv.Start && set[i].End >= iv.End
}

// offGrid reports whether t lies in a free interval of agent a at place pl
// (with the slot fitting) whose slot grid, as cutSlots lays it, misses t,
// and whether that interval starts where busy time ends (rather than
// where the open time starts). The free interval is computed whole, as
// agentSlots does.
func (ix *Index) offGrid(a *agentData, p *slotPlan, pl int32, t int64, sc *scratch, b *budget) (off, busyGrid bool, err error) {
	d := p.svc.duration
	earliest := int64(math.MaxInt64)
	for _, o := range a.openings {
		if o.offers(p.service) && o.place == pl {
			earliest = min(earliest, o.zone.DayStart(o.first))
		}
	}
	for margin := int64(86400 + 3600); ; margin *= 4 {
		rng := interval.Interval{Start: t - margin, End: t + d + 86400}
		busy, err := ix.serviceBusy(sc.busy[:0], a, p.svc, rng, sc, b)
		sc.busy = busy
		if err != nil {
			return false, false, err
		}
		q := freeQuery{win: rng, forService: true, service: p.service, place: pl, busy: busy, hasBusy: true}
		if sc.free, err = ix.freeTime(sc.free[:0], a, &q, nil, sc, b); err != nil {
			return false, false, err
		}
		i := interval.Search(sc.free, t)
		if i == len(sc.free) || sc.free[i].Start > t || sc.free[i].End < t+d {
			return false, false, nil // not free: another reason says why
		}
		iv := sc.free[i]
		if iv.Start == rng.Start && rng.Start > earliest {
			continue // the interval may begin earlier: its start sets the grid
		}
		anchor := gridStart(iv.Start, p.now)
		if t >= anchor && (t-anchor)%p.svc.step == 0 {
			return false, false, nil
		}
		// Did busy time cut the interval's start out of the open time?
		q = freeQuery{win: rng, forService: true, service: p.service, place: pl, hasBusy: true}
		open, err := ix.freeTime(nil, a, &q, nil, sc, b)
		if err != nil {
			return false, false, err
		}
		j := interval.Search(open, iv.Start)
		return true, anchor == iv.Start && (j == len(open) || open[j].Start != iv.Start), nil
	}
}

// nearestSlots returns the agent's nearest offered starts at the plan's
// place strictly before and after t (-1 when none), searching in doubling
// windows back to now and ahead to next availability's horizon.
func (ix *Index) nearestSlots(ctx context.Context, a *agentData, p *slotPlan, t int64, view View, sc *scratch, b *budget) (before, after int64, err error) {
	before, after = -1, -1
	if len(p.agents) == 0 {
		return before, after, nil
	}
	q := *p
	lo := p.now
	if view == ViewUser {
		lo = p.now + p.svc.minNotice
	}
	hi := ix.nextEnd(p.svc, view, p.now)
	for from, chunk := max(t+1, lo), int64(nextFirstChunk); from < hi; from, chunk = from+chunk, chunk*2 {
		if err := ctx.Err(); err != nil {
			return before, after, err
		}
		to := min(from+chunk, hi)
		q.from, q.to = from, to
		recs, err := ix.agentSlots(sc.slots[:0], a, &q, from, to, 1, sc, b)
		sc.slots = recs
		if err != nil {
			return before, after, err
		}
		if len(recs) > 0 {
			after = recs[0].start
			break
		}
	}
	lo = max(lo, t-int64(ix.cfg.limits.NextHorizon/time.Second))
	for to, chunk := min(t, hi), int64(nextFirstChunk); to > lo; to, chunk = to-chunk, chunk*2 {
		if err := ctx.Err(); err != nil {
			return before, after, err
		}
		from := max(to-chunk, lo)
		q.from, q.to = from, to
		recs, err := ix.agentSlots(sc.slots[:0], a, &q, from, to, math.MaxInt32, sc, b)
		sc.slots = recs
		if err != nil {
			return before, after, err
		}
		if len(recs) > 0 {
			before = recs[len(recs)-1].start
			break
		}
	}
	return before, after, nil
}

// ErrUnbookable is wrapped, through a [*BookingError], when a booking or
// hold can never succeed as asked: a start off the slot grid, inside the
// minimum notice or past the maximum, before now, outside the openings, on
// a closed day, or an agent or place that does not offer the service.
// When the only obstacles are appointments, holds, absences or a daily cap
// that a cancellation could lift, the error wraps [ErrConflict] instead.
// A seat of a collective appointment outside the notice, or of another
// agent or place than asked, is unbookable too; a full one, a conflict.
var ErrUnbookable = errors.New("not bookable as asked")

// BookingError is the error of [Live.Book], [Live.Hold] and
// [Index.CheckBooking] when the slot asked for is not offered. Its
// explanation is [Index.Explain]'s, as the service's organisation may see
// it: the records of the agent's other organisations are given by kind
// and time only.
type BookingError struct {
	ServiceID, AgentID, PlaceID string
	Explanation                 *Explanation
}

func (e *BookingError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "agenda: agent %q cannot be booked for service %q at %s at place %q: ",
		e.AgentID, e.ServiceID, e.Explanation.Start.Format(time.RFC3339), e.PlaceID)
	for i, r := range e.Explanation.Reasons {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(r.String())
	}
	if e.Taken() {
		b.WriteString(": " + ErrConflict.Error())
	} else {
		b.WriteString(": " + ErrUnbookable.Error())
	}
	return b.String()
}

// Taken reports whether the time is only taken (appointments, holds,
// absences, external calendars, a daily cap reached, or a slot grid that busy time moved, as
// when another booking came first): a cancellation may make it bookable.
// Otherwise the request can never succeed as asked.
func (e *BookingError) Taken() bool {
	for _, r := range e.Explanation.Reasons {
		switch {
		case r.Kind == ReasonAppointment, r.Kind == ReasonHold, r.Kind == ReasonAbsence, r.Kind == ReasonCalendar,
			r.Kind == ReasonDailyCap:
		case r.Kind == ReasonOffGrid && r.BusyGrid:
		default:
			return false
		}
	}
	return true
}

// Unwrap returns [ErrConflict] when the time is taken, [ErrUnbookable]
// otherwise.
func (e *BookingError) Unwrap() error {
	if e.Taken() {
		return ErrConflict
	}
	return ErrUnbookable
}

// bookingAppt checks on ix that b asks for a start [Index.Slots] offers of
// service s (not collective), and returns the appointment [Live.Book]
// would create; otherwise a *BookingError explaining why. The decision is
// [Index.Explain]'s, made by the slot code.
func (ix *Index) bookingAppt(ctx context.Context, b Booking, s int32) (*appt, error) {
	rec, refused, err := ix.decideBooking(b, s)
	if refused != nil {
		return nil, refused.explain(ctx)
	}
	return rec, err
}

// refusal is a booking the slot code refused on an index, ready to be
// explained: the index is immutable, so the explanation, computed later
// and outside any lock, is that of the very state that refused.
type refusal struct {
	ix *Index
	b  Booking
	a  *agentData
	p  *slotPlan
}

// explain returns the *BookingError of the refusal, as the service's
// organisation may see it.
func (r *refusal) explain(ctx context.Context) error {
	sc := takeScratch()
	defer sc.release()
	t := ceilUnix(r.b.Start)
	ex, err := r.ix.explain(ctx, r.a, r.p, r.p.places[0], t, r.b.View, r.p.svc.org, sc, newBudget(r.ix.cfg.limits))
	if err != nil {
		return err
	}
	return &BookingError{ServiceID: r.b.ServiceID, AgentID: r.b.AgentID, PlaceID: r.b.PlaceID, Explanation: ex}
}

// decideBooking decides whether b asks for a start [Index.Slots] offers of
// service s (not collective): the appointment to create, or the refusal to
// explain, or an error about the request itself. It costs one slot search
// of one agent at one instant.
func (ix *Index) decideBooking(b Booking, s int32) (*appt, *refusal, error) {
	svc := &ix.services[s]
	if err := ix.checkYears(b.Start, b.Start.Add(time.Duration(svc.duration)*time.Second)); err != nil {
		return nil, nil, err
	}
	ai, start, p, err := ix.planStart(b.ServiceID, b.AgentID, b.PlaceID, b.Start, b.Now, b.View)
	if err != nil {
		return nil, nil, err
	}
	a := ix.agents.at(ai)
	sc := takeScratch()
	defer sc.release()
	offered, err := ix.offers(a, p, start, sc, newBudget(ix.cfg.limits))
	if err != nil {
		return nil, nil, err
	}
	if !offered {
		return nil, &refusal{ix: ix, b: b, a: a, p: p}, nil
	}
	return ix.bookedAppt(b.ID, s, ai, p.places[0], start), nil, nil
}
