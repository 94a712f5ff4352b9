package agenda_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

// TestHostileRules feeds rules and windows that would explode a naive
// expander: each is answered within the limits or refused with an error
// naming the limit.
func TestHostileRules(t *testing.T) {
	ctx := context.Background()
	month := func() (time.Time, time.Time) { return at("2026-12-01 00:00"), at("2027-01-01 00:00") }

	t.Run("daily rule from 2000 costs a month", func(t *testing.T) {
		ds := oneAgent(30)
		ds.OpeningPeriods = []agenda.OpeningPeriod{opening("p1", "2000-01-01", "09:00", "12:00", "FREQ=DAILY")}
		ix, err := agenda.New(ds, agenda.WithLimits(agenda.Limits{MaxOccurrences: 40}))
		require.NoError(t, err)
		from, to := month()
		ag, err := ix.Agenda(ctx, "a1", from, to)
		require.NoError(t, err, "a month of a 27-year-old daily rule fits in 40 occurrences")
		assert.Len(t, ag.Events, 31)
	})

	t.Run("COUNT=1000000 is refused", func(t *testing.T) {
		ds := oneAgent(30)
		ds.OpeningPeriods = []agenda.OpeningPeriod{opening("p1", "2000-01-01", "09:00", "12:00", "FREQ=DAILY;COUNT=1000000")}
		_, err := agenda.New(ds)
		require.ErrorIs(t, err, agenda.ErrLimit)
		assert.Contains(t, err.Error(), `opening period "p1": rrule:`)
		assert.Contains(t, err.Error(), "Limits.MaxCount")
		_, err = agenda.New(ds, agenda.WithLimits(agenda.Limits{MaxCount: 1_000_000}))
		assert.NoError(t, err, "the limit can be raised")
	})

	t.Run("BYSETPOS puzzles", func(t *testing.T) {
		for _, rule := range []string{
			"FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",             // last weekday of the month
			"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",                       // never happens
			"FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",                       // Friday the 13th
			"FREQ=YEARLY;BYWEEKNO=53;BYDAY=TH;BYSETPOS=1",               // ISO week 53 only
			"FREQ=MONTHLY;BYMONTHDAY=31;BYSETPOS=2",                     // a second of one: never
			"FREQ=DAILY;INTERVAL=997;BYMONTH=2;BYMONTHDAY=29",           // leap days on a 997-day grid
			"FREQ=YEARLY;INTERVAL=400;BYMONTH=2;BYMONTHDAY=29;BYDAY=SU", // very rare
		} {
			ds := oneAgent(30)
			ds.OpeningPeriods = []agenda.OpeningPeriod{opening("p1", "2000-01-01", "09:00", "12:00", rule)}
			ix, err := agenda.New(ds)
			require.NoError(t, err, rule)
			from, to := at("2026-01-01 00:00"), at("2027-01-01 00:00")
			_, err = ix.Agenda(ctx, "a1", from, to)
			assert.NoError(t, err, rule)
			_, _, err = ix.NextAvailable(ctx, agenda.SlotQuery{ServiceID: "m1", Now: from, View: agenda.ViewAgent})
			assert.NoError(t, err, rule)
		}
	})

	t.Run("a 50-year window is refused", func(t *testing.T) {
		ds := oneAgent(30)
		ix, err := agenda.New(ds)
		require.NoError(t, err)
		_, err = ix.Agenda(ctx, "a1", at("2000-01-01 00:00"), at("2050-01-01 00:00"))
		var lerr *agenda.LimitError
		require.ErrorAs(t, err, &lerr)
		assert.Equal(t, "MaxWindow", lerr.Limit)
		_, err = ix.Slots(ctx, agenda.SlotQuery{ServiceID: "m1", From: at("2000-01-01 00:00"), To: at("2050-01-01 00:00"), Now: at("2000-01-01 00:00")})
		assert.ErrorIs(t, err, agenda.ErrLimit)
		_, err = ix.Common(ctx, agenda.CommonQuery{AgentIDs: []string{"a1"}, From: at("2000-01-01 00:00"), To: at("2050-01-01 00:00")})
		assert.ErrorIs(t, err, agenda.ErrLimit)
	})

	t.Run("thousands of overlapping openings", func(t *testing.T) {
		ds := oneAgent(30)
		for i := range 3000 {
			ds.OpeningPeriods = append(ds.OpeningPeriods, opening(fmt.Sprint("p", i), "2020-01-01", "08:00", "18:00", "FREQ=DAILY"))
		}
		ix, err := agenda.New(ds)
		require.NoError(t, err)
		from, to := month()
		slots, err := ix.Slots(ctx, agenda.SlotQuery{ServiceID: "m1", From: from, To: to, Now: from, View: agenda.ViewAgent})
		require.NoError(t, err)
		assert.Len(t, slots, 31*20, "overlapping openings merge: 20 half-hours a day")
		// A year of them is 1.1 million occurrences: over a lowered limit,
		// refused with the limit's name.
		ix, err = agenda.New(ds, agenda.WithLimits(agenda.Limits{MaxOccurrences: 500_000}))
		require.NoError(t, err)
		_, err = ix.Agenda(ctx, "a1", at("2026-01-01 00:00"), at("2027-01-01 00:00"))
		var lerr *agenda.LimitError
		require.ErrorAs(t, err, &lerr)
		assert.Equal(t, "MaxOccurrences", lerr.Limit)
	})

	t.Run("a million-agent group query is refused", func(t *testing.T) {
		ds := oneAgent(30)
		ix, err := agenda.New(ds)
		require.NoError(t, err)
		ids := make([]string, 1_000_000)
		for i := range ids {
			ids[i] = "a1"
		}
		_, err = ix.Common(ctx, agenda.CommonQuery{AgentIDs: ids, From: at("2026-12-01 00:00"), To: at("2026-12-02 00:00")})
		var lerr *agenda.LimitError
		require.ErrorAs(t, err, &lerr)
		assert.Equal(t, "MaxAgents", lerr.Limit)
	})

	t.Run("results are bounded", func(t *testing.T) {
		ds := oneAgent(5)
		ds.OpeningPeriods = []agenda.OpeningPeriod{opening("p1", "2020-01-01", "00:00", "24:00", "FREQ=DAILY")}
		ix, err := agenda.New(ds, agenda.WithLimits(agenda.Limits{MaxResults: 1000}))
		require.NoError(t, err)
		from, to := month()
		_, err = ix.Slots(ctx, agenda.SlotQuery{ServiceID: "m1", From: from, To: to, Now: from, View: agenda.ViewAgent})
		var lerr *agenda.LimitError
		require.ErrorAs(t, err, &lerr)
		assert.Equal(t, "MaxResults", lerr.Limit)
	})

	t.Run("dates outside the sane range", func(t *testing.T) {
		ds := oneAgent(30)
		ds.OpeningPeriods = []agenda.OpeningPeriod{opening("p1", "1900-01-01", "09:00", "12:00", "FREQ=DAILY")}
		_, err := agenda.New(ds)
		require.Error(t, err)
		assert.Equal(t, `agenda: opening period "p1": first_day 1900-01-01 is outside the years 2000 to 2100 (Limits.MinYear, Limits.MaxYear)`, err.Error())
		_, err = agenda.New(ds, agenda.WithLimits(agenda.Limits{MinYear: 1890}))
		assert.NoError(t, err)
	})
}

// TestCancelledGroupQuery proves that a cancelled one-year group query over
// 10,000 agents returns promptly with context.Canceled: it must stop within
// a small fraction of the time the full query takes (a ratio measured in
// one process, not an absolute threshold).
func TestCancelledGroupQuery(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 10,000 agents")
	}
	ds := gen.Generate(gen.Scale{Name: "wide", Organisations: 40, Agents: 10_000, TargetAppointments: 100_000}, 5)
	ix, err := agenda.New(ds)
	require.NoError(t, err)
	ids := make([]string, len(ds.Agents))
	for i, a := range ds.Agents {
		ids[i] = a.ID
	}
	from := gen.DefaultAnchor()
	q := agenda.CommonQuery{AgentIDs: ids, From: from, To: from.AddDate(1, 0, 0), Quorum: 2}

	// A shared machine can stall the cancelled run, or speed up the full
	// one, for a whole attempt: three attempts, of which one must stop in
	// time. A query that ignores cancellation runs its full course in
	// every attempt.
	var attempts []string
	for range 3 {
		start := time.Now()
		_, err = ix.Common(context.Background(), q)
		require.NoError(t, err)
		full := time.Since(start)

		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(full/20, cancel)
		start = time.Now()
		_, err = ix.Common(ctx, q)
		stopped := time.Since(start)
		cancel()
		require.True(t, errors.Is(err, context.Canceled), "got %v", err)
		t.Logf("full query %v, cancelled after %v, returned after %v", full, full/20, stopped)
		if stopped < full/2 {
			return
		}
		attempts = append(attempts, fmt.Sprintf("%v of %v", stopped, full))
	}
	t.Errorf("the cancelled query kept working: returned after %s, want under half the full query", strings.Join(attempts, ", "))
}
