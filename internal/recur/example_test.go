package recur_test

import (
	"fmt"
	"time"
	_ "time/tzdata"

	"github.com/crossagenda/crossagenda/internal/civil"
	"github.com/crossagenda/crossagenda/internal/recur"
	"github.com/crossagenda/crossagenda/internal/tz"
)

// A fortnightly opening created in 2021, expanded over December 2026: the
// query starts at the first active week of the window, not at 2021, and
// visits only the two active weeks (2026-11-30 is 273 weeks after
// 2021-09-06, an odd number, so that week is off). python-dateutil lists
// the same four dates.
func ExampleRule_AppendBetween() {
	r, err := recur.Compile(recur.Spec{
		RRule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH",
		First: civil.DateOf(2021, time.September, 6),
		Start: civil.MakeTimeOfDay(9, 0, 0),
	})
	if err != nil {
		panic(err)
	}
	dst := make([]civil.Date, 0, 16)
	dst, st, err := r.AppendBetweenStats(dst, civil.DateOf(2026, time.December, 1), civil.DateOf(2027, time.January, 1), 0)
	fmt.Println(dst, err)
	fmt.Println("weeks visited:", st.Periods, "fast:", r.Fast())
	// Output:
	// [2026-12-07 2026-12-10 2026-12-21 2026-12-24] <nil>
	// weeks visited: 2 fast: true
}

// Week numbers are ISO 8601's, weeks starting on WKST (Monday here): the
// Monday and Sunday of week 1, each year. 2025-12-29 is the Monday of week
// 1 of 2026 and belongs to 2025's occurrences; 2027-01-03 is in week 53 of
// 2026, so week 1 of 2027 starts on 2027-01-04.
func ExampleRule_AppendBetween_weekNumbers() {
	r, err := recur.Compile(recur.Spec{RRule: "FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO,SU", First: civil.DateOf(2025, time.January, 1)})
	if err != nil {
		panic(err)
	}
	dst, st, err := r.AppendBetweenStats(nil, civil.DateOf(2025, time.December, 1), civil.DateOf(2027, time.February, 1), 0)
	fmt.Println(dst, err)
	fmt.Println("years visited:", st.Periods, "fast:", r.Fast())
	// Output:
	// [2025-12-29 2026-01-04 2027-01-04 2027-01-10] <nil>
	// years visited: 3 fast: true
}

// Occurrences are dates; the zone turns each into an instant. A daily
// 02:30 in Paris falls in the gap of 2026-03-29 and is read with the winter
// offset, so it happens at 03:30 CEST that day.
func ExampleRule_Between() {
	paris, err := tz.Load("Europe/Paris")
	if err != nil {
		panic(err)
	}
	at := civil.MakeTimeOfDay(2, 30, 0)
	r, err := recur.Compile(recur.Spec{RRule: "FREQ=DAILY", First: civil.DateOf(2026, time.January, 1), Start: at, Zone: paris})
	if err != nil {
		panic(err)
	}
	for d := range r.Between(civil.DateOf(2026, time.March, 28), civil.DateOf(2026, time.March, 31)) {
		fmt.Println(d, time.Unix(paris.Instant(d, at), 0).In(paris.Location()).Format("15:04 MST"))
	}
	// Output:
	// 2026-03-28 02:30 CET
	// 2026-03-29 03:30 CEST
	// 2026-03-30 02:30 CEST
}

// The last Friday of every month, ten times: COUNT is expanded once by
// Compile, so Bounds knows the last occurrence.
func ExampleRule_Bounds() {
	r, err := recur.Compile(recur.Spec{RRule: "FREQ=MONTHLY;BYDAY=-1FR;COUNT=10", First: civil.DateOf(2026, time.January, 1)})
	if err != nil {
		panic(err)
	}
	first, last, bounded := r.Bounds()
	fmt.Println(first, last, bounded)
	next, ok := r.Next(civil.DateOf(2026, time.July, 1))
	fmt.Println(next, ok)
	// Output:
	// 2026-01-30 2026-10-30 true
	// 2026-07-31 true
}

func ExampleCompile_error() {
	_, err := recur.Compile(recur.Spec{RRule: "FREQ=MONTHLY;BYMONTHDAY=32", First: civil.DateOf(2026, time.January, 1)})
	fmt.Println(err)
	// Output: recur: rrule "FREQ=MONTHLY;BYMONTHDAY=32": BYMONTHDAY=32: value "32": want 1..31 or -31..-1
}
