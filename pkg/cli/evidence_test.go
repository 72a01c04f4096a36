package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvidenceSkipsBadFile (#16.13): a batch with one bad file (the AWS CLI
// example as it is published now, not valid JSON) and one missing file is
// still applied: each bad file is named with its error, the good ones
// (real findings) are read, the summary counts files read and skipped and
// the unmapped checks, and the command exits 1 at the end.
func TestEvidenceSkipsBadFile(t *testing.T) {
	dir := t.TempDir()
	real := "../compliance/testdata/real/"
	modelOut := filepath.Join(dir, "shop.json")
	args := []string{"evidence", "--model", "../compliance/testdata/shop.json", "--out", modelOut,
		real + "awscli-get-findings-cis-malformed.json", real + "awscli-get-findings-cis-1.13.json",
		filepath.Join(dir, "missing.json"), real + "awscli-get-findings-pci.json",
		"--config-compliance", real + "awscli-config-evaluations.json", "--region", "us-east-1"}
	var stdout, stderr bytes.Buffer
	err := Run(context.Background(), args, &stdout, &stderr)
	if err == nil || ExitCode(err) != 1 {
		t.Fatalf("exit %d (%v), want 1 after skipping files\n%s", ExitCode(err), err, stderr.String())
	}
	for _, want := range []string{"skipped " + real + "awscli-get-findings-cis-malformed.json: ", "missing.json: "} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	if !strings.Contains(err.Error(), "2 of 5 files skipped") {
		t.Errorf("error %q", err)
	}
	// The custom Config rule of the evaluations decides no requirement.
	if !strings.Contains(stdout.String(), "files: 3 read, 2 skipped; 5 evidence records") ||
		!strings.Contains(stdout.String(), "1 checks unmapped") || !strings.Contains(stdout.String(), "unmapped: InstanceTypesAreT2micro (3 observations)") {
		t.Errorf("summary:\n%s", stdout.String())
	}
	var ef EvidenceFile
	b, err := os.ReadFile(filepath.Join(dir, "shop.evidence.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &ef); err != nil || len(ef.Evidence) != 5 || len(ef.Unmapped) != 1 {
		t.Fatalf("evidence file: %v, %d records, unmapped %+v", err, len(ef.Evidence), ef.Unmapped)
	}

	// Nothing readable at all is an error without output.
	err = Run(context.Background(), []string{"evidence", "--model", "../compliance/testdata/shop.json", "--out", modelOut,
		real + "awscli-get-findings-cis-malformed.json"}, &stdout, &stderr)
	if ExitCode(err) != 1 || !strings.Contains(err.Error(), "no findings or evaluations file could be read") {
		t.Errorf("all files bad: exit %d, %v", ExitCode(err), err)
	}
}

// TestEvidenceContradiction (#16.12): a passing RDS.2 finding about the
// shop's orders database, which the model calls public, is reported.
func TestEvidenceContradiction(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "rds2.json")
	finding := `{"Findings": [{"SchemaVersion": "2018-10-08",
  "Id": "arn:aws:securityhub:us-east-1:111111111111:security-control/RDS.2/finding/5e0c2a9e-1f3b-4d6a-8c7e-9f0a1b2c3d4e",
  "ProductArn": "arn:aws:securityhub:us-east-1::product/aws/securityhub", "GeneratorId": "security-control/RDS.2",
  "AwsAccountId": "111111111111", "Region": "us-east-1", "UpdatedAt": "2026-10-02T10:00:00.000Z",
  "Title": "RDS DB Instances should prohibit public access, as determined by the PubliclyAccessible configuration",
  "Resources": [{"Type": "AwsRdsDbInstance", "Id": "arn:aws:rds:us-east-1:111111111111:db:orders-db", "Partition": "aws", "Region": "us-east-1"}],
  "Compliance": {"Status": "PASSED", "SecurityControlId": "RDS.2"}, "Workflow": {"Status": "RESOLVED"}, "RecordState": "ACTIVE"}]}`
	if err := os.WriteFile(f, []byte(finding), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	err := Run(context.Background(), []string{"evidence", "--model", "../compliance/testdata/shop.json", "--out", filepath.Join(dir, "shop.json"), f}, &stdout, &stderr)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "contradiction: Orders DB (publiclyAccessible): Security Hub says private, the model says public") {
		t.Errorf("summary:\n%s", stdout.String())
	}
}
