package recur

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/crossagenda/crossagenda/internal/civil"
)

// TestEmptyGridAgainstDateutil: an HOURLY grid with a BYHOUR it never
// reaches, or a MINUTELY one with a BYMINUTE it never reaches, is refused
// exactly when dateutil raises "byxxx generates an empty set", for every
// INTERVAL 1..49 (HOURLY) or 1..121 (MINUTELY), DTSTART hour or minute
// and single BYHOUR or BYMINUTE value.
func TestEmptyGridAgainstDateutil(t *testing.T) {
	py := lookDateutil(t)
	const script = `
import sys
from datetime import datetime
from dateutil.rrule import rrule, HOURLY, MINUTELY
for line in sys.stdin:
    f, i, s, b = line.split()
    i, s, b = int(i), int(s), int(b)
    try:
        if f == "H":
            rrule(HOURLY, interval=i, byhour=b, dtstart=datetime(2026, 1, 5, s, 0), count=1)
        else:
            rrule(MINUTELY, interval=i, byminute=b, dtstart=datetime(2026, 1, 5, 10, s), count=1)
        print("ok")
    except ValueError as e:
        print("empty" if "empty set" in str(e) else "other: " + str(e))
`
	type tc struct {
		f       string
		i, s, b int
		rule    string
		start   civil.TimeOfDay
	}
	var cases []tc
	var in strings.Builder
	for i := 1; i <= 49; i++ {
		for s := 0; s < 24; s += 5 {
			for b := 0; b < 24; b++ {
				cases = append(cases, tc{"H", i, s, b, fmt.Sprintf("FREQ=HOURLY;INTERVAL=%d;BYHOUR=%d", i, b), civil.TimeOfDay(s * 3600)})
			}
		}
	}
	for i := 1; i <= 121; i += 3 {
		for s := 0; s < 60; s += 7 {
			for b := 0; b < 60; b += 2 {
				cases = append(cases, tc{"M", i, s, b, fmt.Sprintf("FREQ=MINUTELY;INTERVAL=%d;BYMINUTE=%d", i, b), civil.TimeOfDay(10*3600 + s*60)})
			}
		}
	}
	for _, c := range cases {
		fmt.Fprintf(&in, "%s %d %d %d\n", c.f, c.i, c.s, c.b)
	}
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = strings.NewReader(in.String())
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Fields(string(out))
	if len(got) != len(cases) {
		t.Fatalf("dateutil answered %d lines for %d cases", len(got), len(cases))
	}
	empty := 0
	for k, c := range cases {
		_, err := Compile(Spec{RRule: c.rule, First: civil.DateOf(2026, 1, 5), Start: c.start, Times: true})
		want := got[k] == "empty"
		if want {
			empty++
		}
		if (err != nil) != want {
			t.Errorf("%s from %s: Compile error %v, dateutil %s", c.rule, c.start, err, got[k])
		}
	}
	t.Logf("%d cases, %d empty grids", len(cases), empty)
}

// TestEmptyGridHandWorked covers MINUTELY with BYHOUR, which dateutil does
// not check: from 10:00 (600 minutes), INTERVAL=120 minutes reaches the
// even hours at :00 only (g = gcd(120, 1440) = 120); INTERVAL=90 the times
// ≡ 600 ≡ 60 (mod 90): 01:00, 02:30, 04:00, … 23:30.
func TestEmptyGridHandWorked(t *testing.T) {
	for _, c := range []struct {
		rule  string
		empty bool
	}{
		{"FREQ=MINUTELY;INTERVAL=120;BYHOUR=3", true},
		{"FREQ=MINUTELY;INTERVAL=120;BYHOUR=4", false},
		{"FREQ=MINUTELY;INTERVAL=120;BYHOUR=4;BYMINUTE=30", true},
		{"FREQ=MINUTELY;INTERVAL=90;BYHOUR=4;BYMINUTE=0", false},   // 240 ≡ 60
		{"FREQ=MINUTELY;INTERVAL=90;BYHOUR=2;BYMINUTE=30", false},  // 150 ≡ 60
		{"FREQ=MINUTELY;INTERVAL=90;BYHOUR=3;BYMINUTE=0,30", true}, // 180 ≡ 0, 210 ≡ 30
		{"FREQ=HOURLY;INTERVAL=2;BYHOUR=3,5", true},
		{"FREQ=HOURLY;INTERVAL=2;BYHOUR=3,4", false},
		{"FREQ=HOURLY;INTERVAL=5;BYHOUR=3", false}, // gcd(5, 24) = 1
	} {
		_, err := Compile(Spec{RRule: c.rule, First: civil.DateOf(2026, 1, 5), Start: 10 * 3600, Times: true})
		if (err != nil) != c.empty {
			t.Errorf("%s from 10:00: error %v, want empty %v", c.rule, err, c.empty)
		}
	}
}

// TestBudget: rules compiled with one Budget share it; the one that would
// walk past it is refused with ErrBudget, having walked at most one period
// (a year) past the budget.
func TestBudget(t *testing.T) {
	b := &Budget{Days: 1_000_000}
	first := civil.DateOf(2026, 1, 5)
	n := 0
	var err error
	for ; err == nil && n < 100; n++ {
		_, err = Compile(Spec{RRule: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", First: first, Budget: b})
	}
	if !errors.Is(err, ErrBudget) || !errors.Is(err, ErrInvalidRule) {
		t.Fatalf("after %d rules: %v, want ErrBudget", n, err)
	}
	// A never-matching yearly rule walks one 400-year cycle: 146,097 days
	// (give or take the periods at the ends), so the 7th is refused.
	if n != 7 {
		t.Errorf("refused the %d-th rule, want the 7th", n)
	}
	if b.Used > 1_000_000+366 {
		t.Errorf("walked %d days, want at most the budget and one year", b.Used)
	}
	t.Logf("refused rule %d after %d days: %v", n, b.Used, err)

	// A daily rule walks one day to find its first instance, then its
	// COUNT days, and no more.
	b = &Budget{Days: 1001}
	if _, err := Compile(Spec{RRule: "FREQ=DAILY;COUNT=1000", First: first, Budget: b}); err != nil {
		t.Fatal(err)
	}
	if _, err := Compile(Spec{RRule: "FREQ=DAILY;COUNT=2", First: first, Budget: b}); !errors.Is(err, ErrBudget) {
		t.Fatalf("the budget is spent: got %v", err)
	}
}
