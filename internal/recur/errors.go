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

// ErrCountLimit is wrapped, with ErrInvalidRule, by the error of a rule
// whose COUNT is a well-formed integer above Spec.MaxCount: a bound the
// caller may raise, unlike a malformed COUNT.
var ErrCountLimit = errors.New("COUNT above Spec.MaxCount")

// ErrBudget is wrapped, with ErrInvalidRule, by the error of a rule whose
// compilation would walk more days than its Spec.Budget has left: a bound
// the caller may raise.
var ErrBudget = errors.New("days walked above Spec.Budget")

// RuleError reports an RRULE value or Spec that Compile refuses. It wraps
// ErrInvalidRule, and Err when set.
type RuleError struct {
	Rule string // the RRULE value as given
	Msg  string // what is wrong, naming the part and value
	Err  error  // a more specific cause, such as ErrCountLimit; may be nil
}

func (e *RuleError) Error() string { return fmt.Sprintf("recur: rrule %q: %s", e.Rule, e.Msg) }

// Unwrap returns ErrInvalidRule and Err.
func (e *RuleError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrInvalidRule, e.Err}
	}
	return []error{ErrInvalidRule}
}
