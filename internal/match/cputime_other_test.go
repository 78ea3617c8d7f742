//go:build !linux

package match

import "time"

// threadCPU is measured on Linux only; elsewhere the CPU metric reads 0.
func threadCPU() time.Duration { return 0 }
