package compliance

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// TestContradictions (#16.12): a FAILED "RDS instance publicly accessible"
// finding on a database the model calls private is a contradiction in
// words, and the "no public access" requirement, which the model's view
// does not raise, is evaluated from the evidence anyway (NON_COMPLIANT);
// a Config evaluation names AWS Config; agreeing, suppressed or other
// resources' evidence is no contradiction; Evidenced applies them.
func TestContradictions(t *testing.T) {
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	const acct = "111111111111"
	orders := comp("orders", "aws.rds", "arn:aws:rds:us-east-1:111111111111:db:orders-db", "AWS::RDS::DBInstance", "db-ORDERSORDERSORDERSORDERS0", acct, "us-east-1")
	orders.Properties = model.Properties{"encrypted": json.RawMessage("true")}
	web := comp("web", "aws.ec2", "arn:aws:ec2:us-east-1:111111111111:instance/i-0aaaaaaaaaaaaaaa1", "AWS::EC2::Instance", "i-0aaaaaaaaaaaaaaa1", acct, "us-east-1")
	other := comp("other", "aws.rds", "arn:aws:rds:eu-west-1:111111111111:db:orders-db", "AWS::RDS::DBInstance", "db-OTHEROTHEROTHEROTHEROTHE0", acct, "eu-west-1")

	public := finding(t, "RDS.2", "FAILED", acct, "us-east-1", "AwsRdsDbInstance", orders.Resource.ARN)
	encrypted := finding(t, "RDS.3", "PASSED", acct, "us-east-1", "AwsRdsDbInstance", orders.Resource.ARN) // agrees
	suppressed := finding(t, "RDS.5", "PASSED", acct, "us-east-1", "AwsRdsDbInstance", orders.Resource.ARN)
	suppressed.Active = false // says Multi-AZ, the model says single-AZ, but it does not count
	imds, err := FromEvaluation(&Evaluation{ConfigRuleName: "ec2-imdsv2-check", ResourceType: "AWS::EC2::Instance", ResourceID: "i-0aaaaaaaaaaaaaaa1",
		AccountID: acct, Region: "us-east-1", ComplianceType: "COMPLIANT", ResultRecordedTime: time.Date(2026, 10, 2, 9, 0, 0, 0, time.UTC)}, cat.Controls, "/")
	if err != nil {
		t.Fatal(err)
	}
	evs := []Evidence{public, encrypted, suppressed, imds}

	m := &model.ThreatModel{ID: "m", Name: "m", Diagram: model.Diagram{Components: []model.Component{orders, web, other}, Groups: []model.Group{}, Flows: []model.Flow{}}}
	cs := Contradictions(cat, m, evs)
	if len(cs) != 2 {
		t.Fatalf("contradictions %+v", cs)
	}
	if c := cs[0]; c.Element != "orders" || c.Property != "publiclyAccessible" || c.Model || !c.Evidence ||
		c.Message != "Security Hub says public, the model says private" || c.Observation.Control != "RDS.2" {
		t.Errorf("orders: %+v", c)
	}
	if c := cs[1]; c.Element != "web" || c.Property != "imdsv2Required" || c.Message != "AWS Config says IMDSv2-only, the model says open to IMDSv1" {
		t.Errorf("web: %+v", c)
	}

	res := analysis.Analyze(cat, m, nil)
	for _, rq := range res.Requirements {
		if rq.ID == "aws.rds.no-public-access@orders" {
			t.Fatal("the model's own view raises the public access requirement; the test needs one it does not")
		}
	}
	v := Evaluate(cat, m, res, evs)
	found := false
	for _, it := range v.Items {
		if it.Requirement == "aws.rds.no-public-access@orders" {
			found = true
			if it.Status != NonCompliant || !it.OnlyByEvidence {
				t.Errorf("no-public-access@orders: %s, only by evidence %v", it.Status, it.OnlyByEvidence)
			}
		}
		if it.Requirement == "aws.rds.no-public-access@other" {
			t.Error("the same-named database in eu-west-1 got the requirement")
		}
	}
	if !found || len(v.Contradictions) != 2 {
		t.Errorf("the evidence's requirement is not evaluated; contradictions %d", len(v.Contradictions))
	}
	total := 0
	for _, n := range v.Counts {
		total += n
	}
	if total != len(res.Requirements) {
		t.Errorf("counts %v over the model's %d requirements", v.Counts, len(res.Requirements))
	}

	// Evidenced sets the properties without touching the model.
	alt := Evidenced(m, cs)
	if string(alt.Diagram.Components[0].Properties["publiclyAccessible"]) != "true" || m.Diagram.Components[0].Properties["publiclyAccessible"] != nil {
		t.Errorf("evidenced %s, model %s", alt.Diagram.Components[0].Properties["publiclyAccessible"], m.Diagram.Components[0].Properties["publiclyAccessible"])
	}
	if len(Contradictions(cat, alt, evs)) != 0 {
		t.Error("the evidenced model still contradicts the evidence")
	}
}
