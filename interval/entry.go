package interval

// Entry is an interval with the value stored under it, as held by a [Tree] or
// a [Static] and returned by their append-style queries.
type Entry[V any] struct {
	Interval
	Value V
}
