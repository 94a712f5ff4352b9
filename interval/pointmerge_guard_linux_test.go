//go:build linux

package interval_test

import (
	"math/rand/v2"
	"runtime/debug"
	"syscall"
	"testing"
	"unsafe"

	"github.com/crossagenda/crossagenda/internal/testkit/intervaloracle"
	"github.com/crossagenda/crossagenda/interval"
)

// guarded is memory in which every other page is inaccessible: data pages
// 1, 3 and 5 lie between guard pages 0, 2, 4 and 6.
type guarded struct {
	mem  []byte
	page int
}

func newGuarded(t *testing.T) *guarded {
	t.Helper()
	page := syscall.Getpagesize()
	mem, err := syscall.Mmap(-1, 0, 7*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Skipf("mmap: %v", err)
	}
	t.Cleanup(func() { syscall.Munmap(mem) })
	for g := 0; g < 7; g += 2 {
		if err := syscall.Mprotect(mem[g*page:(g+1)*page], syscall.PROT_NONE); err != nil {
			t.Skipf("mprotect: %v", err)
		}
	}
	return &guarded{mem, page}
}

// slice returns room intervals of data page d (0, 1 or 2), against the
// guard page before it or, when atEnd, the one after it.
func (g *guarded) slice(d, room int, atEnd bool) []interval.Interval {
	const size = int(unsafe.Sizeof(interval.Interval{}))
	off := (2*d + 1) * g.page
	if atEnd {
		off += g.page - room*size
	}
	return unsafe.Slice((*interval.Interval)(unsafe.Pointer(&g.mem[off])), room)
}

// TestPointMergeGuardPages runs the vector merge on inputs that start or
// end against an inaccessible page, into a dst whose spare capacity does
// too, so that any load or store outside them faults: the merge must not
// read a lane it masked out, nor write one. Inputs are normalised (and the
// result checked) or raw, holding endpoints the encoding cannot.
func TestPointMergeGuardPages(t *testing.T) { eachVectorMerge(t, testPointMergeGuardPages) }

func testPointMergeGuardPages(t *testing.T) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer interval.LowerPointMin()()
	g := newGuarded(t)
	maxLen := min(200, g.page/int(unsafe.Sizeof(interval.Interval{})))
	r := rand.New(rand.NewPCG(8, 8))
	for round := range 3000 {
		var a, b []interval.Interval
		raw := round%4 == 3
		if raw {
			a = intervaloracle.RandomIntervals(r, 1+r.IntN(maxLen))
			b = intervaloracle.RandomIntervals(r, 1+r.IntN(maxLen))
		} else {
			a, b = pointShapes(r, 1+r.IntN(maxLen)), pointShapes(r, 1+r.IntN(maxLen))
		}
		if len(a) == 0 || len(b) == 0 {
			continue
		}
		if raw {
			a[r.IntN(len(a))].Start = 1 << 62
		}
		ga := g.slice(0, len(a), r.IntN(2) == 0)
		gb := g.slice(1, len(b), r.IntN(2) == 0)
		copy(ga, a)
		copy(gb, b)
		room := 1 + r.IntN(min(len(a)+len(b)+1, maxLen))
		dst := g.slice(2, room, r.IntN(2) == 0)[:0]
		for _, op := range pointOps {
			got, ok := interval.AppendPoints(op.name, dst, ga, gb)
			if !raw && ok {
				oa, ob := intervaloracle.FromIntervals(a...), intervaloracle.FromIntervals(b...)
				assertSetIs(t, op.want(oa, ob), got, "round %d %s", round, op.name)
			}
		}
	}
}

// TestPointMergeGuardPagesApart runs the vector merge against guard pages
// on inputs of every size up to 59 intervals lying one wholly before the
// other, so that one lane runs to an input's very end: the loads there
// must stay inside it.
func TestPointMergeGuardPagesApart(t *testing.T) { eachVectorMerge(t, testPointMergeGuardPagesApart) }

func testPointMergeGuardPagesApart(t *testing.T) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer interval.LowerPointMin()()
	g := newGuarded(t)
	for na := 1; na < 60; na++ {
		for nb := 1; nb < 60; nb++ {
			for place := range 8 {
				a, b := setSteps(na, 0, 10, 5), setSteps(nb, 1000, 10, 5)
				if place&4 != 0 {
					a, b = b, a
				}
				ga := g.slice(0, len(a), place&1 == 0)
				gb := g.slice(1, len(b), place&2 == 0)
				copy(ga, a)
				copy(gb, b)
				dst := g.slice(2, len(a)+len(b), place&1 != 0)[:0]
				for _, op := range pointOps {
					got, ok := interval.AppendPoints(op.name, dst, ga, gb)
					if ok {
						oa, ob := intervaloracle.FromIntervals(a...), intervaloracle.FromIntervals(b...)
						assertSetIs(t, op.want(oa, ob), got, "%s, %d and %d intervals", op.name, na, nb)
					}
				}
			}
		}
	}
}
