// Command fakejira runs pkg/jira/jiratest (an in-process fake Jira) on a
// loopback port for the web app's browser tests. It prints one JSON line
// {"url","token","email"} and serves until it is stopped (SIGTERM or stdin
// closing).
package main

import (
	"encoding/json"
	"io"
	"os"
	"os/signal"
	"syscall"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/jira/jiratest"
)

// tb is the part of testing.TB that jiratest.New uses: Cleanup.
type tb struct {
	testing.TB
	cleanups []func()
}

func (t *tb) Cleanup(f func()) { t.cleanups = append(t.cleanups, f) }
func (t *tb) Helper()          {}

func main() {
	t := &tb{}
	s := jiratest.New(t, os.Getenv("FAKEJIRA_CLOUD") == "true")
	_ = json.NewEncoder(os.Stdout).Encode(map[string]string{"url": s.URL, "token": s.Token, "email": s.Email})
	done := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		close(done)
	}()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, os.Interrupt)
	select {
	case <-sig:
	case <-done:
	}
	for i := len(t.cleanups) - 1; i >= 0; i-- {
		t.cleanups[i]()
	}
}
