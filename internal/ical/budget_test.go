package ical

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/crossagenda/crossagenda/internal/recur"
)

// hostile returns a calendar of n events with the same RRULE from
// DTSTART 2026-01-05T10:00Z (an even hour), UIDs e0 … e<n-1>.
func hostile(n int, rrule string) string {
	evs := make([]string, n)
	for i := range evs {
		evs[i] = event(fmt.Sprintf("UID:e%d", i), "DTSTART:20260105T100000Z", "DURATION:PT30M", "RRULE:"+rrule)
	}
	return cal(evs...)
}

// TestRuleDaysBudget holds Options.MaxRuleDays: thousands of rules that
// never or rarely match are refused once their walks, together, exceed the
// calendar's budget, with an error naming the calendar, the event and
// RRULE, and the event at fault shows how much was walked. A yearly rule
// that never matches walks one 400-year cycle, 146,097 days (±2 years of
// periods), so the 10,000,000-day default is spent at the 67th to 70th
// event; a rarely matching one (Mondays that are 29 February: 28 years
// apart) walks about 10·28 years for COUNT=10, so about the 98th.
func TestRuleDaysBudget(t *testing.T) {
	for _, tc := range []struct {
		rrule      string
		perEvent   int // days one event walks, worked out by hand
		slackYears int
	}{
		{"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", 146097, 2},
		{"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;COUNT=10", 0, 0},
		// 2401 hours ≡ 1 (mod 24): from 10:00 the k-th step is at hour
		// 10+k mod 24, so BYHOUR=3's 10th instance is step 17+9·24 = 233,
		// 233·2401 hours ≈ 23,310 days after DTSTART.
		{"FREQ=HOURLY;INTERVAL=2401;BYHOUR=3;COUNT=10", 23310, 0},
	} {
		_, err := Parse(strings.NewReader(hostile(5000, tc.rrule)), Options{Name: "hostile"})
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, ErrLimit) || !errors.Is(err, recur.ErrBudget) {
			t.Fatalf("%s: got %v, want a MaxRuleDays limit error", tc.rrule, err)
		}
		if e.Calendar != "hostile" || e.Property != "RRULE" || e.Limit != "MaxRuleDays" || !strings.HasPrefix(e.UID, "e") {
			t.Fatalf("%s: error %+v does not name the calendar, UID, RRULE and MaxRuleDays", tc.rrule, e)
		}
		var k int
		fmt.Sscanf(e.UID, "e%d", &k)
		t.Logf("%s: refused at event %d: %v", tc.rrule, k, err)
		if tc.perEvent != 0 {
			lo := DefaultMaxRuleDays/(tc.perEvent+tc.slackYears*366+1) - 2
			hi := DefaultMaxRuleDays/(tc.perEvent-tc.slackYears*366) + 1
			if k < lo || k > hi {
				t.Errorf("%s: refused at event %d, want %d..%d: each event should walk about %d days", tc.rrule, k, lo, hi, tc.perEvent)
			}
		} else if k > 200 {
			// 28 years ·10 ≈ 102,000 days an event: the budget is gone near the 98th.
			t.Errorf("%s: refused at event %d, want before the 200th", tc.rrule, k)
		}
	}

	// Raising the limit lets the same calendar in: a bound the caller sets.
	if _, err := Parse(strings.NewReader(hostile(100, "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30")), Options{Name: "c", MaxRuleDays: 100 * 147_000}); err != nil {
		t.Fatalf("with MaxRuleDays raised: %v", err)
	}
}

// TestNeverMatchingGridRefused: an HOURLY grid from an even hour with
// INTERVAL=2 never reaches BYHOUR=3: the first event is refused up front
// (naming its UID and RRULE), without walking a day.
func TestNeverMatchingGridRefused(t *testing.T) {
	_, err := Parse(strings.NewReader(hostile(5000, "FREQ=HOURLY;INTERVAL=2;BYHOUR=3;COUNT=10")), Options{Name: "hostile"})
	var e *Error
	if !errors.As(err, &e) || e.Calendar != "hostile" || e.UID != "e0" || e.Property != "RRULE" {
		t.Fatalf("got %v, want an error on event e0's RRULE", err)
	}
	t.Log(err)
}
