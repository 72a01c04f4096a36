package api

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/jira"
	"github.com/bulwark-tm/bulwark/pkg/jira/gojira"
	"github.com/bulwark-tm/bulwark/pkg/jira/jiratest"
	"github.com/bulwark-tm/bulwark/pkg/outbound"
	"github.com/bulwark-tm/bulwark/pkg/secrets"
	"github.com/bulwark-tm/bulwark/pkg/store/bolt"
)

type jiraTestEnv struct {
	logs  *bytes.Buffer // everything the API and the service logged
	h     http.Handler
	fake  *jiratest.Server
	hook  string
	admin client
}

func newJiraTestAPI(t *testing.T) *jiraTestEnv {
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
	fake := jiratest.New(t, true)
	logs := &bytes.Buffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	svc := &jira.Service{Store: st, Secrets: sec, HTTPClient: fake.Client(), Connect: gojira.Connect, Logger: logger, Outbound: outbound.Policy{AllowLoopback: true}}
	h := New(Deps{Store: st, Auth: headerAuth{}, Version: "test", Logger: logger, Jira: svc})
	return &jiraTestEnv{logs: logs, h: h, fake: fake, hook: rand.Text(), admin: client{t: t, h: h, who: "acme/admin/root"}}
}

func decode[T any](t *testing.T, r response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
	return v
}

func (e *jiraTestEnv) createInstance(t *testing.T) map[string]any {
	t.Helper()
	r := e.admin.do("POST", "/api/v1/integrations/jira/instances", map[string]any{
		"name": "Acme", "baseUrl": e.fake.URL, "deployment": "cloud", "email": e.fake.Email, "token": e.fake.Token, "webhookSecret": e.hook,
	})
	if r.status != http.StatusCreated {
		t.Fatalf("create instance: %d %s", r.status, r.body)
	}
	return decode[map[string]any](t, r)
}

func TestJiraInstancesAPI(t *testing.T) {
	e := newJiraTestAPI(t)
	inst := e.createInstance(t)
	id := inst["id"].(string)
	if inst["hasToken"] != true || inst["hasWebhookSecret"] != true || inst["webhookPath"] != "/api/v1/webhooks/jira/acme/"+id {
		t.Errorf("instance %v", inst)
	}
	editor := client{t: t, h: e.h, who: "acme/editor/ed"}
	viewer := client{t: t, h: e.h, who: "acme/viewer/vi"}
	other := client{t: t, h: e.h, who: "other/admin/x"}
	base := "/api/v1/integrations/jira/instances/" + id

	tests := []struct {
		name   string
		c      client
		method string
		path   string
		body   any
		hdr    []string
		status int
	}{
		{"editor lists", editor, "GET", "/api/v1/integrations/jira/instances", nil, nil, 200},
		{"viewer may not list", viewer, "GET", "/api/v1/integrations/jira/instances", nil, nil, 403},
		{"editor may not create", editor, "POST", "/api/v1/integrations/jira/instances", map[string]any{"name": "x"}, nil, 403},
		{"editor may not test", editor, "POST", base + "/test", nil, nil, 403},
		{"other tenant cannot see it", other, "GET", base, nil, nil, 404},
		{"unknown field", e.admin, "POST", "/api/v1/integrations/jira/instances", map[string]any{"password": "x"}, nil, 400},
		{"invalid input", e.admin, "POST", "/api/v1/integrations/jira/instances", map[string]any{"name": "x", "baseUrl": "http://jira.example.com"}, nil, 422},
		{"patch without If-Match", e.admin, "PATCH", base, map[string]any{"name": "y"}, nil, 428},
		{"stale patch", e.admin, "PATCH", base, map[string]any{"name": "y"}, []string{"If-Match", `"7"`}, 409},
		{"rename", e.admin, "PATCH", base, map[string]any{"name": "Renamed"}, []string{"If-Match", `"1"`}, 200},
		{"test connection", e.admin, "POST", base + "/test", nil, nil, 200},
		{"issue types", editor, "GET", base + "/projects/SEC/issuetypes", nil, nil, 200},
		{"issue types of an unknown project", editor, "GET", base + "/projects/NOPE/issuetypes", nil, nil, 404},
		{"pull", e.admin, "POST", base + "/pull", nil, nil, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.c.do(tt.method, tt.path, tt.body, tt.hdr...)
			if r.status != tt.status {
				t.Fatalf("%s %s: %d %s, want %d", tt.method, tt.path, r.status, r.body, tt.status)
			}
			if r.status >= 400 {
				r.problem(t)
			}
			for _, s := range []string{e.fake.Token, e.hook} {
				if strings.Contains(string(r.body), s) {
					t.Errorf("the answer contains a secret: %s", r.body)
				}
			}
		})
	}
	conn := decode[jira.Connection](t, e.admin.do("POST", base+"/test", nil))
	if !conn.OK || conn.DeploymentType != "Cloud" {
		t.Errorf("connection %+v", conn)
	}
	if r := e.admin.do("DELETE", base, nil, "If-Match", `"2"`); r.status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	if r := e.admin.do("GET", base, nil); r.status != http.StatusNotFound {
		t.Errorf("after delete: %d", r.status)
	}
	if e.logs.Len() == 0 {
		t.Fatal("nothing was logged")
	}
	for _, s := range []string{e.fake.Token, e.hook} {
		if strings.Contains(e.logs.String(), s) {
			t.Errorf("a secret was logged")
		}
	}
}

func TestJiraIssuesAndWebhookAPI(t *testing.T) {
	e := newJiraTestAPI(t)
	inst := e.createInstance(t)
	editor := client{t: t, h: e.h, who: "acme/editor/ed"}
	m := create(t, editor, sampleModel())
	linkPath := "/api/v1/models/" + m.ID + "/jira"

	// The default link: off, with the default status map.
	r := editor.do("GET", linkPath, nil)
	def := decode[jira.Link](t, r)
	if r.status != 200 || def.Enabled || def.Revision != 0 || len(def.StatusMap) == 0 || r.header.Get("ETag") != "" {
		t.Fatalf("default link %d %+v", r.status, def)
	}
	if r := editor.do("GET", "/api/v1/models/nope/jira", nil); r.status != 404 {
		t.Errorf("link of an unknown model: %d", r.status)
	}
	// Creating an issue needs the link on.
	threats := decode[struct {
		Items []struct{ ID string } `json:"items"`
	}](t, editor.do("GET", "/api/v1/models/"+m.ID+"/threats", nil))
	item := threats.Items[0].ID
	if r := editor.do("POST", linkPath+"/issues", map[string]any{"issues": []any{map[string]any{"item": item}}}); r.status != 422 {
		t.Errorf("create with the link off: %d %s", r.status, r.body)
	}

	link := map[string]any{"enabled": true, "instance": inst["id"], "project": "SEC", "threatIssueType": "Bug", "requirementIssueType": "Task"}
	if r := editor.do("PUT", linkPath, map[string]any{"enabled": true, "instance": inst["id"], "project": "sec"}); r.status != 422 {
		t.Errorf("bad project key: %d %s", r.status, r.body)
	} else if p := r.problem(t); p.Field != "/project" {
		t.Errorf("problem names %q", p.Field)
	}
	if r := editor.do("PUT", linkPath, link); r.status != 200 || r.header.Get("ETag") != `"1"` {
		t.Fatalf("save link: %d %s", r.status, r.body)
	}
	if r := editor.do("PUT", linkPath, link); r.status != 409 {
		t.Errorf("second first-save: %d", r.status)
	}
	if r := (client{t: t, h: e.h, who: "acme/viewer/v"}).do("PUT", linkPath, link, "If-Match", `"1"`); r.status != 403 {
		t.Errorf("viewer saves link: %d", r.status)
	}

	r = editor.do("POST", linkPath+"/drafts", map[string]any{"items": []string{item}})
	drafts := decode[struct{ Drafts []jira.Draft }](t, r)
	if r.status != 200 || len(drafts.Drafts) != 1 || drafts.Drafts[0].IssueType != "Bug" || drafts.Drafts[0].Preview == "" {
		t.Fatalf("drafts %d %s", r.status, r.body)
	}
	body := map[string]any{"issues": []any{map[string]any{"item": item, "summary": drafts.Drafts[0].Summary, "description": "## Fix it\n- **now**"}}}
	var results struct{ Results []jira.IssueResult }
	for i, want := range []string{jira.OutcomeCreated, jira.OutcomeExisting} {
		r = editor.do("POST", linkPath+"/issues", body)
		results = decode[struct{ Results []jira.IssueResult }](t, r)
		if r.status != 200 || results.Results[0].Outcome != want || results.Results[0].Key != "SEC-1" {
			t.Fatalf("create #%d: %d %s", i, r.status, r.body)
		}
	}
	if is, _ := e.fake.Issue("SEC-1"); !strings.HasPrefix(is.Description, "h2. Fix it\n* *now*") {
		t.Errorf("description sent to Jira: %q", is.Description)
	}

	// The webhook: no user, signed with the instance's secret.
	hookPath := inst["webhookPath"].(string)
	anon := client{t: t, h: e.h}
	done, err := os.ReadFile(filepath.Join("..", "..", "events", "jira", "issue_updated_done.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, path, sig string
		status          int
		action          string
	}{
		{"missing signature", hookPath, "", 401, ""},
		{"wrong secret", hookPath, jira.Sign([]byte(rand.Text()), done), 401, ""},
		{"unknown instance", "/api/v1/webhooks/jira/acme/ji-nope", jira.Sign([]byte(e.hook), done), 401, ""},
		{"other tenant", "/api/v1/webhooks/jira/other/" + inst["id"].(string), jira.Sign([]byte(e.hook), done), 401, ""},
		{"good", hookPath, jira.Sign([]byte(e.hook), done), 200, "updated"},
		{"repeated", hookPath, jira.Sign([]byte(e.hook), done), 200, "ignored"},
	} {
		t.Run("webhook "+tt.name, func(t *testing.T) {
			var hdr []string
			if tt.sig != "" {
				hdr = []string{"X-Hub-Signature", tt.sig}
			}
			r := anon.do("POST", tt.path, done, hdr...)
			if r.status != tt.status {
				t.Fatalf("%d %s, want %d", r.status, r.body, tt.status)
			}
			if tt.status != 200 {
				r.problem(t)
				return
			}
			if got := decode[map[string]string](t, r)["action"]; got != tt.action {
				t.Errorf("action %q, want %q", got, tt.action)
			}
		})
	}
	states := decode[struct {
		Items []struct {
			ID, Status string
		} `json:"items"`
	}](t, editor.do("GET", "/api/v1/models/"+m.ID+"/threats", nil))
	for _, it := range states.Items {
		if it.ID == item && it.Status != "Mitigated" {
			t.Errorf("after the Done webhook the threat is %q", it.Status)
		}
	}
	full := decode[map[string]any](t, editor.do("GET", "/api/v1/models/"+m.ID, nil))
	issue := full["states"].(map[string]any)[item].(map[string]any)["issue"].(map[string]any)
	if issue["key"] != "SEC-1" || issue["status"] != "Done" {
		t.Errorf("issue link %v", issue)
	}

	// The webhook function's handler serves the webhook only.
	wh := client{t: t, h: NewJiraWebhook(Deps{Store: nil, Logger: discardLogger()})}
	if r := wh.do("GET", "/api/v1/health", nil); r.status != 404 {
		t.Errorf("webhook function serves health: %d", r.status)
	}
	if r := wh.do("POST", hookPath, done, "X-Hub-Signature", jira.Sign([]byte(e.hook), done)); r.status != 503 {
		t.Errorf("webhook function without Jira: %d %s", r.status, r.body)
	}
}

// TestDeletingAModelForgetsItsJiraLink: the link goes with the model, so a
// new model that happens to reuse the id starts unlinked.
func TestDeletingAModelForgetsItsJiraLink(t *testing.T) {
	e := newJiraTestAPI(t)
	inst := e.createInstance(t)
	m := create(t, e.admin, map[string]any{"id": "reused", "name": "One"})
	linkPath := "/api/v1/models/reused/jira"
	if r := e.admin.do("PUT", linkPath, map[string]any{"enabled": true, "instance": inst["id"], "project": "SEC", "threatIssueType": "Bug", "requirementIssueType": "Task"}); r.status != 200 {
		t.Fatalf("save link: %d %s", r.status, r.body)
	}
	if r := e.admin.do("DELETE", "/api/v1/models/"+m.ID, nil); r.status != http.StatusNoContent {
		t.Fatalf("delete: %d", r.status)
	}
	create(t, e.admin, map[string]any{"id": "reused", "name": "Two"})
	if l := decode[jira.Link](t, e.admin.do("GET", linkPath, nil)); l.Enabled || l.Revision != 0 {
		t.Errorf("the new model inherited the deleted one's link: %+v", l)
	}
}
