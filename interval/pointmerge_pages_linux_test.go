//go:build amd64 && !purego && linux

package interval

import (
	"math/rand/v2"
	"slices"
	"syscall"
	"testing"
	"unsafe"
)

// TestPointMergeStaysOnItsPages checks that the AVX-512 merges take no
// masked load whose skipped lanes reach another page past an input, which a
// page that is not present turns into a slow path (about 150 ns on a
// Zen 4): with an input against an inaccessible page, the merge must leave
// the last endpoints to finishPoints, and the result must still be right.
// It also checks that the back lane starts below the room's end by what
// the result cannot need, up to 8 endpoints.
func TestPointMergeStaysOnItsPages(t *testing.T) {
	page := syscall.Getpagesize()
	mem, err := syscall.Mmap(-1, 0, 3*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Skipf("mmap: %v", err)
	}
	defer syscall.Munmap(mem)
	if err := syscall.Mprotect(mem[:page], syscall.PROT_NONE); err != nil {
		t.Skipf("mprotect: %v", err)
	}
	if err := syscall.Mprotect(mem[2*page:], syscall.PROT_NONE); err != nil {
		t.Skipf("mprotect: %v", err)
	}
	const size = int(unsafe.Sizeof(Interval{}))
	for _, m := range vectorMerges {
		if m.form != avx512Merge && m.form != avx512VBMI2Merge {
			continue
		}
		t.Run(m.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(5, 5))
			for round := range 400 {
				n := 1 + r.IntN(12)
				atEnd := round%2 == 1
				off := page // a starts against the page before it
				if atEnd {
					off = 2*page - n*size // a ends against the page after it
				}
				a := unsafe.Slice((*Interval)(unsafe.Pointer(&mem[off])), n)
				copy(a, randomSet(r, n))
				b := randomSet(r, 1+r.IntN(12))
				room := len(a) + len(b) + r.IntN(6)
				out := make([]Interval, room)
				st := pointMerge{a: &a[0].Start, na: 2 * len(a), b: &b[0].Start, nb: 2 * len(b), out: &out[0].Start, lim: 2 * room, op: unionPoints}
				runMerge(m.form, &st)
				// With fewer than sixteen endpoints in a, every step is
				// masked: the front's window from a's first endpoints reaches
				// the page after a, and, when more than sixteen endpoints
				// are left in all, so that the back takes a step too, the
				// back's window ending at a's last reaches the page before.
				// The merge must then stop short of the end.
				touches := len(a) < 8 && (atEnd || 2*(len(a)+len(b)) > 16)
				if touches && st.full == 0 && st.i == st.na && st.j == st.nb {
					t.Fatalf("round %d: merged %d + %d intervals to the end, taking masked loads onto the page %s a", round, len(a), len(b), map[bool]string{false: "before", true: "after"}[atEnd])
				}
				got, ok := appendPoints(make([]Interval, 0, room), a, b, unionPoints)
				if want := appendUnionLanesOff(a, b); ok && !slices.Equal(got, want) {
					t.Fatalf("round %d: got %v, want %v", round, got, want)
				}
			}
		})
	}
}

// appendUnionLanesOff is the union by the portable merge.
func appendUnionLanesOff(a, b []Interval) []Interval {
	defer UseVectorMerge("")()
	return AppendUnion(nil, a, b)
}

// TestPointMergeBackStartsBelowTheEnd checks that appendPoints keeps the
// top of the room that the result cannot reach, up to 8 endpoints, out of
// the back lane's way.
func TestPointMergeBackStartsBelowTheEnd(t *testing.T) {
	if vectorMerge.form == noMerge {
		t.Skip("no vector merge")
	}
	defer LowerPointMin()()
	r := rand.New(rand.NewPCG(6, 6))
	a, b := randomSet(r, 30), randomSet(r, 30)
	for _, slack := range []int{0, 1, 3, 4, 10} {
		room := len(a) + len(b) + slack
		dst := make([]Interval, room)
		for i := range dst {
			dst[i] = Interval{-1, -1}
		}
		got, ok := appendPoints(dst[:0], a, b, unionPoints)
		if !ok {
			t.Fatalf("slack %d: the vector merge declined", slack)
		}
		if want := appendUnionLanesOff(a, b); !slices.Equal(got, want) {
			t.Fatalf("slack %d: got %v, want %v", slack, got, want)
		}
		// The last min(4, slack) intervals of the room were never written.
		for k := room - min(4, slack); k < room; k++ {
			if dst[k] != (Interval{-1, -1}) {
				t.Errorf("slack %d: the merge wrote room[%d] = %v, in the part kept free", slack, k, dst[k])
			}
		}
	}
}
