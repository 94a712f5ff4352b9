package interval

// Search returns the index of the first member of the normalised slice a
// whose End is after t: the member containing t if there is one, otherwise
// the first member starting after t. It returns len(a) when every member ends
// at or before t. It is a binary search, O(log n).
func Search(a []Interval, t int64) int {
	lo, hi := 0, len(a)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if a[m].End <= t {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// searchStart returns the index of the first member of a with Start >= t.
func searchStart(a []Interval, t int64) int {
	lo, hi := 0, len(a)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if a[m].Start < t {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}
