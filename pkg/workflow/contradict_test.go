package workflow

import (
	"context"
	"encoding/json"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/compliance"
	"github.com/bulwark-tm/bulwark/pkg/model"
	"github.com/bulwark-tm/bulwark/pkg/store"
)

// readCounter counts what a reader of the drift log reads: evidence
// listings and whole models.
type readCounter struct {
	store.Store
	evidence, models atomic.Int32
}

func (c *readCounter) List(ctx context.Context, tenant string, kind store.Kind, opts store.ListOptions) (*store.Page, error) {
	if store.IsEvidenceKind(kind) {
		c.evidence.Add(1)
	}
	return c.Store.List(ctx, tenant, kind, opts)
}

func (c *readCounter) Get(ctx context.Context, tenant string, kind store.Kind, id string) (*store.Record, error) {
	if kind == store.KindModel {
		c.models.Add(1)
	}
	return c.Store.Get(ctx, tenant, kind, id)
}

// TestDriftLogKeepsContradictions (#18.3): the build computes the model's
// contradictions and keeps them in its link; reading the drift log reads
// neither the evidence nor the model while both are unchanged, and
// computes them again (once) after evidence about the model's account is
// stored or the model is saved.
func TestDriftLogKeepsContradictions(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	run, _ := f.build(t, Request{AccountID: demoAccount, Region: demoRegion, VPC: demoVPC})
	rc := &readCounter{Store: f.e.Store}
	f.e.Store = rc
	l, err := f.e.links().get(ctx, "acme", run.ModelID)
	if err != nil || l.Contradictions == nil {
		t.Fatalf("the build kept no contradictions: %+v %v", l, err)
	}

	type reads struct{ evidence, models int32 }
	read := func(want int, wantReads reads) []compliance.Contradiction {
		t.Helper()
		rc.evidence.Store(0)
		rc.models.Store(0)
		_, cs, err := f.e.DriftLog(ctx, "acme", run.ModelID)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != want || cs == nil {
			t.Errorf("%d contradictions, want %d: %+v", len(cs), want, cs)
		}
		if got := (reads{rc.evidence.Load(), rc.models.Load()}); got != wantReads {
			t.Errorf("the read listed evidence %d times and read the model %d times, want %+v", got.evidence, got.models, wantReads)
		}
		return cs
	}
	read(0, reads{})
	read(0, reads{})

	m, err := f.e.models().Get(ctx, "acme", run.ModelID)
	if err != nil {
		t.Fatal(err)
	}
	var db *model.Component
	for i := range m.Diagram.Components {
		if c := &m.Diagram.Components[i]; c.Type == "aws.rds" && c.Resource != nil && c.Resource.ARN != "" {
			db = c
		}
	}
	if db == nil {
		t.Fatal("the demo VPC has no database")
	}
	ev := compliance.Evidence{ID: "rds2-" + db.ID, Source: compliance.SourceSecurityHub, Control: "RDS.2", Check: "security-control/RDS.2",
		AccountID: demoAccount, Region: demoRegion, ResourceARN: db.Resource.ARN, Status: compliance.NonCompliant, Result: "FAILED",
		Active: true, RecordState: "ACTIVE", ObservedAt: time.Date(2026, 10, 2, 10, 0, 0, 0, time.UTC)}
	if _, err := (compliance.Repo{Store: f.e.Store}).PutAll(ctx, "acme", []compliance.Evidence{ev}); err != nil {
		t.Fatal(err)
	}
	if cs := read(1, reads{evidence: 1, models: 1}); cs[0].Element != db.ID || cs[0].Property != "publiclyAccessible" {
		t.Errorf("contradiction %+v", cs[0])
	}
	read(1, reads{})

	// A save that agrees with the evidence.
	for i := range m.Diagram.Components {
		if c := &m.Diagram.Components[i]; c.ID == db.ID {
			c.Properties["publiclyAccessible"] = json.RawMessage("true")
		}
	}
	if err := f.e.models().Update(ctx, m, m.Revision); err != nil {
		t.Fatal(err)
	}
	read(0, reads{evidence: 1, models: 1})
	read(0, reads{})
}
