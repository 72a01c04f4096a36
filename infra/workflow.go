package infra

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"sort"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsstepfunctions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsstepfunctionstasks"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// workflowStepsJSON is generated from pkg/workflow.Steps
// (TestDefinitionUpToDate there keeps it equal).
//
//go:embed workflow_steps.json
var workflowStepsJSON []byte

// WorkflowStep is one step of the VPC build, as infra/workflow_steps.json
// describes it.
type WorkflowStep struct {
	Name           string `json:"name"`
	Description    string `json:"description"`
	TimeoutSeconds int    `json:"timeoutSeconds"`
	RetryAttempts  int    `json:"retryAttempts"`
}

// workflowDoc is workflow_steps.json: the build's steps, and the steps of
// the other modes of a run (a drift check, a sync) by mode.
type workflowDoc struct {
	Steps []WorkflowStep            `json:"steps"`
	Modes map[string][]WorkflowStep `json:"modes"`
}

func readWorkflowDoc() (*workflowDoc, error) {
	var doc workflowDoc
	if err := json.Unmarshal(workflowStepsJSON, &doc); err != nil {
		return nil, fmt.Errorf("infra/workflow_steps.json: %w", err)
	}
	if len(doc.Steps) == 0 {
		return nil, fmt.Errorf("infra/workflow_steps.json lists no steps")
	}
	seen := map[string]bool{}
	check := func(where string, steps []WorkflowStep) error {
		for i, s := range steps {
			if s.Name == "" || s.Name == FailStep || s.TimeoutSeconds <= 0 || s.RetryAttempts < 0 || seen[s.Name] {
				return fmt.Errorf("infra/workflow_steps.json: %s step %d (%q) needs a unique name other than %q, a timeout and retries", where, i, s.Name, FailStep)
			}
			seen[s.Name] = true
		}
		return nil
	}
	if err := check("build", doc.Steps); err != nil {
		return nil, err
	}
	for _, mode := range doc.modeNames() {
		if len(doc.Modes[mode]) == 0 {
			return nil, fmt.Errorf("infra/workflow_steps.json: mode %q has no steps", mode)
		}
		if err := check("mode "+mode, doc.Modes[mode]); err != nil {
			return nil, err
		}
	}
	return &doc, nil
}

func (d *workflowDoc) modeNames() []string {
	names := make([]string, 0, len(d.Modes))
	for m := range d.Modes {
		names = append(names, m)
	}
	sort.Strings(names)
	return names
}

// WorkflowSteps returns the steps of workflow_steps.json, in order.
func WorkflowSteps() ([]WorkflowStep, error) {
	doc, err := readWorkflowDoc()
	if err != nil {
		return nil, err
	}
	return doc.Steps, nil
}

// WorkflowModes returns the steps of the runs other than builds, by the
// mode the state machine's input names ("check", "sync"): drift checks and
// syncs run on the same state machine as builds, outside API Gateway's
// 29 s, since they read the VPC's inventory too.
func WorkflowModes() (map[string][]WorkflowStep, error) {
	doc, err := readWorkflowDoc()
	if err != nil {
		return nil, err
	}
	return doc.Modes, nil
}

// ModeChoice is the name of the state machine's first state, which
// chooses the steps of the run's mode.
const ModeChoice = "mode"

// FailStep is the step name of the task every step's Catch goes to; the
// vpcbuild function records the caught error in the run
// (pkg/workflow.StepFail).
const FailStep = "fail"

// Error names the state machine retries. LambdaServiceErrors are failures
// of the Lambda service and throttling, retried with backoff for every
// task. RetryableStepErrors are the names functions/vpcbuild reports for
// failures worth retrying (pkg/workflow.RetryableErrors), retried up to
// each step's retryAttempts; other errors (invalid input, not found,
// forbidden) go to the Catch at once.
var (
	LambdaServiceErrors = []string{"Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException",
		"Lambda.ClientExecutionTimeoutException", "Lambda.TooManyRequestsException"}
	RetryableStepErrors = []string{"Bulwark.Unavailable", "Bulwark.Conflict", "Bulwark.Internal"}
)

// WorkflowStackProps configures [NewWorkflowStack].
type WorkflowStackProps struct {
	awscdk.StackProps
	// Data is the table the vpcbuild function uses.
	Data *DataStack
	// AlarmTopic is notified by the stack's alarms.
	AlarmTopic awssns.ITopic
	// LambdaDir holds the functions' zips.
	LambdaDir string
	// ConfigAggregator is passed to the Accelerator (see PlatformProps).
	ConfigAggregator string
	// AggregatorAccounts is the aggregator's tenant allow list (see Deps).
	AggregatorAccounts string
}

// WorkflowStack is the VPC build on Step Functions: the functions of the
// registry whose trigger is [TriggerWorkflowTask] (functions/vpcbuild) and
// a Standard state machine with one task per step of workflow_steps.json,
// in order. Each task passes {"step": NAME, "state": STATE} and keeps the
// returned State; it retries Lambda service errors and throttling with
// backoff, and the step's retryable errors up to its retryAttempts; any
// other failure is caught by the "fail" task, which records it in the run,
// and the execution fails. Executions are logged at level ALL to a log
// group encrypted with the stack's key, and traced with X-Ray.
type WorkflowStack struct {
	awscdk.Stack
	// Functions are the stack's functions, by registry name.
	Functions map[string]*GoFunction
	// StateMachine runs the build; executions are named after the run.
	StateMachine awsstepfunctions.StateMachine
	// Logs receives the state machine's execution logs.
	Logs awslogs.LogGroup
	// LogKey encrypts Logs.
	LogKey awskms.Key
}

// NewWorkflowStack creates the workflow stack.
func NewWorkflowStack(scope constructs.Construct, id string, props *WorkflowStackProps) (*WorkflowStack, error) {
	doc, err := readWorkflowDoc()
	if err != nil {
		return nil, err
	}
	steps := doc.Steps
	tasks := FunctionsFor(TriggerWorkflowTask)
	if len(tasks) != 1 {
		return nil, fmt.Errorf("the VPC build needs exactly one TriggerWorkflowTask function in the registry, found %d", len(tasks))
	}
	stack := awscdk.NewStack(scope, jsii.String(id), &props.StackProps)
	s := &WorkflowStack{Stack: stack, Functions: map[string]*GoFunction{}}
	spec := tasks[0]
	all := slices.Clone(steps)
	for _, m := range doc.modeNames() {
		all = append(all, doc.Modes[m]...)
	}
	for _, st := range all {
		if need := float64(st.TimeoutSeconds); spec.Timeout.Seconds() < need {
			return nil, fmt.Errorf("function %s: timeout %s is shorter than step %s (%d s)", spec.Name, spec.Timeout, st.Name, st.TimeoutSeconds)
		}
	}
	fn, err := NewGoFunction(stack, "Fn-"+spec.Name, GoFunctionProps{
		Spec: spec, Deps: Deps{Data: props.Data, ConfigAggregator: props.ConfigAggregator, AggregatorAccounts: props.AggregatorAccounts}, LambdaDir: props.LambdaDir, AlarmTopic: props.AlarmTopic,
	})
	if err != nil {
		return nil, err
	}
	s.Functions[spec.Name] = fn

	// The fail task records the caught error ($.error) in the run, then
	// the execution fails with it.
	failed := awsstepfunctions.NewFail(stack, jsii.String("BuildFailed"), &awsstepfunctions.FailProps{
		Comment:   jsii.String("the build failed; the run records why"),
		ErrorPath: jsii.String("$.error.Error"),
		CausePath: jsii.String("$.error.Cause"),
	})
	record := s.task(fn, FailStep, "record the failure in the run", 60, 0, map[string]interface{}{
		"step": FailStep, "state": awsstepfunctions.JsonPath_EntirePayload(), "error": awsstepfunctions.JsonPath_ObjectAt(jsii.String("$.error")),
	})
	record.Next(failed)

	// One chain of tasks per mode; the input's "mode" chooses (a build
	// when absent or "build").
	chainOf := func(list []WorkflowStep, end awsstepfunctions.IChainable) awsstepfunctions.Chain {
		var chain awsstepfunctions.Chain
		for _, st := range list {
			t := s.task(fn, st.Name, st.Description, st.TimeoutSeconds+30, st.RetryAttempts, map[string]interface{}{
				"step": st.Name, "state": awsstepfunctions.JsonPath_EntirePayload(),
			})
			t.AddCatch(record, &awsstepfunctions.CatchProps{
				Errors:     jsii.Strings("States.ALL"),
				ResultPath: jsii.String("$.error"),
			})
			if chain == nil {
				chain = awsstepfunctions.Chain_Start(t)
			} else {
				chain = chain.Next(t)
			}
		}
		return chain.Next(end)
	}
	build := chainOf(steps, awsstepfunctions.NewSucceed(stack, jsii.String("Built"), &awsstepfunctions.SucceedProps{
		Comment: jsii.String("the model is stored and linked to its VPC"),
	}))
	choice := awsstepfunctions.NewChoice(stack, jsii.String(ModeChoice), &awsstepfunctions.ChoiceProps{
		Comment: jsii.String("a build, or another mode of run (drift check, sync) by the input's mode"),
	})
	for _, m := range doc.modeNames() {
		done := awsstepfunctions.NewSucceed(stack, jsii.String("Done-"+m), &awsstepfunctions.SucceedProps{
			Comment: jsii.String("the " + m + " is recorded in the run"),
		})
		choice.When(awsstepfunctions.Condition_And(
			awsstepfunctions.Condition_IsPresent(jsii.String("$.mode")),
			awsstepfunctions.Condition_StringEquals(jsii.String("$.mode"), jsii.String(m)),
		), chainOf(doc.Modes[m], done), nil)
	}
	choice.Otherwise(build)
	chain := awsstepfunctions.Chain_Start(choice)

	s.LogKey = awskms.NewKey(stack, jsii.String("LogKey"), &awskms.KeyProps{
		Description:       jsii.String("Bulwark: encrypts the VPC build state machine's execution logs"),
		EnableKeyRotation: jsii.Bool(true),
		RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
	})
	// CloudWatch Logs may use the key for this account's log groups only.
	s.LogKey.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(awscdk.Fn_Sub(jsii.String("logs.${AWS::Region}.amazonaws.com"), nil), nil)},
		Actions:    jsii.Strings("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]interface{}{"ArnLike": map[string]interface{}{
			"kms:EncryptionContext:aws:logs:arn": awscdk.Fn_Sub(jsii.String("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*"), nil),
		}},
	}), jsii.Bool(false))
	s.Logs = awslogs.NewLogGroup(stack, jsii.String("Logs"), &awslogs.LogGroupProps{
		EncryptionKey: s.LogKey,
		Retention:     awslogs.RetentionDays_THREE_MONTHS,
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
	s.StateMachine = awsstepfunctions.NewStateMachine(stack, jsii.String("VpcBuild"), &awsstepfunctions.StateMachineProps{
		Comment:          jsii.String("Bulwark VPC build: " + stepNames(steps) + "; drift check and sync by mode"),
		StateMachineType: awsstepfunctions.StateMachineType_STANDARD,
		DefinitionBody:   awsstepfunctions.DefinitionBody_FromChainable(chain),
		Timeout:          awscdk.Duration_Hours(jsii.Number(1)),
		TracingEnabled:   jsii.Bool(true),
		Logs: &awsstepfunctions.LogOptions{
			Destination:          s.Logs,
			Level:                awsstepfunctions.LogLevel_ALL,
			IncludeExecutionData: jsii.Bool(true),
		},
	})
	Suppress(s.StateMachine.Role(),
		Suppression{ID: "AwsSolutions-IAM5", AppliesTo: []string{"Resource::*"},
			Reason: "Vended log delivery (logs:CreateLogDelivery and related) and X-Ray tracing support no resource-level permissions"},
		Suppression{ID: "AwsSolutions-IAM5", AppliesTo: []string{`/^Resource::<Fnvpcbuild.*Arn>:\*$/`},
			Reason: "CDK's invoke grant on the vpcbuild function also names its versions (ARN:*); it is the only function the state machine calls"},
	)
	awscdk.NewCfnOutput(stack, jsii.String("StateMachineArn"), &awscdk.CfnOutputProps{
		Value: s.StateMachine.StateMachineArn(), Description: jsii.String("The VPC build state machine"),
	})
	return s, nil
}

// task is one LambdaInvoke state of fn named name: it sends payload, keeps
// the function's result as the state, and retries Lambda service errors
// and throttling (and, when retries > 0, the retryable step errors).
func (s *WorkflowStack) task(fn *GoFunction, name, comment string, timeoutSeconds, retries int, payload map[string]interface{}) awsstepfunctionstasks.LambdaInvoke {
	props := &awsstepfunctionstasks.LambdaInvokeProps{
		Comment:                  jsii.String(comment),
		LambdaFunction:           fn.Function,
		Payload:                  awsstepfunctions.TaskInput_FromObject(&payload),
		RetryOnServiceExceptions: jsii.Bool(false), // the retries below name the errors
		TaskTimeout:              awsstepfunctions.Timeout_Duration(awscdk.Duration_Seconds(jsii.Number(float64(timeoutSeconds)))),
	}
	if name == FailStep {
		props.ResultPath = awsstepfunctions.JsonPath_DISCARD()
	} else {
		props.OutputPath = jsii.String("$.Payload")
	}
	t := awsstepfunctionstasks.NewLambdaInvoke(s.Stack, jsii.String(name), props)
	t.AddRetry(&awsstepfunctions.RetryProps{
		Errors:         jsii.Strings(LambdaServiceErrors...),
		Interval:       awscdk.Duration_Seconds(jsii.Number(2)),
		MaxAttempts:    jsii.Number(6),
		BackoffRate:    jsii.Number(2),
		JitterStrategy: awsstepfunctions.JitterType_FULL,
	})
	if retries > 0 {
		t.AddRetry(&awsstepfunctions.RetryProps{
			Errors:      jsii.Strings(RetryableStepErrors...),
			Interval:    awscdk.Duration_Seconds(jsii.Number(5)),
			MaxAttempts: jsii.Number(float64(retries)),
			BackoffRate: jsii.Number(2),
		})
	}
	return t
}

func stepNames(steps []WorkflowStep) string {
	out := ""
	for i, s := range steps {
		if i > 0 {
			out += " → "
		}
		out += s.Name
	}
	return out
}
