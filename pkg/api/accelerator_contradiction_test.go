package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/compliance"
	"github.com/bulwark-tm/bulwark/pkg/model"
	"github.com/bulwark-tm/bulwark/pkg/workflow"
)

// TestDriftLogContradictions (#16.12): the drift log of a built VPC lists
// what Security Hub says against the model, next to drift from AWS Config.
// The demo VPC's database is private in its configuration; a FAILED RDS.2
// finding about it shows there as "Security Hub says public, the model
// says private", and the same finding in another tenant shows nothing.
func TestDriftLogContradictions(t *testing.T) {
	f := newAcceleratorAPI(t)
	ed := client{t: t, h: f.h, who: "acme/editor/ed"}
	m, db := buildDemo(t, f, ed)
	drift := func(c client) []compliance.Contradiction {
		t.Helper()
		r := c.do("GET", "/api/v1/accelerator/models/"+m.ID+"/drift", nil)
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

// buildWithFinding builds the demo VPC as ed and imports a FAILED RDS.2
// finding about its database, which the model says is private. It returns
// the model as built and the database.
func buildWithFinding(t *testing.T, f accelFixture, ed client) (*model.ThreatModel, *model.Component) {
	t.Helper()
	m, db := buildDemo(t, f, ed)
	finding := strings.NewReplacer(
		"arn:aws:rds:us-east-1:111111111111:db:orders-db", db.Resource.ARN,
		`"Region": "us-east-1"`, `"Region": "`+accelRegion+`"`,
		"securityhub:us-east-1", "securityhub:"+accelRegion,
	).Replace(rds2Failed)
	if r := ed.do("POST", "/api/v1/evidence/import?name=rds2.json", []byte(finding), "Content-Type", "application/json"); r.status != http.StatusOK {
		t.Fatalf("import: %d %s", r.status, r.body)
	}
	return m, db
}

// buildDemo builds the demo VPC as ed and returns the model as built and
// its database (private in its configuration).
func buildDemo(t *testing.T, f accelFixture, ed client) (*model.ThreatModel, *model.Component) {
	t.Helper()
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
	return &m, db
}

// TestDriftLogContradictionsFollowTheModel (#18.3): the drift log keeps
// its contradictions with the link instead of computing them on every
// read, and they follow the model: applying the contradiction (the model
// now says public) clears it, and an editor save that says private again
// brings it back, without a drift check in between.
func TestDriftLogContradictionsFollowTheModel(t *testing.T) {
	f := newAcceleratorAPI(t)
	ed := client{t: t, h: f.h, who: "acme/editor/ed"}
	m, db := buildWithFinding(t, f, ed)
	drift := func() []compliance.Contradiction {
		t.Helper()
		r := ed.do("GET", "/api/v1/accelerator/models/"+m.ID+"/drift", nil)
		if r.status != http.StatusOK {
			t.Fatalf("drift: %d %s", r.status, r.body)
		}
		if strings.Contains(string(r.body), "contradictionLog") {
			t.Errorf("the answer shows the stored log: %s", r.body)
		}
		return decodeAs[struct {
			Contradictions []compliance.Contradiction `json:"contradictions"`
		}](t, r).Contradictions
	}
	if cs := drift(); len(cs) != 1 || cs[0].Element != db.ID || cs[0].Model {
		t.Fatalf("after the finding: %+v", cs)
	}

	// Apply it: the model says public, as the evidence does.
	r := ed.do("POST", "/api/v1/models/"+m.ID+"/evidence/contradictions/apply",
		map[string]string{"element": db.ID, "property": "publiclyAccessible"}, "If-Match", etag(m.Revision))
	if r.status != http.StatusOK {
		t.Fatalf("apply: %d %s", r.status, r.body)
	}
	if cs := drift(); len(cs) != 0 {
		t.Fatalf("after applying it: %+v", cs)
	}

	// An editor save says private again.
	*m = decodeAs[model.ThreatModel](t, ed.do("GET", "/api/v1/models/"+m.ID, nil))
	for i := range m.Diagram.Components {
		if c := &m.Diagram.Components[i]; c.ID == db.ID {
			c.Properties["publiclyAccessible"] = []byte("false")
		}
	}
	if r := ed.do("PUT", "/api/v1/models/"+m.ID+"/diagram", m.Diagram, "If-Match", etag(m.Revision)); r.status != http.StatusOK {
		t.Fatalf("save: %d %s", r.status, r.body)
	}
	if cs := drift(); len(cs) != 1 || cs[0].Element != db.ID || cs[0].Model {
		t.Fatalf("after the editor save: %+v", cs)
	}
}

// TestAcceleratorSavesAreVersions (#18.3): the Accelerator's saves are in
// the model's version history (GET /versions) like an editor's: the build
// and a sync with the workflow as author, an applied contradiction with
// the user who applied it and what was applied.
func TestAcceleratorSavesAreVersions(t *testing.T) {
	f := newAcceleratorAPI(t)
	ed := client{t: t, h: f.h, who: "acme/editor/ed"}
	m, db := buildWithFinding(t, f, ed)
	newest := func(wantRev int64, author, summary string) {
		t.Helper()
		r := ed.do("GET", "/api/v1/models/"+m.ID+"/versions", nil)
		vs := decodeAs[versionList](t, r).Items
		if r.status != http.StatusOK || len(vs) == 0 || vs[0].Revision != wantRev || vs[0].Author != author || !strings.Contains(vs[0].Summary, summary) {
			t.Fatalf("versions %d %s; want the newest at revision %d by %q saying %q", r.status, r.body, wantRev, author, summary)
		}
	}
	newest(m.Revision, workflow.AuthorBuild, "")

	r := ed.do("POST", "/api/v1/accelerator/models/"+m.ID+"/sync", nil, "If-Match", etag(m.Revision))
	if r.status != http.StatusAccepted {
		t.Fatalf("sync: %d %s", r.status, r.body)
	}
	if run := f.waitRun(t, ed, r.header.Get("Location")); run.Status != workflow.StatusSucceeded {
		t.Fatalf("sync run %+v", run)
	}
	newest(m.Revision+1, workflow.AuthorSync, "")

	r = ed.do("POST", "/api/v1/models/"+m.ID+"/evidence/contradictions/apply",
		map[string]string{"element": db.ID, "property": "publiclyAccessible"}, "If-Match", etag(m.Revision+1))
	if r.status != http.StatusOK {
		t.Fatalf("apply: %d %s", r.status, r.body)
	}
	newest(m.Revision+2, "ed", "applied evidence: publiclyAccessible of "+db.ID)
}
