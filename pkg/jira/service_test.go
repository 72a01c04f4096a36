package jira_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	. "github.com/bulwark-tm/bulwark/pkg/jira"
	"github.com/bulwark-tm/bulwark/pkg/jira/gojira"
	"github.com/bulwark-tm/bulwark/pkg/jira/jiratest"
	"github.com/bulwark-tm/bulwark/pkg/model"
	"github.com/bulwark-tm/bulwark/pkg/outbound"
	"github.com/bulwark-tm/bulwark/pkg/secrets"
	"github.com/bulwark-tm/bulwark/pkg/store"
	"github.com/bulwark-tm/bulwark/pkg/store/bolt"
)

const tenant = "acme"

// env is a Service on a bolt store and a secrets file, talking to a fake
// Jira, with one linked model.
type env struct {
	svc     *Service
	fake    *jiratest.Server
	inst    *Instance
	model   *model.ThreatModel
	threat  string // an item id of the model
	req     string // a requirement item id
	hook    string // the instance's webhook secret
	secrets string // the secrets file's path
	mu      sync.Mutex
	now     time.Time
}

func (e *env) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *env) advance(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.now = e.now.Add(d)
}

func newEnv(t *testing.T, cloud bool) *env {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := bolt.Open(filepath.Join(dir, "bulwark.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sec, err := secrets.OpenFile(filepath.Join(dir, "secrets.json"), bytes.Repeat([]byte{7}, secrets.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	e := &env{fake: jiratest.New(t, cloud), hook: rand.Text(), secrets: sec.Path(), now: time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)}
	e.svc = &Service{Store: st, Secrets: sec, HTTPClient: e.fake.Client(), Connect: gojira.Connect, Now: e.clock, Outbound: outbound.Policy{AllowLoopback: true}}

	m := &model.ThreatModel{SchemaVersion: model.SchemaVersion, ID: "tm-shop", Tenant: tenant, Name: "Shop", ProjectType: "Web Application",
		Priority: model.PriorityHigh, Facing: model.FacingPublic, Diagram: model.Diagram{
			Components: []model.Component{
				{ID: "alb", Type: "aws.alb", Name: "ALB"},
				{ID: "uploads", Type: "aws.s3", Name: "Uploads", Position: model.Point{X: 200}},
			},
			Flows:  []model.Flow{{ID: "f1", Source: "alb", Target: "uploads", Protocol: "HTTPS"}},
			Groups: []model.Group{},
		}}
	models := store.Models{Store: st}
	if err := models.Create(ctx, m); err != nil {
		t.Fatal(err)
	}
	e.model = m
	kinds, err := e.svc.ItemKinds(ctx, tenant, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for id := range kinds {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if kinds[id] == ItemThreat && e.threat == "" {
			e.threat = id
		}
		if kinds[id] == ItemRequirement && e.req == "" {
			e.req = id
		}
	}
	if e.threat == "" || e.req == "" {
		t.Fatalf("the test model has no threat or requirement: %v", ids)
	}

	in := InstanceInput{Name: ptr("Acme Jira"), BaseURL: ptr(e.fake.URL), Token: ptr(e.fake.Token), WebhookSecret: ptr(e.hook)}
	if cloud {
		in.Deployment, in.Email = ptr(Cloud), ptr(e.fake.Email)
	} else {
		in.Deployment = ptr(DataCenter)
	}
	e.inst, err = e.svc.CreateInstance(ctx, tenant, "admin", in)
	if err != nil {
		t.Fatal(err)
	}
	l := DefaultLink(m.ID)
	l.Enabled, l.Instance, l.Project = true, e.inst.ID, "SEC"
	if err := e.svc.PutLink(ctx, tenant, "admin", l, 0); err != nil {
		t.Fatal(err)
	}
	return e
}

func ptr[T any](v T) *T { return &v }

func (e *env) state(t *testing.T, item string) model.ItemState {
	t.Helper()
	m, err := store.Models{Store: e.svc.Store}.Get(context.Background(), tenant, e.model.ID)
	if err != nil {
		t.Fatal(err)
	}
	return m.States[item]
}

func TestInstanceSecretsStayOutOfTheStore(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, true)
	if !e.inst.HasToken || !e.inst.HasWebhookSecret || e.inst.Revision != 1 {
		t.Fatalf("instance %+v", e.inst)
	}
	r, err := e.svc.Store.Get(ctx, tenant, KindInstance, e.inst.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{e.fake.Token, e.hook} {
		if strings.Contains(string(r.Body), s) || strings.Contains(string(r.Summary), s) {
			t.Errorf("the instance record holds a secret: %s", r.Body)
		}
	}
	raw, err := os.ReadFile(e.secrets)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), "jira/acme/"+e.inst.ID) {
		t.Errorf("the secrets file does not hold the instance's secret")
	}

	// Rotate the token; other fields and the webhook secret stay.
	newToken := rand.Text()
	up, err := e.svc.UpdateInstance(ctx, tenant, "admin", e.inst.ID, 1, InstanceInput{Token: &newToken})
	if err != nil {
		t.Fatal(err)
	}
	if up.Revision != 2 || up.Name != "Acme Jira" || !up.HasWebhookSecret {
		t.Errorf("after rotation: %+v", up)
	}
	sec, err := e.svc.Secret(ctx, tenant, e.inst.ID)
	if err != nil || sec.Token != newToken || sec.WebhookSecret != e.hook {
		t.Errorf("secret after rotation: token rotated=%v, hook kept=%v, err %v", sec.Token == newToken, sec.WebhookSecret == e.hook, err)
	}
	// The fake still expects the old token: test connection reports it.
	conn, err := e.svc.TestConnection(ctx, tenant, e.inst.ID)
	if err != nil || conn.OK || !strings.Contains(conn.Error, "401") {
		t.Errorf("TestConnection with a wrong token = %+v, %v", conn, err)
	}
	if _, err := e.svc.UpdateInstance(ctx, tenant, "admin", e.inst.ID, 2, InstanceInput{Token: &e.fake.Token}); err != nil {
		t.Fatal(err)
	}
	conn, err = e.svc.TestConnection(ctx, tenant, e.inst.ID)
	if err != nil || !conn.OK || conn.User != "Bulwark Bot" || conn.DeploymentType != "Cloud" {
		t.Errorf("TestConnection = %+v, %v", conn, err)
	}
	if _, err := e.svc.UpdateInstance(ctx, tenant, "admin", e.inst.ID, 1, InstanceInput{Name: ptr("x")}); !errs.Is(err, errs.Conflict) {
		t.Errorf("stale update: %v, want Conflict", err)
	}
	if err := e.svc.DeleteInstance(ctx, tenant, e.inst.ID, 3); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Secrets.Get(ctx, SecretName(tenant, e.inst.ID)); !errs.Is(err, errs.NotFound) {
		t.Errorf("secret after delete: %v, want NotFound", err)
	}
}

func TestInstanceValidation(t *testing.T) {
	e := newEnv(t, false)
	good := func() InstanceInput {
		return InstanceInput{Name: ptr("J"), BaseURL: ptr("https://jira.example.com"), Deployment: ptr(Cloud), Email: ptr("a@example.com"), Token: ptr("t")}
	}
	tests := []struct {
		name   string
		change func(*InstanceInput)
		fields []string
	}{
		{"ok", func(*InstanceInput) {}, nil},
		{"datacenter needs no email", func(in *InstanceInput) { in.Deployment, in.Email = ptr(DataCenter), nil }, nil},
		{"everything missing", func(in *InstanceInput) { *in = InstanceInput{} }, []string{"/name", "/baseUrl", "/deployment", "/token"}},
		{"cloud without email", func(in *InstanceInput) { in.Email = nil }, []string{"/email"}},
		{"plain http", func(in *InstanceInput) { in.BaseURL = ptr("http://jira.example.com") }, []string{"/baseUrl"}},
		{"short webhook secret", func(in *InstanceInput) { in.WebhookSecret = ptr("short") }, []string{"/webhookSecret"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := good()
			tt.change(&in)
			_, err := e.svc.CreateInstance(context.Background(), tenant, "admin", in)
			var fields []string
			if e, ok := errs.As(err); ok {
				for _, p := range e.Problems {
					fields = append(fields, p.Field)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(fields, tt.fields) {
				t.Errorf("problems %v, want %v (err %v)", fields, tt.fields, err)
			}
		})
	}
}

func TestCreateIssuesIsIdempotent(t *testing.T) {
	for _, cloud := range []bool{true, false} {
		t.Run(map[bool]string{true: "cloud", false: "datacenter"}[cloud], func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, cloud)

			drafts, err := e.svc.Drafts(ctx, tenant, e.model.ID, []string{e.threat, e.req})
			if err != nil {
				t.Fatal(err)
			}
			if d := drafts[0]; d.Kind != ItemThreat || d.IssueType != "Bug" || !strings.HasPrefix(d.Summary, "[Threat] ") ||
				!strings.Contains(d.Preview, "*Threat:*") || !slices.Contains(d.Labels, Label(tenant, e.model.ID, e.threat)) {
				t.Errorf("threat draft %+v", d)
			}
			if d := drafts[1]; d.Kind != ItemRequirement || d.IssueType != "Task" {
				t.Errorf("requirement draft %+v", d)
			}

			reqs := []IssueRequest{{Item: e.threat, Summary: "Reviewed summary", Description: "**Reviewed** text"}, {Item: e.req}}
			res, err := e.svc.CreateIssues(ctx, tenant, "alice", e.model.ID, reqs)
			if err != nil {
				t.Fatal(err)
			}
			if res[0].Outcome != OutcomeCreated || res[1].Outcome != OutcomeCreated || res[0].Key != "SEC-1" || res[0].URL != e.fake.URL+"/browse/SEC-1" {
				t.Fatalf("results %+v", res)
			}
			is, _ := e.fake.Issue("SEC-1")
			if is.Summary != "Reviewed summary" || !strings.HasPrefix(is.Description, "*Reviewed* text") || is.Type != "Bug" {
				t.Errorf("created issue %+v", is)
			}
			st := e.state(t, e.threat)
			if st.Issue == nil || st.Issue.Key != "SEC-1" || st.Issue.Status != "To Do" || st.Issue.Instance != e.inst.ID {
				t.Errorf("state %+v", st.Issue)
			}

			// A retry of the same request creates nothing.
			res, err = e.svc.CreateIssues(ctx, tenant, "alice", e.model.ID, reqs)
			if err != nil || res[0].Outcome != OutcomeExisting || res[0].Key != "SEC-1" {
				t.Fatalf("retry: %+v, %v", res, err)
			}
			if n := len(e.fake.Issues()); n != 2 {
				t.Errorf("Jira holds %d issues, want 2", n)
			}
		})
	}
}

func TestCreateIssuesAfterACrash(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, true)
	// A first attempt created the issue in Jira and crashed before it
	// stored the key: its intent record is left behind.
	label := Label(tenant, e.model.ID, e.threat)
	key := e.fake.Add("SEC", "created by the crashed attempt", CommonLabel, label)
	if _, err := e.svc.Acquire(ctx, tenant, e.model.ID, e.threat, Intent{Label: label, StartedAt: e.clock()}); err != nil {
		t.Fatal(err)
	}

	// While the intent is fresh, a retry is refused rather than racing.
	res, err := e.svc.CreateIssues(ctx, tenant, "alice", e.model.ID, []IssueRequest{{Item: e.threat}})
	if err != nil || res[0].Outcome != OutcomeFailed || !strings.Contains(res[0].Error, "being created") {
		t.Fatalf("retry during a fresh intent: %+v, %v", res, err)
	}
	// After IntentTTL the retry takes over and finds the issue by its label.
	e.advance(IntentTTL + time.Second)
	res, err = e.svc.CreateIssues(ctx, tenant, "alice", e.model.ID, []IssueRequest{{Item: e.threat}})
	if err != nil || res[0].Outcome != OutcomeFound || res[0].Key != key {
		t.Fatalf("retry after the TTL: %+v, %v", res, err)
	}
	if n := len(e.fake.Issues()); n != 1 {
		t.Errorf("Jira holds %d issues, want 1", n)
	}
	if st := e.state(t, e.threat); st.Issue == nil || st.Issue.Key != key {
		t.Errorf("state %+v", st)
	}
	if _, err := e.svc.Store.Get(ctx, tenant, KindIntent, e.model.ID+"/"+e.threat); !errs.Is(err, errs.NotFound) {
		t.Errorf("the intent is left behind: %v", err)
	}
}

func TestCreateIssuesConcurrently(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, true)
	e.fake.Lag = 1000 // search never sees new issues: only the intent prevents duplicates
	var wg sync.WaitGroup
	results := make([][]IssueResult, 4)
	for i := range results {
		wg.Go(func() {
			res, err := e.svc.CreateIssues(ctx, tenant, "alice", e.model.ID, []IssueRequest{{Item: e.threat}})
			if err != nil {
				t.Error(err)
			}
			results[i] = res
		})
	}
	wg.Wait()
	if n := len(e.fake.Issues()); n != 1 {
		t.Errorf("Jira holds %d issues after 4 concurrent requests, want 1", n)
	}
	if st := e.state(t, e.threat); st.Issue == nil || st.Issue.Key != "SEC-1" {
		t.Errorf("state %+v", st)
	}
}

func TestCreateIssuesErrors(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, true)
	tests := []struct {
		name  string
		reqs  []IssueRequest
		setup func()
		kind  errs.Kind // of the call's error, or
		fail  []string  // problems of a failed item
		retry int
	}{
		{"unknown item", []IssueRequest{{Item: "nope@x"}}, nil, errs.Invalid, nil, 0},
		{"duplicate item", []IssueRequest{{Item: e.threat}, {Item: e.threat}}, nil, errs.Invalid, nil, 0},
		{"long summary", []IssueRequest{{Item: e.threat, Summary: strings.Repeat("x", 256)}}, nil, errs.Invalid, nil, 0},
		{"jira field errors", []IssueRequest{{Item: e.threat}}, func() { e.fake.Projects["SEC"] = []string{"Task"} }, 0, []string{"/fields/issuetype"}, 0},
		{"rate limited", []IssueRequest{{Item: e.threat}}, func() { e.fake.Projects["SEC"] = []string{"Bug", "Task"}; e.fake.RateLimit(1, 30) }, 0, nil, 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.setup != nil {
				tt.setup()
			}
			res, err := e.svc.CreateIssues(ctx, tenant, "alice", e.model.ID, tt.reqs)
			if tt.kind != 0 {
				if !errs.Is(err, tt.kind) {
					t.Fatalf("err = %v, want %v", err, tt.kind)
				}
				return
			}
			if err != nil || res[0].Outcome != OutcomeFailed {
				t.Fatalf("res %+v, err %v", res, err)
			}
			var fields []string
			for _, p := range res[0].Problems {
				fields = append(fields, p.Field)
			}
			if !slices.Equal(fields, tt.fail) || res[0].RetryAfter != tt.retry {
				t.Errorf("result %+v, want problems %v and retry %d", res[0], tt.fail, tt.retry)
			}
		})
	}
	// Failures leave no intent behind: the next attempt succeeds.
	res, err := e.svc.CreateIssues(ctx, tenant, "alice", e.model.ID, []IssueRequest{{Item: e.threat}})
	if err != nil || res[0].Outcome != OutcomeCreated {
		t.Errorf("after failures: %+v, %v", res, err)
	}

	l, _ := e.svc.Link(ctx, tenant, e.model.ID)
	l.Enabled = false
	if err := e.svc.PutLink(ctx, tenant, "admin", l, l.Revision); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.CreateIssues(ctx, tenant, "alice", e.model.ID, []IssueRequest{{Item: e.req}}); !errs.Is(err, errs.Invalid) {
		t.Errorf("with the integration off: %v, want Invalid", err)
	}
}

func TestPull(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, false)
	if _, err := e.svc.CreateIssues(ctx, tenant, "alice", e.model.ID, []IssueRequest{{Item: e.threat}, {Item: e.req}}); err != nil {
		t.Fatal(err)
	}
	e.fake.SetStatus("SEC-1", jiratest.Done, "Done")
	e.fake.SetStatus("SEC-2", jiratest.Done, "Won't Do")
	res, err := e.svc.Pull(ctx, tenant, e.inst.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res.Linked != 2 || res.Found != 2 || res.Updated != 2 {
		t.Errorf("pull %+v", res)
	}
	if st := e.state(t, e.threat); st.Status != analysis.Mitigated || st.Issue.Status != "Done" || st.UpdatedBy != "jira:SEC-1" {
		t.Errorf("threat state %+v", st)
	}
	if st := e.state(t, e.req); st.Status != analysis.NotApplicable {
		t.Errorf("requirement state %+v", st)
	}
	// Nothing changed in Jira: a second pull changes nothing.
	res, err = e.svc.Pull(ctx, tenant, e.inst.ID)
	if err != nil || res.Updated != 0 {
		t.Errorf("second pull %+v, %v", res, err)
	}
	// An edit that keeps the status bumps the issue's time but keeps a
	// status a user set in Bulwark.
	if _, err := e.svc.UpdateModel(ctx, tenant, e.model.ID, func(m *model.ThreatModel) (bool, error) {
		st := m.States[e.threat]
		st.Status = analysis.RiskAccepted
		m.States[e.threat] = st
		return true, nil
	}); err != nil {
		t.Fatal(err)
	}
	e.fake.SetStatus("SEC-1", jiratest.Done, "Done")
	if res, err := e.svc.Pull(ctx, tenant, e.inst.ID); err != nil || res.Updated != 1 {
		t.Errorf("pull after an edit: %+v, %v", res, err)
	}
	if st := e.state(t, e.threat); st.Status != analysis.RiskAccepted {
		t.Errorf("a pull without a status change overrode the user's status: %+v", st)
	}
	all, err := e.svc.PullAll(ctx, tenant)
	if err != nil || len(all) != 1 {
		t.Errorf("PullAll = %+v, %v", all, err)
	}
}

func TestPullEvery(t *testing.T) {
	e := newEnv(t, true)
	ctx, cancel := context.WithCancel(context.Background())
	if _, err := e.svc.CreateIssues(ctx, tenant, "alice", e.model.ID, []IssueRequest{{Item: e.threat}}); err != nil {
		t.Fatal(err)
	}
	e.fake.SetStatus("SEC-1", jiratest.InProgress, "")
	done := make(chan struct{})
	go func() { e.svc.PullEvery(ctx, tenant, 5*time.Millisecond); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for e.fake.Count("GET", "/rest/api/2/search/jql") < 4 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
	if n := e.fake.Count("GET", "/rest/api/2/search/jql") - 1; n < 3 { // one search was the creation's
		t.Errorf("%d pulls, want at least 3", n)
	}
	if st := e.state(t, e.threat); st.Status != analysis.InProgress {
		t.Errorf("state after periodic pulls: %+v", st)
	}
}

func TestSecretNameOfTenantWithColon(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, false)
	in := InstanceInput{Name: ptr("J"), BaseURL: ptr(e.fake.URL), Deployment: ptr(DataCenter), Token: ptr(e.fake.Token)}
	inst, err := e.svc.CreateInstance(ctx, "org:acme", "admin", in)
	if err != nil {
		t.Fatal(err)
	}
	if got := SecretName("org:acme", inst.ID); got != "jira/org=acme/"+inst.ID {
		t.Errorf("secret name %s", got)
	}
	if conn, err := e.svc.TestConnection(ctx, "org:acme", inst.ID); err != nil || !conn.OK {
		t.Errorf("TestConnection = %+v, %v", conn, err)
	}
}
