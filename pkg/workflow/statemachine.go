package workflow

import (
	"context"
	"errors"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// StepFail is the step name of the state machine's last task: the Catch of
// every step calls the vpcbuild function with it, which records the
// failure with Engine.Fail. It is not one of Steps.
const StepFail = "fail"

// TaskInput is what each task of the VPC build state machine passes to the
// functions/vpcbuild Lambda: the step to run and the State the previous
// step returned. For StepFail, Error is what the Catch caught.
type TaskInput struct {
	Step  string     `json:"step"`
	State State      `json:"state"`
	Error *TaskError `json:"error,omitempty"`
}

// TaskError is the error object a Step Functions Catch puts in the state
// (ResultPath "$.error").
type TaskError struct {
	Error string `json:"Error"`
	Cause string `json:"Cause"`
}

// ErrorName returns the name a failed task reports to Step Functions for
// err, "Bulwark." followed by its errs.Kind in CamelCase
// ("Bulwark.NotFound"). The state machine's Retry lists name the kinds
// worth retrying (RetryableErrors); the others go to the Catch at once.
func ErrorName(err error) string {
	k := errs.KindOf(err)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		k = errs.Unavailable
	}
	var b strings.Builder
	b.WriteString("Bulwark.")
	for w := range strings.FieldsSeq(k.String()) {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

// RetryableErrors are the error names (see ErrorName) the state machine
// retries with backoff, up to each step's RetryAttempts: failures of a
// dependency, lost write races and unexpected internal errors. Invalid,
// NotFound, Forbidden, TooLarge and Malformed inputs fail the same way
// every time and are not retried. infra/workflow.go lists the same names.
var RetryableErrors = []string{"Bulwark.Unavailable", "Bulwark.Conflict", "Bulwark.Internal"}
