package treeoracle

import (
	"math/rand/v2"

	"github.com/crossagenda/crossagenda/interval"
)

// Overlap workload parameters, in seconds: entries last 30 to 120 minutes
// and queries 60 minutes; the span is chosen so that a query overlaps about
// two entries on average, whatever n.
const (
	MinLen      = 30 * 60
	MaxLen      = 120 * 60
	QueryLen    = 60 * 60
	meanLen     = (MinLen + MaxLen) / 2
	spanPerItem = (meanLen + QueryLen) / 2 // span = n * spanPerItem gives 2 expected hits
)

// Workload returns n entries with distinct starts uniform over
// [0, n*spanPerItem), lengths uniform in [MinLen, MaxLen] and Value = index,
// followed by long entries covering most of the span, in random order; and
// queries QueryLen-long windows with uniform starts. The same arguments
// always give the same workload.
func Workload(n, long, queries int, seed uint64) ([]interval.Entry[int], []interval.Interval) {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	span := int64(n) * spanPerItem
	entries := make([]interval.Entry[int], 0, n+long)
	// Distinct starts make distinct intervals, which peers that keep one
	// value per interval need.
	seen := make(map[int64]struct{}, n+long)
	add := func(iv interval.Interval) {
		if _, dup := seen[iv.Start]; dup {
			return
		}
		seen[iv.Start] = struct{}{}
		entries = append(entries, interval.Entry[int]{Interval: iv, Value: len(entries)})
	}
	for len(entries) < n {
		start := rng.Int64N(span)
		add(interval.Interval{Start: start, End: start + MinLen + rng.Int64N(MaxLen-MinLen+1)})
	}
	for len(entries) < n+long {
		start := rng.Int64N(span/10 + 1)
		add(interval.Interval{Start: start, End: start + span - span/10 + rng.Int64N(span/10+1)})
	}
	// The long entries are moved to random positions so that insertion
	// order does not single them out.
	for i := n; i < len(entries); i++ {
		j := rng.IntN(i + 1)
		entries[i], entries[j] = entries[j], entries[i]
		entries[i].Value, entries[j].Value = i, j
	}
	qs := make([]interval.Interval, queries)
	for i := range qs {
		start := rng.Int64N(span)
		qs[i] = interval.Interval{Start: start, End: start + QueryLen}
	}
	return entries, qs
}
