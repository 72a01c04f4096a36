package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/compliance"
)

// TestCommitted checks that demo/findings holds exactly what the generator
// writes, and that every file parses as compliance evidence with failures
// and passes.
func TestCommitted(t *testing.T) {
	files, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "..", "..", "..", "demo", "findings")
	var names []string
	for name, want := range files {
		names = append(names, name)
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%v (run go run ./pkg/compliance/internal/gendemo)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("demo/findings/%s is stale; run go run ./pkg/compliance/internal/gendemo", name)
		}
		p, err := compliance.Parse(want, compliance.Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(p.Evidence) == 0 || p.Skipped != 0 {
			t.Errorf("%s: %d observations, %d skipped", name, len(p.Evidence), p.Skipped)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if filepath.Ext(e.Name()) == ".json" && !slices.Contains(names, e.Name()) {
			t.Errorf("demo/findings/%s is not generated; remove it", e.Name())
		}
	}
	again, _ := Files()
	for n := range files {
		if !bytes.Equal(files[n], again[n]) {
			t.Errorf("%s differs between runs", n)
		}
	}
}

// TestMix checks that the demo has both results for the controls the
// reports show.
func TestMix(t *testing.T) {
	files, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	count := map[compliance.Status]int{}
	for _, data := range files {
		p, err := compliance.Parse(data, compliance.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range p.Evidence {
			count[e.Status]++
		}
	}
	if count[compliance.Compliant] == 0 || count[compliance.NonCompliant] == 0 {
		t.Errorf("results %v; want both passed and failed", count)
	}
}
