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
	// JiraTenants and JiraFailed count the tenants whose Jira issues were
	// pulled, and those for which a pull failed.
	JiraTenants int `json:"jiraTenants"`
	JiraFailed  int `json:"jiraFailed"`
}

// RunScheduled is the periodic job, the drift Lambda's work
// (app.DriftHandler): it checks every linked model (CheckAll), then, when
// pull is not nil (the Jira integration is on), pulls the status of the
// linked Jira issues of every tenant that registered an account. Models
// and Jira instances that fail are counted and logged; the next run tries
// them again. Only an error that stops the whole run (the tenants cannot
// be listed) is returned, so that Lambda retries the invocation and
// finally dead-letters it. Both halves are idempotent.
func (e *Engine) RunScheduled(ctx context.Context, pull Puller) (ScheduledResult, error) {
	var res ScheduledResult
	sum, err := e.CheckAll(ctx)
	res.Drift = sum
	if err != nil {
		return res, fmt.Errorf("scheduled drift check: %w", err)
	}
	e.logger().InfoContext(ctx, "scheduled drift check", "tenants", sum.Tenants, "models", sum.Models,
		"in_sync", sum.InSync, "out_of_sync", sum.OutOfSync, "failed", sum.Failed)
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
