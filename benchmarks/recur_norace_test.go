//go:build !race

package benchmarks

const recurGuardRace = false
