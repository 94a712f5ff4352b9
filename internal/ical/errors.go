package ical

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalid is wrapped by every [*Error] about the calendar's content.
var ErrInvalid = errors.New("invalid calendar")

// ErrLimit is wrapped by every [*Error] about a limit of [Options].
var ErrLimit = errors.New("calendar exceeds a limit")

// Error reports what is wrong in one calendar. It reads like
//
//	ical: calendar "c1": event "uid-7": RRULE: FREQ=SECONDLY not supported: …
type Error struct {
	Calendar string // the calendar's name, from Options.Name
	UID      string // the event's UID, "#N" for the N-th VEVENT without one, "" outside events
	Property string // the property at fault (DTSTART, RRULE, …), or "" for the calendar as a whole
	Limit    string // for a limit, the Options field that bounds it
	Msg      string
	Err      error // ErrInvalid or ErrLimit, joined with the cause when there is one
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "ical: calendar %q: ", e.Calendar)
	if e.UID != "" {
		fmt.Fprintf(&b, "event %q: ", e.UID)
	}
	if e.Property != "" {
		b.WriteString(e.Property)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }
