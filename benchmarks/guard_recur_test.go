package benchmarks

import (
	"fmt"
	"github.com/crossagenda/crossagenda/internal/race"
	"testing"
	"time"

	"github.com/crossagenda/crossagenda/internal/civil"
	"github.com/crossagenda/crossagenda/internal/recur"
	"github.com/crossagenda/crossagenda/internal/tz"
)

// The guards of the recurrence engine: allocation counts and counts of the
// periods and days a query visits, deterministic and independent of the
// machine's speed.

var recurGuardRules = []struct {
	name, rule string
	periods    int // most periods a one-month window may visit
}{
	{"weekly", "FREQ=WEEKLY;BYDAY=MO,TU,TH", 6},
	{"fortnightly", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR;WKST=SU", 3},
	{"daily", "FREQ=DAILY", 31},
	{"weekdays", "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", 31},
	{"monthly-day", "FREQ=MONTHLY", 1},
	{"monthly-nth", "FREQ=MONTHLY;BYDAY=2TU,-1FR", 1},
	{"monthly-setpos", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", 1},
	{"yearly", "FREQ=YEARLY;BYMONTH=12;BYDAY=-1SU", 1},
	{"yearly-yearday", "FREQ=YEARLY;BYYEARDAY=-7,100;BYDAY=FR,SU", 1},
	{"count", "FREQ=WEEKLY;BYDAY=WE;COUNT=10000", 5},
	{"weekno", "FREQ=YEARLY;BYWEEKNO=49,50,51,52,53;BYDAY=MO,FR", 1},
	{"weekno-setpos", "FREQ=YEARLY;BYWEEKNO=-1;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", 1},
}

// TestGuardRecurWorkIsFlatInAge expands one month (December 2026) of rules
// whose DTSTART is 0 to 100 years earlier: the periods and days visited
// must be a month's worth at every age (a 5-year-old weekly rule visits 5
// weeks, not the 260 since DTSTART), and the same at every age up to one
// period (which weeks of a fortnightly rule are on depends on DTSTART).
func TestGuardRecurWorkIsFlatInAge(t *testing.T) {
	from, to := civil.DateOf(2026, time.December, 1), civil.DateOf(2027, time.January, 1)
	for _, tt := range recurGuardRules {
		var base recur.Stats
		for i, age := range []int{0, 1, 5, 20, 100} {
			r, err := recur.Compile(recur.Spec{RRule: tt.rule, First: civil.DateOf(2026-age, time.November, 1)})
			if err != nil {
				t.Fatal(err)
			}
			if !r.Fast() {
				t.Fatalf("%s: not on the fast path", tt.rule)
			}
			dates, st, err := r.AppendBetweenStats(nil, from, to, 0)
			if err != nil || len(dates) == 0 {
				t.Fatalf("%s, %d years: %v, %v", tt.rule, age, dates, err)
			}
			if st.Periods > tt.periods || st.Candidates > 31 {
				t.Errorf("%s, %d years, one month: %d periods and %d days visited, want at most %d and 31",
					tt.rule, age, st.Periods, st.Candidates, tt.periods)
			}
			if i == 0 {
				base = st
			} else if d := st.Periods - base.Periods; d < -1 || d > 1 {
				t.Errorf("%s: %d years old visits %+v, a new rule %+v", tt.rule, age, st, base)
			}
		}
	}
}

// TestGuardRecurWeeknoWorkIsFlat: BYWEEKNO rules, once expanded by
// rrule-go from DTSTART on every query, seek like the others: a month's
// window of a yearly rule visits one year and only the month's days
// whether the rule is new or 400 years old, and the same ones at every age.
func TestGuardRecurWeeknoWorkIsFlat(t *testing.T) {
	from, to := civil.DateOf(2026, time.December, 1), civil.DateOf(2027, time.January, 1)
	work := func(rule string, age int) recur.Stats {
		r, err := recur.Compile(recur.Spec{RRule: rule, First: civil.DateOf(2026-age, time.January, 1)})
		if err != nil {
			t.Fatal(err)
		}
		if !r.Fast() {
			t.Fatalf("%s: not on the fast path", rule)
		}
		dates, st, err := r.AppendBetweenStats(nil, from, to, 0)
		if err != nil || len(dates) == 0 {
			t.Fatalf("%s, %d years: %v, %v", rule, age, dates, err)
		}
		return st
	}
	for _, tt := range []struct {
		rule string
		days int // most days tested
	}{
		{"FREQ=YEARLY;BYWEEKNO=50,51;BYDAY=MO,FR", 31},
		// BYSETPOS needs the year's whole set: January and December.
		{"FREQ=YEARLY;BYWEEKNO=1,-1;BYDAY=MO,SU;WKST=SU;BYSETPOS=1,-1", 62},
		{"FREQ=YEARLY;INTERVAL=2;BYWEEKNO=53;BYDAY=TH", 31},
	} {
		young := work(tt.rule, 0)
		if young.Periods != 1 || young.Candidates > tt.days {
			t.Errorf("%s, one month: %+v, want 1 year and at most %d days", tt.rule, young, tt.days)
		}
		for _, age := range []int{2, 6, 20, 100, 400} {
			if old := work(tt.rule, age); old != young {
				t.Errorf("%s: %d years old visits %+v, a new rule %+v", tt.rule, age, old, young)
			}
		}
	}
}

// TestGuardRecurAllocs: with a dst of enough capacity, AppendBetween, Next
// and Prev allocate nothing on the fast path, and neither does turning the
// occurrences into instants.
func TestGuardRecurAllocs(t *testing.T) {
	if race.Enabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	paris, err := tz.Load("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	from, to := civil.DateOf(2026, time.December, 1), civil.DateOf(2027, time.January, 1)
	nine := civil.MakeTimeOfDay(9, 0, 0)
	for _, tt := range recurGuardRules {
		r, err := recur.Compile(recur.Spec{RRule: tt.rule, First: civil.DateOf(2021, time.November, 1), Start: nine, Zone: paris})
		if err != nil {
			t.Fatal(err)
		}
		dst := make([]civil.Date, 0, 64)
		unix := make([]int64, 0, 64)
		checks := map[string]func(){
			"AppendBetween": func() {
				dst, _ = r.AppendBetween(dst[:0], from, to, 0)
				unix = unix[:0]
				for _, d := range dst {
					unix = append(unix, paris.Instant(d, nine))
				}
			},
			"AppendBetween/limit": func() { dst, _ = r.AppendBetween(dst[:0], from, to, 40) },
			"Next":                func() { d, _ := r.Next(from); dst = append(dst[:0], d) },
			"Prev":                func() { d, _ := r.Prev(to); dst = append(dst[:0], d) },
		}
		for name, f := range checks {
			if n := testing.AllocsPerRun(50, f); n != 0 {
				t.Errorf("%s: %s allocates %v times", tt.rule, name, n)
			}
		}
	}
}

// The guard rules must mean what their names say: checked once against the
// slow path's answer, rrule-go, in the same window.
func TestGuardRecurRulesMatchRRuleGo(t *testing.T) {
	from, to := civil.DateOf(2026, time.December, 1), civil.DateOf(2027, time.January, 1)
	for _, tt := range recurGuardRules {
		if err := newRecurCase(t, tt.rule, 5, from, to).check(); err != nil {
			t.Error(fmt.Errorf("%s: %w", tt.name, err))
		}
	}
}
