package compliance

import (
	"context"
	"errors"
	"fmt"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// FindingsSource pages through Security Hub findings (GetFindings).
// Package compliance/awsevidence implements it with aws-sdk-go-v2.
type FindingsSource interface {
	// Findings calls page with each page of findings, in order, and stops
	// at the first error page returns.
	Findings(ctx context.Context, page func([]Finding) error) error
}

// EvaluationsSource pages through AWS Config rule evaluations
// (GetComplianceDetailsByConfigRule, or an aggregator's
// GetAggregateComplianceDetailsByConfigRule). Each Evaluation carries its
// account and region.
type EvaluationsSource interface {
	// Evaluations calls page with each page of evaluations, in order, and
	// stops at the first error page returns.
	Evaluations(ctx context.Context, page func([]Evaluation) error) error
}

// Pull reads every page of the given sources (either may be nil), turns it
// into evidence and stores it in repo for tenant, page by page. It is safe
// to run again at any time: storing is idempotent.
func Pull(ctx context.Context, repo Repo, tenant string, ctl *catalog.Controls, findings FindingsSource, evaluations EvaluationsSource) (Tally, error) {
	var total Tally
	add := func(evs []Evidence) error { return total.put(ctx, repo, tenant, evs) }
	if err := pullFindings(ctx, add, ctl, findings); err != nil {
		return total, err
	}
	return total, pullEvaluations(ctx, add, ctl, evaluations)
}

// AccountPull is what PullAccount did.
type AccountPull struct {
	Tally
	// Foreign counts the observations the sources returned about other
	// accounts: they are not stored.
	Foreign int `json:"foreign,omitempty"`
}

// PullAccount is Pull for the sources of one AWS account (read with its
// member role, or an aggregator filtered to it): it stores for tenant only
// the evidence whose account is account, and counts the rest as Foreign,
// so that whatever a source returns, a tenant gets evidence only about the
// account it proved it owns. The caller checks that it does. The
// evaluations are read even when the findings fail (Security Hub may be
// off in a region where AWS Config is on); the error joins both failures.
// Like Pull it is idempotent.
func PullAccount(ctx context.Context, repo Repo, tenant, account string, ctl *catalog.Controls, findings FindingsSource, evaluations EvaluationsSource) (AccountPull, error) {
	var out AccountPull
	if !ValidAccount(account) {
		return out, errs.E(errs.Invalid, "pull evidence: %q is not a 12-digit account id", account)
	}
	add := func(evs []Evidence) error {
		own := evs[:0]
		for _, e := range evs {
			if e.AccountID != account {
				out.Foreign++
				continue
			}
			own = append(own, e)
		}
		return out.put(ctx, repo, tenant, own)
	}
	ferr := pullFindings(ctx, add, ctl, findings)
	if ctx.Err() != nil {
		return out, ferr
	}
	return out, errors.Join(ferr, pullEvaluations(ctx, add, ctl, evaluations))
}

// put stores evs with repo.PutAll and adds its outcomes to t.
func (t *Tally) put(ctx context.Context, repo Repo, tenant string, evs []Evidence) error {
	if len(evs) == 0 {
		return nil
	}
	n, err := repo.PutAll(ctx, tenant, evs)
	t.Created += n.Created
	t.Updated += n.Updated
	t.Unchanged += n.Unchanged
	return err
}

// pullFindings stores every page of findings (nil: none) with add.
func pullFindings(ctx context.Context, add func([]Evidence) error, ctl *catalog.Controls, findings FindingsSource) error {
	if findings == nil {
		return nil
	}
	err := findings.Findings(ctx, storePages(add, "/findings", func(f *Finding, field string) (Evidence, error) {
		return FromFinding(f, ctl, field)
	}))
	if err != nil {
		return fmt.Errorf("pull Security Hub findings: %w", err)
	}
	return nil
}

// pullEvaluations stores every page of evaluations (nil: none) with add.
func pullEvaluations(ctx context.Context, add func([]Evidence) error, ctl *catalog.Controls, evaluations EvaluationsSource) error {
	if evaluations == nil {
		return nil
	}
	err := evaluations.Evaluations(ctx, storePages(add, "/evaluations", func(e *Evaluation, field string) (Evidence, error) {
		return FromEvaluation(e, ctl, field)
	}))
	if err != nil {
		return fmt.Errorf("pull AWS Config evaluations: %w", err)
	}
	return nil
}

// storePages returns the page callback of a source: it turns each item of a
// page into evidence with convert (field names the item, counted across
// pages, for errors), skips what is not a compliance result, and stores
// the page with add.
func storePages[T any](add func([]Evidence) error, field string, convert func(*T, string) (Evidence, error)) func([]T) error {
	n := 0
	return func(page []T) error {
		evs := make([]Evidence, 0, len(page))
		for i := range page {
			e, err := convert(&page[i], fmt.Sprintf("%s/%d", field, n+i))
			if err == errNotCompliance {
				continue
			}
			if err != nil {
				return err
			}
			evs = append(evs, e)
		}
		n += len(page)
		return add(evs)
	}
}
