package interval

import (
	"fmt"
	"iter"
	"math"
	"slices"
)

// Static is an immutable interval index built once from known entries: the
// queries of [Tree] with less memory (24 bytes per entry plus V) and faster
// queries. Entries sit in one array sorted by (Start, End); a query binary
// searches, bounded by the longest interval, and scans forward, switching to
// an implicit augmented tree over the same array when a few long intervals
// make that bound useless, so it costs O(log n + k) for k results.
//
// The zero Static is empty; any number of goroutines may query a Static.
type Static[V any] struct {
	starts, ends []int64
	vals         []V
	// maxEnd[i] is the maximum End over the implicit subtree rooted at i.
	// Index i is a node of level k when its k lowest bits are ones and bit k
	// is zero; its children are i ± 2^(k-1) and its subtree covers
	// [i-2^k+1, i+2^k-1]. Indices >= len(starts) are virtual nodes.
	maxEnd    []int64
	maxLen    uint64 // longest stored interval (End-Start cannot overflow as uint64)
	rootLevel int    // level of the root, index 2^rootLevel - 1
}

// staticScanMisses is how many non-overlapping entries a query's linear scan
// may meet before it switches to the implicit tree. Small enough that a
// useless length bound costs little; large enough that ordinary data never
// switches (in a table of 30-120 minute slots a scan meets one or two).
const staticScanMisses = 16

// staticLeafLevel is the level at and below which the implicit tree is
// scanned linearly rather than descended: 15 contiguous entries are cheaper
// to read than to navigate.
const staticLeafLevel = 3

// NewStatic builds a Static from a copy of entries, sorted by (Start, End);
// equal intervals keep their order in entries. Entries with an empty
// interval are dropped: they would overlap nothing. Cost: O(n log n) time,
// one copy of the input.
func NewStatic[V any](entries []Entry[V]) *Static[V] {
	// Sorting 24-byte keys, with the input position as the last key, is a
	// stable sort at the speed of an unstable one, whatever the size of V.
	keys := make([]staticKey, 0, len(entries))
	for i, e := range entries {
		if !e.Empty() {
			keys = append(keys, staticKey{e.Start, e.End, i})
		}
	}
	slices.SortFunc(keys, func(a, b staticKey) int {
		if c := Compare(Interval{a.start, a.end}, Interval{b.start, b.end}); c != 0 {
			return c
		}
		return a.pos - b.pos
	})
	s := newStatic[V](len(keys))
	for i, k := range keys {
		s.set(i, Interval{k.start, k.end}, entries[k.pos].Value)
	}
	return s.index()
}

type staticKey struct {
	start, end int64
	pos        int
}

// newStatic returns a Static with room for n entries, to be filled with set
// and finished with index.
func newStatic[V any](n int) *Static[V] {
	return &Static[V]{starts: make([]int64, n), ends: make([]int64, n), vals: make([]V, n)}
}

// set stores entry i; iv must not be empty.
func (s *Static[V]) set(i int, iv Interval, v V) {
	s.starts[i], s.ends[i], s.vals[i] = iv.Start, iv.End, v
	s.maxLen = max(s.maxLen, uint64(iv.End)-uint64(iv.Start))
}

// index builds the implicit tree over the stored entries.
func (s *Static[V]) index() *Static[V] {
	n := len(s.starts)
	if n == 0 {
		return &Static[V]{}
	}
	for 1<<(s.rootLevel+1)-1 < n {
		s.rootLevel++
	}
	s.maxEnd = make([]int64, n)
	s.buildMaxEnd(1<<s.rootLevel-1, s.rootLevel)
	return s
}

// buildMaxEnd fills maxEnd for the real nodes of the subtree rooted at x of
// level k and returns the maximum End in it (math.MinInt64 if none).
func (s *Static[V]) buildMaxEnd(x, k int) int64 {
	n := len(s.starts)
	if x-(1<<k)+1 >= n {
		return math.MinInt64
	}
	m := int64(math.MinInt64)
	if k > 0 {
		m = max(s.buildMaxEnd(x-1<<(k-1), k-1), s.buildMaxEnd(x+1<<(k-1), k-1))
	}
	if x < n {
		m = max(m, s.ends[x])
		s.maxEnd[x] = m
	}
	return m
}

// Len returns the number of entries.
func (s *Static[V]) Len() int { return len(s.starts) }

// All returns an iterator over all entries in (Start, End) order.
func (s *Static[V]) All() iter.Seq2[Interval, V] {
	return func(yield func(Interval, V) bool) {
		for i := range s.starts {
			if !yield(Interval{s.starts[i], s.ends[i]}, s.vals[i]) {
				return
			}
		}
	}
}

// AppendOverlapping appends the entries overlapping q to dst, in (Start, End)
// order, and returns the extended slice. It allocates only when dst must
// grow.
func (s *Static[V]) AppendOverlapping(dst []Entry[V], q Interval) []Entry[V] {
	s.query(q, func(i int) bool {
		dst = append(dst, Entry[V]{Interval{s.starts[i], s.ends[i]}, s.vals[i]})
		return true
	})
	return dst
}

// query calls hit with the index of each entry overlapping q, in order,
// until hit returns false. It returns the number of entries and nodes it
// examined and whether it walked the implicit tree, for the tests.
func (s *Static[V]) query(q Interval, hit func(i int) bool) (examined int, walked bool) {
	return s.queryBudget(q, staticScanMisses, hit)
}

// queryBudget is query with a chosen scan budget: a negative budget walks
// the implicit tree at once, a huge one never does.
func (s *Static[V]) queryBudget(q Interval, budget int, hit func(i int) bool) (examined int, walked bool) {
	n := len(s.starts)
	if q.Empty() || n == 0 {
		return 0, false
	}
	starts, ends := s.starts, s.ends
	// An entry starting at or before q.Start-maxLen ends at or before
	// q.Start: the scan begins after them.
	lo := 0
	if uint64(q.Start)+1<<63 > s.maxLen { // distance from math.MinInt64 to q.Start
		bound := int64(uint64(q.Start) - s.maxLen)
		hi := n
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if starts[m] <= bound {
				lo = m + 1
			} else {
				hi = m
			}
		}
	}
	if budget < 0 {
		return s.walk(q, 0, hit), true
	}
	misses := 0
	for i := lo; i < n; i++ {
		examined++
		if starts[i] >= q.End {
			return examined, false
		}
		if ends[i] > q.Start {
			if !hit(i) {
				return examined, false
			}
			continue
		}
		if misses++; misses > budget {
			return examined + s.walk(q, i, hit), true
		}
	}
	return examined, false
}

// walk reports the entries at indices >= from that overlap q, descending the
// implicit tree, and returns the number of nodes and entries it examined.
func (s *Static[V]) walk(q Interval, from int, hit func(i int) bool) int {
	w := staticWalk[V]{s: s, q: q, from: from, hit: hit}
	w.visit(1<<s.rootLevel-1, s.rootLevel)
	return w.examined
}

// staticWalk is one in-order descent of the implicit tree that reports the
// overlapping entries at indices >= from.
type staticWalk[V any] struct {
	s        *Static[V]
	q        Interval
	from     int
	hit      func(int) bool
	examined int
}

// visit walks the subtree rooted at x of level k and reports whether the
// walk should go on (false once hit declined or an entry starts at or after
// q.End).
func (w *staticWalk[V]) visit(x, k int) bool {
	s := w.s
	n := len(s.starts)
	lo, hi := x-(1<<k)+1, x+(1<<k)-1
	if hi < w.from || lo >= n {
		return true
	}
	w.examined++
	if x < n && s.maxEnd[x] <= w.q.Start {
		return true
	}
	if k <= staticLeafLevel {
		for i := max(lo, w.from); i <= hi && i < n; i++ {
			w.examined++
			if s.starts[i] >= w.q.End {
				return false
			}
			if s.ends[i] > w.q.Start && !w.hit(i) {
				return false
			}
		}
		return true
	}
	if !w.visit(x-1<<(k-1), k-1) {
		return false
	}
	if x >= n {
		return true // the right subtree is all virtual
	}
	if s.starts[x] >= w.q.End {
		return false
	}
	if x >= w.from && s.ends[x] > w.q.Start && !w.hit(x) {
		return false
	}
	return w.visit(x+1<<(k-1), k-1)
}

// validate checks that the entries are non-empty and sorted, that maxLen is
// the longest length and that every real node's maxEnd is the maximum End
// of its subtree. O(n log n); for the tests.
func (s *Static[V]) validate() error {
	n := len(s.starts)
	if len(s.ends) != n || len(s.vals) != n || len(s.maxEnd) != n {
		return fmt.Errorf("static: lengths %d/%d/%d/%d differ", n, len(s.ends), len(s.vals), len(s.maxEnd))
	}
	var maxLen uint64
	for i := range n {
		iv := Interval{s.starts[i], s.ends[i]}
		if iv.Empty() {
			return fmt.Errorf("static: entry %d holds empty interval %v", i, iv)
		}
		if i > 0 && Compare(Interval{s.starts[i-1], s.ends[i-1]}, iv) > 0 {
			return fmt.Errorf("static: entry %d %v out of order", i, iv)
		}
		maxLen = max(maxLen, uint64(iv.End)-uint64(iv.Start))
	}
	if maxLen != s.maxLen {
		return fmt.Errorf("static: maxLen %d, want %d", s.maxLen, maxLen)
	}
	if n > 0 && (1<<s.rootLevel > n || 1<<(s.rootLevel+1)-1 < n) {
		return fmt.Errorf("static: root level %d does not fit %d entries", s.rootLevel, n)
	}
	for x := range n {
		k := 0
		for x>>k&1 == 1 {
			k++
		}
		want := int64(math.MinInt64)
		for i := max(0, x-(1<<k)+1); i <= x+(1<<k)-1 && i < n; i++ {
			want = max(want, s.ends[i])
		}
		if s.maxEnd[x] != want {
			return fmt.Errorf("static: node %d (level %d) maxEnd %d, want %d", x, k, s.maxEnd[x], want)
		}
	}
	return nil
}
