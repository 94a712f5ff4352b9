package recur

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/crossagenda/crossagenda/internal/civil"
)

// checkAgainstRRuleGo compares every query of g's compiled rule on [from,
// to) with rrule-go, and reports the first difference. For BYWEEKNO rules,
// where rrule-go departs from the week numbering, rrule-go must agree with
// the week-number oracle made to depart the same way, and the rule with
// the oracle as it should be.
func checkAgainstRRuleGo(t *testing.T, g *genRule, from, to civil.Date) {
	t.Helper()
	r, err := Compile(g.spec())
	if err != nil {
		t.Fatalf("%v: %v", g, err)
	}
	if r.empty {
		// rrule-go scans to the year 9999 for a rule that never matches,
		// which takes up to seconds; TestEmptyRules covers these.
		return
	}
	want, ref := rrulegoWant(t, g, from, to)
	checkQueries(t, g, r, from, to, want, ref)
}

// rrulegoWant returns rrule-go's occurrences of g in [from, to) or, for a
// BYWEEKNO rule, the oracle's once rrule-go agrees with the oracle made to
// depart from the week numbering as rrule-go does; and which it is.
func rrulegoWant(t *testing.T, g *genRule, from, to civil.Date) ([]civil.Date, string) {
	t.Helper()
	want := rrulegoExpand(g, from, to)
	if g.byweekno == nil {
		return want, "rrule-go"
	}
	if q := weeknoOracle(g, from, to, true); !sameDates(q, want) {
		t.Fatalf("%v\nwindow [%s, %s): rrule-go %s, the oracle with its quirks %s", g, from, to, datesString(want), datesString(q))
	}
	return weeknoOracle(g, from, to, false), "oracle, agreeing with rrule-go's quirks"
}

// TestAgainstRRuleGo is the main differential test: thousands of random
// rules (every FREQ, BY* combinations, INTERVAL 1..5, COUNT and each UNTIL
// form, WKST, negative values, leap days) on windows before, across and far
// after DTSTART, compared with rrule-go on UTC date-times; then rules
// focused on BYWEEKNO (newWeeknoRule) on windows across New Years.
func TestAgainstRRuleGo(t *testing.T) {
	seeds, rules := 6, 400
	if testing.Short() {
		seeds, rules = 2, 100
	}
	for seed := range seeds {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(uint64(seed), 0x5eed))
			for range rules {
				g := newGenRule(rng, true)
				for range 3 {
					from, to := window(rng, g)
					checkAgainstRRuleGo(t, g, from, to)
				}
			}
			for range rules / 2 {
				g := newWeeknoRule(rng)
				for range 3 {
					from, to := weeknoWindow(rng, g)
					checkAgainstRRuleGo(t, g, from, to)
				}
			}
		})
	}
}

// Bounds agrees with the full list of occurrences of a finite rule.
func TestBoundsAgainstRRuleGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(42, 42))
	n := 600
	if testing.Short() {
		n = 150
	}
	for range n {
		g := newGenRule(rng, true)
		if g.count == 0 && g.until == untilNone && !g.hasUntil {
			g.count = 1 + rng.IntN(30)
		}
		r, err := Compile(g.spec())
		if err != nil {
			t.Fatalf("%v: %v", g, err)
		}
		if r.empty {
			continue
		}
		end := maxDate + 1
		if g.hasUntil && g.count == 0 && g.until == untilNone {
			end = max(g.specEnd+1, g.first) // spare rrule-go a walk to 9999
		}
		all, _ := rrulegoWant(t, g, minDate, end)
		first, last, bounded := r.Bounds()
		if !bounded {
			t.Fatalf("%v: not bounded", g)
		}
		if len(all) == 0 {
			if first <= last {
				t.Fatalf("%v: Bounds %s..%s, rrule-go has no occurrence", g, first, last)
			}
			continue
		}
		if first != all[0] || last != all[len(all)-1] {
			t.Fatalf("%v: Bounds %s..%s, rrule-go %s..%s", g, first, last, all[0], all[len(all)-1])
		}
	}
}
