package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/inventory/synth"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// fakeConfig answers AWS Config's SelectResourceConfig (AWS JSON 1.1) with
// the demo organization's us-east-1 items of account 111111111111, two per
// page, after one throttling error.
func fakeConfig(t *testing.T) *httptest.Server {
	var results []string
	for _, s := range synth.Generate(synth.Demo()) {
		if s.Account != "111111111111" || s.Region != "us-east-1" {
			continue
		}
		for _, it := range s.Items {
			b, err := json.Marshal(it)
			if err != nil {
				t.Fatal(err)
			}
			results = append(results, string(b))
		}
	}
	throttled := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		if r.Header.Get("X-Amz-Target") != "StarlingDoveService.SelectResourceConfig" {
			w.WriteHeader(400)
			fmt.Fprint(w, `{"__type":"UnknownOperationException"}`)
			return
		}
		if !throttled {
			throttled = true
			w.WriteHeader(400)
			fmt.Fprint(w, `{"__type":"ThrottlingException","message":"Rate exceeded"}`)
			return
		}
		body, _ := io.ReadAll(r.Body)
		var in struct{ Expression, NextToken string }
		json.Unmarshal(body, &in)
		var page []string
		for _, res := range results {
			if strings.Contains(in.Expression, "resourceType IN ('AWS::EC2::VPC')") && !strings.Contains(res, `"AWS::EC2::VPC"`) {
				continue
			}
			page = append(page, res)
		}
		start := 0
		fmt.Sscanf(in.NextToken, "p%d", &start)
		end := min(start+50, len(page))
		next := ""
		if end < len(page) {
			next = fmt.Sprintf("p%d", end)
		}
		json.NewEncoder(w).Encode(map[string]any{"Results": page[start:end], "NextToken": next})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestScan(t *testing.T) {
	srv := fakeConfig(t)
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDSCANTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "scan-test-secret")
	t.Setenv("AWS_PROFILE", "")
	out := filepath.Join(t.TempDir(), "model.json")
	tests := []struct {
		name      string
		args      []string
		wantErr   string
		wantUsage bool
	}{
		{"lists the VPCs without --vpc", []string{"--region", "us-east-1"}, "vpc-0a67d881610d78211 (shop-prod", true},
		{"builds the VPC", []string{"--region", "us-east-1", "--vpc", "vpc-0a67d881610d78211", "--out", out}, "", false},
		{"an unknown VPC", []string{"--region", "us-east-1", "--vpc", "vpc-0000000000000dead", "--out", out}, "no such VPC", false},
		{"an argument", []string{"extra"}, "takes no arguments", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := Run(context.Background(), append([]string{"scan", "--endpoint", srv.URL}, tt.args...), &stdout, &stderr)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("%v\n%s", err, stderr.String())
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || (ExitCode(err) == 2) != tt.wantUsage {
				t.Errorf("err = %v (exit %d), want %q", err, ExitCode(err), tt.wantErr)
			}
		})
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Diagram.Components) == 0 || m.Properties["aws.vpcId"] != "vpc-0a67d881610d78211" {
		t.Errorf("model %s: %d components, properties %v", m.Name, len(m.Diagram.Components), m.Properties)
	}
}

func TestEventCommand(t *testing.T) {
	dir := t.TempDir()
	fixture := "../../events/aws/config/instance-created.json"
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"queues an event", []string{fixture}, ""},
		{"queuing it again is harmless", []string{fixture}, ""},
		{"a compliance event carries no item", []string{"../../events/aws/config/rule-compliance-change.json"}, "no configuration item"},
		{"a missing file", []string{filepath.Join(dir, "nope.json")}, "read event"},
		{"no file", nil, "at least one FILE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := Run(context.Background(), append([]string{"event", "--accelerator-data", dir}, tt.args...), &stdout, &stderr)
			if tt.wantErr == "" {
				if err != nil || !strings.Contains(stdout.String(), "queued") {
					t.Fatalf("%v %s", err, stdout.String())
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
	files, _ := filepath.Glob(filepath.Join(dir, "events", "*"))
	if len(files) != 1 || !strings.HasSuffix(files[0], ".json") {
		t.Errorf("queued files %v", files)
	}
}
