package compliance

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// realEvidence parses a file of testdata/real (see its README).
func realEvidence(t *testing.T, name string) []Evidence {
	t.Helper()
	b, err := os.ReadFile("testdata/real/" + name)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(b, Options{Controls: controls(t)})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return p.Evidence
}

func comp(id, typ, arn, rtype, rid, account, region string) model.Component {
	return model.Component{ID: id, Type: typ, Name: id,
		Resource: &model.AWSResource{ARN: arn, ResourceType: rtype, ResourceID: rid, AccountID: account, Region: region}}
}

// statuses builds the view of a model made of components and groups and
// returns each requirement item by id.
func statuses(t *testing.T, comps []model.Component, groups []model.Group, evs []Evidence) map[string]Item {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	m := &model.ThreatModel{ID: "m1", Name: "scope", Diagram: model.Diagram{Components: comps, Groups: groups, Flows: []model.Flow{}}}
	if groups == nil {
		m.Diagram.Groups = []model.Group{}
	}
	v := BuildView(m, analysis.Analyze(cat, m, nil), evs, cat.Controls)
	out := map[string]Item{}
	for _, it := range v.Items {
		out[it.Requirement] = it
	}
	return out
}

func wantStatus(t *testing.T, items map[string]Item, id string, want Status, why string) {
	t.Helper()
	it, ok := items[id]
	if !ok {
		t.Fatalf("no requirement item %s", id)
	}
	if it.Status != want {
		t.Errorf("%s: %s, want %s: %s; evidence %+v", id, it.Status, want, why, it.Evidence)
	}
}

// finding is an AWS-shaped consolidated Security Hub control finding.
func finding(t *testing.T, control, status, account, region, rtype, rid string) Evidence {
	t.Helper()
	f := Finding{ID: "arn:aws:securityhub:" + region + ":" + account + ":security-control/" + control + "/finding/" + rid,
		GeneratorID: "security-control/" + control, AwsAccountID: account, Region: region,
		UpdatedAt: "2026-10-02T10:00:00.000Z", Title: control,
		Compliance: &FindingCompliance{Status: status, SecurityControlID: control},
		Resources:  []FindingResource{{Type: rtype, ID: rid, Region: region, Partition: "aws"}}}
	e, err := FromFinding(&f, controls(t), "/")
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestAccountLevelStaysInItsAccount (#16.9): the real CIS 1.2.0 1.13 (root
// MFA) FAILED finding of account 123456789012 marks that account's IAM
// element and nothing in another account of the same model; a regional
// account-level check (EC2.7, EBS default encryption) failing in one region
// marks nothing in another region, while a global one (IAM) counts in every
// region of its account.
func TestAccountLevelStaysInItsAccount(t *testing.T) {
	evs := realEvidence(t, "awscli-get-findings-cis-1.13.json")
	if len(evs) != 1 || !evs[0].AccountLevel || evs[0].AccountID != "123456789012" || evs[0].Region != "us-west-1" {
		t.Fatalf("the real finding reads as %+v", evs)
	}
	evs = append(evs, finding(t, "EC2.7", "FAILED", "123456789012", "eu-west-1", "AwsAccount", "AWS::::Account:123456789012"))
	items := statuses(t, []model.Component{
		comp("iamA", "aws.iam", "", "AWS::::Account", "123456789012", "123456789012", "us-east-1"),
		comp("iamB", "aws.iam", "", "AWS::::Account", "111111111111", "111111111111", "us-west-1"),
		comp("vmA", "aws.ec2", "arn:aws:ec2:eu-west-1:123456789012:instance/i-0aaaaaaaaaaaaaaa1", "AWS::EC2::Instance", "i-0aaaaaaaaaaaaaaa1", "123456789012", "eu-west-1"),
		comp("vmA2", "aws.ec2", "arn:aws:ec2:us-east-1:123456789012:instance/i-0aaaaaaaaaaaaaaa2", "AWS::EC2::Instance", "i-0aaaaaaaaaaaaaaa2", "123456789012", "us-east-1"),
		comp("vmB", "aws.ec2", "arn:aws:ec2:eu-west-1:111111111111:instance/i-0bbbbbbbbbbbbbbb1", "AWS::EC2::Instance", "i-0bbbbbbbbbbbbbbb1", "111111111111", "eu-west-1"),
	}, nil, evs)
	wantStatus(t, items, "aws.iam.protect-root@iamA", NonCompliant, "root MFA fails in this account (reported from us-west-1; IAM is global)")
	wantStatus(t, items, "aws.iam.protect-root@iamB", NotAvailable, "the failing finding is about account 123456789012, not 111111111111")
	ebs := ""
	for id := range items {
		if strings.HasSuffix(id, "@vmA") && slicesHas(items[id].Checks.SecurityHub, "EC2.7") {
			ebs = strings.TrimSuffix(id, "@vmA")
		}
	}
	if ebs == "" {
		t.Fatal("no requirement of aws.ec2 checks EC2.7")
	}
	wantStatus(t, items, ebs+"@vmA", NonCompliant, "EC2.7 fails in eu-west-1 of this account")
	wantStatus(t, items, ebs+"@vmA2", NotAvailable, "EC2.7 is regional: eu-west-1's result says nothing about us-east-1")
	wantStatus(t, items, ebs+"@vmB", NotAvailable, "EC2.7 failing in 123456789012 says nothing about 111111111111")
}

func slicesHas(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

// TestSameNameOtherRegion (#16.10): two RDS instances named orders-db in two
// regions (and one in another account) each get only their own findings;
// a Config evaluation, which names the resource by its id and no ARN,
// reaches the instance with that id in its own account and region only.
func TestSameNameOtherRegion(t *testing.T) {
	const acct = "111111111111"
	east := comp("east", "aws.rds", "arn:aws:rds:us-east-1:111111111111:db:orders-db", "AWS::RDS::DBInstance", "db-EASTEASTEASTEASTEASTEAST0", acct, "us-east-1")
	west := comp("west", "aws.rds", "arn:aws:rds:eu-west-1:111111111111:db:orders-db", "AWS::RDS::DBInstance", "db-WESTWESTWESTWESTWESTWEST0", acct, "eu-west-1")
	other := comp("other", "aws.rds", "", "AWS::RDS::DBInstance", "orders-db", "222222222222", "us-east-1")
	// Without an ARN the model's resource is named only by its identifier.
	bare := comp("bare", "aws.rds", "", "AWS::RDS::DBInstance", "orders-db", acct, "ap-south-1")
	evs := []Evidence{
		finding(t, "RDS.3", "FAILED", acct, "eu-west-1", "AwsRdsDbInstance", "arn:aws:rds:eu-west-1:111111111111:db:orders-db"),
		finding(t, "RDS.3", "PASSED", acct, "us-east-1", "AwsRdsDbInstance", "arn:aws:rds:us-east-1:111111111111:db:orders-db"),
	}
	ev, err := FromEvaluation(&Evaluation{ConfigRuleName: "rds-instance-public-access-check", ResourceType: "AWS::RDS::DBInstance",
		ResourceID: "db-WESTWESTWESTWESTWESTWEST0", AccountID: acct, Region: "eu-west-1", ComplianceType: "NON_COMPLIANT",
		ResultRecordedTime: time.Date(2026, 10, 2, 10, 0, 0, 0, time.UTC)}, controls(t), "/")
	if err != nil {
		t.Fatal(err)
	}
	evs = append(evs, ev)
	public := model.Properties{"publiclyAccessible": json.RawMessage("true")}
	east.Properties, west.Properties = public, public
	items := statuses(t, []model.Component{east, west, other, bare}, nil, evs)
	wantStatus(t, items, "aws.rds.encrypt-at-rest@east", Compliant, "its own RDS.3 passes; the failing one is about eu-west-1's orders-db")
	wantStatus(t, items, "aws.rds.encrypt-at-rest@west", NonCompliant, "its own RDS.3 fails")
	wantStatus(t, items, "aws.rds.encrypt-at-rest@other", NotAvailable, "same name, another account")
	wantStatus(t, items, "aws.rds.encrypt-at-rest@bare", NotAvailable, "same name, another region")
	wantStatus(t, items, "aws.rds.no-public-access@west", NonCompliant, "the Config evaluation names its DB resource id")
	wantStatus(t, items, "aws.rds.no-public-access@east", NotAvailable, "the evaluation is about another resource id")
	if n := len(items["aws.rds.encrypt-at-rest@east"].Evidence); n != 1 {
		t.Errorf("east has %d observations, want its own only", n)
	}
}

// TestEvidenceThroughRelations (#17.9): a failing restricted-ssh evaluation
// (Config) or EC2.13 finding (Security Hub) on the bastion's security group
// makes the bastion's "Restrict SSH and RDP" requirement NON_COMPLIANT and
// says which group; the same group id in another account does not; a
// finding about a subnet reaches what is drawn inside it.
func TestEvidenceThroughRelations(t *testing.T) {
	const acct = "111111111111"
	// The real demo evaluations of restricted-ssh: every security group.
	b, err := os.ReadFile("../../events/demo/findings/config-restricted-ssh.json")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(b, Options{Controls: controls(t)})
	if err != nil {
		t.Fatal(err)
	}
	var failing *Evidence
	for i := range p.Evidence {
		if e := &p.Evidence[i]; e.Status == NonCompliant && e.ResourceType == "AWS::EC2::SecurityGroup" {
			failing = e
			break
		}
	}
	if failing == nil {
		t.Fatal("no failing restricted-ssh evaluation in the demo findings")
	}
	sgProp := func(ids ...string) model.Properties {
		raw, _ := json.Marshal(ids)
		return model.Properties{"securityGroups": raw}
	}
	bastion := comp("bastion", "aws.ec2", "arn:aws:ec2:"+failing.Region+":"+failing.AccountID+":instance/i-0bbbbbbbbbbbbbbb1", "AWS::EC2::Instance", "i-0bbbbbbbbbbbbbbb1", failing.AccountID, failing.Region)
	bastion.Properties = sgProp(failing.ResourceID + " (bastion)")
	elsewhere := comp("elsewhere", "aws.ec2", "", "AWS::EC2::Instance", "i-0ccccccccccccccc1", "999999999999", failing.Region)
	elsewhere.Properties = sgProp(failing.ResourceID)
	web := comp("web", "aws.ec2", "", "AWS::EC2::Instance", "i-0ddddddddddddddd1", acct, "us-east-1")
	web.Parent = "subnet"
	web.Properties = sgProp("sg-0fffffffffffffff1 (web)")
	web.Properties["publicIp"] = json.RawMessage("true")
	web.Properties["internetFacing"] = json.RawMessage("true")
	subnet := model.Group{ID: "subnet", Kind: model.KindGroup, Name: "public a",
		Resource: &model.AWSResource{ResourceType: "AWS::EC2::Subnet", ResourceID: "subnet-0aaaaaaaaaaaaaaa1", AccountID: acct, Region: "us-east-1"}}
	hub := finding(t, "EC2.13", "FAILED", acct, "us-east-1", "AwsEc2SecurityGroup", "arn:aws:ec2:us-east-1:111111111111:security-group/sg-0fffffffffffffff1")
	imds := finding(t, "EC2.15", "FAILED", acct, "us-east-1", "AwsEc2Subnet", "arn:aws:ec2:us-east-1:111111111111:subnet/subnet-0aaaaaaaaaaaaaaa1")
	items := statuses(t, []model.Component{bastion, elsewhere, web}, []model.Group{subnet}, append(p.Evidence, hub, imds))

	wantStatus(t, items, "aws.ec2.restrict-admin-access@bastion", NonCompliant, "restricted-ssh fails on its security group")
	if got := items["aws.ec2.restrict-admin-access@bastion"].Evidence[0].Via; got != "security group "+failing.ResourceID+" (bastion)" {
		t.Errorf("the evidence says it comes through %q", got)
	}
	wantStatus(t, items, "aws.ec2.restrict-admin-access@elsewhere", NotAvailable, "the same group id in another account is another group")
	wantStatus(t, items, "aws.ec2.restrict-admin-access@web", NonCompliant, "EC2.13 (Security Hub) fails on its security group")
	// The subnet's finding reaches the instance drawn in it.
	found := false
	for id, it := range items {
		if strings.HasSuffix(id, "@web") {
			for _, o := range it.Evidence {
				if o.Control == "EC2.15" && o.Via == "subnet subnet-0aaaaaaaaaaaaaaa1 (public a)" {
					found = true
				}
			}
		}
	}
	if !slicesHasRule(items, "@web", "EC2.15") {
		t.Fatal("no requirement of the web instance checks EC2.15")
	}
	if !found {
		t.Error("the subnet's EC2.15 finding does not reach the instance inside it")
	}
}

// slicesHasRule reports whether any item of the element checks control.
func slicesHasRule(items map[string]Item, suffix, control string) bool {
	for id, it := range items {
		if strings.HasSuffix(id, suffix) && slicesHas(it.Checks.SecurityHub, control) {
			return true
		}
	}
	return false
}

func TestSplitARNAndTypes(t *testing.T) {
	tests := []struct{ arn, account, region, typ, id string }{
		{"arn:aws:ec2:us-east-1:111111111111:security-group/sg-1", "111111111111", "us-east-1", "ec2securitygroup", "sg-1"},
		{"arn:aws:rds:eu-west-1:111111111111:db:orders-db", "111111111111", "eu-west-1", "rdsdb", "orders-db"},
		{"arn:aws:s3:::bucket", "", "", "", "bucket"},
		{"arn:aws:iam::111111111111:role/path/admin", "111111111111", "", "iamrole", "admin"},
		{"sg-1", "", "", "", ""},
	}
	for _, tt := range tests {
		a, r, ty, id := splitARN(tt.arn)
		if a != tt.account || r != tt.region || ty != tt.typ || id != tt.id {
			t.Errorf("splitARN(%q) = %q %q %q %q", tt.arn, a, r, ty, id)
		}
	}
	for _, pair := range [][2]string{
		{"AwsEc2SecurityGroup", "AWS::EC2::SecurityGroup"},
		{"AwsRdsDbInstance", "AWS::RDS::DBInstance"},
		{"AwsElbv2LoadBalancer", "AWS::ElasticLoadBalancingV2::LoadBalancer"},
		{"AwsElbLoadBalancer", "AWS::ElasticLoadBalancing::LoadBalancer"},
		{"AwsS3Bucket", "AWS::S3::Bucket"},
	} {
		if normType(pair[0]) != normType(pair[1]) {
			t.Errorf("%s (%s) and %s (%s) differ", pair[0], normType(pair[0]), pair[1], normType(pair[1]))
		}
	}
}
