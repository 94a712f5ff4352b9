package agenda

import (
	"math"
	"runtime"
	"time"
)

// Limits bound the work of building an index and of every query. A query
// that would exceed one is refused with a [*LimitError] naming it, never
// truncated silently. The zero value of a field means its default; counts
// above math.MaxInt32 are treated as math.MaxInt32.
type Limits struct {
	// MaxWindow is the longest [from, to) a query may ask for.
	// Default 366 days.
	MaxWindow time.Duration
	// MaxOccurrences bounds the opening and absence occurrences one query
	// may expand. Default 2,000,000.
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
	}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxWindow <= 0 {
		l.MaxWindow = d.MaxWindow
	}
	if l.MaxOccurrences <= 0 {
		l.MaxOccurrences = d.MaxOccurrences
	}
	if l.MaxResults <= 0 {
		l.MaxResults = d.MaxResults
	}
	if l.MaxAgents <= 0 {
		l.MaxAgents = d.MaxAgents
	}
	if l.MaxCount <= 0 {
		l.MaxCount = d.MaxCount
	}
	if l.MinYear == 0 {
		l.MinYear = d.MinYear
	}
	if l.MaxYear == 0 {
		l.MaxYear = d.MaxYear
	}
	if l.NextHorizon <= 0 {
		l.NextHorizon = d.NextHorizon
	}
	if l.MaxErrors <= 0 {
		l.MaxErrors = d.MaxErrors
	}
	// Counts are clamped so that no arithmetic on them can overflow.
	const most = math.MaxInt32
	l.MaxOccurrences = min(l.MaxOccurrences, most)
	l.MaxResults = min(l.MaxResults, most)
	l.MaxAgents = min(l.MaxAgents, most)
	l.MaxCount = min(l.MaxCount, most)
	l.MaxErrors = min(l.MaxErrors, most)
	l.MinYear = max(l.MinYear, 1)
	l.MaxYear = min(l.MaxYear, 9999)
	return l
}

// Option configures [New].
type Option func(*config)

type config struct {
	limits      Limits
	parallelism int
}

// WithLimits sets the limits; zero fields keep their defaults.
func WithLimits(l Limits) Option {
	return func(c *config) { c.limits = l.withDefaults() }
}

// WithParallelism bounds the goroutines one multi-agent query fans out
// to. Zero or less means runtime.GOMAXPROCS(0); 1 disables the fan-out.
func WithParallelism(n int) Option {
	return func(c *config) { c.parallelism = n }
}

func newConfig(opts []Option) config {
	c := config{limits: DefaultLimits()}
	for _, o := range opts {
		o(&c)
	}
	if c.parallelism <= 0 {
		c.parallelism = runtime.GOMAXPROCS(0)
	}
	if c.limits.MinYear > c.limits.MaxYear {
		c.limits.MinYear, c.limits.MaxYear = c.limits.MaxYear, c.limits.MinYear
	}
	return c
}
