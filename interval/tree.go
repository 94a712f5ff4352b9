package interval

import (
	"math"
	"slices"
)

// Tree is a mutable interval tree: a multiset of (Interval, V) entries with
// Insert and Delete in O(log n) and overlap queries in O(log n + k) for k
// results. Equal intervals are all kept, in insertion
// order; empty ones are never stored. The zero Tree is empty and ready to use.
//
// It is an AVL tree augmented with the largest End of each subtree, its nodes
// in one pointer-free slice that doubles as needed (O(log n) allocations over
// n inserts, nothing for the garbage collector to scan): 40 bytes per entry
// plus V, up to twice that after a doubling.
//
// Queries may run concurrently with each other; Insert and Delete must not
// run concurrently with anything. Changing the tree while ranging over All
// is a programmer error, and the iterator panics.
type Tree[V comparable] struct {
	c    treeCore
	vals []V    // vals[x] is the value of node x; kept apart so queries read only nodes
	n    int    // number of stored entries
	gen  uint64 // bumped by every mutation, checked by iterators
}

// treeCore is the value-independent part of a Tree: the balanced,
// augmented structure over the node array. Keeping it out of the generic
// type lets the compiler build one plain copy of the hot code.
type treeCore struct {
	// nodes[0] is a sentinel standing for "no node": height 0, maxEnd
	// math.MinInt64, so the balancing and augmentation code needs no nil
	// checks.
	nodes []treeNode
	root  int32
	free  int32 // head of the free list, linked through left; 0 when empty
}

type treeNode struct {
	start, end  int64
	maxEnd      int64 // max end over this node's subtree
	left, right int32
	height      int32 // 1 for a leaf, 0 for the sentinel and free nodes
}

// treeMaxHeight bounds the height of an AVL tree of at most 2^31-1 nodes
// (the minimal AVL tree of height 45 has F(47)-1 > 2^31 nodes), so fixed
// stacks of this size never overflow.
const treeMaxHeight = 48

var treeSentinel = treeNode{maxEnd: math.MinInt64}

// Len returns the number of entries in the tree.
func (t *Tree[V]) Len() int { return t.n }

// Insert adds v under iv and reports true. An empty interval is not stored:
// Insert then does nothing and reports false. Equal intervals are allowed;
// the new entry comes after the existing equal ones in iteration order.
// Cost: O(log n), and an allocation only when the node array grows.
func (t *Tree[V]) Insert(iv Interval, v V) bool {
	if iv.Empty() {
		return false
	}
	if c := &t.c; c.free == 0 && len(c.nodes) == cap(c.nodes) && len(c.nodes) > 1 {
		t.grow()
	}
	z := t.c.alloc(iv)
	if int(z) < len(t.vals) {
		t.vals[z] = v // a reused node
	} else {
		if len(t.vals) == 0 {
			var zero V
			t.vals = append(t.vals, zero) // the sentinel's slot
		}
		if len(t.vals) == cap(t.vals) {
			t.vals = slices.Grow(t.vals, len(t.vals))
		}
		t.vals = append(t.vals, v)
	}
	t.c.insert(z)
	t.gen++
	t.n++
	return true
}

// Delete removes the earliest inserted entry whose interval equals iv and
// whose value equals v, and reports whether there was one. Cost: O(log n + d)
// where d is the number of entries with interval iv.
func (t *Tree[V]) Delete(iv Interval, v V) bool {
	if iv.Empty() || t.c.root == 0 {
		return false
	}
	root, removed := t.delete(t.c.root, iv, v)
	if removed == 0 {
		return false
	}
	t.c.root = root
	t.c.release(removed)
	var zero V
	t.vals[removed] = zero
	t.gen++
	t.n--
	return true
}

// delete removes a node matching (iv, v) from the subtree rooted at x and
// returns the new subtree root and the index of the unlinked node (0 when
// nothing matched). Equal intervals may sit on both sides of a node with the
// same interval, so such a node searches both sides.
func (t *Tree[V]) delete(x int32, iv Interval, v V) (int32, int32) {
	if x == 0 {
		return 0, 0
	}
	c := &t.c
	n := &c.nodes[x]
	var removed int32
	switch {
	case iv.Start < n.start || (iv.Start == n.start && iv.End < n.end):
		n.left, removed = t.delete(n.left, iv, v)
	case iv.Start > n.start || iv.End > n.end:
		n.right, removed = t.delete(n.right, iv, v)
	default:
		// Equal intervals are in insertion order: the earliest match is
		// the leftmost, so look left before x and right after it.
		if n.left, removed = t.delete(n.left, iv, v); removed == 0 {
			if t.vals[x] == v {
				return c.unlink(x), x
			}
			n.right, removed = t.delete(n.right, iv, v)
		}
	}
	if removed == 0 {
		return x, 0
	}
	return c.balance(x), removed
}

// grow doubles the capacity of the node and value arrays, copying the
// nodes in key order: a subtree then occupies one contiguous run of memory,
// so the lower levels of a descent share cache lines and pages, as a binary
// search over a sorted slice does. Nodes inserted after the last growth sit
// at the end, in insertion order. Called only when the free list is empty,
// so every node but the sentinel is in the tree. O(n), like the copy that
// append would do anyway.
func (t *Tree[V]) grow() {
	old, oldVals := t.c.nodes, t.vals
	nodes := make([]treeNode, len(old), 2*len(old))
	vals := make([]V, len(old), 2*len(old))
	nodes[0] = treeSentinel
	// Pass 1: copy in order; the old node's height, no longer needed,
	// records its new index (the sentinel's 0 maps to itself).
	var stack [treeMaxHeight]int32
	sp, k := 0, int32(1)
	x := t.c.root
	for {
		for x != 0 {
			stack[sp] = x
			sp++
			x = old[x].left
		}
		if sp == 0 {
			break
		}
		sp--
		x = stack[sp]
		nodes[k], vals[k] = old[x], oldVals[x]
		old[x].height = k
		k++
		x = old[x].right
	}
	// Pass 2: translate the child links.
	for i := 1; i < int(k); i++ {
		n := &nodes[i]
		n.left, n.right = old[n.left].height, old[n.right].height
	}
	t.c.root = old[t.c.root].height
	t.c.nodes, t.vals = nodes, vals
}

// alloc returns a fresh leaf holding iv, from the free list when it is not
// empty. The caller stores the value at the same index.
func (c *treeCore) alloc(iv Interval) int32 {
	leaf := treeNode{start: iv.Start, end: iv.End, maxEnd: iv.End, height: 1}
	if z := c.free; z != 0 {
		c.free = c.nodes[z].left
		c.nodes[z] = leaf
		return z
	}
	if len(c.nodes) == 0 {
		c.nodes = append(c.nodes, treeSentinel)
	}
	if len(c.nodes) > math.MaxInt32 {
		panic("interval: Tree cannot hold more than 2^31-1 entries")
	}
	if len(c.nodes) == cap(c.nodes) {
		// Doubling rather than append's 1.25x for large slices halves the
		// bytes copied while building a large tree, for at most 2x capacity.
		c.nodes = slices.Grow(c.nodes, len(c.nodes))
	}
	c.nodes = append(c.nodes, leaf)
	return int32(len(c.nodes) - 1)
}

// release puts the unlinked node x on the free list.
func (c *treeCore) release(x int32) {
	c.nodes[x] = treeNode{left: c.free}
	c.free = x
}

// insert links the fresh leaf z at the upper-bound position of its interval,
// then retraces the path bottom up, restoring heights, max ends and balance
// until a node comes out unchanged.
func (c *treeCore) insert(z int32) {
	if c.root == 0 {
		c.root = z
		return
	}
	var path [treeMaxHeight]int32
	depth := 0
	nodes := c.nodes
	zs, ze := nodes[z].start, nodes[z].end
	x := c.root
	for {
		path[depth] = x
		depth++
		n := &nodes[x]
		if zs < n.start || (zs == n.start && ze < n.end) {
			if n.left == 0 {
				n.left = z
				break
			}
			x = n.left
		} else {
			if n.right == 0 {
				n.right = z
				break
			}
			x = n.right
		}
	}
	for i := depth - 1; i >= 0; i-- {
		x := path[i]
		n := &nodes[x]
		h, m := n.height, n.maxEnd
		y := c.balance(x)
		if y == x {
			if n.height == h && n.maxEnd == m {
				return // nothing above can change
			}
			continue
		}
		if i == 0 {
			c.root = y
		} else if p := &nodes[path[i-1]]; p.left == x {
			p.left = y
		} else {
			p.right = y
		}
	}
}

// unlink removes node x from its subtree and returns the new subtree root.
// A node with two children is replaced by its in-order successor, which
// keeps the order of all other entries (including equal ones) unchanged.
func (c *treeCore) unlink(x int32) int32 {
	n := &c.nodes[x]
	switch {
	case n.left == 0:
		return n.right
	case n.right == 0:
		return n.left
	}
	right, m := c.unlinkMin(n.right)
	mn := &c.nodes[m]
	mn.left, mn.right = n.left, right
	return c.balance(m)
}

// unlinkMin unlinks the leftmost node of the subtree rooted at x and returns
// the new subtree root and the unlinked node.
func (c *treeCore) unlinkMin(x int32) (int32, int32) {
	n := &c.nodes[x]
	if n.left == 0 {
		return n.right, x
	}
	left, m := c.unlinkMin(n.left)
	n.left = left
	return c.balance(x), m
}

// update recomputes the height and max end of x from its children.
func (c *treeCore) update(x int32) {
	nodes := c.nodes
	n := &nodes[x]
	l, r := &nodes[n.left], &nodes[n.right]
	n.height = 1 + max(l.height, r.height)
	n.maxEnd = max(n.end, l.maxEnd, r.maxEnd)
}

// balance updates x and restores the AVL property at x, assuming both
// subtrees are balanced and their heights differ by at most 2. It returns
// the new root of the subtree.
func (c *treeCore) balance(x int32) int32 {
	c.update(x)
	nodes := c.nodes
	n := &nodes[x]
	switch bf := nodes[n.left].height - nodes[n.right].height; {
	case bf > 1:
		l := &nodes[n.left]
		if nodes[l.left].height < nodes[l.right].height {
			n.left = c.rotateLeft(n.left)
		}
		return c.rotateRight(x)
	case bf < -1:
		r := &nodes[n.right]
		if nodes[r.right].height < nodes[r.left].height {
			n.right = c.rotateRight(n.right)
		}
		return c.rotateLeft(x)
	}
	return x
}

func (c *treeCore) rotateRight(x int32) int32 {
	nodes := c.nodes
	y := nodes[x].left
	nodes[x].left = nodes[y].right
	nodes[y].right = x
	c.update(x)
	c.update(y)
	return y
}

func (c *treeCore) rotateLeft(x int32) int32 {
	nodes := c.nodes
	y := nodes[x].right
	nodes[x].right = nodes[y].left
	nodes[y].left = x
	c.update(x)
	c.update(y)
	return y
}
