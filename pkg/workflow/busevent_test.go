package workflow_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/workflow"
	"github.com/bulwark-tm/bulwark/pkg/workflow/workflowtest"
)

const configEventsDir = "../../events/aws/config"

// newBusEngine returns an engine over a bolt store in t.TempDir() where the
// tenant "acme" registered the demo organization and built a model of its
// eu-west-1 VPC, which the fixture events change; close closes the store.
func newBusEngine(t *testing.T) (eng *workflow.Engine, modelID string, close func()) {
	t.Helper()
	e := workflowtest.New(t)
	modelID = e.BuildDemo(t, "acme")
	return e.Engine, modelID, func() { e.Store.Close() }
}

func configEvent(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(configEventsDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestHandleBusEvent feeds the fixture events in order: a change marks the model,
// a replay changes nothing, and events that cannot be handled are dropped.
func TestHandleBusEvent(t *testing.T) {
	eng, modelID, _ := newBusEngine(t)
	ctx := context.Background()
	tests := []struct {
		name        string
		event       []byte
		wantDropped bool
		wantMarked  int
		wantIgnored int
	}{
		{"a new instance marks the VPC's model", configEvent(t, "instance-created.json"), false, 1, 0},
		{"a replay changes nothing", configEvent(t, "instance-created.json"), false, 0, 1},
		{"a deletion in the region is seen", configEvent(t, "instance-deleted.json"), false, 0, 1},
		{"a compliance change has no configuration item", configEvent(t, "rule-compliance-change.json"), true, 0, 0},
		{"malformed JSON", []byte(`{"detail-type": "Config Configuration Item Change", "detail": `), true, 0, 0},
		{"no detail", []byte(`{"id":"x","detail-type":"Config Configuration Item Change","source":"aws.config","detail":{}}`), true, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := eng.HandleBusEvent(ctx, tc.event)
			if err != nil {
				t.Fatalf("HandleBusEvent: %v", err)
			}
			if (out.Dropped != "") != tc.wantDropped {
				t.Fatalf("dropped = %q, want dropped %v", out.Dropped, tc.wantDropped)
			}
			if tc.wantDropped {
				return
			}
			if len(out.Result.Marked) != tc.wantMarked || out.Result.Ignored != tc.wantIgnored {
				t.Errorf("result %+v, want %d marked and %d ignored", out.Result, tc.wantMarked, tc.wantIgnored)
			}
		})
	}
	l, err := eng.Link(ctx, "acme", modelID)
	if err != nil {
		t.Fatal(err)
	}
	if l.Status != workflow.SyncOutOfSync {
		t.Errorf("link status %s, want out of sync", l.Status)
	}
}

// TestHandleBusEventStoreFailure: an error that is not the event's fault is
// returned, so that Lambda retries and finally dead-letters the event.
func TestHandleBusEventStoreFailure(t *testing.T) {
	eng, _, closeStore := newBusEngine(t)
	closeStore()
	out, err := eng.HandleBusEvent(context.Background(), configEvent(t, "instance-created.json"))
	if err == nil || out.Dropped != "" {
		t.Fatalf("HandleBusEvent on a closed store: %+v %v, want an error", out, err)
	}
}
