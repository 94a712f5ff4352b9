package recur

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/crossagenda/crossagenda/internal/civil"
)

// checkAgainstRRuleGo compares every query of g's compiled rule on [from,
// to) with rrule-go, and reports the first difference.
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
	want := rrulegoExpand(g, from, to)
	got, err := r.AppendBetween(nil, from, to, 0)
	if err != nil || !sameDates(got, want) {
		t.Fatalf("%v\nwindow [%s, %s)\n got %s %v\nwant %s (rrule-go)", g, from, to, datesString(got), err, datesString(want))
	}
	var seq []civil.Date
	for d := range r.Between(from, to) {
		seq = append(seq, d)
	}
	if !sameDates(seq, want) {
		t.Fatalf("%v\nwindow [%s, %s): Between %s, want %s", g, from, to, datesString(seq), datesString(want))
	}
	if from < to {
		nd, ok := r.Next(from)
		if len(want) > 0 && (!ok || nd != want[0]) {
			t.Fatalf("%v: Next(%s) = %s, %v; want %s", g, from, nd, ok, want[0])
		}
		if len(want) == 0 && ok && nd < to {
			t.Fatalf("%v: Next(%s) = %s, but rrule-go has nothing before %s", g, from, nd, to)
		}
		pd, ok := r.Prev(to)
		if len(want) > 0 && (!ok || pd != want[len(want)-1]) {
			t.Fatalf("%v: Prev(%s) = %s, %v; want %s", g, to, pd, ok, want[len(want)-1])
		}
		if len(want) == 0 && ok && pd >= from {
			t.Fatalf("%v: Prev(%s) = %s, but rrule-go has nothing from %s", g, to, pd, from)
		}
	}
}

// TestAgainstRRuleGo is the main differential test: thousands of random
// rules (every FREQ, BY* combinations, INTERVAL 1..5, COUNT and each UNTIL
// form, WKST, negative values, leap days) on windows before, across and far
// after DTSTART, compared with rrule-go on UTC date-times.
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
		all := rrulegoExpand(g, minDate, end)
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
