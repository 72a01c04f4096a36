package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/inventory/synth"
)

// TestDriftUnreadInput checks that `bulwark drift` never says "in sync"
// when some of its input was not read: a file that fails, an item that is
// skipped or a file that is ignored makes the result unknown (exit 4, with
// the reason), whatever the rest says.
func TestDriftUnreadInput(t *testing.T) {
	dir := t.TempDir()
	config := filepath.Join(dir, "config")
	vpcs := []synth.VPC{{Account: "111111111111", Region: "eu-west-1", Name: "web", CIDR: "10.1.0.0/16", Kind: synth.ThreeTier, Zones: 2, Scale: 1}}
	if _, err := synth.Write(config, vpcs); err != nil {
		t.Fatal(err)
	}
	vpcID := synth.Generate(vpcs)[0].Items[0]["resourceId"].(string)
	out := filepath.Join(dir, "model.json")
	var so, se bytes.Buffer
	if err := Run(context.Background(), []string{"build", "--config", config, "--vpc", vpcID, "--out", out}, &so, &se); err != nil {
		t.Fatalf("build: %v\n%s", err, se.String())
	}
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	broken := write("broken/broken.json", "{\n  \"configurationItems\": [\n}")
	// A snapshot whose one item lacks its resource type: the file reads,
	// the item is skipped.
	skipped := write("skipped/snapshot.json", `{"fileVersion":"1.0","configurationItems":[{"configurationItemVersion":"1.3","configurationItemCaptureTime":"2026-10-02T08:00:00.000Z","configurationItemStatus":"OK","awsAccountId":"111111111111","awsRegion":"eu-west-1","resourceId":"i-0a1b2c3d4e5f60009"}]}`)
	ignored := write("ignored/notes.txt", "not AWS Config data")
	var instance string
	for _, it := range synth.Generate(vpcs)[0].Items {
		if it["resourceType"] == "AWS::EC2::Instance" {
			instance = it["resourceId"].(string)
			break
		}
	}
	deletion := write("deleted.json", `{"messageType":"ConfigurationItemChangeNotification","recordVersion":"1.3",
"configurationItem":{"configurationItemVersion":"1.3","configurationItemCaptureTime":"2026-10-02T08:00:00.000Z","configurationItemStatus":"ResourceDeleted",
"awsAccountId":"111111111111","awsRegion":"eu-west-1","resourceType":"AWS::EC2::Instance","resourceId":"`+instance+`","relationships":[],"configuration":null}}`)

	tests := []struct {
		name       string
		config     []string
		code       int
		wantOut    string
		wantReason string
	}{
		{"all read and equal", []string{config}, 0, "in sync", ""},
		{"a deletion", []string{config, deletion}, DriftExitCode, "only-in-model component " + instance, ""},
		{"a deletion and a malformed file", []string{config, deletion, broken}, DriftUnknownExitCode, "only-in-model component " + instance, "broken.json:3:1"},
		{"a malformed file", []string{config, broken}, DriftUnknownExitCode, "", "broken.json:3:1"},
		{"a skipped item", []string{config, filepath.Dir(skipped)}, DriftUnknownExitCode, "", "skipped "},
		{"an ignored file", []string{config, filepath.Dir(ignored)}, DriftUnknownExitCode, "", "ignored " + ignored},
		{"a missing path", []string{config, filepath.Join(dir, "nope")}, DriftUnknownExitCode, "", "nope"},
		{"nothing read at all", []string{broken}, DriftUnknownExitCode, "", "broken.json:3:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"drift", "--model", out}
			for _, c := range tt.config {
				args = append(args, "--config", c)
			}
			var stdout, stderr bytes.Buffer
			err := Run(context.Background(), args, &stdout, &stderr)
			code := 0
			if err != nil {
				code = ExitCode(err)
			}
			if code != tt.code {
				t.Fatalf("exit %d (%v), want %d\nstdout: %s\nstderr: %s", code, err, tt.code, stdout.String(), stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.wantOut) {
				t.Errorf("stdout lacks %q:\n%s", tt.wantOut, stdout.String())
			}
			if tt.code == DriftUnknownExitCode {
				if strings.Contains(stdout.String(), "in sync") {
					t.Errorf("an unknown result says in sync:\n%s", stdout.String())
				}
				if !strings.Contains(err.Error(), "drift unknown") || !strings.Contains(err.Error(), tt.wantReason) || !strings.Contains(stderr.String(), tt.wantReason) {
					t.Errorf("the reason %q is not given:\nerror: %v\nstderr: %s", tt.wantReason, err, stderr.String())
				}
			}
		})
	}
}

// TestDriftHelpNamesExitCodes keeps the documented exit codes in the help.
func TestDriftHelpNamesExitCodes(t *testing.T) {
	var stdout, stderr bytes.Buffer
	_ = Run(context.Background(), []string{"drift", "-h"}, &stdout, &stderr)
	for _, want := range []string{"0 in sync", "3 on drift", "4 when some input could not be read"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("drift -h lacks %q:\n%s", want, stderr.String())
		}
	}
}
