package interval

import (
	"iter"
	"slices"
	"strconv"
)

// Set is a set of instants held as a normalised slice of intervals: sorted,
// disjoint, non-touching and non-empty. The zero value is the empty set,
// ready to use.
//
// Operations that combine sets (Union, Intersect, ...) return a new Set with
// its own storage and leave their operands alone. Add and AddSet change the
// set in place. Copying a Set copies a reference to its storage, so after Add
// or AddSet on one copy the other may see changed intervals: use Clone for an
// independent copy.
//
// Read-only methods may run concurrently with each other; Add and AddSet must
// not run concurrently with any other method on the same Set.
type Set struct {
	ivs []Interval
}

// NewSet returns the set of the instants in ivs, which may be in any order,
// overlapping, touching or empty. ivs is not modified. It costs one
// allocation and O(n log n).
func NewSet(ivs ...Interval) Set {
	if len(ivs) == 0 {
		return Set{}
	}
	return Set{Normalize(slices.Clone(ivs))}
}

// Clone returns a copy of s with its own storage.
func (s Set) Clone() Set {
	if len(s.ivs) == 0 {
		return Set{}
	}
	return Set{slices.Clone(s.ivs)}
}

// Add adds the instants of iv to s; an empty iv changes nothing. It finds
// the place by binary search and then shifts the intervals after it, so it
// costs O(log n) plus O(n) moves in the worst case, with amortised
// allocation as append.
func (s *Set) Add(iv Interval) {
	if iv.Empty() {
		return
	}
	a := s.ivs
	// Members i..j-1 overlap or touch iv and merge with it.
	i := searchEndFrom(a, iv.Start)
	j := i + searchStartAfter(a[i:], iv.End)
	if i == j {
		s.ivs = slices.Insert(a, i, iv)
		return
	}
	a[i] = Interval{min(a[i].Start, iv.Start), max(a[j-1].End, iv.End)}
	s.ivs = slices.Delete(a, i+1, j)
}

// AddSet adds the instants of o to s in O(len(s)+len(o)), merging in place
// when s has spare capacity and growing its storage as append otherwise.
func (s *Set) AddSet(o Set) {
	a, b := s.ivs, o.ivs
	switch {
	case len(b) == 0:
		return
	case len(a) == 0:
		s.ivs = append(a, b...)
		return
	case &a[0] == &b[0]:
		// s and o share storage (one is a copy of the other): merge into a
		// new array rather than overwrite what o reads.
		s.ivs = AppendUnion(make([]Interval, 0, len(a)+len(b)), a, b)
		return
	}
	// Move a to the tail of a buffer with room for both and merge forwards
	// from the front; AppendUnion never overtakes its unread input there.
	na, nb := len(a), len(b)
	buf := slices.Grow(a, nb)[:na+nb]
	copy(buf[nb:], buf[:na])
	s.ivs = AppendUnion(buf[:0], buf[nb:], b)
	clear(buf[len(s.ivs):])
}

// Union returns the instants in s or o.
func (s Set) Union(o Set) Set {
	if len(s.ivs)+len(o.ivs) == 0 {
		return Set{}
	}
	return Set{AppendUnion(make([]Interval, 0, len(s.ivs)+len(o.ivs)), s.ivs, o.ivs)}
}

// Intersect returns the instants in both s and o.
func (s Set) Intersect(o Set) Set {
	n := len(s.ivs) + len(o.ivs)
	if len(s.ivs) == 0 || len(o.ivs) == 0 {
		return Set{}
	}
	return Set{shrink(AppendIntersect(make([]Interval, 0, n-1), s.ivs, o.ivs))}
}

// Subtract returns the instants in s and not in o.
func (s Set) Subtract(o Set) Set {
	if len(s.ivs) == 0 {
		return Set{}
	}
	return Set{shrink(AppendSubtract(make([]Interval, 0, len(s.ivs)+len(o.ivs)), s.ivs, o.ivs))}
}

// Complement returns the instants of window that are not in s.
func (s Set) Complement(window Interval) Set {
	if window.Empty() {
		return Set{}
	}
	// The gaps number at most one more than the members inside window.
	n := searchStart(s.ivs, window.End) - Search(s.ivs, window.Start) + 1
	return Set{shrink(AppendComplement(make([]Interval, 0, max(n, 1)), s.ivs, window))}
}

// Clip returns the instants of s inside window.
func (s Set) Clip(window Interval) Set {
	return Set{shrink(AppendClip(nil, s.ivs, window))}
}

// shrink returns nil for an empty result, so every empty Set is the zero
// value.
func shrink(ivs []Interval) []Interval {
	if len(ivs) == 0 {
		return nil
	}
	return ivs
}

// Contains reports whether the instant t is in s, in O(log n).
func (s Set) Contains(t int64) bool { return ContainsPoint(s.ivs, t) }

// Covers reports whether every instant of iv is in s, in O(log n). An empty
// iv is covered by any set.
func (s Set) Covers(iv Interval) bool { return CoversInterval(s.ivs, iv) }

// Overlaps reports whether iv shares an instant with s, in O(log n).
func (s Set) Overlaps(iv Interval) bool { return OverlapsInterval(s.ivs, iv) }

// Len returns the number of intervals in s.
func (s Set) Len() int { return len(s.ivs) }

// TotalLength returns the number of instants in s; see [TotalLength].
func (s Set) TotalLength() int64 { return TotalLength(s.ivs) }

// Intervals returns the normalised intervals of s. The slice is the set's own
// storage, returned without copying: callers must not modify its elements.
// Its capacity is clipped, so appending to it copies.
func (s Set) Intervals() []Interval { return s.ivs[:len(s.ivs):len(s.ivs)] }

// All returns an iterator over the intervals of s in order. It walks the
// storage s had when All was called: Add or AddSet during the iteration may
// change the values it yields, never make it fail.
func (s Set) All() iter.Seq[Interval] {
	ivs := s.ivs
	return func(yield func(Interval) bool) {
		for _, iv := range ivs {
			if !yield(iv) {
				return
			}
		}
	}
}

// Overlapping returns an iterator over the intervals of s that overlap q,
// whole and in order; it finds the first by binary search. Changing s during
// the iteration has the effect described on All.
func (s Set) Overlapping(q Interval) iter.Seq[Interval] {
	ivs := s.ivs
	return func(yield func(Interval) bool) {
		if q.Empty() {
			return
		}
		for i := Search(ivs, q.Start); i < len(ivs) && ivs[i].Start < q.End; i++ {
			if !yield(ivs[i]) {
				return
			}
		}
	}
}

// Equal reports whether s and o hold the same instants.
func (s Set) Equal(o Set) bool { return slices.Equal(s.ivs, o.ivs) }

// String formats s as {[1,3) [5,8)}.
func (s Set) String() string {
	b := make([]byte, 0, 2+len(s.ivs)*16)
	b = append(b, '{')
	for i, iv := range s.ivs {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, '[')
		b = strconv.AppendInt(b, iv.Start, 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, iv.End, 10)
		b = append(b, ')')
	}
	b = append(b, '}')
	return string(b)
}
