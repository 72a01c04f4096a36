package workflow

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/bulwark-tm/bulwark/pkg/accounts"
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
		return nil, errs.E(errs.Malformed, "read change event: %w", res.Err)
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
			if c.Type == "AWS::EC2::VPC" {
				// A VPC was created, changed or deleted: list the account's VPCs again.
				if err := e.relistVPCs(ctx, t, c.AccountID); err != nil {
					return nil, err
				}
			}
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

// ReceiveEvent handles a change event a tenant submitted (POST
// /accelerator/events) the way `bulwark event` and EventBridge do: it
// refuses an event about an account the tenant may not use, and, when the
// Accelerator reads AWS Config files (accounts.DirSource), first keeps the
// event in the data directory's EventDir, as `bulwark event` does, so that
// the next check's inventory holds the change and the drift log shows it
// (not only "pending"). Then it marks the tenant's models like
// HandleEvent. Submitting the same event again changes nothing.
func (e *Engine) ReceiveEvent(ctx context.Context, data []byte, tenant string) (*EventResult, error) {
	if len(data) > MaxEventSize {
		return nil, errs.E(errs.TooLarge, "event of %d bytes is larger than %d", len(data), MaxEventSize)
	}
	r := inventory.NewReader(e.Fetcher)
	res := r.Parse(ctx, "event", data)
	if res.Err != nil {
		return nil, errs.E(errs.Malformed, "read change event: %w", res.Err)
	}
	for _, c := range append(r.Inventory.Resources(), r.Inventory.Deleted()...) {
		if _, err := e.Accounts.Usable(ctx, tenant, c.AccountID); err != nil {
			if errs.Is(err, errs.NotFound) {
				return nil, errs.E(errs.Forbidden, "change event for account %s: the account is not registered for this tenant", c.AccountID)
			}
			return nil, fmt.Errorf("change event for account %s: %w", c.AccountID, err)
		}
	}
	if d, ok := e.Source.(*accounts.DirSource); ok && res.Items > 0 {
		if _, err := SaveEvent(filepath.Join(d.Dir, EventDir), data); err != nil {
			return nil, err
		}
	}
	return e.HandleEvent(ctx, data, tenant)
}

// SaveEvent keeps a change event in dir (an Accelerator data directory's
// EventDir) as "event-HASH.json", HASH from its content, written through a
// temporary file and a rename so that a reader never sees half an event.
// Saving the same event again writes the same file. It returns the path.
func SaveEvent(dir string, data []byte) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("create %s: %w", dir, err)
	}
	sum := sha256.Sum256(data)
	dst := filepath.Join(dir, "event-"+hex.EncodeToString(sum[:8])+".json")
	if old, err := os.ReadFile(dst); err == nil && string(old) == string(data) {
		return dst, nil // already kept: leave its time alone so readers need not re-read
	}
	tmp, err := os.CreateTemp(dir, ".event-*.tmp")
	if err != nil {
		return "", fmt.Errorf("write event in %s: %w", dir, err)
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := cmp.Or(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("write %s: %w", dst, err)
	}
	return dst, nil
}

// ScanEvents handles, once, every *.json change event under dir that this
// call has not seen (the work WatchEvents repeats every period).
func (e *Engine) ScanEvents(ctx context.Context, dir string) {
	e.scanEvents(ctx, dir, map[string]bool{})
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
