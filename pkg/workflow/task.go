package workflow

import (
	"context"
	"encoding/json"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// RunTask runs one task of the VPC build state machine, the vpcbuild
// Lambda's work (app.VPCBuildHandler): in.Step on in.State (Step), returning
// the new State; for StepFail it records in the run the failure the Catch
// caught (Fail). A failed task returns in.State and the error; ErrorName
// gives the name the task reports to Step Functions, which the state
// machine's Retry and Catch match. Like Step and Fail, it is idempotent.
func (e *Engine) RunTask(ctx context.Context, in TaskInput) (State, error) {
	if in.State.Tenant == "" || in.State.RunID == "" {
		return in.State, errs.E(errs.Invalid, "task %q: the state names no tenant or run", in.Step)
	}
	if in.Step == StepFail {
		reason := failureReason(in.Error)
		e.logger().WarnContext(ctx, "build failed", "tenant", in.State.Tenant, "run", in.State.RunID, "reason", reason)
		return in.State, e.Fail(ctx, in.State.Tenant, in.State.RunID, reason)
	}
	out, err := e.Step(ctx, in.Step, in.State)
	if err != nil {
		return in.State, err
	}
	e.logger().InfoContext(ctx, "build step", "tenant", out.Tenant, "run", out.RunID, "step", in.Step)
	return out, nil
}

// failureReason turns a caught error into the run's error message: the
// Lambda error's message when the Cause is one ({"errorMessage": ...}),
// else the Cause itself.
func failureReason(e *TaskError) string {
	if e == nil {
		return "the build failed outside its steps"
	}
	var cause struct {
		Message string `json:"errorMessage"`
	}
	if json.Unmarshal([]byte(e.Cause), &cause) == nil && cause.Message != "" {
		return cause.Message
	}
	if e.Cause != "" {
		return e.Error + ": " + e.Cause
	}
	return e.Error
}
