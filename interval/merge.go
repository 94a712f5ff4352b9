package interval

import "math"

// The k-way union and coverage sweeps pick the next item among k inputs with
// a tournament tree of losers (Knuth's "tree of losers", a heap variant): the
// winner sits at t[0], each internal node t[1..k-1] holds the loser of the
// match played there, and the inputs are its leaves. Advancing the winner
// replays the matches on the path from its leaf to the root: log2(k)
// comparisons at fixed positions, one per level, compiled to conditional
// moves. A binary heap needs two comparisons per level whose outcome steers
// the next memory access, and mispredicts about half of them on real data.

// player is an input of a k-way merge in the tournament tree, with the key of
// its next item: the Start of its next interval, or its next endpoint.
type player struct {
	key int64
	src int
}

// exhausted is the key of an input with nothing left. No interval starts at
// math.MaxInt64, so for unions it never ties with a real key; coverage sweeps
// stop there and treat ends at math.MaxInt64 specially.
const exhausted = math.MaxInt64

// stackCursors is how many inputs AppendAtLeast merges with cursors on the
// stack; more inputs cost two allocations per call.
const stackCursors = 64

// unionAll appends the union of sets to dst in O(N log k) for N intervals
// in k slices; runs of one slice's intervals that fall inside the interval
// being built cost O(1) each. tree and pos have length len(sets).
func unionAll(dst []Interval, sets [][]Interval, tree []player, pos []int) []Interval {
	switch len(sets) {
	case 0:
		return dst
	case 1:
		return append(dst, sets[0]...)
	case 2:
		return AppendUnion(dst, sets[0], sets[1])
	}
	clear(pos)
	playoff(tree, sets)
	if tree[0].key == exhausted {
		return dst
	}
	// An empty cur starting at the smallest Start absorbs the first interval.
	cur := Interval{tree[0].key, tree[0].key}
	for tree[0].key != exhausted {
		s := tree[0].src
		set := sets[s]
		idx := pos[s]
		x := set[idx]
		if x.Start > cur.End {
			dst = append(dst, cur)
			cur = x
		} else {
			cur.End = max(cur.End, x.End)
		}
		// This input's next intervals that start inside cur merge at once,
		// without replaying: runs of overlapping or nested intervals are
		// cheap.
		idx++
		for idx < len(set) && set[idx].Start <= cur.End {
			cur.End = max(cur.End, set[idx].End)
			idx++
		}
		pos[s] = idx
		key := int64(exhausted)
		if idx < len(set) {
			key = set[idx].Start
		}
		replay(tree, s, key)
	}
	return append(dst, cur)
}

// playoff builds the tournament tree over the first Starts of sets (all
// positions at 0).
func playoff(tree []player, sets [][]Interval) {
	if len(tree) == 1 {
		tree[0] = player{firstStart(sets[0]), 0}
		return
	}
	tree[0] = match(tree, sets, 1)
}

// match plays the subtree at node n, stores its loser there and returns its
// winner. Leaves are nodes k to 2k-1; recursion depth is log2(k).
func match(tree []player, sets [][]Interval, n int) player {
	if k := len(tree); n >= k {
		return player{firstStart(sets[n-k]), n - k}
	}
	win := match(tree, sets, 2*n)
	lose := match(tree, sets, 2*n+1)
	if lose.key < win.key {
		win, lose = lose, win
	}
	tree[n] = lose
	return win
}

func firstStart(set []Interval) int64 {
	if len(set) == 0 {
		return exhausted
	}
	return set[0].Start
}

// replay gives input s the key of its next item and replays its matches up
// to the root, leaving the new winner in tree[0]. The swap at each node is a
// pair of conditional moves, and the nodes visited depend only on s, so the
// loads do not wait for the comparisons.
func replay(tree []player, s int, key int64) {
	wk, ws := key, s
	for n := (s + len(tree)) >> 1; n > 0; n >>= 1 {
		p := tree[n]
		lk, ls := p.key, p.src
		if p.key < wk {
			lk, ls, wk, ws = wk, ws, p.key, p.src
		}
		tree[n] = player{lk, ls}
	}
	tree[0] = player{wk, ws}
}

// intersectAll appends the instants common to all of sets to dst. It
// leapfrogs: the slices in turn gallop to their first member ending after the
// candidate instant, so stretches the others rule out are skipped in
// O(log d) for d members, not scanned. pos has length len(sets).
func intersectAll(dst []Interval, sets [][]Interval, pos []int) []Interval {
	k := len(sets)
	switch k {
	case 0:
		return dst
	case 1:
		return append(dst, sets[0]...)
	case 2:
		return AppendIntersect(dst, sets[0], sets[1])
	}
	lo := int64(math.MinInt64)
	for s, set := range sets {
		if len(set) == 0 {
			return dst
		}
		lo = max(lo, set[0].Start)
		pos[s] = 0
	}
	// Invariant: lo is the candidate start of the next output interval, the
	// agree inputs visited last all contain lo, and hi is the least End of
	// their members containing it.
	hi := int64(math.MaxInt64)
	agree := 0
	for s := 0; ; s++ {
		if s == k {
			s = 0
		}
		set := sets[s]
		p := gallop(set, pos[s], lo)
		if p >= len(set) {
			return dst
		}
		pos[s] = p
		iv := set[p]
		if iv.Start > lo {
			lo, hi, agree = iv.Start, iv.End, 1
			continue
		}
		hi = min(hi, iv.End)
		agree++
		if agree == k {
			dst = append(dst, Interval{lo, hi})
			lo, hi, agree = hi, math.MaxInt64, 0
		}
	}
}

// gallop returns the first index at or after i of a member of a ending after
// t, probing i, i+1, i+3, i+7, ... before a binary search, so a short move
// costs O(1) and a move of d costs O(log d).
func gallop(a []Interval, i int, t int64) int {
	if i >= len(a) || a[i].End > t {
		return i
	}
	lo, step := i, 1 // a[lo].End <= t
	hi := lo + step
	for hi < len(a) && a[hi].End <= t {
		lo = hi
		step <<= 1
		hi = lo + step
	}
	if hi > len(a) {
		hi = len(a)
	}
	return lo + 1 + Search(a[lo+1:hi], t)
}
