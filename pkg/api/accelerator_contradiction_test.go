package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/compliance"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// TestDriftLogContradictions (#16.12): the drift log of a built VPC lists
// what Security Hub says against the model, next to drift from AWS Config.
// The demo VPC's database is private in its configuration; a FAILED RDS.2
// finding about it shows there as "Security Hub says public, the model
// says private", and the same finding in another tenant shows nothing.
func TestDriftLogContradictions(t *testing.T) {
	f := newAcceleratorAPI(t)
	ed := client{t: t, h: f.h, who: "acme/editor/ed"}
	r := ed.do("POST", "/api/v1/accelerator/builds", map[string]any{"accountId": accelAccount, "region": accelRegion, "vpcId": accelVPC})
	if r.status != http.StatusAccepted {
		t.Fatalf("build: %d %s", r.status, r.body)
	}
	run := f.waitRun(t, ed, r.header.Get("Location"))
	m := decodeAs[model.ThreatModel](t, ed.do("GET", "/api/v1/models/"+run.ModelID, nil))
	var db *model.Component
	for i := range m.Diagram.Components {
		if c := &m.Diagram.Components[i]; c.Type == "aws.rds" && c.Resource != nil && c.Resource.ARN != "" {
			db = c
			break
		}
	}
	if db == nil {
		t.Fatal("the built demo VPC has no database with an ARN")
	}
	drift := func(c client) []compliance.Contradiction {
		t.Helper()
		r := c.do("GET", "/api/v1/accelerator/models/"+run.ModelID+"/drift", nil)
		if r.status != http.StatusOK {
			t.Fatalf("drift: %d %s", r.status, r.body)
		}
		got := decodeAs[struct {
			Contradictions []compliance.Contradiction `json:"contradictions"`
			SyncStatus     string                     `json:"syncStatus"`
		}](t, r)
		if got.SyncStatus == "" || got.Contradictions == nil {
			t.Fatalf("drift log without its link or contradictions: %s", r.body)
		}
		return got.Contradictions
	}
	if cs := drift(ed); len(cs) != 0 {
		t.Fatalf("contradictions before any evidence: %+v", cs)
	}

	finding := strings.NewReplacer(
		"arn:aws:rds:us-east-1:111111111111:db:orders-db", db.Resource.ARN,
		`"Region": "us-east-1"`, `"Region": "`+accelRegion+`"`,
		"securityhub:us-east-1", "securityhub:"+accelRegion,
	).Replace(rds2Failed)
	// Another tenant's evidence about the same ARN is not this tenant's.
	other := client{t: t, h: f.h, who: "globex/editor/gus"}
	if r := other.do("POST", "/api/v1/evidence/import?name=rds2.json", []byte(finding), "Content-Type", "application/json"); r.status != http.StatusOK {
		t.Fatalf("import (globex): %d %s", r.status, r.body)
	}
	if cs := drift(ed); len(cs) != 0 {
		t.Fatalf("another tenant's finding contradicts: %+v", cs)
	}
	if r := ed.do("POST", "/api/v1/evidence/import?name=rds2.json", []byte(finding), "Content-Type", "application/json"); r.status != http.StatusOK {
		t.Fatalf("import: %d %s", r.status, r.body)
	}
	cs := drift(ed)
	if len(cs) != 1 || cs[0].Element != db.ID || cs[0].Property != "publiclyAccessible" || cs[0].Message != "Security Hub says public, the model says private" {
		t.Fatalf("contradictions %+v", cs)
	}
}
