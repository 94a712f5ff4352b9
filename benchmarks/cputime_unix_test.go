//go:build unix

package benchmarks

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the process has used, user and system: what
// checkGrowth measures, since it does not count the time another process
// holds the processor.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic("getrusage: " + err.Error())
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
