package jira_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	. "github.com/bulwark-tm/bulwark/pkg/jira"
	"github.com/bulwark-tm/bulwark/pkg/jira/gojira"
	"github.com/bulwark-tm/bulwark/pkg/model"
	"github.com/bulwark-tm/bulwark/pkg/outbound"
	"github.com/bulwark-tm/bulwark/pkg/secrets"
	"github.com/bulwark-tm/bulwark/pkg/store"
	"github.com/bulwark-tm/bulwark/pkg/store/bolt"
)

// bareService is a Service that calls Jira through the real guarded
// client (no injected HTTPClient), with policy pol.
func bareService(t *testing.T, pol outbound.Policy) (*Service, *bytes.Buffer) {
	t.Helper()
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
	logs := &bytes.Buffer{}
	return &Service{Store: st, Secrets: sec, Outbound: pol, Connect: gojira.Connect, Logger: slog.New(slog.NewTextHandler(logs, nil))}, logs
}

func dcInstance(baseURL string) InstanceInput {
	return InstanceInput{Name: ptr("DC"), BaseURL: ptr(baseURL), Deployment: ptr(DataCenter), Token: ptr("pat-secret-token")}
}

// TestBaseURLGuard: internal addresses are refused when saved (literals)
// or when dialled (names), http only for loopback in local mode, and an
// operator's allow list opens a private range.
func TestBaseURLGuard(t *testing.T) {
	ctx := context.Background()
	stub := func(_ context.Context, host string) ([]netip.Addr, error) {
		switch host {
		case "metadata.example.test":
			return []netip.Addr{netip.MustParseAddr("169.254.169.254")}, nil
		case "jira.corp.example.test":
			return []netip.Addr{netip.MustParseAddr("10.20.0.5")}, nil
		}
		return []netip.Addr{netip.MustParseAddr("fd00:ec2::254")}, nil
	}
	strict, _ := bareService(t, outbound.Policy{Lookup: stub})
	for _, base := range []string{"https://169.254.169.254", "https://[fd00:ec2::254]", "https://10.0.0.1", "https://[::ffff:127.0.0.1]", "http://127.0.0.1:8080", "http://localhost:2990"} {
		if _, err := strict.CreateInstance(ctx, tenant, "admin", dcInstance(base)); !errs.Is(err, errs.Invalid) {
			t.Errorf("CreateInstance(%s) = %v, want Invalid", base, err)
		}
	}
	for _, host := range []string{"metadata.example.test", "jira.corp.example.test", "anything.example.test"} {
		inst, err := strict.CreateInstance(ctx, tenant, "admin", dcInstance("https://"+host))
		if err != nil {
			t.Fatal(err)
		}
		conn, err := strict.TestConnection(ctx, tenant, inst.ID)
		if err != nil || conn.OK || !strings.Contains(conn.Error, "--outbound-allow") {
			t.Errorf("TestConnection(%s) = %+v, %v; want refused at dial time", host, conn, err)
		}
	}
	// The allow list opens the Data Center's network (the dial then fails
	// for lack of a server, which is a different error).
	allowed, _ := bareService(t, outbound.Policy{Lookup: stub, Allow: []netip.Prefix{netip.MustParsePrefix("10.20.0.0/16")}, Timeout: 2 * time.Second})
	inst, err := allowed.CreateInstance(ctx, tenant, "admin", dcInstance("https://jira.corp.example.test:1"))
	if err != nil {
		t.Fatal(err)
	}
	if conn, _ := allowed.TestConnection(ctx, tenant, inst.ID); conn == nil || strings.Contains(conn.Error, "--outbound-allow") {
		t.Errorf("an allow-listed range was refused: %+v", conn)
	}
}

// TestRedirectsKeepTheToken: a Jira that redirects to another origin is
// not followed (that server is never called), and a same-origin redirect
// arrives without the credentials.
func TestRedirectsKeepTheToken(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	var seen []string
	record := func(who string, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, who+" "+r.URL.Path+" auth="+r.Header.Get("Authorization"))
	}
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { record("other", r) }))
	defer other.Close()
	jira := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		record("jira", r)
		switch r.URL.Path {
		case "/cross/rest/api/2/serverInfo":
			http.Redirect(w, r, other.URL+"/collect", http.StatusFound)
		case "/same/rest/api/2/serverInfo":
			http.Redirect(w, r, "/same/moved", http.StatusTemporaryRedirect)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer jira.Close()
	svc, _ := bareService(t, outbound.Policy{AllowLoopback: true})

	inst, err := svc.CreateInstance(ctx, tenant, "admin", dcInstance(jira.URL+"/cross"))
	if err != nil {
		t.Fatal(err)
	}
	conn, err := svc.TestConnection(ctx, tenant, inst.ID)
	if err != nil || conn.OK || !strings.Contains(conn.Error, "redirected to another host") {
		t.Errorf("cross-origin redirect: %+v, %v", conn, err)
	}
	inst, err = svc.CreateInstance(ctx, tenant, "admin", dcInstance(jira.URL+"/same"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.TestConnection(ctx, tenant, inst.ID); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"jira /cross/rest/api/2/serverInfo auth=Bearer pat-secret-token",
		"jira /same/rest/api/2/serverInfo auth=Bearer pat-secret-token",
		"jira /same/moved auth=",
	}
	if strings.Join(seen, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(seen, "\n"), strings.Join(want, "\n"))
	}
}

// TestConnectionDoesNotReflect: whatever a server answers, the test
// reports a summary, never the answer's text.
func TestConnectionDoesNotReflect(t *testing.T) {
	ctx := context.Background()
	const secret = "INTERNAL-ONLY-a7f3"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasPrefix(r.URL.Path, "/notfound/"):
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"errorMessages":["`+secret+`"],"message":"`+secret+`"}`)
		case strings.HasPrefix(r.URL.Path, "/denied/"):
			w.WriteHeader(http.StatusForbidden)
			_, _ = io.WriteString(w, `{"errorMessages":["`+secret+`"]}`)
		case strings.HasPrefix(r.URL.Path, "/notjira/"):
			_ = json.NewEncoder(w).Encode(map[string]string{"serverTitle": secret, "data": secret})
		default:
			_, _ = io.WriteString(w, secret)
		}
	}))
	defer srv.Close()
	svc, _ := bareService(t, outbound.Policy{AllowLoopback: true})
	for _, path := range []string{"/notfound", "/denied", "/notjira", "/text"} {
		inst, err := svc.CreateInstance(ctx, tenant, "admin", dcInstance(srv.URL+path))
		if err != nil {
			t.Fatal(err)
		}
		conn, err := svc.TestConnection(ctx, tenant, inst.ID)
		if err != nil || conn.OK {
			t.Fatalf("%s: %+v, %v", path, conn, err)
		}
		if b, _ := json.Marshal(conn); bytes.Contains(b, []byte(secret)) || conn.Error == "" {
			t.Errorf("%s: the connection test shows the answer: %s", path, b)
		}
	}
}

// signed delivers body, signed, for e's instance.
func (e *env) signed(t *testing.T, body []byte) *Outcome {
	t.Helper()
	out, err := e.svc.HandleWebhook(context.Background(), tenant, e.inst.ID, body, Sign([]byte(e.hook), body))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestWebhookFromTheFuture: a validly signed delivery dated a year ahead
// is ignored, so it cannot pin the item against later genuine events.
func TestWebhookFromTheFuture(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, true)
	if _, err := e.svc.CreateIssues(ctx, tenant, "alice", e.model.ID, []IssueRequest{{Item: e.threat}}); err != nil {
		t.Fatal(err)
	}
	future := bytes.ReplaceAll(fixture(t, "issue_updated_in_progress.json"), []byte("2026-11-02T09:05:00.000+0000"), []byte("2027-11-02T09:05:00.000+0000"))
	if !bytes.Contains(future, []byte("2027-11-02")) {
		t.Fatal("the fixture's updated time moved; adjust the test")
	}
	if out := e.signed(t, future); out.Action != ActionIgnored || !strings.Contains(out.Reason, "future") {
		t.Errorf("future-dated delivery: %+v", out)
	}
	if out := e.deliver(t, "issue_updated_done.json"); out.Action != ActionUpdated {
		t.Errorf("the genuine later delivery was not applied: %+v", out)
	}
	if st := e.state(t, e.threat); st.Issue.Status != "Done" {
		t.Errorf("issue status %q, want Done", st.Issue.Status)
	}
}

// TestWebhookAnswersAlike: every unverifiable delivery gets the same
// answer, so a sender learns nothing about which instances exist.
func TestWebhookAnswersAlike(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, true)
	body := fixture(t, "issue_updated_done.json")
	noSecret, err := e.svc.CreateInstance(ctx, tenant, "admin", InstanceInput{Name: ptr("No hook"), BaseURL: ptr(e.fake.URL),
		Deployment: ptr(Cloud), Email: ptr(e.fake.Email), Token: ptr(e.fake.Token)})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, tenant, instance, sig string }{
		{"known, unsigned", tenant, e.inst.ID, ""},
		{"unknown, unsigned", tenant, "ji-nope", ""},
		{"other tenant, unsigned", "globex", e.inst.ID, ""},
		{"known, wrong signature", tenant, e.inst.ID, Sign([]byte(rand.Text()), body)},
		{"unknown, signed", tenant, "ji-nope", Sign([]byte(e.hook), body)},
		{"known, malformed signature", tenant, e.inst.ID, "sha1=zz"},
		{"no webhook secret", tenant, noSecret.ID, Sign(nil, body)},
	}
	var first string
	for _, c := range cases {
		_, err := e.svc.HandleWebhook(ctx, c.tenant, c.instance, body, c.sig)
		if !errs.Is(err, errs.Unauthorized) {
			t.Fatalf("%s: %v, want Unauthorized", c.name, err)
		}
		if first == "" {
			first = err.Error()
		}
		if err.Error() != first {
			t.Errorf("%s answers %q, the first case %q", c.name, err, first)
		}
	}
}

func TestIssueURL(t *testing.T) {
	tests := []struct{ base, key, want string }{
		{"https://acme.atlassian.net", "SEC-12", "https://acme.atlassian.net/browse/SEC-12"},
		{"https://jira.example.com/jira/", "SEC_OPS-1", "https://jira.example.com/jira/browse/SEC_OPS-1"},
		{"https://acme.atlassian.net", "javascript:alert(1)", ""},
		{"https://acme.atlassian.net", "SEC-1/../../evil", ""},
		{"https://acme.atlassian.net", "SEC-1?x=//evil.example", ""},
		{"javascript:alert(1)//", "SEC-1", ""},
		{"https://user@acme.atlassian.net", "SEC-1", ""},
	}
	for _, tt := range tests {
		if got := IssueURL(tt.base, tt.key); got != tt.want {
			t.Errorf("IssueURL(%q, %q) = %q, want %q", tt.base, tt.key, got, tt.want)
		}
	}
}

// TestIssueLinkIsDerived: an issue address stored on an item (a phishing
// or javascript: URL) is replaced by the one derived from the instance's
// base URL and the key on the next update from Jira.
func TestIssueLinkIsDerived(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, true)
	if _, err := e.svc.CreateIssues(ctx, tenant, "alice", e.model.ID, []IssueRequest{{Item: e.threat}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.UpdateModel(ctx, tenant, e.model.ID, func(m *model.ThreatModel) (bool, error) {
		st := m.States[e.threat]
		st.Issue.URL = "https://evil.example/browse/SEC-1"
		m.States[e.threat] = st
		return true, nil
	}); err != nil {
		t.Fatal(err)
	}
	e.deliver(t, "issue_updated_in_progress.json")
	if got, want := e.state(t, e.threat).Issue.URL, e.fake.URL+"/browse/SEC-1"; got != want {
		t.Errorf("issue URL %q, want %q", got, want)
	}
}

// panicky is a store whose List panics, standing in for a bug met by a
// background pull.
type panicky struct{ store.Store }

func (panicky) List(context.Context, string, store.Kind, store.ListOptions) (*store.Page, error) {
	panic("injected failure")
}

// TestPullPanicIsRecovered: a panic in the periodic pull is logged with
// its stack and PullEvery keeps running until its context ends.
func TestPullPanicIsRecovered(t *testing.T) {
	svc, logs := bareService(t, outbound.Policy{})
	svc.Store = panicky{svc.Store}
	if err := svc.PullSafely(context.Background(), tenant); err == nil || !strings.Contains(err.Error(), "injected failure") {
		t.Errorf("PullSafely = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { svc.PullEvery(ctx, tenant, time.Millisecond); close(done) }()
	cancel()
	<-done
	if !strings.Contains(logs.String(), "panicked") || !strings.Contains(logs.String(), "goroutine") {
		t.Errorf("the panic was not logged with a stack:\n%s", logs)
	}
}
