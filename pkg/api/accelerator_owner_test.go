package api

import (
	"context"
	"net/http"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/accounts"
	"github.com/bulwark-tm/bulwark/pkg/inventory"
	"github.com/bulwark-tm/bulwark/pkg/workflow"
)

// noSource fails the test when anything collects an inventory.
type noSource struct{ t *testing.T }

func (s noSource) Collect(context.Context, accounts.Scope) (*inventory.Inventory, error) {
	s.t.Error("the API handler collected an inventory")
	return inventory.New(), nil
}

// startRecorder records the runs started and runs none.
type startRecorder struct{ started []workflow.State }

func (s *startRecorder) Start(_ context.Context, st workflow.State) error {
	s.started = append(s.started, st)
	return nil
}

// TestDriftAndSyncOnlyStart encodes API Gateway's 29 s limit: the check and
// sync handlers read no inventory (an account's may take minutes); they
// store a run, start it like a build and answer 202.
func TestDriftAndSyncOnlyStart(t *testing.T) {
	f := newAcceleratorAPI(t)
	ed := client{t: t, h: f.h, who: "acme/editor/ed"}
	r := ed.do("POST", "/api/v1/accelerator/builds", map[string]any{"accountId": accelAccount, "region": accelRegion, "vpcId": accelVPC})
	if r.status != http.StatusAccepted {
		t.Fatalf("build: %d %s", r.status, r.body)
	}
	built := f.waitRun(t, ed, r.header.Get("Location"))

	rec := &startRecorder{}
	f.env.Engine.Source = noSource{t}
	h := New(Deps{Store: f.env.Store, Auth: headerAuth{}, Version: "test", Logger: discardLogger(), Catalog: f.env.Catalog,
		Accelerator: &Accelerator{Engine: f.env.Engine, Starter: rec}})
	ed.h = h
	for _, tc := range []struct {
		path, mode string
		hdr        []string
	}{
		{"/check", workflow.ModeCheck, nil},
		{"/sync", workflow.ModeSync, []string{"If-Match", `"1"`}},
	} {
		r := ed.do("POST", "/api/v1/accelerator/models/"+built.ModelID+tc.path, nil, tc.hdr...)
		run := decodeAs[workflow.Run](t, r)
		if r.status != http.StatusAccepted || run.Mode != tc.mode || run.Status != workflow.StatusPending || r.header.Get("Location") != "/api/v1/accelerator/runs/"+run.ID {
			t.Errorf("%s: %d %s", tc.path, r.status, r.body)
		}
	}
	if len(rec.started) != 2 || rec.started[0].Mode != workflow.ModeCheck || rec.started[1].Mode != workflow.ModeSync || rec.started[1].ExpectedRevision != 1 {
		t.Errorf("started %+v", rec.started)
	}
}

// TestAccountOwnership attacks the account registry across tenants: an
// account id belongs to the first tenant that registered it, and nothing of
// it or its models is readable by another.
func TestAccountOwnership(t *testing.T) {
	f := newAcceleratorAPI(t)
	acme := client{t: t, h: f.h, who: "acme/admin/ann"}
	globex := client{t: t, h: f.h, who: "globex/admin/gus"}

	// The demo account is acme's: globex's registration is refused with
	// the same answer acme gets for registering it twice, naming no one.
	rg := globex.do("POST", "/api/v1/accelerator/accounts", map[string]any{"id": accelAccount})
	ra := acme.do("POST", "/api/v1/accelerator/accounts", map[string]any{"id": accelAccount})
	if rg.status != http.StatusConflict || ra.status != http.StatusConflict || rg.problem(t).Detail != ra.problem(t).Detail {
		t.Fatalf("registering a taken account: %d %s / %d %s", rg.status, rg.body, ra.status, ra.body)
	}

	r := acme.do("POST", "/api/v1/accelerator/builds", map[string]any{"accountId": accelAccount, "region": accelRegion, "vpcId": accelVPC})
	built := f.waitRun(t, acme, r.header.Get("Location"))
	for _, path := range []string{
		"/api/v1/accelerator/accounts/" + accelAccount,
		"/api/v1/accelerator/accounts/" + accelAccount + "/vpcs",
		"/api/v1/accelerator/runs/" + built.ID,
		"/api/v1/accelerator/models/" + built.ModelID + "/drift",
	} {
		if r := globex.do("GET", path, nil); r.status != http.StatusNotFound {
			t.Errorf("globex GET %s: %d %s", path, r.status, r.body)
		}
	}
	for _, path := range []string{"/check", "/sync"} {
		if r := globex.do("POST", "/api/v1/accelerator/models/"+built.ModelID+path, nil, "If-Match", `"1"`); r.status != http.StatusNotFound {
			t.Errorf("globex POST %s: %d %s", path, r.status, r.body)
		}
	}
	if r := globex.do("POST", "/api/v1/accelerator/builds", map[string]any{"accountId": accelAccount, "region": accelRegion, "vpcId": accelVPC}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("globex builds on acme's account: %d %s", r.status, r.body)
	}
	// The organization tree shows globex none of the platform's accounts.
	org := decodeAs[orgView](t, globex.do("GET", "/api/v1/accelerator/organization", nil))
	if len(org.Root.Children) != 0 || len(org.Registered) != 0 {
		t.Errorf("globex sees %+v", org.Root)
	}
	sum := decodeAs[dashboardSummary](t, globex.do("GET", "/api/v1/accelerator/summary", nil))
	if sum.Accounts != 0 || sum.VPCs != 0 {
		t.Errorf("globex summary %+v", sum)
	}

	// An account globex registered but did not verify builds nothing and
	// lists no VPCs, and is not in its organization tree.
	if r := globex.do("POST", "/api/v1/accelerator/accounts", map[string]any{"id": "666666666666"}); r.status != http.StatusCreated {
		t.Fatalf("register: %d %s", r.status, r.body)
	}
	if r := globex.do("POST", "/api/v1/accelerator/builds", map[string]any{"accountId": "666666666666", "region": accelRegion, "vpcId": accelVPC}); r.status != http.StatusForbidden {
		t.Errorf("build on an unverified account: %d %s", r.status, r.body)
	}
	sum = decodeAs[dashboardSummary](t, globex.do("GET", "/api/v1/accelerator/summary", nil))
	if sum.Accounts != 1 || len(sum.Unverified) != 1 || len(sum.Unreachable) != 0 {
		t.Errorf("summary with an unverified account %+v", sum)
	}
}

// TestAggregatorAllowList: with an aggregator no role is assumed, so the
// operator's allow list decides which tenant may use which account.
func TestAggregatorAllowList(t *testing.T) {
	f := newAcceleratorAPI(t)
	list, err := accounts.ParseAllowList("acme=777777777777")
	if err != nil {
		t.Fatal(err)
	}
	f.env.Registry.Allowed = list.Allows
	h := New(Deps{Store: f.env.Store, Auth: headerAuth{}, Version: "test", Logger: discardLogger(), Catalog: f.env.Catalog,
		Accelerator: &Accelerator{Engine: f.env.Engine, Starter: f.local, Verifier: list}})
	acme := client{t: t, h: h, who: "acme/admin/ann"}
	globex := client{t: t, h: h, who: "globex/admin/gus"}
	if r := globex.do("POST", "/api/v1/accelerator/accounts", map[string]any{"id": "777777777777"}); r.status != http.StatusForbidden {
		t.Errorf("globex registers an account the list gives acme: %d %s", r.status, r.body)
	}
	if r := globex.do("POST", "/api/v1/accelerator/accounts", map[string]any{"id": "888888888888"}); r.status != http.StatusForbidden {
		t.Errorf("globex registers an account not in the list: %d %s", r.status, r.body)
	}
	if r := acme.do("POST", "/api/v1/accelerator/accounts", map[string]any{"id": "777777777777"}); r.status != http.StatusCreated {
		t.Fatalf("acme registers its account: %d %s", r.status, r.body)
	}
	r := acme.do("POST", "/api/v1/accelerator/accounts/777777777777/verify", nil)
	if a := decodeAs[map[string]any](t, r); r.status != http.StatusOK || a["verified"] != true {
		t.Errorf("verify from the list: %d %s", r.status, r.body)
	}
	// The files-mode demo accounts of acme are not in the list: refused.
	if r := acme.do("GET", "/api/v1/accelerator/accounts/"+accelAccount+"/vpcs", nil); r.status != http.StatusForbidden {
		t.Errorf("an account outside the list: %d %s", r.status, r.body)
	}
}
