package recur

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/crossagenda/crossagenda/internal/civil"
	"github.com/crossagenda/crossagenda/internal/tz"
)

func mustCompile(t *testing.T, s Spec) *Rule {
	t.Helper()
	r, err := Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func expand(t *testing.T, r *Rule, from, to civil.Date) []civil.Date {
	t.Helper()
	got, err := r.AppendBetween(nil, from, to, 0)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestUntilForms(t *testing.T) {
	paris, err := tz.Load("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		rule  string
		start civil.TimeOfDay
		zone  *tz.Zone
		last  string
	}{
		// A DATE includes its whole day (dateutil and rrule-go would stop
		// on 2026-12-30, reading it as 00:00).
		{"date", "FREQ=DAILY;UNTIL=20261231", 9 * 3600, nil, "2026-12-31"},
		{"floating after start", "FREQ=DAILY;UNTIL=20261231T090000", 9 * 3600, nil, "2026-12-31"},
		{"floating before start", "FREQ=DAILY;UNTIL=20261231T085959", 9 * 3600, nil, "2026-12-30"},
		// 09:00 in Paris in winter is 08:00Z.
		{"UTC Paris equal", "FREQ=DAILY;UNTIL=20261231T080000Z", 9 * 3600, paris, "2026-12-31"},
		{"UTC Paris before", "FREQ=DAILY;UNTIL=20261231T075959Z", 9 * 3600, paris, "2026-12-30"},
		// In summer 09:00 is 07:00Z.
		{"UTC Paris summer", "FREQ=DAILY;UNTIL=20260701T070000Z", 9 * 3600, paris, "2026-07-01"},
		{"UTC Paris summer before", "FREQ=DAILY;UNTIL=20260701T065959Z", 9 * 3600, paris, "2026-06-30"},
		// 23:30 in Paris is the previous UTC day's 22:30 (winter).
		{"UTC crossing midnight", "FREQ=DAILY;UNTIL=20261231T223000Z", 23*3600 + 1800, paris, "2026-12-31"},
		{"UTC crossing midnight before", "FREQ=DAILY;UNTIL=20261231T222959Z", 23*3600 + 1800, paris, "2026-12-30"},
		// 02:30 on 2026-03-29 does not exist in Paris: it is 01:30Z.
		{"UTC on a DST gap", "FREQ=DAILY;UNTIL=20260329T013000Z", 2*3600 + 1800, paris, "2026-03-29"},
		{"UTC on a DST gap before", "FREQ=DAILY;UNTIL=20260329T012959Z", 2*3600 + 1800, paris, "2026-03-28"},
		{"UTC without zone is UTC", "FREQ=DAILY;UNTIL=20261231T090000Z", 9 * 3600, nil, "2026-12-31"},
	}
	for _, tt := range tests {
		r := mustCompile(t, Spec{RRule: tt.rule, First: d("2026-01-01"), Start: tt.start, Zone: tt.zone})
		first, last, bounded := r.Bounds()
		if first != d("2026-01-01") || last != d(tt.last) || !bounded {
			t.Errorf("%s: %s: Bounds %s..%s %v, want last %s", tt.name, tt.rule, first, last, bounded, tt.last)
		}
		if got := expand(t, r, d(tt.last)-2, d(tt.last)+5); !sameDates(got, []civil.Date{d(tt.last) - 2, d(tt.last) - 1, d(tt.last)}) {
			t.Errorf("%s: tail %v", tt.name, got)
		}
	}
}

func TestSpecUntilAndEmptyRule(t *testing.T) {
	r := mustCompile(t, Spec{RRule: "FREQ=WEEKLY;BYDAY=MO,WE", First: d("2026-03-02"), Until: d("2026-03-16"), HasUntil: true})
	if got, want := expand(t, r, 0, d("2100-01-01")), dates("2026-03-02 04 09 11 16"); !sameDates(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	// COUNT counts rule occurrences; Spec.Until then cuts.
	r = mustCompile(t, Spec{RRule: "FREQ=DAILY;COUNT=5", First: d("2026-03-02"), Until: d("2026-03-04"), HasUntil: true})
	if first, last, _ := r.Bounds(); first != d("2026-03-02") || last != d("2026-03-04") {
		t.Errorf("Bounds %s..%s", first, last)
	}
	// The empty rule is one occurrence on First.
	r = mustCompile(t, Spec{First: d("2026-03-02")})
	if first, last, bounded := r.Bounds(); first != d("2026-03-02") || last != first || !bounded || !r.Fast() {
		t.Errorf("single: Bounds %s..%s %v", first, last, bounded)
	}
	if got := expand(t, r, 0, d("2100-01-01")); !sameDates(got, dates("2026-03-02")) {
		t.Errorf("single: %v", got)
	}
	// A Spec.Until beyond the calendar is no bound at all.
	r = mustCompile(t, Spec{RRule: "FREQ=YEARLY", First: d("2026-03-02"), Until: 1<<31 - 1, HasUntil: true})
	if got := expand(t, r, d("9998-01-01"), maxDate+1); !sameDates(got, dates("9998-03-02 9999-03-02")) {
		t.Errorf("huge Spec.Until: %v", got)
	}
	// Spec.Until before First leaves nothing.
	r = mustCompile(t, Spec{RRule: "FREQ=DAILY", First: d("2026-03-02"), Until: d("2026-03-01"), HasUntil: true})
	if first, last, _ := r.Bounds(); first <= last {
		t.Errorf("until before first: Bounds %s..%s", first, last)
	}
}

// Rules that can never match compile to empty rules after one calendar
// cycle, and sparse rules find their next occurrence across gaps of years.
func TestEmptyAndSparseRules(t *testing.T) {
	for _, rule := range []string{
		"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
		"FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=4,6,9,11",
		"FREQ=DAILY;INTERVAL=7;BYDAY=MO", // from a Tuesday
		"FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6",
		"FREQ=YEARLY;BYYEARDAY=366;BYMONTH=1",
		"FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;BYMONTH=2;WKST=MO",
		"FREQ=MONTHLY;BYDAY=-6MO", // rrule-go panics on this one
		"FREQ=YEARLY;BYMONTH=12;BYDAY=10MO",
	} {
		r := mustCompile(t, Spec{RRule: rule, First: d("2026-03-03")})
		if rule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;BYMONTH=2;WKST=MO" {
			// Not empty: every other week has a February Monday eventually.
			if n, ok := r.Next(d("2026-03-03")); !ok || n.Weekday() != 1 {
				t.Errorf("%s: Next = %s %v", rule, n, ok)
			}
			continue
		}
		first, last, bounded := r.Bounds()
		if first <= last || !bounded {
			t.Errorf("%s: Bounds %s..%s %v, want empty", rule, first, last, bounded)
		}
		if n, ok := r.Next(0); ok {
			t.Errorf("%s: Next = %s", rule, n)
		}
		if got := expand(t, r, 0, maxDate+1); len(got) != 0 {
			t.Errorf("%s: %v", rule, got)
		}
	}
	tests := []struct {
		rule, first, from, want string
	}{
		{"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "2096-02-29", "2096-03-01", "2104-02-29"},
		{"FREQ=YEARLY", "2096-02-29", "2096-03-01", "2104-02-29"},
		{"FREQ=DAILY;INTERVAL=2;BYMONTH=2;BYMONTHDAY=29", "2000-02-29", "2000-03-01", "2008-02-29"},
		{"FREQ=MONTHLY", "2026-01-31", "2026-02-01", "2026-03-31"},
		{"FREQ=MONTHLY;BYMONTHDAY=-1", "2026-01-31", "2026-02-01", "2026-02-28"},
	}
	for _, tt := range tests {
		r := mustCompile(t, Spec{RRule: tt.rule, First: d(tt.first)})
		if n, ok := r.Next(d(tt.from)); !ok || n != d(tt.want) {
			t.Errorf("%s from %s: Next(%s) = %s %v, want %s", tt.rule, tt.first, tt.from, n, ok, tt.want)
		}
		if p, ok := r.Prev(d(tt.want)); !ok || p != d(tt.first) {
			t.Errorf("%s: Prev(%s) = %s %v, want %s", tt.rule, tt.want, p, ok, tt.first)
		}
	}
}

// A BYDAY list mixing plain and ordinal weekdays is their union (RFC 5545);
// dateutil and rrule-go intersect the two kinds and yield nothing.
func TestMixedBYDAYIsAUnion(t *testing.T) {
	r := mustCompile(t, Spec{RRule: "FREQ=MONTHLY;BYDAY=FR,1TU", First: d("2026-03-01")})
	want := dates("2026-03-03 06 13 20 27 04-03 07 10 17 24")
	if got := expand(t, r, d("2026-03-01"), d("2026-04-25")); !sameDates(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	r = mustCompile(t, Spec{RRule: "FREQ=YEARLY;BYDAY=1MO,-1FR,SU;BYMONTH=5", First: d("2026-01-01")})
	want = dates("2026-05-03 04 10 17 24 29 31")
	if got := expand(t, r, d("2026-01-01"), d("2027-01-01")); !sameDates(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestTooManyOccurrences(t *testing.T) {
	r := mustCompile(t, Spec{RRule: "FREQ=DAILY", First: d("2026-01-01")})
	got, err := r.AppendBetween(nil, d("2026-01-01"), d("2026-01-11"), 10)
	if err != nil || len(got) != 10 {
		t.Fatalf("exactly max: %d, %v", len(got), err)
	}
	got, err = r.AppendBetween(nil, d("2026-01-01"), d("2026-01-12"), 10)
	if !errors.Is(err, ErrTooManyOccurrences) || len(got) != 10 {
		t.Fatalf("max+1: %d, %v", len(got), err)
	}
	want := `recur: rrule "FREQ=DAILY": more than 10 occurrences in [2026-01-01, 2026-01-12): too many occurrences`
	if err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
}

// The year bounds: a rule stops at 9999-12-31, COUNT included, and a rule
// may start on 0001-01-01.
func TestCalendarEdges(t *testing.T) {
	r := mustCompile(t, Spec{RRule: "FREQ=YEARLY;COUNT=5", First: d("9998-06-01")})
	if first, last, _ := r.Bounds(); first != d("9998-06-01") || last != d("9999-06-01") {
		t.Errorf("COUNT past 9999: Bounds %s..%s", first, last)
	}
	r = mustCompile(t, Spec{RRule: "FREQ=DAILY", First: d("9999-12-30")})
	if got := expand(t, r, 0, maxDate+1000); !sameDates(got, dates("9999-12-30 31")) {
		t.Errorf("to 9999: %v", got)
	}
	r = mustCompile(t, Spec{RRule: "FREQ=WEEKLY;BYDAY=MO", First: d("0001-01-01")})
	if got := expand(t, r, minDate, d("0001-01-16")); !sameDates(got, dates("0001-01-01 08 15")) {
		t.Errorf("year 1: %v", got)
	}
	if n, ok := r.Next(d("2026-03-03")); !ok || n != d("2026-03-09") {
		t.Errorf("year 1 rule, Next in 2026: %s %v", n, ok)
	}
	r = mustCompile(t, Spec{RRule: "FREQ=DAILY;INTERVAL=1000000", First: d("2026-03-03")})
	if got := expand(t, r, 0, maxDate+1); !sameDates(got, dates("2026-03-03 4764-01-29 7501-12-26")) {
		t.Errorf("huge interval: %v", got)
	}
}

// A Rule is shared by many goroutines, BYWEEKNO and BYSETPOS included; run
// with -race to check that no query writes shared state.
func TestConcurrentQueries(t *testing.T) {
	rules := []*Rule{
		mustCompile(t, Spec{RRule: "FREQ=WEEKLY;BYDAY=MO,TH", First: d("2021-01-04")}),
		mustCompile(t, Spec{RRule: "FREQ=YEARLY;BYWEEKNO=1,20;BYDAY=MO", First: d("2021-01-04")}),
		mustCompile(t, Spec{RRule: "FREQ=YEARLY;BYWEEKNO=1,-1;BYDAY=MO,SU;BYSETPOS=1,-1", First: d("2021-01-04")}),
	}
	want := make([][]civil.Date, len(rules))
	for i, r := range rules {
		want[i] = expand(t, r, d("2026-01-01"), d("2027-01-01"))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, r := range rules {
				for range 20 {
					got, _ := r.AppendBetween(nil, d("2026-01-01"), d("2027-01-01"), 0)
					if !sameDates(got, want[i]) {
						errs <- fmt.Errorf("goroutine %d rule %d: %v", g, i, got)
						return
					}
					for range r.Between(d("2026-01-01"), d("2026-02-01")) {
					}
					r.Next(d("2026-06-01"))
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestFastForEveryRule(t *testing.T) {
	for _, rule := range []string{
		"FREQ=DAILY",
		"FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TU",
		"FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1",
		"FREQ=YEARLY;BYYEARDAY=100;BYDAY=MO",
		"FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO",
		"FREQ=YEARLY;BYWEEKNO=-1;BYSETPOS=1;WKST=SU",
	} {
		if r := mustCompile(t, Spec{RRule: rule, First: d("2026-01-01")}); !r.Fast() {
			t.Errorf("%s: Fast() = false", rule)
		}
	}
}
