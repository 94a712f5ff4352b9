package agenda

import (
	"fmt"
	"math"
	"sync/atomic"
	"time"

	"github.com/crossagenda/crossagenda/internal/civil"
	"github.com/crossagenda/crossagenda/internal/recur"
	"github.com/crossagenda/crossagenda/internal/tz"
	"github.com/crossagenda/crossagenda/interval"
)

// budget counts the occurrences one query expands, across all of its
// goroutines, so that no query can expand without bound.
type budget struct {
	left  atomic.Int64
	limit int64
}

func newBudget(l Limits) *budget {
	b := &budget{limit: int64(l.MaxOccurrences)}
	b.left.Store(b.limit)
	return b
}

func (b *budget) exceeded() error {
	return &LimitError{Limit: "MaxOccurrences", Value: fmt.Sprint(b.limit),
		Want: "the query expands more opening and absence occurrences"}
}

// occurrenceDates appends the dates whose occurrence of a daily range
// [start, end) of local time in z can overlap [from, to). An occurrence on
// date d lies within [d 00:00, d+1 00:00] local, so the dates from the day
// before from's to the day after to's are enough.
func occurrenceDates(dst []civil.Date, r *recur.Rule, z *tz.Zone, from, to int64, b *budget) ([]civil.Date, error) {
	d0, _ := z.Local(from)
	d1, _ := z.Local(to)
	n := len(dst)
	left := b.left.Load()
	if left < 0 {
		return dst, b.exceeded()
	}
	dst, err := r.AppendBetween(dst, d0.AddDays(-1), d1.AddDays(2), int(min(left, math.MaxInt32))+1)
	if err != nil || b.left.Add(-int64(len(dst)-n)) < 0 {
		return dst[:n], b.exceeded()
	}
	return dst, nil
}

// appendOccurrences appends, as instants, the occurrences of the daily
// range [start, end) on the rule's dates that overlap [from, to). An
// occurrence that DST resolution makes empty is skipped.
func appendOccurrences(dst []interval.Interval, dates []civil.Date, r *recur.Rule, z *tz.Zone,
	start, end civil.TimeOfDay, from, to int64, b *budget) ([]interval.Interval, []civil.Date, error) {
	dates, err := occurrenceDates(dates[:0], r, z, from, to, b)
	if err != nil {
		return dst, dates, err
	}
	for _, d := range dates {
		s, e := z.Instant(d, start), z.Instant(d, end)
		if s < e && s < to && e > from {
			dst = append(dst, interval.Interval{Start: s, End: e})
		}
	}
	return dst, dates, nil
}

// window validates a query window and converts it to whole seconds:
// from rounded down and to rounded up, so that the window covers every
// instant asked for.
func (ix *Index) window(from, to time.Time) (int64, int64, error) {
	if from.IsZero() || to.IsZero() {
		return 0, 0, fmt.Errorf("agenda: the window needs both from and to: %w", ErrInvalidQuery)
	}
	if !to.After(from) {
		return 0, 0, fmt.Errorf("agenda: window end %s is not after its start %s: %w",
			to.Format(time.RFC3339), from.Format(time.RFC3339), ErrInvalidQuery)
	}
	f, t := from.Unix(), ceilUnix(to)
	l := ix.cfg.limits
	if t-f > int64(l.MaxWindow/time.Second) {
		return 0, 0, &LimitError{Limit: "MaxWindow", Value: l.MaxWindow.String(),
			Want: fmt.Sprintf("the window is %d days long", (t-f)/86400)}
	}
	if err := ix.checkYears(from, to); err != nil {
		return 0, 0, err
	}
	return f, t, nil
}

// ceilUnix returns t in Unix seconds, rounded up: a slot starting at a
// whole second is at or after t exactly when it is at or after ceilUnix(t).
func ceilUnix(t time.Time) int64 {
	u := t.Unix()
	if t.Nanosecond() > 0 {
		u++
	}
	return u
}

// checkYears refuses instants outside the years the index knows: their
// holidays were never computed.
func (ix *Index) checkYears(ts ...time.Time) error {
	l := ix.cfg.limits
	for _, t := range ts {
		if y := t.UTC().Year(); y < l.MinYear || y > l.MaxYear {
			return &LimitError{Limit: "MinYear/MaxYear", Value: fmt.Sprintf("%d-%d", l.MinYear, l.MaxYear),
				Want: fmt.Sprintf("%s is outside the years the index covers", t.Format(time.RFC3339))}
		}
	}
	return nil
}
