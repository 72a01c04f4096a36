package bolt

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/store"
	"github.com/bulwark-tm/bulwark/pkg/store/storetest"
)

func newStore(t *testing.T) store.Store {
	s, err := Open(filepath.Join(t.TempDir(), "bulwark.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, newStore)
}

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		path string
		kind errs.Kind // Other means success
	}{
		{"creates parent directories", filepath.Join(dir, "a", "b", "c.db"), errs.Other},
		{"empty path", "", errs.Invalid},
		{"parent is a file", filepath.Join(dir, "file", "x.db"), errs.Other},
	}
	if err := os.WriteFile(filepath.Join(dir, "file"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Open(tc.path)
			if tc.kind == errs.Other && tc.name == "creates parent directories" {
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				if fi, err := os.Stat(tc.path); err != nil || fi.Mode().Perm() != 0o600 {
					t.Fatalf("database file: %v, mode %v; want 0600", err, fi.Mode())
				}
				return
			}
			if err == nil {
				s.Close()
				t.Fatal("got no error")
			}
			if got := errs.KindOf(err); got != tc.kind {
				t.Fatalf("got %s error %v, want %s", got, err, tc.kind)
			}
		})
	}
}

// TestOpenLocked opens the same file twice: bbolt's file lock is per open
// file, so the second Open stands for a second bulwark process.
func TestOpenLocked(t *testing.T) {
	old := OpenTimeout
	OpenTimeout = 200 * time.Millisecond
	t.Cleanup(func() { OpenTimeout = old })

	path := filepath.Join(t.TempDir(), "bulwark.db")
	first, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	second, err := Open(path)
	if err == nil {
		second.Close()
		t.Fatal("second Open of a locked database succeeded")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("second Open took %v", d)
	}
	if !errs.Is(err, errs.Unavailable) || !strings.Contains(err.Error(), "locked by another bulwark process") {
		t.Fatalf("got %v, want an Unavailable error saying the database is locked", err)
	}

	// Once the first is closed the file opens again with its data.
	ctx := context.Background()
	if err := first.Create(ctx, &store.Record{Tenant: "t", Kind: store.KindModel, ID: "m", Body: []byte("kept")}); err != nil {
		t.Fatal(err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	r, err := again.Get(ctx, "t", store.KindModel, "m")
	if err != nil || string(r.Body) != "kept" {
		t.Fatalf("after reopening: %v, %v", r, err)
	}
}

// TestCorruptValue checks that a value this driver did not write is
// reported, not decoded into garbage.
func TestCorruptValue(t *testing.T) {
	s := newStore(t).(*Store)
	ctx := context.Background()
	if err := s.Create(ctx, &store.Record{Tenant: "t", Kind: store.KindModel, ID: "m", Body: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		value []byte
	}{
		{"short", []byte{1, 2}},
		{"unknown format", append([]byte{9}, make([]byte, headerLen)...)},
		{"summary past the end", encodeValue(1, time.Now(), []byte("abc"), nil)[:headerLen+2]},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := s.db.Update(func(tx *bbolt.Tx) error {
				return bucket(tx, "t", store.KindModel).Put([]byte("m"), tc.value)
			}); err != nil {
				t.Fatal(err)
			}
			_, err := s.Get(ctx, "t", store.KindModel, "m")
			if err == nil || errs.KindOf(err) != errs.Other || !strings.Contains(err.Error(), "corrupt") {
				t.Fatalf("got %v, want a corrupt record error", err)
			}
		})
	}
}

func benchmarkModels(b *testing.B) store.Models {
	s, err := Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	models := store.Models{Store: s}
	if err := models.Create(context.Background(), storetest.GenerateModel("t", "bench", 1000)); err != nil {
		b.Fatal(err)
	}
	return models
}

// BenchmarkGetModel reads a 1,000-component model through store.Models.
func BenchmarkGetModel(b *testing.B) {
	models := benchmarkModels(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := models.Get(ctx, "t", "bench"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUpdateModel writes a 1,000-component model through store.Models.
func BenchmarkUpdateModel(b *testing.B) {
	models := benchmarkModels(b)
	ctx := context.Background()
	m, err := models.Get(ctx, "t", "bench")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := models.Update(ctx, m, m.Revision); err != nil {
			b.Fatal(err)
		}
	}
}

// TestOpenOlderPageSize: a file made with bbolt's default 4 KiB pages (by
// an earlier version) opens and keeps working; new files get 16 KiB pages.
func TestOpenOlderPageSize(t *testing.T) {
	old := filepath.Join(t.TempDir(), "old.db")
	db, err := bbolt.Open(old, 0o600, &bbolt.Options{PageSize: 4096})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := Open(old)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	r := &store.Record{Tenant: "t", Kind: "k", ID: "a", Summary: []byte(`{}`), Body: []byte(strings.Repeat("x", 20000))}
	if err := s.Create(ctx, r); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, "t", "k", "a")
	if err != nil || string(got.Body) != string(r.Body) {
		t.Fatalf("get: %v", err)
	}
	if ps := s.db.Info().PageSize; ps != 4096 {
		t.Errorf("page size of the older file %d, want it kept at 4096", ps)
	}
	s.Close()

	n, err := Open(filepath.Join(t.TempDir(), "new.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	if ps := n.db.Info().PageSize; ps != 16<<10 {
		t.Errorf("page size of a new file %d, want 16384", ps)
	}
}
