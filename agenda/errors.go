package agenda

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// Record kinds named in errors.
const (
	kindDataset      = "dataset"
	kindOrganisation = "organisation"
	kindAgent        = "agent"
	kindPlace        = "place"
	kindService      = "service"
	kindOpening      = "opening period"
	kindAbsence      = "absence"
	kindAppointment  = "appointment"
	kindClosedDay    = "closed day"
	kindCalendar     = "calendar"
)

// RecordError reports a problem with one field of one record of a
// [Dataset]. Its message reads like
//
//	agenda: opening period "p12": end_time 09:00 is not after start_time 10:00
type RecordError struct {
	Kind  string // the record's kind: "opening period", "agent", ...
	ID    string // the record's id, or "#N" (its position) when it has none
	Field string // the JSON name of the offending field; empty for the record as a whole
	Msg   string // what is wrong
	Err   error  // the underlying cause, if any
}

func (e *RecordError) Error() string {
	return fmt.Sprintf("agenda: %s %q: %s", e.Kind, e.ID, e.Msg)
}

func (e *RecordError) Unwrap() error { return e.Err }

func recordErr(kind, id, field, format string, args ...any) *RecordError {
	e := &RecordError{Kind: kind, ID: id, Field: field, Msg: fmt.Sprintf(format, args...)}
	for _, a := range args {
		if err, ok := a.(error); ok {
			e.Err = err
		}
	}
	return e
}

// ValidationError lists every problem [New] found in a dataset (up to
// [Limits.MaxErrors]). errors.As finds each *RecordError inside it.
type ValidationError struct {
	Errs      []*RecordError
	Truncated bool // more errors were found than are listed
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString(e.Errs[0].Error())
	if n := len(e.Errs) - 1; n > 0 || e.Truncated {
		more := fmt.Sprint(n)
		if e.Truncated {
			more += "+"
		}
		fmt.Fprintf(&b, " (and %s more)", more)
	}
	return b.String()
}

// Format prints, for %+v, every listed problem, one per line after the
// first; other verbs print Error's one-line summary.
func (e *ValidationError) Format(f fmt.State, verb rune) {
	if verb != 'v' || !f.Flag('+') {
		fmt.Fprint(f, e.Error())
		return
	}
	for i, r := range e.Errs {
		if i > 0 {
			io.WriteString(f, "\n")
		}
		io.WriteString(f, r.Error())
	}
	if e.Truncated {
		io.WriteString(f, "\n(more errors not listed: raise Limits.MaxErrors)")
	}
}

// Unwrap returns the record errors, for errors.Is and errors.As.
func (e *ValidationError) Unwrap() []error {
	errs := make([]error, len(e.Errs))
	for i, r := range e.Errs {
		errs[i] = r
	}
	return errs
}

// Sentinel errors, for errors.Is.
var (
	// ErrLimit is wrapped by every error that refuses a query or a dataset
	// because it exceeds one of the configured [Limits]; the message names
	// the limit and how to raise it.
	ErrLimit = errors.New("limit exceeded")
	// ErrNotFound is wrapped when a query or a write names an unknown
	// record.
	ErrNotFound = errors.New("not found")
	// ErrInvalidQuery is wrapped when a query's parameters are malformed.
	ErrInvalidQuery = errors.New("invalid query")
	// ErrInvalidOption is wrapped when [New] or [NewLive] is given an
	// option it cannot accept, such as a negative limit.
	ErrInvalidOption = errors.New("invalid option")
)

// LimitError says which limit a query or dataset exceeded.
type LimitError struct {
	Limit string // the Limits field name, e.g. "MaxWindow"
	Value string // the configured value
	Want  string // what the query needed, when known
}

func (e *LimitError) Error() string {
	msg := fmt.Sprintf("agenda: limit %s (%s) exceeded", e.Limit, e.Value)
	if e.Want != "" {
		msg += ": " + e.Want
	}
	return msg + "; raise it with WithLimits"
}

func (e *LimitError) Unwrap() error { return ErrLimit }
