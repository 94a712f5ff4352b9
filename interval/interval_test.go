package interval_test

import (
	"math"
	"testing"

	"github.com/crossagenda/crossagenda/interval"
)

func TestIntervalBasics(t *testing.T) {
	tests := []struct {
		give         interval.Interval
		wantLen      int64
		wantEmpty    bool
		contains     int64
		wantContains bool
	}{
		{mk(1, 5), 4, false, 1, true},
		{mk(1, 5), 4, false, 5, false},
		{mk(5, 5), 0, true, 5, false},
		{mk(6, 5), 0, true, 5, false},
		{mk(math.MinInt64, math.MaxInt64), math.MaxInt64, false, 0, true},
		{mk(-10, math.MaxInt64), math.MaxInt64, false, -10, true},
	}
	for _, tt := range tests {
		if got := tt.give.Len(); got != tt.wantLen {
			t.Errorf("%v.Len() = %d, want %d", tt.give, got, tt.wantLen)
		}
		if got := tt.give.Empty(); got != tt.wantEmpty {
			t.Errorf("%v.Empty() = %v, want %v", tt.give, got, tt.wantEmpty)
		}
		if got := tt.give.Contains(tt.contains); got != tt.wantContains {
			t.Errorf("%v.Contains(%d) = %v, want %v", tt.give, tt.contains, got, tt.wantContains)
		}
	}
	a, b := mk(1, 3), mk(3, 5)
	if a.Overlaps(b) || b.Overlaps(a) {
		t.Error("touching intervals overlap")
	}
	if got, ok := a.Intersect(mk(2, 9)); !ok || got != (mk(2, 3)) {
		t.Errorf("Intersect = %v %v", got, ok)
	}
	if _, ok := a.Intersect(b); ok {
		t.Error("touching intervals intersect")
	}
	if !(mk(0, 10)).Covers(mk(2, 3)) || (mk(0, 10)).Covers(mk(2, 11)) {
		t.Error("Covers")
	}
	if interval.Compare(a, b) != -1 || interval.Compare(b, a) != 1 || interval.Compare(a, a) != 0 ||
		interval.Compare(mk(1, 2), mk(1, 3)) != -1 {
		t.Error("Compare")
	}
}

func mk(start, end int64) interval.Interval { return interval.Interval{Start: start, End: end} }
