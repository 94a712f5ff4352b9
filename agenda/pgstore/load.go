package pgstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/crossagenda/crossagenda/agenda"
)

// LoadDataset reads the whole dataset in one consistent snapshot, with
// the position in the database's history it reflects (see [Position]). It does not validate: [agenda.New] does, and
// [Open] translates its errors into [RowError]s.
// db is a *pgxpool.Pool or a *pgx.Conn.
func LoadDataset(ctx context.Context, db TxBeginner) (ds *agenda.Dataset, pos Position, err error) {
	ds, _, pos, err = loadWithHolds(ctx, db)
	return ds, pos, err
}

// loadWithHolds is LoadDataset with the holds of the same snapshot.
func loadWithHolds(ctx context.Context, db TxBeginner) (ds *agenda.Dataset, holds []heldRow, pos Position, err error) {
	err = pgx.BeginTxFunc(ctx, db, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		ds, pos, err = loadTx(ctx, tx)
		if err != nil {
			return err
		}
		holds, err = loadHolds(ctx, tx)
		return err
	})
	if err != nil {
		return nil, nil, Position{}, fmt.Errorf("pgstore: load: %w", err)
	}
	return ds, holds, pos, nil
}

// TxBeginner begins transactions: *pgxpool.Pool and *pgx.Conn are ones.
type TxBeginner interface {
	BeginTx(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error)
}

func loadTx(ctx context.Context, tx pgx.Tx) (*agenda.Dataset, Position, error) {
	var text string
	if err := tx.QueryRow(ctx, sqlLoadPosition).Scan(&text); err != nil {
		return nil, Position{}, err
	}
	snap, err := parseSnapshot(text)
	if err != nil {
		return nil, Position{}, err
	}
	pos := Position{snap: snap}
	ds := &agenda.Dataset{}
	if err := tx.QueryRow(ctx, sqlLoadSettings).Scan(&ds.TimeZone); err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return nil, Position{}, err
	}
	ds.HolidayCalendars, err = collect(ctx, tx, sqlLoadCalendars, func(r pgx.Rows, name *string) error { return r.Scan(name) })
	if err != nil {
		return nil, Position{}, err
	}
	ds.Organisations, err = collect(ctx, tx, sqlLoadOrganisations, func(r pgx.Rows, o *agenda.Organisation) error {
		err := r.Scan(&o.ID, &o.Name, &o.TimeZone, &o.HolidayCalendar, &o.WorkedHolidays)
		o.WorkedHolidays = nilIfEmpty(o.WorkedHolidays)
		return err
	})
	if err != nil {
		return nil, Position{}, err
	}
	ds.Agents, err = collect(ctx, tx, sqlLoadAgents, func(r pgx.Rows, a *agenda.Agent) error {
		return r.Scan(&a.ID, &a.Name, &a.TimeZone, &a.MaxAppointmentsPerDay)
	})
	if err != nil {
		return nil, Position{}, err
	}
	byID := make(map[string]*agenda.Agent, len(ds.Agents))
	for i := range ds.Agents {
		byID[ds.Agents[i].ID] = &ds.Agents[i]
		ds.Agents[i].OrganisationIDs = []string{}
	}
	type agentOrg struct{ agent, org string }
	links, err := collect(ctx, tx, sqlLoadAgentOrgs, func(r pgx.Rows, l *agentOrg) error { return r.Scan(&l.agent, &l.org) })
	if err != nil {
		return nil, Position{}, err
	}
	for _, l := range links {
		a := byID[l.agent] // the foreign key guarantees it
		a.OrganisationIDs = append(a.OrganisationIDs, l.org)
	}
	ds.Places, err = collect(ctx, tx, sqlLoadPlaces, func(r pgx.Rows, p *agenda.Place) error {
		return r.Scan(&p.ID, &p.OrganisationID, &p.Name)
	})
	if err != nil {
		return nil, Position{}, err
	}
	ds.Services, err = collect(ctx, tx, sqlLoadServices, func(r pgx.Rows, s *agenda.Service) error {
		return r.Scan(&s.ID, &s.OrganisationID, &s.Name, &s.DurationMinutes, &s.MinNoticeMinutes, &s.MaxNoticeMinutes, &s.Collective,
			&s.BufferBeforeMinutes, &s.BufferAfterMinutes, &s.SlotIntervalMinutes, &s.MaxPerAgentPerDay)
	})
	if err != nil {
		return nil, Position{}, err
	}
	ds.OpeningPeriods, err = collect(ctx, tx, sqlLoadOpenings, func(r pgx.Rows, p *agenda.OpeningPeriod) error {
		err := r.Scan(&p.ID, &p.AgentID, &p.OrganisationID, &p.PlaceID, &p.ServiceIDs, &p.FirstDay, &p.StartTime, &p.EndTime, &p.RRule, &p.Until, &p.Exdates)
		p.Exdates = nilIfEmpty(p.Exdates)
		return err
	})
	if err != nil {
		return nil, Position{}, err
	}
	ds.Absences, err = collect(ctx, tx, sqlLoadAbsences, func(r pgx.Rows, b *agenda.Absence) error {
		err := r.Scan(&b.ID, &b.AgentID, &b.FirstDay, &b.StartTime, &b.EndDay, &b.EndTime, &b.RRule, &b.Until, &b.Exdates)
		b.Exdates = nilIfEmpty(b.Exdates)
		return err
	})
	if err != nil {
		return nil, Position{}, err
	}
	ds.Appointments, err = collect(ctx, tx, sqlLoadAppointments, func(r pgx.Rows, a *agenda.Appointment) error { return scanAppointment(r, a) })
	if err != nil {
		return nil, Position{}, err
	}
	ds.ClosedDays, err = collect(ctx, tx, sqlLoadClosedDays, func(r pgx.Rows, c *agenda.ClosedDay) error {
		return r.Scan(&c.Date, &c.OrganisationID, &c.Name)
	})
	if err != nil {
		return nil, Position{}, err
	}
	ds.Calendars, err = collect(ctx, tx, sqlLoadExternalCalendars, func(r pgx.Rows, c *agenda.Calendar) error {
		var updated *time.Time
		err := r.Scan(&c.ID, &c.AgentID, &c.ICS, &updated)
		if updated != nil {
			c.UpdatedAt = *updated
		}
		return err
	})
	if err != nil {
		return nil, Position{}, err
	}
	return ds, pos, nil
}

func scanAppointment(r pgx.CollectableRow, a *agenda.Appointment) error {
	var status string
	var start, end time.Time
	if err := r.Scan(&a.ID, &a.OrganisationID, &a.PlaceID, &a.ServiceID, &a.AgentIDs, &start, &end, &status, &a.Capacity, &a.Participants,
		&a.BufferBeforeMinutes, &a.BufferAfterMinutes); err != nil {
		return err
	}
	a.Start, a.End, a.Status = start, end, agenda.Status(status)
	return nil
}

// collect runs a query and scans each row into a new element.
func collect[T any](ctx context.Context, tx pgx.Tx, sql string, scan func(pgx.Rows, *T) error) ([]T, error) {
	rows, err := tx.Query(ctx, sql)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		out = append(out, *new(T))
		if err := scan(rows, &out[len(out)-1]); err != nil {
			return nil, err
		}
	}
	return out, rows.Err()
}

// nilIfEmpty reads an empty optional list as absent, as the JSON format
// does (omitempty).
func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}
