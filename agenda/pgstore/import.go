package pgstore

import (
	"time"

	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/crossagenda/crossagenda/agenda"
)

// ErrNotEmpty is wrapped by [Import] when the database already holds a
// dataset.
var ErrNotEmpty = errors.New("the database already holds data")

// Import validates ds like [agenda.New], then writes it into an empty
// database with COPY, in one transaction: either all of it is stored or
// nothing is. A database with a row in any of its tables is refused with
// an error wrapping [ErrNotEmpty]: import
// never merges into or overwrites data. The schema must be migrated
// ([Migrate]).
//
// Rather than logging every row, the import logs one "reload" change, so
// replicas already following the database load it afresh. It then
// analyzes the tables it filled.
func Import(ctx context.Context, pool *pgxpool.Pool, ds *agenda.Dataset) error {
	if _, err := agenda.New(ds); err != nil {
		return fmt.Errorf("pgstore: import: %w", err)
	}
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, sqlImportLock); err != nil {
			return fmt.Errorf("pgstore: import: %w", err)
		}
		var table string
		err := tx.QueryRow(ctx, sqlNonEmptyTable).Scan(&table)
		switch {
		case err == nil:
			return fmt.Errorf("pgstore: import: table %s has rows; import only into an empty database: %w", table, ErrNotEmpty)
		case !errors.Is(err, pgx.ErrNoRows):
			return fmt.Errorf("pgstore: import: %w", err)
		}
		if _, err := tx.Exec(ctx, sqlImporting); err != nil {
			return fmt.Errorf("pgstore: import: %w", err)
		}
		for _, t := range importTables(ds) {
			if t.n == 0 {
				continue
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.name}, t.columns, pgx.CopyFromSlice(t.n, t.row)); err != nil {
				return fmt.Errorf("pgstore: import: table %s: %w", t.name, err)
			}
		}
		if _, err := tx.Exec(ctx, sqlLogReload, "import"); err != nil {
			return fmt.Errorf("pgstore: import: %w", err)
		}
		if _, err := tx.Exec(ctx, sqlNotify); err != nil {
			return fmt.Errorf("pgstore: import: %w", err)
		}
		// Statistics now, not when autovacuum comes: plans made on empty
		// tables would scan them whole.
		for _, t := range importTables(ds) {
			if _, err := tx.Exec(ctx, "ANALYZE "+pgx.Identifier{t.name}.Sanitize()); err != nil {
				return fmt.Errorf("pgstore: import: analyze %s: %w", t.name, err)
			}
		}
		return nil
	})
}

type copyTable struct {
	name    string
	columns []string
	n       int
	row     func(i int) ([]any, error)
}

// importTables lists the tables in the order their foreign keys need.
func importTables(ds *agenda.Dataset) []copyTable {
	type agentOrg struct {
		agent, org string
		pos        int
	}
	var agentOrgs []agentOrg
	for _, a := range ds.Agents {
		for i, o := range a.OrganisationIDs {
			agentOrgs = append(agentOrgs, agentOrg{a.ID, o, i})
		}
	}
	return []copyTable{
		{"crossagenda_settings", []string{"time_zone"}, 1, func(int) ([]any, error) { return []any{ds.TimeZone}, nil }},
		{"holiday_calendars", []string{"name"}, len(ds.HolidayCalendars), func(i int) ([]any, error) {
			return []any{ds.HolidayCalendars[i]}, nil
		}},
		{"organisations", []string{"id", "name", "time_zone", "holiday_calendar", "worked_holidays"}, len(ds.Organisations), func(i int) ([]any, error) {
			o := &ds.Organisations[i]
			return []any{o.ID, o.Name, o.TimeZone, o.HolidayCalendar, orEmpty(o.WorkedHolidays)}, nil
		}},
		{"agents", []string{"id", "name", "time_zone", "max_appointments_per_day"}, len(ds.Agents), func(i int) ([]any, error) {
			a := &ds.Agents[i]
			return []any{a.ID, a.Name, a.TimeZone, a.MaxAppointmentsPerDay}, nil
		}},
		{"agent_organisations", []string{"agent_id", "organisation_id", "position"}, len(agentOrgs), func(i int) ([]any, error) {
			return []any{agentOrgs[i].agent, agentOrgs[i].org, agentOrgs[i].pos}, nil
		}},
		{"places", []string{"id", "organisation_id", "name"}, len(ds.Places), func(i int) ([]any, error) {
			p := &ds.Places[i]
			return []any{p.ID, p.OrganisationID, p.Name}, nil
		}},
		{"services", columnsServices, len(ds.Services), func(i int) ([]any, error) {
			s := &ds.Services[i]
			return []any{s.ID, s.OrganisationID, s.Name, s.DurationMinutes, s.MinNoticeMinutes, s.MaxNoticeMinutes, s.Collective,
				s.BufferBeforeMinutes, s.BufferAfterMinutes, s.SlotIntervalMinutes, s.MaxPerAgentPerDay}, nil
		}},
		{"opening_periods", columnsOpenings, len(ds.OpeningPeriods), func(i int) ([]any, error) {
			return openingRow(&ds.OpeningPeriods[i]), nil
		}},
		{"absences", columnsAbsences, len(ds.Absences), func(i int) ([]any, error) {
			return absenceRow(&ds.Absences[i]), nil
		}},
		{"external_calendars", []string{"id", "agent_id", "ics", "updated_at"}, len(ds.Calendars), func(i int) ([]any, error) {
			c := &ds.Calendars[i]
			var updated *time.Time
			if !c.UpdatedAt.IsZero() {
				updated = &c.UpdatedAt
			}
			return []any{c.ID, c.AgentID, c.ICS, updated}, nil
		}},
		{"appointments", columnsAppointments, len(ds.Appointments), func(i int) ([]any, error) {
			return appointmentRow(&ds.Appointments[i]), nil
		}},
		{"closed_days", []string{"date", "organisation_id", "name"}, len(ds.ClosedDays), func(i int) ([]any, error) {
			c := &ds.ClosedDays[i]
			return []any{c.Date, nullable(c.OrganisationID), c.Name}, nil
		}},
	}
}

var (
	columnsServices = []string{"id", "organisation_id", "name", "duration_minutes", "min_notice_minutes", "max_notice_minutes", "collective",
		"buffer_before_minutes", "buffer_after_minutes", "slot_interval_minutes", "max_per_agent_per_day"}
	columnsOpenings     = []string{"id", "agent_id", "organisation_id", "place_id", "service_ids", "first_day", "start_time", "end_time", "rrule", "until", "exdates"}
	columnsAbsences     = []string{"id", "agent_id", "first_day", "start_time", "end_day", "end_time", "rrule", "until", "exdates"}
	columnsAppointments = []string{"id", "organisation_id", "place_id", "service_id", "agent_ids", "start_at", "end_at", "status", "capacity", "participants",
		"buffer_before_minutes", "buffer_after_minutes"}
)

func openingRow(p *agenda.OpeningPeriod) []any {
	return []any{p.ID, p.AgentID, p.OrganisationID, nullable(p.PlaceID), orEmpty(p.ServiceIDs), p.FirstDay, p.StartTime, p.EndTime, p.RRule, p.Until, orEmpty(p.Exdates)}
}

// orEmpty stores a nil list as an empty array (the columns are NOT NULL).
func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func absenceRow(b *agenda.Absence) []any {
	return []any{b.ID, b.AgentID, b.FirstDay, b.StartTime, b.EndDay, b.EndTime, b.RRule, b.Until, orEmpty(b.Exdates)}
}

func appointmentRow(a *agenda.Appointment) []any {
	status := a.Status
	if status == "" {
		status = agenda.StatusBooked
	}
	return []any{a.ID, a.OrganisationID, nullable(a.PlaceID), nullable(a.ServiceID), orEmpty(a.AgentIDs), a.Start, a.End, string(status),
		a.Capacity, a.Participants, a.BufferBeforeMinutes, a.BufferAfterMinutes}
}
