// Package race reports whether the race detector is built in. Allocation and
// growth guards skip under it, because it allocates and slows code down on its
// own.
package race
