package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRunCommands(t *testing.T) {
	tests := []struct {
		args     []string
		code     int // 0: success
		out, err string
	}{
		{nil, 0, "Commands:", ""},
		{[]string{"help"}, 0, "BULWARK_STORE", ""},
		{[]string{"help"}, 0, "--demo", ""},
		{[]string{"help"}, 0, "BULWARK_SECRETS_KEY_FILE", ""},
		{[]string{"version"}, 0, "bulwark dev", ""},
		{[]string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{[]string{"serve", "--no-such-flag"}, 2, "", "flag provided but not defined"},
		{[]string{"serve", "-h"}, 0, "", ""},
		{[]string{"check", "--help"}, 0, "", ""},
		{[]string{"report", "-h"}, 0, "", ""},
		{[]string{"event", "-h"}, 0, "", ""},
		{[]string{"serve", "extra"}, 2, "", "takes no arguments"},
		{[]string{"serve", "--log-level", "loud"}, 2, "", "log level"},
		{[]string{"serve", "--auth", "magic", "--store", "bolt://" + filepath.Join(t.TempDir(), "x.db")}, 1, "", "auth mode"},
		{[]string{"serve", "--store", "ftp://x"}, 1, "", "ftp"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			err := Run(context.Background(), tt.args, &out, &errb)
			if tt.code == 0 {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
			} else if err == nil || ExitCode(err) != tt.code {
				t.Fatalf("err = %v (exit %d), want exit %d", err, ExitCode(err), tt.code)
			}
			if !strings.Contains(out.String(), tt.out) {
				t.Errorf("stdout %q lacks %q", out.String(), tt.out)
			}
			if tt.err != "" && !strings.Contains(err.Error()+errb.String(), tt.err) {
				t.Errorf("error %q / stderr %q lacks %q", err, errb.String(), tt.err)
			}
		})
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestServe runs `bulwark serve --demo` in-process, checks the API answers
// with the demo model, and that cancelling the context shuts it down
// cleanly.
func TestServe(t *testing.T) {
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	var logs bytes.Buffer
	go func() {
		done <- Run(ctx, []string{"serve", "--addr", addr, "--store", "bolt://" + filepath.Join(t.TempDir(), "s.db"), "--web", t.TempDir(), "--demo"}, &bytes.Buffer{}, &logs)
	}()
	base := "http://" + addr
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(base + "/api/v1/health")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not come up: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	resp, err := http.Get(base + "/api/v1/models")
	if err != nil {
		t.Fatal(err)
	}
	var page struct {
		Items []struct{ ID string } `json:"items"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&page)
	resp.Body.Close()
	if len(page.Items) != 1 || page.Items[0].ID != "demo-web-shop" {
		t.Errorf("models = %+v, want the demo model", page.Items)
	}
	resp, err = http.Get(base + "/api/v1/catalog")
	if err != nil {
		t.Fatal(err)
	}
	var cat struct {
		ComponentTypes []struct{ ID string } `json:"componentTypes"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&cat)
	resp.Body.Close()
	if len(cat.ComponentTypes) < 50 {
		t.Errorf("catalog serves %d component types, want the knowledge base's 50+", len(cat.ComponentTypes))
	}
	resp, err = http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("unbuilt web app: status %d, want 503 with a hint", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve returned %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
	if !strings.Contains(logs.String(), "request_id=") {
		t.Errorf("no access log with request ids:\n%s", logs.String())
	}
}
