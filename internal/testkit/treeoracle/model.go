package treeoracle

import (
	"slices"

	"github.com/crossagenda/crossagenda/interval"
)

// Model is a multiset of (Interval, V) entries kept in insertion order. The
// zero Model is empty.
type Model[V comparable] struct {
	entries []interval.Entry[V]
}

// Insert appends (iv, v) and reports true, or reports false for an empty iv.
func (m *Model[V]) Insert(iv interval.Interval, v V) bool {
	if iv.End <= iv.Start {
		return false
	}
	m.entries = append(m.entries, interval.Entry[V]{Interval: iv, Value: v})
	return true
}

// Delete removes the earliest inserted entry equal to (iv, v) and reports
// whether there was one.
func (m *Model[V]) Delete(iv interval.Interval, v V) bool {
	for i, e := range m.entries {
		if e.Interval == iv && e.Value == v {
			m.entries = slices.Delete(m.entries, i, i+1)
			return true
		}
	}
	return false
}

// Len returns the number of entries.
func (m *Model[V]) Len() int { return len(m.entries) }

// Entries returns the entries in insertion order; the caller must not
// modify them.
func (m *Model[V]) Entries() []interval.Entry[V] { return m.entries }

// All returns every entry sorted by Start, then End, equal intervals in
// insertion order.
func (m *Model[V]) All() []interval.Entry[V] {
	return Sorted(m.entries)
}

// Overlapping returns the entries sharing an instant with q, in All's order.
func (m *Model[V]) Overlapping(q interval.Interval) []interval.Entry[V] {
	return Overlapping(m.entries, q)
}

// Sorted returns a copy of entries stably sorted by Start, then End.
func Sorted[V any](entries []interval.Entry[V]) []interval.Entry[V] {
	out := slices.Clone(entries)
	slices.SortStableFunc(out, func(a, b interval.Entry[V]) int {
		if a.Start != b.Start {
			if a.Start < b.Start {
				return -1
			}
			return 1
		}
		if a.End != b.End {
			if a.End < b.End {
				return -1
			}
			return 1
		}
		return 0
	})
	return out
}

// Overlapping returns the non-empty entries that share an instant with q, in
// Sorted order. Half-open: touching intervals do not overlap, and an empty q
// overlaps nothing.
func Overlapping[V any](entries []interval.Entry[V], q interval.Interval) []interval.Entry[V] {
	var out []interval.Entry[V]
	for _, e := range entries {
		if e.Start < e.End && q.Start < q.End && e.Start < q.End && q.Start < e.End {
			out = append(out, e)
		}
	}
	return Sorted(out)
}
