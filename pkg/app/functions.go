package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/bulwark-tm/bulwark/pkg/accounts"
	"github.com/bulwark-tm/bulwark/pkg/api"
	"github.com/bulwark-tm/bulwark/pkg/awsclient"
	"github.com/bulwark-tm/bulwark/pkg/compliance"
	"github.com/bulwark-tm/bulwark/pkg/compliance/awsevidence"
	"github.com/bulwark-tm/bulwark/pkg/workflow"
)

// This file builds the handler each Lambda of functions/ passes to
// lambda.Start, from what every function starts with (Lambda). The work
// itself lives in the domain packages; these only wire it.

// FindingsHandler is the handler of functions/findings: each EventBridge
// evidence event becomes evidence stored for the tenants that registered
// and verified its account (compliance.EventHandler).
func FindingsHandler(l *Lambda) func(context.Context, json.RawMessage) (compliance.EventResult, error) {
	return compliance.EventHandler{
		Controls:    l.Catalog.Controls,
		Distributor: compliance.Distributor{Owners: &accounts.Registry{Store: l.Store}, Repo: compliance.Repo{Store: l.Store}},
		Logger:      l.Logger,
	}.Handle
}

// ConfigEventsHandler is the handler of functions/configevents: each AWS
// Config change event marks the models built from the changed resource's
// VPC out of sync, for every tenant that registered the account
// (workflow.Engine.HandleBusEvent). It fails when the Accelerator is off
// (see Config.Engine).
func ConfigEventsHandler(ctx context.Context, l *Lambda) (func(context.Context, json.RawMessage) (workflow.BusEventOutcome, error), error) {
	eng, err := l.Config.Engine(ctx, l.Store, l.Catalog, l.Logger)
	if err != nil {
		return nil, fmt.Errorf("accelerator: %w", err)
	}
	return eng.HandleBusEvent, nil
}

// VPCBuildHandler is the handler of functions/vpcbuild: each task of the
// VPC build state machine runs one step, or records the failure its Catch
// caught (workflow.Engine.RunTask). A failed task's error reaches Step
// Functions as a Lambda error whose type is its workflow.ErrorName
// ("Bulwark.Unavailable"), the name the state machine's Retry and Catch
// match: the Lambda runtime keeps the type of an error that is a
// messages.InvokeResponse_Error (not one that wraps it), and of any other
// reports the Go type's name. It fails when the Accelerator is off (see
// Config.Engine).
func VPCBuildHandler(ctx context.Context, l *Lambda) (func(context.Context, workflow.TaskInput) (workflow.State, error), error) {
	eng, err := l.Config.Engine(ctx, l.Store, l.Catalog, l.Logger)
	if err != nil {
		return nil, fmt.Errorf("accelerator: %w", err)
	}
	return func(ctx context.Context, in workflow.TaskInput) (workflow.State, error) {
		st, err := eng.RunTask(ctx, in)
		if err != nil {
			return st, messages.InvokeResponse_Error{Type: workflow.ErrorName(err), Message: err.Error()}
		}
		return st, nil
	}, nil
}

// DriftHandler is the handler of functions/drift, which the EventBridge
// schedule invokes: it checks every linked model against its VPC, in aws
// mode pulls the evidence of the verified accounts that are due
// (withEvidencePull) and, when the Jira integration is on, pulls the
// status of the tenants' linked Jira issues
// (workflow.Engine.RunScheduled); the scheduled event carries nothing it
// needs. It fails when the Accelerator is off (see
// Config.Engine) or the Jira integration cannot be opened.
func DriftHandler(ctx context.Context, l *Lambda) (func(context.Context, json.RawMessage) (workflow.ScheduledResult, error), error) {
	eng, err := l.Config.Engine(ctx, l.Store, l.Catalog, l.Logger)
	if err == nil {
		err = withEvidencePull(l.Config, eng)
	}
	if err != nil {
		return nil, fmt.Errorf("accelerator: %w", err)
	}
	jsvc, on, err := l.Config.JiraService(ctx, l.Store, l.Catalog, l.Logger)
	if err != nil {
		return nil, fmt.Errorf("jira integration: %w", err)
	}
	var pull workflow.Puller // nil: the integration is off
	if on {
		pull = func(ctx context.Context, tenant string) (int, error) {
			pulls, err := jsvc.PullAll(ctx, tenant)
			return len(pulls), err
		}
	}
	return func(ctx context.Context, _ json.RawMessage) (workflow.ScheduledResult, error) {
		return eng.RunScheduled(ctx, pull)
	}, nil
}

// JiraWebhookHandler is the handler of functions/jirawebhook: the Jira
// webhook route alone (api.NewJiraWebhook; every other request is a 404),
// adapted to API Gateway HTTP API events like LambdaAPI's. Deliveries are
// authenticated by their signature under the instance's webhook secret,
// so the function fails to start without a secret store.
func JiraWebhookHandler(ctx context.Context, l *Lambda) (APIHandler, error) {
	jsvc, on, err := l.Config.JiraService(ctx, l.Store, l.Catalog, l.Logger)
	if err == nil && !on {
		err = errors.New("no secret store configured (BULWARK_SECRETS)")
	}
	if err != nil {
		return nil, fmt.Errorf("jira integration: %w", err)
	}
	h := api.NewJiraWebhook(api.Deps{Store: l.Store, Logger: l.Logger, Version: Version, Catalog: l.Catalog, Jira: jsvc})
	return httpadapter.NewV2(h).ProxyWithContext, nil
}

// withEvidencePull gives eng, in aws mode (its Source reads AWS Config)
// and unless c.EvidenceEvery is 0, the scheduled evidence pull: each
// verified account's Security Hub findings and AWS Config rule
// evaluations, read by awsevidence.Sources with the inventory's member
// roles or aggregator. In files mode there is nothing to pull (evidence
// is imported), and with the Accelerator off there is no schedule. Only
// the schedule's hosts (DriftHandler, RunAccelerator) call it, so that the
// API Lambda, which never pulls, does not link the Security Hub client
// (its zip must stay under 10 MiB, infra/build-lambdas.sh).
func withEvidencePull(c Config, eng *workflow.Engine) error {
	every, err := c.evidenceEvery()
	if err != nil {
		return err
	}
	src, ok := eng.Source.(*awsclient.ConfigSource)
	if !ok || every == 0 {
		return nil
	}
	eng.Evidence = &workflow.EvidencePull{Sources: &awsevidence.Sources{Base: src.Base, Roles: src.Roles, Aggregator: src.Aggregator}, Every: every}
	return nil
}
