package infra

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// OrganizationIDPattern is what an AWS Organizations id looks like.
const OrganizationIDPattern = `^o-[a-z0-9]{10,32}$`

// OrganizationIDParameterPattern is the AllowedPattern of the events
// stack's OrganizationId parameter: an organization id, or empty for a
// platform without AWS Organizations (then there is no bus policy).
const OrganizationIDParameterPattern = `^(o-[a-z0-9]{10,32})?$`

// EventsStackProps configures [NewEventsStack].
type EventsStackProps struct {
	awscdk.StackProps
	// Deps are what the functions' environment and grants refer to.
	Deps Deps
	// AlarmTopic is notified by the stack's alarms.
	AlarmTopic awssns.ITopic
	// LambdaDir holds the functions' zips.
	LambdaDir string
	// OrganizationID is the default of the OrganizationId parameter: the
	// organization whose accounts may put events on the platform bus.
	// Empty (the default) deploys without a bus policy; `make deploy
	// ORG_ID=o-…` passes the parameter instead.
	OrganizationID string
}

// EventsStack is the event-driven side of the platform, on the platform
// account's default event bus: a rule per [TriggerEvent] function of the
// registry (matching its sources and detail types), a schedule per
// [TriggerSchedule] function, and the bus policy that lets the accounts of
// the organization (parameter OrganizationId) put events, which the member
// stacks' forwarding rules do. OrganizationId is optional: empty, as for a
// single account without AWS Organizations, the condition HasOrganization
// is false and there is no bus policy. Each rule's target retries, and sends what
// it cannot deliver to the function's dead-letter queue, which also holds
// the function's failed asynchronous invocations ([GoFunction]).
type EventsStack struct {
	awscdk.Stack
	// OrganizationID is the stack parameter naming the organization.
	OrganizationID awscdk.CfnParameter
	// HasOrganization is true when OrganizationID is not empty; the bus
	// policy exists only then.
	HasOrganization awscdk.CfnCondition
	// BusPolicy lets the organization's accounts put events on the bus.
	BusPolicy awsevents.CfnEventBusPolicy
	// Functions are the stack's functions, by registry name.
	Functions map[string]*GoFunction
	// Rules are the rules and schedules, by function name.
	Rules map[string]awsevents.Rule
}

// NewEventsStack creates the events stack.
func NewEventsStack(scope constructs.Construct, id string, props *EventsStackProps) (*EventsStack, error) {
	if props.OrganizationID != "" && !strings.HasPrefix(props.OrganizationID, "o-") {
		return nil, fmt.Errorf("organization id %q: want o-xxxxxxxxxx", props.OrganizationID)
	}
	stack := awscdk.NewStack(scope, jsii.String(id), &props.StackProps)
	s := &EventsStack{Stack: stack, Functions: map[string]*GoFunction{}, Rules: map[string]awsevents.Rule{}}

	// CloudFormation fails a deployment that gives no value for a
	// parameter without a default, so the parameter always has one: empty
	// unless the app names an organization.
	s.OrganizationID = awscdk.NewCfnParameter(stack, jsii.String("OrganizationId"), &awscdk.CfnParameterProps{
		Type:                  jsii.String("String"),
		Description:           jsii.String("Id of the AWS organization whose accounts may put events on the platform's default bus; empty for a single account (no bus policy)"),
		AllowedPattern:        jsii.String(OrganizationIDParameterPattern),
		ConstraintDescription: jsii.String("empty, or an AWS Organizations id such as o-a1b2c3d4e5"),
		Default:               jsii.String(props.OrganizationID),
	})
	s.HasOrganization = awscdk.NewCfnCondition(stack, jsii.String("HasOrganization"), &awscdk.CfnConditionProps{
		Expression: awscdk.Fn_ConditionNot(awscdk.Fn_ConditionEquals(s.OrganizationID.ValueAsString(), jsii.String(""))),
	})
	bus := awsevents.EventBus_FromEventBusName(stack, jsii.String("DefaultBus"), jsii.String("default"))
	s.BusPolicy = awsevents.NewCfnEventBusPolicy(stack, jsii.String("OrganizationPutEvents"), &awsevents.CfnEventBusPolicyProps{
		EventBusName: bus.EventBusName(),
		StatementId:  jsii.String("bulwark-organization"),
		Statement: map[string]interface{}{
			"Sid":       "bulwark-organization",
			"Effect":    "Allow",
			"Principal": "*",
			"Action":    "events:PutEvents",
			"Resource":  bus.EventBusArn(),
			"Condition": map[string]interface{}{
				"StringEquals": map[string]interface{}{"aws:PrincipalOrgID": s.OrganizationID.ValueAsString()},
			},
		},
	})
	s.BusPolicy.CfnOptions().SetCondition(s.HasOrganization)

	for _, spec := range Functions {
		if spec.Trigger.Kind != TriggerEvent && spec.Trigger.Kind != TriggerSchedule {
			continue
		}
		fn, err := NewGoFunction(stack, "Fn-"+spec.Name, GoFunctionProps{
			Spec: spec, Deps: props.Deps, LambdaDir: props.LambdaDir, AlarmTopic: props.AlarmTopic,
		})
		if err != nil {
			return nil, err
		}
		s.Functions[spec.Name] = fn
		rp := &awsevents.RuleProps{
			Targets: &[]awsevents.IRuleTarget{awseventstargets.NewLambdaFunction(fn.Function, &awseventstargets.LambdaFunctionProps{
				DeadLetterQueue: fn.DeadLetterQueue,
				RetryAttempts:   jsii.Number(8),
				MaxEventAge:     awscdk.Duration_Hours(jsii.Number(6)),
			})},
		}
		switch spec.Trigger.Kind {
		case TriggerEvent:
			if len(spec.Trigger.Sources) == 0 || len(spec.Trigger.DetailTypes) == 0 {
				return nil, fmt.Errorf("event function %s: sources and detail types are required", spec.Name)
			}
			rp.Description = jsii.String("Bulwark: " + strings.Join(spec.Trigger.DetailTypes, ", ") + " → " + spec.Name)
			rp.EventBus = bus
			rp.EventPattern = &awsevents.EventPattern{
				Source:     jsii.Strings(spec.Trigger.Sources...),
				DetailType: jsii.Strings(spec.Trigger.DetailTypes...),
			}
		case TriggerSchedule:
			if spec.Trigger.Every.Minutes() < 1 {
				return nil, fmt.Errorf("scheduled function %s: a period of at least a minute is required, got %s", spec.Name, spec.Trigger.Every)
			}
			rp.Description = jsii.String(fmt.Sprintf("Bulwark: every %s → %s", spec.Trigger.Every, spec.Name))
			rp.Schedule = awsevents.Schedule_Rate(awscdk.Duration_Minutes(jsii.Number(spec.Trigger.Every.Minutes())))
		}
		s.Rules[spec.Name] = awsevents.NewRule(stack, jsii.String("Rule-"+spec.Name), rp)
		Suppress(fn.DeadLetterQueue, Suppression{ID: "AwsSolutions-SQS3",
			Reason: "This queue is the dead-letter queue of the function's asynchronous invocations and of its rule's target"})
	}
	return s, nil
}
