package interval

import "math"

// LaneMin exposes laneMin so that tests can size inputs for the two-lane
// merges.
const LaneMin = laneMin

// LaneCut reports where the two-lane merge of op ("union", "intersect" or
// "subtract") would cut a and b — after k steps, i of them in a — and
// whether it would run, so that tests can check which seams they reach.
func LaneCut(op string, dst, a, b []Interval) (k, i int, ok bool) {
	switch op {
	case "union":
		return laneCut(dst, a, b, len(a)+len(b), false, false)
	case "intersect":
		return laneCut(dst, a, b, len(a)+len(b)-1, true, true)
	case "subtract":
		return laneCut(dst, a, b, len(a)+len(b), true, false)
	}
	panic("LaneCut: unknown operation " + op)
}

// PredictLanes makes the two-lane batches advance by branches on inputs of
// up to max intervals in all (by conditional moves above), as predictMax
// says, until the returned function restores it.
func PredictLanes(max int) (restore func()) {
	old := predictMax
	predictMax = max
	return func() { predictMax = old }
}

// CheckedLanes makes the two-lane merges take every step in their checked
// loops, without batches, until the returned function restores them.
func CheckedLanes() (restore func()) {
	old := minBatch
	minBatch = math.MaxInt
	return func() { minBatch = old }
}
