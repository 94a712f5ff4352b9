package interval_test

import (
	"math"
	"testing"

	"github.com/crossagenda/crossagenda/interval"
)

func TestIntervalBasics(t *testing.T) {
	for _, tt := range []struct {
		give      interval.Interval
		wantLen   int64
		wantEmpty bool
	}{
		{mk(1, 5), 4, false},
		{mk(5, 5), 0, true},
		{mk(6, 5), 0, true},
		{mk(math.MinInt64, math.MaxInt64), math.MaxInt64, false},
		{mk(-10, math.MaxInt64), math.MaxInt64, false},
	} {
		if got := tt.give.Len(); got != tt.wantLen {
			t.Errorf("%v.Len() = %d, want %d", tt.give, got, tt.wantLen)
		}
		if got := tt.give.Empty(); got != tt.wantEmpty {
			t.Errorf("%v.Empty() = %v, want %v", tt.give, got, tt.wantEmpty)
		}
	}
	a, b := mk(1, 3), mk(3, 5)
	if got, ok := a.Intersect(mk(2, 9)); !ok || got != (mk(2, 3)) {
		t.Errorf("Intersect = %v %v", got, ok)
	}
	if _, ok := a.Intersect(b); ok {
		t.Error("touching intervals intersect")
	}
	if interval.Compare(a, b) != -1 || interval.Compare(b, a) != 1 || interval.Compare(a, a) != 0 ||
		interval.Compare(mk(1, 2), mk(1, 3)) != -1 {
		t.Error("Compare")
	}
}

func mk(start, end int64) interval.Interval { return interval.Interval{Start: start, End: end} }
