package tz

import (
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/crossagenda/crossagenda/internal/civil"
)

// tableEnd is the first instant not covered by a Zone's transition table:
// 2200-01-01T00:00:00Z. Later instants go through the time package.
const tableEnd = 7258118400

// margin bounds how far a wall-clock reading can be from UTC (real offsets
// stay within ±15 h); the slow path looks for transitions this far around.
const margin = 36 * 3600

// Zone is a compiled view of a *time.Location for fast wall-clock to
// instant conversion. It is immutable once built and safe for concurrent
// use by any number of goroutines. The zero Zone is not valid; use [Load]
// or [New].
type Zone struct {
	name string
	loc  *time.Location
	// starts[i] is the first instant (Unix seconds) of period i, during
	// which the UTC offset is offs[i]; starts[0] is math.MinInt64 and
	// consecutive periods have different offsets. The table is exact for
	// instants below limit.
	starts         []int64
	offs           []int32
	limit          int64
	minOff, maxOff int64
}

var cache sync.Map // name -> *Zone

// UTC is the zone of Coordinated Universal Time.
var UTC = New(time.UTC)

// Load returns the compiled zone for an IANA name such as "Europe/Paris".
// "" and "UTC" are UTC. Zones are compiled once per name and cached for the
// life of the process; the error names the zone.
func Load(name string) (*Zone, error) {
	if name == "" || name == "UTC" {
		return UTC, nil
	}
	if z, ok := cache.Load(name); ok {
		return z.(*Zone), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("tz: time zone %q: %w", name, err)
	}
	z, _ := cache.LoadOrStore(name, New(loc))
	return z.(*Zone), nil
}

// New compiles loc. It costs a walk over loc's transitions up to 2200
// (about a quarter of a millisecond with daylight saving), so callers
// should keep the result; [Load] caches by name. New panics if loc is nil.
func New(loc *time.Location) *Zone {
	if loc == nil {
		panic("tz: New(nil)")
	}
	z := &Zone{name: loc.String(), loc: loc, limit: math.MaxInt64}
	walk(loc, math.MinInt64, tableEnd, func(start int64, off int32) {
		z.starts = append(z.starts, start)
		z.offs = append(z.offs, off)
	}, &z.limit)
	z.minOff, z.maxOff = math.MaxInt64, math.MinInt64
	for _, o := range z.offs {
		z.minOff = min(z.minOff, int64(o))
		z.maxOff = max(z.maxOff, int64(o))
	}
	return z
}

// Name returns the zone's name as given to [Load], or loc.String() for
// [New].
func (z *Zone) Name() string { return z.name }

// String returns the zone's name.
func (z *Zone) String() string { return z.name }

// Location returns the *time.Location the zone was compiled from.
func (z *Zone) Location() *time.Location { return z.loc }

// walk reports the periods of constant UTC offset of loc from the one
// holding instant from (reported with start math.MinInt64 when from is
// math.MinInt64, else with start from) up to the first that ends at or after
// until, whose end it stores in *end (math.MaxInt64 if it never ends).
// Consecutive reported periods have different offsets.
//
// It steps with time.Time.ZoneBounds, but does not trust an end that is not
// after the current instant: beyond a zone's explicit transitions Go's
// tzset ends the last period of every year at day 365, which in leap years is
// a day early and before the instant asked about (seen with Go 1.26 on
// America/New_York at 2040-12-31T00:00Z). There walk steps a day instead and
// bisects any offset change inside it.
func walk(loc *time.Location, from, until int64, emit func(start int64, off int32), end *int64) {
	cur := from
	if from == math.MinInt64 {
		cur = -1 << 60 // ZoneBounds of an instant this early is the first period.
	}
	offAt := func(u int64) int32 {
		_, off := time.Unix(u, 0).In(loc).Zone()
		return int32(off)
	}
	start, last, seen := from, int32(0), false
	for {
		t := time.Unix(cur, 0).In(loc)
		_, o := t.Zone()
		if off := int32(o); !seen || off != last {
			emit(start, off)
			last, seen = off, true
		}
		_, e := t.ZoneBounds()
		if e.IsZero() {
			*end = math.MaxInt64
			return
		}
		next := e.Unix()
		if next <= cur {
			next = cur + 86400
			if offAt(next) != last {
				lo, hi := cur, next // offset last at lo, different at hi
				for hi-lo > 1 {
					if m := lo + (hi-lo)/2; offAt(m) == last {
						lo = m
					} else {
						hi = m
					}
				}
				next = hi
			}
		}
		if next >= until {
			*end = next
			return
		}
		start, cur = next, next
	}
}

// period returns the index of the period containing instant u, which must
// be below z.limit.
func (z *Zone) period(u int64) int {
	// Largest i with starts[i] <= u; starts[0] is MinInt64, so i >= 0.
	lo, hi := 0, len(z.starts)
	for hi-lo > 1 {
		m := int(uint(lo+hi) >> 1)
		if z.starts[m] <= u {
			lo = m
		} else {
			hi = m
		}
	}
	return lo
}

// Offset returns the UTC offset in seconds in force at instant u.
func (z *Zone) Offset(u int64) int {
	if u >= z.limit {
		_, off := time.Unix(u, 0).In(z.loc).Zone()
		return off
	}
	return int(z.offs[z.period(u)])
}

// Instant returns the Unix seconds of the local wall time t on day d. A time
// that occurs twice is its first instant; a time skipped by a forward jump
// is read with the offset in force before the jump, so it lands as far after
// the jump as it was after its start (RFC 5545 §3.3.5). t may be
// [civil.EndOfDay], which is 00:00 the next day.
func (z *Zone) Instant(d civil.Date, t civil.TimeOfDay) int64 {
	w := int64(d)*86400 + int64(t)
	if len(z.offs) == 1 {
		return w - int64(z.offs[0])
	}
	latest := w - z.minOff
	if latest >= z.limit {
		return z.instantSlow(w)
	}
	lo := z.period(w - z.maxOff)
	if lo+1 == len(z.starts) || z.starts[lo+1] > latest {
		// No transition within reach: the common case.
		return w - int64(z.offs[lo])
	}
	hi := lo + 1
	for hi+1 < len(z.starts) && z.starts[hi+1] <= latest {
		hi++
	}
	return resolve(z.starts, z.offs, lo, hi, w)
}

// resolve picks the instant for wall time w among periods lo..hi, which
// cover every instant w could be. The first period whose wall-clock span
// holds w wins (the earliest instant); when none does, w is in a gap and
// takes the offset of the period before the gap.
func resolve(starts []int64, offs []int32, lo, hi int, w int64) int64 {
	for j := lo; j <= hi; j++ {
		u := w - int64(offs[j])
		if u >= starts[j] && (j+1 == len(starts) || u < starts[j+1]) {
			return u
		}
	}
	for k := lo + 1; k <= hi; k++ {
		if w-int64(offs[k-1]) >= starts[k] && w-int64(offs[k]) < starts[k] {
			return w - int64(offs[k-1])
		}
	}
	// Unreachable for a consistent table: every w is held or in a gap.
	return w - int64(offs[lo])
}

// instantSlow resolves w with periods read from the time package, for
// instants past the table.
func (z *Zone) instantSlow(w int64) int64 {
	var starts [16]int64
	var offs [16]int32
	n := 0
	var end int64
	walk(z.loc, w-margin, w+margin, func(start int64, off int32) {
		if n < len(starts) {
			starts[n], offs[n] = start, off
			n++
		}
	}, &end)
	return resolve(starts[:n], offs[:n], 0, n-1, w)
}

// Local returns the local date and time of day of instant u.
func (z *Zone) Local(u int64) (civil.Date, civil.TimeOfDay) {
	w := u + int64(z.Offset(u))
	d := w / 86400
	if w%86400 < 0 {
		d--
	}
	return civil.Date(d), civil.TimeOfDay(w - d*86400)
}

// DayStart returns the first instant of day d, Instant(d, 0). On a day
// whose midnight is skipped (America/Sao_Paulo before 2019) that is the
// instant the clocks jumped.
func (z *Zone) DayStart(d civil.Date) int64 { return z.Instant(d, 0) }
