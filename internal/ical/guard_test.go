package ical

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/crossagenda/crossagenda/internal/civil"
	"github.com/crossagenda/crossagenda/internal/race"
	"github.com/crossagenda/crossagenda/internal/recur"
)

// TestExpansionIgnoresAge holds the seeking expansion: a month of a daily
// series costs the same allocations whether the series began this month or
// fifty years ago, and about the same time (the margin is generous: a walk
// from DTSTART would take some 600 times as long at fifty years).
func TestExpansionIgnoresAge(t *testing.T) {
	if testing.Short() || race.Enabled {
		t.Skip("timing guard: not under -short or -race")
	}
	from := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC).Unix()
	to := from + 31*86400
	cals := map[int]*Calendar{}
	for _, age := range []int{0, 50} {
		start := time.Date(2026-age, 12, 1, 9, 0, 0, 0, time.UTC).Format("20060102T150405Z")
		c, err := Parse(strings.NewReader(cal(event("UID:d", "DTSTART:"+start, "DURATION:PT30M", "RRULE:FREQ=DAILY", "EXDATE:20261205T090000Z"))), Options{Name: "c"})
		if err != nil {
			t.Fatal(err)
		}
		cals[age] = c
	}
	dst := make([]Occurrence, 0, 64)
	run := func(c *Calendar) {
		var err error
		if dst, err = c.AppendBetween(dst[:0], from, to, 0); err != nil || len(dst) != 30 {
			panic(fmt.Sprint(len(dst), err))
		}
	}
	a0 := testing.AllocsPerRun(100, func() { run(cals[0]) })
	a50 := testing.AllocsPerRun(100, func() { run(cals[50]) })
	if a0 != a50 {
		t.Errorf("allocations: %v at age 0, %v at age 50", a0, a50)
	}
	best := map[int]time.Duration{0: time.Hour, 50: time.Hour}
	for range 5 { // interleaved rounds, the best of each
		for _, age := range []int{0, 50} {
			t0 := time.Now()
			for range 200 {
				run(cals[age])
			}
			best[age] = min(best[age], time.Since(t0))
		}
	}
	ratio := float64(best[50]) / float64(best[0])
	t.Logf("age 50 / age 0: %.2f (%v, %v per 200 expansions); %v allocations each", ratio, best[50], best[0], a0)
	if ratio > 5 {
		t.Errorf("a 50-year-old series takes %.1f times as long as a new one (%v, %v per 200)", ratio, best[50], best[0])
	}
}

// TestSeveralTimesADayIgnoresAge holds the seeking expansion for rules
// with several instances a day (BYHOUR and BYMINUTE, FREQ=HOURLY and
// MINUTELY): a week of instances costs the same allocations and the same
// rule work (periods and candidate days) whether the series began this
// week or five years ago.
func TestSeveralTimesADayIgnoresAge(t *testing.T) {
	t.Run("BYHOUR", func(t *testing.T) {
		timesIgnoreAge(t, "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9,14;BYMINUTE=0,30", 20)
	})
	// Every third hour from 09:00 on the wall clock, 8 a day: 03:00 to
	// 21:00 on the 8th, all of the 9th to 14th, 00:00 on the 15th.
	t.Run("HOURLY", func(t *testing.T) { timesIgnoreAge(t, "FREQ=HOURLY;INTERVAL=3", 56) })
	t.Run("MINUTELY", func(t *testing.T) { timesIgnoreAge(t, "FREQ=MINUTELY;INTERVAL=20;BYHOUR=9,10;BYDAY=MO", 6) })
}

// timesIgnoreAge expands the week from Tuesday 2026-12-08 00:00Z of rule,
// started on Monday 2026-12-07 09:00 in Paris and five years earlier.
func timesIgnoreAge(t *testing.T, rule string, want int) {
	from := time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC).Unix()
	to := from + 7*86400
	var allocs []float64
	var stats []recur.Stats
	for _, age := range []int{0, 5} {
		start := time.Date(2026-age, 12, 7, 9, 0, 0, 0, time.UTC).Format("20060102T150405")
		c, err := Parse(strings.NewReader(cal(event("UID:h", "DTSTART;TZID=Europe/Paris:"+start, "DURATION:PT15M",
			"RRULE:"+rule))), Options{Name: "c"})
		if err != nil {
			t.Fatal(err)
		}
		dst := make([]Occurrence, 0, 256)
		allocs = append(allocs, testing.AllocsPerRun(50, func() {
			if dst, err = c.AppendBetween(dst[:0], from, to, 0); err != nil || len(dst) != want {
				panic(fmt.Sprint(len(dst), err))
			}
		}))
		lo := civil.DateOf(2026, time.December, 8)
		_, st, err := c.series[0].ev.rule.AppendBetweenStats(nil, lo, lo+7, 0)
		if err != nil {
			t.Fatal(err)
		}
		stats = append(stats, st)
	}
	if allocs[0] != allocs[1] || stats[0] != stats[1] {
		t.Errorf("new series: %v allocations, %+v; five years old: %v allocations, %+v", allocs[0], stats[0], allocs[1], stats[1])
	}
	t.Logf("%v allocations and %+v either way", allocs[0], stats[0])
}
