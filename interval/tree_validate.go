package interval

import (
	"errors"
	"fmt"
	"math"
)

// validate checks every structural invariant of the tree: the sentinel, BST
// order, AVL balance, heights, max-end augmentation, the entry count, and
// that the free list and the tree together hold every node exactly once.
// It costs O(n) and exists for the tests.
func (t *Tree[V]) validate() error {
	if len(t.c.nodes) != len(t.vals) {
		return fmt.Errorf("tree: %d nodes but %d values", len(t.c.nodes), len(t.vals))
	}
	if len(t.c.nodes) == 0 {
		if t.c.root != 0 || t.c.free != 0 || t.n != 0 {
			return fmt.Errorf("tree: no node array but root=%d free=%d n=%d", t.c.root, t.c.free, t.n)
		}
		return nil
	}
	if t.c.nodes[0] != treeSentinel {
		return fmt.Errorf("tree: sentinel modified: %+v", t.c.nodes[0])
	}
	seen := make([]bool, len(t.c.nodes))
	seen[0] = true
	var prev *treeNode
	count := 0
	var walk func(x int32, depth int) (height int32, maxEnd int64, err error)
	walk = func(x int32, depth int) (int32, int64, error) {
		if x == 0 {
			return 0, math.MinInt64, nil
		}
		if x < 0 || int(x) >= len(t.c.nodes) {
			return 0, 0, fmt.Errorf("tree: node index %d out of range", x)
		}
		if seen[x] {
			return 0, 0, fmt.Errorf("tree: node %d reached twice", x)
		}
		if depth >= treeMaxHeight {
			return 0, 0, errors.New("tree: deeper than treeMaxHeight")
		}
		seen[x] = true
		n := &t.c.nodes[x]
		lh, lm, err := walk(n.left, depth+1)
		if err != nil {
			return 0, 0, err
		}
		if n.end <= n.start {
			return 0, 0, fmt.Errorf("tree: node %d holds empty interval [%d, %d)", x, n.start, n.end)
		}
		if prev != nil && Compare(Interval{prev.start, prev.end}, Interval{n.start, n.end}) > 0 {
			return 0, 0, fmt.Errorf("tree: order broken at node %d: [%d, %d) after [%d, %d)", x, n.start, n.end, prev.start, prev.end)
		}
		prev = n
		count++
		rh, rm, err := walk(n.right, depth+1)
		if err != nil {
			return 0, 0, err
		}
		if lh-rh > 1 || rh-lh > 1 {
			return 0, 0, fmt.Errorf("tree: node %d unbalanced: left height %d, right height %d", x, lh, rh)
		}
		if h := 1 + max(lh, rh); n.height != h {
			return 0, 0, fmt.Errorf("tree: node %d height %d, want %d", x, n.height, h)
		}
		if m := max(n.end, lm, rm); n.maxEnd != m {
			return 0, 0, fmt.Errorf("tree: node %d maxEnd %d, want %d", x, n.maxEnd, m)
		}
		return n.height, n.maxEnd, nil
	}
	if _, _, err := walk(t.c.root, 0); err != nil {
		return err
	}
	if count != t.n {
		return fmt.Errorf("tree: %d nodes reachable, Len %d", count, t.n)
	}
	var zero V
	free := 0
	for x := t.c.free; x != 0; x = t.c.nodes[x].left {
		if x < 0 || int(x) >= len(t.c.nodes) {
			return fmt.Errorf("tree: free index %d out of range", x)
		}
		if seen[x] {
			return fmt.Errorf("tree: free node %d is also in the tree or on the free list twice", x)
		}
		seen[x] = true
		if n := t.c.nodes[x]; n != (treeNode{left: n.left}) || t.vals[x] != zero {
			return fmt.Errorf("tree: free node %d not cleared: %+v", x, n)
		}
		free++
	}
	if count+free != len(t.c.nodes)-1 {
		return fmt.Errorf("tree: %d in tree + %d free != %d allocated", count, free, len(t.c.nodes)-1)
	}
	return nil
}
