package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/compliance"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// TestCommitted checks that events/demo/findings holds exactly what the generator
// writes, and that every file parses as compliance evidence with failures
// and passes.
func TestCommitted(t *testing.T) {
	files, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "..", "..", "..", "events", "demo", "findings")
	var names []string
	for name, want := range files {
		names = append(names, name)
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%v (run go run ./pkg/compliance/internal/gendemo)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("events/demo/findings/%s is stale; run go run ./pkg/compliance/internal/gendemo", name)
		}
		p, err := compliance.Parse(want, compliance.Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(p.Evidence) == 0 || p.Skipped != 0 {
			t.Errorf("%s: %d observations, %d skipped", name, len(p.Evidence), p.Skipped)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if filepath.Ext(e.Name()) == ".json" && !slices.Contains(names, e.Name()) {
			t.Errorf("events/demo/findings/%s is not generated; remove it", e.Name())
		}
	}
	again, _ := Files()
	for n := range files {
		if !bytes.Equal(files[n], again[n]) {
			t.Errorf("%s differs between runs", n)
		}
	}
}

// TestMix checks that the demo has both results for the controls the
// reports show.
func TestMix(t *testing.T) {
	files, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	count := map[compliance.Status]int{}
	for _, data := range files {
		p, err := compliance.Parse(data, compliance.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range p.Evidence {
			count[e.Status]++
		}
	}
	if count[compliance.Compliant] == 0 || count[compliance.NonCompliant] == 0 {
		t.Errorf("results %v; want both passed and failed", count)
	}
}

// TestCIS300 checks that the demo's consolidated findings decide CIS 3.0.0
// items through their related requirements, as Security Hub's do: IMDSv2
// (5.6) fails on the bastions, RDS encryption (2.3.1) and privacy (2.3.3)
// pass.
func TestCIS300(t *testing.T) {
	files, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	p, err := compliance.Parse(files["securityhub-controls.json"], compliance.Options{Controls: cat.Controls})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := compliance.CIS(cat.Controls, "3.0.0", p.Evidence)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]compliance.Status{"5.6": compliance.NonCompliant, "2.3.1": compliance.Compliant, "2.3.3": compliance.Compliant}
	for _, r := range rows {
		if w, ok := want[r.Item]; ok {
			if r.Status != w || len(r.Evidence) == 0 {
				t.Errorf("CIS 3.0.0 item %s: %s with %d observations, want %s", r.Item, r.Status, len(r.Evidence), w)
			}
			delete(want, r.Item)
		}
	}
	if len(want) > 0 {
		t.Errorf("items missing from the report: %v", want)
	}
}

// TestAccountLevelOnItsAccount: the demo's GuardDuty.1 failure is about
// account 222222222222 only; an EC2 instance there shows the GuardDuty
// requirement NON_COMPLIANT, one in 111111111111 (same region) COMPLIANT.
func TestAccountLevelOnItsAccount(t *testing.T) {
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	files, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	p, err := compliance.Parse(files["securityhub-controls.json"], compliance.Options{Controls: cat.Controls})
	if err != nil {
		t.Fatal(err)
	}
	m := &model.ThreatModel{ID: "two", Name: "two accounts", Diagram: model.Diagram{Flows: []model.Flow{}, Groups: []model.Group{}, Components: []model.Component{
		{ID: "a", Type: "aws.ec2", Name: "a", Resource: &model.AWSResource{ResourceType: "AWS::EC2::Instance", ResourceID: "i-0aaaaaaaaaaaaaaa1", AccountID: "111111111111", Region: "us-east-1"}},
		{ID: "b", Type: "aws.ec2", Name: "b", Resource: &model.AWSResource{ResourceType: "AWS::EC2::Instance", ResourceID: "i-0bbbbbbbbbbbbbbb1", AccountID: guardDutyOff, Region: "us-east-1"}},
	}}}
	v := compliance.BuildView(m, analysis.Analyze(cat, m, nil), p.Evidence, cat.Controls)
	got := map[string]compliance.Status{}
	for _, it := range v.Items {
		got[it.Requirement] = it.Status
	}
	if got["aws.common.guardduty@a"] != compliance.Compliant || got["aws.common.guardduty@b"] != compliance.NonCompliant {
		t.Errorf("GuardDuty: 111111111111 %s, 222222222222 %s", got["aws.common.guardduty@a"], got["aws.common.guardduty@b"])
	}
}
