//go:build linux

package interval_test

import (
	"math/rand/v2"
	"runtime/debug"
	"testing"
	"unsafe"

	"github.com/crossagenda/crossagenda/internal/testkit/intervaloracle"
	"github.com/crossagenda/crossagenda/interval"
)

// TestSetLanesGuardPages runs the two-lane merges, whose batches read and
// write through unchecked pointers, on inputs that start or end against an
// inaccessible page, into a dst whose spare capacity does too, so that any
// load or store outside them faults. The room in dst is what the lanes
// need, one interval less or more, or anything; inputs are normalised (and
// the result checked), raw, or one wholly before the other, so that a lane
// runs to an input's very end.
func TestSetLanesGuardPages(t *testing.T) { eachLaneBatch(t, testSetLanesGuardPages) }

func testSetLanesGuardPages(t *testing.T) {
	defer interval.UseVectorMerge("")()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	g := newGuarded(t)
	maxLen := min(200, g.page/int(unsafe.Sizeof(interval.Interval{}))/2-1)
	r := rand.New(rand.NewPCG(9, 9))
	for round := range 4000 {
		var a, b []interval.Interval
		shape := round % 4
		switch shape {
		case 0, 1:
			a, b = pointShapes(r, 1+r.IntN(maxLen)), pointShapes(r, 1+r.IntN(maxLen))
		case 2: // raw
			a = intervaloracle.RandomIntervals(r, 1+r.IntN(maxLen))
			b = intervaloracle.RandomIntervals(r, 1+r.IntN(maxLen))
		case 3: // apart
			a, b = setSteps(1+r.IntN(maxLen), 0, 5, 2), setSteps(1+r.IntN(maxLen), intervaloracle.Size/2, 5, 2)
			if r.IntN(2) == 0 {
				a, b = b, a
			}
		}
		if len(a) == 0 || len(b) == 0 {
			continue
		}
		ga := g.slice(0, len(a), r.IntN(2) == 0)
		gb := g.slice(1, len(b), r.IntN(2) == 0)
		copy(ga, a)
		copy(gb, b)
		n := len(a) + len(b)
		room := []int{n, n - 1, n + 1, 1 + r.IntN(n+1)}[r.IntN(4)]
		dst := g.slice(2, room, r.IntN(4) != 0)[:0]
		for _, op := range setLaneOps {
			got := op.run(dst, ga, gb)
			if shape != 2 {
				oa, ob := intervaloracle.FromIntervals(a...), intervaloracle.FromIntervals(b...)
				assertSetIs(t, op.want(oa, ob), got, "round %d %s, %d and %d intervals, room %d", round, op.name, len(a), len(b), room)
			}
		}
	}
}
