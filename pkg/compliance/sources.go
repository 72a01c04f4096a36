package compliance

import (
	"context"
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
	add := func(evs []Evidence) error {
		t, err := repo.PutAll(ctx, tenant, evs)
		total.Created += t.Created
		total.Updated += t.Updated
		total.Unchanged += t.Unchanged
		return err
	}
	if findings != nil {
		err := findings.Findings(ctx, storePages(add, "/findings", func(f *Finding, field string) (Evidence, error) {
			return FromFinding(f, ctl, field)
		}))
		if err != nil {
			return total, errs.E(errs.KindOf(err), "pull Security Hub findings: %w", err)
		}
	}
	if evaluations != nil {
		err := evaluations.Evaluations(ctx, storePages(add, "/evaluations", func(e *Evaluation, field string) (Evidence, error) {
			return FromEvaluation(e, ctl, field)
		}))
		if err != nil {
			return total, errs.E(errs.KindOf(err), "pull AWS Config evaluations: %w", err)
		}
	}
	return total, nil
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
