package interval

// AppendAtLeast appends to dst the maximal intervals whose every instant lies
// in at least k of the normalised slices in sets: "k of N people are free".
//
// It sweeps the endpoints of all the slices once, merged through a heap of
// one cursor per slice, counting how many slices cover the sweep position, so
// it costs O(N log k') for N intervals in k' slices whatever k is. k = 1 is
// [AppendUnionAll] and k = len(sets) is [AppendIntersectAll], which it calls.
// k < 1 is treated as 1, since instants covered by no slice are unbounded;
// k > len(sets) gives nothing.
//
// It allocates nothing beyond growing dst when len(sets) <= 64; use a
// [Merger] above that.
func AppendAtLeast(dst []Interval, k int, sets ...[]Interval) []Interval {
	k = max(k, 1)
	switch {
	case k > len(sets):
		return dst
	case k == 1:
		return AppendUnionAll(dst, sets...)
	case k == len(sets):
		return AppendIntersectAll(dst, sets...)
	case len(sets) <= stackCursors:
		var buf [stackCursors]cursor
		return atLeast(dst, k, sets, buf[:0])
	}
	return atLeast(dst, k, sets, make([]cursor, 0, len(sets)))
}

// AppendAtLeast is [AppendAtLeast] with cursor storage reused across calls.
func (m *Merger) AppendAtLeast(dst []Interval, k int, sets ...[]Interval) []Interval {
	k = max(k, 1)
	switch {
	case k > len(sets):
		return dst
	case k == 1:
		return m.AppendUnionAll(dst, sets...)
	case k == len(sets):
		return m.AppendIntersectAll(dst, sets...)
	}
	return atLeast(dst, k, sets, m.cursors(len(sets)))
}

// atLeast is the sweep for 1 < k < len(sets); h has room for len(sets)
// cursors.
func atLeast(dst []Interval, k int, sets [][]Interval, h []cursor) []Interval {
	h = h[:0]
	for s, set := range sets {
		if len(set) > 0 {
			h = append(h, cursor{key: set[0].Start, set: s})
		}
	}
	heapify(h)
	// count is how many inputs cover the instants just after the sweep
	// position; it never exceeds len(h), so once fewer than k inputs remain
	// nothing more can reach k (and count >= k implies len(h) > 0).
	count := 0
	var start int64
	for len(h) >= k {
		p := h[0].key
		before := count
		// Apply every endpoint at p before testing the threshold, so an input
		// ending where another starts leaves no zero-length gap.
		for len(h) > 0 && h[0].key == p {
			c := &h[0]
			set := sets[c.set]
			e := c.idx
			count += 1 - 2*(e&1)
			e++
			if e < 2*len(set) {
				iv := set[e>>1]
				key := iv.Start
				if e&1 == 1 {
					key = iv.End
				}
				c.key, c.idx = key, e
			} else {
				last := len(h) - 1
				h[0] = h[last]
				h = h[:last]
			}
			siftDown(h)
		}
		if before < k && count >= k {
			start = p
		} else if before >= k && count < k {
			dst = append(dst, Interval{start, p})
		}
	}
	return dst
}
