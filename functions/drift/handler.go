package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/bulwark-tm/bulwark/pkg/jira"
	"github.com/bulwark-tm/bulwark/pkg/workflow"
)

// puller pulls the status of a tenant's linked Jira issues; *jira.Service
// implements it.
type puller interface {
	PullAll(ctx context.Context, tenant string) ([]*jira.PullResult, error)
}

var _ puller = (*jira.Service)(nil)

// handler runs one scheduled check.
type handler struct {
	engine *workflow.Engine
	// jira is nil when the Jira integration is off.
	jira   puller
	logger *slog.Logger
}

// result is what one scheduled run did.
type result struct {
	Drift workflow.CheckSummary `json:"drift"`
	// JiraTenants and JiraFailed count the tenants whose Jira issues were
	// pulled, and those for which a pull failed.
	JiraTenants int `json:"jiraTenants"`
	JiraFailed  int `json:"jiraFailed"`
}

// handle checks every linked model, then pulls Jira issue statuses for
// every tenant that registered an account. Models and Jira instances that
// fail are counted and logged; the next run, 15 minutes later, tries them
// again. Only an error that stops the whole check (the tenants cannot be
// listed) is returned, so that Lambda retries the invocation and finally
// dead-letters it. Both halves are idempotent.
func (h handler) handle(ctx context.Context, _ json.RawMessage) (result, error) {
	var res result
	sum, err := h.engine.CheckAll(ctx)
	res.Drift = sum
	if err != nil {
		return res, fmt.Errorf("scheduled drift check: %w", err)
	}
	h.logger.InfoContext(ctx, "scheduled drift check", "tenants", sum.Tenants, "models", sum.Models,
		"in_sync", sum.InSync, "out_of_sync", sum.OutOfSync, "failed", sum.Failed)
	if h.jira == nil {
		return res, nil
	}
	tenants, err := h.engine.Accounts.AllTenants(ctx)
	if err != nil {
		return res, fmt.Errorf("scheduled Jira pull: %w", err)
	}
	for _, t := range tenants {
		res.JiraTenants++
		pulls, err := h.jira.PullAll(ctx, t)
		if err != nil {
			res.JiraFailed++
			h.logger.WarnContext(ctx, "scheduled Jira pull failed", "tenant", t, "error", err)
			continue
		}
		h.logger.InfoContext(ctx, "scheduled Jira pull", "tenant", t, "instances", len(pulls))
	}
	return res, nil
}
