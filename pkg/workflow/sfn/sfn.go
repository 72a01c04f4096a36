// Package sfn is the Step Functions adapter of pkg/workflow: a
// workflow.Starter that starts each run as an execution of the VPC build
// state machine (infra/workflow.go). The composition root (pkg/app)
// chooses it when a state machine is configured; pkg/workflow itself
// imports no AWS SDK.
package sfn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/workflow"
)

// Client is the part of the Step Functions API a Starter uses;
// *sfn.Client of the AWS SDK implements it.
type Client interface {
	StartExecution(ctx context.Context, in *awssfn.StartExecutionInput, optFns ...func(*awssfn.Options)) (*awssfn.StartExecutionOutput, error)
}

var _ Client = (*awssfn.Client)(nil)

// Starter starts each build as an execution of the VPC build state
// machine (infra/workflow.go), with the run's first State as input. The
// execution is named after the run, so starting the same run twice (a
// retried request) starts one execution: Step Functions answers a repeated
// name with the running execution, or with ExecutionAlreadyExists, which
// Start treats as success.
type Starter struct {
	Client          Client
	StateMachineARN string
}

var _ workflow.Starter = (*Starter)(nil)

// NewStarter returns a Starter using cfg's credentials and region.
func NewStarter(cfg aws.Config, stateMachineARN string) *Starter {
	return &Starter{Client: awssfn.NewFromConfig(cfg), StateMachineARN: stateMachineARN}
}

// executionNameRe is what Step Functions accepts as an execution name.
var executionNameRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,80}$`)

// Start starts the execution of st's run.
func (s *Starter) Start(ctx context.Context, st workflow.State) error {
	if s.StateMachineARN == "" {
		return errs.E(errs.Invalid, "start run %s: no state machine configured (BULWARK_STATE_MACHINE_ARN)", st.RunID)
	}
	if !executionNameRe.MatchString(st.RunID) {
		return errs.E(errs.Invalid, "start run %q: not a valid execution name", st.RunID)
	}
	input, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("encode the state of run %s: %w", st.RunID, err)
	}
	if len(input) > workflow.MaxStateSize {
		return errs.E(errs.TooLarge, "start run %s: state of %d bytes (limit %d)", st.RunID, len(input), workflow.MaxStateSize)
	}
	_, err = s.Client.StartExecution(ctx, &awssfn.StartExecutionInput{
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
	if err == nil {
		return nil
	}
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
	return errs.E(kind, "%s: %w", fmt.Sprintf(format, args...), err)
}
