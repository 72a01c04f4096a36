package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/jira"
	"github.com/bulwark-tm/bulwark/pkg/jira/gojira"
	"github.com/bulwark-tm/bulwark/pkg/outbound"
	"github.com/bulwark-tm/bulwark/pkg/secrets"
	"github.com/bulwark-tm/bulwark/pkg/store/bolt"
)

// guardedJiraAPI is the API with a Jira integration that calls out through
// the real guarded client (issue 14, points 4, 5, 11), with policy pol.
func guardedJiraAPI(t *testing.T, pol outbound.Policy) client {
	t.Helper()
	dir := t.TempDir()
	st, err := bolt.Open(filepath.Join(dir, "api.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sec, err := secrets.OpenFile(filepath.Join(dir, "secrets.json"), bytes.Repeat([]byte{7}, secrets.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	svc := &jira.Service{Store: st, Secrets: sec, Outbound: pol, Connect: gojira.Connect, Logger: discardLogger()}
	h := New(Deps{Store: st, Auth: headerAuth{}, Version: "test", Logger: discardLogger(), Jira: svc})
	return client{t: t, h: h, who: "acme/admin/root"}
}

func dcInstanceBody(base string) map[string]any {
	return map[string]any{"name": "DC", "baseUrl": base, "deployment": "datacenter", "token": "pat-secret-token", "webhookSecret": "0123456789abcdef0123"}
}

// TestJiraSSRFGuard: internal base URLs are refused (422 naming /baseUrl)
// or, for names, refused when dialled, and the test connection answers
// with a summary only.
func TestJiraSSRFGuard(t *testing.T) {
	stub := func(_ context.Context, host string) ([]netip.Addr, error) {
		return []netip.Addr{netip.MustParseAddr("169.254.169.254")}, nil
	}
	admin := guardedJiraAPI(t, outbound.Policy{Lookup: stub})
	for _, base := range []string{"https://169.254.169.254", "https://[fd00:ec2::254]", "https://10.1.2.3", "http://127.0.0.1:8080"} {
		r := admin.do("POST", "/api/v1/integrations/jira/instances", dcInstanceBody(base))
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("base URL %s: %d %s, want 422", base, r.status, r.body)
			continue
		}
		if p := r.problem(t); !strings.Contains(string(r.body), "/baseUrl") {
			t.Errorf("base URL %s: problem %+v does not name /baseUrl", base, p)
		}
	}
	r := admin.do("POST", "/api/v1/integrations/jira/instances", dcInstanceBody("https://metadata.attacker.example"))
	if r.status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	var inst struct{ ID string }
	_ = json.Unmarshal(r.body, &inst)
	r = admin.do("POST", "/api/v1/integrations/jira/instances/"+inst.ID+"/test", map[string]any{})
	var conn jira.Connection
	if err := json.Unmarshal(r.body, &conn); err != nil || r.status != 200 || conn.OK || !strings.Contains(conn.Error, "--outbound-allow") {
		t.Errorf("test connection to a name resolving to the metadata service: %d %s", r.status, r.body)
	}
}

// TestJiraConnectionTestReflectsNothing: a server that is not Jira (an
// internal page) is reported by status, not by its content.
func TestJiraConnectionTestReflectsNothing(t *testing.T) {
	const secret = "internal-admin-page-7c1e"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"errorMessages":["`+secret+`"]}`)
	}))
	defer srv.Close()
	admin := guardedJiraAPI(t, outbound.Policy{AllowLoopback: true})
	r := admin.do("POST", "/api/v1/integrations/jira/instances", dcInstanceBody(srv.URL))
	if r.status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	var inst struct{ ID string }
	_ = json.Unmarshal(r.body, &inst)
	r = admin.do("POST", "/api/v1/integrations/jira/instances/"+inst.ID+"/test", map[string]any{})
	if r.status != 200 || bytes.Contains(r.body, []byte(secret)) || !bytes.Contains(r.body, []byte("404")) {
		t.Errorf("test connection: %d %s", r.status, r.body)
	}
}

// TestJiraWebhookAnswersAlike: unsigned deliveries to a known and an
// unknown instance get the same status and problem.
func TestJiraWebhookAnswersAlike(t *testing.T) {
	admin := guardedJiraAPI(t, outbound.Policy{AllowLoopback: true})
	r := admin.do("POST", "/api/v1/integrations/jira/instances", dcInstanceBody("https://jira.example.com"))
	if r.status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	var inst struct {
		ID          string
		WebhookPath string
	}
	_ = json.Unmarshal(r.body, &inst)
	anon := client{t: t, h: admin.h}
	body := []byte(`{"webhookEvent":"jira:issue_updated","timestamp":1,"issue":{"id":"10001","key":"SEC-1"}}`)
	var first Problem
	for i, path := range []string{inst.WebhookPath, "/api/v1/webhooks/jira/acme/ji-nope", "/api/v1/webhooks/jira/globex/" + inst.ID} {
		r := anon.do("POST", path, body)
		if r.status != http.StatusUnauthorized {
			t.Fatalf("%s: %d %s", path, r.status, r.body)
		}
		p := r.problem(t)
		if i == 0 {
			first = p
		} else if p.Detail != first.Detail || p.Title != first.Title {
			t.Errorf("%s answers %+v, the known instance %+v", path, p, first)
		}
	}
}

// TestCSVFormulaBypass: a component named like a formula that starts with
// a number is defused in a CSV report (issue 14, point 5).
func TestCSVFormulaBypass(t *testing.T) {
	c := client{t: t, h: newTestAPI(t), who: "acme/editor/ann"}
	m := sampleModel()
	comps := m["diagram"].(map[string]any)["components"].([]any)
	comps[1].(map[string]any)["name"] = "-1+cmd|'/C calc'!A0"
	tm := create(t, c, m)
	r := c.do("GET", "/api/v1/models/"+tm.ID+"/reports/developer?format=csv", nil)
	if r.status != 200 {
		t.Fatalf("report: %d %s", r.status, r.body)
	}
	if !bytes.Contains(r.body, []byte("'-1+cmd|")) {
		t.Fatalf("the formula is not in the report prefixed:\n%s", r.body)
	}
	for _, line := range strings.Split(string(r.body), "\n") {
		for _, cell := range strings.Split(line, ",") {
			if strings.HasPrefix(strings.Trim(cell, `"`), "-1+cmd") {
				t.Errorf("a cell starts with the formula: %q", line)
			}
		}
	}
}
