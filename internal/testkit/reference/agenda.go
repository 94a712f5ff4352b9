package reference

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
)

// Event kinds, in their tie-breaking order.
const (
	KindAbsence     = "absence"
	KindAppointment = "appointment"
	KindClosed      = "closed"
	KindOpening     = "opening"
)

// Event is one entry of an agent's agenda. Start and End are the event's
// full extent, not clipped to the query window. Status and Blocking are set
// for appointments only (an empty dataset status reads as booked).
type Event struct {
	Kind, ID, OrganisationID, PlaceID string
	Start, End                        time.Time
	Status                            agenda.Status
	Blocking                          bool
	// BufferBefore and BufferAfter are an appointment's buffers, in
	// minutes: its own, else its service's.
	BufferBefore, BufferAfter int
}

// Agenda is an agent's agenda over a window: the events overlapping it, and
// the busy and free intervals clipped to it.
type Agenda struct {
	Events     []Event
	Busy, Free []Span
}

// Agenda returns the agenda of agentID over [from, to).
func (r *Reference) Agenda(agentID string, from, to time.Time) (Agenda, error) {
	ag, ok := r.agents[agentID]
	if !ok {
		return Agenda{}, fmt.Errorf("reference: agent %q: %w", agentID, agenda.ErrNotFound)
	}
	if err := checkWindow(from, to); err != nil {
		return Agenda{}, err
	}
	var res Agenda
	for i := range r.openings {
		o := &r.openings[i]
		if o.src.AgentID != agentID {
			continue
		}
		for _, s := range o.occurrences(from, to) {
			res.Events = append(res.Events, Event{
				Kind: KindOpening, ID: o.src.ID, OrganisationID: o.src.OrganisationID, PlaceID: o.src.PlaceID,
				Start: s.Start, End: s.End,
			})
		}
	}
	for i := range r.absences {
		a := &r.absences[i]
		if a.src.AgentID != agentID {
			continue
		}
		for _, s := range a.occurrences(from, to) {
			res.Events = append(res.Events, Event{Kind: KindAbsence, ID: a.src.ID, Start: s.Start, End: s.End})
		}
	}
	for _, ap := range r.ds.Appointments {
		if !slices.Contains(ap.AgentIDs, agentID) || !(Span{ap.Start, ap.End}).overlaps(from, to) {
			continue
		}
		status := ap.Status
		if status == "" {
			status = agenda.StatusBooked
		}
		before, after := r.buffers(ap)
		res.Events = append(res.Events, Event{
			Kind: KindAppointment, ID: ap.ID, OrganisationID: ap.OrganisationID, PlaceID: ap.PlaceID,
			Start: ap.Start.UTC(), End: ap.End.UTC(), Status: status, Blocking: status.Blocking(),
			BufferBefore: int(before / time.Minute), BufferAfter: int(after / time.Minute),
		})
	}
	for _, org := range ag.OrganisationIDs {
		loc, ok := r.orgZone[org]
		if !ok {
			continue
		}
		for _, d := range r.closedDays(org, from, to) {
			if s := closedSpan(loc, d); s.overlaps(from, to) {
				res.Events = append(res.Events, Event{
					Kind: KindClosed, ID: d.Format(time.DateOnly), OrganisationID: org, Start: s.Start, End: s.End,
				})
			}
		}
	}
	slices.SortStableFunc(res.Events, func(a, b Event) int {
		return cmp.Or(a.Start.Compare(b.Start), a.End.Compare(b.End), cmp.Compare(a.Kind, b.Kind),
			cmp.Compare(a.ID, b.ID), cmp.Compare(a.OrganisationID, b.OrganisationID))
	})
	res.Busy = clip(r.busy(agentID, from, to), from, to)
	res.Free = r.free(agentID, from, to)
	return res, nil
}

func checkWindow(from, to time.Time) error {
	if to.Before(from) {
		return fmt.Errorf("reference: window end %s before its start %s: %w",
			to.Format(time.RFC3339), from.Format(time.RFC3339), agenda.ErrInvalidQuery)
	}
	return nil
}
