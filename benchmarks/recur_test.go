package benchmarks

import (
	"fmt"
	"testing"
	"time"

	"github.com/teambition/rrule-go"

	"github.com/crossagenda/crossagenda/internal/civil"
	"github.com/crossagenda/crossagenda/internal/recur"
	"github.com/crossagenda/crossagenda/internal/tz"
)

// The recurrence benchmarks expand an opening's rule over a window at a
// fixed distance from its DTSTART (the rule's age), in Europe/Paris at
// 09:00, producing for each occurrence its date and its instant:
// impl=ours with recur (seeking) and tz, impl=rrule-go with rrule-go's
// Between (which iterates from DTSTART on every call).

var recurAges = []int{0, 1, 5, 20}

// recurCase is one rule expanded over one window by both implementations.
type recurCase struct {
	rule     string
	zone     *tz.Zone
	start    civil.TimeOfDay
	first    civil.Date
	from, to civil.Date
	ours     *recur.Rule
	peer     *rrule.RRule
}

func newRecurCase(tb testing.TB, rule string, age int, from, to civil.Date) *recurCase {
	tb.Helper()
	paris, err := tz.Load("Europe/Paris")
	if err != nil {
		tb.Fatal(err)
	}
	y, m, d := from.YMD()
	c := &recurCase{rule: rule, zone: paris, start: civil.MakeTimeOfDay(9, 0, 0), first: civil.DateOf(y-age, m, d), from: from, to: to}
	if c.ours, err = recur.Compile(recur.Spec{RRule: rule, First: c.first, Start: c.start, Zone: paris}); err != nil {
		tb.Fatal(err)
	}
	o, err := rrule.StrToROption(rule)
	if err != nil {
		tb.Fatal(err)
	}
	fy, fm, fd := c.first.YMD()
	o.Dtstart = time.Date(fy, fm, fd, 9, 0, 0, 0, paris.Location())
	if c.peer, err = rrule.NewRRule(*o); err != nil {
		tb.Fatal(err)
	}
	return c
}

// expandOurs appends the window's occurrences to dates and their instants
// to unix.
func (c *recurCase) expandOurs(dates []civil.Date, unix []int64) ([]civil.Date, []int64, error) {
	dates, err := c.ours.AppendBetween(dates[:0], c.from, c.to, 0)
	unix = unix[:0]
	for _, d := range dates {
		unix = append(unix, c.zone.Instant(d, c.start))
	}
	return dates, unix, err
}

// expandPeer is rrule-go's Between over the same local window.
func (c *recurCase) expandPeer() []time.Time {
	y, m, d := c.from.YMD()
	after := time.Date(y, m, d, 0, 0, 0, 0, c.zone.Location())
	y, m, d = c.to.YMD()
	before := time.Date(y, m, d, 0, 0, 0, 0, c.zone.Location()).Add(-time.Second)
	return c.peer.Between(after, before, true)
}

// check reports whether both implementations give the same occurrences,
// as dates and as instants.
func (c *recurCase) check() error {
	dates, unix, err := c.expandOurs(nil, nil)
	if err != nil {
		return err
	}
	peer := c.expandPeer()
	if len(peer) != len(dates) {
		return fmt.Errorf("%s from %s over [%s, %s): %d occurrences, rrule-go %d", c.rule, c.first, c.from, c.to, len(dates), len(peer))
	}
	for i, t := range peer {
		if civil.DateOfTime(t) != dates[i] || t.Unix() != unix[i] {
			return fmt.Errorf("%s from %s: occurrence %d is %s (%d), rrule-go %v", c.rule, c.first, i, dates[i], unix[i], t)
		}
	}
	if len(dates) == 0 {
		return fmt.Errorf("%s from %s: no occurrence in [%s, %s)", c.rule, c.first, c.from, c.to)
	}
	return nil
}

// The windows: December 2026 for the weekly rule, October to December
// 2026 (across the change to winter time) for the monthly one, and
// December 2026 to January 2027 for the week-number one (ISO weeks 1, 2,
// 52 and 53, week 53 of 2026 straddling New Year).
var (
	weeklyRule, monthlyRule = "FREQ=WEEKLY;BYDAY=MO,TU,TH", "FREQ=MONTHLY;BYDAY=2TU,-1FR"
	weeklyFrom, weeklyTo    = civil.DateOf(2026, time.December, 1), civil.DateOf(2027, time.January, 1)
	monthlyFrom, monthlyTo  = civil.DateOf(2026, time.October, 1), civil.DateOf(2027, time.January, 1)
	weeknoRule              = "FREQ=YEARLY;BYWEEKNO=1,2,52,53;BYDAY=MO,TU,TH"
	weeknoFrom, weeknoTo    = civil.DateOf(2026, time.December, 1), civil.DateOf(2027, time.February, 1)
	weeknoAges              = []int{0, 5, 20}
)

func benchmarkExpand(b *testing.B, rule string, from, to civil.Date, ages []int) {
	for _, age := range ages {
		c := newRecurCase(b, rule, age, from, to)
		if err := c.check(); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("age=%dy/impl=ours", age), func(b *testing.B) {
			b.ReportAllocs()
			dates, unix := make([]civil.Date, 0, 64), make([]int64, 0, 64)
			for b.Loop() {
				dates, unix, _ = c.expandOurs(dates, unix)
			}
			_, st, _ := c.ours.AppendBetweenStats(nil, c.from, c.to, 0)
			b.ReportMetric(float64(len(dates)), "occurrences")
			b.ReportMetric(float64(st.Periods), "periods")
		})
		b.Run(fmt.Sprintf("age=%dy/impl=rrule-go", age), func(b *testing.B) {
			b.ReportAllocs()
			var got []time.Time
			for b.Loop() {
				got = c.expandPeer()
			}
			b.ReportMetric(float64(len(got)), "occurrences")
		})
	}
}

// BenchmarkExpandWeekly: a weekly opening on three days over one month.
// Ours is flat in the rule's age; rrule-go grows with it.
func BenchmarkExpandWeekly(b *testing.B) {
	benchmarkExpand(b, weeklyRule, weeklyFrom, weeklyTo, recurAges)
}

// BenchmarkExpandMonthlyNthWeekday: the second Tuesday and last Friday of
// each month, over three months.
func BenchmarkExpandMonthlyNthWeekday(b *testing.B) {
	benchmarkExpand(b, monthlyRule, monthlyFrom, monthlyTo, recurAges)
}

// BenchmarkExpandWeekno: three days of the first two and last two ISO
// weeks of each year, over two months across New Year. Ours visits two
// years at any age; rrule-go generates every year's from DTSTART.
func BenchmarkExpandWeekno(b *testing.B) {
	benchmarkExpand(b, weeknoRule, weeknoFrom, weeknoTo, weeknoAges)
}

// TestExpandMatchesRRuleGo holds the benchmarks' two implementations to
// the same occurrences, dates and instants, at every age.
func TestExpandMatchesRRuleGo(t *testing.T) {
	for _, rule := range []struct {
		text     string
		from, to civil.Date
	}{{weeklyRule, weeklyFrom, weeklyTo}, {monthlyRule, monthlyFrom, monthlyTo}, {weeknoRule, weeknoFrom, weeknoTo}} {
		for _, age := range append(recurAges, 2, 10) {
			if err := newRecurCase(t, rule.text, age, rule.from, rule.to).check(); err != nil {
				t.Error(err)
			}
		}
	}
}
