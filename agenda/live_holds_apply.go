package agenda

import (
	"fmt"
	"time"
)

// PutHold adds a hold decided elsewhere, or replaces the hold with the
// same id: the slot of a (one agent, status booked, validated like
// [Live.UpsertAppointment]) blocks that agent like a hold made by
// [Live.Hold] until expires on the clock given by [WithClock]. It does
// not check that the time is free, nor the notice rules: it is how a
// store that decides holds in a database under its own locks (package
// pgstore) applies them to every replica, all agreeing on the absolute
// expiry instant. A hold already expired when put blocks nothing. Remove
// one with [Live.ReleaseHold]. O(the agent's holds), plus the publication.
func (l *Live) PutHold(a Appointment, expires time.Time) error {
	if a.ID == "" {
		return recordErr(kindAppointment, "", "id", "id is missing")
	}
	if len(a.AgentIDs) != 1 {
		return recordErr(kindAppointment, a.ID, "agent_ids", "a hold has exactly one agent, not %d", len(a.AgentIDs))
	}
	if a.Status != StatusBooked {
		return recordErr(kindAppointment, a.ID, "status", "a hold has status %q, not %q", StatusBooked, a.Status)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	snap := l.Snapshot()
	c := l.validator(snap)
	rec, ok := c.appointment(&a, a.ID)
	if !ok {
		return c.err()
	}
	if rec.service >= 0 && snap.services[rec.service].collective {
		return fmt.Errorf("agenda: hold %q: service %q is collective: its seats are booked, not held: %w", a.ID, a.ServiceID, ErrInvalidQuery)
	}
	old := l.holds[a.ID]
	if old != nil && old.a.agents[0] != rec.agents[0] {
		// Held for another agent before: two agents change.
		l.applyHold(old, nil, old.a.agents[0])
		old = nil
	}
	l.applyHold(old, &hold{a: &rec, expires: expires}, rec.agents[0])
	return nil
}

// Now reads the clock that decides when holds expire ([WithClock];
// time.Now by default). A store deciding holds elsewhere computes their
// expiry instants on it, so that they agree with the index's.
func (ix *Index) Now() time.Time { return ix.cfg.clock() }
