package interval_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/crossagenda/crossagenda/internal/testkit/treeoracle"
	"github.com/crossagenda/crossagenda/interval"
)

// ptrNode is a node of ptrTree, the same augmented AVL tree as interval.Tree
// but with one heap object per node, kept here to measure the node pool.
type ptrNode struct {
	iv          interval.Interval
	maxEnd      int64
	left, right *ptrNode
	height      int32
	value       int
}

type ptrTree struct{ root *ptrNode }

func ptrHeight(n *ptrNode) int32 {
	if n == nil {
		return 0
	}
	return n.height
}

func ptrMaxEnd(n *ptrNode) int64 {
	if n == nil {
		return math.MinInt64
	}
	return n.maxEnd
}

func ptrUpdate(n *ptrNode) {
	n.height = 1 + max(ptrHeight(n.left), ptrHeight(n.right))
	n.maxEnd = max(n.iv.End, ptrMaxEnd(n.left), ptrMaxEnd(n.right))
}

func ptrRotateRight(x *ptrNode) *ptrNode {
	y := x.left
	x.left, y.right = y.right, x
	ptrUpdate(x)
	ptrUpdate(y)
	return y
}

func ptrRotateLeft(x *ptrNode) *ptrNode {
	y := x.right
	x.right, y.left = y.left, x
	ptrUpdate(x)
	ptrUpdate(y)
	return y
}

func ptrInsert(x *ptrNode, iv interval.Interval, v int) *ptrNode {
	if x == nil {
		return &ptrNode{iv: iv, maxEnd: iv.End, height: 1, value: v}
	}
	if interval.Compare(iv, x.iv) < 0 {
		x.left = ptrInsert(x.left, iv, v)
	} else {
		x.right = ptrInsert(x.right, iv, v)
	}
	ptrUpdate(x)
	switch bf := ptrHeight(x.left) - ptrHeight(x.right); {
	case bf > 1:
		if ptrHeight(x.left.left) < ptrHeight(x.left.right) {
			x.left = ptrRotateLeft(x.left)
		}
		return ptrRotateRight(x)
	case bf < -1:
		if ptrHeight(x.right.right) < ptrHeight(x.right.left) {
			x.right = ptrRotateRight(x.right)
		}
		return ptrRotateLeft(x)
	}
	return x
}

func (t *ptrTree) appendOverlapping(dst []interval.Entry[int], x *ptrNode, q interval.Interval) []interval.Entry[int] {
	for x != nil && x.maxEnd > q.Start {
		dst = t.appendOverlapping(dst, x.left, q)
		if x.iv.Start >= q.End {
			return dst
		}
		if x.iv.End > q.Start {
			dst = append(dst, interval.Entry[int]{Interval: x.iv, Value: x.value})
		}
		x = x.right
	}
	return dst
}

// BenchmarkTreeLayout compares interval.Tree's node pool (impl=pool) with
// the same tree built from individually allocated nodes (impl=pointer):
// building n entries by inserts, then overlap queries on the result.
func BenchmarkTreeLayout(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		if n > 100_000 && testing.Short() {
			continue
		}
		entries, queries := treeoracle.Workload(n, 0, 1<<12, 1)
		b.Run(fmt.Sprintf("op=insert/n=%d/impl=pool", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var pool interval.Tree[int]
				for _, e := range entries {
					pool.Insert(e.Interval, e.Value)
				}
			}
		})
		b.Run(fmt.Sprintf("op=insert/n=%d/impl=pointer", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var ptr ptrTree
				for _, e := range entries {
					ptr.root = ptrInsert(ptr.root, e.Interval, e.Value)
				}
			}
		})
		var pool interval.Tree[int]
		var ptr ptrTree
		for _, e := range entries {
			pool.Insert(e.Interval, e.Value)
			ptr.root = ptrInsert(ptr.root, e.Interval, e.Value)
		}
		dst := make([]interval.Entry[int], 0, 64)
		b.Run(fmt.Sprintf("op=query/n=%d/impl=pool", n), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				dst = pool.AppendOverlapping(dst[:0], queries[i&(len(queries)-1)])
				i++
			}
		})
		b.Run(fmt.Sprintf("op=query/n=%d/impl=pointer", n), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				dst = ptr.appendOverlapping(dst[:0], ptr.root, queries[i&(len(queries)-1)])
				i++
			}
		})
	}
}
