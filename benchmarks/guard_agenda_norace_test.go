//go:build !race

package benchmarks

// agendaGuardRace is true when the race detector is on: it allocates and
// slows code down on its own, so the allocation and growth guards of the
// queries skip.
const agendaGuardRace = false
