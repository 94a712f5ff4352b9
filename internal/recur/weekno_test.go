package recur

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/teambition/rrule-go"

	"github.com/crossagenda/crossagenda/internal/civil"
)

// Week numbers worked out by hand from the definition (weeks from WKST,
// week 1 holding four days of its year): 2026 starts on a Thursday and has
// 53 ISO weeks, W53 running from 2026-12-28 to 2027-01-03; 2020 (a leap
// year from a Wednesday) has 53 too; 2021 to 2025 and 2027, 2028 have 52.
// With weeks from Sunday, week 1 of 2026 starts on 2026-01-04 and week 1 of
// 2027 on 2027-01-03, so 2026 has 52 weeks.
func TestWeeknoExamples(t *testing.T) {
	tests := []struct {
		name, rule, first, from, to, want string
	}{
		{"week 1 across New Year", "FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO,SU", "2025-06-01", "2025-06-01", "2027-02-01",
			// 2025-12-29 is in W01 of 2026, in 2025's set; 2027-01-03 is in W53 of 2026.
			"2025-12-29 2026-01-04 2027-01-04 10"},
		{"week 1 from Sunday", "FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO,SU;WKST=SU", "2025-06-01", "2025-06-01", "2027-02-01",
			"2026-01-04 05 2027-01-03 04"},
		{"week 53", "FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO,TU,WE,TH,FR,SA,SU", "2020-01-01", "2020-01-01", "2028-01-01",
			"2020-12-28 29 30 31 2021-01-01 02 03 2026-12-28 29 30 31 2027-01-01 02 03"},
		{"week 53 from Sunday", "FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO,TU,WE,TH,FR,SA,SU;WKST=SU", "2025-06-01", "2025-06-01", "2028-01-01",
			// From Sunday, 2025 has 53 weeks and 2026 52.
			"2025-12-28 29 30 31 2026-01-01 02 03"},
		{"week 53, DTSTART's weekday", "FREQ=YEARLY;BYWEEKNO=53", "2020-12-31", "2020-01-01", "2033-01-01",
			"2020-12-31 2026-12-31 2032-12-30"},
		{"last week's Sunday", "FREQ=YEARLY;BYWEEKNO=-1;BYDAY=SU", "2025-01-01", "2025-01-01", "2029-01-01",
			// None in 2026's set, two in 2028's.
			"2025-12-28 2027-01-03 2028-01-02 12-31"},
		{"last week's Sunday, first of the year", "FREQ=YEARLY;BYWEEKNO=-1;BYDAY=SU;BYSETPOS=1", "2025-01-01", "2025-01-01", "2029-01-01",
			"2025-12-28 2027-01-03 2028-01-02"},
		{"last week's Sunday, last of the year", "FREQ=YEARLY;BYWEEKNO=-1;BYDAY=SU;BYSETPOS=-1", "2025-01-01", "2025-01-01", "2029-01-01",
			"2025-12-28 2027-01-03 2028-12-31"},
		{"week 1 counted back", "FREQ=YEARLY;BYWEEKNO=-53;BYDAY=MO,TU,WE,TH,FR,SA,SU", "2025-01-01", "2025-01-01", "2027-01-01",
			"2025-12-29 30 31 2026-01-01 02 03 04"},
		{"week 52 holds 2022-01-01", "FREQ=YEARLY;BYWEEKNO=52;BYDAY=SA,SU", "2021-01-01", "2021-06-01", "2022-06-01",
			"2022-01-01 02"},
		{"RFC 5545 week 20 Monday", "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", "1997-05-12", "1997-01-01", "2000-01-01",
			"1997-05-12 1998-05-11 1999-05-17"},
		{"DTSTART's weekday", "FREQ=YEARLY;BYWEEKNO=20", "1997-05-12", "1997-01-01", "2000-01-01",
			"1997-05-12 1998-05-11 1999-05-17"},
		{"BYMONTHDAY, no default weekday", "FREQ=YEARLY;BYWEEKNO=1;BYMONTHDAY=1", "2024-01-01", "2024-01-01", "2030-01-01",
			"2024-01-01 2025-01-01 2026-01-01 2029-01-01"},
		{"BYMONTH limits", "FREQ=YEARLY;BYWEEKNO=1,53;BYMONTH=1;BYDAY=FR,SA", "2020-01-01", "2020-01-01", "2028-01-01",
			// Week 1's, and week 53's of 2020 and 2026, January Fridays and Saturdays.
			"2020-01-03 04 2021-01-01 02 08 09 2022-01-07 08 2023-01-06 07 2024-01-05 06 2025-01-03 04 2026-01-02 03 2027-01-01 02 08 09"},
		{"every third year, COUNT", "FREQ=YEARLY;INTERVAL=3;BYWEEKNO=1;BYDAY=MO;COUNT=4", "2025-01-01", "2020-01-01", "2100-01-01",
			// Week 1's Monday falls in December in 2025 and 2031 (2026's and 2032's week 1).
			"2025-12-29 2028-01-03 2031-12-29 2034-01-02"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustCompile(t, Spec{RRule: tt.rule, First: d(tt.first)})
			var want []civil.Date
			if tt.want != "" {
				want = dates(tt.want)
			}
			if got := expand(t, r, d(tt.from), d(tt.to)); !sameDates(got, want) {
				t.Errorf("%s\n got %v\nwant %v", tt.rule, got, want)
			}
		})
	}
}

// The week-number rules where this package departs from dateutil and
// rrule-go (doc.go lists them), held as facts: ours is the definition's
// answer, theirs what they return today (rrule-go always, dateutil when
// python3 has it). A change on their side fails here, to be looked at.
func TestWeeknoDivergences(t *testing.T) {
	tests := []struct {
		name, rule, first, from, to, ours, theirs string
	}{
		{"no BYDAY: DTSTART's weekday, not the whole week", "FREQ=YEARLY;BYWEEKNO=20", "1997-05-12", "1997-01-01", "1998-01-01",
			"1997-05-12", "1997-05-12 13 14 15 16 17 18"},
		// They count 53 weeks in 2021 when deciding about 2022-01-01 and 02,
		// which are in week 52 of 2021.
		{"2022-01-01 is in week 52", "FREQ=YEARLY;BYWEEKNO=52;BYDAY=SA,SU", "2021-01-01", "2021-06-01", "2022-06-01",
			"2022-01-01 02", ""},
		{"2022-01-01 is not in week 53", "FREQ=YEARLY;BYWEEKNO=53;BYDAY=SA,SU", "2021-01-01", "2021-06-01", "2022-06-01",
			"", "2022-01-01 02"},
		// They match December days in the next year's week 1 by BYWEEKNO=1
		// only ("TODO: Check -numweeks for next year").
		{"week 1 of 2026 counted back", "FREQ=YEARLY;BYWEEKNO=-53;BYDAY=MO,TU,WE,TH,FR,SA,SU", "2025-01-01", "2025-01-01", "2027-01-01",
			"2025-12-29 30 31 2026-01-01 02 03 04", "2026-01-01 02 03 04"},
	}
	list := func(s string) []civil.Date {
		if s == "" {
			return nil
		}
		return dates(s)
	}
	for _, tt := range tests {
		r := mustCompile(t, Spec{RRule: tt.rule, First: d(tt.first), Start: 9 * 3600})
		if got := expand(t, r, d(tt.from), d(tt.to)); !sameDates(got, list(tt.ours)) {
			t.Errorf("%s: %s\n got %v\nwant %v", tt.name, tt.rule, got, list(tt.ours))
		}
	}
	t.Run("rrule-go", func(t *testing.T) {
		for _, tt := range tests {
			o, err := rrule.StrToROption(tt.rule)
			if err != nil {
				t.Fatal(err)
			}
			o.Dtstart = dateTime(d(tt.first)).Add(9 * time.Hour)
			rr, err := rrule.NewRRule(*o)
			if err != nil {
				t.Fatal(err)
			}
			var got []civil.Date
			for _, x := range rr.Between(dateTime(d(tt.from)), dateTime(d(tt.to)), false) {
				got = append(got, timeDate(x))
			}
			if !sameDates(got, list(tt.theirs)) {
				t.Errorf("%s: %s: rrule-go now returns %v, not %v", tt.name, tt.rule, got, list(tt.theirs))
			}
		}
	})
	t.Run("dateutil", func(t *testing.T) {
		py := lookDateutil(t)
		var cases []dateutilCase
		for _, tt := range tests {
			cases = append(cases, dateutilCase{Rule: tt.rule, DTStart: tt.first + "T09:00:00", From: tt.from, To: tt.to})
		}
		for i, res := range runDateutil(t, py, cases) {
			var got []civil.Date
			for _, s := range res.Dates {
				got = append(got, d(s))
			}
			if res.Error != "" || !sameDates(got, list(tests[i].theirs)) {
				t.Errorf("%s: %s: dateutil now returns %v %s, not %v", tests[i].name, tests[i].rule, got, res.Error, list(tests[i].theirs))
			}
		}
	})
}

// checkQueries compares every query of r on [from, to) with want, the
// answer of ref, and reports the first difference.
func checkQueries(t *testing.T, g *genRule, r *Rule, from, to civil.Date, want []civil.Date, ref string) {
	t.Helper()
	got, err := r.AppendBetween(nil, from, to, 0)
	if err != nil || !sameDates(got, want) {
		t.Fatalf("%v\nwindow [%s, %s)\n got %s %v\nwant %s (%s)", g, from, to, datesString(got), err, datesString(want), ref)
	}
	var seq []civil.Date
	for d := range r.Between(from, to) {
		seq = append(seq, d)
	}
	if !sameDates(seq, want) {
		t.Fatalf("%v\nwindow [%s, %s): Between %s, want %s (%s)", g, from, to, datesString(seq), datesString(want), ref)
	}
	if from >= to {
		return
	}
	nd, ok := r.Next(from)
	if len(want) > 0 && (!ok || nd != want[0]) {
		t.Fatalf("%v: Next(%s) = %s, %v; want %s (%s)", g, from, nd, ok, want[0], ref)
	}
	if len(want) == 0 && ok && nd < to {
		t.Fatalf("%v: Next(%s) = %s, but %s has nothing before %s", g, from, nd, ref, to)
	}
	pd, ok := r.Prev(to)
	if len(want) > 0 && (!ok || pd != want[len(want)-1]) {
		t.Fatalf("%v: Prev(%s) = %s, %v; want %s (%s)", g, to, pd, ok, want[len(want)-1], ref)
	}
	if len(want) == 0 && ok && pd >= from {
		t.Fatalf("%v: Prev(%s) = %s, but %s has nothing from %s", g, to, pd, ref, from)
	}
}

// TestWeeknoAgainstOracle holds random BYWEEKNO rules (newWeeknoRule) to
// the slow oracle on windows across New Years up to 35 years after
// DTSTART, and their Bounds to the oracle's first and last occurrences.
func TestWeeknoAgainstOracle(t *testing.T) {
	seeds, rules := 6, 300
	if testing.Short() {
		seeds, rules = 2, 80
	}
	for seed := range seeds {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(uint64(seed), 0x3eec))
			for range rules {
				g := newWeeknoRule(rng)
				r, err := Compile(g.spec())
				if err != nil {
					t.Fatalf("%v: %v", g, err)
				}
				if !r.Fast() {
					t.Fatalf("%v: not on the fast path", g)
				}
				for range 4 {
					from, to := weeknoWindow(rng, g)
					checkQueries(t, g, r, from, to, weeknoOracle(g, from, to, false), "oracle")
				}
				// Bounds: the first occurrence within 60 years and, for a
				// rule that ends well within them, the last.
				horizon := civil.DateOf(g.first.Year()+60, time.January, 1)
				all := weeknoOracle(g, minDate, horizon, false)
				first, last, bounded := r.Bounds()
				switch {
				case len(all) == 0 && first <= last && first < horizon:
					t.Fatalf("%v: Bounds %s..%s %v, the oracle has nothing before %s", g, first, last, bounded, horizon)
				case len(all) > 0 && first != all[0]:
					t.Fatalf("%v: Bounds first %s, the oracle %s", g, first, all[0])
				case len(all) > 0 && bounded && last < horizon-40*366 && last != all[len(all)-1]:
					t.Fatalf("%v: Bounds last %s, the oracle %s", g, last, all[len(all)-1])
				}
			}
		})
	}
}
