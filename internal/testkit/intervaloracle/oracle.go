// Package intervaloracle is a slow, obviously correct model of sets of
// instants, used to test package interval: one bool per instant of the small
// range [0, Size).
package intervaloracle

import (
	"math/rand/v2"

	"github.com/crossagenda/crossagenda/interval"
)

// Size is the number of instants the model holds: [0, Size).
const Size = 2048

// Bits is a set of instants of [0, Size): Bits[t] reports whether t is in
// it. It is a value; operations return new values.
type Bits [Size]bool

// FromIntervals returns the instants of [0, Size) covered by any of ivs, which
// may be in any order, overlapping or empty.
func FromIntervals(ivs ...interval.Interval) Bits {
	var b Bits
	for _, iv := range ivs {
		for t := max(iv.Start, 0); t < iv.End && t < Size; t++ {
			b[t] = true
		}
	}
	return b
}

// Intervals returns the maximal runs of instants in b, in order.
func (b Bits) Intervals() []interval.Interval {
	var out []interval.Interval
	for t := 0; t < Size; t++ {
		if !b[t] {
			continue
		}
		start := t
		for t < Size && b[t] {
			t++
		}
		out = append(out, interval.Interval{Start: int64(start), End: int64(t)})
	}
	return out
}

// Union returns the instants in b or o.
func (b Bits) Union(o Bits) Bits {
	for t := range b {
		b[t] = b[t] || o[t]
	}
	return b
}

// Intersect returns the instants in b and o.
func (b Bits) Intersect(o Bits) Bits {
	for t := range b {
		b[t] = b[t] && o[t]
	}
	return b
}

// Subtract returns the instants in b and not in o.
func (b Bits) Subtract(o Bits) Bits {
	for t := range b {
		b[t] = b[t] && !o[t]
	}
	return b
}

// Clip returns the instants of b inside window.
func (b Bits) Clip(window interval.Interval) Bits {
	return b.Intersect(FromIntervals(window))
}

// AtLeast returns the instants that are in at least k of sets, counted one
// instant at a time. For k <= 0 that is every instant.
func AtLeast(k int, sets ...Bits) Bits {
	var out Bits
	for t := range out {
		n := 0
		for i := range sets {
			if sets[i][t] {
				n++
			}
		}
		out[t] = n >= k
	}
	return out
}

// RandomIntervals returns up to maxN raw intervals inside [0, Size], in no
// particular order, rich in the cases set algebra gets wrong: empty and
// inverted intervals, duplicates, nesting, intervals touching or overlapping
// their neighbours, and runs pressed against 0 and Size.
func RandomIntervals(r *rand.Rand, maxN int) []interval.Interval {
	n := r.IntN(maxN + 1)
	out := make([]interval.Interval, 0, n)
	// Short lengths on a coarse grid make coincident endpoints common.
	grid := int64(1 + r.IntN(16))
	// Long intervals swallow everything; only some calls have them.
	long := r.IntN(3) == 0
	for len(out) < n {
		var iv interval.Interval
		prev := interval.Interval{Start: r.Int64N(Size), End: Size}
		if len(out) > 0 {
			prev = out[r.IntN(len(out))]
		}
		switch r.IntN(10) {
		case 0: // identical to an earlier one
			iv = prev
		case 1: // nested inside an earlier one
			iv.Start = prev.Start + r.Int64N(max(prev.End-prev.Start, 1))
			iv.End = iv.Start + r.Int64N(max(prev.End-iv.Start, 1))
		case 2: // touching an earlier one on the right
			iv.Start = prev.End
			iv.End = iv.Start + 1 + r.Int64N(40)
		case 3: // touching an earlier one on the left
			iv.End = prev.Start
			iv.Start = iv.End - 1 - r.Int64N(40)
		case 4: // empty or inverted
			iv.Start = r.Int64N(Size + 1)
			iv.End = iv.Start - r.Int64N(3)
		case 5: // long
			if !long {
				iv.Start = r.Int64N(Size)
				iv.End = iv.Start + 1 + r.Int64N(3)
				break
			}
			iv.Start = r.Int64N(Size)
			iv.End = iv.Start + r.Int64N(Size/2)
		case 6: // against the edges of the range
			if r.IntN(2) == 0 {
				iv = interval.Interval{Start: 0, End: 1 + r.Int64N(30)}
			} else {
				iv = interval.Interval{Start: Size - 1 - r.Int64N(30), End: Size}
			}
		default: // short, on the grid
			iv.Start = r.Int64N(Size/grid+1) * grid
			iv.End = iv.Start + (1+r.Int64N(4))*grid
		}
		iv.Start = min(max(iv.Start, 0), Size)
		iv.End = min(max(iv.End, 0), Size)
		out = append(out, iv)
	}
	return out
}

// RandomFine returns up to maxN short raw intervals in order across
// [0, Size), separated by small gaps or touching: after normalisation, a
// set of many intervals, up to several hundred.
func RandomFine(r *rand.Rand, maxN int) []interval.Interval {
	out := make([]interval.Interval, 0, maxN)
	gap := int64(1 + r.IntN(4))
	for t := r.Int64N(8); t < Size && len(out) < maxN; {
		end := min(t+1+r.Int64N(6), Size)
		out = append(out, interval.Interval{Start: t, End: end})
		t = end + r.Int64N(gap+1)
	}
	return out
}

// RandomWindow returns an interval inside [0, Size], sometimes empty or
// the whole range.
func RandomWindow(r *rand.Rand) interval.Interval {
	switch r.IntN(8) {
	case 0:
		return interval.Interval{Start: 0, End: Size}
	case 1:
		s := r.Int64N(Size + 1)
		return interval.Interval{Start: s, End: s - r.Int64N(2)}
	}
	s := r.Int64N(Size)
	return interval.Interval{Start: s, End: s + 1 + r.Int64N(Size-s)}
}
