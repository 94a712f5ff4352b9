package interval

// Hooks for the external tests (package interval_test), which can import the
// treeoracle model without an import cycle.

func ValidateTree[V comparable](t *Tree[V]) error { return t.validate() }

func ValidateStatic[V any](s *Static[V]) error { return s.validate() }

// TreeVisits returns how many nodes AppendOverlapping(nil, q) visits.
func TreeVisits[V comparable](t *Tree[V], q Interval) int {
	_, n := t.appendOverlapping(nil, q)
	return n
}

// StaticExamined returns how many entries and implicit-tree nodes an overlap
// query for q examines, and whether it walked the implicit tree.
func StaticExamined[V any](s *Static[V], q Interval) (int, bool) {
	return s.query(q, func(int) bool { return true })
}

// StaticAppendBudget is AppendOverlapping with a chosen scan budget (see
// queryBudget), to compare the query strategies.
func StaticAppendBudget[V any](s *Static[V], dst []Entry[V], q Interval, budget int) []Entry[V] {
	s.queryBudget(q, budget, func(i int) bool {
		dst = append(dst, Entry[V]{Interval{s.starts[i], s.ends[i]}, s.vals[i]})
		return true
	})
	return dst
}
