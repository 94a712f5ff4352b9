//go:build !unix

package benchmarks

import "time"

var processStart = time.Now()

// processCPU stands for the process's CPU time where getrusage is
// missing: the time since the package was initialized, which counts
// another process's turns too.
func processCPU() time.Duration { return time.Since(processStart) }
