package reference

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
)

// Query selects free slots of one service. Empty PlaceIDs or AgentIDs mean
// no filter. UserView applies the service's notice rules; the agent view
// applies none.
type Query struct {
	ServiceID          string
	PlaceIDs, AgentIDs []string
	From, To, Now      time.Time
	UserView           bool
}

// Slot is a bookable time range. AppointmentID and SeatsLeft are set for
// collective services only.
type Slot struct {
	Start, End                                                 time.Time
	AgentID, PlaceID, OrganisationID, ServiceID, AppointmentID string
	SeatsLeft                                                  int
}

// slotGrid is the step by which a free interval already begun is realigned
// on now.
const slotGrid = 5 * time.Minute

// Slots returns the free slots of q.ServiceID starting in [q.From, q.To),
// sorted by start, agent id, place id (then appointment id).
func (r *Reference) Slots(q Query) ([]Slot, error) {
	svc, ok := r.services[q.ServiceID]
	if !ok {
		return nil, fmt.Errorf("reference: service %q: %w", q.ServiceID, agenda.ErrNotFound)
	}
	if err := checkWindow(q.From, q.To); err != nil {
		return nil, err
	}
	var out []Slot
	if svc.Collective {
		out = r.collectiveSlots(svc, q)
	} else {
		out = r.computedSlots(svc, q)
	}
	slices.SortFunc(out, func(a, b Slot) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.AgentID, b.AgentID),
			cmp.Compare(a.PlaceID, b.PlaceID), cmp.Compare(a.AppointmentID, b.AppointmentID))
	})
	return out, nil
}

// keepStart applies the window and, in the user view, the notice rules.
func keepStart(svc agenda.Service, q Query, start time.Time) bool {
	if start.Before(q.From) || !start.Before(q.To) {
		return false
	}
	if !q.UserView {
		return true
	}
	if start.Before(q.Now.Add(time.Duration(svc.MinNoticeMinutes) * time.Minute)) {
		return false
	}
	return svc.MaxNoticeMinutes <= 0 || !start.After(q.Now.Add(time.Duration(svc.MaxNoticeMinutes)*time.Minute))
}

func filtered(filter []string, id string) bool {
	return len(filter) == 0 || slices.Contains(filter, id)
}

func (r *Reference) collectiveSlots(svc agenda.Service, q Query) []Slot {
	var out []Slot
	for _, ap := range r.ds.Appointments {
		if ap.ServiceID != svc.ID || !ap.Status.Blocking() || ap.Participants >= ap.Capacity || len(ap.AgentIDs) == 0 {
			continue
		}
		if !keepStart(svc, q, ap.Start) || !filtered(q.PlaceIDs, ap.PlaceID) {
			continue
		}
		if len(q.AgentIDs) > 0 && !slices.ContainsFunc(ap.AgentIDs, func(id string) bool { return slices.Contains(q.AgentIDs, id) }) {
			continue
		}
		out = append(out, Slot{
			Start: ap.Start.UTC(), End: ap.End.UTC(), AgentID: ap.AgentIDs[0], PlaceID: ap.PlaceID,
			OrganisationID: ap.OrganisationID, ServiceID: svc.ID, AppointmentID: ap.ID,
			SeatsLeft: ap.Capacity - ap.Participants,
		})
	}
	return out
}

type groupKey struct{ agent, place string }

func (r *Reference) computedSlots(svc agenda.Service, q Query) []Slot {
	var groups []groupKey
	for i := range r.openings {
		o := &r.openings[i].src
		g := groupKey{o.AgentID, o.PlaceID}
		if slices.Contains(o.ServiceIDs, svc.ID) && filtered(q.AgentIDs, g.agent) && filtered(q.PlaceIDs, g.place) &&
			!slices.Contains(groups, g) {
			groups = append(groups, g)
		}
	}
	dur := time.Duration(svc.DurationMinutes) * time.Minute
	var out []Slot
	for _, g := range groups {
		for _, f := range r.groupFree(svc, g, q.From, q.To.Add(dur+48*time.Hour)) {
			for _, s := range cut(svc, q, g, f, dur) {
				if !r.capped(svc, g.agent, s.Start) {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// capped reports whether a daily cap forbids a slot of svc for the agent
// starting at t: the agent already has MaxPerAgentPerDay blocking
// appointments of svc on t's local day in the service organisation's
// zone, or MaxAppointmentsPerDay blocking appointments of any organisation
// on t's local day in the agent's zone. Every appointment is scanned.
func (r *Reference) capped(svc agenda.Service, agentID string, t time.Time) bool {
	if svc.MaxPerAgentPerDay <= 0 && r.agents[agentID].MaxAppointmentsPerDay <= 0 {
		return false // no cap: nothing to count
	}
	sameDay := func(a, b time.Time, loc *time.Location) bool {
		return a.In(loc).Format(time.DateOnly) == b.In(loc).Format(time.DateOnly)
	}
	orgLoc, agentLoc := r.orgZone[svc.OrganisationID], r.agentZone[agentID]
	ofService, all := 0, 0
	for _, ap := range r.ds.Appointments {
		if !ap.Status.Blocking() || !slices.Contains(ap.AgentIDs, agentID) {
			continue
		}
		if ap.ServiceID == svc.ID && sameDay(ap.Start, t, orgLoc) {
			ofService++
		}
		if sameDay(ap.Start, t, agentLoc) {
			all++
		}
	}
	if n := svc.MaxPerAgentPerDay; n > 0 && ofService >= n {
		return true
	}
	n := r.agents[agentID].MaxAppointmentsPerDay
	return n > 0 && all >= n
}

// groupFree returns the free intervals of group g for service svc that
// overlap [from, to), with their true start even when it lies before from,
// and their end possibly clipped to to.
//
// Free time is computed over [from - L, to), doubling L while a free
// interval begins at the lower end (it may begin earlier), until that end
// precedes every opening of the group.
func (r *Reference) groupFree(svc agenda.Service, g groupKey, from, to time.Time) []Span {
	inGroup := func(o *opening) bool {
		return o.src.PlaceID == g.place && slices.Contains(o.src.ServiceIDs, svc.ID)
	}
	var earliest time.Time // before it, the group has no occurrence
	for i := range r.openings {
		if o := &r.openings[i]; o.src.AgentID == g.agent && inGroup(o) {
			if t := o.rec.first.AddDate(0, 0, -2); earliest.IsZero() || t.Before(earliest) {
				earliest = t
			}
		}
	}
	for back := 48 * time.Hour; ; back *= 2 {
		lo := from.Add(-back)
		var open []Span
		for i := range r.openings {
			o := &r.openings[i]
			if o.src.AgentID == g.agent && inGroup(o) {
				open = append(open, o.occurrences(lo, to)...)
			}
		}
		// Each busy span [a, b) widened to [a-after, b+before) by the
		// service's buffers, so that a slot's buffers meet no busy time.
		before := time.Duration(svc.BufferBeforeMinutes) * time.Minute
		after := time.Duration(svc.BufferAfterMinutes) * time.Minute
		var busy []Span
		for _, b := range r.busy(g.agent, lo.Add(-before), to.Add(after)) {
			busy = append(busy, Span{b.Start.Add(-after), b.End.Add(before)})
		}
		free := subtract(open, busy)
		free = clip(subtract(free, r.closedSpans(svc.OrganisationID, lo, to)), lo, to)
		if len(free) == 0 || free[0].Start.After(lo) || lo.Before(earliest) {
			return free
		}
	}
}

// cut splits the free interval f of group g into slots of length dur, one
// every slot interval (the duration by default) from f's start, realigned
// on a 5-minute grid from f's start when f has already begun at q.Now,
// and keeps those q accepts.
func cut(svc agenda.Service, q Query, g groupKey, f Span, dur time.Duration) []Slot {
	step := dur
	if svc.SlotIntervalMinutes > 0 {
		step = time.Duration(svc.SlotIntervalMinutes) * time.Minute
	}
	t0 := f.Start
	if t0.Before(q.Now) {
		late := q.Now.Sub(t0)
		t0 = t0.Add((late + slotGrid - 1) / slotGrid * slotGrid)
	}
	// Skip, arithmetically, the slots that start before the window.
	if skip := q.From.Sub(t0); skip > 0 {
		t0 = t0.Add((skip + step - 1) / step * step)
	}
	var out []Slot
	for start := t0; !start.Add(dur).After(f.End) && start.Before(q.To); start = start.Add(step) {
		if keepStart(svc, q, start) {
			out = append(out, Slot{
				Start: start, End: start.Add(dur), AgentID: g.agent, PlaceID: g.place,
				OrganisationID: svc.OrganisationID, ServiceID: svc.ID,
			})
		}
	}
	return out
}

// defaultHorizon bounds Next when the caller gives no horizon.
const defaultHorizon = 365 * 24 * time.Hour

// nextRange returns the range Next searches: [max(From, Now), H + 1s).
func (r *Reference) nextRange(q Query, horizon time.Duration) (time.Time, time.Time, error) {
	svc, ok := r.services[q.ServiceID]
	if !ok {
		return time.Time{}, time.Time{}, fmt.Errorf("reference: service %q: %w", q.ServiceID, agenda.ErrNotFound)
	}
	if horizon <= 0 {
		horizon = defaultHorizon
	}
	h := q.Now.Add(horizon)
	if q.UserView && svc.MaxNoticeMinutes > 0 {
		h = q.Now.Add(time.Duration(svc.MaxNoticeMinutes) * time.Minute)
	}
	from := q.From
	if q.Now.After(from) {
		from = q.Now
	}
	return from, h.Add(time.Second), nil
}

// Next returns the first slot of q from max(q.From, q.Now) up to the
// horizon (365 days when horizon <= 0; now + max notice instead in the
// user view of a service that has one), by one Slots call over the whole
// range. q.To is ignored.
func (r *Reference) Next(q Query, horizon time.Duration) (Slot, bool, error) {
	from, to, err := r.nextRange(q, horizon)
	if err != nil || !from.Before(to) {
		return Slot{}, false, err
	}
	q.From, q.To = from, to
	slots, err := r.Slots(q)
	if err != nil || len(slots) == 0 {
		return Slot{}, false, err
	}
	return slots[0], true, nil
}

// NextWeekByWeek answers Next the historical way: a Slots call per
// consecutive 7-day window until one has a slot or the horizon is reached.
// It returns the same answer as Next.
func (r *Reference) NextWeekByWeek(q Query, horizon time.Duration) (Slot, bool, error) {
	from, to, err := r.nextRange(q, horizon)
	if err != nil {
		return Slot{}, false, err
	}
	const week = 7 * 24 * time.Hour
	for start := from; start.Before(to); start = start.Add(week) {
		q.From, q.To = start, start.Add(week)
		if q.To.After(to) {
			q.To = to
		}
		slots, err := r.Slots(q)
		if err != nil {
			return Slot{}, false, err
		}
		if len(slots) > 0 {
			return slots[0], true, nil
		}
	}
	return Slot{}, false, nil
}
