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

// TestEvidenceAndReport applies the sample Security Hub and Config events
// to the shop model offline, then writes every report from the result.
func TestEvidenceAndReport(t *testing.T) {
	dir := t.TempDir()
	modelIn, modelOut := "../compliance/testdata/shop.json", filepath.Join(dir, "shop.json")
	findings, _ := filepath.Glob("../../events/aws/securityhub/*.json")
	config, _ := filepath.Glob("../../events/aws/config-rules/*.json")
	if len(findings) == 0 || len(config) == 0 {
		t.Fatal("no sample events")
	}
	args := []string{"evidence", "--model", modelIn, "--out", modelOut, "--region", "us-east-1", "--config-compliance", strings.Join(config, ",")}
	for _, f := range findings {
		args = append(args, "--findings", f)
	}
	var stdout, stderr bytes.Buffer
	if err := Run(context.Background(), args, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "Non-compliant") || !strings.Contains(stdout.String(), "shop.evidence.json") {
		t.Errorf("evidence output: %s", stdout.String())
	}
	var ef EvidenceFile
	b, err := os.ReadFile(filepath.Join(dir, "shop.evidence.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &ef); err != nil || ef.Model != "shop" || len(ef.Evidence) == 0 || ef.View.Counts["NON_COMPLIANT"] == 0 {
		t.Fatalf("evidence file: %v %+v", err, ef.View)
	}

	for _, kind := range []string{"executive", "developer", "compliance", "cis", "custom"} {
		for _, format := range []string{"html", "pdf", "csv", "json"} {
			out := filepath.Join(dir, kind+"."+format)
			err := Run(context.Background(), []string{"report", "--model", modelOut, "--kind", kind, "--format", format, "--out", out,
				"--generated-at", "2026-11-05T08:30:00Z", "--cis", "1.2.0", "--sections", "summary,cis"}, &stdout, &stderr)
			if err != nil {
				t.Fatalf("%s %s: %v", kind, format, err)
			}
			b, err := os.ReadFile(out)
			if err != nil || len(b) == 0 {
				t.Fatalf("%s %s: %v", kind, format, err)
			}
			if format == "pdf" && !bytes.HasPrefix(b, []byte("%PDF-")) {
				t.Errorf("%s: not a PDF", out)
			}
		}
	}
	cis, _ := os.ReadFile(filepath.Join(dir, "cis.csv"))
	if !strings.Contains(string(cis), "1.2.0,1.12,Ensure no root account access key exists,1,true,IAM.4,Fail,1,0") {
		t.Errorf("CIS CSV lacks the failing root key item:\n%s", cis)
	}
	// Without the side file, compliance is not available.
	bare := filepath.Join(dir, "bare.json")
	data, _ := os.ReadFile(modelIn)
	os.WriteFile(bare, data, 0o644)
	stdout.Reset()
	if err := Run(context.Background(), []string{"report", "--model", bare, "--kind", "compliance", "--format", "json"}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	var pol struct {
		Items []struct{ Status string }
	}
	if err := json.Unmarshal(stdout.Bytes(), &pol); err != nil || len(pol.Items) == 0 {
		t.Fatalf("policy JSON: %v", err)
	}
	for _, it := range pol.Items {
		if it.Status != "NOT_AVAILABLE" {
			t.Errorf("a model without evidence has an item %s", it.Status)
		}
	}

	bad := []struct {
		name string
		args []string
		code int
	}{
		{"evidence without files", []string{"evidence", "--model", modelIn, "--out", modelOut}, 2},
		{"report without model", []string{"report", "--kind", "cis"}, 2},
		{"unknown kind", []string{"report", "--model", modelOut, "--kind", "audit"}, 2},
		{"unknown format", []string{"report", "--model", modelOut, "--format", "docx"}, 2},
		{"unknown section", []string{"report", "--model", modelOut, "--kind", "custom", "--sections", "x"}, 2},
		{"unknown CIS version", []string{"report", "--model", modelOut, "--kind", "cis", "--cis", "9.9.9"}, 1},
		{"missing findings file", []string{"evidence", "--model", modelIn, "--out", modelOut, "--findings", filepath.Join(dir, "nope.json")}, 1},
		{"not evidence", []string{"evidence", "--model", modelIn, "--out", modelOut, "--findings", modelIn}, 1},
	}
	for _, tt := range bad {
		err := Run(context.Background(), tt.args, &stdout, &stderr)
		if err == nil || ExitCode(err) != tt.code {
			t.Errorf("%s: %v (exit %d), want exit %d", tt.name, err, ExitCode(err), tt.code)
		}
	}
}
