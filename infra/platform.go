package infra

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

// FeatureFlags are the CDK feature flags the app is built with; pass them
// as the App's context (awscdk.AppProps.Context).
var FeatureFlags = map[string]interface{}{
	// S3 server access logs are delivered by a bucket policy, not ACLs.
	"@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy": true,
	// Cross-stack references are CloudFormation exports that protect the
	// producing stack from removing what a consumer still uses.
	"@aws-cdk/core:defaultCrossStackReferences": "strong",
}

// PlatformProps configures [NewPlatform].
type PlatformProps struct {
	// Env is where the platform stacks go; nil leaves them
	// environment-agnostic (account and region chosen at deploy time).
	Env *awscdk.Environment
	// Prefix starts every stack id; default "Bulwark".
	Prefix string
	// LambdaDir holds <name>.zip for every registered function.
	LambdaDir string
	// WebDir is the built web app (web/dist).
	WebDir string
	// AlarmEmail, when set, is subscribed to the alarm topic.
	AlarmEmail string
	// WebACLArn, when set, attaches a WAF web ACL to the distribution.
	WebACLArn string
	// ThreatProtection selects Cognito's Plus plan with threat protection.
	ThreatProtection bool
	// OrganizationID is the default of the Events stack's OrganizationId
	// parameter (the organization whose accounts may put events).
	OrganizationID string
	// ConfigAggregator names an AWS Config aggregator in the platform
	// account that the Accelerator queries instead of assuming member
	// roles (context bulwark:configAggregator); empty for none.
	ConfigAggregator string
	// AggregatorAccounts maps tenants to the accounts the aggregator may
	// serve them (context bulwark:aggregatorAccounts, "TENANT=ID,ID;...").
	AggregatorAccounts string
}

// Platform is the set of stacks deployed in the platform account.
type Platform struct {
	// Monitoring holds the alarm topic.
	Monitoring *MonitoringStack
	// Data holds the table and the blob bucket.
	Data *DataStack
	// Web serves the web app.
	Web *WebStack
	// Workflow holds the VPC build state machine and its task function.
	Workflow *WorkflowStack
	// API holds the user pool, the HTTP API and the HTTP functions.
	API *APIStack
	// Events holds the event rules, the schedule and the bus policy.
	Events *EventsStack
	// WebConfig writes the web app's config.json.
	WebConfig awscdk.Stack
}

// hostedKinds are the trigger kinds the platform has a hosting stack for.
var hostedKinds = map[TriggerKind]bool{TriggerHTTP: true, TriggerWebhook: true,
	TriggerEvent: true, TriggerSchedule: true, TriggerWorkflowTask: true}

// NewPlatform creates the platform stacks in app, in dependency order:
// Monitoring, Data, Web, Workflow, Api, Events, WebConfig. It fails when a registered
// function's trigger has no hosting stack yet, rather than leave it out.
func NewPlatform(app awscdk.App, props PlatformProps) (*Platform, error) {
	for _, f := range Functions {
		if !hostedKinds[f.Trigger.Kind] {
			return nil, fmt.Errorf("function %s: no stack hosts %s triggers yet", f.Name, f.Trigger.Kind)
		}
	}
	prefix := props.Prefix
	if prefix == "" {
		prefix = "Bulwark"
	}
	sp := func(desc string) awscdk.StackProps {
		return awscdk.StackProps{Env: props.Env, Description: jsii.String("Bulwark: " + desc)}
	}
	p := &Platform{}
	p.Monitoring = NewMonitoringStack(app, prefix+"Monitoring", &MonitoringStackProps{
		StackProps: sp("alarm topic"), AlarmEmail: props.AlarmEmail,
	})
	p.Data = NewDataStack(app, prefix+"Data", &DataStackProps{StackProps: sp("table and blob bucket")})
	var err error
	p.Web, err = NewWebStack(app, prefix+"Web", &WebStackProps{
		StackProps: sp("web app on S3 and CloudFront"), AssetDir: props.WebDir, WebACLArn: props.WebACLArn,
	})
	if err != nil {
		return nil, err
	}
	p.Workflow, err = NewWorkflowStack(app, prefix+"Workflow", &WorkflowStackProps{
		StackProps:         sp("VPC build state machine"),
		Data:               p.Data,
		AlarmTopic:         p.Monitoring.AlarmTopic,
		LambdaDir:          props.LambdaDir,
		ConfigAggregator:   props.ConfigAggregator,
		AggregatorAccounts: props.AggregatorAccounts,
	})
	if err != nil {
		return nil, err
	}
	p.API, err = NewAPIStack(app, prefix+"Api", &APIStackProps{
		StackProps:         sp("user pool, HTTP API and API function"),
		Data:               p.Data,
		StateMachine:       p.Workflow.StateMachine,
		AlarmTopic:         p.Monitoring.AlarmTopic,
		LambdaDir:          props.LambdaDir,
		AllowedOrigins:     []string{*p.Web.Origin},
		Auth:               AuthProps{ThreatProtection: props.ThreatProtection, WebOrigins: []string{*p.Web.Origin}},
		ConfigAggregator:   props.ConfigAggregator,
		AggregatorAccounts: props.AggregatorAccounts,
	})
	if err != nil {
		return nil, err
	}
	p.Events, err = NewEventsStack(app, prefix+"Events", &EventsStackProps{
		StackProps:     sp("event rules, drift schedule and organization bus policy"),
		Deps:           Deps{Data: p.Data, StateMachine: p.Workflow.StateMachine, ConfigAggregator: props.ConfigAggregator, AggregatorAccounts: props.AggregatorAccounts},
		AlarmTopic:     p.Monitoring.AlarmTopic,
		LambdaDir:      props.LambdaDir,
		OrganizationID: props.OrganizationID,
	})
	if err != nil {
		return nil, err
	}
	wc := NewWebConfigStack(app, prefix+"WebConfig", &WebConfigStackProps{
		StackProps: sp("web app config.json"), Web: p.Web, API: p.API,
	})
	p.WebConfig = *wc
	return p, nil
}
