package infra

import (
	"fmt"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsstepfunctions"
	"github.com/aws/jsii-runtime-go"
)

// TriggerKind says what invokes a function, and so which stack hosts it.
type TriggerKind int

// The trigger kinds. TriggerHTTP and TriggerWebhook are hosted by
// [NewAPIStack], TriggerEvent and TriggerSchedule by [NewEventsStack],
// TriggerWorkflowTask by [NewWorkflowStack].
const (
	// TriggerHTTP is the HTTP API's default route, behind the JWT authorizer.
	TriggerHTTP TriggerKind = iota + 1
	// TriggerWebhook is one HTTP API route without the JWT authorizer, for a
	// caller that authenticates by a signature the function verifies
	// (functions/jirawebhook).
	TriggerWebhook
	// TriggerEvent is an EventBridge rule on the platform bus matching
	// Trigger.Sources and Trigger.DetailTypes (functions/configevents,
	// functions/findings). Asynchronous.
	TriggerEvent
	// TriggerSchedule is an EventBridge schedule running every
	// Trigger.Every (functions/drift). Asynchronous.
	TriggerSchedule
	// TriggerWorkflowTask is a task of the VPC build state machine
	// (functions/vpcbuild).
	TriggerWorkflowTask
)

// String returns the kind's name.
func (k TriggerKind) String() string {
	switch k {
	case TriggerHTTP:
		return "http"
	case TriggerWebhook:
		return "webhook"
	case TriggerEvent:
		return "event"
	case TriggerSchedule:
		return "schedule"
	case TriggerWorkflowTask:
		return "workflow-task"
	}
	return fmt.Sprintf("TriggerKind(%d)", int(k))
}

// Trigger describes what invokes a function.
type Trigger struct {
	Kind TriggerKind
	// Route is the route key of a TriggerWebhook, e.g. "POST /webhooks/jira".
	Route string
	// Sources and DetailTypes are the EventBridge pattern of a TriggerEvent.
	Sources     []string
	DetailTypes []string
	// Every is the period of a TriggerSchedule.
	Every time.Duration
}

// Async reports whether the function is invoked asynchronously, so that it
// needs a dead-letter queue and an alarm on that queue's depth.
func (t Trigger) Async() bool { return t.Kind == TriggerEvent || t.Kind == TriggerSchedule }

// Deps are the platform resources a function's environment and grants may
// refer to. A stack that hosts functions fills in what it has.
type Deps struct {
	Data *DataStack
	Auth *Auth
	// StateMachine is the VPC build state machine ([WorkflowStack]); set
	// for the stacks created after it (Api, Events).
	StateMachine awsstepfunctions.IStateMachine
	// ConfigAggregator names the AWS Config aggregator the Accelerator
	// queries instead of assuming member roles; empty when there is none.
	ConfigAggregator string
	// AggregatorAccounts maps tenants to the account ids the aggregator may
	// serve them ("TENANT=ID,ID;TENANT2=ID", context
	// bulwark:aggregatorAccounts); without an entry aggregator mode refuses
	// an account, because the aggregator cannot prove who owns it.
	AggregatorAccounts string
}

// acceleratorEnv is the environment of a function that reads member
// accounts' AWS Config: aws mode, through the aggregator when one is named.
func acceleratorEnv(d Deps, env map[string]string) map[string]string {
	env["BULWARK_ACCELERATOR_SOURCE"] = "aws"
	if d.ConfigAggregator != "" {
		env["BULWARK_CONFIG_AGGREGATOR"] = d.ConfigAggregator
		if d.AggregatorAccounts != "" {
			env["BULWARK_AGGREGATOR_ACCOUNTS"] = d.AggregatorAccounts
		}
	}
	return env
}

// Function is one deployable entry point: the Lambda built from
// functions/<Name>. Adding a function to the platform is adding one entry
// to [Functions].
type Function struct {
	// Name is the directory under functions/ and the name of its zip.
	Name string
	// Description is shown in the Lambda console.
	Description string
	// Trigger says what invokes the function.
	Trigger Trigger
	// MemoryMB and Timeout size the function.
	MemoryMB float64
	Timeout  time.Duration
	// Env returns the function's environment; values may be CDK tokens.
	Env func(d Deps) map[string]string
	// Grant gives the function exactly the access it needs, with grants.
	Grant func(d Deps, fn awsiam.IGrantable)
	// Suppressions explain the cdk-nag findings Grant causes on the
	// function's role (e.g. [TableGrantSuppressions]).
	Suppressions []Suppression
}

// Functions is the registry of every Lambda function of the platform, in
// the order they are deployed. functions/local is not here: it is the
// laptop binary, not a Lambda.
//
// A function that reads member accounts (the Accelerator in aws mode)
// gets BULWARK_ACCELERATOR_SOURCE=aws and [GrantAssumeMemberRoles].
var Functions = []Function{
	{
		Name:        "api",
		Description: "Bulwark HTTP API (net/http handler behind API Gateway)",
		Trigger:     Trigger{Kind: TriggerHTTP},
		MemoryMB:    512,
		Timeout:     29 * time.Second, // the HTTP API integration limit is 30 s
		Env: func(d Deps) map[string]string {
			return acceleratorEnv(d, map[string]string{
				"BULWARK_STORE":        "dynamodb://" + *d.Data.Table.TableName(),
				"BULWARK_AUTH":         "jwt",
				"BULWARK_JWT_ISSUER":   *d.Auth.Issuer(),
				"BULWARK_JWT_AUDIENCE": *d.Auth.Client.UserPoolClientId(),
				"BULWARK_SECRETS":      SecretsURL,
				// The Accelerator reads member accounts through their roles
				// and starts builds on the state machine.
				"BULWARK_STATE_MACHINE_ARN": *d.StateMachine.StateMachineArn(),
				// Settings → Users manages the pool's users and groups.
				"BULWARK_USER_POOL_ID": *d.Auth.UserPool.UserPoolId(),
				// The member stack's deploy command names this account as
				// the one its role trusts.
				"BULWARK_PLATFORM_ACCOUNT_ID": *awscdk.Aws_ACCOUNT_ID(),
			})
		},
		// The store keeps everything in the table (large items compressed);
		// a function that writes report files or blobs adds
		// d.Data.GrantBlobReadWrite(fn) and BlobGrantSuppressions.
		Grant: func(d Deps, fn awsiam.IGrantable) {
			d.Data.Table.GrantReadWriteData(fn)
			GrantSecrets(fn, SecretManageActions...)
			GrantAssumeMemberRoles(fn)
			GrantReadAggregator(d, fn)
			GrantReadOrganization(fn)
			d.StateMachine.GrantStartExecution(fn)
			d.Auth.UserPool.Grant(fn, jsii.String("cognito-idp:ListUsers"), jsii.String("cognito-idp:AdminGetUser"),
				jsii.String("cognito-idp:AdminCreateUser"), jsii.String("cognito-idp:AdminDisableUser"),
				jsii.String("cognito-idp:AdminAddUserToGroup"), jsii.String("cognito-idp:AdminRemoveUserFromGroup"),
				jsii.String("cognito-idp:AdminListGroupsForUser"))
		},
		Suppressions: suppressions(TableGrantSuppressions, SecretGrantSuppressions, MemberRoleGrantSuppressions, OrganizationGrantSuppressions, AggregatorGrantSuppressions),
	},
	{
		Name:        "jirawebhook",
		Description: "Bulwark Jira webhook: issue status changes back to threats and requirements",
		Trigger:     Trigger{Kind: TriggerWebhook, Route: "POST /api/v1/webhooks/jira/{tenant}/{instance}"},
		MemoryMB:    256,
		Timeout:     29 * time.Second,
		Env: func(d Deps) map[string]string {
			return map[string]string{
				"BULWARK_STORE":   "dynamodb://" + *d.Data.Table.TableName(),
				"BULWARK_SECRETS": SecretsURL,
			}
		},
		// It reads the instance's webhook secret and writes item statuses.
		Grant: func(d Deps, fn awsiam.IGrantable) {
			d.Data.Table.GrantReadWriteData(fn)
			GrantSecrets(fn, SecretReadActions...)
		},
		Suppressions: suppressions(TableGrantSuppressions, SecretGrantSuppressions),
	},
	{
		Name:        "vpcbuild",
		Description: "Bulwark VPC build: one step of the build state machine per invocation",
		Trigger:     Trigger{Kind: TriggerWorkflowTask},
		MemoryMB:    1024,
		// The longest step (collect) may take 5 minutes; its task allows
		// this much (see NewWorkflowStack).
		Timeout: 330 * time.Second,
		Env: func(d Deps) map[string]string {
			return acceleratorEnv(d, map[string]string{
				"BULWARK_STORE": "dynamodb://" + *d.Data.Table.TableName(),
			})
		},
		// Steps read member accounts' AWS Config and write runs, blobs and
		// models.
		Grant: func(d Deps, fn awsiam.IGrantable) {
			d.Data.Table.GrantReadWriteData(fn)
			GrantAssumeMemberRoles(fn)
			GrantReadAggregator(d, fn)
		},
		Suppressions: suppressions(TableGrantSuppressions, MemberRoleGrantSuppressions, AggregatorGrantSuppressions),
	},
	{
		Name:        "configevents",
		Description: "Bulwark AWS Config change events: mark the models of the changed VPC out of sync",
		Trigger: Trigger{Kind: TriggerEvent, Sources: []string{"aws.config"},
			DetailTypes: []string{"Config Configuration Item Change"}},
		MemoryMB: 256,
		Timeout:  time.Minute,
		Env: func(d Deps) map[string]string {
			return acceleratorEnv(d, map[string]string{
				"BULWARK_STORE": "dynamodb://" + *d.Data.Table.TableName(),
			})
		},
		// It reads the account index and updates links; an oversized
		// notification carries no configuration item, so it reads the item
		// from AWS Config through the member role (or the aggregator).
		Grant: func(d Deps, fn awsiam.IGrantable) {
			d.Data.Table.GrantReadWriteData(fn)
			GrantAssumeMemberRoles(fn)
			GrantReadAggregator(d, fn)
		},
		Suppressions: suppressions(TableGrantSuppressions, MemberRoleGrantSuppressions, AggregatorGrantSuppressions),
	},
	{
		Name:        "findings",
		Description: "Bulwark evidence events: Security Hub findings and Config rule compliance to requirement evidence",
		// "Findings Imported V2" are Security Hub's OCSF findings (source
		// aws.securityhub; "EventBridge event formats", Security Hub user
		// guide); "Security Hub Findings - Imported" are ASFF findings.
		Trigger: Trigger{Kind: TriggerEvent, Sources: []string{"aws.securityhub", "aws.config"},
			DetailTypes: []string{"Security Hub Findings - Imported", "Findings Imported V2", "Config Rules Compliance Change"}},
		MemoryMB: 512,
		Timeout:  2 * time.Minute,
		Env: func(d Deps) map[string]string {
			return map[string]string{"BULWARK_STORE": "dynamodb://" + *d.Data.Table.TableName()}
		},
		// It reads the account index and writes evidence records.
		Grant: func(d Deps, fn awsiam.IGrantable) {
			d.Data.Table.GrantReadWriteData(fn)
		},
		Suppressions: TableGrantSuppressions,
	},
	{
		Name:        "drift",
		Description: "Bulwark drift schedule: check every Accelerator model against its VPC, pull due accounts' findings and rule evaluations, and pull Jira statuses",
		Trigger:     Trigger{Kind: TriggerSchedule, Every: 15 * time.Minute},
		MemoryMB:    1024,
		// Shorter than the period, so that two runs do not overlap.
		Timeout: 10 * time.Minute,
		Env: func(d Deps) map[string]string {
			return acceleratorEnv(d, map[string]string{
				"BULWARK_STORE":   "dynamodb://" + *d.Data.Table.TableName(),
				"BULWARK_SECRETS": SecretsURL,
			})
		},
		// Checks read member accounts' AWS Config and update links;
		// evidence pulls read their Security Hub findings and Config rule
		// evaluations through the member roles (or the aggregator) and
		// write evidence records; Jira pulls read the instances' API
		// tokens and update item statuses.
		Grant: func(d Deps, fn awsiam.IGrantable) {
			d.Data.Table.GrantReadWriteData(fn)
			GrantAssumeMemberRoles(fn)
			GrantReadAggregator(d, fn)
			GrantSecrets(fn, SecretReadActions...)
		},
		Suppressions: suppressions(TableGrantSuppressions, MemberRoleGrantSuppressions, SecretGrantSuppressions, AggregatorGrantSuppressions),
	},
}

// suppressions concatenates lists of suppressions into a new slice.
func suppressions(lists ...[]Suppression) []Suppression {
	var out []Suppression
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// FunctionsFor returns the registered functions with the given trigger kind.
func FunctionsFor(kind TriggerKind) []Function {
	var out []Function
	for _, f := range Functions {
		if f.Trigger.Kind == kind {
			out = append(out, f)
		}
	}
	return out
}
