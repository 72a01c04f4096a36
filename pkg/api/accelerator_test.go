package api

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/accounts"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/workflow"
	"github.com/bulwark-tm/bulwark/pkg/workflow/workflowtest"
)

// The demo organization's eu-west-1 VPC.
const (
	accelAccount = "111111111111"
	accelRegion  = "eu-west-1"
	accelVPC     = "vpc-0cb55edf9b476c102"
)

type accelFixture struct {
	h        http.Handler
	local    *workflow.Local
	env      *workflowtest.Env
	verifier *fakeVerifier
}

// fakeVerifier accepts the accounts in ok, as STS would once the member
// stack is deployed with the right ExternalId.
type fakeVerifier struct{ ok map[string]bool }

func (f *fakeVerifier) Verify(_ context.Context, _ string, a *accounts.Account) error {
	if !f.ok[a.ID] {
		return errs.E(errs.Forbidden, "assume %s with the account's ExternalId: AccessDenied", a.RoleARN)
	}
	return nil
}

// newAcceleratorAPI serves the Accelerator over the demo organization's
// snapshot files, registered for tenant acme.
func newAcceleratorAPI(t *testing.T) accelFixture {
	t.Helper()
	e := workflowtest.New(t)
	local := &workflow.Local{Engine: e.Engine}
	v := &fakeVerifier{ok: map[string]bool{}}
	h := New(Deps{Store: e.Store, Auth: headerAuth{}, Version: "test", Logger: discardLogger(), Catalog: e.Catalog,
		Accelerator: &Accelerator{Engine: e.Engine, Starter: local, Org: e.Source, PlatformAccountID: "999999999999", EventBus: "bulwark", PlatformRegion: "eu-central-1", Verifier: v}})
	return accelFixture{h: h, local: local, env: e, verifier: v}
}

// waitRun waits for the in-process runs and returns the run at location.
func (f accelFixture) waitRun(t *testing.T, c client, location string) workflow.Run {
	t.Helper()
	if location == "" {
		t.Fatal("no run was started (no Location)")
	}
	f.local.Wait()
	r := c.do("GET", location, nil)
	if r.status != http.StatusOK {
		t.Fatalf("run %s: %d %s", location, r.status, r.body)
	}
	return decodeAs[workflow.Run](t, r)
}

func TestAcceleratorAccounts(t *testing.T) {
	f := newAcceleratorAPI(t)
	admin := client{t: t, h: f.h, who: "acme/admin/ann"}
	editor := client{t: t, h: f.h, who: "acme/editor/ed"}
	reg := map[string]any{"id": "444444444444", "name": "audit", "regions": []string{"eu-west-1"}}

	tests := []struct {
		name       string
		c          client
		body       any
		wantStatus int
		wantField  string
	}{
		{"editor may not register", editor, reg, http.StatusForbidden, ""},
		{"the role is not asked for", admin, map[string]any{"id": "444444444444", "roleArn": "arn:aws:iam::444444444444:role/R"}, http.StatusBadRequest, ""},
		{"keys are not accepted", admin, map[string]any{"id": "444444444444", "secretAccessKey": "x"}, http.StatusBadRequest, ""},
		{"not an account id", admin, map[string]any{"id": "4444"}, http.StatusUnprocessableEntity, "/id"},
		{"admin registers", admin, reg, http.StatusCreated, ""},
		{"twice is a conflict", admin, reg, http.StatusConflict, "/id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.c.do("POST", "/api/v1/accelerator/accounts", tt.body)
			if r.status != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", r.status, tt.wantStatus, r.body)
			}
			if tt.wantField != "" {
				if p := r.problem(t); p.Field != tt.wantField {
					t.Errorf("field %q, want %q", p.Field, tt.wantField)
				}
			}
		})
	}

	r := editor.do("GET", "/api/v1/accelerator/accounts/444444444444", nil)
	acct := decodeAs[map[string]any](t, r)
	ext, _ := acct["externalId"].(string)
	cmd, _ := acct["deployCommand"].(string)
	if r.status != http.StatusOK || !strings.HasPrefix(ext, "bulwark-") || !strings.Contains(cmd, "ExternalId="+ext) ||
		!strings.Contains(cmd, "PlatformAccountId=999999999999") || !strings.Contains(cmd, "PlatformEventBusName=bulwark") || !strings.Contains(cmd, "PlatformRegion=eu-central-1") ||
		!strings.Contains(cmd, "CAPABILITY_NAMED_IAM") || acct["roleArn"] != "arn:aws:iam::444444444444:role/bulwark/BulwarkReadOnly" ||
		acct["status"] != "pending" || acct["verified"] != false {
		t.Fatalf("account %d %s", r.status, r.body)
	}
	if r := (client{t: t, h: f.h, who: "globex/admin/gus"}).do("GET", "/api/v1/accelerator/accounts/444444444444", nil); r.status != http.StatusNotFound {
		t.Errorf("other tenant: %d", r.status)
	}
	list := decodeAs[struct{ Accounts []map[string]any }](t, editor.do("GET", "/api/v1/accelerator/accounts", nil))
	if len(list.Accounts) != 4 {
		t.Errorf("accounts %d", len(list.Accounts))
	}
	org := decodeAs[struct {
		Root       accounts.OrgNode
		Registered []string
	}](t, editor.do("GET", "/api/v1/accelerator/organization", nil))
	if org.Root.Type != "root" || len(org.Registered) != 4 {
		t.Errorf("organization %+v", org)
	}
	// Unverified: its VPCs are not read; verifying fails until the member
	// stack is there, and the answer says why.
	if r := editor.do("GET", "/api/v1/accelerator/accounts/444444444444/vpcs", nil); r.status != http.StatusForbidden {
		t.Errorf("VPCs of an unverified account: %d %s", r.status, r.body)
	}
	if r := editor.do("POST", "/api/v1/accelerator/accounts/444444444444/verify", nil); r.status != http.StatusForbidden {
		t.Errorf("editor verifies: %d", r.status)
	}
	r = admin.do("POST", "/api/v1/accelerator/accounts/444444444444/verify", nil)
	acct = decodeAs[map[string]any](t, r)
	if r.status != http.StatusOK || acct["verified"] != false || acct["status"] != "failed" || !strings.Contains(acct["verifyError"].(string), "AccessDenied") {
		t.Fatalf("failed verify: %d %s", r.status, r.body)
	}
	f.verifier.ok["444444444444"] = true
	r = admin.do("POST", "/api/v1/accelerator/accounts/444444444444/verify", nil)
	acct = decodeAs[map[string]any](t, r)
	if r.status != http.StatusOK || acct["verified"] != true || acct["status"] != "verified" || acct["verifyError"] != nil {
		t.Fatalf("verify: %d %s", r.status, r.body)
	}
	// Verifying listed its VPCs: the table reads them, listed.
	if r := editor.do("GET", "/api/v1/accelerator/accounts/444444444444/vpcs", nil); r.status != http.StatusOK || !decodeAs[workflow.VPCTable](t, r).Listed {
		t.Errorf("VPCs of a verified account: %d %s", r.status, r.body)
	}
	etagNow := r.header.Get("ETag")
	if r := admin.do("DELETE", "/api/v1/accelerator/accounts/444444444444", nil); r.status != http.StatusPreconditionRequired {
		t.Errorf("delete without If-Match: %d", r.status)
	}
	if r := admin.do("DELETE", "/api/v1/accelerator/accounts/444444444444", nil, "If-Match", etagNow); r.status != http.StatusNoContent {
		t.Errorf("delete: %d %s", r.status, r.body)
	}
}

func TestAcceleratorBuildDriftSync(t *testing.T) {
	f := newAcceleratorAPI(t)
	ed := client{t: t, h: f.h, who: "acme/editor/ed"}
	viewer := client{t: t, h: f.h, who: "acme/viewer/vi"}

	sum := decodeAs[dashboardSummary](t, viewer.do("GET", "/api/v1/accelerator/summary", nil))
	if sum.Accounts != 3 || sum.VPCs != 7 || sum.ThreatModels != 0 {
		t.Errorf("summary before %+v", sum)
	}
	if r := viewer.do("POST", "/api/v1/accelerator/builds", map[string]any{"accountId": accelAccount, "region": accelRegion, "vpcId": accelVPC}); r.status != http.StatusForbidden {
		t.Errorf("viewer build: %d", r.status)
	}
	if r := ed.do("POST", "/api/v1/accelerator/builds", map[string]any{"accountId": accelAccount, "region": accelRegion, "vpcId": "subnet-1"}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("bad vpc: %d %s", r.status, r.body)
	}
	r := ed.do("POST", "/api/v1/accelerator/builds", map[string]any{"accountId": accelAccount, "region": accelRegion, "vpcId": accelVPC,
		"name": "Shop EU", "facing": "public", "priority": "High", "labels": []string{"pci"}})
	if r.status != http.StatusAccepted {
		t.Fatalf("build: %d %s", r.status, r.body)
	}
	run := decodeAs[workflow.Run](t, r)
	f.local.Wait()
	r = viewer.do("GET", r.header.Get("Location"), nil)
	done := decodeAs[workflow.Run](t, r)
	if done.Status != workflow.StatusSucceeded || len(done.Steps) != 5 {
		t.Fatalf("run %s", r.body)
	}
	if r := (client{t: t, h: f.h, who: "globex/admin/gus"}).do("GET", "/api/v1/accelerator/runs/"+run.ID, nil); r.status != http.StatusNotFound {
		t.Errorf("other tenant's run: %d", r.status)
	}
	m := decodeAs[map[string]any](t, viewer.do("GET", "/api/v1/models/"+run.ModelID, nil))
	if m["name"] != "Shop EU" || m["projectType"] != "AWS Cloud Application" || m["owner"] != "ed" {
		t.Errorf("model %v %v %v", m["name"], m["projectType"], m["owner"])
	}

	vpcs := decodeAs[struct{ VPCs []vpcRow }](t, viewer.do("GET", "/api/v1/accelerator/accounts/"+accelAccount+"/vpcs", nil))
	status := map[string]string{}
	for _, v := range vpcs.VPCs {
		status[v.ID] = v.SyncStatus
		if v.ID == accelVPC && (v.ModelCount != 1 || v.Models[0].Name != "Shop EU" || v.CIDR == "") {
			t.Errorf("row %+v", v)
		}
	}
	if len(status) != 3 || status[accelVPC] != "in-sync" || status["vpc-0a67d881610d78211"] != "none" {
		t.Errorf("VPC statuses %v", status)
	}

	event, err := os.ReadFile("../../events/aws/config/instance-created.json")
	if err != nil {
		t.Fatal(err)
	}
	r = ed.do("POST", "/api/v1/accelerator/events", event)
	res := decodeAs[workflow.EventResult](t, r)
	if r.status != http.StatusOK || len(res.Marked) != 1 || res.Marked[0].ModelID != run.ModelID || res.Marked[0].Tenant != "" {
		t.Fatalf("event %d %s", r.status, r.body)
	}
	if r := ed.do("POST", "/api/v1/accelerator/events", `{"hello":"world"}`); r.status != http.StatusBadRequest {
		t.Errorf("not an event: %d %s", r.status, r.body)
	}
	sum = decodeAs[dashboardSummary](t, viewer.do("GET", "/api/v1/accelerator/summary", nil))
	if sum.ThreatModels != 1 || sum.OutOfSyncModels != 1 {
		t.Errorf("summary after event %+v", sum)
	}
	link := decodeAs[workflow.Link](t, viewer.do("GET", "/api/v1/accelerator/models/"+run.ModelID+"/drift", nil))
	if link.Status != workflow.SyncOutOfSync || len(link.Pending) != 1 {
		t.Errorf("drift %+v", link)
	}
	if r := ed.do("POST", "/api/v1/accelerator/models/"+run.ModelID+"/sync", nil, "If-Match", `"7"`); r.status != http.StatusConflict {
		t.Errorf("stale sync: %d", r.status)
	}
	r = ed.do("POST", "/api/v1/accelerator/models/"+run.ModelID+"/sync", nil, "If-Match", `"1"`)
	if r.status != http.StatusAccepted {
		t.Fatalf("sync %d %s", r.status, r.body)
	}
	synced := f.waitRun(t, viewer, r.header.Get("Location"))
	if synced.Mode != workflow.ModeSync || synced.Status != workflow.StatusSucceeded || synced.Steps[0].Output.ModelRevision != 2 {
		t.Errorf("sync run %+v", synced)
	}
	r = ed.do("POST", "/api/v1/accelerator/models/"+run.ModelID+"/check", nil)
	if r.status != http.StatusAccepted {
		t.Fatalf("check %d %s", r.status, r.body)
	}
	checked := f.waitRun(t, viewer, r.header.Get("Location"))
	link = decodeAs[workflow.Link](t, viewer.do("GET", "/api/v1/accelerator/models/"+run.ModelID+"/drift", nil))
	if checked.Status != workflow.StatusSucceeded || link.Status != workflow.SyncInSync {
		t.Errorf("check after sync %+v %+v", checked, link)
	}
	ev := done.Steps[3]
	if ev.Name != workflow.StepEvaluate || ev.Status != workflow.StatusSucceeded || ev.Output.Compliance == nil {
		t.Errorf("evaluate step %+v", ev)
	}
	if r := viewer.do("GET", "/api/v1/accelerator/models/not-a-model/drift", nil); r.status != http.StatusNotFound {
		t.Errorf("unknown model: %d", r.status)
	}
}

func TestAcceleratorNotConfigured(t *testing.T) {
	c := client{t: t, h: newTestAPI(t), who: "acme/admin/ann"}
	for _, rt := range acceleratorRoutes {
		path := strings.NewReplacer("{accountId}", accelAccount, "{id}", "x").Replace(rt.pattern)
		if r := c.do(rt.method, path, "{}", "If-Match", `"1"`); r.status != http.StatusServiceUnavailable {
			t.Errorf("%s %s: %d", rt.method, path, r.status)
		}
	}
}
