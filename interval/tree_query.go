package interval

import "iter"

// errTreeMutated is the panic value of a Tree iterator whose tree changed
// while the loop body ran.
const errTreeMutated = "interval: Tree mutated during iteration"

// All returns an iterator over all entries in (Start, End) order, equal
// intervals in insertion order. Changing the tree while ranging over it
// panics.
func (t *Tree[V]) All() iter.Seq2[Interval, V] {
	return func(yield func(Interval, V) bool) {
		gen := t.gen
		var stack [treeMaxHeight]int32
		sp := 0
		x := t.c.root
		for {
			for x != 0 {
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
			if !yield(Interval{n.start, n.end}, t.vals[x]) {
				return
			}
			if t.gen != gen {
				panic(errTreeMutated)
			}
			x = n.right
		}
	}
}

// AppendOverlapping appends the entries overlapping q to dst, in (Start, End)
// order, and returns the extended slice. It allocates only when dst must
// grow.
func (t *Tree[V]) AppendOverlapping(dst []Entry[V], q Interval) []Entry[V] {
	dst, _ = t.appendOverlapping(dst, q)
	return dst
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
