//go:build !race

package benchmarks

// setGuardRace is true when the race detector is on: it allocates on its own,
// so the allocation guards of the set algebra skip.
const setGuardRace = false
