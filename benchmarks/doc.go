// Package benchmarks holds crossagenda's benchmark suites and deterministic performance regression guards.
package benchmarks
