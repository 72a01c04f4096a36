package main

import (
	"context"
	"encoding/json"
	"log/slog"

	"github.com/aws/aws-lambda-go/lambda/messages"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/workflow"
)

// handler runs one task of the state machine.
type handler struct {
	engine *workflow.Engine
	logger *slog.Logger
}

// handle runs in.Step on in.State and returns the new State, or records
// the failure the Catch caught when in.Step is workflow.StepFail.
func (h handler) handle(ctx context.Context, in workflow.TaskInput) (workflow.State, error) {
	if in.State.Tenant == "" || in.State.RunID == "" {
		return in.State, taskError(errs.E(errs.Invalid, "task %q: the state names no tenant or run", in.Step))
	}
	if in.Step == workflow.StepFail {
		reason := failureReason(in.Error)
		h.logger.WarnContext(ctx, "build failed", "tenant", in.State.Tenant, "run", in.State.RunID, "reason", reason)
		return in.State, taskError(h.engine.Fail(ctx, in.State.Tenant, in.State.RunID, reason))
	}
	out, err := h.engine.Step(ctx, in.Step, in.State)
	if err != nil {
		return in.State, taskError(err)
	}
	h.logger.InfoContext(ctx, "build step", "tenant", out.Tenant, "run", out.RunID, "step", in.Step)
	return out, nil
}

// failureReason turns a caught error into the run's error message: the
// Lambda error's message when the Cause is one ({"errorMessage": ...}),
// else the Cause itself.
func failureReason(e *workflow.TaskError) string {
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

// taskError reports err to Step Functions under its workflow.ErrorName, the
// name the state machine's Retry and Catch match.
func taskError(err error) error {
	if err == nil {
		return nil
	}
	return messages.InvokeResponse_Error{Type: workflow.ErrorName(err), Message: err.Error()}
}
