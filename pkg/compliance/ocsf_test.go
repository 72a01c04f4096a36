package compliance

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// TestOCSF reads Security Hub's OCSF findings ("Findings Imported V2"
// events; real findings, see testdata/ocsf/README.md) into evidence.
func TestOCSF(t *testing.T) {
	tests := []struct {
		file        string
		wantStatus  Status
		wantResult  string
		wantActive  bool
		wantControl string
		wantARN     string
		wantRegion  string
		wantCIS     []string
	}{
		{"event-sqs1-fail.json", NonCompliant, "FAILED", true, "SQS.1", "arn:aws:sqs:us-east-2:123456789012:securityhubfinding", "us-east-2", nil},
		{"event-sqs3-pass.json", Compliant, "PASSED", true, "SQS.3", "arn:aws:sqs:us-east-2:123456789012:securityhubfinding", "us-east-2", nil},
		// An IAM policy is "global": the finding's region stands in, as in ASFF.
		{"event-iam1-pass-cis.json", Compliant, "PASSED", true, "IAM.1", "arn:aws:iam::123456789012:policy/service-role/Amazon_EventBridge_Invoke_Sqs_1412345678", "us-east-2", []string{"1.2.0/1.22"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata/ocsf", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			p, err := Parse(data, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Evidence) != 1 || p.Skipped != 0 {
				t.Fatalf("parsed %+v", p)
			}
			e := p.Evidence[0]
			if e.Status != tt.wantStatus || e.Result != tt.wantResult || e.Active != tt.wantActive || e.Control != tt.wantControl ||
				e.ResourceARN != tt.wantARN || e.Region != tt.wantRegion || e.AccountID != "123456789012" || e.Source != SourceSecurityHub ||
				e.Check != "security-control/"+tt.wantControl || !slices.Equal(e.CISItems, tt.wantCIS) || e.ObservedAt.IsZero() || e.Title == "" {
				t.Errorf("evidence %+v", e)
			}
		})
	}
}

// TestOCSFSameEvidenceAsASFF: one control's result on one resource is the
// same evidence whichever form Security Hub sent, so that the newer
// observation wins across both.
func TestOCSFSameEvidenceAsASFF(t *testing.T) {
	o := &OCSFFinding{ClassUID: 2003, Compliance: &OCSFCompliance{Control: "EC2.8", Status: "Fail"},
		Resources: []OCSFResource{{Type: "AWS::EC2::Instance", UID: "arn:aws:ec2:eu-west-1:111111111111:instance/i-1", Region: "eu-west-1"}}}
	o.Cloud.Account.UID, o.Cloud.Region = "111111111111", "eu-west-1"
	o.FindingInfo.UID, o.FindingInfo.ModifiedTimeDT = "f-1", "2026-10-02T09:00:00Z"
	ev, err := FromOCSF(o, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	asff := &Finding{ID: "f-1", GeneratorID: "security-control/EC2.8", AwsAccountID: "111111111111", UpdatedAt: "2026-10-01T09:00:00Z",
		Compliance: &FindingCompliance{Status: "PASSED", SecurityControlID: "EC2.8"}}
	asff.Resources = append(asff.Resources, FindingResource{Type: "AwsEc2Instance", ID: "arn:aws:ec2:eu-west-1:111111111111:instance/i-1", Region: "eu-west-1"})
	ea, err := FromFinding(asff, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if ev.ID != ea.ID || !Newer(&ea, &ev) {
		t.Errorf("OCSF %s and ASFF %s differ, or the newer OCSF observation does not win", ev.ID, ea.ID)
	}
	closed := *o
	closed.ActivityName = "Close"
	if e, _ := FromOCSF(&closed, nil, ""); e.Active || e.Effective() != NotAvailable {
		t.Errorf("a closed finding counts: %+v", e)
	}
	o.ClassUID = 2002 // a Vulnerability Finding is not evidence
	if _, err := FromOCSF(o, nil, ""); err != errNotCompliance {
		t.Errorf("vulnerability finding: %v", err)
	}
}

func TestOCSFRefused(t *testing.T) {
	for name, body := range map[string]string{
		"no findings": `{"detail-type":"Findings Imported V2","source":"aws.securityhub","detail":{}}`,
		"no account":  `{"detail-type":"Findings Imported V2","detail":{"findings":[{"class_uid":2003,"finding_info":{"uid":"x","modified_time_dt":"2026-10-02T09:00:00Z"},"compliance":{"status":"Fail"},"resources":[{"uid":"i-1"}]}]}}`,
		"no resource": `{"detail-type":"Findings Imported V2","detail":{"findings":[{"class_uid":2003,"cloud":{"account":{"uid":"111111111111"}},"finding_info":{"uid":"x","modified_time_dt":"2026-10-02T09:00:00Z"},"compliance":{"status":"Fail"}}]}}`,
		"bad time":    `{"detail-type":"Findings Imported V2","detail":{"findings":[{"class_uid":2003,"cloud":{"account":{"uid":"111111111111"}},"finding_info":{"uid":"x","modified_time_dt":"yesterday"},"compliance":{"status":"Fail"},"resources":[{"uid":"i-1"}]}]}}`,
		"wrong type":  `{"detail-type":"Findings Imported V2","detail":{"findings":[{"class_uid":"2003"}]}}`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Parse([]byte(body), Options{}); !errs.Is(err, errs.Invalid) && !errs.Is(err, errs.Malformed) {
				t.Errorf("err = %v", err)
			}
		})
	}
}
