package cli

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwark-tm/bulwark/pkg/api"
	"github.com/bulwark-tm/bulwark/pkg/auth"
	"github.com/bulwark-tm/bulwark/pkg/workflow"
	"github.com/bulwark-tm/bulwark/pkg/workflow/workflowtest"
)

// TestEventPathsSameDriftLog hands the same AWS Config change event to two
// identical files-mode Accelerators, once posted to the API and once
// through `bulwark event` (and the server's watch of the events folder),
// checks the model in both, and requires the same drift log: the change
// itself, not only "pending", on both paths.
func TestEventPathsSameDriftLog(t *testing.T) {
	tests := []struct {
		name     string
		event    string
		wantKind string // the drift change the event must produce
		wantID   string
	}{
		{"an instance created", "../../events/aws/config/instance-created.json", "only-in-vpc", "i-0e1e2e3e4e5e6e701"},
		{"an instance deleted", "../../events/aws/config/instance-deleted.json", "only-in-model", "i-0f9b3904da5bbd310"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			event, err := os.ReadFile(tt.event)
			if err != nil {
				t.Fatal(err)
			}

			// Path 1: POST /api/v1/accelerator/events.
			viaAPI := workflowtest.New(t)
			apiModel := viaAPI.BuildDemo(t, "acme")
			h := api.New(api.Deps{Store: viaAPI.Store, Auth: auth.Local{Tenant: "acme"}, Version: "test", Catalog: viaAPI.Catalog,
				Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
				Accelerator: &api.Accelerator{Engine: viaAPI.Engine, Starter: &workflow.Local{Engine: viaAPI.Engine}, Org: viaAPI.Source}})
			req := httptest.NewRequest("POST", "/api/v1/accelerator/events", bytes.NewReader(event))
			req.Host = "localhost"
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Fatalf("POST event: %d %s", rec.Code, rec.Body)
			}
			apiLink, err := viaAPI.Engine.Check(ctx, "acme", apiModel)
			if err != nil {
				t.Fatal(err)
			}

			// Path 2: `bulwark event FILE`, then the server's watch.
			viaCLI := workflowtest.New(t)
			cliModel := viaCLI.BuildDemo(t, "acme")
			var stdout, stderr bytes.Buffer
			if err := Run(ctx, []string{"event", "--accelerator-data", viaCLI.Data, tt.event}, &stdout, &stderr); err != nil {
				t.Fatalf("bulwark event: %v %s", err, stderr.String())
			}
			viaCLI.Engine.ScanEvents(ctx, filepath.Join(viaCLI.Data, workflow.EventDir))
			cliLink, err := viaCLI.Engine.Check(ctx, "acme", cliModel)
			if err != nil {
				t.Fatal(err)
			}

			type log struct {
				Status  workflow.SyncStatus
				Counts  workflow.DriftCounts
				Drift   any
				Pending []workflow.PendingChange
			}
			a := log{apiLink.Status, apiLink.Counts, apiLink.Drift, apiLink.Pending}
			c := log{cliLink.Status, cliLink.Counts, cliLink.Drift, cliLink.Pending}
			if d := cmp.Diff(c, a); d != "" {
				t.Errorf("the API path's drift log differs from `bulwark event`'s (-event +API):\n%s", d)
			}
			found := false
			for _, ch := range apiLink.Drift.Changes {
				if string(ch.Kind) == tt.wantKind && ch.ID == tt.wantID {
					found = true
				}
			}
			if !found || len(apiLink.Pending) != 0 || apiLink.Status != workflow.SyncOutOfSync {
				t.Errorf("the API path's drift log lacks %s %s (status %s, %d pending): %+v", tt.wantKind, tt.wantID, apiLink.Status, len(apiLink.Pending), apiLink.Drift)
			}
			// Posting the same event again changes nothing.
			rec = httptest.NewRecorder()
			req = httptest.NewRequest("POST", "/api/v1/accelerator/events", bytes.NewReader(event))
			req.Host = "localhost"
			req.Header.Set("Content-Type", "application/json")
			h.ServeHTTP(rec, req)
			files, _ := filepath.Glob(filepath.Join(viaAPI.Data, workflow.EventDir, "*"))
			if rec.Code != http.StatusOK || len(files) != 1 {
				t.Errorf("replay: %d %s; event files %v", rec.Code, rec.Body, files)
			}
		})
	}
}

// TestEventAPIRefusesOtherAccounts: a tenant cannot put change events
// about an account it did not register into the shared data directory.
func TestEventAPIRefusesOtherAccounts(t *testing.T) {
	env := workflowtest.New(t, "globex") // the demo accounts belong to globex
	h := api.New(api.Deps{Store: env.Store, Auth: auth.Local{Tenant: "acme"}, Version: "test", Catalog: env.Catalog,
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
		Accelerator: &api.Accelerator{Engine: env.Engine, Starter: &workflow.Local{Engine: env.Engine}, Org: env.Source}})
	event, err := os.ReadFile("../../events/aws/config/instance-created.json")
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("POST", "/api/v1/accelerator/events", bytes.NewReader(event))
	req.Host = "localhost"
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	files, _ := filepath.Glob(filepath.Join(env.Data, workflow.EventDir, "*"))
	if rec.Code != http.StatusForbidden || len(files) != 0 {
		t.Errorf("event for another tenant's account: %d %s; event files %v", rec.Code, rec.Body, files)
	}
}
