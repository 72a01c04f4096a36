package api

import (
	"net/http"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/compliance"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// rds2Failed is a consolidated Security Hub RDS.2 finding, FAILED, about the
// shop model's orders database (arn:aws:rds:us-east-1:111111111111:db:orders-db).
const rds2Failed = `{"Findings": [{
  "SchemaVersion": "2018-10-08",
  "Id": "arn:aws:securityhub:us-east-1:111111111111:security-control/RDS.2/finding/0b1d3f0e-4c7a-4e8f-9a1b-2c3d4e5f6a7b",
  "ProductArn": "arn:aws:securityhub:us-east-1::product/aws/securityhub",
  "GeneratorId": "security-control/RDS.2",
  "AwsAccountId": "111111111111",
  "Region": "us-east-1",
  "Title": "RDS DB Instances should prohibit public access, as determined by the PubliclyAccessible configuration",
  "UpdatedAt": "2026-10-02T10:00:00.000Z",
  "Resources": [{"Type": "AwsRdsDbInstance", "Id": "arn:aws:rds:us-east-1:111111111111:db:orders-db", "Partition": "aws", "Region": "us-east-1"}],
  "Compliance": {"Status": "FAILED", "SecurityControlId": "RDS.2"},
  "Workflow": {"Status": "NEW"},
  "RecordState": "ACTIVE"
}]}`

// TestEvidenceContradiction (#16.12): Security Hub says the orders database
// is public while the model says private: the evidence list shows the
// contradiction in words, evaluates the public-access requirement from the
// evidence anyway, and the apply action sets the property, after which the
// model agrees and the requirement is the model's own.
func TestEvidenceContradiction(t *testing.T) {
	h := newTestAPI(t)
	c := client{t: t, h: h, who: "acme/editor/ann"}
	sm := shopModel(t)
	for _, x := range sm["diagram"].(map[string]any)["components"].([]any) {
		if comp := x.(map[string]any); comp["id"] == "orders" {
			comp["properties"] = map[string]any{"encrypted": true, "publiclyAccessible": false}
		}
	}
	m := create(t, c, sm)
	if r := c.do("POST", "/api/v1/evidence/import?name=rds2.json", []byte(rds2Failed), "Content-Type", "application/json"); r.status != http.StatusOK {
		t.Fatalf("import: %d %s", r.status, r.body)
	}
	base := "/api/v1/models/" + m.ID + "/evidence"
	v := decodeAs[evidenceList](t, c.do("GET", base+"?component=orders", nil))
	if len(v.Contradictions) != 1 || v.Contradictions[0].Message != "Security Hub says public, the model says private" {
		t.Fatalf("contradictions %+v", v.Contradictions)
	}
	item := func(v evidenceList, id string) *compliance.Item {
		for i := range v.Items {
			if v.Items[i].Requirement == id {
				return &v.Items[i]
			}
		}
		return nil
	}
	it := item(v, "aws.rds.no-public-access@orders")
	if it == nil || it.Status != compliance.NonCompliant || !it.OnlyByEvidence {
		t.Fatalf("the public-access requirement from the evidence: %+v", it)
	}

	// Applying needs the model's revision, and only what the evidence shows.
	body := map[string]string{"element": "orders", "property": "publiclyAccessible"}
	if r := c.do("POST", base+"/contradictions/apply", body); r.status != http.StatusPreconditionRequired {
		t.Errorf("without If-Match: %d", r.status)
	}
	if r := c.do("POST", base+"/contradictions/apply", map[string]string{"element": "orders", "property": "multiAZ"}, "If-Match", `"1"`); r.status != http.StatusNotFound {
		t.Errorf("an uncontradicted property: %d %s", r.status, r.body)
	}
	if r := (client{t: t, h: h, who: "acme/viewer/vic"}).do("POST", base+"/contradictions/apply", body, "If-Match", `"1"`); r.status != http.StatusForbidden {
		t.Errorf("a viewer applies: %d", r.status)
	}
	r := c.do("POST", base+"/contradictions/apply", body, "If-Match", `"1"`)
	if r.status != http.StatusOK {
		t.Fatalf("apply: %d %s", r.status, r.body)
	}
	updated := decodeAs[model.ThreatModel](t, r)
	for _, comp := range updated.Diagram.Components {
		if comp.ID == "orders" && string(comp.Properties["publiclyAccessible"]) != "true" {
			t.Errorf("orders publiclyAccessible = %s", comp.Properties["publiclyAccessible"])
		}
	}
	v = decodeAs[evidenceList](t, c.do("GET", base+"?component=orders", nil))
	if len(v.Contradictions) != 0 {
		t.Errorf("still contradicted: %+v", v.Contradictions)
	}
	if it := item(v, "aws.rds.no-public-access@orders"); it == nil || it.Status != compliance.NonCompliant || it.OnlyByEvidence {
		t.Errorf("after apply: %+v", it)
	}
}
