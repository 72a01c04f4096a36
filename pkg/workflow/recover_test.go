package workflow

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/accounts"
	"github.com/bulwark-tm/bulwark/pkg/inventory"
	"github.com/bulwark-tm/bulwark/pkg/store"
)

// panicSource is an inventory source with a bug.
type panicSource struct{}

func (panicSource) Collect(context.Context, accounts.Scope) (*inventory.Inventory, error) {
	panic("injected source failure")
}

// panicStore is a store whose reads panic.
type panicStore struct{ store.Store }

func (panicStore) List(context.Context, string, store.Kind, store.ListOptions) (*store.Page, error) {
	panic("injected store failure")
}

func (panicStore) Get(context.Context, string, store.Kind, string) (*store.Record, error) {
	panic("injected store failure")
}

// syncBuffer is a log sink safe for the background goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// TestBuildPanicFailsTheRun: a step that panics in an in-process build
// fails the run with the reason, the step is not left running, and the
// panic is logged with its stack.
func TestBuildPanicFailsTheRun(t *testing.T) {
	f := newFixture(t)
	logs := &syncBuffer{}
	f.e.Logger = slog.New(slog.NewTextHandler(logs, nil))
	f.e.Source = panicSource{}
	ctx := context.Background()
	run, st, err := f.e.NewRun(ctx, "acme", Request{AccountID: demoAccount, Region: demoRegion, VPC: demoVPC})
	if err != nil {
		t.Fatal(err)
	}
	l := &Local{Engine: f.e}
	if err := l.Start(ctx, st); err != nil {
		t.Fatal(err)
	}
	l.Wait()
	got, err := f.e.Run(ctx, "acme", run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != StatusFailed || !strings.Contains(got.Error, "injected source failure") {
		t.Errorf("run status %q, error %q", got.Status, got.Error)
	}
	for _, s := range got.Steps {
		if s.Status == StatusRunning {
			t.Errorf("step %s left running", s.Name)
		}
	}
	if !strings.Contains(logs.String(), "panic in background work") || !strings.Contains(logs.String(), "goroutine") {
		t.Errorf("the panic was not logged with its stack:\n%s", logs)
	}
}

// TestSchedulePanicsRecovered: a panic in the drift schedule or the event
// watcher is logged and the loop goes on until its context ends.
func TestSchedulePanicsRecovered(t *testing.T) {
	f := newFixture(t)
	f.addEvent(t, "instance-created.json")
	logs := &syncBuffer{}
	f.e.Logger = slog.New(slog.NewTextHandler(logs, nil))
	f.e.Store = panicStore{f.e.Store}
	f.e.Accounts = &accounts.Registry{Store: f.e.Store}

	for _, tc := range []struct {
		name string
		run  func(ctx context.Context)
		work string
	}{
		{"drift schedule", func(ctx context.Context) { f.e.Schedule(ctx, time.Millisecond) }, "scheduled drift check"},
		{"event watcher", func(ctx context.Context) { f.e.WatchEvents(ctx, filepath.Join(f.data, EventDir), time.Millisecond) }, "change events"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { tc.run(ctx); close(done) }()
			deadline := time.Now().Add(10 * time.Second)
			for !strings.Contains(logs.String(), "work=\""+tc.work) {
				if time.Now().After(deadline) {
					t.Fatalf("no recovered panic logged:\n%s", logs)
				}
				time.Sleep(time.Millisecond)
			}
			cancel()
			<-done // the loop ended normally, not by a panic
		})
	}
}
