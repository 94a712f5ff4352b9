package interval

// AppendAtLeast appends to dst the maximal intervals whose every instant lies
// in at least k of the normalised slices in sets ("k of N people are free").
// One sweep over all endpoints through a tournament tree costs O(N log m)
// for N intervals in m slices whatever k is, never enumerating combinations;
// k < 1 counts as 1 and k > len(sets) gives nothing. It allocates nothing
// beyond growing dst for up to 64 slices, and two cursor arrays above that.
func AppendAtLeast(dst []Interval, k int, sets ...[]Interval) []Interval {
	k = max(k, 1)
	if k > len(sets) {
		return dst
	}
	var treeBuf [stackCursors]player
	var posBuf [stackCursors]int
	tree, pos := treeBuf[:], posBuf[:]
	if len(sets) > stackCursors {
		tree, pos = make([]player, len(sets)), make([]int, len(sets))
	}
	tree, pos = tree[:len(sets)], pos[:len(sets)]
	switch k {
	case 1:
		return unionAll(dst, sets, tree, pos)
	case len(sets):
		return intersectAll(dst, sets, pos)
	}
	return atLeast(dst, k, sets, tree, pos)
}

// atLeast is the sweep for 1 < k < len(sets); tree and pos have length
// len(sets). pos[s] is the next endpoint of input s: 2i for the Start of its
// interval i, 2i+1 for its End.
func atLeast(dst []Interval, k int, sets [][]Interval, tree []player, pos []int) []Interval {
	clear(pos)
	playoff(tree, sets)
	active := 0 // inputs with endpoints left
	for _, set := range sets {
		if len(set) > 0 {
			active++
		}
	}
	// count is how many inputs cover the instants just after the sweep
	// position. It never exceeds active, so once fewer than k inputs remain
	// nothing more can reach k.
	count := 0
	var start int64
	for active >= k {
		at := tree[0].key
		if at == exhausted {
			break
		}
		before := count
		// Apply every endpoint at this position before testing the
		// threshold, so an input ending where another starts leaves no
		// zero-length gap.
		for tree[0].key == at {
			s := tree[0].src
			set := sets[s]
			e := pos[s]
			count += 1 - 2*(e&1)
			e++
			pos[s] = e
			key := int64(exhausted)
			if e < 2*len(set) {
				iv := set[e>>1]
				key = iv.Start
				if e&1 == 1 {
					key = iv.End
				}
			} else {
				active--
			}
			replay(tree, s, key)
		}
		if before < k && count >= k {
			start = at
		} else if before >= k && count < k {
			dst = append(dst, Interval{start, at})
		}
	}
	// Ends at math.MaxInt64 look like exhausted inputs and stop the sweep
	// early; whatever still covers the sweep position ends there.
	if count >= k {
		dst = append(dst, Interval{start, exhausted})
	}
	return dst
}
