package interval

// VectorMerges names the forms of the vector endpoint merge this machine
// runs, the fastest first; none where it has no vector form.
func VectorMerges() []string {
	var names []string
	for _, m := range vectorMerges {
		names = append(names, m.name)
	}
	return names
}

// UseVectorMerge switches the two-input operations to the form of the
// vector merge named, one of VectorMerges, or, for "", to the other paths,
// and returns a function that restores the setting.
func UseVectorMerge(name string) (restore func()) {
	old := vectorMerge
	vectorMerge = namedMerge{}
	for _, m := range vectorMerges {
		if m.name == name {
			vectorMerge = m
		}
	}
	if name != "" && vectorMerge.form == noMerge {
		panic("UseVectorMerge: this machine has no vector merge " + name)
	}
	return func() { vectorMerge = old }
}

// AppendPoints runs the vector endpoint merge of op ("union", "intersect"
// or "subtract") alone, and reports whether it ran.
func AppendPoints(op string, dst, a, b []Interval) ([]Interval, bool) {
	ops := map[string]*pointOp{"union": unionPoints, "intersect": intersectPoints, "subtract": subtractPoints}
	p, ok := ops[op]
	if !ok {
		panic("AppendPoints: unknown operation " + op)
	}
	return appendPoints(dst, a, b, p)
}

// PointMin returns the fewest intervals the vector merge that runs takes.
func PointMin() int { return vectorMerge.min }

// LowerPointMin lets the vector merge that runs take inputs of every size,
// from two intervals in all and where it would stand aside for the lanes,
// so that tests reach them all, and returns a function that restores it.
func LowerPointMin() (restore func()) {
	old := vectorMerge
	vectorMerge.min, vectorMerge.lanesFrom = 2, 0
	return func() { vectorMerge = old }
}

// LanesFrom returns the fewest intervals from which the vector merge that
// runs stands aside for the two-lane merges, 0 when it never does.
func LanesFrom() int { return vectorMerge.lanesFrom }

// PredictMax returns the most intervals for which the two-lane merges'
// batches advance by branches.
func PredictMax() int { return predictMax }
