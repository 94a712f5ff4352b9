package agenda

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/crossagenda/crossagenda/interval"
)

// EventKind says what an [Event] of an agent's agenda is.
type EventKind string

// Event kinds.
const (
	KindOpening     EventKind = "opening"
	KindAbsence     EventKind = "absence"
	KindAppointment EventKind = "appointment"
	KindClosed      EventKind = "closed"
	// KindHold is a slot held by [Live.Hold] and not yet confirmed,
	// released or expired. It blocks the agent like an appointment.
	KindHold EventKind = "hold"
	// KindCalendar is an event of one of the agent's external calendars
	// ([Calendar]); ID is the calendar's id and UID the event's.
	KindCalendar EventKind = "calendar"
)

// Event is one entry of an agent's agenda, with its full, unclipped
// extent.
type Event struct {
	Kind EventKind `json:"kind"`
	// ID is the record's id; for a closed day, its date (YYYY-MM-DD).
	// It is empty, like every field but Kind, Start, End and Blocking,
	// for what [Index.AgendaFor] shows of other organisations.
	ID             string `json:"id"`
	OrganisationID string `json:"organisation_id,omitempty"`
	PlaceID        string `json:"place_id,omitempty"`
	// ServiceIDs are the services of an opening or an appointment. The
	// events of one opening share this slice: treat it as read-only.
	ServiceIDs []string  `json:"service_ids,omitempty"`
	Name       string    `json:"name,omitempty"` // a closed day's name
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
	Status     Status    `json:"status,omitempty"` // appointments only
	// Blocking is true for what makes the agent unavailable: absences,
	// closed days, holds, the busy events of external calendars and
	// appointments that are not cancelled.
	Blocking bool `json:"blocking"`
	// BufferBeforeMinutes and BufferAfterMinutes are an appointment's
	// buffers: a blocking one makes the agent busy over [Start-before,
	// End+after), which Busy shows; Start and End stay its own.
	BufferBeforeMinutes int `json:"buffer_before_minutes,omitempty"`
	BufferAfterMinutes  int `json:"buffer_after_minutes,omitempty"`
	// UID is the iCalendar UID of an external calendar's event.
	UID string `json:"uid,omitempty"`
}

// Span is a half-open range of time [Start, End).
type Span struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// AgentAgenda is one agent's agenda over a window, merged across all of
// their organisations.
type AgentAgenda struct {
	AgentID string    `json:"agent_id"`
	From    time.Time `json:"from"`
	To      time.Time `json:"to"`
	// Events overlapping the window, sorted by start, end, kind, id and
	// organisation.
	Events []Event `json:"events"`
	// Busy is the merged busy time (blocking appointments with their
	// buffers, holds and absences) clipped to the window.
	Busy []Span `json:"busy"`
	// Free is the opening time minus busy time and closed days, clipped to
	// the window.
	Free []Span `json:"free"`
	// Tentative is the part of Busy that only holds ([Live.Hold]) make
	// busy: what a free/busy export calls BUSY-TENTATIVE.
	Tentative []Span `json:"tentative,omitempty"`
	// Calendars are the agent's external calendars, by id, with when each
	// was last replaced: a calendar that stopped being refreshed makes
	// slots look free that are not.
	Calendars []CalendarStatus `json:"calendars,omitempty"`
}

// Agenda returns the agenda of one agent over [from, to): every opening
// occurrence, absence, appointment, hold ([Live.Hold]) that has not
// expired and closed day of every organisation of the agent overlapping
// the window, the merged busy time and the free time.
// Times are in the agent's zone.
//
// Its cost is proportional to what the window holds, whatever the age of
// the opening periods and however many appointments the agent had before.
func (ix *Index) Agenda(ctx context.Context, agentID string, from, to time.Time) (*AgentAgenda, error) {
	return ix.agenda(ctx, allOrgs, agentID, from, to)
}

// allOrgs is the viewer that sees every organisation's records.
const allOrgs = -1

// AgendaFor returns the agenda of one agent over [from, to) as the
// organisation organisationID may see it. Its own openings, appointments
// and closed days are shown whole; of the agent's other organisations,
// only what makes the agent busy everywhere is shown, as blocking time:
// each blocking appointment or hold is an event with its kind, start and
// end and nothing else (no id, organisation, place, service or status).
// Absences and external calendars belong to the agent, not to an
// organisation: absences show with their start and end but no id, and
// the calendars' busy events as calendar events without the calendar's
// id or the event's UID (their free events are left out), with the
// calendars' statuses stripped of their ids. Openings, cancelled
// appointments and closed days of other organisations are left out, and
// the free time is that of the organisation's own openings. Busy is the
// same merged busy time as [Index.Agenda]'s.
//
// An organisation the agent does not work for is refused with
// [ErrNotFound]. The cost is that of [Index.Agenda].
func (ix *Index) AgendaFor(ctx context.Context, organisationID, agentID string, from, to time.Time) (*AgentAgenda, error) {
	o, ok := ix.orgByID[organisationID]
	if !ok {
		return nil, fmt.Errorf("agenda: organisation %q: %w", organisationID, ErrNotFound)
	}
	if ai, ok := ix.agentByID[agentID]; ok && !slices.Contains(ix.agents.at(ai).orgs, o) {
		return nil, fmt.Errorf("agenda: agent %q does not work for organisation %q: %w", agentID, organisationID, ErrNotFound)
	}
	return ix.agenda(ctx, o, agentID, from, to)
}

// agenda answers Agenda as viewer sees it (allOrgs: everything).
func (ix *Index) agenda(ctx context.Context, viewer int32, agentID string, from, to time.Time) (*AgentAgenda, error) {
	ctx = orBackground(ctx)
	f, t, err := ix.window(from, to)
	if err != nil {
		return nil, err
	}
	ai, ok := ix.agentByID[agentID]
	if !ok {
		return nil, fmt.Errorf("agenda: agent %q: %w", agentID, ErrNotFound)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	a := ix.agents.at(ai)
	b := newBudget(ix.cfg.limits)
	sc := takeScratch()
	defer sc.release()
	win := interval.Interval{Start: f, End: t}

	sc.busy, err = ix.busyTime(sc.busy[:0], a, win, sc, b)
	if err != nil {
		return nil, err
	}
	// The openings are listed as the free time is computed from them.
	// Another organisation's openings are not busy time: a viewer does not
	// see them.
	refs := sc.events[:0]
	listOpening := func(o *opening, iv interval.Interval) {
		refs = append(refs, eventRef{start: iv.Start, end: iv.End, kind: rankOpening, org: o.org, id: o.id, src: o})
	}
	q := freeQuery{win: win, busy: sc.busy, hasBusy: true, onlyOrg: viewer != allOrgs, org: viewer}
	sc.free, err = ix.freeTime(sc.free[:0], a, &q, listOpening, sc, b)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if refs, err = ix.appendEventRefs(refs, a, viewer, win, sc, b); err != nil {
		return nil, err
	}
	sc.events = refs
	if len(refs) > ix.cfg.limits.MaxResults {
		return nil, &LimitError{Limit: "MaxResults", Value: fmt.Sprint(ix.cfg.limits.MaxResults),
			Want: fmt.Sprintf("the agenda holds %d events", len(refs))}
	}
	keys := sc.keys[:0]
	for i, r := range refs {
		keys = append(keys, eventKey{start: r.start, end: r.end, kind: r.kind, i: int32(i)})
	}
	sc.keys = keys
	slices.SortFunc(keys, func(x, y eventKey) int {
		if c := cmp.Compare(x.start, y.start); c != 0 {
			return c
		}
		if c := cmp.Compare(x.end, y.end); c != 0 {
			return c
		}
		if c := cmp.Compare(x.kind, y.kind); c != 0 {
			return c
		}
		rx, ry := &refs[x.i], &refs[y.i]
		return cmp.Or(strings.Compare(rx.id, ry.id), cmp.Compare(rx.org, ry.org), strings.Compare(rx.uid, ry.uid))
	})
	loc := a.zone.Location()
	res := &AgentAgenda{AgentID: a.id, From: from, To: to,
		Events: ix.events(refs, keys, loc), Busy: spans(sc.busy, loc), Free: spans(sc.free, loc),
		Calendars: calendarStatuses(a)}
	if viewer != allOrgs {
		// Like absences, the agent's calendars are shown to an
		// organisation without their ids: their freshness only.
		for i := range res.Calendars {
			res.Calendars[i].ID = ""
		}
	}
	if len(a.holds) > 0 {
		// The busy time without holds, taken from Busy, is what they
		// alone make busy.
		firm := *a
		firm.holds = nil
		sc.free, err = ix.busyTime(sc.free[:0], &firm, win, sc, b)
		if err != nil {
			return nil, err
		}
		if tent := interval.AppendSubtract(nil, sc.busy, sc.free); len(tent) > 0 {
			res.Tentative = spans(tent, loc)
		}
	}
	return res, nil
}

// appendEventRefs appends the agent's absences, external calendars'
// events, appointments (cancelled ones included), active holds and closed
// days overlapping win, as viewer sees them.
func (ix *Index) appendEventRefs(refs []eventRef, a *agentData, viewer int32, win interval.Interval, sc *scratch, b *budget) ([]eventRef, error) {
	f, t := win.Start, win.End
	sees := func(org int32) bool { return viewer == allOrgs || org == viewer }
	// Absences belong to the agent: a viewer sees them without their id.
	absence := func(ab *absence, start, end int64) eventRef {
		r := eventRef{start: start, end: end, kind: rankAbsence, org: -1, src: ab, masked: viewer != allOrgs}
		if !r.masked {
			r.id = ab.id
		}
		return r
	}
	sc.absences = a.absences.AppendOverlapping(sc.absences[:0], win)
	for _, e := range sc.absences {
		refs = append(refs, absence(e.Value, e.Start, e.End))
	}
	for _, ab := range a.absRecurring {
		var err error
		sc.ivs, sc.dates, err = appendOccurrences(sc.ivs[:0], sc.dates, ab.rule, ab.zone, ab.start, ab.end, f, t, b)
		if err != nil {
			return refs, err
		}
		for _, iv := range sc.ivs {
			refs = append(refs, absence(ab, iv.Start, iv.End))
		}
	}

	// External calendars belong to the agent too: a viewer sees their
	// blocking events without the calendar's id or the event's UID.
	for _, c := range a.calendars {
		var err error
		if sc.cal, err = calendarOccurrences(sc.cal[:0], c, f, t, b); err != nil {
			return refs, err
		}
		for _, o := range sc.cal {
			r := eventRef{start: o.Start, end: o.End, kind: rankCalendar, org: -1, src: c, free: !o.Blocking, masked: viewer != allOrgs}
			if r.masked && r.free {
				continue
			}
			if !r.masked {
				r.id, r.uid = c.id, o.UID
			}
			refs = append(refs, r)
		}
	}

	// Appointments, cancelled ones included; of other organisations, only
	// the blocking time.
	appointment := func(kind int32, r *appt) {
		if sees(r.org) {
			refs = append(refs, eventRef{start: r.start, end: r.end, kind: kind, org: r.org, id: r.id, src: r})
		} else if r.blocking() {
			refs = append(refs, eventRef{start: r.start, end: r.end, kind: kind, org: -1, src: r, masked: true})
		}
	}
	sc.appts = a.appts.appendOverlapping(sc.appts[:0], win)
	for _, e := range sc.appts {
		appointment(rankAppointment, e.Value)
	}
	ix.activeHolds(a, f, t, func(h *hold) { appointment(rankHold, h.a) })

	// Closed days of the organisations viewer sees: another organisation's
	// closed days block only its openings.
	for _, o := range a.orgs {
		if !sees(o) {
			continue
		}
		oc := ix.closed[o]
		sc.closed = oc.index.AppendOverlapping(sc.closed[:0], win)
		for _, e := range sc.closed {
			d := e.Value
			refs = append(refs, eventRef{start: d.start, end: d.end, kind: rankClosed, org: o, id: d.id, src: d})
		}
	}
	return refs, nil
}

// eventRef is an event of an agenda before it is dressed.
type eventRef struct {
	start, end int64
	kind       int32 // a rank, in the order of the kinds' names
	org        int32 // -1: none; organisations are numbered in id order
	id         string
	src        any    // *opening, *absence, *appt (of an appointment or a hold), *calendar or *closedDay
	masked     bool   // shown as its kind, start, end and blocking only (AgendaFor)
	uid        string // an external calendar event's UID
	free       bool   // an external calendar event that blocks nothing
}

// Ranks of the event kinds: absence < appointment < calendar < closed <
// hold < opening.
const (
	rankAbsence int32 = iota
	rankAppointment
	rankCalendar
	rankClosed
	rankHold
	rankOpening
)

// eventKey is the sort key of refs[i]: sorting these small keys, which
// hold no pointers, and then building each [Event] once, in place, is much
// cheaper than sorting events or refs.
type eventKey struct {
	start, end int64
	kind, i    int32
}

// events dresses the refs as events in the order of keys, in one
// allocation.
func (ix *Index) events(refs []eventRef, keys []eventKey, loc *time.Location) []Event {
	out := make([]Event, len(keys))
	for i, k := range keys {
		r := &refs[k.i]
		e := &out[i]
		e.ID = r.id
		e.Start, e.End = time.Unix(r.start, 0).In(loc), time.Unix(r.end, 0).In(loc)
		if r.org >= 0 {
			e.OrganisationID = ix.orgs[r.org].id
		}
		switch src := r.src.(type) {
		case *opening:
			e.Kind, e.PlaceID, e.ServiceIDs = KindOpening, ix.placeID(src.place), src.serviceIDs
		case *absence:
			e.Kind, e.Blocking = KindAbsence, true
		case *appt:
			e.Kind, e.Blocking = KindAppointment, true
			if r.kind == rankHold {
				e.Kind = KindHold
			}
			if r.masked {
				continue
			}
			e.PlaceID = ix.placeID(src.place)
			if src.service >= 0 {
				e.ServiceIDs = ix.services[src.service].ids
			}
			if r.kind == rankAppointment {
				e.Status, e.Blocking = src.status, src.blocking()
				e.BufferBeforeMinutes, e.BufferAfterMinutes = int(src.bufBefore/60), int(src.bufAfter/60)
			}
		case *calendar:
			e.Kind, e.UID, e.Blocking = KindCalendar, r.uid, !r.free
		case *closedDay:
			e.Kind, e.Name, e.Blocking = KindClosed, src.name, true
		}
	}
	return out
}

func (ix *Index) placeID(p int32) string {
	if p < 0 {
		return ""
	}
	return ix.places[p].id
}

func spans(ivs []interval.Interval, loc *time.Location) []Span {
	out := make([]Span, len(ivs))
	for i, iv := range ivs {
		out[i] = Span{Start: time.Unix(iv.Start, 0).In(loc), End: time.Unix(iv.End, 0).In(loc)}
	}
	return out
}
