package tz

import (
	"math"
	"time"
)

// oracleInstant resolves wall time w (seconds of the local date-time as if
// it were UTC) in loc by brute force, from nothing but time.Unix(...).In(loc):
// it samples the UTC offset every five minutes over ±30 h, pins each change
// to the second by bisection, and then applies RFC 5545 §3.3.5 literally:
// the earliest instant whose local reading is w, or, when no instant reads
// w, the reading of w with the offset in force at the last instant whose
// local reading is before w.
func oracleInstant(loc *time.Location, w int64) int64 {
	offAt := func(u int64) int64 {
		_, off := time.Unix(u, 0).In(loc).Zone()
		return int64(off)
	}
	type piece struct{ s, e, off int64 }
	const span, step = 30 * 3600, 300
	lo, hi := w-span, w+span
	pieces := []piece{{s: lo, off: offAt(lo)}}
	prev := lo
	for x := lo + step; x <= hi; x += step {
		if o := offAt(x); o != pieces[len(pieces)-1].off {
			// The change lies in (prev, x]: find its first second.
			a, b := prev, x
			for b-a > 1 {
				m := a + (b-a)/2
				if offAt(m) == o {
					b = m
				} else {
					a = m
				}
			}
			pieces[len(pieces)-1].e = b
			pieces = append(pieces, piece{s: b, off: o})
		}
		prev = x
	}
	pieces[len(pieces)-1].e = hi + 1
	for _, p := range pieces {
		if u := w - p.off; p.s <= u && u < p.e {
			return u
		}
	}
	best, bestOff := int64(math.MinInt64), int64(0)
	for _, p := range pieces {
		// Instants of this piece reading before w are [s, min(e, w-off)).
		if end := min(p.e, w-p.off); end > p.s && end-1 > best {
			best, bestOff = end-1, p.off
		}
	}
	return w - bestOff
}
