//go:build race

package benchmarks

// recurGuardRace is true when the race detector is on: it allocates on its
// own, so the recurrence allocation guards skip.
const recurGuardRace = true
