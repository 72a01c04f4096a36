// Package workflowtest gives tests outside pkg/workflow an Accelerator
// engine over the demo organization: a bolt store in a temporary folder,
// the demo AWS Config snapshots (synth.Demo) in another, and the demo
// accounts registered for the tenant a test names.
package workflowtest

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/accounts"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/inventory/synth"
	"github.com/bulwark-tm/bulwark/pkg/store/bolt"
	"github.com/bulwark-tm/bulwark/pkg/workflow"
)

// The demo VPC tests build by default.
const (
	DemoAccount = "111111111111"
	DemoRegion  = "eu-west-1"
	DemoVPC     = "vpc-0cb55edf9b476c102"
)

// Env is an engine and what it runs on.
type Env struct {
	Store    *bolt.Store
	Catalog  *catalog.Catalog
	Registry *accounts.Registry
	Source   *accounts.DirSource
	Engine   *workflow.Engine
	// Data is the folder of the snapshot files (Source.Dir).
	Data string
}

// New returns an Env whose demo accounts are registered for the first
// tenant given (none given: "acme"); an account belongs to one tenant, so
// the others get none. The store is closed when t ends.
func New(t testing.TB, tenants ...string) *Env {
	t.Helper()
	if len(tenants) == 0 {
		tenants = []string{"acme"}
	}
	st, err := bolt.Open(filepath.Join(t.TempDir(), "bulwark.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	data := t.TempDir()
	if _, err := synth.Write(data, synth.Demo()); err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	e := &Env{Store: st, Catalog: cat, Registry: &accounts.Registry{Store: st}, Source: &accounts.DirSource{Dir: data}, Data: data}
	e.Engine = &workflow.Engine{Store: st, Catalog: cat, Accounts: e.Registry, Source: e.Source, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, tenant := range tenants {
		if _, err := e.Engine.RegisterDir(context.Background(), tenant, e.Source); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// BuildDemo runs a whole build of the demo VPC for tenant and returns the
// new model's id.
func (e *Env) BuildDemo(t testing.TB, tenant string) string {
	t.Helper()
	ctx := context.Background()
	run, s, err := e.Engine.NewRun(ctx, tenant, workflow.Request{AccountID: DemoAccount, Region: DemoRegion, VPC: DemoVPC})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Engine.RunAll(ctx, s); err != nil {
		t.Fatal(err)
	}
	return run.ModelID
}
