package workflow

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Starter starts a build whose run NewRun created. Local runs it in this
// process; in AWS a Step Functions starter starts an execution of the
// state machine with the State as input.
type Starter interface {
	Start(ctx context.Context, st State) error
}

// Local runs builds in-process, each in its own goroutine, with steps in
// order. Wait blocks until every started build ended.
type Local struct {
	Engine *Engine
	// Timeout bounds one build (default 15 minutes).
	Timeout time.Duration
	wg      sync.WaitGroup
}

var _ Starter = (*Local)(nil)

// Start runs the build in the background; it outlives the request that
// started it (not its context's cancellation).
func (l *Local) Start(ctx context.Context, st State) error {
	timeout := l.Timeout
	if timeout == 0 {
		timeout = 15 * time.Minute
	}
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
		defer cancel()
		err := l.Engine.safely(bctx, "build "+st.RunID, func() error { _, err := l.Engine.RunAll(bctx, st); return err })
		if err != nil {
			l.Engine.logger().Warn("build failed", "run", st.RunID, "error", err)
			// Steps record their own failures; this covers the rest (a
			// panic included).
			_ = l.Engine.failRun(context.WithoutCancel(ctx), st.Tenant, st.RunID, err.Error())
		}
	}()
	return nil
}

// Wait blocks until every started build has ended.
func (l *Local) Wait() { l.wg.Wait() }

// Schedule runs RunScheduled without Jira pulls (the drift check and,
// when e.Evidence is set, the evidence pull) now and then every period
// until ctx ends: the in-process stand-in for the EventBridge schedule of
// functions/drift.
func (e *Engine) Schedule(ctx context.Context, period time.Duration) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		_ = e.safely(ctx, "scheduled drift check", func() error {
			// RunScheduled logs what it did.
			if _, err := e.RunScheduled(ctx, nil); err != nil && ctx.Err() == nil {
				e.logger().Warn("scheduled run failed", "error", err)
			}
			return nil
		})
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// EventDir is where `bulwark event FILE` drops change events for a running
// `bulwark serve`, under the Accelerator's data directory.
const EventDir = "events"

// WatchEvents handles every *.json file under dir (once per content)
// now and then every period until ctx ends: the local stand-in for the
// EventBridge rule of functions/configevents. Handling is idempotent, so
// a restart that sees the files again changes nothing.
func (e *Engine) WatchEvents(ctx context.Context, dir string, period time.Duration) {
	seen := map[string]bool{}
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		_ = e.safely(ctx, "change events in "+dir, func() error { e.scanEvents(ctx, dir, seen); return nil })
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (e *Engine) scanEvents(ctx context.Context, dir string, seen map[string]bool) {
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil || len(data) > MaxEventSize {
			return nil
		}
		sum := sha256.Sum256(data)
		key := hex.EncodeToString(sum[:])
		if seen[key] {
			return nil
		}
		seen[key] = true
		res, err := e.HandleEvent(ctx, data, "")
		if err != nil {
			e.logger().Warn("change event not handled", "file", p, "error", err)
			return nil
		}
		e.logger().Info("change event", "file", p, "resources", len(res.Resources), "marked", len(res.Marked))
		return nil
	})
}
