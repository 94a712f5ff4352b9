package pgstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/crossagenda/crossagenda/agenda"
)

// holdCleanupBatch bounds the expired holds one write deletes.
const holdCleanupBatch = 100

// Hold reserves the slot b asks for like [agenda.Live.Hold], durably and
// atomically across every replica (the protocol of [Store.Book]: a hold
// and a booking, or two holds, of one agent's overlapping time never both
// succeed). The hold is a row of the holds table that expires at the
// Store's clock ([agenda.WithClock] in Config.Options) plus ttl: every
// replica compares that instant with its own clock, so an expired hold
// blocks nothing anywhere even before its row is deleted. Each Hold
// deletes up to 100 expired rows, this id's first.
//
// The hold id is an idempotency key, as for Book: repeating an active
// hold with the same content returns it (its expiry unchanged); an id
// already used by an appointment or by another active hold gives an error
// wrapping [ErrIDConflict]. Collective services cannot be held.
func (s *Store) Hold(ctx context.Context, b agenda.Booking, ttl time.Duration) (agenda.Appointment, error) {
	if ttl <= 0 {
		return agenda.Appointment{}, fmt.Errorf("pgstore: hold %q: ttl %s is not positive: %w", b.ID, ttl, agenda.ErrInvalidQuery)
	}
	if err := storable("hold", b.ID, "id", b.ID, "service_id", b.ServiceID, "agent_id", b.AgentID, "place_id", b.PlaceID); err != nil {
		return agenda.Appointment{}, err
	}
	if _, err := s.Snapshot().CheckBooking(ctx, b); errors.Is(err, agenda.ErrInvalidQuery) {
		return agenda.Appointment{}, err
	}
	var out agenda.Appointment
	var taken bool
	var h heldRow
	var found bool
	reads := func(batch *pgx.Batch) func(pgx.BatchResults) error {
		batch.Queue(sqlAppointmentID, b.ID)
		batch.Queue(sqlHoldByID, b.ID)
		return func(br pgx.BatchResults) (err error) {
			if err := br.QueryRow().Scan(&taken); err != nil {
				return err
			}
			h, found, err = readHold(br.Query())
			return err
		}
	}
	err := s.write(ctx, sqlLockAgentsAndHold, lockArgs([]string{b.AgentID}, b.ID), reads, func(snap *agenda.Index, w *writeTx) error {
		if (*s.collective.Load())[b.ServiceID] {
			return fmt.Errorf("pgstore: hold %q: service %q is collective: its seats are booked, not held: %w", b.ID, b.ServiceID, agenda.ErrInvalidQuery)
		}
		if taken {
			return fmt.Errorf("pgstore: hold %q: an appointment has this id: %w", b.ID, ErrIDConflict)
		}
		now := snap.Now()
		if found && now.Before(h.expires) { // an expired one is deleted below
			if b.Matches(h.a) {
				out = s.inZone(h.a)
				return nil
			}
			return fmt.Errorf("pgstore: hold %q: another active hold has this id: %w", b.ID, ErrIDConflict)
		}
		a, err := snap.CheckBooking(ctx, b)
		if err != nil {
			return err
		}
		// Expired holds go first, this id's among them (its row is locked
		// by this transaction, so SKIP LOCKED keeps it).
		w.exec(nil, sqlDeleteExpiredHolds, now, holdCleanupBatch, b.ID)
		w.exec(nil, sqlInsertHold, holdRow(&a, now.Add(ttl))...)
		out = a
		return nil
	})
	if err != nil {
		return agenda.Appointment{}, err
	}
	return out, nil
}

// Confirm turns the hold id into its appointment in one transaction (the
// appointment inserted, then the hold deleted, so that no replica ever
// sees the slot free in between), under the agent's lock. Confirming an
// id that is an appointment's already (the hold confirmed before, or a
// booking made with that id) returns that appointment as it stands. A hold expired on the Store's
// clock is refused with an error wrapping [agenda.ErrExpired], and one
// whose row is gone (released, or expired and deleted) with
// [agenda.ErrNotFound].
func (s *Store) Confirm(ctx context.Context, id string) (agenda.Appointment, error) {
	if err := storable("hold", id, "id", id); err != nil {
		return agenda.Appointment{}, err
	}
	var out agenda.Appointment
	var h heldRow
	var found bool
	var existing []agenda.Appointment
	reads := func(batch *pgx.Batch) func(pgx.BatchResults) error {
		batch.Queue(sqlHoldByID, id)
		batch.Queue(sqlAppointmentByID, id)
		return func(br pgx.BatchResults) (err error) {
			if h, found, err = readHold(br.Query()); err != nil {
				return err
			}
			existing, err = collectAppointments(br.Query())
			return err
		}
	}
	err := s.write(ctx, sqlLockAgentsAndHold, lockArgs(nil, id), reads, func(snap *agenda.Index, w *writeTx) error {
		if !found {
			if len(existing) == 0 {
				return fmt.Errorf("pgstore: hold %q: %w", id, agenda.ErrNotFound)
			}
			out = s.inZone(existing[0])
			return nil
		}
		if !snap.Now().Before(h.expires) {
			return fmt.Errorf("pgstore: hold %q expired at %s: %w", id, h.expires.Format(time.RFC3339), agenda.ErrExpired)
		}
		if len(existing) > 0 {
			return fmt.Errorf("pgstore: hold %q: an appointment has this id: %w", id, ErrIDConflict)
		}
		if err := notOverlapped(ctx, snap, h.a); err != nil {
			return err
		}
		w.exec(nil, sqlInsertAppointment, appointmentRow(&h.a)...)
		w.exec(nil, sqlDeleteHold, id)
		out = s.inZone(h.a)
		return nil
	})
	if err != nil {
		return agenda.Appointment{}, err
	}
	return out, nil
}

// notOverlapped refuses to confirm the hold a if the index, caught up
// under the agent's lock, holds another appointment or active hold of
// its agent whose time, buffers included, meets the hold's, buffers
// included. Within one Store the hold keeps its time free until it
// expires; but each Store judges expiry on its own clock, so a replica
// whose clock runs ahead may have booked the time already (as a Store
// whose clock stepped back may have itself). A daily cap that such a
// booking filled is not checked again. O(the agent's records over the
// hold's day).
func notOverlapped(ctx context.Context, snap *agenda.Index, a agenda.Appointment) error {
	minutes := func(p *int) time.Duration {
		if p == nil {
			return 0
		}
		return time.Duration(*p) * time.Minute
	}
	from, to := a.Start.Add(-minutes(a.BufferBeforeMinutes)), a.End.Add(minutes(a.BufferAfterMinutes))
	// Buffers are minutes: a day either side holds any record they reach.
	ag, err := snap.Agenda(ctx, a.AgentIDs[0], from.Add(-24*time.Hour), to.Add(24*time.Hour))
	if err != nil {
		return err
	}
	for _, e := range ag.Events {
		if e.Kind != agenda.KindAppointment && e.Kind != agenda.KindHold || !e.Blocking || e.ID == a.ID {
			continue
		}
		eFrom := e.Start.Add(-time.Duration(e.BufferBeforeMinutes) * time.Minute)
		eTo := e.End.Add(time.Duration(e.BufferAfterMinutes) * time.Minute)
		if eFrom.Before(to) && from.Before(eTo) {
			return fmt.Errorf("pgstore: hold %q: %s %q has taken its time (a replica whose clock runs ahead found the hold expired): %w",
				a.ID, e.Kind, e.ID, agenda.ErrConflict)
		}
	}
	return nil
}

// ReleaseHold frees the slot held as id, for every replica. An unknown id
// (never held, released, or expired and deleted) gives an error wrapping
// [agenda.ErrNotFound].
func (s *Store) ReleaseHold(ctx context.Context, id string) error {
	if err := storable("hold", id, "id", id); err != nil {
		return err
	}
	return s.write(ctx, sqlLockAgentsAndHold, lockArgs(nil, id), nil, func(_ *agenda.Index, w *writeTx) error {
		w.exec(found("hold", id), sqlDeleteHold, id)
		return nil
	})
}

// PruneHolds deletes up to limit holds expired on the Store's clock and
// returns how many it deleted, for a periodic job: Hold deletes expired
// rows as it goes, but an agent nobody holds any more keeps its own.
// Rows other writers hold locked are left for the next round.
func (s *Store) PruneHolds(ctx context.Context, limit int) (int64, error) {
	if limit <= 0 {
		return 0, fmt.Errorf("pgstore: prune holds: limit %d is not positive: %w", limit, agenda.ErrInvalidQuery)
	}
	tag, err := s.pool.Exec(ctx, sqlDeleteExpiredHolds, s.Snapshot().Now(), limit, "")
	if err != nil {
		return 0, fmt.Errorf("pgstore: prune holds: %w", err)
	}
	return tag.RowsAffected(), nil
}

// heldRow is a row of the holds table.
type heldRow struct {
	a       agenda.Appointment
	expires time.Time
}

// readHold reads the result of sqlHoldByID: the hold, if there is one.
func readHold(rows pgx.Rows, err error) (heldRow, bool, error) {
	if err != nil {
		return heldRow{}, false, err
	}
	h, err := pgx.CollectExactlyOneRow(rows, scanHold)
	if errors.Is(err, pgx.ErrNoRows) {
		return heldRow{}, false, nil
	}
	return h, err == nil, err
}

func scanHold(r pgx.CollectableRow) (heldRow, error) {
	var id, org, place, service, agent string
	var start, end, expires time.Time
	var before, after int
	if err := r.Scan(&id, &org, &place, &service, &agent, &start, &end, &before, &after, &expires); err != nil {
		return heldRow{}, err
	}
	return heldRow{a: heldAppointment(id, org, place, service, agent, start, end, before, after), expires: expires}, nil
}

// heldAppointment is the appointment a hold row stands for: booked, with
// the buffers of the service when it was held.
func heldAppointment(id, org, place, service, agent string, start, end time.Time, before, after int) agenda.Appointment {
	return agenda.Appointment{ID: id, OrganisationID: org, PlaceID: place, ServiceID: service, AgentIDs: []string{agent},
		Start: start, End: end, Status: agenda.StatusBooked, BufferBeforeMinutes: &before, BufferAfterMinutes: &after}
}

// holdRow is the row of a hold for the appointment a held until expires.
func holdRow(a *agenda.Appointment, expires time.Time) []any {
	return []any{a.ID, a.OrganisationID, nullable(a.PlaceID), a.ServiceID, a.AgentIDs[0], a.Start, a.End,
		deref0(a.BufferBeforeMinutes), deref0(a.BufferAfterMinutes), expires}
}

func deref0(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// loadHolds reads every hold not expired at now, in the loading
// transaction.
func loadHolds(ctx context.Context, tx pgx.Tx) ([]heldRow, error) {
	rows, err := tx.Query(ctx, sqlLoadHolds)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scanHold)
}
