package workflow

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/accounts"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/drift"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/inventory/synth"
	"github.com/bulwark-tm/bulwark/pkg/model"
	"github.com/bulwark-tm/bulwark/pkg/store/bolt"
)

// The demo organization's eu-west-1 VPC, which the fixtures in
// events/aws/config change.
const (
	demoAccount = "111111111111"
	demoRegion  = "eu-west-1"
	demoVPC     = "vpc-0cb55edf9b476c102"
	eventsDir   = "../../events/aws/config"
)

type fixture struct {
	e    *Engine
	data string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st, err := bolt.Open(filepath.Join(t.TempDir(), "wf.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	data := t.TempDir()
	if _, err := synth.Write(data, synth.Demo()); err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	reg := &accounts.Registry{Store: st}
	src := &accounts.DirSource{Dir: data}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	e := &Engine{Store: st, Catalog: cat, Accounts: reg, Source: src, Logger: logger}
	if _, err := e.RegisterDir(context.Background(), "acme", src); err != nil {
		t.Fatal(err)
	}
	return &fixture{e: e, data: data}
}

// addEvent drops a fixture event into the data directory, as `bulwark
// event` does, so that the inventory sees the change too.
func (f *fixture) addEvent(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(eventsDir, name))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(f.data, EventDir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(f.data, EventDir, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
	return b
}

func (f *fixture) build(t *testing.T, req Request) (*Run, State) {
	t.Helper()
	ctx := context.Background()
	run, st, err := f.e.NewRun(ctx, "acme", req)
	if err != nil {
		t.Fatal(err)
	}
	out, err := f.e.RunAll(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	return run, out
}

func TestBuildRun(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	run, out := f.build(t, Request{AccountID: demoAccount, Region: demoRegion, VPC: demoVPC, Name: "Shop EU", Version: "1.0",
		Facing: model.FacingPublic, Priority: model.PriorityHigh, Labels: []string{"pci"}, Owner: "alice"})
	got, err := f.e.Run(ctx, "acme", run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != StatusSucceeded || got.EndedAt.IsZero() {
		t.Fatalf("run %+v", got)
	}
	wantStatus := map[string]string{StepCollect: StatusSucceeded, StepBuild: StatusSucceeded, StepAnalyze: StatusSucceeded,
		StepEvaluate: StatusSucceeded, StepPersist: StatusSucceeded}
	for _, s := range got.Steps {
		if s.Status != wantStatus[s.Name] || s.Attempts != 1 || s.StartedAt.IsZero() {
			t.Errorf("step %s: %+v", s.Name, s)
		}
	}
	if out.Resources == 0 || out.Components == 0 || out.Threats == 0 || out.ModelRevision != 1 {
		t.Errorf("final state %+v", out)
	}
	if b, _ := json.Marshal(out); len(b) > 2048 {
		t.Errorf("state is %d bytes; it must stay small", len(b))
	}
	m, err := f.e.models().Get(ctx, "acme", run.ModelID)
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "Shop EU" || m.Version != "1.0" || m.ProjectType != "AWS Cloud Application" || m.Facing != model.FacingPublic ||
		m.Priority != model.PriorityHigh || m.Owner != "alice" || len(m.Labels) != 1 {
		t.Errorf("model metadata %+v", m.Summarize())
	}
	if src, err := drift.Source(m); err != nil || src.VPC != demoVPC {
		t.Errorf("source %+v %v", src, err)
	}
	l, err := f.e.Link(ctx, "acme", run.ModelID)
	if err != nil || l.Status != SyncInSync || l.VPC != demoVPC || l.SeenUntil.IsZero() {
		t.Fatalf("link %+v %v", l, err)
	}
	// The blobs are gone after persist.
	if _, err := f.e.Store.Get(ctx, "acme", KindBlob, out.InventoryRef); !errs.Is(err, errs.NotFound) {
		t.Errorf("inventory blob: %v", err)
	}
	// Replaying any step (a Step Functions retry) returns its recorded
	// output and changes nothing.
	for _, s := range Steps {
		again, err := f.e.Step(ctx, s.Name, State{Tenant: "acme", RunID: run.ID, Request: run.Request})
		if err != nil {
			t.Fatalf("replay %s: %v", s.Name, err)
		}
		if s.Name == StepPersist && again.ModelRevision != 1 {
			t.Errorf("replayed persist: %+v", again)
		}
	}
	if m2, _ := f.e.models().Get(ctx, "acme", run.ModelID); m2.Revision != 1 {
		t.Errorf("replay changed the model: revision %d", m2.Revision)
	}
}

func TestNewRunRejects(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name      string
		req       Request
		wantField string
	}{
		{"bad account", Request{AccountID: "1234", Region: demoRegion, VPC: demoVPC}, "/accountId"},
		{"unregistered account", Request{AccountID: "999999999999", Region: demoRegion, VPC: demoVPC}, "/accountId"},
		{"no region", Request{AccountID: demoAccount, VPC: demoVPC}, "/region"},
		{"not a VPC", Request{AccountID: demoAccount, Region: demoRegion, VPC: "subnet-1"}, "/vpcId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := f.e.NewRun(context.Background(), "acme", tt.req)
			if e, ok := errs.As(err); !ok || e.Kind != errs.Invalid || e.Field != tt.wantField {
				t.Errorf("err = %v, want Invalid at %s", err, tt.wantField)
			}
		})
	}
}

func TestFailedStep(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	run, st, err := f.e.NewRun(ctx, "acme", Request{AccountID: demoAccount, Region: demoRegion, VPC: "vpc-0000000000000dead"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.e.RunAll(ctx, st); !errs.Is(err, errs.NotFound) {
		t.Fatalf("build of a missing VPC: %v", err)
	}
	got, _ := f.e.Run(ctx, "acme", run.ID)
	if got.Status != StatusFailed || got.Steps[1].Status != StatusFailed || got.Steps[1].Error == "" || got.Steps[2].Status != StatusPending {
		t.Errorf("run %+v", got)
	}
}

func TestDriftEventsAndSync(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	run, _ := f.build(t, Request{AccountID: demoAccount, Region: demoRegion, VPC: demoVPC})
	other, _ := f.build(t, Request{AccountID: demoAccount, Region: "us-east-1", VPC: "vpc-0a67d881610d78211"})

	if l, err := f.e.Check(ctx, "acme", run.ModelID); err != nil || l.Status != SyncInSync || len(l.Drift.Changes) != 0 {
		t.Fatalf("first check: %+v %v", l, err)
	}

	steps := []struct {
		name       string
		event      string
		wantMarked int
		wantIgn    int
	}{
		{"a new instance marks the VPC's model", "instance-created.json", 1, 0},
		{"a replay changes nothing", "instance-created.json", 0, 1},
		{"a deletion without a VPC marks the region's models", "instance-deleted.json", 0, 1},
	}
	for _, s := range steps {
		data := f.addEvent(t, s.event)
		res, err := f.e.HandleEvent(ctx, data, "")
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if len(res.Marked) != s.wantMarked || res.Ignored != s.wantIgn {
			t.Errorf("%s: %+v", s.name, res)
		}
	}
	if _, err := f.e.HandleEvent(ctx, mustRead(t, filepath.Join(eventsDir, "rule-compliance-change.json")), ""); !errs.Is(err, errs.Invalid) {
		t.Errorf("compliance event: %v", err)
	}
	l, _ := f.e.Link(ctx, "acme", run.ModelID)
	if l.Status != SyncOutOfSync || len(l.Pending) != 2 {
		t.Errorf("after events: %+v", l)
	}
	if l, _ := f.e.Link(ctx, "acme", other.ModelID); l.Status != SyncInSync {
		t.Errorf("the us-east-1 model was marked: %+v", l)
	}

	sum, err := f.e.CheckAll(ctx)
	if err != nil || sum.Models != 2 || sum.OutOfSync != 1 || sum.InSync != 1 {
		t.Fatalf("check all %+v %v", sum, err)
	}
	l, _ = f.e.Link(ctx, "acme", run.ModelID)
	if l.Counts.OnlyInVPC == 0 || l.Counts.OnlyInModel == 0 || len(l.Pending) != 0 {
		t.Errorf("drift %+v", l.Counts)
	}
	// Replaying an event after the check saw it changes nothing.
	if res, _ := f.e.HandleEvent(ctx, mustRead(t, filepath.Join(eventsDir, "instance-created.json")), ""); len(res.Marked) != 0 {
		t.Errorf("replay after check marked %+v", res.Marked)
	}

	m, _ := f.e.models().Get(ctx, "acme", run.ModelID)
	if _, err := f.e.Sync(ctx, "acme", run.ModelID, m.Revision+5); !errs.Is(err, errs.Conflict) {
		t.Errorf("stale sync: %v", err)
	}
	res, err := f.e.Sync(ctx, "acme", run.ModelID, m.Revision)
	if err != nil {
		t.Fatal(err)
	}
	if res.Link.Status != SyncInSync || res.Model.Revision != m.Revision+1 || res.Applied.InSync() {
		t.Errorf("sync %+v", res)
	}
	if l, err := f.e.Check(ctx, "acme", run.ModelID); err != nil || l.Status != SyncInSync {
		t.Errorf("check after sync: %+v %v", l, err)
	}
}

func TestScheduleAndWatch(t *testing.T) {
	f := newFixture(t)
	run, _ := f.build(t, Request{AccountID: demoAccount, Region: demoRegion, VPC: demoVPC})
	f.addEvent(t, "instance-created.json")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { f.e.WatchEvents(ctx, filepath.Join(f.data, EventDir), 10*time.Millisecond); close(done) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		l, _ := f.e.Link(context.Background(), "acme", run.ModelID)
		if l.Status == SyncOutOfSync {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the watched event did not mark the model")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
}

func TestLocalStarter(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	run, st, err := f.e.NewRun(ctx, "acme", Request{AccountID: demoAccount, Region: demoRegion, VPC: demoVPC})
	if err != nil {
		t.Fatal(err)
	}
	l := &Local{Engine: f.e}
	reqCtx, cancel := context.WithCancel(ctx)
	if err := l.Start(reqCtx, st); err != nil {
		t.Fatal(err)
	}
	cancel() // the request ends; the build goes on
	l.Wait()
	if got, _ := f.e.Run(ctx, "acme", run.ID); got.Status != StatusSucceeded {
		t.Errorf("run %+v", got)
	}
}

func TestDefinitionUpToDate(t *testing.T) {
	path := "../../infra/workflow_steps.json"
	if os.Getenv("UPDATE_WORKFLOW") != "" {
		if err := os.WriteFile(path, Definition(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got := string(mustRead(t, path)); got != string(Definition()) {
		t.Errorf("%s is stale; run UPDATE_WORKFLOW=1 go test ./pkg/workflow", path)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
