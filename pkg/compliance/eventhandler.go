package compliance

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// EventHandler turns one event of the platform's event bus ("Security Hub
// Findings - Imported", "Findings Imported V2", "Config Rules Compliance
// Change") into stored evidence: it parses the event (Parse) and stores
// the evidence for the tenants that own its accounts (Distributor). The
// findings Lambda runs it for every event (app.FindingsHandler). It is
// safe for concurrent use.
type EventHandler struct {
	// Controls maps CIS items and Config rule names to Security Hub
	// controls (Options.Controls).
	Controls    *catalog.Controls
	Distributor Distributor
	// Logger gets one line per event; nil logs to slog.Default().
	Logger *slog.Logger
}

// EventResult is what Handle did with one event.
type EventResult struct {
	// Dropped says why an event that cannot be read was dropped.
	Dropped string `json:"dropped,omitempty"`
	// Evidence and Skipped count what the event carried: observations, and
	// valid entries that are not evidence (e.g. GuardDuty findings).
	Evidence int `json:"evidence"`
	Skipped  int `json:"skipped"`
	// Distribution is what was stored, by tenant, and the accounts no
	// tenant owns, whose evidence is not kept.
	Distribution
}

// eventEnvelope is the part of an EventBridge event that names it in logs.
type eventEnvelope struct {
	ID         string `json:"id"`
	DetailType string `json:"detail-type"`
	Account    string `json:"account"`
}

// Handle parses the event's findings or evaluations and stores them for
// each tenant that registered and verified the account they are about. An
// event that cannot be read (malformed, invalid or too large) would fail
// the same way on every retry: it is logged and dropped, with a nil error.
// Any other error, such as the store's, is returned, so that Lambda
// retries the event (storing is idempotent) and finally moves it to the
// dead-letter queue.
func (h EventHandler) Handle(ctx context.Context, event json.RawMessage) (EventResult, error) {
	out := EventResult{Distribution: Distribution{Stored: map[string]Tally{}}}
	var env eventEnvelope
	_ = json.Unmarshal(event, &env) // only for logging; Parse reports what is wrong
	logger := h.Logger
	if logger == nil {
		logger = slog.Default()
	}
	log := logger.With("event", env.ID, "detail_type", env.DetailType, "account", env.Account)
	p, err := Parse(event, Options{Controls: h.Controls})
	if errs.Is(err, errs.Malformed) || errs.Is(err, errs.Invalid) || errs.Is(err, errs.TooLarge) {
		log.WarnContext(ctx, "evidence event dropped", "error", err)
		out.Dropped = err.Error()
		return out, nil
	}
	if err != nil {
		return out, fmt.Errorf("parse evidence event %s: %w", env.ID, err)
	}
	out.Evidence, out.Skipped = len(p.Evidence), p.Skipped

	out.Distribution, err = h.Distributor.Distribute(ctx, p.Evidence)
	if err != nil {
		return out, fmt.Errorf("evidence event %s: %w", env.ID, err)
	}
	log.InfoContext(ctx, "evidence event", "evidence", out.Evidence, "skipped", out.Skipped,
		"tenants", len(out.Stored), "unregistered", len(out.Unregistered))
	return out, nil
}
