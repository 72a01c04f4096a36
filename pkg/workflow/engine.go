package workflow

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/accounts"
	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/builder"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/compliance"
	"github.com/bulwark-tm/bulwark/pkg/diff"
	"github.com/bulwark-tm/bulwark/pkg/drift"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/inventory"
	"github.com/bulwark-tm/bulwark/pkg/model"
	"github.com/bulwark-tm/bulwark/pkg/store"
)

// Engine runs builds, checks and syncs. Its fields are set by the
// composition root; it is safe for concurrent use.
type Engine struct {
	Store    store.Store
	Catalog  *catalog.Catalog
	Accounts *accounts.Registry
	Source   accounts.Source
	// Fetcher reads the full item of an AWS Config oversized change
	// notification (awsclient.ConfigFetcher); nil drops such events.
	Fetcher inventory.Fetcher
	// Now returns the current time; default time.Now.
	Now    func() time.Time
	Logger *slog.Logger
	// History has the settings (retention, summaries) of the versions
	// recorded for the models the Accelerator saves, whose author is the
	// workflow (AuthorBuild, AuthorSync); nil keeps
	// store.DefaultHistoryKeep versions summarized by diff.Summarize, as
	// the API does by default.
	History *store.History
	// Evidence, when set, is the evidence backfill of the scheduled run
	// (RunScheduled, PullEvidence); nil pulls no evidence.
	Evidence *EvidencePull
}

// The authors of the model versions the Accelerator records.
const (
	AuthorBuild = "accelerator build"
	AuthorSync  = "accelerator sync"
)

func (e *Engine) now() time.Time {
	if e.Now != nil {
		return e.Now().UTC()
	}
	return time.Now().UTC()
}

func (e *Engine) logger() *slog.Logger {
	if e.Logger != nil {
		return e.Logger
	}
	return slog.Default()
}

func (e *Engine) models() store.Models { return store.Models{Store: e.Store} }

// modelsBy returns the models whose saves record a version made by author.
func (e *Engine) modelsBy(author string) store.Models {
	h := e.History
	if h == nil {
		h = &store.History{Store: e.Store, Keep: store.DefaultHistoryKeep, Summarize: diff.Summarize, Logger: e.Logger, Now: e.Now}
	}
	return store.Models{Store: e.Store, History: h.As(author)}
}

// NewRun validates req, checks that the account is registered, and stores a
// pending run. It returns the run and the State of its first step.
func (e *Engine) NewRun(ctx context.Context, tenant string, req Request) (*Run, State, error) {
	if err := validateRequest(&req); err != nil {
		return nil, State{}, err
	}
	if _, err := e.Accounts.Usable(ctx, tenant, req.AccountID); err != nil {
		if errs.Is(err, errs.NotFound) {
			return nil, State{}, errs.Field("/accountId", "account %s is not registered", req.AccountID)
		}
		return nil, State{}, err
	}
	if req.ModelID == "" {
		req.ModelID = "tm-" + newRunID()[4:]
	}
	return e.newRun(ctx, tenant, ModeBuild, req, 0)
}

func (e *Engine) newRun(ctx context.Context, tenant, mode string, req Request, expected int64) (*Run, State, error) {
	run := &Run{ID: newRunID(), Tenant: tenant, Mode: mode, ModelID: req.ModelID, Request: req, Status: StatusPending, CreatedAt: e.now()}
	for _, s := range StepsOf(mode) {
		run.Steps = append(run.Steps, StepRun{Name: s.Name, Status: StatusPending})
	}
	if err := (runs{e.Store}).create(ctx, run); err != nil {
		return nil, State{}, err
	}
	return run, State{Tenant: tenant, RunID: run.ID, Mode: mode, Request: req, ExpectedRevision: expected}, nil
}

// NewCheck stores a pending drift check of the tenant's Accelerator model
// and returns it with the State of its step. It reads only the store (the
// model's link and its account), never the account's inventory: the
// check itself runs like a build (Starter), outside the request.
func (e *Engine) NewCheck(ctx context.Context, tenant, modelID string) (*Run, State, error) {
	l, err := e.usableLink(ctx, tenant, modelID)
	if err != nil {
		return nil, State{}, err
	}
	return e.newRun(ctx, tenant, ModeCheck, linkRequest(l), 0)
}

// NewSync stores a pending sync of the tenant's Accelerator model, to be
// applied if the model's revision still equals expected when it runs; it
// fails at once with Conflict when the revision differs already. Like
// NewCheck it reads only the store.
func (e *Engine) NewSync(ctx context.Context, tenant, modelID string, expected int64) (*Run, State, error) {
	l, err := e.usableLink(ctx, tenant, modelID)
	if err != nil {
		return nil, State{}, err
	}
	m, err := e.models().Get(ctx, tenant, modelID)
	if err != nil {
		return nil, State{}, err
	}
	if expected != 0 && m.Revision != expected {
		return nil, State{}, errs.ConflictAt(m.Revision, "model %s changed since revision %d; reload it and sync again", modelID, expected)
	}
	return e.newRun(ctx, tenant, ModeSync, linkRequest(l), m.Revision)
}

func linkRequest(l *Link) Request {
	return Request{AccountID: l.AccountID, Region: l.Region, VPC: l.VPC, ModelID: l.ModelID}
}

// usableLink returns the model's link when the tenant may read its
// account (accounts.Registry.Usable).
func (e *Engine) usableLink(ctx context.Context, tenant, modelID string) (*Link, error) {
	l, err := e.links().get(ctx, tenant, modelID)
	if err != nil {
		return nil, err
	}
	if _, err := e.Accounts.Usable(ctx, tenant, l.AccountID); err != nil {
		return nil, err
	}
	return l, nil
}

func validateRequest(req *Request) error {
	if !accounts.ValidAccountID(req.AccountID) {
		return errs.Field("/accountId", "must be a 12-digit AWS account id, got %q", req.AccountID)
	}
	if req.Region == "" || len(req.Region) > 32 {
		return errs.Field("/region", "is required, e.g. eu-west-1")
	}
	if !strings.HasPrefix(req.VPC, "vpc-") || len(req.VPC) > 64 {
		return errs.Field("/vpcId", "must be a VPC id such as vpc-0a1b2c3d, got %q", req.VPC)
	}
	if len(req.Name) > model.MaxNameLen {
		return errs.Field("/name", "at most %d characters", model.MaxNameLen)
	}
	return nil
}

// Run returns the tenant's run id, if the tenant may still read its
// account.
func (e *Engine) Run(ctx context.Context, tenant, id string) (*Run, error) {
	run, err := runs{e.Store}.get(ctx, tenant, id)
	if err != nil {
		return nil, err
	}
	if run.Mode == "" {
		run.Mode = ModeBuild // runs stored before modes
	}
	if _, err := e.Accounts.Usable(ctx, tenant, run.Request.AccountID); err != nil {
		return nil, fmt.Errorf("run %s: %w", id, err)
	}
	return run, nil
}

// RunAll runs every step of st's run (of its mode) in order, in-process.
func (e *Engine) RunAll(ctx context.Context, st State) (State, error) {
	var err error
	for _, s := range StepsOf(st.Mode) {
		if st, err = e.Step(ctx, s.Name, st); err != nil {
			return st, err
		}
	}
	return st, nil
}

// Step runs one step of a run and records its status, timing and output in
// the run. A step that already succeeded returns its recorded output
// without running again. When the step fails, the run is marked failed
// (the error is returned, so a Step Functions task retries or catches it);
// Fail records a failure that happened outside a step.
func (e *Engine) Step(ctx context.Context, name string, st State) (State, error) {
	spec, ok := stepSpec(name)
	if !ok {
		return st, errs.E(errs.Invalid, "no workflow step %q", name)
	}
	rs := runs{e.Store}
	start := e.now()
	var done *State
	run, err := rs.update(ctx, st.Tenant, st.RunID, func(r *Run) {
		sr := r.step(name)
		if sr == nil {
			return
		}
		if sr.Status == StatusSucceeded || sr.Status == StatusSkipped {
			done = sr.Output
			return
		}
		sr.Status, sr.StartedAt, sr.Error = StatusRunning, start, ""
		sr.Attempts++
		r.Status = StatusRunning
	})
	if err != nil {
		return st, err
	}
	if run.step(name) == nil {
		return st, errs.E(errs.Invalid, "run %s has no step %q", st.RunID, name)
	}
	if done != nil {
		return *done, nil
	}
	sctx, cancel := context.WithTimeout(ctx, spec.Timeout)
	out, status, stepErr := e.runStep(sctx, name, st)
	cancel()
	end := e.now()
	if stepErr == nil {
		if b, _ := json.Marshal(out); len(b) > MaxStateSize {
			stepErr = errs.E(errs.TooLarge, "step %s returned a state of %d bytes (limit %d)", name, len(b), MaxStateSize)
		}
	}
	modeSteps := StepsOf(st.Mode)
	last := name == modeSteps[len(modeSteps)-1].Name
	_, err = rs.update(ctx, st.Tenant, st.RunID, func(r *Run) {
		sr := r.step(name)
		sr.EndedAt, sr.DurationMS = end, end.Sub(sr.StartedAt).Milliseconds()
		if stepErr != nil {
			sr.Status, sr.Error = StatusFailed, stepErr.Error()
			r.Status, r.Error, r.EndedAt = StatusFailed, fmt.Sprintf("%s: %v", name, stepErr), end
			return
		}
		o := out
		sr.Status, sr.Output = status, &o
		if last {
			r.Status, r.EndedAt = StatusSucceeded, end
		}
	})
	if stepErr != nil {
		e.logger().WarnContext(ctx, "workflow step failed", "run", st.RunID, "step", name, "error", stepErr)
		return st, fmt.Errorf("run %s step %s: %w", st.RunID, name, stepErr)
	}
	if err != nil {
		return st, err
	}
	return out, nil
}

// Fail marks a run failed for a reason outside its steps (a Step Functions
// Catch, a crashed runner). It is idempotent.
func (e *Engine) Fail(ctx context.Context, tenant, runID, reason string) error {
	_, err := runs{e.Store}.update(ctx, tenant, runID, func(r *Run) {
		if r.Status == StatusSucceeded || r.Status == StatusFailed {
			return
		}
		r.Status, r.Error, r.EndedAt = StatusFailed, reason, e.now()
	})
	return err
}

func stepSpec(name string) (StepSpec, bool) {
	for _, list := range [][]StepSpec{Steps, CheckSteps, SyncSteps} {
		for _, s := range list {
			if s.Name == name {
				return s, true
			}
		}
	}
	return StepSpec{}, false
}

func (e *Engine) runStep(ctx context.Context, name string, st State) (State, string, error) {
	switch name {
	case StepCollect:
		return e.collect(ctx, st)
	case StepBuild:
		return e.build(ctx, st)
	case StepAnalyze:
		return e.analyze(ctx, st)
	case StepEvaluate:
		return e.evaluate(ctx, st)
	case StepPersist:
		return e.persist(ctx, st)
	case StepCheck:
		l, err := e.Check(ctx, st.Tenant, st.Request.ModelID)
		if err != nil {
			return st, "", err
		}
		st.SyncStatus, st.Drift = l.Status, &l.Counts
		return st, StatusSucceeded, nil
	case StepSync:
		res, err := e.Sync(ctx, st.Tenant, st.Request.ModelID, st.ExpectedRevision)
		if err != nil {
			return st, "", err
		}
		st.ModelRevision, st.SyncStatus, st.Drift = res.Model.Revision, res.Link.Status, &res.Link.Counts
		st.Applied, st.Dropped, st.Reopened = len(res.Applied.Changes), len(res.Dropped), len(res.Reopened)
		return st, StatusSucceeded, nil
	}
	return st, "", errs.E(errs.Invalid, "no workflow step %q", name)
}

// collect reads the account and region and keeps the inventory as a blob.
func (e *Engine) collect(ctx context.Context, st State) (State, string, error) {
	inv, err := e.inventory(ctx, st.Tenant, st.Request.AccountID, st.Request.Region)
	if err != nil {
		return st, "", err
	}
	ref := st.RunID + "/inventory"
	if err := e.putBlob(ctx, st.Tenant, ref, inv.Resources()); err != nil {
		return st, "", err
	}
	st.InventoryRef, st.Resources, st.SeenUntil = ref, inv.Len(), Watermark(inv)
	return st, StatusSucceeded, nil
}

// inventory reads the VPC resource types (accounts.VPCTypes) of the
// account in region, if the tenant may read the account.
func (e *Engine) inventory(ctx context.Context, tenant, accountID, region string) (*inventory.Inventory, error) {
	acct, err := e.Accounts.Usable(ctx, tenant, accountID)
	if err != nil {
		return nil, err
	}
	inv, err := e.Source.Collect(ctx, accounts.Scope{Account: acct, Region: region, Types: accounts.VPCTypes})
	if err != nil {
		return nil, fmt.Errorf("collect account %s in %s: %w", accountID, region, err)
	}
	return inv, nil
}

func (e *Engine) build(ctx context.Context, st State) (State, string, error) {
	var resources []*inventory.Resource
	if err := e.getBlob(ctx, st.Tenant, st.InventoryRef, &resources); err != nil {
		return st, "", err
	}
	inv := inventory.New()
	for _, r := range resources {
		inv.Add(r)
	}
	inv.Resolve()
	req := st.Request
	res, err := builder.Build(e.Catalog, inv, builder.Options{VPC: req.VPC, Account: req.AccountID, Region: req.Region, ModelID: req.ModelID})
	if err != nil {
		return st, "", fmt.Errorf("build %s: %w", req.VPC, err)
	}
	m := res.Model
	applyRequest(m, req, e.now())
	ref := st.RunID + "/model"
	if err := e.putBlob(ctx, st.Tenant, ref, m); err != nil {
		return st, "", err
	}
	st.ModelRef, st.Components = ref, len(m.Diagram.Components)
	return st, StatusSucceeded, nil
}

// applyRequest presets the model's metadata from the request.
func applyRequest(m *model.ThreatModel, req Request, now time.Time) {
	m.ProjectType = "AWS Cloud Application"
	if req.Name != "" {
		m.Name = req.Name
	}
	m.Version = req.Version
	if m.Version == "" {
		m.Version = now.Format("2006-01-02")
	}
	if req.Description != "" {
		m.Description = req.Description
	}
	if req.Facing != "" {
		m.Facing = req.Facing
	}
	if req.Priority != "" {
		m.Priority = req.Priority
	}
	if req.Labels != nil {
		m.Labels = append([]string(nil), req.Labels...)
	}
	m.Owner = req.Owner
}

func (e *Engine) analyze(ctx context.Context, st State) (State, string, error) {
	var m model.ThreatModel
	if err := e.getBlob(ctx, st.Tenant, st.ModelRef, &m); err != nil {
		return st, "", err
	}
	res := analysis.Analyze(e.Catalog, &m, func(id string) (*model.ThreatModel, error) {
		return e.models().Get(ctx, st.Tenant, id)
	})
	st.Threats, st.Requirements = len(res.Threats), len(res.Requirements)
	return st, StatusSucceeded, nil
}

// evaluate joins the built model's requirements with the evidence stored
// for its accounts (AWS Config rules and Security Hub findings,
// pkg/compliance) and records how many are compliant, non-compliant, or
// without evidence.
func (e *Engine) evaluate(ctx context.Context, st State) (State, string, error) {
	var m model.ThreatModel
	if err := e.getBlob(ctx, st.Tenant, st.ModelRef, &m); err != nil {
		return st, "", err
	}
	res := analysis.Analyze(e.Catalog, &m, func(id string) (*model.ThreatModel, error) {
		return e.models().Get(ctx, st.Tenant, id)
	})
	evs, err := compliance.Repo{Store: e.Store}.ForAccounts(ctx, st.Tenant, compliance.Accounts(&m))
	if err != nil {
		return st, "", err
	}
	v := compliance.BuildView(&m, res, evs, e.Catalog.Controls)
	st.Compliance = &ComplianceCounts{Compliant: v.Counts[compliance.Compliant], NonCompliant: v.Counts[compliance.NonCompliant],
		NotAvailable: v.Counts[compliance.NotAvailable], Evidence: len(evs)}
	return st, StatusSucceeded, nil
}

// persist creates the model, or syncs the existing one (keeping what users
// decided and drew), and records the link. The blobs are removed after.
func (e *Engine) persist(ctx context.Context, st State) (State, string, error) {
	var built model.ThreatModel
	if err := e.getBlob(ctx, st.Tenant, st.ModelRef, &built); err != nil {
		return st, "", err
	}
	built.Tenant = st.Tenant
	now := e.now()
	saved := &built
	existing, err := e.models().Get(ctx, st.Tenant, built.ID)
	switch {
	case errs.Is(err, errs.NotFound):
		built.CreatedAt = now
		if err := e.modelsBy(AuthorBuild).Create(ctx, &built); err != nil {
			return st, "", err
		}
		st.ModelRevision = built.Revision
	case err != nil:
		return st, "", err
	default:
		src, serr := drift.Source(existing)
		if serr != nil || src.VPC != st.Request.VPC {
			return st, "", errs.E(errs.Conflict, "model %s exists and was not built from %s", built.ID, st.Request.VPC)
		}
		res := drift.Sync(existing, &built)
		if err := e.modelsBy(AuthorBuild).Update(ctx, res.Model, existing.Revision); err != nil {
			return st, "", err
		}
		st.ModelRevision, saved = res.Model.Revision, res.Model
	}
	link := &Link{ModelID: built.ID, AccountID: st.Request.AccountID, Region: st.Request.Region, VPC: st.Request.VPC,
		Status: SyncInSync, LastBuild: now, LastCheck: now, LastSync: now, RunID: st.RunID, SeenUntil: st.SeenUntil,
		Drift:          &drift.Report{VPC: st.Request.VPC, Account: st.Request.AccountID, Region: st.Request.Region, Changes: []drift.Change{}},
		Contradictions: e.contradictionsOf(ctx, st.Tenant, saved)}
	if err := e.links().put(ctx, st.Tenant, link); err != nil {
		return st, "", err
	}
	for _, ref := range []string{st.InventoryRef, st.ModelRef} {
		e.deleteBlob(ctx, st.Tenant, ref)
	}
	return st, StatusSucceeded, nil
}

// putBlob stores v as the blob ref, replacing an older one (a retried step
// writes the same content again).
func (e *Engine) putBlob(ctx context.Context, tenant, ref string, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", ref, err)
	}
	rec := &store.Record{Tenant: tenant, Kind: KindBlob, ID: ref, Body: body, Summary: json.RawMessage(`{}`)}
	err = e.Store.Create(ctx, rec)
	if errs.Is(err, errs.Conflict) {
		old, gerr := e.Store.Get(ctx, tenant, KindBlob, ref)
		if gerr != nil {
			return fmt.Errorf("replace %s: %w", ref, gerr)
		}
		err = e.Store.Update(ctx, rec, old.Revision)
	}
	if err != nil {
		return fmt.Errorf("store %s: %w", ref, err)
	}
	return nil
}

func (e *Engine) getBlob(ctx context.Context, tenant, ref string, v any) error {
	if ref == "" {
		return errs.E(errs.Invalid, "the state names no blob; did an earlier step run?")
	}
	rec, err := e.Store.Get(ctx, tenant, KindBlob, ref)
	if err != nil {
		return fmt.Errorf("read %s: %w", ref, err)
	}
	if err := json.Unmarshal(rec.Body, v); err != nil {
		return fmt.Errorf("decode %s: %w", ref, err)
	}
	return nil
}

func (e *Engine) deleteBlob(ctx context.Context, tenant, ref string) {
	rec, err := e.Store.Get(ctx, tenant, KindBlob, ref)
	if err == nil {
		err = e.Store.Delete(ctx, tenant, KindBlob, ref, rec.Revision)
	}
	if err != nil && !errs.Is(err, errs.NotFound) {
		e.logger().WarnContext(ctx, "workflow: blob left behind", "blob", ref, "error", err)
	}
}
