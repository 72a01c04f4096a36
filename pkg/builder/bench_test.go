package builder

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/inventory"
	"github.com/bulwark-tm/bulwark/pkg/inventory/synth"
	"github.com/bulwark-tm/bulwark/pkg/store"
	"github.com/bulwark-tm/bulwark/pkg/store/bolt"
)

// benchEndToEnd runs parse → diagram → analysis → persist to bolt for every
// VPC in the snapshot files of vpcs, once per iteration.
func benchEndToEnd(b *testing.B, vpcs []synth.VPC) {
	dir := b.TempDir()
	if _, err := synth.Write(filepath.Join(dir, "config"), vpcs); err != nil {
		b.Fatal(err)
	}
	st, err := bolt.Open(filepath.Join(dir, "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	models := store.Models{Store: st}
	cat := catalogT(b)
	ctx := context.Background()
	var resources, components int
	b.ReportAllocs()
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		r := inventory.NewReader(nil)
		if err := r.ReadPaths(ctx, filepath.Join(dir, "config")); err != nil {
			b.Fatal(err)
		}
		resources, components = r.Inventory.Len(), 0
		for _, v := range VPCs(r.Inventory) {
			res, err := Build(cat, r.Inventory, Options{VPC: v.ID, Account: v.AccountID, Region: v.Region})
			if err != nil {
				b.Fatal(err)
			}
			m := res.Model
			m.ID = fmt.Sprintf("%s-%d", m.ID, i)
			m.Tenant = "bench"
			if an := analysis.Analyze(cat, m, nil); len(an.Threats) == 0 {
				b.Fatal("no threats")
			}
			if err := models.Create(ctx, m); err != nil {
				b.Fatal(err)
			}
			components += len(m.Diagram.Components)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(resources), "resources")
	b.ReportMetric(float64(components), "components")
	b.ReportMetric(float64(ms.Sys)/(1<<20), "MiB-sys")
}

// BenchmarkBuildVPC2000 builds one 2,000-resource VPC end to end from
// snapshot files (goal: under 1 s, under 500 MB).
func BenchmarkBuildVPC2000(b *testing.B) {
	benchEndToEnd(b, []synth.VPC{synth.ThreeTierOfSize("123456789012", "big", 50, 2000)})
}

// BenchmarkBuildOrg20000 builds every VPC of a 20,000-resource organization
// (ten accounts, one 2,000-resource VPC each) end to end (goal: under 10 s,
// under 500 MB).
func BenchmarkBuildOrg20000(b *testing.B) {
	var vpcs []synth.VPC
	for i := range 10 {
		vpcs = append(vpcs, synth.ThreeTierOfSize(fmt.Sprintf("1234567890%02d", i), fmt.Sprintf("app%d", i), 50+i, 2000))
	}
	benchEndToEnd(b, vpcs)
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
