package api

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/accounts"
	"github.com/bulwark-tm/bulwark/pkg/compliance"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/workflow"
)

// countingSources is a workflow.EvidenceSources that counts its opens and
// reads one evaluation, or fails.
type countingSources struct {
	opened atomic.Int32
	fail   bool
}

func (s *countingSources) Open(_ context.Context, a *accounts.Account, region string) (compliance.FindingsSource, compliance.EvaluationsSource, error) {
	s.opened.Add(1)
	if s.fail {
		return nil, nil, errs.E(errs.Forbidden, "assume %s: AccessDenied", a.RoleARN)
	}
	return nil, oneEvaluation{compliance.Evaluation{ConfigRuleName: "s3-bucket-ssl-requests-only", ResourceType: "AWS::S3::Bucket", ResourceID: "logs",
		AccountID: a.ID, Region: "eu-west-1", ComplianceType: "NON_COMPLIANT", ResultRecordedTime: time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)}}, nil
}

type oneEvaluation []compliance.Evaluation

func (e oneEvaluation) Evaluations(_ context.Context, page func([]compliance.Evaluation) error) error {
	return page(e)
}

// TestAccountEvidencePull: an account shows the scheduled run's last
// evidence pull, read from the store; reading the accounts never opens an
// evidence source (no request calls AWS).
func TestAccountEvidencePull(t *testing.T) {
	f := newAcceleratorAPI(t)
	src := &countingSources{}
	f.env.Engine.Evidence = &workflow.EvidencePull{Sources: src}
	admin := client{t: t, h: f.h, who: "acme/admin/ann"}
	if r := admin.do("POST", "/api/v1/accelerator/accounts", map[string]any{"id": "444444444444", "regions": []string{"eu-west-1"}}); r.status != http.StatusCreated {
		t.Fatalf("register: %d %s", r.status, r.body)
	}
	f.verifier.ok["444444444444"] = true
	if r := admin.do("POST", "/api/v1/accelerator/accounts/444444444444/verify", nil); r.status != http.StatusOK {
		t.Fatalf("verify: %d %s", r.status, r.body)
	}
	get := func() map[string]any {
		r := admin.do("GET", "/api/v1/accelerator/accounts/444444444444", nil)
		if r.status != http.StatusOK {
			t.Fatalf("get: %d %s", r.status, r.body)
		}
		return decodeAs[map[string]any](t, r)
	}
	if acct := get(); acct["evidencePull"] != nil {
		t.Errorf("an evidence pull before any: %v", acct["evidencePull"])
	}
	if n := src.opened.Load(); n != 0 {
		t.Fatalf("requests opened %d evidence sources", n)
	}

	src.fail = true
	if _, err := f.env.Engine.PullEvidence(context.Background()); err != nil {
		t.Fatal(err)
	}
	pull, _ := get()["evidencePull"].(map[string]any)
	if pull == nil || pull["error"] == nil || pull["failures"] != float64(1) || pull["succeeded"] != nil {
		t.Errorf("failed pull shown as %v", pull)
	}
	if next, _ := pull["next"].(string); next == "" {
		t.Errorf("failed pull without the time of the next: %v", pull)
	}
	// The member stack fixed, verifying again makes the next run pull; the
	// verification's answer keeps the last pull.
	src.fail = false
	r := admin.do("POST", "/api/v1/accelerator/accounts/444444444444/verify", nil)
	if r.status != http.StatusOK {
		t.Fatalf("verify: %d %s", r.status, r.body)
	}
	if p, _ := decodeAs[map[string]any](t, r)["evidencePull"].(map[string]any); p == nil || p["failures"] != float64(1) {
		t.Errorf("verify answered without the last pull: %v", p)
	}
	if _, err := f.env.Engine.PullEvidence(context.Background()); err != nil {
		t.Fatal(err)
	}
	opened := src.opened.Load()
	pull, _ = get()["evidencePull"].(map[string]any)
	stored, _ := pull["stored"].(map[string]any)
	if pull["error"] != nil || pull["succeeded"] == nil || stored["created"] != float64(1) || pull["accountId"] != "444444444444" {
		t.Errorf("pull shown as %v", pull)
	}
	list := decodeAs[struct{ Accounts []map[string]any }](t, admin.do("GET", "/api/v1/accelerator/accounts", nil))
	shown := 0
	for _, a := range list.Accounts {
		if a["evidencePull"] != nil {
			shown++
		}
	}
	if len(list.Accounts) != 4 || shown != 1 {
		t.Errorf("%d accounts, %d with a pull; want 4, 1 (the files accounts are not pulled)", len(list.Accounts), shown)
	}
	if n := src.opened.Load(); n != opened {
		t.Errorf("reading accounts opened %d evidence sources", n-opened)
	}
}
