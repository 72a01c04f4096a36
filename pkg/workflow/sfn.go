package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"

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

// SFNClient is the part of the Step Functions API a SFNStarter uses;
// *sfn.Client implements it.
type SFNClient interface {
	StartExecution(ctx context.Context, in *sfn.StartExecutionInput, optFns ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error)
}

var _ SFNClient = (*sfn.Client)(nil)

// SFNStarter starts each build as an execution of the VPC build state
// machine (infra/workflow.go), with the run's first State as input. The
// execution is named after the run, so starting the same run twice (a
// retried request) starts one execution: Step Functions answers a repeated
// name with the running execution, or with ExecutionAlreadyExists, which
// Start treats as success.
type SFNStarter struct {
	Client          SFNClient
	StateMachineARN string
}

var _ Starter = (*SFNStarter)(nil)

// NewSFNStarter returns a SFNStarter using cfg's credentials and region.
func NewSFNStarter(cfg aws.Config, stateMachineARN string) *SFNStarter {
	return &SFNStarter{Client: sfn.NewFromConfig(cfg), StateMachineARN: stateMachineARN}
}

// executionNameRe is what Step Functions accepts as an execution name.
var executionNameRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,80}$`)

// Start starts the execution of st's run.
func (s *SFNStarter) Start(ctx context.Context, st State) error {
	if s.StateMachineARN == "" {
		return errs.E(errs.Invalid, "start run %s: no state machine configured (BULWARK_STATE_MACHINE_ARN)", st.RunID)
	}
	if !executionNameRe.MatchString(st.RunID) {
		return errs.E(errs.Invalid, "start run %q: not a valid execution name", st.RunID)
	}
	input, err := json.Marshal(st)
	if err != nil {
		return errs.Wrap(errs.Other, err, "encode the state of run %s", st.RunID)
	}
	if len(input) > MaxStateSize {
		return errs.E(errs.TooLarge, "start run %s: state of %d bytes (limit %d)", st.RunID, len(input), MaxStateSize)
	}
	_, err = s.Client.StartExecution(ctx, &sfn.StartExecutionInput{
		StateMachineArn: aws.String(s.StateMachineARN),
		Name:            aws.String(st.RunID),
		Input:           aws.String(string(input)),
	})
	var exists *types.ExecutionAlreadyExists
	if errors.As(err, &exists) {
		return nil // this run was started before
	}
	if err != nil {
		return sfnError(err, "start the execution of run %s", st.RunID)
	}
	return nil
}

// sfnError gives a Step Functions error a kind and context.
func sfnError(err error, format string, args ...any) error {
	kind := errs.Unavailable
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch code := ae.ErrorCode(); {
		case strings.Contains(code, "AccessDenied"), code == "UnrecognizedClientException", code == "ExpiredTokenException":
			kind = errs.Forbidden
		case code == "StateMachineDoesNotExist", code == "StateMachineDeleting":
			kind = errs.NotFound
		case strings.HasPrefix(code, "Invalid"), code == "ValidationException":
			kind = errs.Invalid
		}
	}
	return errs.Wrap(kind, err, "%s", fmt.Sprintf(format, args...))
}
