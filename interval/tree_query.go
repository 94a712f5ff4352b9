package interval

import (
	"iter"
	"math"
)

// errTreeMutated is the panic value of a Tree iterator whose tree changed
// while the loop body ran.
const errTreeMutated = "interval: Tree mutated during iteration"

// All returns an iterator over all entries in (Start, End) order, equal
// intervals in insertion order.
func (t *Tree[V]) All() iter.Seq2[Interval, V] {
	return func(yield func(Interval, V) bool) {
		t.scan(Interval{math.MinInt64, math.MaxInt64}, math.MinInt64, yield)
	}
}

// Overlapping returns an iterator over the entries whose interval overlaps q,
// in (Start, End) order. An empty q overlaps nothing; touching intervals do
// not overlap. Cost: O(log n + k) for k results.
func (t *Tree[V]) Overlapping(q Interval) iter.Seq2[Interval, V] {
	return func(yield func(Interval, V) bool) {
		if !q.Empty() {
			t.scan(q, q.Start, yield)
		}
	}
}

// Stabbing returns an iterator over the entries whose interval contains the
// instant at, in (Start, End) order.
func (t *Tree[V]) Stabbing(at int64) iter.Seq2[Interval, V] {
	return t.Overlapping(stabQuery(at))
}

// AppendOverlapping appends the entries overlapping q to dst, in (Start, End)
// order, and returns the extended slice. It allocates only when dst must
// grow.
func (t *Tree[V]) AppendOverlapping(dst []Entry[V], q Interval) []Entry[V] {
	dst, _ = t.appendOverlapping(dst, q)
	return dst
}

// AppendStabbing appends the entries containing the instant at to dst, in
// (Start, End) order, and returns the extended slice.
func (t *Tree[V]) AppendStabbing(dst []Entry[V], at int64) []Entry[V] {
	return t.AppendOverlapping(dst, stabQuery(at))
}

// AnyOverlap reports whether some entry overlaps q. It stops at the first
// one found and costs O(log n).
func (t *Tree[V]) AnyOverlap(q Interval) bool {
	if q.Empty() {
		return false
	}
	nodes := t.c.nodes
	x := t.c.root
	// If the left subtree reaches past q.Start but holds no overlap, its
	// interval ending last starts at or after q.End, and so does everything
	// to the right: going left is always safe then.
	for x != 0 {
		n := &nodes[x]
		if n.start < q.End && q.Start < n.end {
			return true
		}
		if nodes[n.left].maxEnd > q.Start {
			x = n.left
		} else if n.start < q.End {
			x = n.right
		} else {
			return false
		}
	}
	return false
}

// stabQuery returns the one-instant query [at, at+1); math.MaxInt64 is in no
// interval, so it maps to an empty query.
func stabQuery(at int64) Interval {
	if at == math.MaxInt64 {
		return Interval{}
	}
	return Interval{at, at + 1}
}

// scan yields the entries overlapping q in order; skipBelow is the End at or
// below which a whole subtree is skipped (q.Start for overlap queries,
// math.MinInt64 to see every entry). It panics if the tree changes while
// yield runs.
func (t *Tree[V]) scan(q Interval, skipBelow int64, yield func(Interval, V) bool) {
	gen := t.gen
	var stack [treeMaxHeight]int32
	sp := 0
	x := t.c.root
	for {
		for x != 0 && t.c.nodes[x].maxEnd > skipBelow {
			stack[sp] = x
			sp++
			x = t.c.nodes[x].left
		}
		if sp == 0 {
			return
		}
		sp--
		x = stack[sp]
		n := t.c.nodes[x]
		if n.start >= q.End {
			return // every later entry starts at or after n
		}
		if n.end > skipBelow {
			if !yield(Interval{n.start, n.end}, t.vals[x]) {
				return
			}
			if t.gen != gen {
				panic(errTreeMutated)
			}
		}
		x = n.right
	}
}

// appendOverlapping is AppendOverlapping, also returning the number of nodes
// it visited (the work guard in the tests bounds it).
func (t *Tree[V]) appendOverlapping(dst []Entry[V], q Interval) ([]Entry[V], int) {
	if q.Empty() {
		return dst, 0
	}
	nodes, vals := t.c.nodes, t.vals
	var stack [treeMaxHeight]int32
	sp, visited := 0, 0
	x := t.c.root
	for {
		for x != 0 && nodes[x].maxEnd > q.Start {
			stack[sp] = x
			sp++
			visited++
			x = nodes[x].left
		}
		if sp == 0 {
			return dst, visited
		}
		sp--
		x = stack[sp]
		n := &nodes[x]
		if n.start >= q.End {
			return dst, visited
		}
		if n.end > q.Start {
			dst = append(dst, Entry[V]{Interval{n.start, n.end}, vals[x]})
		}
		x = n.right
	}
}
