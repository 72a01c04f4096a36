package drift

import (
	"syscall"
	"testing"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/inventory/synth"
)

// BenchmarkDrift2000 compares a model with its 2,000-resource VPC after ten
// changes (deletions, renames, a new public IP, a new instance): rebuild
// and diff, from a parsed inventory (goal: under 100 ms).
func BenchmarkDrift2000(b *testing.B) {
	cat, load := setup(b, []synth.VPC{synth.ThreeTierOfSize(account, "big", 50, 2000)})
	inv := load()
	vpc := vpcNamed(b, inv, "big")
	m := build(b, cat, inv, vpc)
	insts := instances(inv, vpc)
	for i, name := range []string{"delete", "delete", "delete", "rename", "rename", "rename", "public IP", "public IP", "new instance", "new instance"} {
		mutations[name](inv, insts[i*7])
	}
	b.ReportAllocs()
	cpu0 := cpuTime()
	b.ResetTimer()
	for b.Loop() {
		rep, _, err := Compare(cat, m, inv)
		if err != nil {
			b.Fatal(err)
		}
		if rep.InSync() {
			b.Fatal("no drift found")
		}
	}
	b.StopTimer()
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// cpuTime is the process's user and system CPU time; on a shared machine it
// measures the work better than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
