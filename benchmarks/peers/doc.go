// Package peers benchmarks crossagenda's interval trees against peer
// libraries on the same workloads. It is a separate module so that the
// peers never become dependencies of crossagenda itself.
//
// Run with: go test -run '^$' -bench . -count 6 | benchstat -col /impl -
package peers
