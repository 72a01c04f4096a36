package jira_test

import (
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	. "github.com/bulwark-tm/bulwark/pkg/jira"
)

// fixture reads a webhook body from events/jira.
func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "events", "jira", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestVerifySignature(t *testing.T) {
	secret := []byte(rand.Text())
	body := []byte(`{"webhookEvent":"jira:issue_updated","timestamp":1}`)
	good := Sign(secret, body)
	tests := []struct {
		name   string
		secret []byte
		body   []byte
		header string
		ok     bool
	}{
		{"good", secret, body, good, true},
		{"upper-case algorithm", secret, body, "SHA256=" + strings.TrimPrefix(good, "sha256="), true},
		{"wrong secret", []byte(rand.Text()), body, good, false},
		{"tampered body", secret, []byte(strings.Replace(string(body), `"timestamp":1`, `"timestamp":2`, 1)), good, false},
		{"missing header", secret, body, "", false},
		{"no algorithm", secret, body, strings.TrimPrefix(good, "sha256="), false},
		{"sha1", secret, body, "sha1=" + strings.TrimPrefix(good, "sha256="), false},
		{"not hex", secret, body, "sha256=zz", false},
		{"truncated", secret, body, good[:len(good)-2], false},
		{"no secret configured", nil, body, good, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := VerifySignature(tt.secret, tt.body, tt.header)
			if tt.ok != (err == nil) {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
			if err != nil && !errs.Is(err, errs.Unauthorized) {
				t.Errorf("kind %v, want Unauthorized", errs.KindOf(err))
			}
		})
	}
	// A known vector (RFC 4231 test case 2 key and data) pins the format.
	if got := Sign([]byte("Jefe"), []byte("what do ya want for nothing?")); got != "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" {
		t.Errorf("Sign = %s", got)
	}
}

func TestParseEventFixtures(t *testing.T) {
	tests := []struct {
		file, typ, status, category, resolution string
		changed                                 bool
		updated                                 string
	}{
		{"issue_created.json", EventIssueCreated, "To Do", "new", "", false, "09:00:01"},
		{"issue_updated_in_progress.json", EventIssueUpdated, "In Progress", "indeterminate", "", true, "09:05:00"},
		{"issue_updated_done.json", EventIssueUpdated, "Done", "done", "Done", true, "09:10:00"},
		{"issue_updated_reopened.json", EventIssueUpdated, "To Do", "new", "", true, "09:15:00"},
		{"issue_updated_unrelated.json", EventIssueUpdated, "To Do", "new", "", false, "09:20:00"},
		{"issue_deleted.json", EventIssueDeleted, "To Do", "new", "", false, "09:20:00"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			ev, err := ParseEvent(fixture(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			is := ev.Issue
			if ev.Type != tt.typ || is.ID != "10001" || is.Key != "SEC-1" || is.Status != tt.status || is.StatusCategory != tt.category ||
				is.Resolution != tt.resolution || ev.StatusChanged != tt.changed || is.Updated.Format("15:04:05") != tt.updated {
				t.Errorf("event %+v", ev)
			}
			if ev.Timestamp.Year() != 2026 {
				t.Errorf("timestamp %v", ev.Timestamp)
			}
		})
	}
	for _, bad := range []string{`not json`, `{}`, `{"webhookEvent":"jira:issue_updated","issue":{}}`} {
		if _, err := ParseEvent([]byte(bad)); !errs.Is(err, errs.Malformed) {
			t.Errorf("ParseEvent(%s) = %v, want Malformed", bad, err)
		}
	}
	if ev, err := ParseEvent([]byte(`{"webhookEvent":"comment_created","timestamp":1}`)); err != nil || ev.Type != "comment_created" {
		t.Errorf("other event: %+v, %v", ev, err)
	}
}

// deliver signs and hands a fixture to the service.
func (e *env) deliver(t *testing.T, file string) *Outcome {
	t.Helper()
	body := fixture(t, file)
	out, err := e.svc.HandleWebhook(context.Background(), tenant, e.inst.ID, body, Sign([]byte(e.hook), body))
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return out
}

func TestWebhookFollowsTheIssue(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, true)
	// SEC-1 (id 10001) is created at 09:00:01 on the fake's clock, as in
	// the fixtures.
	res, err := e.svc.CreateIssues(ctx, tenant, "alice", e.model.ID, []IssueRequest{{Item: e.threat}})
	if err != nil || res[0].Key != "SEC-1" {
		t.Fatalf("create: %+v, %v", res, err)
	}
	steps := []struct {
		file, action, status, jiraStatus string
	}{
		{"issue_created.json", ActionIgnored, "", "To Do"}, // the creating request recorded it already
		{"issue_updated_in_progress.json", ActionUpdated, analysis.InProgress, "In Progress"},
		{"issue_updated_in_progress.json", ActionIgnored, analysis.InProgress, "In Progress"}, // repeated
		{"issue_updated_done.json", ActionUpdated, analysis.Mitigated, "Done"},
		{"issue_updated_in_progress.json", ActionIgnored, analysis.Mitigated, "Done"}, // late
		{"issue_updated_reopened.json", ActionUpdated, analysis.Open, "To Do"},
		{"issue_updated_unrelated.json", ActionIgnored, analysis.Open, "To Do"},
		{"issue_deleted.json", ActionUnlinked, analysis.Open, ""},
		{"issue_updated_done.json", ActionIgnored, analysis.Open, ""}, // after deletion
		{"issue_deleted.json", ActionIgnored, analysis.Open, ""},      // repeated
	}
	for i, st := range steps {
		out := e.deliver(t, st.file)
		got := e.state(t, e.threat)
		jira := ""
		if got.Issue != nil {
			jira = got.Issue.Status
		}
		if out.Action != st.action || got.Status != st.status || jira != st.jiraStatus {
			t.Errorf("step %d %s: action %s (%s), status %q, jira %q; want %s, %q, %q", i, st.file, out.Action, out.Reason, got.Status, jira, st.action, st.status, st.jiraStatus)
		}
	}
}

func TestWebhookOutOfOrder(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, true)
	if _, err := e.svc.CreateIssues(ctx, tenant, "alice", e.model.ID, []IssueRequest{{Item: e.threat}}); err != nil {
		t.Fatal(err)
	}
	// Done arrives first, then the older In Progress and the created event.
	for _, f := range []string{"issue_updated_done.json", "issue_updated_in_progress.json", "issue_created.json", "issue_updated_done.json"} {
		e.deliver(t, f)
	}
	if st := e.state(t, e.threat); st.Status != analysis.Mitigated || st.Issue.Status != "Done" ||
		!st.Issue.UpdatedAt.Equal(time.Date(2026, 11, 2, 9, 10, 0, 0, time.UTC)) {
		t.Errorf("state %+v %+v", st, st.Issue)
	}
}

func TestWebhookRefusals(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, true)
	body := fixture(t, "issue_updated_done.json")
	tests := []struct {
		name, instance, sig string
		body                []byte
		kind                errs.Kind
	}{
		{"unknown instance", "ji-nope", Sign([]byte(e.hook), body), body, errs.Unauthorized},
		{"wrong secret", e.inst.ID, Sign([]byte(rand.Text()), body), body, errs.Unauthorized},
		{"missing signature", e.inst.ID, "", body, errs.Unauthorized},
		{"tampered body", e.inst.ID, Sign([]byte(e.hook), body), append([]byte(" "), body...), errs.Unauthorized},
		{"signed garbage", e.inst.ID, Sign([]byte(e.hook), []byte("nope")), []byte("nope"), errs.Malformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.HandleWebhook(ctx, tenant, tt.instance, tt.body, tt.sig)
			if !errs.Is(err, tt.kind) {
				t.Errorf("err = %v, want %v", err, tt.kind)
			}
		})
	}
	// A signed event for an issue Bulwark does not know is accepted and
	// ignored.
	out, err := e.svc.HandleWebhook(ctx, tenant, e.inst.ID, body, Sign([]byte(e.hook), body))
	if err != nil || out.Action != ActionIgnored {
		t.Errorf("unknown issue: %+v, %v", out, err)
	}
}

func TestMapStatus(t *testing.T) {
	rules := DefaultStatusMap()
	tests := []struct {
		is          Issue
		threat, req string
	}{
		{Issue{Status: "To Do", StatusCategory: "new"}, analysis.Open, analysis.Open},
		{Issue{Status: "Backlog", StatusCategory: "new"}, analysis.Open, analysis.Open},
		{Issue{Status: "In Review", StatusCategory: "indeterminate"}, analysis.InProgress, analysis.InProgress},
		{Issue{Status: "Done", StatusCategory: "done", Resolution: "Done"}, analysis.Mitigated, analysis.Implemented},
		{Issue{Status: "Closed", StatusCategory: "done", Resolution: "won't do"}, analysis.NotApplicable, analysis.NotApplicable},
		{Issue{Status: "Risk Accepted", StatusCategory: "done"}, analysis.RiskAccepted, analysis.RiskAccepted},
	}
	for _, tt := range tests {
		t.Run(tt.is.Status+"/"+tt.is.Resolution, func(t *testing.T) {
			th, ok1 := MapStatus(rules, ItemThreat, tt.is)
			rq, ok2 := MapStatus(rules, ItemRequirement, tt.is)
			if !ok1 || !ok2 || th != tt.threat || rq != tt.req {
				t.Errorf("got %q/%q, want %q/%q", th, rq, tt.threat, tt.req)
			}
		})
	}
	if _, ok := MapStatus([]StatusRule{{Status: "Done", Threat: analysis.Mitigated, Requirement: analysis.Implemented}}, ItemThreat, Issue{Status: "Open"}); ok {
		t.Error("a status no rule matches mapped")
	}
	bad := []StatusRule{{Threat: analysis.Open, Requirement: analysis.Open}, {Category: "finished", Threat: analysis.Implemented, Requirement: "Mitigated"}}
	err := ValidateStatusMap("/statusMap", bad)
	e, _ := errs.As(err)
	var fields []string
	for _, p := range e.Problems {
		fields = append(fields, p.Field)
	}
	if strings.Join(fields, " ") != "/statusMap/0 /statusMap/1/category /statusMap/1/threat /statusMap/1/requirement" {
		t.Errorf("problems %v", fields)
	}
	if err := ValidateStatusMap("/statusMap", DefaultStatusMap()); err != nil {
		t.Errorf("the default map is invalid: %v", err)
	}
}
