//go:build !race

package benchmarks

// treeRaceEnabled reports whether the race detector is on; allocation
// guards skip then, as it changes allocation counts.
const treeRaceEnabled = false
