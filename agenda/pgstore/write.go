package pgstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/crossagenda/crossagenda/agenda"
)

// errSeat sends a booking to takeSeat.
var errSeat = errors.New("pgstore: a seat of a collective appointment")

// ErrIDConflict is wrapped when a booking reuses the id of an appointment
// with other content. It wraps [agenda.ErrConflict] too.
var ErrIDConflict = fmt.Errorf("booking id already used by another appointment: %w", agenda.ErrConflict)

// write runs one writing transaction: lock the agents' rows (in id order,
// so that writers never deadlock on them), catch up under the lock, let
// fn check against the snapshot and write, commit, and apply. Any writer
// that touched these agents before committed before the lock was granted,
// so catching up gives fn every change that matters to its check.
//
// Catching up uses the transaction's own connection, and applying after
// the commit the same connection, so a writer never holds two.
func (s *Store) write(ctx context.Context, lockSQL string, lockArgs []any, fn func(tx pgx.Tx, snap *agenda.Index) error) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.Background()) // after a commit, a no-op
	if _, err := tx.Exec(ctx, lockSQL, lockArgs...); err != nil {
		return fmt.Errorf("pgstore: locking agents: %w", err)
	}
	if err := s.catchUp(ctx, tx); err != nil {
		return err
	}
	if err := fn(tx, s.Snapshot()); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("pgstore: commit: %w", err)
	}
	// Committed: the write stands whatever happens now. If catching up
	// fails here, the follower applies it on its next round.
	if err := s.catchUp(ctx, conn); err != nil {
		s.cfg.Logger.Warn("pgstore: catching up after a commit", "err", err)
	}
	return nil
}

// Book books a slot like [agenda.Live.Book], durably and atomically across
// every replica of the database: two replicas asked for the same agent's
// overlapping time at once never both succeed (see [Store]).
//
// The booking id is an idempotency key: repeating a booking with the same
// id and the same content returns the existing appointment; with other
// content, an error wrapping [ErrIDConflict]. A taken slot gives an error
// wrapping [agenda.ErrConflict].
func (s *Store) Book(ctx context.Context, b agenda.Booking) (agenda.Appointment, error) {
	// A malformed booking needs no lock. Any other refusal is decided
	// under the lock, after catching up (a record this replica does not
	// know yet may have just been written by another) and after the id
	// is looked up (a repeated booking may be refused now and still be
	// the same booking).
	if _, err := s.Snapshot().CheckBooking(ctx, b); errors.Is(err, agenda.ErrInvalidQuery) {
		return agenda.Appointment{}, err
	}
	if (*s.collective.Load())[b.ServiceID] {
		return s.takeSeat(ctx, b)
	}
	var out agenda.Appointment
	err := s.write(ctx, sqlLockAgentsAndHold, lockArgs([]string{b.AgentID}, b.ID), func(tx pgx.Tx, snap *agenda.Index) error {
		if (*s.collective.Load())[b.ServiceID] {
			return errSeat // the service became collective while this replica caught up
		}
		if existing, found, err := s.existing(ctx, tx, b); found || err != nil {
			out = existing
			return err
		}
		var held bool
		if err := tx.QueryRow(ctx, sqlActiveHoldID, b.ID, snap.Now()).Scan(&held); err != nil {
			return err
		}
		if held {
			return fmt.Errorf("pgstore: booking %q: an active hold has this id (confirm it instead): %w", b.ID, ErrIDConflict)
		}
		a, err := snap.CheckBooking(ctx, b)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, sqlInsertAppointment, appointmentRow(&a)...); err != nil {
			return err
		}
		out = a
		return nil
	})
	if errors.Is(err, errSeat) {
		return s.takeSeat(ctx, b)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" && pe.ConstraintName == "appointments_pkey" {
		// Another replica inserted this id meanwhile (for another agent,
		// or the lock would have ordered us): compare with it.
		conn, cerr := s.pool.Acquire(ctx)
		if cerr != nil {
			return agenda.Appointment{}, cerr
		}
		defer conn.Release()
		existing, found, xerr := s.existing(ctx, conn, b)
		if found || xerr != nil {
			return existing, xerr
		}
	}
	if err != nil {
		return agenda.Appointment{}, err
	}
	return out, nil
}

// existing looks for an appointment with the booking's id: found with the
// same content, it is returned; with other content, ErrIDConflict.
func (s *Store) existing(ctx context.Context, q querier, b agenda.Booking) (agenda.Appointment, bool, error) {
	rows, err := q.Query(ctx, sqlAppointmentByID, b.ID)
	if err != nil {
		return agenda.Appointment{}, false, err
	}
	as, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (agenda.Appointment, error) {
		var a agenda.Appointment
		return a, scanAppointment(r, &a)
	})
	if err != nil || len(as) == 0 {
		return agenda.Appointment{}, false, err
	}
	a := as[0]
	same := a.ServiceID == b.ServiceID && slices.Equal(a.AgentIDs, []string{b.AgentID}) && a.PlaceID == b.PlaceID &&
		a.Start.Unix() == b.Start.Truncate(time.Second).Unix() && a.Status.Blocking()
	if !same {
		return agenda.Appointment{}, true, fmt.Errorf("pgstore: booking %q: %w", b.ID, ErrIDConflict)
	}
	a.Start, a.End = a.Start.In(b.Start.Location()), a.End.In(b.Start.Location())
	return a, true, nil
}

// takeSeat adds a participant to the collective appointment b.ID.
func (s *Store) takeSeat(ctx context.Context, b agenda.Booking) (agenda.Appointment, error) {
	var out agenda.Appointment
	err := s.write(ctx, sqlLockAgentsAndAppointment, lockArgs(nil, b.ID), func(tx pgx.Tx, snap *agenda.Index) error {
		a, err := snap.CheckBooking(ctx, b)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, sqlTakeSeat, b.ID, a.Participants)
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return fmt.Errorf("pgstore: appointment %q changed meanwhile: %w", b.ID, agenda.ErrConflict)
		}
		out = a
		return nil
	})
	return out, err
}

// CancelAppointment sets an appointment's status to excused or revoked,
// which frees its agents.
func (s *Store) CancelAppointment(ctx context.Context, id string, status agenda.Status) error {
	if status != agenda.StatusExcused && status != agenda.StatusRevoked {
		return fmt.Errorf("pgstore: appointment %q: cancel status %q is not excused or revoked: %w", id, status, agenda.ErrInvalidQuery)
	}
	return s.write(ctx, sqlLockAgentsAndAppointment, lockArgs(nil, id), func(tx pgx.Tx, _ *agenda.Index) error {
		tag, err := tx.Exec(ctx, sqlCancelAppointment, id, string(status))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("pgstore: appointment %q: %w", id, agenda.ErrNotFound)
		}
		return nil
	})
}

// UpsertAppointment adds the appointment, or replaces the one with the
// same id, after validating it like [agenda.New]. It does not check for
// overlaps: it is the organisation's write, not a booking.
func (s *Store) UpsertAppointment(ctx context.Context, a agenda.Appointment) error {
	return s.write(ctx, sqlLockAgentsAndAppointment, lockArgs(a.AgentIDs, a.ID), func(tx pgx.Tx, snap *agenda.Index) error {
		if err := snap.CheckAppointment(a); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, sqlUpsertAppointment, appointmentRow(&a)...)
		return err
	})
}

// DeleteAppointment removes an appointment.
func (s *Store) DeleteAppointment(ctx context.Context, id string) error {
	return s.write(ctx, sqlLockAgentsAndAppointment, lockArgs(nil, id), func(tx pgx.Tx, _ *agenda.Index) error {
		return deleted(tx.Exec(ctx, sqlDeleteAppointment, id))("appointment", id)
	})
}

// UpsertAbsence adds the absence, or replaces the one with the same id.
func (s *Store) UpsertAbsence(ctx context.Context, b agenda.Absence) error {
	return s.write(ctx, sqlLockAgentsAndAbsence, lockArgs([]string{b.AgentID}, b.ID), func(tx pgx.Tx, snap *agenda.Index) error {
		if err := snap.CheckAbsence(b); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, sqlUpsertAbsence, absenceRow(&b)...)
		return err
	})
}

// DeleteAbsence removes an absence.
func (s *Store) DeleteAbsence(ctx context.Context, id string) error {
	return s.write(ctx, sqlLockAgentsAndAbsence, lockArgs(nil, id), func(tx pgx.Tx, _ *agenda.Index) error {
		return deleted(tx.Exec(ctx, sqlDeleteAbsence, id))("absence", id)
	})
}

// UpsertOpeningPeriod adds the opening period, or replaces the one with
// the same id.
func (s *Store) UpsertOpeningPeriod(ctx context.Context, p agenda.OpeningPeriod) error {
	return s.write(ctx, sqlLockAgentsAndOpening, lockArgs([]string{p.AgentID}, p.ID), func(tx pgx.Tx, snap *agenda.Index) error {
		if err := snap.CheckOpeningPeriod(p); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, sqlUpsertOpening, openingRow(&p)...)
		return err
	})
}

// DeleteOpeningPeriod removes an opening period.
func (s *Store) DeleteOpeningPeriod(ctx context.Context, id string) error {
	return s.write(ctx, sqlLockAgentsAndOpening, lockArgs(nil, id), func(tx pgx.Tx, _ *agenda.Index) error {
		return deleted(tx.Exec(ctx, sqlDeleteOpening, id))("opening period", id)
	})
}

// AddClosedDay closes a day in one organisation, or in all of them when
// cd.OrganisationID is empty. It locks every agent of the organisation.
func (s *Store) AddClosedDay(ctx context.Context, cd agenda.ClosedDay) error {
	return s.write(ctx, sqlLockOrganisationAgents, []any{cd.OrganisationID}, func(tx pgx.Tx, snap *agenda.Index) error {
		if err := snap.CheckClosedDay(cd); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, sqlInsertClosedDay, cd.Date, nullable(cd.OrganisationID), cd.Name)
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "23505" {
			return fmt.Errorf("pgstore: closed day %s of organisation %q already exists: %w", cd.Date, cd.OrganisationID, agenda.ErrConflict)
		}
		return err
	})
}

// RemoveClosedDay reopens a closed day.
func (s *Store) RemoveClosedDay(ctx context.Context, date, organisationID string) error {
	return s.write(ctx, sqlLockOrganisationAgents, []any{organisationID}, func(tx pgx.Tx, _ *agenda.Index) error {
		return deleted(tx.Exec(ctx, sqlDeleteClosedDay, date, organisationID))("closed day", date)
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

func deleted(tag pgconn.CommandTag, err error) func(kind, id string) error {
	return func(kind, id string) error {
		if err != nil {
			return err
		}
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
	maxBytes := s.Snapshot().MaxICSBytes()
	text, err := io.ReadAll(io.LimitReader(ics, maxBytes+1))
	if err != nil {
		return fmt.Errorf("pgstore: calendar %q: reading: %w", id, err)
	}
	cal := agenda.Calendar{ID: id, AgentID: agentID, ICS: string(text)}
	return s.write(ctx, sqlLockAgentsAndCalendar, lockArgs([]string{agentID}, id), func(tx pgx.Tx, snap *agenda.Index) error {
		if err := snap.CheckCalendar(cal); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, sqlUpsertCalendar, cal.ID, cal.AgentID, cal.ICS)
		return err
	})
}

// DeleteCalendar removes an external calendar.
func (s *Store) DeleteCalendar(ctx context.Context, id string) error {
	return s.write(ctx, sqlLockAgentsAndCalendar, lockArgs(nil, id), func(tx pgx.Tx, _ *agenda.Index) error {
		return deleted(tx.Exec(ctx, sqlDeleteCalendar, id))("calendar", id)
	})
}

// Calendars returns every external calendar's status in the current
// snapshot.
func (s *Store) Calendars() []agenda.AgentCalendarStatus { return s.Snapshot().Calendars() }
