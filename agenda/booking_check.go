package agenda

import (
	"context"
	"fmt"
	"slices"
)

// CheckBooking answers whether b could be booked on this snapshot, without
// booking it: the appointment [Live.Book] would create (for a collective
// service, the appointment b.ID with one more participant), or the error
// it would return (a [*BookingError] wrapping [ErrConflict] when the time
// is taken, [ErrUnbookable] when it can never be booked as asked).
// It does not check whether b.ID (or b.SeatID) is already taken.
//
// A store that keeps the data elsewhere (package pgstore) uses it to book:
// lock the agents there, bring the snapshot up to date, check, write, and
// only then apply. Cost: one slot search of one agent at one instant.
func (ix *Index) CheckBooking(ctx context.Context, b Booking) (Appointment, error) {
	ctx = orBackground(ctx)
	if err := ctx.Err(); err != nil {
		return Appointment{}, err
	}
	if b.ID == "" {
		return Appointment{}, fmt.Errorf("agenda: booking needs an id: %w", ErrInvalidQuery)
	}
	s, ok := ix.serviceByID[b.ServiceID]
	if !ok {
		return Appointment{}, fmt.Errorf("agenda: service %q: %w", b.ServiceID, ErrNotFound)
	}
	if ix.services[s].collective {
		return ix.checkSeat(b, s)
	}
	if err := b.seatIDOutsideSeats(); err != nil {
		return Appointment{}, err
	}
	rec, err := ix.bookingAppt(ctx, b, s)
	if err != nil {
		return Appointment{}, err
	}
	return ix.exportAppointment(rec), nil
}

// checkSeat checks a seat in the collective appointment b.ID.
func (ix *Index) checkSeat(b Booking, service int32) (Appointment, error) {
	i := slices.IndexFunc(ix.collective[service], func(a *appt) bool { return a.id == b.ID })
	if i < 0 {
		return Appointment{}, fmt.Errorf("agenda: appointment %q of collective service %q: %w", b.ID, b.ServiceID, ErrNotFound)
	}
	rec, err := ix.withSeat(b, ix.collective[service][i])
	if err != nil {
		return Appointment{}, err
	}
	return ix.exportAppointment(rec), nil
}

// withSeat decides whether booking b may take a seat in the collective
// appointment old: [Index.Slots] must offer old's start to the booking's
// query (notice rules, and the agent and place when the booking names
// them) and a seat must be free. It returns old with one more participant,
// a copy; [Index.CheckBooking] and [Live.Book] both decide here.
func (ix *Index) withSeat(b Booking, old *appt) (*appt, error) {
	q := SlotQuery{ServiceID: b.ServiceID, Now: b.Now, View: b.View}
	if b.AgentID != "" {
		q.AgentIDs = []string{b.AgentID}
	}
	if b.PlaceID != "" {
		q.PlaceIDs = []string{b.PlaceID}
	}
	p, err := ix.planSlots(q, old.start, old.start+1)
	if err != nil {
		return nil, err
	}
	offered := p.from <= old.start && old.start < p.to && p.placeAllowed(old.place) &&
		(!p.agentFilter || slices.ContainsFunc(old.agents, func(a int32) bool { return slices.Contains(p.agents, a) }))
	if !offered {
		return nil, fmt.Errorf("agenda: appointment %q is not offered to this booking (notice, agent or place): %w", b.ID, ErrUnbookable)
	}
	if !old.blocking() || old.participants >= old.capacity {
		return nil, fmt.Errorf("agenda: appointment %q has no seat left: %w", b.ID, ErrConflict)
	}
	rec := *old
	rec.participants++
	return &rec, nil
}

// CheckAppointment validates one appointment against this snapshot's
// catalogue, like [New] does, without adding it.
func (ix *Index) CheckAppointment(a Appointment) error {
	return ix.checkRecord(kindAppointment, a.ID, func(c *compiler) { c.appointment(&a, a.ID) })
}

// CheckAbsence validates one absence against this snapshot's catalogue.
func (ix *Index) CheckAbsence(b Absence) error {
	return ix.checkRecord(kindAbsence, b.ID, func(c *compiler) { c.absence(&b, b.ID) })
}

// CheckOpeningPeriod validates one opening period against this snapshot's
// catalogue.
func (ix *Index) CheckOpeningPeriod(p OpeningPeriod) error {
	return ix.checkRecord(kindOpening, p.ID, func(c *compiler) { c.opening(&p, p.ID) })
}

// CheckClosedDay validates one closed day against this snapshot's
// catalogue (it does not look for a duplicate).
func (ix *Index) CheckClosedDay(cd ClosedDay) error {
	c := &compiler{cfg: ix.cfg, ix: ix}
	c.closedDay(&cd, cd.Date)
	return c.err()
}

// checkRecord validates one record of the given kind, whose id must not be
// empty, with compile against this snapshot's catalogue.
func (ix *Index) checkRecord(kind, id string, compile func(*compiler)) error {
	if id == "" {
		return recordErr(kind, "", "id", "id is missing")
	}
	c := &compiler{cfg: ix.cfg, ix: ix}
	compile(c)
	return c.err()
}
