package demo

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/store"
	"github.com/bulwark-tm/bulwark/pkg/store/bolt"
)

func TestSeedIsIdempotent(t *testing.T) {
	st, err := bolt.Open(filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	n, err := Seed(ctx, st, "local", "admin")
	if err != nil || n != 1 {
		t.Fatalf("first seed: n=%d err=%v", n, err)
	}
	n, err = Seed(ctx, st, "local", "admin")
	if err != nil || n != 0 {
		t.Fatalf("second seed: n=%d err=%v", n, err)
	}
	got, err := store.Models{Store: st}.Get(ctx, "local", "demo-web-shop")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Diagram.Components) < 10 || len(got.Diagram.Flows) < 10 || got.Revision != 1 {
		t.Errorf("seeded model: %d components, %d flows, revision %d", len(got.Diagram.Components), len(got.Diagram.Flows), got.Revision)
	}
	// Another tenant is seeded separately.
	if n, _ := Seed(ctx, st, "acme", "ann"); n != 1 {
		t.Errorf("other tenant seeded %d", n)
	}
}

func TestDemoTypesAreInTheCatalog(t *testing.T) {
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	ms, err := Models()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		for _, c := range m.Diagram.Components {
			if cat.Type(c.Type) == nil {
				t.Errorf("%s: component %s has type %q, which the catalog lacks", m.ID, c.ID, c.Type)
			}
		}
		for _, g := range m.Diagram.Groups {
			if g.Type != "" && cat.Type(g.Type) == nil {
				t.Errorf("%s: container %s has type %q, which the catalog lacks", m.ID, g.ID, g.Type)
			}
		}
		for _, f := range m.Diagram.Flows {
			if cat.Protocol(f.Protocol) == nil {
				t.Errorf("%s: flow %s uses protocol %q, which the catalog lacks", m.ID, f.ID, f.Protocol)
			}
		}
	}
}
