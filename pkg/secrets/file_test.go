package secrets

import (
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

func TestFileRoundTrip(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "nested", "secrets.json")
	f, err := OpenFile(path, testKey)
	if err != nil {
		t.Fatal(err)
	}
	value := []byte(rand.Text())
	if err := f.Put(ctx, "jira/local/inst-1", value); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("file permissions %v, want 0600", perm)
	}
	if di, _ := os.Stat(filepath.Dir(path)); di.Mode().Perm() != 0o700 {
		t.Errorf("directory permissions %v, want 0700", di.Mode().Perm())
	}
	// A second store on the same file sees the value.
	g, err := OpenFile(path, testKey)
	if err != nil {
		t.Fatal(err)
	}
	got, err := g.Get(ctx, "jira/local/inst-1")
	if err != nil || string(got) != string(value) {
		t.Fatalf("Get = %q, %v; want %q", got, err, value)
	}
	// Replace, then delete (twice: deleting a missing name is fine).
	if err := g.Put(ctx, "jira/local/inst-1", []byte("second")); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.Get(ctx, "jira/local/inst-1"); string(got) != "second" {
		t.Errorf("after replace Get = %q", got)
	}
	for range 2 {
		if err := f.Delete(ctx, "jira/local/inst-1"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.Get(ctx, "jira/local/inst-1"); !errs.Is(err, errs.NotFound) {
		t.Errorf("Get after Delete: %v, want NotFound", err)
	}
	// Atomic replacement leaves no temporary files behind.
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only the secrets file", len(entries))
	}
}

func TestFileErrors(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	secret := rand.Text()

	loose := filepath.Join(dir, "loose.json")
	if err := os.WriteFile(loose, []byte(`{}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(loose, 0o644); err != nil {
		t.Fatal(err)
	}
	corrupt := filepath.Join(dir, "corrupt.json")
	if err := os.WriteFile(corrupt, []byte(`{"x": "`+secret), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := OpenFile(filepath.Join(dir, "ok.json"), testKey)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		run  func() error
		kind errs.Kind
	}{
		{"world-readable file", func() error { _, err := OpenFile(loose, testKey); return err }, errs.Invalid},
		{"corrupt file", func() error { _, err := OpenFile(corrupt, testKey); return err }, errs.Other},
		{"directory", func() error { _, err := OpenFile(dir, testKey); return err }, errs.Invalid},
		{"empty path", func() error { _, err := OpenFile("", testKey); return err }, errs.Invalid},
		{"bad name", func() error { return f.Put(ctx, "../etc/passwd", []byte("x")) }, errs.Invalid},
		{"name with space", func() error { _, err := f.Get(ctx, "a b"); return err }, errs.Invalid},
		{"empty value", func() error { return f.Put(ctx, "a", nil) }, errs.Invalid},
		{"too large", func() error { return f.Put(ctx, "a", make([]byte, MaxValue+1)) }, errs.TooLarge},
		{"missing", func() error { _, err := f.Get(ctx, "nope"); return err }, errs.NotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run()
			if !errs.Is(err, tt.kind) {
				t.Fatalf("err = %v, want kind %v", err, tt.kind)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error message leaks the file's contents: %v", err)
			}
		})
	}
}

func TestFileCanceled(t *testing.T) {
	f, err := OpenFile(filepath.Join(t.TempDir(), "s.json"), testKey)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := f.Put(ctx, "a", []byte("v")); err == nil || !strings.Contains(err.Error(), "canceled") {
		t.Errorf("Put with a canceled context: %v", err)
	}
	if _, err := os.Stat(f.Path()); !os.IsNotExist(err) {
		t.Errorf("a canceled Put wrote the file")
	}
}
