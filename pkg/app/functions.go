package app

import (
	"context"
	"encoding/json"

	"github.com/bulwark-tm/bulwark/pkg/accounts"
	"github.com/bulwark-tm/bulwark/pkg/compliance"
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
		return nil, err
	}
	return eng.HandleBusEvent, nil
}
