package agenda

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ErrConflict is wrapped by [Live.Book] when the slot is no longer free.
var ErrConflict = errors.New("conflict")

// Live is an index that accepts changes while it answers queries: a Go
// service keeps one hot and books into it all day.
//
// Readers take a snapshot ([Live.Snapshot]): an immutable [*Index] that
// stays consistent however many writes follow, and that readers use
// without ever waiting for a writer.
//
// Writers copy on write, per agent. A change builds new versions of the
// agents it touches — their sorted appointments, absences, openings and
// busy arrays, O(records of those agents) — then publishes a new snapshot
// that shares everything else with the previous one. Publishing copies the
// agent pointer table (O(agents), a few microseconds for thousands of
// agents) under a short lock. Writers to the same record or agent are
// serialised by per-id and per-agent locks, taken in a fixed order, so
// writers to different agents build their changes in parallel and meet
// only for the pointer swap.
//
// All methods are safe for concurrent use.
type Live struct {
	cur     atomic.Pointer[Index]
	publish sync.Mutex // held only to swap in a new snapshot
	agentMu []sync.Mutex
	closeMu sync.Mutex // serialises closed-day changes
	dir     [64]dirShard
	seed    maphash.Seed
	watch   watchers // OnChange callbacks (live_notify.go)
}

// dirShard maps ids to the current records, for writers only.
type dirShard struct {
	mu        sync.Mutex
	appts     map[string]*appt
	absences  map[string]*absence
	openings  map[string]*opening
	holds     map[string]*hold
	calendars map[string]*calendar
	pending   map[string]chan struct{} // ids being written
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
	l := &Live{agentMu: make([]sync.Mutex, len(ix.agents)), seed: maphash.MakeSeed()}
	for i := range l.dir {
		l.dir[i] = dirShard{appts: map[string]*appt{}, absences: map[string]*absence{},
			openings: map[string]*opening{}, holds: map[string]*hold{}, calendars: map[string]*calendar{},
			pending: map[string]chan struct{}{}}
	}
	for _, a := range ix.agents {
		for _, r := range a.appts {
			if r.a.agents[0] == a.idx {
				l.shard(r.a.id).appts[r.a.id] = r.a
			}
		}
		for _, s := range a.absOnce {
			l.shard(s.abs.id).absences[s.abs.id] = s.abs
		}
		for _, b := range a.absRecurring {
			l.shard(b.id).absences[b.id] = b
		}
		for _, o := range a.openings {
			l.shard(o.id).openings[o.id] = o
		}
		for _, h := range a.holds {
			l.shard(h.a.id).holds[h.a.id] = h
		}
		for _, c := range a.calendars {
			l.shard(c.id).calendars[c.id] = c
		}
	}
	l.cur.Store(ix)
	return l
}

// Snapshot returns the current state as an immutable index. It never
// blocks.
func (l *Live) Snapshot() *Index { return l.cur.Load() }

func (l *Live) shard(id string) *dirShard {
	return &l.dir[maphash.String(l.seed, id)%uint64(len(l.dir))]
}

// lockID serialises writers of one record id (of any kind: ids are locked
// in one namespace, which is only stricter). It must be taken before any
// agent lock.
func (l *Live) lockID(id string) func() {
	sh := l.shard(id)
	for {
		sh.mu.Lock()
		wait, busy := sh.pending[id]
		if !busy {
			done := make(chan struct{})
			sh.pending[id] = done
			sh.mu.Unlock()
			return func() {
				sh.mu.Lock()
				delete(sh.pending, id)
				sh.mu.Unlock()
				close(done)
			}
		}
		sh.mu.Unlock()
		<-wait
	}
}

// lockAgents locks the agents in ascending order and returns the unlock.
func (l *Live) lockAgents(agents []int32) func() {
	agents = slices.Clone(agents)
	slices.Sort(agents)
	agents = slices.Compact(agents)
	for _, a := range agents {
		l.agentMu[a].Lock()
	}
	return func() {
		for _, a := range agents {
			l.agentMu[a].Unlock()
		}
	}
}

// commit publishes a snapshot with the given agents replaced; mutate, when
// not nil, adjusts the rest of the new snapshot (which shares its slices
// with the current one: mutate must copy what it changes).
func (l *Live) commit(updated []*agentData, mutate func(next, cur *Index)) {
	l.publish.Lock()
	cur := l.cur.Load()
	next := *cur
	if len(updated) > 0 {
		next.agents = slices.Clone(cur.agents)
		for _, a := range updated {
			next.agents[a.idx] = a
		}
	}
	if mutate != nil {
		mutate(&next, cur)
	}
	l.cur.Store(&next)
	l.publish.Unlock()
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

// UpsertAppointment adds the appointment, or replaces the one with the same
// id. The record is validated like in [New].
func (l *Live) UpsertAppointment(a Appointment) error {
	if a.ID == "" {
		return recordErr(kindAppointment, "", "id", "id is missing")
	}
	unlockID := l.lockID(a.ID)
	defer unlockID()
	c := l.validator(l.Snapshot())
	rec, ok := c.appointment(&a, a.ID)
	if !ok {
		return c.err()
	}
	return l.replaceAppointment(a.ID, &rec)
}

// CancelAppointment sets the status of an appointment to excused or
// revoked, which frees its agents.
func (l *Live) CancelAppointment(id string, status Status) error {
	if status != StatusExcused && status != StatusRevoked {
		return fmt.Errorf("agenda: appointment %q: cancel status %q is not excused or revoked: %w", id, status, ErrInvalidQuery)
	}
	unlockID := l.lockID(id)
	defer unlockID()
	old, ok := l.currentAppt(id)
	if !ok {
		return fmt.Errorf("agenda: appointment %q: %w", id, ErrNotFound)
	}
	rec := *old
	rec.status = status
	return l.replaceAppointment(id, &rec)
}

// DeleteAppointment removes an appointment.
func (l *Live) DeleteAppointment(id string) error {
	unlockID := l.lockID(id)
	defer unlockID()
	if _, ok := l.currentAppt(id); !ok {
		return fmt.Errorf("agenda: appointment %q: %w", id, ErrNotFound)
	}
	return l.replaceAppointment(id, nil)
}

func (l *Live) currentAppt(id string) (*appt, bool) {
	return dirGet(l, id, func(sh *dirShard) map[string]*appt { return sh.appts })
}

// dirGet looks id up in one of the directory's maps.
func dirGet[T any](l *Live, id string, m func(*dirShard) map[string]T) (T, bool) {
	sh := l.shard(id)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	v, ok := m(sh)[id]
	return v, ok
}

// dirSet records v under id in one of the directory's maps, or forgets id
// when remove is set.
func dirSet[T any](l *Live, id string, m func(*dirShard) map[string]T, v T, remove bool) {
	sh := l.shard(id)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if remove {
		delete(m(sh), id)
	} else {
		m(sh)[id] = v
	}
}

// replaceAppointment swaps the record with id for rec (nil deletes). The
// caller holds the id lock.
func (l *Live) replaceAppointment(id string, rec *appt) error {
	old, _ := l.currentAppt(id)
	var agents []int32
	if old != nil {
		agents = append(agents, old.agents...)
	}
	if rec != nil {
		agents = append(agents, rec.agents...)
	}
	unlock := l.lockAgents(agents)
	defer unlock()
	l.applyAppointment(old, rec)
	return nil
}

// applyAppointment publishes the change from old to rec (either may be
// nil). The caller holds the locks of the id and of every agent of both.
func (l *Live) applyAppointment(old, rec *appt) {
	snap := l.Snapshot()
	var updated []*agentData
	touched := map[int32]bool{}
	if old != nil {
		for _, a := range old.agents {
			touched[a] = true
		}
	}
	if rec != nil {
		for _, a := range rec.agents {
			touched[a] = true
		}
	}
	for a := range touched {
		updated = append(updated, snap.agents[a].withAppointment(old, rec))
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
	dirSet(l, keyOf(old, rec), func(sh *dirShard) map[string]*appt { return sh.appts }, rec, rec == nil)
}

func keyOf(old, rec *appt) string {
	if rec != nil {
		return rec.id
	}
	return old.id
}

// withAppointment returns a copy of the agent with old removed and rec
// added when they concern it. O(the agent's appointments).
func (a *agentData) withAppointment(old, rec *appt) *agentData {
	n := *a
	n.appts = make([]apptRef, 0, len(a.appts)+1)
	for _, r := range a.appts {
		if r.a != old {
			n.appts = append(n.appts, r)
		}
	}
	if rec != nil && slices.Contains(rec.agents, a.idx) {
		ref := apptRef{start: rec.start, end: rec.end, a: rec}
		i, _ := slices.BinarySearchFunc(n.appts, ref, compareApptRef)
		n.appts = slices.Insert(n.appts, i, ref)
	}
	n.derive()
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
}

// Book atomically checks that the slot is still one [Index.Slots] offers
// and books it: an appointment of the service's duration for the agent at
// the place, status booked, with the service's buffers copied onto it.
// The check and the booking happen under the agent's lock, so the slot
// grid, the buffers and the daily caps hold however many bookings race:
// two concurrent bookings cannot both take the last place of a day. For a collective service it takes one seat in
// the appointment b.ID. Concurrent attempts on the same slot book it once:
// the others get an error wrapping [ErrConflict].
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
	rec, snap, unlock, err := l.checkBooking(ctx, b)
	if err != nil {
		return Appointment{}, err
	}
	defer unlock()
	l.applyAppointment(nil, rec)
	return snap.exportAppointment(rec), nil
}

// checkBooking checks that b asks for a slot [Index.Slots] offers, with
// the locks of b.ID and of the agent held, and returns the appointment it
// would create and the function that releases the locks. Nothing can
// take the slot until unlock is called. Collective services are refused.
func (l *Live) checkBooking(ctx context.Context, b Booking) (rec *appt, snap *Index, unlock func(), err error) {
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
	if err := snap.checkYears(b.Start, b.Start.Add(time.Duration(snap.services[s].duration)*time.Second)); err != nil {
		return nil, nil, nil, err
	}
	unlockID := l.lockID(b.ID)
	if _, exists := l.currentAppt(b.ID); exists {
		unlockID()
		return nil, nil, nil, fmt.Errorf("agenda: appointment %q already exists: %w", b.ID, ErrInvalidQuery)
	}
	if h, exists := l.currentHold(b.ID); exists && h.active(snap.cfg.clock()) {
		unlockID()
		return nil, nil, nil, fmt.Errorf("agenda: hold %q already exists: %w", b.ID, ErrInvalidQuery)
	}
	agent, ok := snap.agentByID[b.AgentID]
	if !ok {
		unlockID()
		return nil, nil, nil, fmt.Errorf("agenda: agent %q: %w", b.AgentID, ErrNotFound)
	}
	unlockAgent := l.lockAgents([]int32{agent})
	release := func() { unlockAgent(); unlockID() }
	defer func() {
		if err != nil { // on success, the caller releases
			release()
		}
	}()
	if err := ctx.Err(); err != nil { // the locks may have taken a while
		return nil, nil, nil, err
	}
	snap = l.Snapshot() // the agent's state cannot change while its lock is held
	start := ceilUnix(b.Start)
	p, err := snap.planSlots(SlotQuery{ServiceID: b.ServiceID, PlaceIDs: []string{b.PlaceID}, AgentIDs: []string{b.AgentID},
		Now: b.Now, View: b.View}, start, start+1)
	if err != nil {
		return nil, nil, nil, err
	}
	bud := newBudget(snap.cfg.limits)
	var recs []slotRec
	if p.from < p.to && len(p.agents) == 1 {
		sc := takeScratch()
		recs, err = snap.agentSlots(nil, snap.agents[agent], p, p.from, p.to, 2, sc, bud)
		sc.release()
		if err != nil {
			return nil, nil, nil, err
		}
	}
	if len(recs) == 0 || recs[0].start != start {
		return nil, nil, nil, fmt.Errorf("agenda: agent %q is not free for service %q at %s at place %q: %w",
			b.AgentID, b.ServiceID, b.Start.Format(time.RFC3339), b.PlaceID, ErrConflict)
	}
	rec = snap.bookedAppt(b.ID, s, agent, recs[0].place, start)
	return rec, snap, release, nil
}

// bookedAppt is the appointment a booking of service s creates: the
// service's duration from start, status booked, with the service's
// buffers copied onto it, so that changing the service later does not
// move it. Book and CheckBooking both build it here.
func (ix *Index) bookedAppt(id string, s, agent, place int32, start int64) *appt {
	svc := &ix.services[s]
	return &appt{id: id, org: svc.org, place: place, service: s, agents: []int32{agent},
		start: start, end: start + svc.duration, status: StatusBooked,
		bufBefore: svc.bufBefore, bufAfter: svc.bufAfter, ownBuffers: true}
}

// takeSeat adds a participant to a collective appointment with a free seat,
// if [Index.Slots] offers it to the booking's query (notice rules, and the
// agent and place when the booking names them).
func (l *Live) takeSeat(b Booking, service int32) (Appointment, error) {
	unlockID := l.lockID(b.ID)
	defer unlockID()
	old, ok := l.currentAppt(b.ID)
	if !ok || old.service != service {
		return Appointment{}, fmt.Errorf("agenda: appointment %q of collective service %q: %w", b.ID, b.ServiceID, ErrNotFound)
	}
	snap := l.Snapshot()
	q := SlotQuery{ServiceID: b.ServiceID, Now: b.Now, View: b.View}
	if b.AgentID != "" {
		q.AgentIDs = []string{b.AgentID}
	}
	if b.PlaceID != "" {
		q.PlaceIDs = []string{b.PlaceID}
	}
	p, err := snap.planSlots(q, old.start, old.start+1)
	if err != nil {
		return Appointment{}, err
	}
	offered := p.from <= old.start && old.start < p.to && p.placeAllowed(old.place) &&
		(!p.agentFilter || slices.ContainsFunc(old.agents, func(a int32) bool { return slices.Contains(p.agents, a) }))
	if !offered {
		return Appointment{}, fmt.Errorf("agenda: appointment %q is not offered to this booking (notice, agent or place): %w", b.ID, ErrConflict)
	}
	if !old.blocking() || old.participants >= old.capacity {
		return Appointment{}, fmt.Errorf("agenda: appointment %q has no seat left: %w", b.ID, ErrConflict)
	}
	rec := *old
	rec.participants++
	unlock := l.lockAgents(rec.agents)
	defer unlock()
	l.applyAppointment(old, &rec)
	return l.Snapshot().exportAppointment(&rec), nil
}

// Agenda answers [Index.Agenda] on the current snapshot.
func (l *Live) Agenda(ctx context.Context, agentID string, from, to time.Time) (*AgentAgenda, error) {
	return l.Snapshot().Agenda(ctx, agentID, from, to)
}

// AgendaFor answers [Index.AgendaFor] on the current snapshot.
func (l *Live) AgendaFor(ctx context.Context, organisationID, agentID string, from, to time.Time) (*AgentAgenda, error) {
	return l.Snapshot().AgendaFor(ctx, organisationID, agentID, from, to)
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
