package workflow

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/accounts"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/compliance"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/model"
	"github.com/bulwark-tm/bulwark/pkg/store"
)

// EvidenceSources opens the readers of one member account's compliance
// evidence in one region: Security Hub findings and AWS Config rule
// evaluations, read with the account's member role or through the
// aggregator. Either reader may be nil (nothing to read there). Opening
// must not call AWS; reading does. awsevidence.Sources implements it.
type EvidenceSources interface {
	Open(ctx context.Context, a *accounts.Account, region string) (compliance.FindingsSource, compliance.EvaluationsSource, error)
}

// Defaults of EvidencePull.
const (
	// DefaultEvidenceEvery is how old an account's last successful pull
	// may get before the scheduled run pulls it again: a daily
	// reconciliation; events keep the evidence current in between.
	DefaultEvidenceEvery = 24 * time.Hour
	// DefaultEvidenceBudget bounds one run's pulling. The drift Lambda
	// runs every 15 minutes with a 10-minute timeout and checks drift
	// first; what does not fit is pulled by the next run.
	DefaultEvidenceBudget = 4 * time.Minute
	// evidenceMargin is kept free before the context's deadline (the
	// Lambda's), to record the pulls, pull Jira and return.
	evidenceMargin = 2 * time.Minute
)

// EvidencePull is the evidence backfill of the scheduled run
// (RunScheduled): each account that a tenant registered and proved it owns
// (accounts.Registry.Tenants) and that is read through a role or an
// aggregator (not from files) has its current findings and rule
// evaluations pulled, in each of its regions, when it was never pulled,
// was verified since its last pull, its last pull failed (the next run
// retries, then less and less often: EvidenceRetry), or its last
// successful pull is older than Every. So an account shows evidence one
// scheduled run after its verification, without waiting for its findings
// to change, and a full reconciliation happens every Every. Only the
// schedule pulls: no request reads AWS.
type EvidencePull struct {
	Sources EvidenceSources
	// Every is how old a successful pull may get; 0 means
	// DefaultEvidenceEvery.
	Every time.Duration
	// Budget bounds the time one run spends pulling (also kept
	// evidenceMargin short of the context's deadline); 0 means
	// DefaultEvidenceBudget. Accounts that did not fit are pulled by the
	// next run, those waiting longest first; an account whose pull the
	// budget cut short is recorded as failed and pulled again then
	// (storing is idempotent, so what it stored stays).
	Budget time.Duration
}

// EvidencePullRecord is the last evidence pull of one account for one
// tenant, kept in store.KindEvidencePull under the account's id.
type EvidencePullRecord struct {
	AccountID string   `json:"accountId"`
	Regions   []string `json:"regions,omitempty"`
	// Started and Ended bound the last pull.
	Started time.Time `json:"started"`
	Ended   time.Time `json:"ended"`
	// Succeeded is when the last pull without an error ended; zero when
	// none did.
	Succeeded time.Time `json:"succeeded,omitzero"`
	// Stored is what the last pull stored (created, updated, unchanged);
	// Foreign what its sources returned about other accounts, not stored.
	Stored  compliance.Tally `json:"stored"`
	Foreign int              `json:"foreign,omitempty"`
	// Error is why the last pull failed, in one region or more; empty
	// after a success. Failures counts the failed pulls since the last
	// success.
	Error    string `json:"error,omitempty"`
	Failures int    `json:"failures,omitempty"`
	// Next is when the schedule pulls the account again, worked out when
	// the pull was recorded (a verification since makes it due at once).
	Next time.Time `json:"next,omitzero"`
}

// EvidenceSummary sums up the evidence pulls of one scheduled run.
type EvidenceSummary struct {
	// Due counts the accounts due for a pull; Pulled those pulled, Failed
	// those of them that failed, Deferred those left for the next run
	// (the budget ran out).
	Due      int              `json:"due"`
	Pulled   int              `json:"pulled"`
	Failed   int              `json:"failed"`
	Deferred int              `json:"deferred"`
	Stored   compliance.Tally `json:"stored"`
}

// dueAccount is one account a run may pull.
type dueAccount struct {
	tenant string
	acct   *accounts.Account
	last   *EvidencePullRecord // nil: never pulled
	rev    int64               // the record's revision; 0: none
}

// PullEvidence pulls the evidence of every due account (see EvidencePull),
// those waiting longest first, until the budget runs out, and records each
// pull. It does nothing when e.Evidence or its Sources is nil. An account
// that cannot be listed or pulled is counted and logged, and tried again
// by the next run; only an error that stops the whole pull (the tenants
// cannot be listed) is returned.
func (e *Engine) PullEvidence(ctx context.Context) (EvidenceSummary, error) {
	var sum EvidenceSummary
	p := e.Evidence
	if p == nil || p.Sources == nil {
		return sum, nil
	}
	every := cmp.Or(p.Every, DefaultEvidenceEvery)
	due, err := e.dueAccounts(ctx, e.now(), every)
	if err != nil {
		return sum, err
	}
	sum.Due = len(due)
	// The budget (of pulling; listing is quick) is kept on the engine's
	// clock (no account starts after it) and on the wall clock (a running
	// pull is cut short), whichever ends first; never past the context's
	// deadline less the margin.
	start := e.now()
	budget := cmp.Or(p.Budget, DefaultEvidenceBudget)
	stop := time.Now().Add(budget)
	if dl, ok := ctx.Deadline(); ok && dl.Add(-evidenceMargin).Before(stop) {
		stop = dl.Add(-evidenceMargin)
	}
	for i, d := range due {
		if ctx.Err() != nil || !time.Now().Before(stop) || e.now().Sub(start) >= budget {
			sum.Deferred = len(due) - i
			e.logger().InfoContext(ctx, "evidence pull: budget spent; the rest waits for the next run", "deferred", sum.Deferred, "budget", budget)
			break
		}
		rec := e.pullAccount(ctx, d, stop)
		rec.Next = nextPull(rec, d.acct, every)
		sum.Pulled++
		sum.Stored.Created += rec.Stored.Created
		sum.Stored.Updated += rec.Stored.Updated
		sum.Stored.Unchanged += rec.Stored.Unchanged
		if rec.Error != "" {
			sum.Failed++
			e.logger().WarnContext(ctx, "evidence pull failed", "tenant", d.tenant, "account", d.acct.ID, "error", rec.Error, "failures", rec.Failures)
		} else {
			e.logger().InfoContext(ctx, "evidence pull", "tenant", d.tenant, "account", d.acct.ID, "regions", rec.Regions,
				"created", rec.Stored.Created, "updated", rec.Stored.Updated, "unchanged", rec.Stored.Unchanged, "foreign", rec.Foreign)
		}
		if err := e.putPullRecord(ctx, d, rec); err != nil {
			e.logger().WarnContext(ctx, "evidence pull: cannot record it", "tenant", d.tenant, "account", d.acct.ID, "error", err)
		}
	}
	return sum, nil
}

// dueAccounts lists the accounts due for a pull at now, those waiting
// longest first (never pulled, then by the end of their last pull).
func (e *Engine) dueAccounts(ctx context.Context, now time.Time, every time.Duration) ([]dueAccount, error) {
	tenants, err := e.Accounts.AllTenants(ctx)
	if err != nil {
		return nil, fmt.Errorf("evidence pull: %w", err)
	}
	var due []dueAccount
	for _, t := range tenants {
		accts, err := e.Accounts.List(ctx, t)
		if err != nil {
			e.logger().WarnContext(ctx, "evidence pull: cannot list accounts", "tenant", t, "error", err)
			continue
		}
		for _, a := range accts {
			if a.Access == accounts.AccessFiles {
				continue // nothing in AWS to pull; its files are imported
			}
			// Owned: registered, verified (and allowed) for t, and t in the
			// account's index, as for evidence events.
			owners, err := e.Accounts.Tenants(ctx, a.ID)
			if err != nil {
				e.logger().WarnContext(ctx, "evidence pull: cannot read the account's owner", "tenant", t, "account", a.ID, "error", err)
				continue
			}
			if !slices.Contains(owners, t) {
				continue
			}
			last, rev, err := e.pullRecord(ctx, t, a.ID)
			if err != nil {
				e.logger().WarnContext(ctx, "evidence pull: cannot read the last pull", "tenant", t, "account", a.ID, "error", err)
				continue
			}
			if !pullDue(last, a, now, every) {
				continue
			}
			due = append(due, dueAccount{tenant: t, acct: a, last: last, rev: rev})
		}
	}
	slices.SortStableFunc(due, func(x, y dueAccount) int {
		var xt, yt time.Time
		if x.last != nil {
			xt = x.last.Ended
		}
		if y.last != nil {
			yt = y.last.Ended
		}
		return xt.Compare(yt)
	})
	return due, nil
}

// EvidenceRetry is how long after a failed pull the account is due
// again; it doubles with each further failure, up to EvidencePull.Every.
// It is shorter than the schedule's period (15 minutes), so the run after
// a failure pulls again; an account that keeps failing (Security Hub off
// in one of its regions, a member stack removed) is then tried less and
// less often, not every run.
const EvidenceRetry = 10 * time.Minute

// nextPull returns when account a, whose last pull is last (nil: none),
// is due: the zero time when it is due at once (never pulled, or verified
// again since the last pull).
func nextPull(last *EvidencePullRecord, a *accounts.Account, every time.Duration) time.Time {
	switch {
	case last == nil:
		return time.Time{}
	case last.Error != "":
		// Verified again since: the user fixed something; pull now.
		if last.Ended.Before(a.VerifiedAt) {
			return time.Time{}
		}
		wait := every
		if n := last.Failures - 1; n < 16 {
			wait = min(EvidenceRetry<<max(n, 0), every)
		}
		return last.Ended.Add(wait)
	case last.Succeeded.IsZero() || last.Succeeded.Before(a.VerifiedAt):
		return time.Time{}
	default:
		return last.Succeeded.Add(every)
	}
}

// pullDue tells whether account a, whose last pull is last (nil: none),
// is due at now.
func pullDue(last *EvidencePullRecord, a *accounts.Account, now time.Time, every time.Duration) bool {
	return !now.Before(nextPull(last, a, every))
}

// pullAccount pulls d's evidence in each of its regions (the sources'
// default region when it names none), each cut short at stop, and returns
// the record of the pull.
func (e *Engine) pullAccount(ctx context.Context, d dueAccount, stop time.Time) *EvidencePullRecord {
	rec := &EvidencePullRecord{AccountID: d.acct.ID, Regions: d.acct.Regions, Started: e.now()}
	if d.last != nil {
		rec.Succeeded, rec.Failures = d.last.Succeeded, d.last.Failures
	}
	pctx, cancel := context.WithDeadline(ctx, stop)
	defer cancel()
	repo := compliance.Repo{Store: e.Store}
	var ctl *catalog.Controls
	if e.Catalog != nil {
		ctl = e.Catalog.Controls
	}
	regions := d.acct.Regions
	if len(regions) == 0 {
		regions = []string{""}
	}
	var failed []error
	for _, region := range regions {
		where := region
		if where == "" {
			where = "the default region"
		}
		findings, evaluations, err := e.Evidence.Sources.Open(pctx, d.acct, region)
		if err != nil {
			failed = append(failed, fmt.Errorf("%s: %w", where, err))
			continue
		}
		got, err := compliance.PullAccount(pctx, repo, d.tenant, d.acct.ID, ctl, findings, evaluations)
		rec.Stored.Created += got.Created
		rec.Stored.Updated += got.Updated
		rec.Stored.Unchanged += got.Unchanged
		rec.Foreign += got.Foreign
		if err != nil {
			if pctx.Err() != nil && ctx.Err() == nil {
				err = errs.E(errs.Unavailable, "the run's time budget ran out; the next run pulls again: %w", err)
			}
			failed = append(failed, fmt.Errorf("%s: %w", where, err))
		}
	}
	rec.Ended = e.now()
	if len(failed) == 0 {
		rec.Succeeded, rec.Failures = rec.Ended, 0
		return rec
	}
	rec.Failures++
	msg := ""
	for i, err := range failed {
		if i > 0 {
			msg += "; "
		}
		msg += err.Error()
	}
	rec.Error = model.Clip(msg, maxPullError)
	return rec
}

// maxPullError bounds the error kept in a pull record.
const maxPullError = 2000

// LastEvidencePull returns the tenant's record of account's last evidence
// pull; NotFound when none was recorded.
func (e *Engine) LastEvidencePull(ctx context.Context, tenant, account string) (*EvidencePullRecord, error) {
	rec, _, err := e.pullRecord(ctx, tenant, account)
	if err == nil && rec == nil {
		err = errs.E(errs.NotFound, "no evidence pull of account %s", account)
	}
	return rec, err
}

// pullRecord reads the tenant's pull record of account: nil and revision
// 0 when there is none.
func (e *Engine) pullRecord(ctx context.Context, tenant, account string) (*EvidencePullRecord, int64, error) {
	r, err := e.Store.Get(ctx, tenant, store.KindEvidencePull, account)
	if errs.Is(err, errs.NotFound) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("read the last evidence pull of account %s: %w", account, err)
	}
	var rec EvidencePullRecord
	if err := json.Unmarshal(r.Body, &rec); err != nil {
		return nil, 0, fmt.Errorf("decode the last evidence pull of account %s: %w", account, err)
	}
	return &rec, r.Revision, nil
}

// putPullRecord stores rec over the record d was read with; a concurrent
// run that recorded meanwhile wins (its pull is as good as this one).
func (e *Engine) putPullRecord(ctx context.Context, d dueAccount, rec *EvidencePullRecord) error {
	body, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("encode evidence pull of account %s: %w", rec.AccountID, err)
	}
	sum, _ := json.Marshal(map[string]any{"ended": rec.Ended, "failed": rec.Error != ""})
	r := &store.Record{Tenant: d.tenant, Kind: store.KindEvidencePull, ID: rec.AccountID, Body: body, Summary: sum}
	if d.rev == 0 {
		err = e.Store.Create(ctx, r)
	} else {
		err = e.Store.Update(ctx, r, d.rev)
	}
	if errs.Is(err, errs.Conflict) {
		return nil
	}
	return err
}
