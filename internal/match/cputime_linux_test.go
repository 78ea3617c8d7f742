package match

import (
	"syscall"
	"time"
	"unsafe"
)

// threadCPU returns the CPU time the calling OS thread has used. Benchmarks
// lock their goroutine to one thread and report it beside wall time: on a
// shared machine the wall time of one demand includes waiting for a core,
// its CPU time does not. CLOCK_THREAD_CPUTIME_ID is exact; getrusage's
// per-thread figure only moves at scheduler ticks.
func threadCPU() time.Duration {
	const clockThreadCPUTimeID = 3
	var ts syscall.Timespec
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		return 0
	}
	return time.Duration(ts.Nano())
}
