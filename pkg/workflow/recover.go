package workflow

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// safely runs f and turns a panic into an error naming what panicked,
// logged with its stack. The background work of `bulwark serve` (the
// in-process builds, the drift schedule, the event watcher) runs through
// it, so that a bug met by one run fails that run and the server keeps
// serving.
func (e *Engine) safely(ctx context.Context, what string, f func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			e.logger().ErrorContext(ctx, "panic in background work", "work", what, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			err = errs.E(errs.Other, "%s: internal error (panic: %v)", what, v)
		}
	}()
	return f()
}

// failRun marks a run failed for reason, and with it any step still
// recorded as running (a step that panicked never recorded its end). It is
// idempotent, like Fail.
func (e *Engine) failRun(ctx context.Context, tenant, runID, reason string) error {
	now := e.now()
	_, err := runs{e.Store}.update(ctx, tenant, runID, func(r *Run) {
		if r.Status == StatusSucceeded || r.Status == StatusFailed {
			return
		}
		for i := range r.Steps {
			if r.Steps[i].Status == StatusRunning {
				r.Steps[i].Status, r.Steps[i].Error, r.Steps[i].EndedAt = StatusFailed, reason, now
			}
		}
		r.Status, r.Error, r.EndedAt = StatusFailed, reason, now
	})
	return err
}
