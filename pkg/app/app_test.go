package app

import (
	"bytes"
	"context"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestConfigPrecedence(t *testing.T) {
	env := map[string]string{"BULWARK_STORE": "bolt://env.db", "BULWARK_LOG_LEVEL": "debug"}
	getenv := func(k string) string { return env[k] }

	c := FromEnv(getenv)
	if c.Store != "bolt://env.db" || c.LogLevel != "debug" || c.Addr != "127.0.0.1:8080" || c.Auth != "local" {
		t.Errorf("FromEnv = %+v", c)
	}

	var f Config
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	f.RegisterFlags(fs, getenv)
	if err := fs.Parse([]string{"--store", "bolt://flag.db"}); err != nil {
		t.Fatal(err)
	}
	if f.Store != "bolt://flag.db" || f.LogLevel != "debug" || f.Web != "web/dist" {
		t.Errorf("flags = %+v: a flag must beat its variable, which must beat the default", f)
	}
}

func TestLoggerAndAuthenticator(t *testing.T) {
	var buf bytes.Buffer
	l, err := Config{LogFormat: "json", LogLevel: "info"}.Logger(&buf)
	if err != nil {
		t.Fatal(err)
	}
	l.Info("hello", "k", "v")
	if !strings.HasPrefix(buf.String(), `{"time"`) {
		t.Errorf("json logger wrote %q", buf.String())
	}
	for _, bad := range []Config{{LogFormat: "xml", LogLevel: "info"}, {LogFormat: "text", LogLevel: "chatty"}} {
		if _, err := bad.Logger(&buf); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	if a, err := (Config{Auth: "local"}).Authenticator(context.Background()); err != nil || a.Mode() != "local" {
		t.Errorf("local: %v %v", a, err)
	}
	if _, err := (Config{Auth: "jwt"}).Authenticator(context.Background()); err == nil {
		t.Error("jwt without issuer accepted")
	}
	for _, tc := range []struct{ role, want string }{{"", "admin"}, {"admin", "admin"}, {"Editor", "editor"}, {"viewer", "viewer"}, {"reviewer", "reviewer"}} {
		a, err := (Config{Auth: "local", LocalRole: tc.role}).Authenticator(context.Background())
		if err != nil {
			t.Fatalf("local role %q: %v", tc.role, err)
		}
		if p, _ := a.Authenticate(nil); p.Role.String() != tc.want {
			t.Errorf("local role %q: principal %+v, want role %s", tc.role, p, tc.want)
		}
	}
	if _, err := (Config{Auth: "local", LocalRole: "root"}).Authenticator(context.Background()); err == nil || !strings.Contains(err.Error(), "admin, editor, reviewer or viewer") {
		t.Errorf("local role root: %v", err)
	}
	if !strings.Contains(Describe(), "BULWARK_JWT_ISSUER") {
		t.Error("Describe lacks a setting")
	}
}

func TestNewLambda(t *testing.T) {
	env := map[string]string{"BULWARK_STORE": "bolt://" + t.TempDir() + "/l.db"}
	var logs bytes.Buffer
	l, err := NewLambda(context.Background(), func(k string) string { return env[k] }, &logs)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Store.Close()
	if l.Catalog == nil || l.Config.LogFormat != "json" {
		t.Errorf("lambda: catalog %v, log format %q", l.Catalog != nil, l.Config.LogFormat)
	}
	l.Logger.Info("x")
	if !strings.HasPrefix(logs.String(), "{") {
		t.Errorf("a Lambda logs JSON by default, got %q", logs.String())
	}
	env["BULWARK_STORE"] = "ftp://nowhere"
	if _, err := NewLambda(context.Background(), func(k string) string { return env[k] }, &logs); err == nil {
		t.Error("a bad store URL was accepted")
	}
}

// TestBuildWithoutJira: without a secret store the Jira integration is
// off, and its routes answer 503 (api.Deps.Jira is a nil interface, not a
// nil *jira.Service).
func TestBuildWithoutJira(t *testing.T) {
	// A DynamoDB store has no default secret store; it is not called here.
	c := Config{Auth: "local", Store: "dynamodb://bulwark-test?endpoint=http://127.0.0.1:9&region=us-east-1", AccelSource: "off", LogLevel: "info", Addr: "127.0.0.1:0"}
	a, err := Build(t.Context(), c, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if a.Jira != nil {
		t.Fatalf("Jira = %v, want off", a.Jira)
	}
	req := httptest.NewRequest("GET", "/api/v1/integrations/jira/instances", nil)
	req.Host = "localhost"
	rec := httptest.NewRecorder()
	a.Handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "not configured") {
		t.Errorf("GET jira instances: %d %s, want 503 not configured", rec.Code, rec.Body)
	}
}
