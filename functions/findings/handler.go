package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/compliance"
	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// handler turns one EventBridge event into stored evidence.
type handler struct {
	controls    *catalog.Controls
	distributor compliance.Distributor
	logger      *slog.Logger
}

// outcome is what handle did with one event.
type outcome struct {
	// Dropped says why an event that cannot be read was dropped.
	Dropped string `json:"dropped,omitempty"`
	// Evidence and Skipped count what the event carried: observations, and
	// valid entries that are not evidence (e.g. GuardDuty findings).
	Evidence int `json:"evidence"`
	Skipped  int `json:"skipped"`
	// Stored is what was stored, by tenant.
	Stored map[string]compliance.Tally `json:"stored"`
	// Unregistered lists the accounts no tenant registered; their evidence
	// is not kept.
	Unregistered []string `json:"unregistered,omitempty"`
}

// envelope is the part of an EventBridge event that names it in logs.
type envelope struct {
	ID         string `json:"id"`
	DetailType string `json:"detail-type"`
	Account    string `json:"account"`
}

// handle parses the event's findings or evaluations and stores them for
// each tenant that registered the account they are about. An event that
// cannot be read would fail the same way on every retry: it is logged and
// dropped. A store error is returned, so that Lambda retries the event
// (storing is idempotent) and finally moves it to the dead-letter queue.
func (h handler) handle(ctx context.Context, event json.RawMessage) (outcome, error) {
	out := outcome{Stored: map[string]compliance.Tally{}}
	var env envelope
	_ = json.Unmarshal(event, &env) // only for logging; Parse reports what is wrong
	log := h.logger.With("event", env.ID, "detail_type", env.DetailType, "account", env.Account)
	p, err := compliance.Parse(event, compliance.Options{Controls: h.controls})
	if errs.Is(err, errs.Malformed) || errs.Is(err, errs.Invalid) || errs.Is(err, errs.TooLarge) {
		log.WarnContext(ctx, "evidence event dropped", "error", err)
		out.Dropped = err.Error()
		return out, nil
	}
	if err != nil {
		return out, fmt.Errorf("parse evidence event %s: %w", env.ID, err)
	}
	out.Evidence, out.Skipped = len(p.Evidence), p.Skipped

	dist, err := h.distributor.Distribute(ctx, p.Evidence)
	out.Stored, out.Unregistered = dist.Stored, dist.Unregistered
	if err != nil {
		return out, fmt.Errorf("evidence event %s: %w", env.ID, err)
	}
	log.InfoContext(ctx, "evidence event", "evidence", out.Evidence, "skipped", out.Skipped,
		"tenants", len(out.Stored), "unregistered", len(out.Unregistered))
	return out, nil
}
