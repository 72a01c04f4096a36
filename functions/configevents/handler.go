package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/workflow"
)

// handler handles one EventBridge event.
type handler struct {
	engine *workflow.Engine
	logger *slog.Logger
}

// envelope is the part of an EventBridge event that names it in logs.
type envelope struct {
	ID         string `json:"id"`
	DetailType string `json:"detail-type"`
	Account    string `json:"account"`
	Region     string `json:"region"`
}

// outcome is what handle did with one event: either it was dropped (and
// why) or HandleEvent's result.
type outcome struct {
	Dropped string                `json:"dropped,omitempty"`
	Result  *workflow.EventResult `json:"result,omitempty"`
}

// handle marks the models the change touches out of sync. An event that
// cannot be read (malformed, too large, or without a configuration item)
// would fail the same way on every retry: it is logged and dropped. Any
// other error is returned, so that Lambda retries the event and finally
// moves it to the dead-letter queue.
func (h handler) handle(ctx context.Context, event json.RawMessage) (outcome, error) {
	var env envelope
	_ = json.Unmarshal(event, &env) // only for logging; HandleEvent reports what is wrong
	log := h.logger.With("event", env.ID, "detail_type", env.DetailType, "account", env.Account, "region", env.Region)
	res, err := h.engine.HandleEvent(ctx, event, "")
	if errs.Is(err, errs.Malformed) || errs.Is(err, errs.Invalid) || errs.Is(err, errs.TooLarge) {
		log.WarnContext(ctx, "config change event dropped", "error", err)
		return outcome{Dropped: err.Error()}, nil
	}
	if err != nil {
		return outcome{}, fmt.Errorf("handle config change event %s: %w", env.ID, err)
	}
	log.InfoContext(ctx, "config change event", "resources", len(res.Resources), "marked", len(res.Marked), "ignored", res.Ignored)
	return outcome{Result: res}, nil
}
