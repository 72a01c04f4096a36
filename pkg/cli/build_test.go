package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/inventory/synth"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

func TestBuildAndDriftCommands(t *testing.T) {
	dir := t.TempDir()
	config := filepath.Join(dir, "config")
	vpcs := []synth.VPC{{Account: "123456789012", Region: "us-east-1", Name: "web", CIDR: "10.1.0.0/16", Kind: synth.ThreeTier, Zones: 2, Scale: 1}}
	if _, err := synth.Write(config, vpcs); err != nil {
		t.Fatal(err)
	}
	snap := synth.Generate(vpcs)[0]
	vpcID := snap.Items[0]["resourceId"].(string)
	var instance string
	for _, it := range snap.Items {
		if it["resourceType"] == "AWS::EC2::Instance" {
			instance = it["resourceId"].(string)
			break
		}
	}
	// A malformed file beside the data is reported, not fatal.
	if err := os.WriteFile(filepath.Join(config, "broken.json"), []byte("{\n  \"configurationItems\": [\n}"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "model.json")
	deletion := filepath.Join(dir, "deleted.json")
	if err := os.WriteFile(deletion, fmt.Appendf(nil, `{"messageType":"ConfigurationItemChangeNotification","recordVersion":"1.3",
"configurationItem":{"configurationItemVersion":"1.3","configurationItemCaptureTime":"2026-10-02T08:00:00.000Z","configurationItemStatus":"ResourceDeleted",
"awsAccountId":"123456789012","awsRegion":"us-east-1","resourceType":"AWS::EC2::Instance","resourceId":%q,"relationships":[],"configuration":null}}`, instance), 0o644); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name          string
		args          []string
		code          int // 0 success; 2 usage; 3 drift; 4 drift unknown; 1 other
		stdout, stder string
	}{
		{"build", []string{"build", "--config", config, "--vpc", vpcID, "--out", out}, 0, "built web (" + vpcID + ")", "broken.json:3:1: malformed JSON"},
		{"build lists VPCs without --vpc", []string{"build", "--config", config, "--out", out}, 2, "", vpcID + " (web, 123456789012/us-east-1)"},
		{"build unknown VPC", []string{"build", "--config", config, "--vpc", "vpc-0123456789abcdef0", "--out", out}, 1, "", "no such VPC"},
		{"build needs --out", []string{"build", "--config", config}, 2, "", "--out"},
		{"build missing path", []string{"build", "--config", filepath.Join(dir, "nope"), "--vpc", vpcID, "--out", out}, 1, "", "no such file"},
		{"drift with a malformed file beside the data is unknown", []string{"drift", "--model", out, "--config", config}, DriftUnknownExitCode, "", "broken.json:3:1: malformed JSON"},
		{"drift after a deletion", []string{"drift", "--model", out, "--config", config, "--config", deletion}, DriftUnknownExitCode, "only-in-model component " + instance, "broken.json"},
		{"drift needs a model", []string{"drift", "--config", config}, 2, "", "--model"},
		{"drift of a model not built from a VPC", []string{"drift", "--model", filepath.Join(dir, "plain.json"), "--config", config}, 1, "", "was not built from a VPC"},
	}
	plain := &model.ThreatModel{ID: "plain", Name: "plain"}
	plain.Normalize()
	plainJSON, err := json.Marshal(plain)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "plain.json"), plainJSON, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := Run(context.Background(), tt.args, &stdout, &stderr)
			code := 0
			if err != nil {
				code = ExitCode(err)
				var c interface{ ExitCode() int }
				if errors.As(err, &c) {
					code = c.ExitCode()
				}
			}
			if code != tt.code {
				t.Fatalf("exit %d (err %v), want %d\nstdout: %s\nstderr: %s", code, err, tt.code, stdout.String(), stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tt.stdout, stdout.String())
			}
			msg := stderr.String()
			if err != nil {
				msg += err.Error()
			}
			if !strings.Contains(msg, tt.stder) {
				t.Errorf("stderr/error lacks %q:\n%s", tt.stder, msg)
			}
		})
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Decode(data)
	if err != nil || m.Validate() != nil || len(m.Diagram.Components) < 20 {
		t.Errorf("written model: %v, %d components", err, len(m.Diagram.Components))
	}
}
