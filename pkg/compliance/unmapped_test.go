package compliance

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
)

// TestPCIControlsExist: every consolidated control the PCI DSS ids map to
// is in the control catalog.
func TestPCIControlsExist(t *testing.T) {
	ctl := controls(t)
	for pci, c := range pciControls {
		if ctl.SecurityHub[c] == nil {
			t.Errorf("%s maps to %s, which the control catalog does not have", pci, c)
		}
	}
}

// TestControlsRealFindingsCarry (#16.11): the controls that real findings
// carry and once mapped to no requirement are now used by one, in the
// shape real findings name them: the real PCI DSS finding of the AWS CLI
// examples, its control id replaced by each of them (per-standard
// findings of PCI DSS and CIS, consolidated ones otherwise). A control no
// requirement uses is listed, never dropped.
func TestControlsRealFindingsCarry(t *testing.T) {
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("testdata/real/awscli-get-findings-pci.json")
	if err != nil {
		t.Fatal(err)
	}
	var answer struct{ Findings []map[string]any }
	if err := json.Unmarshal(raw, &answer); err != nil || len(answer.Findings) != 1 {
		t.Fatalf("%v %d", err, len(answer.Findings))
	}
	real := answer.Findings[0]
	evs := realEvidence(t, "awscli-get-findings-pci.json")
	if len(evs) != 1 || evs[0].Control != "Lambda.3" || evs[0].ConfigRule != "lambda-inside-vpc" {
		t.Fatalf("the real PCI.Lambda.2 finding reads as %+v", evs)
	}
	if u := Unmapped(cat, evs); len(u) != 0 {
		t.Errorf("PCI.Lambda.2 (Lambda.3) is unmapped: %+v", u)
	}
	ids := []string{"CodeBuild.2", "CodeBuild.5", "CloudFormation.1", "CloudWatch.8", "CloudWatch.9", "CloudWatch.10",
		"CloudWatch.11", "CloudWatch.12", "CloudWatch.13", "CloudWatch.14", "PCI.Config.1", "PCI.CW.1", "PCI.S3.6", "Made.99"}
	for _, id := range ids {
		f := map[string]any{}
		for k, v := range real {
			f[k] = v
		}
		pf := map[string]any{}
		for k, v := range real["ProductFields"].(map[string]any) {
			if !strings.HasPrefix(k, "RelatedAWSResources") {
				pf[k] = v
			}
		}
		pf["ControlId"] = id
		f["ProductFields"] = pf
		f["GeneratorId"] = "pci-dss/v/3.2.1/" + id
		f["RecordState"] = "ACTIVE"
		b, _ := json.Marshal(map[string]any{"Findings": []any{f}})
		p, err := Parse(b, Options{Controls: cat.Controls})
		if err != nil || len(p.Evidence) != 1 {
			t.Fatalf("%s: %v", id, err)
		}
		u := Unmapped(cat, p.Evidence)
		if id == "Made.99" {
			if len(u) != 1 || u[0].Check != "Made.99" || u[0].Observations != 1 {
				t.Errorf("an unknown control is not listed as unmapped: %+v", u)
			}
			continue
		}
		if len(u) != 0 {
			t.Errorf("%s (read as %s) maps to no requirement", id, p.Evidence[0].Control)
		}
	}
}
