package app

import (
	"context"
	"encoding/json"

	"github.com/bulwark-tm/bulwark/pkg/accounts"
	"github.com/bulwark-tm/bulwark/pkg/compliance"
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
