package synth

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

func TestDemo(t *testing.T) {
	snaps := Generate(Demo())
	accounts := map[string]bool{}
	vpcs, items := 0, 0
	for _, s := range snaps {
		accounts[s.Account] = true
		items += len(s.Items)
		for _, it := range s.Items {
			if it["resourceType"] == "AWS::EC2::VPC" {
				vpcs++
			}
		}
	}
	if len(accounts) < 3 || vpcs < 6 || items < 300 {
		t.Errorf("demo has %d accounts, %d VPCs, %d resources; want at least 3, 6, 300", len(accounts), vpcs, items)
	}
}

// TestDeterministic checks that generating twice gives the same bytes and
// that the committed demo data is what the generator writes.
func TestDeterministic(t *testing.T) {
	a, b := Generate(Demo()), Generate(Demo())
	for i := range a {
		ja, err := a[i].JSON()
		if err != nil {
			t.Fatal(err)
		}
		jb, _ := b[i].JSON()
		if !bytes.Equal(ja, jb) {
			t.Fatalf("snapshot %s differs between runs", a[i].Path())
		}
		committed, err := os.ReadFile(filepath.Join("..", "..", "..", "events", "demo", "aws", a[i].Path()))
		if err != nil {
			t.Fatalf("%v (run go run ./pkg/inventory/internal/gendemo)", err)
		}
		if !bytes.Equal(committed, ja) {
			t.Errorf("events/demo/aws/%s is stale; run go run ./pkg/inventory/internal/gendemo", a[i].Path())
		}
	}
}

// TestReadable checks that every generated item reads without problems.
func TestReadable(t *testing.T) {
	dir := t.TempDir()
	if _, err := Write(dir, Demo()); err != nil {
		t.Fatal(err)
	}
	r := inventory.NewReader(nil)
	if err := r.ReadPaths(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	items, skipped, failed := r.Report.Totals()
	if skipped != 0 || failed != 0 || items != r.Inventory.Len() {
		t.Errorf("read %d items, %d skipped, %d failed, %d live", items, skipped, failed, r.Inventory.Len())
	}
	if n := r.Inventory.Resolve(); n != 0 {
		t.Errorf("%d relationships left to resolve after ReadPaths", n)
	}
}

func TestThreeTierOfSize(t *testing.T) {
	for _, n := range []int{200, 2000} {
		got := 0
		for _, s := range Generate([]VPC{ThreeTierOfSize("123456789012", "x", 9, n)}) {
			got += len(s.Items)
		}
		if got < n*9/10 || got > n*11/10 {
			t.Errorf("ThreeTierOfSize(%d) has %d resources", n, got)
		}
	}
}
