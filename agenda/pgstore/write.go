package pgstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/crossagenda/crossagenda/agenda"
)

// errSeat sends a booking to takeSeat, and errNoSeat back from it.
var (
	errSeat   = errors.New("pgstore: a seat of a collective appointment")
	errNoSeat = errors.New("pgstore: not a seat: the service is no longer collective")
)

// ErrIDConflict is [agenda.ErrIDConflict]: wrapped when a booking or a
// hold reuses the id of another appointment or active hold, or of its own
// appointment since cancelled. It wraps [agenda.ErrConflict] too.
var ErrIDConflict = agenda.ErrIDConflict

// writeTx collects the statements of a writing transaction, queued once
// the index is up to date and sent with the commit.
type writeTx struct {
	stmts []queuedStmt
}

type queuedStmt struct {
	sql   string
	args  []any
	check func(pgconn.CommandTag) error // of the statement's result; nil: any success
}

// exec queues a statement; check, if not nil, judges its result (a
// refusal there leaves the transaction to commit, so check only results
// that mean nothing was written).
func (w *writeTx) exec(check func(pgconn.CommandTag) error, sql string, args ...any) {
	w.stmts = append(w.stmts, queuedStmt{sql: sql, args: args, check: check})
}

// write runs one writing transaction in two round trips.
//
// The first opens the transaction, locks the agents' rows (in id order,
// so that writers never deadlock on them), reads the change log since the
// index's position and runs the writer's own reads (reads may be nil),
// all in one pipeline. Any writer that touched these agents before
// committed before the lock was granted, so once that read is applied,
// fn checks against an index that holds every change that matters to it,
// and queues its statements. The second sends them with the commit and a
// read of the log that brings the index up to date with the commit. A
// write acknowledged to the caller is committed; a write that was not is
// in no index.
//
// The transaction turns the trigger's notification off: NOTIFY inside a
// transaction holds a database-wide lock through the commit's WAL flush,
// which would make writers commit one at a time. The other replicas are
// woken after the commit, by the Store's notifier (Config.NotifyInterval).
func (s *Store) write(ctx context.Context, lockSQL string, lockArgs []any,
	reads func(*pgx.Batch) func(pgx.BatchResults) error, fn func(snap *agenda.Index, w *writeTx) error) error {
	return s.writeLocked(ctx, []lockStmt{{sql: lockSQL, args: lockArgs}}, reads, fn)
}

// lockStmt is a statement that locks rows for a write.
type lockStmt struct {
	sql    string
	args   []any
	result func(pgconn.CommandTag) // if not nil, is given the statement's result
}

// writeLocked is write with several lock statements, run in order before
// the log is read: the agents' first, then any other rows, as every
// writer locks them.
func (s *Store) writeLocked(ctx context.Context, locks []lockStmt,
	reads func(*pgx.Batch) func(pgx.BatchResults) error, fn func(snap *agenda.Index, w *writeTx) error) error {
	conn, err := s.acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	defer endTransaction(conn)

	b := &pgx.Batch{}
	b.Queue(sqlBegin)
	for _, l := range locks {
		b.Queue(l.sql, l.args...)
	}
	readChanges := queueRead(b, s.Position())
	var readOwn func(pgx.BatchResults) error
	if reads != nil {
		readOwn = reads(b)
	}
	r, err := sendOpen(ctx, conn, b, locks, readChanges, readOwn)
	if err != nil {
		return err
	}
	if err := s.merge(ctx, r); err != nil {
		return err
	}
	var w writeTx
	if err := fn(s.Snapshot(), &w); err != nil {
		return err
	}
	if len(w.stmts) == 0 {
		return nil // nothing to write: endTransaction rolls back
	}

	b = &pgx.Batch{}
	for _, st := range w.stmts {
		b.Queue(st.sql, st.args...)
	}
	b.Queue("COMMIT")
	b.Queue(sqlReadSettings)
	readAfter := queueRead(b, s.Position())
	br := conn.SendBatch(ctx, b)
	defer br.Close()
	var refused error
	for _, st := range w.stmts {
		tag, err := br.Exec()
		if err != nil {
			s.mayHaveCommitted(ctx, err)
			return err
		}
		if st.check != nil && refused == nil {
			refused = st.check(tag)
		}
	}
	if err := s.committed(ctx, br); err != nil {
		return err
	}
	s.afterCommit(ctx, br, readAfter)
	return refused
}

// committed reads the result of a batch's COMMIT and has the other
// replicas woken. On an error the commit may have happened all the same
// (a cut connection): the follower is asked to read the log, and the
// others are woken all the same.
func (s *Store) committed(ctx context.Context, br pgx.BatchResults) error {
	tag, err := br.Exec()
	if err != nil {
		s.nudge()
		s.notifySoon(ctx)
		return fmt.Errorf("pgstore: commit: %w", err)
	}
	if tag.String() != "COMMIT" {
		return fmt.Errorf("pgstore: commit: the server answered %q", tag)
	}
	s.notifySoon(ctx)
	return nil
}

// mayHaveCommitted handles an error read from a pipeline that carries a
// COMMIT, before its result: unless the server reported it (it then
// skipped the rest, COMMIT included), the connection failed, and the
// server may have committed all the same: the follower is asked to read
// the log and the other replicas are woken.
func (s *Store) mayHaveCommitted(ctx context.Context, err error) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return
	}
	s.nudge()
	s.notifySoon(ctx)
}

// afterCommit reads the settings and the read of the log queued after a
// commit, and applies the read. The write stands whatever happens here;
// if catching up fails, the follower is asked to read the log.
func (s *Store) afterCommit(ctx context.Context, br pgx.BatchResults, readAfter func(pgx.BatchResults) (logRead, error)) {
	_, nerr := br.Exec()
	r, rerr := readAfter(br)
	if err := errors.Join(nerr, rerr, br.Close()); err != nil {
		s.cfg.Logger.Warn("pgstore: catching up after a commit", "err", err)
		s.nudge()
		return
	}
	if err := s.merge(ctx, r); err != nil {
		s.cfg.Logger.Warn("pgstore: catching up after a commit", "err", err)
		s.nudge()
	}
}

// sqlBegin opens a writing transaction. The isolation level is named, not
// left to the database's default: each statement must see what the
// writers that held the agents' lock before it committed, which a
// transaction-wide snapshot taken before the lock was granted would not.
const sqlBegin = "BEGIN ISOLATION LEVEL READ COMMITTED"

// sendOpen sends the first pipeline of a write and collects its results.
func sendOpen(ctx context.Context, conn *pgxpool.Conn, b *pgx.Batch, locks []lockStmt, readChanges func(pgx.BatchResults) (logRead, error),
	readOwn func(pgx.BatchResults) error) (logRead, error) {
	br := conn.SendBatch(ctx, b)
	defer br.Close()
	if _, err := br.Exec(); err != nil {
		return logRead{}, fmt.Errorf("pgstore: beginning: %w", err)
	}
	for _, l := range locks {
		tag, err := br.Exec()
		if err != nil {
			return logRead{}, fmt.Errorf("pgstore: locking: %w", err)
		}
		if l.result != nil {
			l.result(tag)
		}
	}
	r, err := readChanges(br)
	if err != nil {
		return logRead{}, err
	}
	if readOwn != nil {
		if err := readOwn(br); err != nil {
			return logRead{}, err
		}
	}
	return r, br.Close()
}

// endTransaction rolls back whatever transaction a write left open on
// its connection (after an error, or with nothing to write), or closes
// the connection if that fails, so that the pool never hands it out in a
// transaction.
func endTransaction(conn *pgxpool.Conn) {
	pc := conn.Conn().PgConn()
	if pc.IsClosed() || pc.TxStatus() == 'I' {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := conn.Exec(ctx, "ROLLBACK"); err != nil {
		_ = conn.Conn().Close(ctx)
	}
}

// nudge asks the follower to read the log now.
func (s *Store) nudge() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Book books a slot like [agenda.Live.Book], durably and atomically across
// every replica of the database: two replicas asked for the same agent's
// overlapping time at once never both succeed (see [Store]).
//
// The booking id is an idempotency key: repeating a booking whose
// appointment stands (b.Matches it, and it was not cancelled) returns it;
// an id already used otherwise (another appointment, an active hold, this
// booking's appointment since cancelled) gives an error wrapping
// [ErrIDConflict]. A taken slot gives an error wrapping
// [agenda.ErrConflict]. A seat of a collective appointment is taken once
// per b.SeatID, recorded in the seats table, as [agenda.Live.Book] does
// in memory.
func (s *Store) Book(ctx context.Context, b agenda.Booking) (agenda.Appointment, error) {
	if err := storable("booking", b.ID, "id", b.ID, "service_id", b.ServiceID, "agent_id", b.AgentID, "place_id", b.PlaceID,
		"seat_id", b.SeatID); err != nil {
		return agenda.Appointment{}, err
	}
	if (*s.collective.Load())[b.ServiceID] || b.SeatID != "" {
		// A seat id on a service this index does not know as collective
		// (it may have become one) is judged after catching up.
		out, err := s.takeSeat(ctx, b)
		if !errors.Is(err, errNoSeat) {
			return out, err
		}
	}
	var held bool
	out, decided, err := s.bookAtPosition(ctx, b)
	if !decided {
		out, held, err = s.bookUnderLock(ctx, b)
	}
	if errors.Is(err, errSeat) {
		out, err = s.takeSeat(ctx, b)
		if errors.Is(err, errNoSeat) { // collective, then not, while it ran
			err = fmt.Errorf("pgstore: booking %q: service %q changed meanwhile: %w", b.ID, b.ServiceID, agenda.ErrConflict)
		}
		return out, err
	}
	if err != nil && !held && !malformed(err) && ctx.Err() == nil {
		// A refusal may come from the id rather than the slot: taken by
		// this very booking, made before (the slot is then taken by it;
		// or the catalogue changed since), by another appointment, or by
		// an active hold. If the id cannot be looked up, the refusal
		// stands.
		as, xerr := collectAppointments(s.pool.Query(ctx, sqlAppointmentByID, b.ID))
		if xerr == nil && len(as) > 0 {
			return s.sameAppointment(as[0], b)
		}
		if xerr == nil && s.pool.QueryRow(ctx, sqlActiveHoldID, b.ID, s.Snapshot().Now()).Scan(&held) == nil && held {
			return agenda.Appointment{}, heldError(b.ID)
		}
	}
	if err != nil {
		return agenda.Appointment{}, err
	}
	return out, nil
}

// malformed reports whether a booking's refusal comes from the booking
// alone (no id, no now, an unknown view, a start outside the configured
// years), not from the data: no catching up could change it, so it needs
// neither a lock nor a look at the id. Other limits (the occurrences a
// check expands, say) depend on the agent's records, which the replica
// may lack: those refusals are decided after catching up.
func malformed(err error) bool {
	var le *agenda.LimitError
	return errors.Is(err, agenda.ErrInvalidQuery) || errors.As(err, &le) && le.Limit == "MinYear/MaxYear"
}

// heldError is the refusal of a booking whose id an active hold has.
func heldError(id string) error {
	return fmt.Errorf("pgstore: booking %q: an active hold has this id (confirm it instead): %w", id, ErrIDConflict)
}

// bookAtPosition books b in one round trip when the index as it stands
// already decides it. It checks b on the index, at its position; then,
// in one pipeline shared with the bookings that reach the Store meanwhile
// (combine.go), the agents are locked and the appointment is inserted only
// if the database holds no change the position lacks that could alter the
// check (sqlBookIfCurrent: one of the agent's own records, or anything
// outside the agents' records), and the transaction commits and reads the
// log. Under the lock every earlier writer of the agent has committed, so
// that insert decides as bookUnderLock would after catching up. decided
// is false when it could not decide: the index refuses b (a refusal is
// decided after catching up), the position was stale for this agent, or
// the transaction failed (nothing of b was written, or b's id will tell).
// A malformed booking is refused at once (see malformed).
func (s *Store) bookAtPosition(ctx context.Context, b agenda.Booking) (out agenda.Appointment, decided bool, err error) {
	s.applyMu.Lock() // the index holds exactly the position's changes
	pos, snap := s.Position(), s.Snapshot()
	s.applyMu.Unlock()
	a, err := snap.CheckBooking(ctx, b)
	if cerr := ctx.Err(); cerr != nil {
		return agenda.Appointment{}, true, cerr
	}
	if malformed(err) {
		return agenda.Appointment{}, true, err // whatever the database holds
	}
	if err != nil || a.Capacity > 0 {
		return agenda.Appointment{}, false, nil
	}
	r := &bookReq{ctx: ctx, a: a, agent: b.AgentID, pos: pos, done: make(chan bookOutcome, 1)}
	s.submitBooking(r)
	var o bookOutcome
	select {
	case o = <-r.done:
	case <-ctx.Done():
		return agenda.Appointment{}, true, ctx.Err() // its transaction goes on: the id tells
	}
	switch {
	case o.err != nil && ctx.Err() != nil:
		return agenda.Appointment{}, true, ctx.Err()
	case o.err != nil:
		s.cfg.Logger.Warn("pgstore: a combined booking transaction failed; its bookings are tried one by one", "err", o.err)
		return agenda.Appointment{}, false, nil
	case o.stale:
		s.rechecked.Add(1)
		return agenda.Appointment{}, false, nil
	case !o.inserted:
		// An appointment or an active hold has the id: Book looks.
		return agenda.Appointment{}, true, fmt.Errorf("pgstore: booking %q: the id is taken: %w", b.ID, ErrIDConflict)
	}
	return a, true, nil
}

// bookUnderLock books b in two round trips: it locks the agents, catches
// up with the log, checks b and writes it (see [Store.write]).
func (s *Store) bookUnderLock(ctx context.Context, b agenda.Booking) (out agenda.Appointment, held bool, err error) {
	err = s.write(ctx, sqlLockAgentsAndHold, lockArgs([]string{b.AgentID}, b.ID), nil, func(snap *agenda.Index, w *writeTx) error {
		if (*s.collective.Load())[b.ServiceID] {
			return errSeat // the service became collective while this replica caught up
		}
		a, err := snap.CheckBooking(ctx, b)
		if err != nil {
			return err
		}
		// The insert fails on an appointment with this id, and inserts
		// nothing over an active hold with it: both are rare, and looked
		// at in Book rather than before each booking.
		args := append(appointmentRow(&a), snap.Now())
		w.exec(func(tag pgconn.CommandTag) error {
			if tag.RowsAffected() == 0 {
				held = true
				return heldError(b.ID)
			}
			return nil
		}, sqlInsertAppointmentUnlessHeld, args...)
		out = a
		return nil
	})
	return out, held, err
}

// collectAppointments reads rows of sqlAppointmentByID.
func collectAppointments(rows pgx.Rows, err error) ([]agenda.Appointment, error) {
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (agenda.Appointment, error) {
		var a agenda.Appointment
		return a, scanAppointment(r, &a)
	})
}

// sameAppointment returns the appointment a that has booking b's id if
// b repeats it (b.Matches it and it was not cancelled), with its times in
// its organisation's zone as a booking's are; an error wrapping
// ErrIDConflict if not.
func (s *Store) sameAppointment(a agenda.Appointment, b agenda.Booking) (agenda.Appointment, error) {
	switch {
	case !b.Matches(a):
		return agenda.Appointment{}, fmt.Errorf("pgstore: booking %q: another appointment has this id: %w", b.ID, ErrIDConflict)
	case !a.Status.Blocking():
		return agenda.Appointment{}, fmt.Errorf("pgstore: booking %q: its appointment was cancelled (%s); book with a new id: %w", b.ID, a.Status, ErrIDConflict)
	}
	return s.inZone(a), nil
}

// inZone returns a with its times in its organisation's zone, as the
// index gives them, rather than as the database does.
func (s *Store) inZone(a agenda.Appointment) agenda.Appointment {
	if loc, ok := s.Snapshot().OrganisationLocation(a.OrganisationID); ok {
		a.Start, a.End = a.Start.In(loc), a.End.In(loc)
	}
	return a
}

// takeSeat adds a participant to the collective appointment b.ID, unless
// b.SeatID already took a seat there. After its agents' rows it locks the
// appointment's row, before reading the log: the seats of one appointment
// are then taken one at a time, each checked on an index that holds the
// ones before, even while its agents change (the agents locked are then
// the old ones, which is harmless: a seat changes no agent's time). An
// appointment without a row when it was locked is not found, as it was
// not at that moment. The seat id is recorded by the very statement that
// takes the seat, so that a seat the guard refuses records nothing.
func (s *Store) takeSeat(ctx context.Context, b agenda.Booking) (agenda.Appointment, error) {
	var out agenda.Appointment
	var current []agenda.Appointment
	var takenIn []string
	var reads func(*pgx.Batch) func(pgx.BatchResults) error
	if b.SeatID != "" {
		reads = func(bt *pgx.Batch) func(pgx.BatchResults) error {
			bt.Queue(sqlAppointmentByID, b.ID)
			bt.Queue(sqlSeatAppointment, b.SeatID)
			return func(br pgx.BatchResults) error {
				var err error
				if current, err = collectAppointments(br.Query()); err != nil {
					return err
				}
				rows, err := br.Query()
				if err == nil {
					takenIn, err = pgx.CollectRows(rows, pgx.RowTo[string])
				}
				return err
			}
		}
	}
	rowLocked := false
	locks := []lockStmt{{sql: sqlLockAgentsAndAppointment, args: lockArgs(nil, b.ID)},
		{sql: sqlLockAppointment, args: []any{b.ID}, result: func(tag pgconn.CommandTag) { rowLocked = tag.RowsAffected() == 1 }}}
	err := s.writeLocked(ctx, locks, reads, func(snap *agenda.Index, w *writeTx) error {
		if b.SeatID == "" && !(*s.collective.Load())[b.ServiceID] {
			return errNoSeat // the service ceased to be collective while this replica caught up
		}
		if len(takenIn) > 0 && b.ID != "" && (*s.collective.Load())[b.ServiceID] {
			// A repeat, answered as Live answers it: before the booking's
			// own fields (view, now, agent, place) are looked at, and even
			// where a new seat would not be (full, past the notice); no
			// id, an unknown or non-collective service and an unknown
			// session are refused as a first one is (CheckBooking, and
			// seatTaken's ErrNotFound).
			var err error
			out, err = s.seatTaken(b, takenIn[0], current)
			return err // nothing to write
		}
		a, err := snap.CheckBooking(ctx, b)
		if err != nil {
			return err
		}
		if !rowLocked {
			// No such session when its row was locked: created since, it
			// is not serialised with other seat takers (nor with its
			// deletion); Live would have refused the booking then.
			return fmt.Errorf("pgstore: appointment %q of collective service %q: %w", b.ID, b.ServiceID, agenda.ErrNotFound)
		}
		guard := func(tag pgconn.CommandTag) error {
			if tag.RowsAffected() != 1 {
				return fmt.Errorf("pgstore: appointment %q changed meanwhile: %w", b.ID, agenda.ErrConflict)
			}
			return nil
		}
		if b.SeatID != "" {
			w.exec(guard, sqlTakeSeatWithID, b.ID, a.Participants, b.SeatID)
		} else {
			w.exec(guard, sqlTakeSeat, b.ID, a.Participants)
		}
		out = a
		return nil
	})
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" && pe.ConstraintName == "seats_pkey" {
		// The same seat id, taken meanwhile in another appointment (the
		// row lock serialises the seats of this one).
		return agenda.Appointment{}, fmt.Errorf("pgstore: seat %q: a seat of another appointment has this id: %w", b.SeatID, ErrIDConflict)
	}
	return out, err
}

// seatTaken answers a seat booking b whose seat id took a seat in the
// appointment takenIn: b's appointment as it stands (as, read under its
// row lock), if that is the one, of b's service, and not cancelled since;
// else an error wrapping ErrIDConflict, or ErrNotFound as for a seat
// without an id.
func (s *Store) seatTaken(b agenda.Booking, takenIn string, as []agenda.Appointment) (agenda.Appointment, error) {
	switch {
	case len(as) == 0 || as[0].ServiceID != b.ServiceID: // Live looks for the session first
		return agenda.Appointment{}, fmt.Errorf("pgstore: appointment %q of collective service %q: %w", b.ID, b.ServiceID, agenda.ErrNotFound)
	case takenIn != b.ID:
		return agenda.Appointment{}, fmt.Errorf("pgstore: seat %q: a seat of another appointment has this id: %w", b.SeatID, ErrIDConflict)
	case !as[0].Status.Blocking():
		return agenda.Appointment{}, fmt.Errorf("pgstore: seat %q: its appointment %q was cancelled (%s): %w", b.SeatID, b.ID, as[0].Status, ErrIDConflict)
	}
	return s.inZone(as[0]), nil
}

// CancelAppointment sets an appointment's status to excused or revoked,
// which frees its agents. As for [agenda.Live.CancelAppointment], a
// cancellation is final: again with the same status it changes nothing,
// with the other one it is an error wrapping [agenda.ErrConflict].
func (s *Store) CancelAppointment(ctx context.Context, id string, status agenda.Status) error {
	if status != agenda.StatusExcused && status != agenda.StatusRevoked {
		return fmt.Errorf("pgstore: appointment %q: cancel status %q is not excused or revoked: %w", id, status, agenda.ErrInvalidQuery)
	}
	if err := storable("appointment", id, "id", id); err != nil {
		return err
	}
	var existing []agenda.Appointment
	reads := func(b *pgx.Batch) func(pgx.BatchResults) error {
		b.Queue(sqlAppointmentByID, id)
		return func(br pgx.BatchResults) (err error) {
			existing, err = collectAppointments(br.Query())
			return err
		}
	}
	return s.write(ctx, sqlLockAgentsAndAppointment, lockArgs(nil, id), reads, func(_ *agenda.Index, w *writeTx) error {
		switch {
		case len(existing) == 0:
			return fmt.Errorf("pgstore: appointment %q: %w", id, agenda.ErrNotFound)
		case existing[0].Status == status:
			return nil // a repeated cancellation: nothing to write
		case !existing[0].Status.Blocking():
			return fmt.Errorf("pgstore: appointment %q: cancelled already (%s): %w", id, existing[0].Status, agenda.ErrConflict)
		}
		w.exec(found("appointment", id), sqlCancelAppointment, id, string(status))
		return nil
	})
}

// UpsertAppointment adds the appointment, or replaces the one with the
// same id, after validating it like [agenda.New]. It does not check for
// overlaps: it is the organisation's write, not a booking.
func (s *Store) UpsertAppointment(ctx context.Context, a agenda.Appointment) error {
	if err := storable("appointment", a.ID, append([]string{"id", a.ID, "organisation_id", a.OrganisationID,
		"place_id", a.PlaceID, "service_id", a.ServiceID}, each("agent_ids", a.AgentIDs)...)...); err != nil {
		return err
	}
	return s.write(ctx, sqlLockAgentsAndAppointment, lockArgs(a.AgentIDs, a.ID), nil, func(snap *agenda.Index, w *writeTx) error {
		if err := snap.CheckAppointment(a); err != nil {
			return err
		}
		w.exec(nil, sqlUpsertAppointment, appointmentRow(&a)...)
		return nil
	})
}

// DeleteAppointment removes an appointment.
func (s *Store) DeleteAppointment(ctx context.Context, id string) error {
	if err := storable("appointment", id, "id", id); err != nil {
		return err
	}
	return s.write(ctx, sqlLockAgentsAndAppointment, lockArgs(nil, id), nil, func(_ *agenda.Index, w *writeTx) error {
		w.exec(found("appointment", id), sqlDeleteAppointment, id)
		return nil
	})
}

// UpsertAbsence adds the absence, or replaces the one with the same id.
func (s *Store) UpsertAbsence(ctx context.Context, b agenda.Absence) error {
	if err := storable("absence", b.ID, append([]string{"id", b.ID, "agent_id", b.AgentID, "rrule", b.RRule},
		each("exdates", b.Exdates)...)...); err != nil {
		return err
	}
	return s.write(ctx, sqlLockAgentsAndAbsence, lockArgs([]string{b.AgentID}, b.ID), nil, func(snap *agenda.Index, w *writeTx) error {
		if err := snap.CheckAbsence(b); err != nil {
			return err
		}
		w.exec(nil, sqlUpsertAbsence, absenceRow(&b)...)
		return nil
	})
}

// DeleteAbsence removes an absence.
func (s *Store) DeleteAbsence(ctx context.Context, id string) error {
	if err := storable("absence", id, "id", id); err != nil {
		return err
	}
	return s.write(ctx, sqlLockAgentsAndAbsence, lockArgs(nil, id), nil, func(_ *agenda.Index, w *writeTx) error {
		w.exec(found("absence", id), sqlDeleteAbsence, id)
		return nil
	})
}

// UpsertOpeningPeriod adds the opening period, or replaces the one with
// the same id.
func (s *Store) UpsertOpeningPeriod(ctx context.Context, p agenda.OpeningPeriod) error {
	if err := storable("opening period", p.ID, append(append([]string{"id", p.ID, "agent_id", p.AgentID, "organisation_id", p.OrganisationID,
		"place_id", p.PlaceID, "rrule", p.RRule}, each("service_ids", p.ServiceIDs)...), each("exdates", p.Exdates)...)...); err != nil {
		return err
	}
	return s.write(ctx, sqlLockAgentsAndOpening, lockArgs([]string{p.AgentID}, p.ID), nil, func(snap *agenda.Index, w *writeTx) error {
		if err := snap.CheckOpeningPeriod(p); err != nil {
			return err
		}
		w.exec(nil, sqlUpsertOpening, openingRow(&p)...)
		return nil
	})
}

// DeleteOpeningPeriod removes an opening period.
func (s *Store) DeleteOpeningPeriod(ctx context.Context, id string) error {
	if err := storable("opening period", id, "id", id); err != nil {
		return err
	}
	return s.write(ctx, sqlLockAgentsAndOpening, lockArgs(nil, id), nil, func(_ *agenda.Index, w *writeTx) error {
		w.exec(found("opening period", id), sqlDeleteOpening, id)
		return nil
	})
}

// AddClosedDay closes a day in one organisation, or in all of them when
// cd.OrganisationID is empty. It locks every agent of the organisation.
func (s *Store) AddClosedDay(ctx context.Context, cd agenda.ClosedDay) error {
	if err := storable("closed day", cd.Date, "date", cd.Date, "organisation_id", cd.OrganisationID, "name", cd.Name); err != nil {
		return err
	}
	err := s.write(ctx, sqlLockOrganisationAgents, []any{cd.OrganisationID}, nil, func(snap *agenda.Index, w *writeTx) error {
		if err := snap.CheckClosedDay(cd); err != nil {
			return err
		}
		w.exec(nil, sqlInsertClosedDay, cd.Date, nullable(cd.OrganisationID), cd.Name)
		return nil
	})
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		return fmt.Errorf("pgstore: closed day %s of organisation %q already exists: %w", cd.Date, cd.OrganisationID, agenda.ErrConflict)
	}
	return err
}

// RemoveClosedDay reopens a closed day.
func (s *Store) RemoveClosedDay(ctx context.Context, date, organisationID string) error {
	if err := storable("closed day", date, "date", date, "organisation_id", organisationID); err != nil {
		return err
	}
	return s.write(ctx, sqlLockOrganisationAgents, []any{organisationID}, nil, func(_ *agenda.Index, w *writeTx) error {
		whose := "every organisation"
		if organisationID != "" {
			whose = fmt.Sprintf("organisation %q", organisationID)
		}
		w.exec(func(tag pgconn.CommandTag) error {
			if tag.RowsAffected() == 0 {
				return fmt.Errorf("pgstore: closed day %s of %s: %w", date, whose, agenda.ErrNotFound)
			}
			return nil
		}, sqlDeleteClosedDay, date, organisationID)
		return nil
	})
}

// lockArgs are the arguments of the lock queries that name agents and a
// record whose current agents are locked too.
func lockArgs(agents []string, id string) []any {
	if agents == nil {
		agents = []string{}
	}
	return []any{agents, id}
}

// found judges the result of an update or delete by id: no row is
// agenda.ErrNotFound.
func found(kind, id string) func(pgconn.CommandTag) error {
	return func(tag pgconn.CommandTag) error {
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("pgstore: %s %q: %w", kind, id, agenda.ErrNotFound)
		}
		return nil
	}
}

// SetCalendar sets the external calendar id of agent agentID to the
// iCalendar text read from ics, durably and for every replica, with the
// checks of [agenda.Live.SetCalendar]; the database's clock stamps it.
func (s *Store) SetCalendar(ctx context.Context, id, agentID string, ics io.Reader) error {
	if ics == nil {
		return fmt.Errorf("pgstore: calendar %q: no text (a nil reader): %w", id, agenda.ErrInvalidQuery)
	}
	maxBytes := s.Snapshot().MaxICSBytes()
	text, err := io.ReadAll(io.LimitReader(ics, maxBytes+1))
	if err != nil {
		return fmt.Errorf("pgstore: calendar %q: reading: %w", id, err)
	}
	cal := agenda.Calendar{ID: id, AgentID: agentID, ICS: string(text)}
	if err := storable("calendar", id, "id", id, "agent_id", agentID, "ics", cal.ICS); err != nil {
		return err
	}
	return s.write(ctx, sqlLockAgentsAndCalendar, lockArgs([]string{agentID}, id), nil, func(snap *agenda.Index, w *writeTx) error {
		if err := snap.CheckCalendar(cal); err != nil {
			return err
		}
		w.exec(nil, sqlUpsertCalendar, cal.ID, cal.AgentID, cal.ICS)
		return nil
	})
}

// DeleteCalendar removes an external calendar.
func (s *Store) DeleteCalendar(ctx context.Context, id string) error {
	if err := storable("calendar", id, "id", id); err != nil {
		return err
	}
	return s.write(ctx, sqlLockAgentsAndCalendar, lockArgs(nil, id), nil, func(_ *agenda.Index, w *writeTx) error {
		w.exec(found("calendar", id), sqlDeleteCalendar, id)
		return nil
	})
}

// Calendars returns every external calendar's status in the current
// snapshot.
func (s *Store) Calendars() []agenda.AgentCalendarStatus { return s.Snapshot().Calendars() }

// storable refuses, before anything is sent, a text PostgreSQL cannot
// store (a NUL byte, or bytes that are not UTF-8), naming the record and
// the field; the database would refuse it with neither. fields alternate
// a field's name and its value.
func storable(kind, id string, fields ...string) error {
	for i := 0; i+1 < len(fields); i += 2 {
		if v := fields[i+1]; strings.IndexByte(v, 0) >= 0 || !utf8.ValidString(v) {
			return fmt.Errorf("pgstore: %s %q: %s holds a NUL byte or invalid UTF-8, which PostgreSQL cannot store: %w",
				kind, id, fields[i], agenda.ErrInvalidQuery)
		}
	}
	return nil
}

// each names each value of a list field for storable: name, value, name, value...
func each(name string, values []string) []string {
	out := make([]string, 0, 2*len(values))
	for _, v := range values {
		out = append(out, name, v)
	}
	return out
}
