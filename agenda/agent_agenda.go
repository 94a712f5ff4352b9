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
)

// kindRank orders kinds in an agenda: absence < appointment < closed <
// hold < opening (alphabetical).
func kindRank(k EventKind) int {
	switch k {
	case KindAbsence:
		return 0
	case KindAppointment:
		return 1
	case KindClosed:
		return 2
	case KindHold:
		return 3
	}
	return 4
}

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
	// closed days and appointments that are not cancelled.
	Blocking bool `json:"blocking"`
	// BufferBeforeMinutes and BufferAfterMinutes are an appointment's
	// buffers: a blocking one makes the agent busy over [Start-before,
	// End+after), which Busy shows; Start and End stay its own.
	BufferBeforeMinutes int `json:"buffer_before_minutes,omitempty"`
	BufferAfterMinutes  int `json:"buffer_after_minutes,omitempty"`
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
// Absences belong to the agent, not to an organisation: they show as
// absences, with their start and end but no id. Openings, cancelled
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
	if ai, ok := ix.agentByID[agentID]; ok && !slices.Contains(ix.agents[ai].orgs, o) {
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
	a := ix.agents[ai]
	sees := func(org int32) bool { return viewer == allOrgs || org == viewer }
	loc := a.zone.Location()
	at := func(u int64) time.Time { return time.Unix(u, 0).In(loc) }
	b := newBudget(ix.cfg.limits)
	sc := takeScratch()
	defer sc.release()
	res := &AgentAgenda{AgentID: a.id, From: from, To: to}
	var ev eventList
	win := interval.Interval{Start: f, End: t}

	// Openings, listed as the free time is computed from them.
	busy, err := ix.busyTime(nil, a, win, sc, b)
	if err != nil {
		return nil, err
	}
	var services []string
	var last *opening
	listOpening := func(o *opening, iv interval.Interval) {
		if o != last {
			last = o
			services = make([]string, len(o.services))
			for i, s := range o.services {
				services[i] = ix.services[s].id
			}
		}
		ev.add(Event{Kind: KindOpening, ID: o.id, OrganisationID: ix.orgs[o.org].id,
			PlaceID: ix.placeID(o.place), ServiceIDs: services, Start: at(iv.Start), End: at(iv.End)}, iv.Start, iv.End)
	}
	// Another organisation's openings are not busy time: a viewer does not see them.
	free, err := ix.freeTime(nil, a, &freeQuery{win: win, busy: busy, hasBusy: true, onlyOrg: viewer != allOrgs, org: viewer},
		listOpening, sc, b)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// Absences.
	var absIvs []interval.Interval
	absenceID := func(b *absence) string {
		if viewer != allOrgs {
			return ""
		}
		return b.id
	}
	addAbsence := func(s span) {
		ev.add(Event{Kind: KindAbsence, ID: absenceID(s.abs), Start: at(s.start), End: at(s.end), Blocking: true}, s.start, s.end)
	}
	for i := searchStart(len(a.absOnce), func(i int) int64 { return a.absOnce[i].start }, f, a.absOnceMax); i < len(a.absOnce) && a.absOnce[i].start < t; i++ {
		if s := a.absOnce[i]; s.end > f && s.end-s.start <= longAbsence {
			addAbsence(s)
		}
	}
	for _, i := range a.absOnceLong {
		if s := a.absOnce[i]; s.start < t && s.end > f {
			addAbsence(s)
		}
	}
	for _, ab := range a.absRecurring {
		n := len(absIvs)
		absIvs, sc.dates, err = appendOccurrences(absIvs, sc.dates, ab.rule, ab.zone, ab.start, ab.end, f, t, b)
		if err != nil {
			return nil, err
		}
		for _, occ := range absIvs[n:] {
			ev.add(Event{Kind: KindAbsence, ID: absenceID(ab), Start: at(occ.Start), End: at(occ.End), Blocking: true}, occ.Start, occ.End)
		}
	}

	// Appointments, cancelled ones included.
	addAppt := func(r apptRef) {
		if !sees(r.a.org) {
			if r.a.blocking() { // blocking time, and nothing else
				ev.add(Event{Kind: KindAppointment, Start: at(r.start), End: at(r.end), Blocking: true}, r.start, r.end)
			}
			return
		}
		e := Event{Kind: KindAppointment, ID: r.a.id, OrganisationID: ix.orgs[r.a.org].id, PlaceID: ix.placeID(r.a.place),
			Start: at(r.start), End: at(r.end), Status: r.a.status, Blocking: r.a.blocking(),
			BufferBeforeMinutes: int(r.a.bufBefore / 60), BufferAfterMinutes: int(r.a.bufAfter / 60)}
		if r.a.service >= 0 {
			e.ServiceIDs = []string{ix.services[r.a.service].id}
		}
		ev.add(e, r.start, r.end)
	}
	for i := searchStart(len(a.appts), func(i int) int64 { return a.appts[i].start }, f, a.apptMax); i < len(a.appts) && a.appts[i].start < t; i++ {
		if r := a.appts[i]; r.end > f && r.end-r.start <= longAppointment {
			addAppt(r)
		}
	}
	for _, i := range a.apptLong {
		if r := a.appts[i]; r.start < t && r.end > f {
			addAppt(r)
		}
	}

	// Holds that have not expired.
	ix.activeHolds(a, f, t, func(h *hold) {
		r := h.a
		if !sees(r.org) {
			ev.add(Event{Kind: KindHold, Start: at(r.start), End: at(r.end), Blocking: true}, r.start, r.end)
			return
		}
		ev.add(Event{Kind: KindHold, ID: r.id, OrganisationID: ix.orgs[r.org].id, PlaceID: ix.placeID(r.place),
			ServiceIDs: []string{ix.services[r.service].id}, Start: at(r.start), End: at(r.end), Blocking: true}, r.start, r.end)
	})

	// Closed days of each organisation of the agent.
	for _, o := range a.orgs {
		if !sees(o) { // another organisation's closed days block only its openings
			continue
		}
		oc := ix.closed[o]
		i, _ := slices.BinarySearchFunc(oc.days, f, func(d closedDay, f int64) int { return cmp.Compare(d.end, f+1) })
		for ; i < len(oc.days) && oc.days[i].start < t; i++ {
			d := oc.days[i]
			if d.end <= f {
				continue
			}
			ev.add(Event{Kind: KindClosed, ID: d.date.String(), OrganisationID: ix.orgs[o].id,
				Name: d.name, Start: at(d.start), End: at(d.end), Blocking: true}, d.start, d.end)
		}
	}
	if len(ev.events) > ix.cfg.limits.MaxResults {
		return nil, &LimitError{Limit: "MaxResults", Value: fmt.Sprint(ix.cfg.limits.MaxResults),
			Want: fmt.Sprintf("the agenda holds %d events", len(ev.events))}
	}
	res.Events = ev.sorted()

	res.Busy = spans(busy, loc)
	res.Free = spans(free, loc)
	return res, nil
}

// eventList collects events with compact sort keys: sorting the keys and
// then placing the large Event structs once is much cheaper than sorting
// the events themselves.
type eventList struct {
	events []Event
	keys   []eventKey
}

type eventKey struct {
	start, end int64
	rank       int32
	i          int32
}

func (l *eventList) add(e Event, start, end int64) {
	l.keys = append(l.keys, eventKey{start: start, end: end, rank: int32(kindRank(e.Kind)), i: int32(len(l.events))})
	l.events = append(l.events, e)
}

// sorted returns the events by start, end, kind, id and organisation.
func (l *eventList) sorted() []Event {
	slices.SortFunc(l.keys, func(x, y eventKey) int {
		if c := cmp.Compare(x.start, y.start); c != 0 {
			return c
		}
		if c := cmp.Compare(x.end, y.end); c != 0 {
			return c
		}
		if c := cmp.Compare(x.rank, y.rank); c != 0 {
			return c
		}
		a, b := &l.events[x.i], &l.events[y.i]
		return cmp.Or(strings.Compare(a.ID, b.ID), strings.Compare(a.OrganisationID, b.OrganisationID))
	})
	out := make([]Event, len(l.events))
	for k, key := range l.keys {
		out[k] = l.events[key.i]
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
