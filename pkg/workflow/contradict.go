package workflow

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/bulwark-tm/bulwark/pkg/compliance"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/model"
	"github.com/bulwark-tm/bulwark/pkg/store"
)

// ContradictionLog is what current evidence says against a linked model
// (compliance.Contradictions), kept in its link with what it was computed
// from: the model's revision and the evidence marks of its accounts
// (compliance.Repo.Marks). While both are unchanged it is current.
type ContradictionLog struct {
	ModelRevision int64                      `json:"modelRevision"`
	Marks         map[string]int64           `json:"marks"`
	Items         []compliance.Contradiction `json:"items"`
}

// current reports whether c was computed from the model's revision rev
// and evidence with the marks now.
func (c *ContradictionLog) current(rev int64, now map[string]int64) bool {
	return c != nil && c.ModelRevision == rev && maps.Equal(c.Marks, now)
}

// DriftLog returns the tenant's model's link (as Link does) and the
// properties of the model that current evidence contradicts (never nil).
// They are computed where the link is written (build, check, sync); a
// read recomputes and stores them only when they are stale: the model was
// saved since (an editor save, an applied contradiction) or evidence about
// its accounts was stored since. Deciding that reads the model's revision
// and the accounts' marks, not the model or the evidence.
func (e *Engine) DriftLog(ctx context.Context, tenant, modelID string) (*Link, []compliance.Contradiction, error) {
	l, err := e.usableLink(ctx, tenant, modelID)
	if err != nil {
		return nil, nil, err
	}
	if c := l.Contradictions; c != nil {
		rev, err := e.modelRevision(ctx, tenant, modelID)
		if err != nil {
			return nil, nil, err
		}
		if rev == c.ModelRevision {
			marks, err := compliance.Repo{Store: e.Store}.Marks(ctx, tenant, slices.Collect(maps.Keys(c.Marks)))
			if err != nil {
				return nil, nil, err
			}
			if c.current(rev, marks) {
				return l, c.Items, nil
			}
		}
	}
	m, err := e.models().Get(ctx, tenant, modelID)
	if err != nil {
		return nil, nil, err
	}
	c, err := e.contradictions(ctx, tenant, m)
	if err != nil {
		return nil, nil, err
	}
	stored, err := e.links().update(ctx, tenant, modelID, false, func(l *Link) bool {
		l.Contradictions = c
		return true
	})
	if err != nil {
		// The answer stands; the next read computes it again.
		e.logger().WarnContext(ctx, "accelerator: keep contradictions", "tenant", tenant, "model", modelID, "error", err)
		l.Contradictions = c
		return l, c.Items, nil
	}
	return stored, c.Items, nil
}

// contradictions computes the contradictions of m, a model as stored,
// with the evidence marks they are computed from. The marks are read
// before the evidence, so that evidence stored meanwhile leaves them
// stale rather than current.
func (e *Engine) contradictions(ctx context.Context, tenant string, m *model.ThreatModel) (*ContradictionLog, error) {
	repo := compliance.Repo{Store: e.Store}
	accts := compliance.Accounts(m)
	marks, err := repo.Marks(ctx, tenant, accts)
	if err != nil {
		return nil, fmt.Errorf("contradictions of model %s: %w", m.ID, err)
	}
	evs, err := repo.ForAccounts(ctx, tenant, accts)
	if err != nil {
		return nil, fmt.Errorf("evidence of model %s: %w", m.ID, err)
	}
	c := &ContradictionLog{ModelRevision: m.Revision, Marks: marks, Items: compliance.Contradictions(e.Catalog, m, evs)}
	if c.Items == nil {
		c.Items = []compliance.Contradiction{}
	}
	return c, nil
}

// contradictionsOf is contradictions for a writer of the link (build,
// check, sync): a failure is logged and leaves none, for the next read
// to compute.
func (e *Engine) contradictionsOf(ctx context.Context, tenant string, m *model.ThreatModel) *ContradictionLog {
	c, err := e.contradictions(ctx, tenant, m)
	if err != nil {
		e.logger().WarnContext(ctx, "accelerator: contradictions not computed", "tenant", tenant, "model", m.ID, "error", err)
		return nil
	}
	return c
}

// modelRevision returns the stored revision of the tenant's model without
// reading its document (a listing returns no bodies).
func (e *Engine) modelRevision(ctx context.Context, tenant, modelID string) (int64, error) {
	p, err := e.Store.List(ctx, tenant, store.KindModel, store.ListOptions{Prefix: modelID, Limit: 1})
	if err != nil {
		return 0, fmt.Errorf("revision of model %s: %w", modelID, err)
	}
	// Ids sort byte-wise: the id itself comes before any longer one it
	// starts.
	if len(p.Records) == 0 || p.Records[0].ID != modelID {
		return 0, errs.E(errs.NotFound, "get model %s: no such model", modelID)
	}
	return p.Records[0].Revision, nil
}
