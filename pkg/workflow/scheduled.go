package workflow

import (
	"context"
	"fmt"
)

// Puller pulls the status of the issues a tenant linked in its issue
// tracker and says how many tracker instances it read: the Jira
// integration's pull (jira.Service.PullAll), which the composition root
// passes to RunScheduled.
type Puller func(ctx context.Context, tenant string) (instances int, err error)

// ScheduledResult is what one RunScheduled did.
type ScheduledResult struct {
	Drift CheckSummary `json:"drift"`
	// Evidence is what the evidence backfill (PullEvidence) did.
	Evidence EvidenceSummary `json:"evidence"`
	// JiraTenants and JiraFailed count the tenants whose Jira issues were
	// pulled, and those for which a pull failed.
	JiraTenants int `json:"jiraTenants"`
	JiraFailed  int `json:"jiraFailed"`
}

// RunScheduled is the periodic job, the drift Lambda's work
// (app.DriftHandler) and `bulwark serve`'s (Schedule): it checks every
// linked model (CheckAll); then, when e.Evidence is set (aws mode), pulls
// the Security Hub findings and AWS Config rule evaluations of every owned
// account that is due (PullEvidence: new, failed last time, or not pulled
// for a day), within a time budget; then, when pull is not nil (the Jira
// integration is on), pulls the status of the linked Jira issues of every
// tenant that registered an account. Models, accounts and Jira instances
// that fail are counted and logged; the next run tries them again. Only an
// error that stops the whole run (the tenants cannot be listed) is
// returned, so that Lambda retries the invocation and finally
// dead-letters it. Every part is idempotent.
func (e *Engine) RunScheduled(ctx context.Context, pull Puller) (ScheduledResult, error) {
	var res ScheduledResult
	sum, err := e.CheckAll(ctx)
	res.Drift = sum
	if err != nil {
		return res, fmt.Errorf("scheduled drift check: %w", err)
	}
	e.logger().InfoContext(ctx, "scheduled drift check", "tenants", sum.Tenants, "models", sum.Models,
		"in_sync", sum.InSync, "out_of_sync", sum.OutOfSync, "failed", sum.Failed)
	if e.Evidence != nil {
		ev, err := e.PullEvidence(ctx)
		res.Evidence = ev
		if err != nil {
			return res, fmt.Errorf("scheduled evidence pull: %w", err)
		}
		e.logger().InfoContext(ctx, "scheduled evidence pull", "due", ev.Due, "pulled", ev.Pulled, "failed", ev.Failed, "deferred", ev.Deferred,
			"created", ev.Stored.Created, "updated", ev.Stored.Updated, "unchanged", ev.Stored.Unchanged)
	}
	if pull == nil {
		return res, nil
	}
	tenants, err := e.Accounts.AllTenants(ctx)
	if err != nil {
		return res, fmt.Errorf("scheduled Jira pull: %w", err)
	}
	for _, t := range tenants {
		res.JiraTenants++
		n, err := pull(ctx, t)
		if err != nil {
			res.JiraFailed++
			e.logger().WarnContext(ctx, "scheduled Jira pull failed", "tenant", t, "error", err)
			continue
		}
		e.logger().InfoContext(ctx, "scheduled Jira pull", "tenant", t, "instances", n)
	}
	return res, nil
}
