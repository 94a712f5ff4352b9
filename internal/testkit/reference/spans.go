package reference

import (
	"slices"
	"time"
)

// Span is the half-open time interval [Start, End).
type Span struct {
	Start, End time.Time
}

func (s Span) empty() bool { return !s.Start.Before(s.End) }

// overlaps reports whether s and [from, to) share an instant.
func (s Span) overlaps(from, to time.Time) bool {
	return s.Start.Before(to) && s.End.After(from) && !s.empty()
}

// union returns the maximal intervals covered by spans: sorted, disjoint,
// non-touching, non-empty. It does not modify its argument.
func union(spans []Span) []Span {
	sorted := make([]Span, 0, len(spans))
	for _, s := range spans {
		if !s.empty() {
			sorted = append(sorted, s)
		}
	}
	slices.SortFunc(sorted, func(a, b Span) int { return a.Start.Compare(b.Start) })
	var out []Span
	for _, s := range sorted {
		if n := len(out); n > 0 && !s.Start.After(out[n-1].End) {
			if s.End.After(out[n-1].End) {
				out[n-1].End = s.End
			}
			continue
		}
		out = append(out, s)
	}
	return out
}

// subtract returns union(a) minus union(b), as maximal intervals.
func subtract(a, b []Span) []Span {
	a, b = union(a), union(b)
	var out []Span
	for _, s := range a {
		cur := s
		for _, cut := range b {
			if !cut.End.After(cur.Start) {
				continue // cut lies wholly before cur
			}
			if !cut.Start.Before(cur.End) {
				break // cut and every later one lie after cur
			}
			if cut.Start.After(cur.Start) {
				out = append(out, Span{cur.Start, cut.Start})
			}
			cur.Start = cut.End
			if cur.empty() {
				break
			}
		}
		if !cur.empty() {
			out = append(out, cur)
		}
	}
	return out
}

// clip returns union(spans) intersected with [from, to).
func clip(spans []Span, from, to time.Time) []Span {
	var out []Span
	for _, s := range union(spans) {
		if s.Start.Before(from) {
			s.Start = from
		}
		if s.End.After(to) {
			s.End = to
		}
		if !s.empty() {
			out = append(out, s)
		}
	}
	return out
}

// covered returns the maximal intervals covered by at least k of the span
// sets, by a sweep over their boundaries (each set is first normalised so
// that it counts once wherever it covers).
func covered(sets [][]Span, k int) []Span {
	type edge struct {
		at    time.Time
		delta int
	}
	var edges []edge
	for _, set := range sets {
		for _, s := range union(set) {
			edges = append(edges, edge{s.Start, +1}, edge{s.End, -1})
		}
	}
	slices.SortFunc(edges, func(a, b edge) int { return a.at.Compare(b.at) })
	var out []Span
	count := 0
	for i := 0; i < len(edges); {
		at := edges[i].at
		before := count
		for ; i < len(edges) && edges[i].at.Equal(at); i++ {
			count += edges[i].delta
		}
		switch {
		case before < k && count >= k:
			out = append(out, Span{Start: at})
		case before >= k && count < k:
			out[len(out)-1].End = at
		}
	}
	return union(out)
}
