package recur

import (
	"errors"
	"strings"
	"testing"

	"github.com/crossagenda/crossagenda/internal/civil"
	"github.com/crossagenda/crossagenda/internal/tz"
)

func TestCompileRefuses(t *testing.T) {
	tests := []struct {
		give string
		want string // a fragment of the message, which must also quote the rule
	}{
		{"FREQ=HOURLY", "FREQ=HOURLY not supported"},
		{"FREQ=SECONDLY", "FREQ=SECONDLY not supported"},
		{"FREQ=FORTNIGHTLY", "FREQ=FORTNIGHTLY: want DAILY"},
		{"INTERVAL=2", "missing FREQ"},
		{"FREQ=DAILY;INTERVAL=0", "INTERVAL=0: want 1..1000000"},
		{"FREQ=DAILY;INTERVAL=-1", "INTERVAL=-1: want 1..1000000"},
		{"FREQ=DAILY;INTERVAL=x", "INTERVAL=X: want an integer"},
		{"FREQ=DAILY;INTERVAL=1;INTERVAL=2", "duplicate part INTERVAL"},
		{"FREQ=DAILY;FREQ=WEEKLY", "duplicate part FREQ"},
		{"FREQ=MONTHLY;BYMONTHDAY=32", `BYMONTHDAY=32: value "32": want 1..31 or -31..-1`},
		{"FREQ=MONTHLY;BYMONTHDAY=0", `BYMONTHDAY=0: value "0"`},
		{"FREQ=MONTHLY;BYMONTHDAY=1,,2", `value ""`},
		{"FREQ=WEEKLY;BYDAY=XX", "BYDAY=XX: want [+|-][n]MO..SU"},
		{"FREQ=WEEKLY;BYDAY=MO,", "BYDAY=: want"},
		{"FREQ=MONTHLY;BYDAY=0MO", "BYDAY=0MO: ordinal: want 1..53"},
		{"FREQ=MONTHLY;BYDAY=54MO", "BYDAY=54MO: ordinal"},
		{"FREQ=WEEKLY;BYDAY=1MO", "BYDAY with an ordinal (+1MO) needs FREQ=MONTHLY or YEARLY"},
		{"FREQ=DAILY;BYDAY=-1FR", "(-1FR) needs FREQ=MONTHLY or YEARLY"},
		{"FREQ=YEARLY;BYWEEKNO=1;BYDAY=1MO", "not allowed with BYWEEKNO"},
		{"FREQ=DAILY;COUNT=3;UNTIL=20261231", "COUNT and UNTIL together"},
		{"FREQ=DAILY;COUNT=0", "COUNT=0: want 1..10000"},
		{"FREQ=DAILY;COUNT=10001", "COUNT=10001: want 1..10000"},
		{"FREQ=DAILY;UNTIL=2026-12-31", "UNTIL=2026-12-31: want YYYYMMDD"},
		{"FREQ=DAILY;UNTIL=20260230", "UNTIL=20260230: bad date"},
		{"FREQ=DAILY;UNTIL=20261231T246000Z", "bad time"},
		{"FREQ=DAILY;UNTIL=20261231T240000", "bad time"},
		{"FREQ=DAILY;UNTIL=20261231X090000", "want YYYYMMDD, YYYYMMDDTHHMMSS"},
		{"FREQ=DAILY;UNTIL=20261231T090000+", "want YYYYMMDD, YYYYMMDDTHHMMSS"},
		{"FREQ=WEEKLY;WKST=XX", "WKST=XX"},
		{"FREQ=DAILY;BYHOUR=9", "BYHOUR not supported"},
		{"FREQ=DAILY;BYMINUTE=0", "BYMINUTE not supported"},
		{"FREQ=DAILY;BYSECOND=0", "BYSECOND not supported"},
		{"FREQ=WEEKLY;BYMONTHDAY=1", "BYMONTHDAY not allowed with FREQ=WEEKLY"},
		{"FREQ=MONTHLY;BYYEARDAY=1", "BYYEARDAY only allowed with FREQ=YEARLY"},
		{"FREQ=MONTHLY;BYWEEKNO=1", "BYWEEKNO only allowed with FREQ=YEARLY"},
		{"FREQ=YEARLY;BYYEARDAY=367", "BYYEARDAY=367"},
		{"FREQ=YEARLY;BYWEEKNO=-54", "BYWEEKNO=-54"},
		{"FREQ=YEARLY;BYMONTH=13", "BYMONTH=13: value \"13\": want 1..12"},
		{"FREQ=YEARLY;BYMONTH=-1", "BYMONTH=-1"},
		{"FREQ=MONTHLY;BYSETPOS=1", "BYSETPOS needs another BYxxx part"},
		{"FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0", "BYSETPOS=0"},
		{"FREQ=MONTHLY;BYDAY=MO;BYSETPOS=367", "BYSETPOS=367"},
		{"FREQ=DAILY;BYEASTER=0", "unknown part BYEASTER"},
		{"FREQ=DAILY;X-NAME=1", "unknown part X-NAME"},
		{"FREQ=DAILY;DTSTART=20260101T090000", "DTSTART does not belong in the rule"},
		{"RRULE:FREQ=DAILY", `without the "RRULE:" prefix`},
		{"FREQ=DAILY;", "empty part"},
		{";FREQ=DAILY", "empty part"},
		{"FREQ=DAILY;;COUNT=2", "empty part"},
		{"FREQ=DAILY;COUNT", `part "COUNT" is not NAME=VALUE`},
		{"FREQ=DAILY;COUNT=", "COUNT has an empty value"},
		{"FREQ=DAILY;=3", "is not NAME=VALUE"},
		{"FREQ=DAILY;INTERVAL=1 ", "INTERVAL=1 : want an integer"},
	}
	for _, tt := range tests {
		_, err := Compile(Spec{RRule: tt.give, First: civil.DateOf(2026, 1, 1)})
		if err == nil {
			t.Errorf("Compile(%q) accepted", tt.give)
			continue
		}
		var re *RuleError
		msg := err.Error()
		if !errors.As(err, &re) || !errors.Is(err, ErrInvalidRule) || re.Rule != tt.give ||
			!strings.HasPrefix(msg, `recur: rrule "`) || !strings.Contains(msg, tt.want) {
			t.Errorf("Compile(%q) error %q, want a *RuleError containing %q", tt.give, msg, tt.want)
		}
	}
}

func TestCompileRefusesSpec(t *testing.T) {
	tests := []struct {
		give Spec
		want string
	}{
		{Spec{RRule: "FREQ=DAILY", First: minDate - 1}, "first date 0000-12-31 out of range"},
		{Spec{RRule: "FREQ=DAILY", First: maxDate + 1}, "first date 10000-01-01 out of range"},
		{Spec{RRule: "FREQ=DAILY", First: 0, Start: civil.EndOfDay}, "start time 24:00 out of range"},
		{Spec{RRule: "FREQ=DAILY", First: 0, Start: -1}, "start time TimeOfDay(-1) out of range"},
		{Spec{RRule: "FREQ=DAILY", First: 0, MaxCount: -1}, "Spec.MaxCount -1 is negative"},
		{Spec{RRule: "FREQ=DAILY;COUNT=11", First: 0, MaxCount: 10}, "COUNT=11: want 1..10"},
	}
	for _, tt := range tests {
		_, err := Compile(tt.give)
		if err == nil || !errors.Is(err, ErrInvalidRule) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Compile(%+v) = %v, want %q", tt.give, err, tt.want)
		}
	}
}

func TestCompileAccepts(t *testing.T) {
	first := civil.DateOf(2026, 1, 1)
	for _, s := range []string{
		"FREQ=DAILY",
		"freq=weekly;byday=mo,tu;wkst=su", // names and values are case-insensitive
		"INTERVAL=2;FREQ=WEEKLY",          // parts in any order
		"FREQ=MONTHLY;BYDAY=+1MO,-1FR",
		"FREQ=MONTHLY;BYDAY=MO,MO,MO", // repeated values are harmless
		"FREQ=YEARLY;BYWEEKNO=1,-1;BYDAY=MO",
		"FREQ=YEARLY;BYYEARDAY=-366,366",
		"FREQ=DAILY;UNTIL=20261231",
		"FREQ=DAILY;UNTIL=20261231T090000",
		"FREQ=DAILY;UNTIL=20261231T090000Z",
		"FREQ=DAILY;COUNT=10000",
		"FREQ=MONTHLY;BYMONTHDAY=+5",
	} {
		if _, err := Compile(Spec{RRule: s, First: first, Zone: tz.UTC}); err != nil {
			t.Errorf("Compile(%q): %v", s, err)
		}
	}
	if minDate != civil.DateOf(1, 1, 1) || maxDate != civil.DateOf(9999, 12, 31) {
		t.Errorf("minDate %s, maxDate %s", minDate, maxDate)
	}
}

// A malformed COUNT is a syntax error; a well-formed one past MaxCount is a
// limit the caller may raise; an integer with too many digits to read says
// it is too large.
func TestCountSyntaxVersusLimit(t *testing.T) {
	tests := []struct {
		give      string
		want      string
		wantLimit bool
	}{
		{"FREQ=DAILY;COUNT=abc", "COUNT=ABC: want an integer", false},
		{"FREQ=DAILY;COUNT=-3", "COUNT=-3: want 1..10", false},
		{"FREQ=DAILY;COUNT=0", "COUNT=0: want 1..10", false},
		{"FREQ=DAILY;COUNT=11", "COUNT=11: want 1..10 (the limit is Spec.MaxCount)", true},
		{"FREQ=DAILY;COUNT=12345678901234567890", "COUNT=12345678901234567890: too large: want 1..10 (the limit is Spec.MaxCount)", true},
		{"FREQ=DAILY;INTERVAL=12345678901", "INTERVAL=12345678901: too large: want 1..1000000", false},
		{"FREQ=MONTHLY;BYMONTHDAY=-1234567890", `BYMONTHDAY=-1234567890: value "-1234567890": too large: want 1..31 or -31..-1`, false},
	}
	for _, tt := range tests {
		_, err := Compile(Spec{RRule: tt.give, First: civil.DateOf(2026, 1, 1), MaxCount: 10})
		if err == nil {
			t.Errorf("Compile(%q) accepted", tt.give)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) || !errors.Is(err, ErrInvalidRule) {
			t.Errorf("Compile(%q) = %q, want it to contain %q", tt.give, err, tt.want)
		}
		if got := errors.Is(err, ErrCountLimit); got != tt.wantLimit {
			t.Errorf("Compile(%q): errors.Is(err, ErrCountLimit) = %v, want %v", tt.give, got, tt.wantLimit)
		}
	}
}

// OwnUntil reports the date the rule's UNTIL names, so that callers can
// refuse a rule ending before its first day as they refuse Spec.Until.
func TestOwnUntil(t *testing.T) {
	first := civil.DateOf(2026, 3, 10)
	tests := []struct {
		give   string
		want   civil.Date
		wantOK bool
	}{
		{"FREQ=DAILY", 0, false},
		{"FREQ=DAILY;COUNT=3", 0, false},
		{"FREQ=DAILY;UNTIL=20260309", civil.DateOf(2026, 3, 9), true},
		{"FREQ=DAILY;UNTIL=20260310", civil.DateOf(2026, 3, 10), true},
		{"FREQ=DAILY;UNTIL=20260310T080000", civil.DateOf(2026, 3, 10), true},
		{"FREQ=DAILY;UNTIL=20260311T083000Z", civil.DateOf(2026, 3, 11), true},
	}
	for _, tt := range tests {
		r, err := Compile(Spec{RRule: tt.give, First: first, Start: 9 * 3600})
		if err != nil {
			t.Fatalf("Compile(%q): %v", tt.give, err)
		}
		got, ok := r.OwnUntil()
		if ok != tt.wantOK || ok && got != tt.want {
			t.Errorf("Compile(%q).OwnUntil() = %s, %v; want %s, %v", tt.give, got, ok, tt.want, tt.wantOK)
		}
	}
}
