package interval

// HaveVectorMerge reports whether this machine runs the vector endpoint
// merge.
var HaveVectorMerge = haveVectorMerge

// UseVectorMerge turns the vector endpoint merge on or off, where the
// machine has it, and returns a function that restores the setting, so that
// tests reach each path of the two-input operations.
func UseVectorMerge(on bool) (restore func()) {
	old := vectorMerge
	vectorMerge = on && haveVectorMerge
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

// PointMin exposes pointMin, the fewest intervals the vector merge takes.
var PointMin = pointMin
