package agenda

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"runtime"
	"time"
)

// Limits bound the work of building an index and of every query. A query
// that would exceed one is refused with a [*LimitError] naming it, never
// truncated silently. The zero value of a field means its default; counts
// above math.MaxInt32 are treated as math.MaxInt32. A negative field, a
// year outside 1 to 9999 or MinYear after MaxYear is refused by [New] and
// [NewLive] with an error naming the field (errors.Is finds
// [ErrInvalidOption]).
type Limits struct {
	// MaxWindow is the longest [from, to) a query may ask for.
	// Default 366 days.
	MaxWindow time.Duration
	// MaxOccurrences bounds the opening, absence and external calendar
	// occurrences one query may expand. Default 2,000,000.
	MaxOccurrences int
	// MaxResults bounds the slots, events or spans one query may return.
	// Default 200,000.
	MaxResults int
	// MaxAgents bounds the agents one group-availability query may name.
	// Default 10,000.
	MaxAgents int
	// MaxCount bounds the COUNT of a recurrence rule. Default 10,000.
	MaxCount int
	// MinYear and MaxYear bound every date and time of a dataset and of
	// a query. Defaults 2000 and 2100; at most 1 to 9999.
	MinYear, MaxYear int
	// NextHorizon is how far ahead of now next availability searches when
	// the service has no maximum notice (or in the agent view).
	// Default 365 days.
	NextHorizon time.Duration
	// MaxErrors bounds the record errors one validation lists. Default 100.
	MaxErrors int
	// MaxICSBytes bounds the text of one external calendar ([Calendar]).
	// Default 10 MiB.
	MaxICSBytes int64
	// MaxCalendarEvents bounds the VEVENTs of one external calendar.
	// Default 50,000.
	MaxCalendarEvents int
	// MaxCalendarDates bounds the RDATE and EXDATE values of one event of
	// an external calendar. Default 10,000.
	MaxCalendarDates int
	// MaxCalendarRuleDays bounds the days the RRULEs of one external
	// calendar walk, together, when it is imported (to find each first
	// instance and count COUNT), so that thousands of rules that never or
	// rarely match fail fast. Default 10,000,000.
	MaxCalendarRuleDays int64
}

// DefaultLimits returns the limits used for zero fields.
func DefaultLimits() Limits {
	return Limits{
		MaxWindow:      366 * 24 * time.Hour,
		MaxOccurrences: 2_000_000,
		MaxResults:     200_000,
		MaxAgents:      10_000,
		MaxCount:       10_000,
		MinYear:        2000,
		MaxYear:        2100,
		NextHorizon:    365 * 24 * time.Hour,
		MaxErrors:      100,

		MaxICSBytes:       10 << 20,
		MaxCalendarEvents: 50_000,
		MaxCalendarDates:  10_000,

		MaxCalendarRuleDays: 10_000_000,
	}
}

// check refuses the values withDefaults would otherwise have to invent:
// negative fields, years outside 1 to 9999, and MinYear after MaxYear
// (once the defaults are applied).
func (l Limits) check() error {
	bad := func(field string, v any, why string) error {
		return fmt.Errorf("agenda: Limits.%s %v %s: %w", field, v, why, ErrInvalidOption)
	}
	for _, f := range []struct {
		name string
		v    int64
		show any
	}{
		{"MaxWindow", int64(l.MaxWindow), l.MaxWindow}, {"MaxOccurrences", int64(l.MaxOccurrences), l.MaxOccurrences},
		{"MaxResults", int64(l.MaxResults), l.MaxResults}, {"MaxAgents", int64(l.MaxAgents), l.MaxAgents},
		{"MaxCount", int64(l.MaxCount), l.MaxCount}, {"MinYear", int64(l.MinYear), l.MinYear},
		{"MaxYear", int64(l.MaxYear), l.MaxYear}, {"NextHorizon", int64(l.NextHorizon), l.NextHorizon},
		{"MaxErrors", int64(l.MaxErrors), l.MaxErrors}, {"MaxICSBytes", l.MaxICSBytes, l.MaxICSBytes},
		{"MaxCalendarEvents", int64(l.MaxCalendarEvents), l.MaxCalendarEvents},
		{"MaxCalendarDates", int64(l.MaxCalendarDates), l.MaxCalendarDates},
		{"MaxCalendarRuleDays", l.MaxCalendarRuleDays, l.MaxCalendarRuleDays},
	} {
		if f.v < 0 {
			return bad(f.name, f.show, "is negative")
		}
	}
	if l.MinYear > 9999 {
		return bad("MinYear", l.MinYear, "is past the year 9999")
	}
	if l.MaxYear > 9999 {
		return bad("MaxYear", l.MaxYear, "is past the year 9999")
	}
	d := l.withDefaults()
	if d.MinYear > d.MaxYear {
		return fmt.Errorf("agenda: Limits.MinYear %d is after Limits.MaxYear %d: %w", d.MinYear, d.MaxYear, ErrInvalidOption)
	}
	return nil
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxWindow == 0 {
		l.MaxWindow = d.MaxWindow
	}
	if l.MaxOccurrences == 0 {
		l.MaxOccurrences = d.MaxOccurrences
	}
	if l.MaxResults == 0 {
		l.MaxResults = d.MaxResults
	}
	if l.MaxAgents == 0 {
		l.MaxAgents = d.MaxAgents
	}
	if l.MaxCount == 0 {
		l.MaxCount = d.MaxCount
	}
	if l.MinYear == 0 {
		l.MinYear = d.MinYear
	}
	if l.MaxYear == 0 {
		l.MaxYear = d.MaxYear
	}
	if l.NextHorizon == 0 {
		l.NextHorizon = d.NextHorizon
	}
	if l.MaxErrors == 0 {
		l.MaxErrors = d.MaxErrors
	}
	if l.MaxICSBytes == 0 {
		l.MaxICSBytes = d.MaxICSBytes
	}
	if l.MaxCalendarEvents == 0 {
		l.MaxCalendarEvents = d.MaxCalendarEvents
	}
	if l.MaxCalendarDates == 0 {
		l.MaxCalendarDates = d.MaxCalendarDates
	}
	if l.MaxCalendarRuleDays == 0 {
		l.MaxCalendarRuleDays = d.MaxCalendarRuleDays
	}
	// Counts are clamped so that no arithmetic on them can overflow.
	const most = math.MaxInt32
	l.MaxOccurrences = min(l.MaxOccurrences, most)
	l.MaxResults = min(l.MaxResults, most)
	l.MaxAgents = min(l.MaxAgents, most)
	l.MaxCount = min(l.MaxCount, most)
	l.MaxErrors = min(l.MaxErrors, most)
	l.MaxCalendarEvents = min(l.MaxCalendarEvents, most)
	l.MaxCalendarDates = min(l.MaxCalendarDates, most)
	return l
}

// Option configures [New] and [NewLive]. An option given a value it
// cannot accept makes them fail with an error naming it.
type Option func(*config)

type config struct {
	limits      Limits
	parallelism int
	clock       func() time.Time // when holds expire
	err         error            // the first option that was refused
}

// WithLimits sets the limits; zero fields keep their defaults. Negative
// fields, years past 9999 and MinYear after MaxYear make [New] fail.
func WithLimits(l Limits) Option {
	return func(c *config) {
		if err := l.check(); err != nil {
			c.err = cmp.Or(c.err, err)
			return
		}
		c.limits = l.withDefaults()
	}
}

// WithParallelism bounds the goroutines one multi-agent query fans out
// to. Zero or less means runtime.GOMAXPROCS(0); 1 disables the fan-out.
func WithParallelism(n int) Option {
	return func(c *config) { c.parallelism = n }
}

// WithClock sets the clock that decides when holds ([Live.Hold]) expire;
// the default is time.Now. A test gives a clock it moves by hand, so that
// no test sleeps. The clock is read once per hold per query and must be
// safe for concurrent use.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now == nil {
			c.err = cmp.Or(c.err, fmt.Errorf("agenda: WithClock(nil): %w", ErrInvalidOption))
			return
		}
		c.clock = now
	}
}

func newConfig(opts []Option) (config, error) {
	c := config{limits: DefaultLimits(), clock: time.Now}
	for _, o := range opts {
		o(&c)
	}
	if c.parallelism <= 0 {
		c.parallelism = runtime.GOMAXPROCS(0)
	}
	return c, c.err
}

// orBackground treats a nil context as context.Background(), the same way
// in every query, so that a nil context never panics.
func orBackground(ctx context.Context) context.Context {
	if ctx == nil {
		return context.Background()
	}
	return ctx
}
