package interval

import "math"

// Tree is a mutable interval tree: a multiset of (Interval, V) entries that
// answers overlap and stabbing queries in O(log n + k) for k results.
//
// Entries are ordered by Start, then End, then insertion order, so equal
// intervals (with equal or different values) are all kept, and [Tree.All]
// yields them in that order. Empty intervals are never stored.
//
// The tree is an AVL tree augmented with the maximum End of each subtree. Its
// nodes live in one slice addressed by int32 indices, with a free list for
// deleted nodes: a query walks one contiguous array, and Insert allocates only
// when that array grows (amortised O(1) allocations over n inserts, like
// append). Memory is about 40 bytes per entry plus the size of V; deleted
// slots are reused, not returned, until [Tree.Clear].
//
// The zero Tree is empty and ready to use.
//
// Concurrency: a Tree holds no locks. Any number of goroutines may query it
// at the same time (Len, All, Overlapping, AppendOverlapping, Stabbing,
// AppendStabbing, AnyOverlap), but Insert, Delete and Clear must not run
// concurrently with each other or with any query.
//
// Mutation during iteration: calling Insert, Delete or Clear on a Tree while
// ranging over one of its iterators is a programmer error; the iterator
// detects it when the loop body returns and panics.
type Tree[V comparable] struct {
	// nodes[0] is a sentinel standing for "no node": height 0, maxEnd
	// math.MinInt64, so the balancing and augmentation code needs no nil
	// checks. nodes and vals are parallel; values are kept apart so that
	// queries read only the 40-byte nodes.
	nodes []treeNode
	vals  []V
	root  int32
	free  int32  // head of the free list, linked through left; 0 when empty
	n     int    // number of stored entries
	gen   uint64 // bumped by every mutation, checked by iterators
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
	z := t.alloc(iv, v)
	t.gen++
	t.n++
	if t.root == 0 {
		t.root = z
		return true
	}
	// Descend to the upper-bound position of iv, remembering the path, then
	// retrace it restoring heights, max ends and balance.
	var path [treeMaxHeight]int32
	depth := 0
	nodes := t.nodes
	x := t.root
	for {
		path[depth] = x
		depth++
		n := &nodes[x]
		if iv.Start < n.start || (iv.Start == n.start && iv.End < n.end) {
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
	t.retrace(path[:depth])
	return true
}

// retrace rebalances every node of path (root first), bottom up, and
// re-links each rebalanced subtree into its parent.
func (t *Tree[V]) retrace(path []int32) {
	for i := len(path) - 1; i >= 0; i-- {
		x := path[i]
		y := t.balance(x)
		if y == x {
			continue
		}
		if i == 0 {
			t.root = y
			continue
		}
		p := &t.nodes[path[i-1]]
		if p.left == x {
			p.left = y
		} else {
			p.right = y
		}
	}
}

// Delete removes the earliest inserted entry whose interval equals iv and
// whose value equals v, and reports whether there was one. Cost: O(log n + d)
// where d is the number of entries with interval iv.
func (t *Tree[V]) Delete(iv Interval, v V) bool {
	if iv.Empty() || t.root == 0 {
		return false
	}
	root, removed := t.delete(t.root, iv, v)
	if removed == 0 {
		return false
	}
	t.root = root
	t.release(removed)
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
	n := &t.nodes[x]
	c := Compare(iv, Interval{n.start, n.end})
	var removed int32
	switch {
	case c < 0:
		n.left, removed = t.delete(n.left, iv, v)
	case c > 0:
		n.right, removed = t.delete(n.right, iv, v)
	default:
		// Equal intervals are in insertion order: the earliest match is
		// the leftmost, so look left before x and right after it.
		if n.left, removed = t.delete(n.left, iv, v); removed == 0 {
			if t.vals[x] == v {
				return t.unlink(x), x
			}
			n.right, removed = t.delete(n.right, iv, v)
		}
	}
	if removed == 0 {
		return x, 0
	}
	return t.balance(x), removed
}

// unlink removes node x from its subtree and returns the new subtree root.
// A node with two children is replaced by its in-order successor, which
// keeps the order of all other entries (including equal ones) unchanged.
func (t *Tree[V]) unlink(x int32) int32 {
	n := &t.nodes[x]
	switch {
	case n.left == 0:
		return n.right
	case n.right == 0:
		return n.left
	}
	right, m := t.unlinkMin(n.right)
	mn := &t.nodes[m]
	mn.left, mn.right = n.left, right
	return t.balance(m)
}

// unlinkMin unlinks the leftmost node of the subtree rooted at x and returns
// the new subtree root and the unlinked node.
func (t *Tree[V]) unlinkMin(x int32) (int32, int32) {
	n := &t.nodes[x]
	if n.left == 0 {
		return n.right, x
	}
	left, m := t.unlinkMin(n.left)
	t.nodes[x].left = left
	return t.balance(x), m
}

// Clear removes all entries. It keeps the node array's capacity for reuse and
// drops the references held by stored values.
func (t *Tree[V]) Clear() {
	clear(t.vals)
	t.nodes = t.nodes[:0]
	t.vals = t.vals[:0]
	t.root, t.free, t.n = 0, 0, 0
	t.gen++
}

// alloc returns a fresh leaf holding (iv, v), from the free list when it is
// not empty.
func (t *Tree[V]) alloc(iv Interval, v V) int32 {
	leaf := treeNode{start: iv.Start, end: iv.End, maxEnd: iv.End, height: 1}
	if z := t.free; z != 0 {
		t.free = t.nodes[z].left
		t.nodes[z] = leaf
		t.vals[z] = v
		return z
	}
	if len(t.nodes) == 0 {
		t.nodes = append(t.nodes, treeSentinel)
		var zero V
		t.vals = append(t.vals, zero)
	}
	if len(t.nodes) > math.MaxInt32 {
		panic("interval: Tree cannot hold more than 2^31-1 entries")
	}
	t.nodes = append(t.nodes, leaf)
	t.vals = append(t.vals, v)
	return int32(len(t.nodes) - 1)
}

// release puts node x on the free list and drops its value.
func (t *Tree[V]) release(x int32) {
	var zero V
	t.vals[x] = zero
	t.nodes[x] = treeNode{left: t.free}
	t.free = x
}

// update recomputes the height and max end of x from its children.
func (t *Tree[V]) update(x int32) {
	nodes := t.nodes
	n := &nodes[x]
	l, r := &nodes[n.left], &nodes[n.right]
	n.height = 1 + max(l.height, r.height)
	n.maxEnd = max(n.end, l.maxEnd, r.maxEnd)
}

// balance updates x and restores the AVL property at x, assuming both
// subtrees are balanced and their heights differ by at most 2. It returns
// the new root of the subtree.
func (t *Tree[V]) balance(x int32) int32 {
	t.update(x)
	nodes := t.nodes
	n := &nodes[x]
	switch bf := nodes[n.left].height - nodes[n.right].height; {
	case bf > 1:
		l := &nodes[n.left]
		if nodes[l.left].height < nodes[l.right].height {
			n.left = t.rotateLeft(n.left)
		}
		return t.rotateRight(x)
	case bf < -1:
		r := &nodes[n.right]
		if nodes[r.right].height < nodes[r.left].height {
			n.right = t.rotateRight(n.right)
		}
		return t.rotateLeft(x)
	}
	return x
}

func (t *Tree[V]) rotateRight(x int32) int32 {
	nodes := t.nodes
	y := nodes[x].left
	nodes[x].left = nodes[y].right
	nodes[y].right = x
	t.update(x)
	t.update(y)
	return y
}

func (t *Tree[V]) rotateLeft(x int32) int32 {
	nodes := t.nodes
	y := nodes[x].right
	nodes[x].right = nodes[y].left
	nodes[y].left = x
	t.update(x)
	t.update(y)
	return y
}
