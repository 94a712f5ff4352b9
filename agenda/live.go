package agenda

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/crossagenda/crossagenda/interval"
)

// ErrConflict is wrapped when a booking or a hold finds its time taken,
// when an id is reused ([ErrIDConflict]), and when a cancelled appointment
// is cancelled with the other status.
var ErrConflict = errors.New("conflict")

// ErrIDConflict is wrapped when a booking or a hold reuses the id of
// another appointment or active hold, or of its own appointment since
// cancelled. It wraps [ErrConflict].
var ErrIDConflict = fmt.Errorf("id already used: %w", ErrConflict)

// Live is an index that accepts changes while it answers queries: a Go
// service keeps one hot and books into it all day.
//
// Readers take a snapshot ([Live.Snapshot]): an immutable [*Index] that
// stays consistent however many writes follow, and that readers use
// without ever waiting for a writer.
//
// Writers take turns under one lock and copy on write: a change builds
// new versions of the agents it touches, O(records of those agents) (an
// appointment goes into a clone of the interval tree that indexes the
// agent's appointments), then
// publishes a new snapshot that shares everything else with the previous
// one, copying the chunk of 64 agent pointers that holds each changed
// agent and the table of chunks (a slice header per 64 agents). A write takes
// microseconds, so one lock costs writers little and keeps the rules that
// span records (no double booking, daily caps, holds) simple to hold.
//
// All methods are safe for concurrent use.
type Live struct {
	cur atomic.Pointer[Index]
	// mu serialises writers, from validation to publication and the
	// OnChange callbacks; readers never take it.
	mu sync.Mutex
	// The current records by id, for writers (under mu).
	appts     map[string]*appt
	absences  map[string]*absence
	openings  map[string]*opening
	holds     map[string]*hold
	calendars map[string]*calendar
	// seats are the seat ids of the seats Book took (Booking.SeatID), with
	// the id of the appointment of each, and seatsOf the seat ids of each
	// appointment: not records of the dataset, so kept here only, until
	// their appointment is deleted.
	seats   map[string]string
	seatsOf map[string][]string
	watch   watchers // OnChange callbacks (live_notify.go)
}

// NewLive validates and compiles ds like [New], ready for changes.
func NewLive(ds *Dataset, opts ...Option) (*Live, error) {
	ix, err := New(ds, opts...)
	if err != nil {
		return nil, err
	}
	return LiveFrom(ix), nil
}

// LiveFrom starts a Live from a compiled index, which it treats as its
// first snapshot (an Index never changes, so ix stays valid for readers
// holding it). It indexes every record by id: O(records).
func LiveFrom(ix *Index) *Live {
	l := &Live{appts: map[string]*appt{}, absences: map[string]*absence{}, openings: map[string]*opening{},
		holds: map[string]*hold{}, calendars: map[string]*calendar{},
		seats: map[string]string{}, seatsOf: map[string][]string{}}
	for _, a := range ix.agents.all() {
		for _, r := range a.appts.all() {
			if r.agents[0] == a.idx {
				l.appts[r.id] = r
			}
		}
		for _, b := range a.absences.All() {
			l.absences[b.id] = b
		}
		for _, b := range a.absRecurring {
			l.absences[b.id] = b
		}
		for _, o := range a.openings {
			l.openings[o.id] = o
		}
		for _, h := range a.holds {
			l.holds[h.a.id] = h
		}
		for _, c := range a.calendars {
			l.calendars[c.id] = c
		}
	}
	l.cur.Store(ix)
	return l
}

// Snapshot returns the current state as an immutable index. It never
// blocks.
func (l *Live) Snapshot() *Index { return l.cur.Load() }

// commit publishes a snapshot with the given agents replaced; mutate, when
// not nil, adjusts the rest of the new snapshot (which shares its slices
// with the current one: mutate must copy what it changes). The caller
// holds l.mu.
func (l *Live) commit(updated []*agentData, mutate func(next, cur *Index)) {
	cur := l.cur.Load()
	next := *cur
	if len(updated) > 0 {
		next.agents = cur.agents.with(updated)
	}
	if mutate != nil {
		mutate(&next, cur)
	}
	l.cur.Store(&next)
	l.notify(cur, &next, updated)
}

// validator compiles single records against a snapshot's catalogue.
func (l *Live) validator(ix *Index) *compiler { return &compiler{cfg: ix.cfg, ix: ix} }

func (c *compiler) err() error {
	if len(c.errs) == 0 {
		return nil
	}
	return &ValidationError{Errs: c.errs, Truncated: c.truncated}
}

// upsert validates a record of the given kind with compile, against the
// current snapshot, and puts it in place of the record with the same id
// (old is nil when there is none). Every Upsert method is one call.
func upsert[R comparable](l *Live, kind, id string, current map[string]R, compile func(*compiler) (R, bool), put func(old, rec R)) error {
	if id == "" {
		return recordErr(kind, "", "id", "id is missing")
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.validator(l.Snapshot())
	rec, ok := compile(c)
	if !ok {
		return c.err()
	}
	put(current[id], rec)
	return nil
}

// remove removes the record of the given kind with this id. Every Delete
// method is one call.
func remove[R comparable](l *Live, kind, id string, current map[string]R, put func(old, rec R)) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	old, ok := current[id]
	if !ok {
		return fmt.Errorf("agenda: %s %q: %w", kind, id, ErrNotFound)
	}
	var none R
	put(old, none)
	return nil
}

// putCurrent records rec as the current record of its id, or forgets old's
// id when rec is nil.
func putCurrent[R comparable](current map[string]R, old, rec R, id func(R) string) {
	var none R
	if rec != none {
		current[id(rec)] = rec
	} else {
		delete(current, id(old))
	}
}

// UpsertAppointment adds the appointment, or replaces the one with the same
// id. The record is validated like in [New].
func (l *Live) UpsertAppointment(a Appointment) error {
	return upsert(l, kindAppointment, a.ID, l.appts, func(c *compiler) (*appt, bool) {
		rec, ok := c.appointment(&a, a.ID)
		return &rec, ok
	}, l.applyAppointment)
}

// CancelAppointment sets the status of an appointment to excused or
// revoked, which frees its agents. A cancellation is final: cancelling
// again with the same status changes nothing (a repeated request), with
// the other one is an error wrapping [ErrConflict] ([Live.UpsertAppointment]
// corrects a status).
func (l *Live) CancelAppointment(id string, status Status) error {
	if status != StatusExcused && status != StatusRevoked {
		return fmt.Errorf("agenda: appointment %q: cancel status %q is not excused or revoked: %w", id, status, ErrInvalidQuery)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	old, ok := l.appts[id]
	if !ok {
		return fmt.Errorf("agenda: appointment %q: %w", id, ErrNotFound)
	}
	if !old.status.Blocking() {
		if old.status == status {
			return nil // a repeated cancellation
		}
		return fmt.Errorf("agenda: appointment %q: cancelled already (%s): %w", id, old.status, ErrConflict)
	}
	rec := *old
	rec.status = status
	l.applyAppointment(old, &rec)
	return nil
}

// DeleteAppointment removes an appointment, and forgets the seat ids
// ([Booking.SeatID]) of its seats.
func (l *Live) DeleteAppointment(id string) error {
	return remove(l, kindAppointment, id, l.appts, func(old, rec *appt) {
		l.applyAppointment(old, rec)
		for _, seat := range l.seatsOf[id] { // a new appointment of this id is another session
			delete(l.seats, seat)
		}
		delete(l.seatsOf, id)
	})
}

// applyAppointment publishes the change from old to rec (either may be
// nil). The caller holds l.mu.
func (l *Live) applyAppointment(old, rec *appt) {
	snap := l.Snapshot()
	var agents []int32
	for _, r := range []*appt{old, rec} {
		if r != nil {
			agents = append(agents, r.agents...)
		}
	}
	slices.Sort(agents)
	var updated []*agentData
	for _, a := range slices.Compact(agents) {
		updated = append(updated, snap.agents.at(a).withAppointment(old, rec))
	}
	delta := 0
	if old == nil {
		delta++
	}
	if rec == nil {
		delta--
	}
	l.commit(updated, func(next, cur *Index) {
		next.appointments = cur.appointments + delta
		var services []int32
		if old != nil && old.service >= 0 && cur.services[old.service].collective {
			services = append(services, old.service)
		}
		if rec != nil && rec.service >= 0 && cur.services[rec.service].collective && !slices.Contains(services, rec.service) {
			services = append(services, rec.service)
		}
		if len(services) == 0 {
			return
		}
		next.collective = slices.Clone(cur.collective)
		for _, s := range services {
			list := make([]*appt, 0, len(cur.collective[s])+1)
			for _, a := range cur.collective[s] {
				if a != old {
					list = append(list, a)
				}
			}
			if rec != nil && rec.service == s {
				i, _ := slices.BinarySearchFunc(list, rec, func(x, y *appt) int {
					return cmp.Or(cmp.Compare(x.start, y.start), strings.Compare(x.id, y.id))
				})
				list = slices.Insert(list, i, rec)
			}
			next.collective[s] = list
		}
	})
	putCurrent(l.appts, old, rec, func(a *appt) string { return a.id })
}

// withAppointment returns a copy of the agent with old removed and rec
// added when they concern it: O(the agent's appointments) to copy their
// tree and derive the busy time.
func (a *agentData) withAppointment(old, rec *appt) *agentData {
	if old != nil && !slices.Contains(old.agents, a.idx) {
		old = nil
	}
	if rec != nil && !slices.Contains(rec.agents, a.idx) {
		rec = nil
	}
	n := *a
	n.appts = a.appts.withChange(old, rec)
	switch {
	case old == nil && rec != nil && !rec.blocking():
		// Nothing more is busy.
	case old == nil && rec != nil:
		// A booking adds its span to the busy time: one merge, not a
		// rebuild from every record.
		span := []interval.Interval{{Start: rec.blockStart(), End: rec.blockEnd()}}
		n.busyFixed = slices.Clip(interval.AppendUnion(make([]interval.Interval, 0, len(a.busyFixed)+1), a.busyFixed, span))
	default:
		n.derive()
	}
	return &n
}

// Booking asks [Live.Book] for a slot.
type Booking struct {
	// ID is the new appointment's id. For a collective service, it is the
	// id of the existing appointment in which to take a seat.
	ID        string
	ServiceID string
	AgentID   string
	// PlaceID is the slot's place; "" for openings without a place.
	PlaceID string
	Start   time.Time
	// Now and View apply the slot rules as [Index.Slots] does: a slot that
	// is not offered at Now in this View cannot be booked.
	Now  time.Time
	View View
	// SeatID is, for a collective service only, the idempotency key of
	// the seat (ID names the appointment, shared by every seat): a seat
	// booking repeated with the same SeatID answers the appointment
	// without taking another seat, so that a client whose request was cut
	// may repeat it. Empty, each booking takes a seat. A SeatID that took a
	// seat in another appointment is refused ([ErrIDConflict]); one given
	// for a service that is not collective is an [ErrInvalidQuery].
	SeatID string
}

// Book atomically checks that the slot is still one [Index.Slots] offers
// and books it: an appointment of the service's duration for the agent at
// the place, status booked, with the service's buffers copied onto it.
// The check and the booking happen under the writers' lock, so the slot
// grid, the buffers and the daily caps hold however many bookings race:
// two concurrent bookings cannot both take the last place of a day. For a
// collective service it takes one seat in the appointment b.ID, once per
// b.SeatID when there is one. Concurrent attempts on the same slot book it
// once: the others get an error wrapping [ErrConflict].
//
// A slot that is not offered is refused with a [*BookingError] whose
// explanation ([Index.Explain], as the service's organisation may see it)
// gives every reason; it wraps [ErrConflict] when the time is taken and
// [ErrUnbookable] when the request can never succeed as asked.
//
// The booking id is an idempotency key: repeating a booking whose
// appointment stands (b.Matches it, and it was not cancelled) returns that
// appointment; an id already used otherwise (another appointment, an
// active hold, the booking's own appointment since cancelled) gives an
// error wrapping [ErrIDConflict].
func (l *Live) Book(ctx context.Context, b Booking) (Appointment, error) {
	ctx = orBackground(ctx)
	if err := ctx.Err(); err != nil {
		return Appointment{}, err
	}
	snap := l.Snapshot()
	if s, ok := snap.serviceByID[b.ServiceID]; ok && snap.services[s].collective {
		if b.ID == "" {
			return Appointment{}, fmt.Errorf("agenda: booking needs an id: %w", ErrInvalidQuery)
		}
		return l.takeSeat(b, s)
	}
	rec, snap, unlock, err := l.checkBooking(ctx, b, false)
	if err != nil {
		var r *repeated
		if errors.As(err, &r) {
			return r.a, nil
		}
		return Appointment{}, err
	}
	defer unlock()
	l.applyAppointment(nil, rec)
	return snap.exportAppointment(rec), nil
}

// repeated is checkBooking's answer to a booking or hold that repeats
// one made before: a is what it made.
type repeated struct{ a Appointment }

func (r *repeated) Error() string {
	return fmt.Sprintf("agenda: %q repeats a booking made before", r.a.ID)
}

// Matches reports whether a is the appointment b books: b's service, b's
// agent alone, b's place and b's start (rounded up to the second, as
// booking rounds it). A repeated booking, say after a cut connection,
// returns the appointment it made when that matches. The status is not
// compared.
func (b Booking) Matches(a Appointment) bool {
	return a.ServiceID == b.ServiceID && len(a.AgentIDs) == 1 && a.AgentIDs[0] == b.AgentID &&
		a.PlaceID == b.PlaceID && a.Start.Unix() == ceilUnix(b.Start)
}

// checkBooking checks that b asks for a slot [Index.Slots] offers, with
// the writers' lock held, and returns the appointment it
// would create and the function that releases the locks. Nothing can
// take the slot until unlock is called. Collective services are refused.
// An id already in use refuses b, unless b repeats the booking (hold
// false) or the active hold (hold true) of that id: the error is then a
// [*repeated] with what it made.
func (l *Live) checkBooking(ctx context.Context, b Booking, hold bool) (rec *appt, snap *Index, unlock func(), err error) {
	if b.ID == "" {
		return nil, nil, nil, fmt.Errorf("agenda: booking needs an id: %w", ErrInvalidQuery)
	}
	snap = l.Snapshot()
	s, ok := snap.serviceByID[b.ServiceID]
	if !ok {
		return nil, nil, nil, fmt.Errorf("agenda: service %q: %w", b.ServiceID, ErrNotFound)
	}
	if snap.services[s].collective {
		return nil, nil, nil, fmt.Errorf("agenda: service %q is collective: its seats are booked, not held: %w", b.ServiceID, ErrInvalidQuery)
	}
	if err := b.seatIDOutsideSeats(); err != nil {
		return nil, nil, nil, err
	}
	if err := snap.checkYears(b.Start, b.Start.Add(time.Duration(snap.services[s].duration)*time.Second)); err != nil {
		return nil, nil, nil, err
	}
	l.mu.Lock()
	locked := true
	defer func() {
		if err != nil && locked { // on success, the caller releases
			l.mu.Unlock()
		}
	}()
	if err := l.idInUse(b, hold); err != nil {
		return nil, nil, nil, err
	}
	if err := ctx.Err(); err != nil { // the lock may have taken a while
		return nil, nil, nil, err
	}
	snap = l.Snapshot() // nothing changes while the lock is held
	rec, refused, err := snap.decideBooking(b, s)
	if refused != nil {
		// Explained outside the writers' lock, on the snapshot that refused.
		l.mu.Unlock()
		locked = false
		return nil, nil, nil, refused.explain(ctx)
	}
	if err != nil {
		return nil, nil, nil, err
	}
	return rec, snap, l.mu.Unlock, nil
}

// idInUse refuses b if its id is already used, by an appointment or by an
// active hold, unless b repeats what made it: a booking (hold false) of
// an appointment that stands, or a hold (hold true) of an active hold.
// The caller holds l.mu.
func (l *Live) idInUse(b Booking, hold bool) error {
	snap := l.Snapshot()
	if old, exists := l.appts[b.ID]; exists {
		a := snap.exportAppointment(old)
		switch {
		case hold:
			return fmt.Errorf("agenda: hold %q: an appointment has this id: %w", b.ID, ErrIDConflict)
		case !b.Matches(a):
			return fmt.Errorf("agenda: booking %q: another appointment has this id: %w", b.ID, ErrIDConflict)
		case !a.Status.Blocking():
			return fmt.Errorf("agenda: booking %q: its appointment was cancelled (%s); book with a new id: %w", b.ID, a.Status, ErrIDConflict)
		}
		return &repeated{a}
	}
	if h, exists := l.holds[b.ID]; exists && h.active(snap.cfg.clock()) {
		a := snap.exportAppointment(h.a)
		switch {
		case !hold:
			return fmt.Errorf("agenda: booking %q: an active hold has this id (confirm it instead): %w", b.ID, ErrIDConflict)
		case !b.Matches(a):
			return fmt.Errorf("agenda: hold %q: another active hold has this id: %w", b.ID, ErrIDConflict)
		}
		return &repeated{a}
	}
	return nil
}

// bookedAppt is the appointment a booking of service s creates: the
// service's duration from start, status booked, with the service's
// buffers copied onto it, so that changing the service later does not
// move it. Book and CheckBooking both build it here.
func (ix *Index) bookedAppt(id string, s, agent, place int32, start int64) *appt {
	svc := &ix.services[s]
	return &appt{id: id, org: svc.org, place: place, service: s, agents: []int32{agent},
		start: start, end: start + svc.duration, status: StatusBooked,
		bufBefore: svc.bufBefore, bufAfter: svc.bufAfter, ownBefore: true, ownAfter: true}
}

// takeSeat adds a participant to a collective appointment with a free seat,
// if [Index.withSeat] allows it, unless b.SeatID already took one there.
func (l *Live) takeSeat(b Booking, service int32) (Appointment, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	old, ok := l.appts[b.ID]
	if !ok || old.service != service {
		return Appointment{}, fmt.Errorf("agenda: appointment %q of collective service %q: %w", b.ID, b.ServiceID, ErrNotFound)
	}
	if b.SeatID != "" {
		if taken, ok := l.seats[b.SeatID]; ok {
			return seatTaken(l.Snapshot().exportAppointment(old), b.SeatID, taken)
		}
	}
	rec, err := l.Snapshot().withSeat(b, old)
	if err != nil {
		return Appointment{}, err
	}
	l.applyAppointment(old, rec)
	if b.SeatID != "" {
		l.seats[b.SeatID] = b.ID
		l.seatsOf[b.ID] = append(l.seatsOf[b.ID], b.SeatID)
	}
	return l.Snapshot().exportAppointment(rec), nil
}

// seatTaken answers a seat booking whose seat id already took a seat in
// the appointment takenIn: a, the appointment the booking names, if that
// is the one and it was not cancelled since; an error wrapping
// [ErrIDConflict] if not.
func seatTaken(a Appointment, seatID, takenIn string) (Appointment, error) {
	switch {
	case takenIn != a.ID:
		return Appointment{}, fmt.Errorf("agenda: seat %q: a seat of another appointment has this id: %w", seatID, ErrIDConflict)
	case !a.Status.Blocking():
		return Appointment{}, fmt.Errorf("agenda: seat %q: its appointment %q was cancelled (%s): %w", seatID, a.ID, a.Status, ErrIDConflict)
	}
	return a, nil
}

// seatIDOutsideSeats refuses a seat id on a booking that takes no seat.
func (b Booking) seatIDOutsideSeats() error {
	if b.SeatID != "" {
		return fmt.Errorf("agenda: booking %q: a seat id is for a seat of a collective service, and service %q is not collective: %w",
			b.ID, b.ServiceID, ErrInvalidQuery)
	}
	return nil
}

// Agenda answers [Index.Agenda] on the current snapshot.
func (l *Live) Agenda(ctx context.Context, agentID string, from, to time.Time) (*AgentAgenda, error) {
	return l.Snapshot().Agenda(ctx, agentID, from, to)
}

// AgendaFor answers [Index.AgendaFor] on the current snapshot.
func (l *Live) AgendaFor(ctx context.Context, organisationID, agentID string, from, to time.Time) (*AgentAgenda, error) {
	return l.Snapshot().AgendaFor(ctx, organisationID, agentID, from, to)
}

// Explain answers [Index.Explain] on the current snapshot.
func (l *Live) Explain(ctx context.Context, q ExplainQuery) (*Explanation, error) {
	return l.Snapshot().Explain(ctx, q)
}

// Slots answers [Index.Slots] on the current snapshot.
func (l *Live) Slots(ctx context.Context, q SlotQuery) ([]Slot, error) {
	return l.Snapshot().Slots(ctx, q)
}

// NextAvailable answers [Index.NextAvailable] on the current snapshot.
func (l *Live) NextAvailable(ctx context.Context, q SlotQuery) (Slot, bool, error) {
	return l.Snapshot().NextAvailable(ctx, q)
}

// Common answers [Index.Common] on the current snapshot.
func (l *Live) Common(ctx context.Context, q CommonQuery) ([]Span, error) {
	return l.Snapshot().Common(ctx, q)
}
