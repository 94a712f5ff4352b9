package agenda

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/crossagenda/crossagenda/interval"
)

// ErrExpired is wrapped by [Live.Confirm] when the hold expired before it
// was confirmed.
var ErrExpired = errors.New("hold expired")

// hold is a slot reserved by [Live.Hold]: the appointment it becomes when
// confirmed, and when it stops blocking.
type hold struct {
	a       *appt
	expires time.Time // on the Live's clock
}

// active reports whether the hold still blocks at now: an expired hold
// blocks nothing, whether or not it has been cleaned up.
func (h *hold) active(now time.Time) bool { return now.Before(h.expires) }

// Hold reserves the slot b asks for, exactly as [Live.Book] would book it
// (the same checks, under the same locks), for ttl on the clock given by
// [WithClock]: until then the slot blocks the agent in every organisation,
// [Index.Slots] offers it in no view, and the agent's agenda shows it as
// an event of kind [KindHold]. [Live.Confirm] turns it into the
// appointment, [Live.ReleaseHold] frees it, and once ttl has passed it
// blocks nothing, even before anything cleans it up. The hold's id is
// b.ID, which the confirmed appointment keeps.
//
// Collective services cannot be held. The returned Appointment is the one
// Confirm would create. The hold id is an idempotency key, as for Book:
// repeating an active hold (b.Matches it) returns it, its expiry
// unchanged; an id already used by an appointment or by another active
// hold gives an error wrapping [ErrIDConflict].
func (l *Live) Hold(ctx context.Context, b Booking, ttl time.Duration) (Appointment, error) {
	ctx = orBackground(ctx)
	if err := ctx.Err(); err != nil {
		return Appointment{}, err
	}
	if ttl <= 0 {
		return Appointment{}, fmt.Errorf("agenda: hold %q: ttl %s is not positive: %w", b.ID, ttl, ErrInvalidQuery)
	}
	rec, snap, unlock, err := l.checkBooking(ctx, b, true)
	if err != nil {
		var r *repeated
		if errors.As(err, &r) {
			return r.a, nil
		}
		return Appointment{}, err
	}
	defer unlock()
	h := &hold{a: rec, expires: snap.cfg.clock().Add(ttl)}
	l.applyHold(nil, h, rec.agents[0])
	return snap.exportAppointment(rec), nil
}

// Confirm turns the hold id into its appointment, atomically: the slot is
// never free in between. Confirming an id that is an appointment's
// already (the hold confirmed before, or a booking made with that id)
// returns that appointment as it stands. A hold that expired is refused
// with an error wrapping [ErrExpired] (and forgotten); an unknown id with
// [ErrNotFound].
func (l *Live) Confirm(ctx context.Context, id string) (Appointment, error) {
	ctx = orBackground(ctx)
	if err := ctx.Err(); err != nil {
		return Appointment{}, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	h, ok := l.holds[id]
	if !ok {
		if a, confirmed := l.appts[id]; confirmed {
			return l.Snapshot().exportAppointment(a), nil
		}
		return Appointment{}, fmt.Errorf("agenda: hold %q: %w", id, ErrNotFound)
	}
	agent := h.a.agents[0]
	snap := l.Snapshot()
	now := snap.cfg.clock()
	if !h.active(now) {
		l.applyHold(h, nil, agent)
		return Appointment{}, fmt.Errorf("agenda: hold %q expired at %s: %w", id, h.expires.Format(time.RFC3339), ErrExpired)
	}
	// One snapshot drops the hold and adds the appointment: readers never
	// see the slot free in between.
	n, dropped := snap.agents.at(agent).withHold(h, nil, now)
	n = n.withAppointment(nil, h.a)
	l.commit([]*agentData{n}, func(next, cur *Index) { next.appointments = cur.appointments + 1 })
	l.appts[id] = h.a
	l.forgetHolds(append(dropped, h))
	return snap.exportAppointment(h.a), nil
}

// ReleaseHold frees the slot held as id before it expires. Releasing an
// expired hold is not an error; an unknown id is ([ErrNotFound]).
func (l *Live) ReleaseHold(id string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	h, ok := l.holds[id]
	if !ok {
		return fmt.Errorf("agenda: hold %q: %w", id, ErrNotFound)
	}
	l.applyHold(h, nil, h.a.agents[0])
	return nil
}

// applyHold publishes the agent with old removed and rec added (either
// may be nil), and drops the agent's expired holds. The caller holds
// l.mu. O(the agent's holds), plus the publication.
func (l *Live) applyHold(old, rec *hold, agent int32) {
	snap := l.Snapshot()
	n, dropped := snap.agents.at(agent).withHold(old, rec, snap.cfg.clock())
	l.commit([]*agentData{n}, nil)
	if rec != nil {
		l.holds[rec.a.id] = rec
	}
	if old != nil {
		dropped = append(dropped, old)
	}
	l.forgetHolds(dropped)
}

// withHold returns a copy of the agent with old removed, rec added and
// the holds expired at now dropped; it returns those too.
func (a *agentData) withHold(old, rec *hold, now time.Time) (*agentData, []*hold) {
	n := *a
	n.holds = make([]*hold, 0, len(a.holds)+1)
	var dropped []*hold
	for _, h := range a.holds {
		switch {
		case h == old:
		case !h.active(now):
			dropped = append(dropped, h)
		default:
			n.holds = append(n.holds, h)
		}
	}
	if rec != nil {
		i, _ := slices.BinarySearchFunc(n.holds, rec, compareHolds)
		n.holds = slices.Insert(n.holds, i, rec)
	}
	return &n, dropped
}

// forgetHolds removes the holds from the directory: only the very
// records, never one that replaced them.
func (l *Live) forgetHolds(holds []*hold) {
	for _, h := range holds {
		if l.holds[h.a.id] == h {
			delete(l.holds, h.a.id)
		}
	}
}

func compareHolds(x, y *hold) int {
	return cmp.Or(cmp.Compare(x.a.start, y.a.start), strings.Compare(x.a.id, y.a.id))
}

// unionHolds unites dst[n:], the busy time so far, with the agent's holds
// that are active on the clock and overlap win, each widened by its
// buffers like the appointment it would become, clipped to win. It reads
// the clock once.
func (ix *Index) unionHolds(dst []interval.Interval, n int, a *agentData, win interval.Interval) []interval.Interval {
	now := ix.cfg.clock()
	var held []interval.Interval
	for _, h := range a.holds { // holds are few: no search
		if iv, ok := (interval.Interval{Start: h.a.blockStart(), End: h.a.blockEnd()}).Intersect(win); ok && h.active(now) {
			held = append(held, iv)
		}
	}
	if len(held) == 0 {
		return dst
	}
	held = interval.Normalize(held)
	cur := slices.Clone(dst[n:])
	return interval.AppendUnion(dst[:n], cur, held)
}

// activeHolds calls f for each of the agent's holds active on the clock
// that overlaps [from, to).
func (ix *Index) activeHolds(a *agentData, from, to int64, f func(*hold)) {
	if len(a.holds) == 0 {
		return
	}
	now := ix.cfg.clock()
	for _, h := range a.holds {
		if h.a.start < to && h.a.end > from && h.active(now) {
			f(h)
		}
	}
}
