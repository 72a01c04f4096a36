package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/drift"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/inventory"
	"github.com/bulwark-tm/bulwark/pkg/store"
)

// SyncStatus says whether a model matches its VPC.
type SyncStatus string

// The sync statuses. The dashboard shows "none yet" for a VPC without
// models.
const (
	SyncUnknown   SyncStatus = "unknown" // not checked since it was built
	SyncInSync    SyncStatus = "in-sync"
	SyncOutOfSync SyncStatus = "out-of-sync"
)

// Bounds of a link record.
const (
	MaxDriftChanges = 500 // changes kept in the drift log
	MaxPending      = 50  // change events kept until the next check
)

// Link ties an Accelerator model to the VPC it was built from.
type Link struct {
	ModelID   string     `json:"modelId"`
	AccountID string     `json:"accountId"`
	Region    string     `json:"region"`
	VPC       string     `json:"vpcId"`
	Status    SyncStatus `json:"syncStatus"`
	RunID     string     `json:"runId,omitempty"` // the build that made or last rebuilt it
	LastBuild time.Time  `json:"lastBuild,omitzero"`
	LastCheck time.Time  `json:"lastCheck,omitzero"`
	LastSync  time.Time  `json:"lastSync,omitzero"`
	// SeenUntil is the newest capture time in the inventory of the last
	// build, check or sync: change events captured up to it are reflected.
	SeenUntil time.Time `json:"seenUntil,omitzero"`
	// Drift is the last check's report (at most MaxDriftChanges changes;
	// Truncated says more were found).
	Drift     *drift.Report `json:"drift,omitempty"`
	Truncated bool          `json:"truncated,omitempty"`
	Counts    DriftCounts   `json:"counts"`
	// Pending lists change events seen since the last check.
	Pending  []PendingChange `json:"pending,omitempty"`
	CheckErr string          `json:"checkError,omitempty"`
	Revision int64           `json:"revision"`
	// Contradictions is what current evidence says against the model, as
	// last computed (see DriftLog); nil when not computed yet.
	Contradictions *ContradictionLog `json:"contradictionLog,omitempty"`
}

// DriftCounts counts a drift report's changes by kind.
type DriftCounts struct {
	OnlyInModel int `json:"onlyInModel"`
	OnlyInVPC   int `json:"onlyInVpc"`
	Changed     int `json:"changed"`
}

// PendingChange is an AWS Config change seen since the last check.
type PendingChange struct {
	Key          string    `json:"key"` // resource and capture time: replaying the event finds it
	ResourceType string    `json:"resourceType"`
	ResourceID   string    `json:"resourceId"`
	ChangeType   string    `json:"changeType"` // CREATE/UPDATE or DELETE
	CaptureTime  time.Time `json:"captureTime"`
}

// LinkSummary is the part of a link stored in its record's summary, for
// listings.
type LinkSummary struct {
	ModelID   string      `json:"modelId"`
	AccountID string      `json:"accountId"`
	Region    string      `json:"region"`
	VPC       string      `json:"vpcId"`
	Status    SyncStatus  `json:"syncStatus"`
	LastCheck time.Time   `json:"lastCheck,omitzero"`
	Counts    DriftCounts `json:"counts"`
}

func (l *Link) summary() LinkSummary {
	return LinkSummary{ModelID: l.ModelID, AccountID: l.AccountID, Region: l.Region, VPC: l.VPC, Status: l.Status, LastCheck: l.LastCheck, Counts: l.Counts}
}

// setReport records a drift report, bounded.
func (l *Link) setReport(r *drift.Report, at time.Time) {
	l.Counts = DriftCounts{OnlyInModel: r.Count(drift.OnlyInModel), OnlyInVPC: r.Count(drift.OnlyInVPC), Changed: r.Count(drift.Changed)}
	l.Truncated = len(r.Changes) > MaxDriftChanges
	if l.Truncated {
		c := *r
		c.Changes = r.Changes[:MaxDriftChanges]
		r = &c
	}
	if r.Changes == nil {
		c := *r
		c.Changes = []drift.Change{}
		r = &c
	}
	l.Drift, l.LastCheck, l.Pending, l.CheckErr = r, at, nil, ""
	l.Status = SyncInSync
	if !r.InSync() {
		l.Status = SyncOutOfSync
	}
}

// Links reads and writes link records.
type links struct{ st store.Store }

func (e *Engine) links() links { return links{e.Store} }

func (s links) get(ctx context.Context, tenant, modelID string) (*Link, error) {
	rec, err := s.st.Get(ctx, tenant, KindLink, modelID)
	if err != nil {
		return nil, fmt.Errorf("get VPC link of model %s: %w", modelID, err)
	}
	var l Link
	if err := json.Unmarshal(rec.Body, &l); err != nil {
		return nil, fmt.Errorf("decode VPC link of model %s: %w", modelID, err)
	}
	l.Revision = rec.Revision
	return &l, nil
}

func (s links) record(tenant string, l *Link) (*store.Record, error) {
	body, err := json.Marshal(l)
	if err != nil {
		return nil, fmt.Errorf("encode VPC link of model %s: %w", l.ModelID, err)
	}
	sum, _ := json.Marshal(l.summary())
	return &store.Record{Tenant: tenant, Kind: KindLink, ID: l.ModelID, Body: body, Summary: sum}, nil
}

// put creates or replaces the link, whatever its revision.
func (s links) put(ctx context.Context, tenant string, l *Link) error {
	_, err := s.update(ctx, tenant, l.ModelID, true, func(old *Link) bool {
		*old = *l
		return true
	})
	return err
}

// update applies change to the stored link (or, with create, to a new
// one), retrying on concurrent writers. change returns false to leave the
// link as it is.
func (s links) update(ctx context.Context, tenant, modelID string, create bool, change func(*Link) bool) (*Link, error) {
	for range 10 {
		l, err := s.get(ctx, tenant, modelID)
		isNew := false
		switch {
		case errs.Is(err, errs.NotFound) && create:
			l, isNew = &Link{ModelID: modelID}, true
		case err != nil:
			return nil, err
		}
		rev := l.Revision
		if !change(l) {
			return l, nil
		}
		l.ModelID = modelID
		rec, err := s.record(tenant, l)
		if err != nil {
			return nil, err
		}
		if isNew {
			err = s.st.Create(ctx, rec)
		} else {
			err = s.st.Update(ctx, rec, rev)
		}
		if errs.Is(err, errs.Conflict) || (!isNew && errs.Is(err, errs.NotFound)) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("write VPC link of model %s: %w", modelID, err)
		}
		l.Revision = rec.Revision
		return l, nil
	}
	return nil, errs.E(errs.Unavailable, "VPC link of model %s: too many concurrent writers", modelID)
}

// Link returns the VPC link of the tenant's model; NotFound when the model
// was not built by the Accelerator, and the error of
// accounts.Registry.Usable when the tenant may not read its account (any
// longer).
func (e *Engine) Link(ctx context.Context, tenant, modelID string) (*Link, error) {
	return e.usableLink(ctx, tenant, modelID)
}

// Links lists the tenant's link summaries, by model id.
func (e *Engine) Links(ctx context.Context, tenant string) ([]LinkSummary, error) {
	recs, err := store.ListAll(ctx, e.Store, tenant, KindLink)
	if err != nil {
		return nil, fmt.Errorf("list VPC links: %w", err)
	}
	out := make([]LinkSummary, 0, len(recs))
	for _, r := range recs {
		var s LinkSummary
		if err := json.Unmarshal(r.Summary, &s); err != nil {
			return nil, fmt.Errorf("decode VPC link of model %s: %w", r.ID, err)
		}
		out = append(out, s)
	}
	return out, nil
}

// Unlink removes a model's link (when the model is deleted). It is
// idempotent.
func (e *Engine) Unlink(ctx context.Context, tenant, modelID string) error {
	l, err := e.links().get(ctx, tenant, modelID)
	if errs.Is(err, errs.NotFound) {
		return nil
	}
	if err == nil {
		err = e.Store.Delete(ctx, tenant, KindLink, modelID, l.Revision)
	}
	if err != nil && !errs.Is(err, errs.NotFound) {
		return fmt.Errorf("unlink model %s: %w", modelID, err)
	}
	return nil
}

// Check rebuilds the model's VPC from the account's current inventory,
// compares it with the model and records the drift in the link.
func (e *Engine) Check(ctx context.Context, tenant, modelID string) (*Link, error) {
	l, err := e.links().get(ctx, tenant, modelID)
	if err != nil {
		return nil, err
	}
	started := e.now()
	m, err := e.models().Get(ctx, tenant, modelID)
	if errs.Is(err, errs.NotFound) {
		// The model was deleted: the link goes too.
		return nil, errors.Join(err, e.Unlink(ctx, tenant, modelID))
	}
	if err != nil {
		return nil, err
	}
	inv, err := e.inventory(ctx, tenant, l.AccountID, l.Region)
	var report *drift.Report
	if err == nil {
		report, _, err = drift.Compare(e.Catalog, m, inv)
	}
	if err != nil {
		_, _ = e.links().update(ctx, tenant, modelID, false, func(l *Link) bool {
			l.CheckErr = err.Error()
			return true
		})
		return nil, fmt.Errorf("check model %s: %w", modelID, err)
	}
	contra := e.contradictionsOf(ctx, tenant, m)
	return e.links().update(ctx, tenant, modelID, false, func(l *Link) bool {
		l.Contradictions = contra
		seen := Watermark(inv)
		keep := slices.DeleteFunc(slices.Clone(l.Pending), func(p PendingChange) bool { return !p.CaptureTime.After(seen) })
		l.setReport(report, started)
		l.SeenUntil = seen
		if len(keep) > 0 {
			// Changes newer than this check's inventory stay pending.
			l.Pending, l.Status = keep, SyncOutOfSync
		}
		return true
	})
}

// CheckSummary sums up CheckAll.
type CheckSummary struct {
	Tenants   int `json:"tenants"`
	Models    int `json:"models"`
	InSync    int `json:"inSync"`
	OutOfSync int `json:"outOfSync"`
	Failed    int `json:"failed"`
}

// CheckAll checks every linked model of every tenant that registered an
// account (the schedule's job), after listing each usable account's VPCs
// again for the dashboard. A model whose check fails is counted and
// logged; the others go on. It fails only when the tenants cannot be
// listed.
func (e *Engine) CheckAll(ctx context.Context) (CheckSummary, error) {
	var sum CheckSummary
	tenants, err := e.Accounts.AllTenants(ctx)
	if err != nil {
		return sum, err
	}
	for _, t := range tenants {
		sum.Tenants++
		if err := e.refreshAllVPCs(ctx, t); err != nil {
			e.logger().WarnContext(ctx, "drift check: cannot list accounts", "tenant", t, "error", err)
		}
		ls, err := e.Links(ctx, t)
		if err != nil {
			e.logger().WarnContext(ctx, "drift check: cannot list links", "tenant", t, "error", err)
			sum.Failed++
			continue
		}
		for _, s := range ls {
			if err := ctx.Err(); err != nil {
				return sum, err
			}
			sum.Models++
			l, err := e.Check(ctx, t, s.ModelID)
			switch {
			case err != nil:
				sum.Failed++
				e.logger().WarnContext(ctx, "drift check failed", "tenant", t, "model", s.ModelID, "error", err)
			case l.Status == SyncInSync:
				sum.InSync++
			default:
				sum.OutOfSync++
			}
		}
	}
	return sum, nil
}

// SyncResult is what Sync did.
type SyncResult struct {
	Model    ModelRef      `json:"model"`
	Applied  *drift.Report `json:"applied"`
	Dropped  []string      `json:"dropped"`
	Reopened []string      `json:"reopened"`
	Link     *Link         `json:"link"`
}

// ModelRef names a model revision.
type ModelRef struct {
	ID       string `json:"id"`
	Revision int64  `json:"revision"`
}

// Sync applies the VPC's current state to the model one way (pkg/drift)
// and stores it if its revision still equals expected (0 skips the check).
func (e *Engine) Sync(ctx context.Context, tenant, modelID string, expected int64) (*SyncResult, error) {
	l, err := e.links().get(ctx, tenant, modelID)
	if err != nil {
		return nil, err
	}
	m, err := e.models().Get(ctx, tenant, modelID)
	if err != nil {
		return nil, err
	}
	if expected != 0 && m.Revision != expected {
		return nil, errs.ConflictAt(m.Revision, "model %s changed since revision %d; reload it and sync again", modelID, expected)
	}
	started := e.now()
	inv, err := e.inventory(ctx, tenant, l.AccountID, l.Region)
	if err != nil {
		return nil, err
	}
	_, built, err := drift.Compare(e.Catalog, m, inv)
	if err != nil {
		return nil, fmt.Errorf("sync model %s: %w", modelID, err)
	}
	res := drift.Sync(m, built.Model)
	if err := e.modelsBy(AuthorSync).Update(ctx, res.Model, m.Revision); err != nil {
		return nil, err
	}
	contra := e.contradictionsOf(ctx, tenant, res.Model)
	link, err := e.links().update(ctx, tenant, modelID, false, func(l *Link) bool {
		l.Contradictions = contra
		l.setReport(&drift.Report{VPC: l.VPC, Account: l.AccountID, Region: l.Region}, started)
		l.LastSync, l.SeenUntil = started, Watermark(inv)
		return true
	})
	if err != nil {
		return nil, err
	}
	out := &SyncResult{Model: ModelRef{ID: modelID, Revision: res.Model.Revision}, Applied: res.Report,
		Dropped: res.Dropped, Reopened: res.Reopened, Link: link}
	if out.Dropped == nil {
		out.Dropped = []string{}
	}
	if out.Reopened == nil {
		out.Reopened = []string{}
	}
	return out, nil
}

// Watermark returns the newest capture time of inv's items (deleted ones
// included).
func Watermark(inv *inventory.Inventory) time.Time {
	var w time.Time
	for _, rs := range [][]*inventory.Resource{inv.Resources(), inv.Deleted()} {
		for _, r := range rs {
			if r.CaptureTime.After(w) {
				w = r.CaptureTime
			}
		}
	}
	return w.UTC()
}
