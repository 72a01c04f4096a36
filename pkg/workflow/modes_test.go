package workflow

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/accounts"
	"github.com/bulwark-tm/bulwark/pkg/compliance"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

// recordingSource records the scopes collected and can refuse to collect.
type recordingSource struct {
	inner  accounts.Source
	scopes []accounts.Scope
	refuse bool
}

func (r *recordingSource) Collect(ctx context.Context, s accounts.Scope) (*inventory.Inventory, error) {
	r.scopes = append(r.scopes, s)
	if r.refuse {
		return nil, errs.E(errs.Unavailable, "the source was called")
	}
	return r.inner.Collect(ctx, s)
}

// evaluateOutput returns the evaluate step's recorded output of run id.
func evaluateOutput(t *testing.T, f *fixture, id string) *ComplianceCounts {
	t.Helper()
	run, err := f.e.Run(context.Background(), "acme", id)
	if err != nil {
		t.Fatal(err)
	}
	sr := run.step(StepEvaluate)
	if sr.Status != StatusSucceeded || sr.Output == nil || sr.Output.Compliance == nil {
		t.Fatalf("evaluate step %+v", sr)
	}
	return sr.Output.Compliance
}

// TestEvaluateStep: the evaluate step joins the built model with the
// evidence stored for its account (the demo's Security Hub and Config
// files) and records the counts; without evidence every requirement is
// "not available".
func TestEvaluateStep(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	req := Request{AccountID: demoAccount, Region: demoRegion, VPC: demoVPC}
	run, out := f.build(t, req)
	c := evaluateOutput(t, f, run.ID)
	if c.Compliant != 0 || c.NonCompliant != 0 || c.NotAvailable != out.Requirements || c.Evidence != 0 || out.Requirements == 0 {
		t.Errorf("without evidence: %+v, %d requirements", c, out.Requirements)
	}

	files, _ := filepath.Glob("../../events/demo/findings/*.json")
	if len(files) == 0 {
		t.Fatal("no demo findings")
	}
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		parsed, err := compliance.Parse(data, compliance.Options{Controls: f.e.Catalog.Controls, AccountID: demoAccount, Region: demoRegion})
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if _, err := (compliance.Repo{Store: f.e.Store}).PutAll(ctx, "acme", parsed.Evidence); err != nil {
			t.Fatal(err)
		}
	}
	req.ModelID = run.ModelID // a rebuild evaluates again
	again, out := f.build(t, req)
	c = evaluateOutput(t, f, again.ID)
	if c.Evidence == 0 || c.NonCompliant == 0 || c.Compliant+c.NonCompliant+c.NotAvailable != out.Requirements {
		t.Errorf("with the demo evidence: %+v, %d requirements", c, out.Requirements)
	}
}

// TestCheckAndSyncRuns: a drift check and a sync run like builds, with
// their own steps, and record their outcome in the run.
func TestCheckAndSyncRuns(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	built, _ := f.build(t, Request{AccountID: demoAccount, Region: demoRegion, VPC: demoVPC})
	f.addEvent(t, "instance-created.json")

	run, st, err := f.e.NewCheck(ctx, "acme", built.ModelID)
	if err != nil {
		t.Fatal(err)
	}
	if run.Mode != ModeCheck || len(run.Steps) != 1 || run.Steps[0].Name != StepCheck || st.Mode != ModeCheck {
		t.Fatalf("check run %+v", run)
	}
	out, err := f.e.RunAll(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if out.SyncStatus != SyncOutOfSync || out.Drift == nil || out.Drift.OnlyInVPC == 0 {
		t.Errorf("check output %+v", out)
	}
	if got, _ := f.e.Run(ctx, "acme", run.ID); got.Status != StatusSucceeded || got.Mode != ModeCheck {
		t.Errorf("check run after %+v", got)
	}

	m, _ := f.e.models().Get(ctx, "acme", built.ModelID)
	if _, _, err := f.e.NewSync(ctx, "acme", built.ModelID, m.Revision+1); !errs.Is(err, errs.Conflict) {
		t.Errorf("stale sync: %v", err)
	}
	run, st, err = f.e.NewSync(ctx, "acme", built.ModelID, m.Revision)
	if err != nil {
		t.Fatal(err)
	}
	if out, err = f.e.RunAll(ctx, st); err != nil {
		t.Fatal(err)
	}
	if out.ModelRevision != m.Revision+1 || out.SyncStatus != SyncInSync || out.Applied == 0 {
		t.Errorf("sync output %+v", out)
	}
	// A sync whose model changed between the request and the run fails.
	run, st, err = f.e.NewSync(ctx, "acme", built.ModelID, out.ModelRevision)
	if err != nil {
		t.Fatal(err)
	}
	m, _ = f.e.models().Get(ctx, "acme", built.ModelID)
	m.Description = "edited meanwhile"
	if err := f.e.models().Update(ctx, m, m.Revision); err != nil {
		t.Fatal(err)
	}
	if _, err := f.e.RunAll(ctx, st); !errs.Is(err, errs.Conflict) {
		t.Errorf("sync of a changed model: %v", err)
	}
	if got, _ := f.e.Run(ctx, "acme", run.ID); got.Status != StatusFailed {
		t.Errorf("run %+v", got)
	}
	if _, _, err := f.e.NewCheck(ctx, "acme", "tm-not-built-here"); !errs.Is(err, errs.NotFound) {
		t.Errorf("check of a model without a link: %v", err)
	}
}

// TestStartingReadsNoInventory: starting a check or a sync reads only the
// store, so an API request stays far below API Gateway's 29 s whatever
// the account holds; the run then collects the VPC's resource types only.
func TestStartingReadsNoInventory(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	built, _ := f.build(t, Request{AccountID: demoAccount, Region: demoRegion, VPC: demoVPC})
	src := &recordingSource{inner: f.e.Source, refuse: true}
	f.e.Source = src
	if _, _, err := f.e.NewCheck(ctx, "acme", built.ModelID); err != nil {
		t.Fatal(err)
	}
	m, _ := f.e.models().Get(ctx, "acme", built.ModelID)
	_, st, err := f.e.NewSync(ctx, "acme", built.ModelID, m.Revision)
	if err != nil {
		t.Fatal(err)
	}
	if len(src.scopes) != 0 {
		t.Fatalf("starting collected %d times", len(src.scopes))
	}
	src.refuse = false
	if _, err := f.e.RunAll(ctx, st); err != nil {
		t.Fatal(err)
	}
	if len(src.scopes) != 1 || !slices.Equal(src.scopes[0].Types, accounts.VPCTypes) || src.scopes[0].Region != demoRegion {
		t.Errorf("collected %+v, want the VPC types of one region", src.scopes)
	}
}

// TestUnverifiedAccount: an account registered but not verified is used
// by no build, check or run read; another tenant's runs are not found.
func TestUnverifiedAccount(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	const id = "555555555555"
	if err := f.e.Accounts.Register(ctx, "acme", &accounts.Account{ID: id, Name: "new", Access: accounts.AccessRole}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.e.NewRun(ctx, "acme", Request{AccountID: id, Region: demoRegion, VPC: demoVPC}); !errs.Is(err, errs.Forbidden) {
		t.Errorf("build on an unverified account: %v", err)
	}
	built, _ := f.build(t, Request{AccountID: demoAccount, Region: demoRegion, VPC: demoVPC})
	if _, err := f.e.Run(ctx, "globex", built.ID); !errs.Is(err, errs.NotFound) {
		t.Errorf("another tenant reads the run: %v", err)
	}
	if _, _, err := f.e.NewCheck(ctx, "globex", built.ModelID); !errs.Is(err, errs.NotFound) {
		t.Errorf("another tenant checks the model: %v", err)
	}
}
