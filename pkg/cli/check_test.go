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

const (
	gateBase    = "../gate/testdata/base.yaml"
	gateChanged = "../gate/testdata/changed.yaml"
)

// baselineFile imports the gate's base template into a model file, as a
// user would export the approved baseline.
func baselineFile(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "baseline.json")
	var stdout, stderr bytes.Buffer
	if err := Run(context.Background(), []string{"import", "--from", "cloudformation", gateBase, "--out", out, "--name", "Shop"}, &stdout, &stderr); err != nil {
		t.Fatalf("import baseline: %v %s", err, stderr.String())
	}
	return out
}

// TestCheckExitCodes: the gate exits 1 on a change that adds a public
// database, 0 on no change, 2 on usage and input errors; SARIF goes to
// --output with a text summary on stdout.
func TestCheckExitCodes(t *testing.T) {
	base := baselineFile(t)
	dir := t.TempDir()
	sarif := filepath.Join(dir, "gate.sarif")
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"name":`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // substring
		errSub string // substring of the error
	}{
		{"public database fails", []string{"check", "--baseline", base, "--from", "cloudformation", gateChanged}, 1, "The database is reachable from the internet — OrdersDatabase (../gate/testdata/changed.yaml:41)", "new threats of severity High or more"},
		{"sarif to a file", []string{"check", "--baseline", base, "--from", "cloudformation", "--format", "sarif", "--output", sarif, gateChanged}, 1, "Threat model gate: FAIL", "check failed"},
		{"json", []string{"check", "--baseline", base, "--from", "cloudformation", "--format", "json", gateChanged}, 1, `"pass": false`, "check failed"},
		{"no change passes", []string{"check", "--baseline", base, "--from", "cloudformation", gateBase}, 0, "Threat model gate: PASS", ""},
		{"critical threshold still fails", []string{"check", "--baseline", base, "--from", "cloudformation", "--threshold", "critical", gateChanged}, 1, "of severity Critical or more", ""},
		{"missing baseline flag", []string{"check", "--from", "cloudformation", gateChanged}, 2, "", "needs --baseline"},
		{"unknown threshold", []string{"check", "--baseline", base, "--from", "cloudformation", "--threshold", "severe", gateChanged}, 2, "", "unknown threshold"},
		{"unknown format", []string{"check", "--baseline", base, "--from", "otm", gateChanged}, 2, "", "cloudformation or terraform"},
		{"no files", []string{"check", "--baseline", base, "--from", "cloudformation"}, 2, "", "at least one FILE"},
		{"unreadable baseline", []string{"check", "--baseline", bad, "--from", "cloudformation", gateChanged}, 2, "", "bad.json"},
		{"missing template", []string{"check", "--baseline", base, "--from", "cloudformation", filepath.Join(dir, "nope.yaml")}, 2, "", "nope.yaml"},
		{"template that is not one", []string{"check", "--baseline", base, "--from", "cloudformation", bad}, 2, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := Run(context.Background(), tc.args, &stdout, &stderr)
			code := 0
			if err != nil {
				code = ExitCode(err)
			}
			if code != tc.code {
				t.Fatalf("exit %d, want %d: %v\n%s%s", code, tc.code, err, stdout.String(), stderr.String())
			}
			if !strings.Contains(stdout.String(), tc.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tc.stdout, stdout.String())
			}
			if tc.errSub != "" && (err == nil || !strings.Contains(err.Error(), tc.errSub)) {
				t.Errorf("error %v, want it to say %q", err, tc.errSub)
			}
		})
	}
	b, err := os.ReadFile(sarif)
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }    `json:"artifactLocation"`
						Region           struct{ StartLine int } `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b, &log); err != nil || log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("SARIF file: %v %.300s", err, b)
	}
	for _, r := range log.Runs[0].Results {
		if r.RuleID == "aws.rds.public-endpoint" {
			loc := r.Locations[0].PhysicalLocation
			if loc.ArtifactLocation.URI != "../gate/testdata/changed.yaml" || loc.Region.StartLine != 41 {
				t.Errorf("public endpoint at %+v", loc)
			}
			return
		}
	}
	t.Errorf("SARIF lacks the public endpoint: %.500s", b)
}

// TestDiffCommand: text and JSON output, and exit 2 for a file that is
// not a model.
func TestDiffCommand(t *testing.T) {
	base := baselineFile(t)
	dir := t.TempDir()
	changed := filepath.Join(dir, "changed.json")
	var stdout, stderr bytes.Buffer
	if err := Run(context.Background(), []string{"import", "--from", "cloudformation", gateChanged, "--out", changed}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	if err := Run(context.Background(), []string{"diff", base, changed}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"+2 components, +1 flow", "+ component OrdersDatabase", "+ threat [Critical] The database is reachable from the internet on OrdersDatabase (Open)", "+ flow AppServer → OrdersDatabase (PostgreSQL)"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("text diff lacks %q:\n%s", want, stdout.String())
		}
	}
	stdout.Reset()
	if err := Run(context.Background(), []string{"diff", "--format", "json", changed, base}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	var d struct {
		Summary map[string]int `json:"summary"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &d); err != nil || d.Summary["componentsRemoved"] != 2 || d.Summary["threatsRemoved"] == 0 || d.Summary["threatsAdded"] != 0 {
		t.Errorf("json diff: %v %v", err, d.Summary)
	}
	for _, args := range [][]string{{"diff", base}, {"diff", base, gateChanged}, {"diff", "--format", "xml", base, changed}} {
		err := Run(context.Background(), args, &stdout, &stderr)
		if err == nil || ExitCode(err) != 2 {
			t.Errorf("%v: %v (exit %d), want exit 2", args, err, ExitCode(err))
		}
	}
}

// TestCheckTerraform: a plan checked against its own import passes; against
// the CloudFormation baseline its new database fails at the plan line that
// names its address.
func TestCheckTerraform(t *testing.T) {
	const plan = "../interop/testdata/terraform/web-app.plan.json"
	tfBase := filepath.Join(t.TempDir(), "tf.json")
	var stdout, stderr bytes.Buffer
	if err := Run(context.Background(), []string{"import", "--from", "terraform", plan, "--out", tfBase}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	if err := Run(context.Background(), []string{"check", "--baseline", tfBase, "--from", "terraform", plan}, &stdout, &stderr); err != nil {
		t.Fatalf("unchanged plan: %v\n%s", err, stdout.String())
	}
	stdout.Reset()
	err := Run(context.Background(), []string{"check", "--baseline", baselineFile(t), "--from", "terraform", "--format", "json", plan}, &stdout, &stderr)
	if ExitCode(err) != 1 {
		t.Fatalf("new plan: %v", err)
	}
	var res struct {
		Findings []struct {
			Rule     string
			Fails    bool
			Location struct {
				File     string
				Line     int
				Resource string
			}
		}
	}
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(plan)
	lines := strings.Split(string(data), "\n")
	checked := 0
	for _, f := range res.Findings {
		if f.Location.Line == 0 {
			continue
		}
		checked++
		if l := lines[f.Location.Line-1]; !strings.Contains(l, `"address": "`+f.Location.Resource+`"`) {
			t.Errorf("%s located at line %d: %s", f.Rule, f.Location.Line, l)
		}
	}
	if checked == 0 {
		t.Error("no finding was located in the plan")
	}
}
