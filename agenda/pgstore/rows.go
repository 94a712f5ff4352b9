package pgstore

import (
	"errors"
	"fmt"

	"github.com/crossagenda/crossagenda/agenda"
)

// RowError is a row of the database that the engine refused when loading:
// it names the table, the row's id and the column, and wraps the engine's
// [agenda.RecordError].
type RowError struct {
	Table  string
	ID     string // the primary key; for closed days, the date (and organisation)
	Column string // empty when the row as a whole is wrong
	Err    *agenda.RecordError
}

func (e *RowError) Error() string {
	col := e.Column
	if col == "" {
		col = "(row)"
	}
	return fmt.Sprintf("pgstore: table %s, id %q, column %s: %s", e.Table, e.ID, col, e.Err.Msg)
}

func (e *RowError) Unwrap() error { return e.Err }

// Record kinds of package agenda's errors, and the tables that hold them.
var kindTable = map[string]string{
	"organisation":   "organisations",
	"agent":          "agents",
	"place":          "places",
	"service":        "services",
	"opening period": "opening_periods",
	"absence":        "absences",
	"appointment":    "appointments",
	"closed day":     "closed_days",
	"calendar":       "external_calendars",
}

// rowError translates a record error of the engine into the table, id and
// column of the database that hold the record.
func rowError(re *agenda.RecordError) *RowError {
	e := &RowError{Table: kindTable[re.Kind], ID: re.ID, Column: re.Field, Err: re}
	switch {
	case re.Kind == "appointment" && re.Field == "start":
		e.Column = "start_at"
	case re.Kind == "appointment" && re.Field == "end":
		e.Column = "end_at"
	case re.Kind == "agent" && re.Field == "organisation_ids":
		e.Table, e.Column = "agent_organisations", "organisation_id"
	case re.Kind == "dataset" && re.Field == "holiday_calendars":
		e.Table, e.Column = "holiday_calendars", "name"
	case re.Kind == "dataset":
		e.Table = "crossagenda_settings"
	}
	return e
}

// rowErrors translates the engine's validation errors, if err holds any,
// into errors that name rows; other errors pass through.
func rowErrors(err error) error {
	var ve *agenda.ValidationError
	if errors.As(err, &ve) {
		// The first rows tell what is wrong; the count tells how much.
		const shown = 10
		errs := make([]error, 0, shown+1)
		for _, re := range ve.Errs[:min(shown, len(ve.Errs))] {
			errs = append(errs, rowError(re))
		}
		if more := len(ve.Errs) - shown; more > 0 || ve.Truncated {
			errs = append(errs, fmt.Errorf("pgstore: and %d more invalid rows%s", max(more, 0), map[bool]string{true: " at least"}[ve.Truncated]))
		}
		return errors.Join(errs...)
	}
	var re *agenda.RecordError
	if errors.As(err, &re) {
		return rowError(re)
	}
	return err
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
