package workflow

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

// MaxEventSize bounds one change event (EventBridge allows 256 KiB).
const MaxEventSize = 1 << 20

// EventResult is what HandleEvent did.
type EventResult struct {
	// Resources are the changed resources the event carried.
	Resources []inventory.Key `json:"resources"`
	// Marked lists the models newly marked out of sync (with their
	// tenant when the event was handled for every tenant).
	Marked []Marked `json:"marked"`
	// Ignored counts links the event touched that had already seen it
	// (a replay, or a change older than their last check).
	Ignored int `json:"ignored"`
}

// Marked is one model an event marked out of sync.
type Marked struct {
	Tenant  string `json:"tenant,omitempty"`
	ModelID string `json:"modelId"`
}

// HandleEvent reads an AWS Config configuration item change (an
// EventBridge "Config Configuration Item Change" event, an SNS
// notification or a bare item; for an oversized change notification the
// full item comes from the Fetcher) and marks out of sync the models built from
// the VPC each changed resource belongs to (every model of the account and
// region when the VPC cannot be told). It does no rebuild; the next check
// computes the drift. tenant limits the marking to one tenant; empty means
// every tenant that registered the account.
//
// It is idempotent: a replayed event, or one older than a model's last
// check, changes nothing.
func (e *Engine) HandleEvent(ctx context.Context, data []byte, tenant string) (*EventResult, error) {
	if len(data) > MaxEventSize {
		return nil, errs.E(errs.TooLarge, "event of %d bytes is larger than %d", len(data), MaxEventSize)
	}
	r := inventory.NewReader(e.Fetcher)
	res := r.Parse(ctx, "event", data)
	if res.Err != nil {
		return nil, errs.Wrap(errs.Malformed, res.Err, "read change event")
	}
	changed := append(r.Inventory.Resources(), r.Inventory.Deleted()...)
	if len(changed) == 0 {
		msg := "the event carries no configuration item"
		if len(res.Skipped) > 0 {
			msg += ": " + res.Skipped[0].Message
		}
		return nil, errs.E(errs.Invalid, "%s", msg)
	}
	out := &EventResult{Resources: []inventory.Key{}, Marked: []Marked{}}
	for _, c := range changed {
		out.Resources = append(out.Resources, c.Key())
		tenants := []string{tenant}
		if tenant == "" {
			var err error
			if tenants, err = e.Accounts.Tenants(ctx, c.AccountID); err != nil {
				return nil, err
			}
		}
		vpc := vpcOf(c)
		change := PendingChange{Key: fmt.Sprintf("%s/%s@%s", c.Type, c.ID, c.CaptureTime.UTC().Format("2006-01-02T15:04:05.000Z")),
			ResourceType: c.Type, ResourceID: c.ID, ChangeType: "UPDATE", CaptureTime: c.CaptureTime}
		if c.Deleted() {
			change.ChangeType = "DELETE"
		}
		for _, t := range tenants {
			ls, err := e.Links(ctx, t)
			if err != nil {
				return nil, err
			}
			for _, s := range ls {
				if s.AccountID != c.AccountID || s.Region != c.Region || (vpc != "" && s.VPC != vpc) {
					continue
				}
				marked := false
				_, err := e.links().update(ctx, t, s.ModelID, false, func(l *Link) bool {
					if !c.CaptureTime.After(l.SeenUntil) || slices.ContainsFunc(l.Pending, func(p PendingChange) bool { return p.Key == change.Key }) {
						return false
					}
					l.Pending = append(l.Pending, change)
					if len(l.Pending) > MaxPending {
						l.Pending = l.Pending[len(l.Pending)-MaxPending:]
					}
					marked = l.Status != SyncOutOfSync
					l.Status = SyncOutOfSync
					return true
				})
				if errs.Is(err, errs.NotFound) {
					continue
				}
				if err != nil {
					return nil, err
				}
				if marked {
					m := Marked{ModelID: s.ModelID}
					if tenant == "" {
						m.Tenant = t
					}
					out.Marked = append(out.Marked, m)
				} else {
					out.Ignored++
				}
			}
		}
	}
	return out, nil
}

// vpcOf returns the VPC a resource belongs to, or "" when the item does
// not say.
func vpcOf(r *inventory.Resource) string {
	if r.Type == "AWS::EC2::VPC" {
		return r.ID
	}
	for _, rel := range r.Relationships {
		if rel.Type == "AWS::EC2::VPC" && rel.ID != "" {
			return rel.ID
		}
	}
	var conf struct {
		VPCID     string `json:"vpcId"`
		VPCConfig struct {
			VPCID string `json:"vpcId"`
		} `json:"vpcConfig"`
	}
	if len(r.Configuration) > 0 && json.Unmarshal(r.Configuration, &conf) == nil {
		if conf.VPCID != "" {
			return conf.VPCID
		}
		return conf.VPCConfig.VPCID
	}
	return ""
}
