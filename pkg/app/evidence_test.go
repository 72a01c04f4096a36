package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/accounts"
	"github.com/bulwark-tm/bulwark/pkg/awsclient"
	"github.com/bulwark-tm/bulwark/pkg/compliance"
	"github.com/bulwark-tm/bulwark/pkg/compliance/awsevidence"
	"github.com/bulwark-tm/bulwark/pkg/workflow"
)

// awsEnv points the SDK's default chain at static credentials in
// us-east-1, and every service at endpoint when it is set.
func awsEnv(t *testing.T, endpoint string) {
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDPLATFORMTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "platform-secret")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_ENDPOINT_URL", endpoint)
	t.Setenv("AWS_MAX_ATTEMPTS", "1")
}

// TestEvidencePullWiring: aws mode gives the schedule's engine (the drift
// Lambda's, bulwark serve's) the evidence pull over the inventory's member
// roles or aggregator; files mode, off mode and evidence-every 0 give it
// none; the API's engine never has one; a bad period is refused.
func TestEvidencePullWiring(t *testing.T) {
	awsEnv(t, "")
	ctx := context.Background()
	files := map[string]string{"BULWARK_ACCELERATOR_SOURCE": "files", "BULWARK_ACCELERATOR_DATA": accelEnv["BULWARK_ACCELERATOR_DATA"]}
	for _, tc := range []struct {
		name       string
		env        map[string]string
		want       bool
		aggregator string
		every      time.Duration
		wantErr    string
	}{
		{name: "aws mode", env: map[string]string{"BULWARK_ACCELERATOR_SOURCE": "aws"}, want: true, every: 24 * time.Hour},
		{name: "aws mode, weekly", env: map[string]string{"BULWARK_ACCELERATOR_SOURCE": "aws", "BULWARK_EVIDENCE_EVERY": "168h"}, want: true, every: 168 * time.Hour},
		{name: "aggregator", env: map[string]string{"BULWARK_ACCELERATOR_SOURCE": "aws", "BULWARK_CONFIG_AGGREGATOR": "org", "BULWARK_AGGREGATOR_ACCOUNTS": "acme=111111111111"},
			want: true, aggregator: "org", every: 24 * time.Hour},
		{name: "aws mode, pull off", env: map[string]string{"BULWARK_ACCELERATOR_SOURCE": "aws", "BULWARK_EVIDENCE_EVERY": "0"}},
		{name: "files mode", env: files},
		{name: "a period too short", env: map[string]string{"BULWARK_ACCELERATOR_SOURCE": "aws", "BULWARK_EVIDENCE_EVERY": "15m"}, wantErr: "evidence-every"},
		{name: "not a period", env: map[string]string{"BULWARK_ACCELERATOR_SOURCE": "files", "BULWARK_EVIDENCE_EVERY": "daily"}, wantErr: "evidence-every"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, _ := newTestLambda(t, tc.env)
			eng, err := l.Config.Engine(ctx, l.Store, l.Catalog, l.Logger)
			if err == nil {
				err = withEvidencePull(l.Config, eng)
			}
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("error %v, want one about %s", err, tc.wantErr)
				}
				if _, err := DriftHandler(ctx, l); err == nil {
					t.Error("the drift function starts with a bad evidence-every")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tc.want {
				if eng.Evidence != nil {
					t.Errorf("an evidence pull: %+v", eng.Evidence)
				}
				return
			}
			p := eng.Evidence
			if p == nil {
				t.Fatal("no evidence pull in aws mode")
			}
			src, ok := p.Sources.(*awsevidence.Sources)
			inv := eng.Source.(*awsclient.ConfigSource)
			if !ok || src.Roles == nil || src.Roles != inv.Roles || src.Aggregator != tc.aggregator || src.Base.Region != "us-east-1" || p.Every != tc.every {
				t.Errorf("evidence pull %+v over %+v; want the inventory's roles, aggregator %q, every %v", p, p.Sources, tc.aggregator, tc.every)
			}
			// The API's engine never pulls: no request reads AWS.
			a, on, err := l.Config.Accelerator(ctx, l.Store, l.Catalog, l.Logger)
			if err != nil || !on || a.Engine.Evidence != nil {
				t.Errorf("the API's Accelerator: %v %v, evidence pull %+v", on, err, a.Engine.Evidence)
			}
		})
	}
}

// fakeMemberAWS answers what one scheduled run asks of AWS for a member
// account: STS AssumeRole (query protocol), AWS Config (JSON 1.1: no VPCs
// and no rules) and Security Hub GetFindings (REST-JSON: the findings of
// a sample event). It counts the calls by operation.
func fakeMemberAWS(t *testing.T) (*httptest.Server, func() map[string]int) {
	var ev struct {
		Detail struct {
			Findings []json.RawMessage `json:"findings"`
		} `json:"detail"`
	}
	if err := json.Unmarshal(readEvent(t, "aws/securityhub/consolidated-ec2-8-failed.json"), &ev); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	calls := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		op := r.Header.Get("X-Amz-Target")
		if op == "" && r.URL.Path == "/findings" {
			op = "GetFindings"
		}
		if op == "" {
			form, _ := url.ParseQuery(string(body))
			op = form.Get("Action")
		}
		op = strings.TrimPrefix(op, "StarlingDoveService.")
		mu.Lock()
		calls[op]++
		mu.Unlock()
		switch op {
		case "AssumeRole":
			w.Header().Set("Content-Type", "text/xml")
			fmt.Fprintf(w, `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIAMEMBER</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>%s</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::111111111111:assumed-role/BulwarkReadOnly/bulwark-accelerator</Arn><AssumedRoleId>AROA:x</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleResponse>`,
				time.Now().Add(time.Hour).UTC().Format(time.RFC3339))
		case "GetFindings":
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]any{"Findings": ev.Detail.Findings})
		case "SelectResourceConfig":
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			io.WriteString(w, `{"Results":[]}`)
		case "DescribeConfigRules":
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			io.WriteString(w, `{"ConfigRules":[]}`)
		default:
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"__type":"UnknownOperationException","message":%q}`, op)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, func() map[string]int {
		mu.Lock()
		defer mu.Unlock()
		out := map[string]int{}
		for k, v := range calls {
			out[k] = v
		}
		return out
	}
}

// TestDriftHandlerPullsEvidence: in aws mode the drift function's run
// assumes the role of a newly verified account and stores its current
// findings for the tenant that owns it; the next run, within the day,
// calls AWS for nothing.
func TestDriftHandlerPullsEvidence(t *testing.T) {
	srv, calls := fakeMemberAWS(t)
	awsEnv(t, srv.URL)
	ctx := context.Background()
	l, _ := newTestLambda(t, map[string]string{"BULWARK_ACCELERATOR_SOURCE": "aws"})
	reg := &accounts.Registry{Store: l.Store}
	if err := reg.Register(ctx, "acme", &accounts.Account{ID: "111111111111", Name: "shop", Access: accounts.AccessRole, Regions: []string{"us-east-1"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Verify(ctx, "acme", "111111111111", accounts.AllowList{"acme": {"111111111111"}}); err != nil {
		t.Fatal(err)
	}
	h, err := DriftHandler(ctx, l)
	if err != nil {
		t.Fatal(err)
	}
	if n := calls(); len(n) != 0 {
		t.Errorf("starting the function called AWS: %v", n)
	}
	res, err := h(ctx, json.RawMessage(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	if res.Evidence != (workflow.EvidenceSummary{Due: 1, Pulled: 1, Stored: compliance.Tally{Created: 1}}) {
		t.Errorf("evidence pull %+v, want the account's one finding created", res.Evidence)
	}
	if n := calls(); n["AssumeRole"] != 1 || n["GetFindings"] != 1 || n["DescribeConfigRules"] != 1 {
		t.Errorf("calls %v", n)
	}
	evs, err := compliance.Repo{Store: l.Store}.ForAccounts(ctx, "acme", []string{"111111111111"})
	if err != nil || len(evs) != 1 || evs[0].Control != "EC2.8" || evs[0].Region != "us-east-1" {
		t.Errorf("acme's evidence %+v, %v", evs, err)
	}

	before := calls()
	res, err = h(ctx, json.RawMessage(`{}`))
	if err != nil || res.Evidence.Due != 0 {
		t.Errorf("second run %+v, %v", res.Evidence, err)
	}
	if after := calls(); after["GetFindings"] != before["GetFindings"] || after["DescribeConfigRules"] != before["DescribeConfigRules"] {
		t.Errorf("the second run pulled again: %v", after)
	}
}

// TestRunAcceleratorPullsEvidence: bulwark serve in aws mode gives its
// schedule the evidence pull too.
func TestRunAcceleratorPullsEvidence(t *testing.T) {
	awsEnv(t, "")
	l, _ := newTestLambda(t, map[string]string{"BULWARK_ACCELERATOR_SOURCE": "aws", "BULWARK_DRIFT_EVERY": "0"})
	a, on, err := l.Config.Accelerator(context.Background(), l.Store, l.Catalog, l.Logger)
	if err != nil || !on {
		t.Fatal(on, err)
	}
	if err := (&App{Accelerator: a}).RunAccelerator(context.Background(), l.Config); err != nil {
		t.Fatal(err)
	}
	if p := a.Engine.Evidence; p == nil || p.Every != workflow.DefaultEvidenceEvery {
		t.Errorf("serve's evidence pull %+v", p)
	}
}
