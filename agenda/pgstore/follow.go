package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/crossagenda/crossagenda/agenda"
)

// querier is what catching up needs: a connection, a pooled connection or
// a transaction that the caller already holds. Catching up never takes a
// connection of its own, so that writers holding connections and waiting
// to catch up cannot exhaust the pool.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// change is one row of the change log.
type change struct {
	seq         int64
	committedAt time.Time
	table, op   string
	old, new    []byte
}

// catchUpBatch bounds the changes read per query.
const catchUpBatch = 1000

// catchUp applies, in order, the changes committed after the last one
// applied. Changes are numbered densely in commit order (see the change
// counter in the first migration), so reading by number after the last
// applied one loses nothing and applies nothing twice, whichever
// notifications were missed. A gap in the numbers (a pruned log) or a
// "reload" change loads everything afresh. It holds applyMu throughout.
func (s *Store) catchUp(ctx context.Context, q querier) error {
	s.applyMu.Lock()
	defer s.applyMu.Unlock()
	for {
		applied := s.applied.Load()
		rows, err := q.Query(ctx, sqlChanges, applied, catchUpBatch)
		if err != nil {
			return fmt.Errorf("pgstore: reading the change log: %w", err)
		}
		batch, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (change, error) {
			var c change
			err := r.Scan(&c.seq, &c.committedAt, &c.table, &c.op, &c.old, &c.new)
			return c, err
		})
		if err != nil {
			return fmt.Errorf("pgstore: reading the change log: %w", err)
		}
		if i := slices.IndexFunc(batch, func(c change) bool { return c.op == "reload" || !incremental[c.table] }); i >= 0 ||
			len(batch) > 0 && batch[0].seq != applied+1 {
			why := "a gap in the change log"
			if i >= 0 {
				why = batch[i].table + " " + batch[i].op
			}
			if err := s.reload(ctx); err != nil {
				return err
			}
			s.reloads.Add(1)
			s.cfg.Logger.Info("pgstore: index reloaded", "seq", s.applied.Load(), "after", why)
			continue
		}
		for _, c := range batch {
			if err := s.apply(c); err != nil {
				s.applyErrors.Add(1)
				s.cfg.Logger.Error("pgstore: a committed change does not fit the index; the index lacks it",
					"seq", c.seq, "table", c.table, "op", c.op, "err", err)
			}
			s.applied.Store(c.seq)
			if s.cfg.OnApply != nil {
				s.cfg.OnApply(c.seq, c.committedAt)
			}
		}
		if len(batch) < catchUpBatch {
			return nil
		}
	}
}

// incremental lists the tables whose changes the Live index applies one by
// one; a change to any other table (the catalogue: organisations, agents,
// places, services, settings) reloads the index.
var incremental = map[string]bool{"appointments": true, "absences": true, "opening_periods": true, "closed_days": true,
	"external_calendars": true, "holds": true}

// apply applies one change to the Live index.
func (s *Store) apply(c change) error {
	live := s.live.Load()
	switch c.table {
	case "appointments":
		if c.op == "delete" {
			var r struct{ ID string }
			if err := json.Unmarshal(c.old, &r); err != nil {
				return err
			}
			return live.DeleteAppointment(r.ID)
		}
		var r appointmentJSON
		if err := json.Unmarshal(c.new, &r); err != nil {
			return err
		}
		return live.UpsertAppointment(r.appointment())
	case "absences":
		if c.op == "delete" {
			var r struct{ ID string }
			if err := json.Unmarshal(c.old, &r); err != nil {
				return err
			}
			return live.DeleteAbsence(r.ID)
		}
		var r agenda.Absence
		if err := json.Unmarshal(c.new, &r); err != nil {
			return err
		}
		return live.UpsertAbsence(r)
	case "opening_periods":
		if c.op == "delete" {
			var r struct{ ID string }
			if err := json.Unmarshal(c.old, &r); err != nil {
				return err
			}
			return live.DeleteOpeningPeriod(r.ID)
		}
		var r openingJSON
		if err := json.Unmarshal(c.new, &r); err != nil {
			return err
		}
		return live.UpsertOpeningPeriod(r.opening())
	case "external_calendars":
		if c.op == "delete" {
			var r struct{ ID string }
			if err := json.Unmarshal(c.old, &r); err != nil {
				return err
			}
			return live.DeleteCalendar(r.ID)
		}
		var r agenda.Calendar // its JSON is the row's: id, agent_id, ics, updated_at
		if err := json.Unmarshal(c.new, &r); err != nil {
			return err
		}
		return live.UpsertCalendar(r)
	case "holds":
		if c.op == "delete" {
			var r struct{ ID string }
			if err := json.Unmarshal(c.old, &r); err != nil {
				return err
			}
			// An expired hold may have been forgotten already.
			if err := live.ReleaseHold(r.ID); err != nil && !errors.Is(err, agenda.ErrNotFound) {
				return err
			}
			return nil
		}
		var r holdJSON
		if err := json.Unmarshal(c.new, &r); err != nil {
			return err
		}
		a := r.appointment()
		if err := live.PutHold(a, r.ExpiresAt); err != nil {
			return err
		}
		s.tellExpiry(a, r.ExpiresAt)
		return nil
	case "closed_days":
		var errs []error
		if c.op != "insert" {
			var r closedDayJSON
			if err := json.Unmarshal(c.old, &r); err != nil {
				return err
			}
			errs = append(errs, live.RemoveClosedDay(r.Date, r.org()))
		}
		if c.op != "delete" {
			var r closedDayJSON
			if err := json.Unmarshal(c.new, &r); err != nil {
				return err
			}
			errs = append(errs, live.AddClosedDay(agenda.ClosedDay{Date: r.Date, OrganisationID: r.org(), Name: r.Name}))
		}
		return errors.Join(errs...)
	}
	return fmt.Errorf("pgstore: no incremental change for table %s", c.table)
}

// The rows of the change log, as to_jsonb writes them: column names as
// keys, NULL as null.
type appointmentJSON struct {
	ID             string    `json:"id"`
	OrganisationID string    `json:"organisation_id"`
	PlaceID        *string   `json:"place_id"`
	ServiceID      *string   `json:"service_id"`
	AgentIDs       []string  `json:"agent_ids"`
	StartAt        time.Time `json:"start_at"`
	EndAt          time.Time `json:"end_at"`
	Status         string    `json:"status"`
	Capacity       int       `json:"capacity"`
	Participants   int       `json:"participants"`
	BufferBefore   *int      `json:"buffer_before_minutes"`
	BufferAfter    *int      `json:"buffer_after_minutes"`
}

func (r *appointmentJSON) appointment() agenda.Appointment {
	return agenda.Appointment{ID: r.ID, OrganisationID: r.OrganisationID, PlaceID: deref(r.PlaceID), ServiceID: deref(r.ServiceID),
		AgentIDs: r.AgentIDs, Start: r.StartAt, End: r.EndAt, Status: agenda.Status(r.Status),
		Capacity: r.Capacity, Participants: r.Participants, BufferBeforeMinutes: r.BufferBefore, BufferAfterMinutes: r.BufferAfter}
}

type holdJSON struct {
	ID             string    `json:"id"`
	OrganisationID string    `json:"organisation_id"`
	PlaceID        *string   `json:"place_id"`
	ServiceID      string    `json:"service_id"`
	AgentID        string    `json:"agent_id"`
	StartAt        time.Time `json:"start_at"`
	EndAt          time.Time `json:"end_at"`
	BufferBefore   int       `json:"buffer_before_minutes"`
	BufferAfter    int       `json:"buffer_after_minutes"`
	ExpiresAt      time.Time `json:"expires_at"`
}

func (r *holdJSON) appointment() agenda.Appointment {
	return heldAppointment(r.ID, r.OrganisationID, deref(r.PlaceID), r.ServiceID, r.AgentID, r.StartAt, r.EndAt, r.BufferBefore, r.BufferAfter)
}

type openingJSON struct {
	agenda.OpeningPeriod
	PlaceID *string `json:"place_id"`
}

func (r *openingJSON) opening() agenda.OpeningPeriod {
	p := r.OpeningPeriod
	p.PlaceID = deref(r.PlaceID)
	return p
}

type closedDayJSON struct {
	Date           string  `json:"date"`
	OrganisationID *string `json:"organisation_id"`
	Name           string  `json:"name"`
}

func (r *closedDayJSON) org() string { return deref(r.OrganisationID) }

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
