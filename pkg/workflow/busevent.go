package workflow

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// BusEventOutcome is what HandleBusEvent did with one event: either it was
// dropped (and why) or HandleEvent's result.
type BusEventOutcome struct {
	Dropped string       `json:"dropped,omitempty"`
	Result  *EventResult `json:"result,omitempty"`
}

// busEnvelope is the part of an EventBridge event that names it in logs.
type busEnvelope struct {
	ID         string `json:"id"`
	DetailType string `json:"detail-type"`
	Account    string `json:"account"`
	Region     string `json:"region"`
}

// HandleBusEvent handles one AWS Config configuration item change from the
// platform's event bus, the configevents Lambda's work
// (app.ConfigEventsHandler): it marks out of sync the models the change
// touches, for every tenant that registered the account (HandleEvent with
// no tenant). An event that cannot be read (malformed, too large, or
// without a configuration item) would fail the same way on every retry:
// it is logged and dropped, with a nil error. Any other error is returned,
// so that Lambda retries the event and finally moves it to the dead-letter
// queue. Like HandleEvent, it is idempotent.
func (e *Engine) HandleBusEvent(ctx context.Context, event json.RawMessage) (BusEventOutcome, error) {
	var env busEnvelope
	_ = json.Unmarshal(event, &env) // only for logging; HandleEvent reports what is wrong
	log := e.logger().With("event", env.ID, "detail_type", env.DetailType, "account", env.Account, "region", env.Region)
	res, err := e.HandleEvent(ctx, event, "")
	if errs.Is(err, errs.Malformed) || errs.Is(err, errs.Invalid) || errs.Is(err, errs.TooLarge) {
		log.WarnContext(ctx, "config change event dropped", "error", err)
		return BusEventOutcome{Dropped: err.Error()}, nil
	}
	if err != nil {
		return BusEventOutcome{}, fmt.Errorf("handle config change event %s: %w", env.ID, err)
	}
	log.InfoContext(ctx, "config change event", "resources", len(res.Resources), "marked", len(res.Marked), "ignored", res.Ignored)
	return BusEventOutcome{Result: res}, nil
}
