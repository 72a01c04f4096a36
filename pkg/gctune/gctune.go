// Package gctune sets the garbage collector the way Bulwark's long-running
// server (`bulwark serve`) runs it, so that its benchmarks measure the
// server as it runs.
//
// A diagram save of a large model allocates several megabytes that die as
// soon as the answer is written, while the server's live heap stays small
// (the bolt store is memory-mapped, outside the heap). With Go's default
// target (GOGC=100) that means a collection every few saves, each taking
// CPU from the request in flight; letting the heap grow to five times the
// live data spends tens of megabytes to collect a fifth as often. The soft
// memory limit set beside it makes the collector work harder instead of
// letting the heap pass it, so the higher target never lets memory run
// away.
package gctune

import (
	"runtime/debug"
)

// Percent is the collector's target (as GOGC) the server runs with.
const Percent = 400

// Limit is the soft memory limit (as GOMEMLIMIT), in bytes, the server runs
// with.
const Limit = 1 << 30

// Settings is what Apply set; the zero value of a field means the
// environment chose it.
type Settings struct {
	Percent int
	Limit   int64
}

// Apply sets Percent unless the environment sets GOGC, and Limit unless it
// sets GOMEMLIMIT (getenv is os.Getenv or a test's), and returns what it
// set and a function that restores the settings before it.
func Apply(getenv func(string) string) (Settings, func()) {
	var s Settings
	prevPercent, prevLimit := -2, int64(-1)
	if getenv("GOGC") == "" {
		s.Percent = Percent
		prevPercent = debug.SetGCPercent(Percent)
	}
	if getenv("GOMEMLIMIT") == "" {
		s.Limit = Limit
		prevLimit = debug.SetMemoryLimit(Limit)
	}
	return s, func() {
		if prevPercent != -2 {
			debug.SetGCPercent(prevPercent)
		}
		if prevLimit >= 0 {
			debug.SetMemoryLimit(prevLimit)
		}
	}
}
