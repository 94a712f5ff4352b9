package recur

import (
	"errors"
	"fmt"
)

// ErrInvalidRule is wrapped by every *RuleError.
var ErrInvalidRule = errors.New("invalid rule")

// ErrTooManyOccurrences is wrapped by the error AppendBetween returns when a
// window holds more occurrences than the caller's limit.
var ErrTooManyOccurrences = errors.New("too many occurrences")

// RuleError reports an RRULE value or Spec that Compile refuses. It wraps
// ErrInvalidRule.
type RuleError struct {
	Rule string // the RRULE value as given
	Msg  string // what is wrong, naming the part and value
}

func (e *RuleError) Error() string { return fmt.Sprintf("recur: rrule %q: %s", e.Rule, e.Msg) }

// Unwrap returns ErrInvalidRule.
func (e *RuleError) Unwrap() error { return ErrInvalidRule }
