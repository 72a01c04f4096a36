package workflow_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/accounts"
	"github.com/bulwark-tm/bulwark/pkg/store"
	"github.com/bulwark-tm/bulwark/pkg/workflow"
	"github.com/bulwark-tm/bulwark/pkg/workflow/workflowtest"
)

// fakeJira records the tenants it pulls and fails for those in fail.
type fakeJira struct {
	pulled []string
	fail   map[string]bool
}

// pull is its workflow.Puller: one instance per tenant.
func (f *fakeJira) pull(_ context.Context, tenant string) (int, error) {
	f.pulled = append(f.pulled, tenant)
	if f.fail[tenant] {
		return 0, errors.New("jira unreachable")
	}
	return 1, nil
}

type scheduledEnv struct {
	eng  *workflow.Engine
	pull workflow.Puller // nil: the Jira integration is off
	st   store.Store
	data string // the DirSource's directory
}

// newScheduledEnv: a bolt store in t.TempDir() where the tenant "acme"
// registered the demo organization and built a model of its eu-west-1 VPC,
// and "globex" registered and verified an account of its own.
func newScheduledEnv(t *testing.T) *scheduledEnv {
	t.Helper()
	e := workflowtest.New(t, "acme")
	e.BuildDemo(t, "acme")
	ctx := context.Background()
	if err := e.Registry.Register(ctx, "globex", &accounts.Account{ID: "444444444444", Name: "globex", Access: accounts.AccessRole}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Registry.Verify(ctx, "globex", "444444444444", accounts.AllowList{"globex": {"444444444444"}}); err != nil {
		t.Fatal(err)
	}
	return &scheduledEnv{eng: e.Engine, st: e.Store, data: e.Data}
}

// change puts a Config change event fixture into the source's data, as
// `bulwark event` does, so that the next check sees a new instance.
func (e *scheduledEnv) change(t *testing.T, name string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("../../events/aws/config", name))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(e.data, workflow.EventDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestScheduledCheck(t *testing.T) {
	tests := []struct {
		name        string
		change      string // event fixture applied to the account first
		jira        *fakeJira
		wantInSync  int
		wantOut     int
		wantPulled  []string
		wantJiraErr int
	}{
		{name: "an unchanged VPC is in sync", wantInSync: 1},
		{name: "a new instance is drift", change: "instance-created.json", wantOut: 1},
		{name: "Jira issues are pulled for every tenant", jira: &fakeJira{}, wantInSync: 1, wantPulled: []string{"acme", "globex"}},
		{name: "a failing Jira is logged, not retried", jira: &fakeJira{fail: map[string]bool{"acme": true}}, wantInSync: 1,
			wantPulled: []string{"acme", "globex"}, wantJiraErr: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newScheduledEnv(t)
			if tc.change != "" {
				e.change(t, tc.change)
			}
			if tc.jira != nil {
				e.pull = tc.jira.pull
			}
			res, err := e.eng.RunScheduled(context.Background(), e.pull)
			if err != nil {
				t.Fatalf("RunScheduled: %v", err)
			}
			if res.Drift.Models != 1 || res.Drift.InSync != tc.wantInSync || res.Drift.OutOfSync != tc.wantOut || res.Drift.Failed != 0 {
				t.Errorf("drift %+v, want %d in sync and %d out of sync", res.Drift, tc.wantInSync, tc.wantOut)
			}
			if tc.jira != nil && !slices.Equal(tc.jira.pulled, tc.wantPulled) {
				t.Errorf("pulled Jira for %v, want %v", tc.jira.pulled, tc.wantPulled)
			}
			if res.JiraFailed != tc.wantJiraErr {
				t.Errorf("%d Jira pulls failed, want %d", res.JiraFailed, tc.wantJiraErr)
			}
		})
	}
}

// TestScheduledCheckStoreFailure: when the tenants cannot be listed the
// invocation fails, so that Lambda retries it.
func TestScheduledCheckStoreFailure(t *testing.T) {
	e := newScheduledEnv(t)
	e.st.Close()
	if _, err := e.eng.RunScheduled(context.Background(), e.pull); err == nil {
		t.Fatal("RunScheduled on a closed store: no error")
	}
}
