//go:build amd64 && !purego

package interval

import (
	"testing"
	"unsafe"
)

// TestPointMergeLayout pins the field offsets that pointmerge_amd64.h
// hard-codes for both assembly merges.
func TestPointMergeLayout(t *testing.T) {
	var m pointMerge
	var op pointOp
	for _, f := range []struct {
		name      string
		got, want uintptr
	}{
		{"pointMerge.a", unsafe.Offsetof(m.a), 0},
		{"pointMerge.b", unsafe.Offsetof(m.b), 8},
		{"pointMerge.na", unsafe.Offsetof(m.na), 16},
		{"pointMerge.nb", unsafe.Offsetof(m.nb), 24},
		{"pointMerge.i", unsafe.Offsetof(m.i), 32},
		{"pointMerge.j", unsafe.Offsetof(m.j), 40},
		{"pointMerge.out", unsafe.Offsetof(m.out), 48},
		{"pointMerge.w", unsafe.Offsetof(m.w), 56},
		{"pointMerge.lim", unsafe.Offsetof(m.lim), 64},
		{"pointMerge.w2", unsafe.Offsetof(m.w2), 72},
		{"pointMerge.op", unsafe.Offsetof(m.op), 80},
		{"pointMerge.full", unsafe.Offsetof(m.full), 88},
		{"pointMerge.left", unsafe.Offsetof(m.left), 96},
		{"pointOp.ties", unsafe.Offsetof(op.ties), 0},
		{"pointOp.emit", unsafe.Offsetof(op.emit), 256},
		{"pointOp.biased", unsafe.Offsetof(op.biased), 1280},
		{"pointOp.keep", unsafe.Offsetof(op.keep), 1408},
		{"pointOp.tiesHigh", unsafe.Offsetof(op.tiesHigh), 1472},
	} {
		if f.got != f.want {
			t.Errorf("%s at offset %d, the assembly reads it at %d", f.name, f.got, f.want)
		}
	}
}
