package template

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/store"
)

// The store kinds templates use.
const (
	KindTemplate = store.KindTemplate
	// KindVersion holds every saved version, id "<template id>@<version>".
	KindVersion = store.KindTemplateVersion
)

// Repo keeps a tenant's templates in a Store, beside the read-only
// built-in ones.
type Repo struct {
	Store    store.Store
	BuiltIns []*Template
	Now      func() time.Time // default time.Now
}

func (r *Repo) now() time.Time {
	if r.Now != nil {
		return r.Now().UTC()
	}
	return time.Now().UTC()
}

func (r *Repo) builtIn(id string) *Template {
	for _, t := range r.BuiltIns {
		if t.ID == id {
			return t
		}
	}
	return nil
}

// List returns the summaries of the built-in and the tenant's templates,
// built-ins first, then by name; drafts only when withDrafts.
func (r *Repo) List(ctx context.Context, tenant string, withDrafts bool) ([]Summary, error) {
	var out []Summary
	for _, t := range r.BuiltIns {
		out = append(out, t.Summarize())
	}
	recs, err := store.ListAll(ctx, r.Store, tenant, KindTemplate)
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	var mine []Summary
	for _, rec := range recs {
		var s Summary
		if err := json.Unmarshal(rec.Summary, &s); err != nil {
			return nil, fmt.Errorf("decode summary of template %s: %w", rec.ID, err)
		}
		s.Revision, s.UpdatedAt = rec.Revision, rec.UpdatedAt
		if s.State == Approved || withDrafts {
			mine = append(mine, s)
		}
	}
	slices.SortFunc(mine, func(a, b Summary) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	return append(out, mine...), nil
}

// Get returns the template id: a built-in or one of the tenant's.
func (r *Repo) Get(ctx context.Context, tenant, id string) (*Template, error) {
	if t := r.builtIn(id); t != nil {
		c := *t
		c.Diagram = *cloneDiagram(&t.Diagram)
		return &c, nil
	}
	rec, err := r.Store.Get(ctx, tenant, KindTemplate, id)
	if err != nil {
		return nil, fmt.Errorf("get template %s: %w", id, err)
	}
	return decodeRecord(rec)
}

// Create stores t as version 1, a draft, with a new id; it sets t's
// bookkeeping fields.
func (r *Repo) Create(ctx context.Context, tenant, user string, t *Template) error {
	now := r.now()
	t.ID = "tpl-" + strings.ToLower(rand.Text()[:16])
	t.Version, t.State, t.BuiltIn = 1, Draft, false
	t.ApprovedBy, t.ApprovedAt = "", time.Time{}
	t.CreatedBy, t.CreatedAt, t.UpdatedBy, t.UpdatedAt = user, now, user, now
	if err := t.Validate(); err != nil {
		return err
	}
	rec, err := encodeRecord(tenant, t)
	if err != nil {
		return err
	}
	if err := r.Store.Create(ctx, rec); err != nil {
		return fmt.Errorf("create template: %w", err)
	}
	t.Revision = rec.Revision
	return r.saveVersion(ctx, tenant, t)
}

// Update replaces the content of template t.ID if its revision is expected:
// the version grows by one and the template returns to draft (an approved
// pattern that changed needs approving again).
func (r *Repo) Update(ctx context.Context, tenant, user string, t *Template, expected int64) error {
	cur, err := r.mutable(ctx, tenant, t.ID)
	if err != nil {
		return err
	}
	if cur.Revision != expected {
		return errs.ConflictAt(cur.Revision, "template %s changed since revision %d", t.ID, expected)
	}
	t.Version, t.State = cur.Version+1, Draft
	t.ApprovedBy, t.ApprovedAt = "", time.Time{}
	t.CreatedBy, t.CreatedAt = cur.CreatedBy, cur.CreatedAt
	t.UpdatedBy, t.UpdatedAt = user, r.now()
	t.BuiltIn = false
	if err := t.Validate(); err != nil {
		return err
	}
	if err := r.write(ctx, tenant, t, expected); err != nil {
		return err
	}
	return r.saveVersion(ctx, tenant, t)
}

// Approve marks the template approved by user, if its revision is expected.
func (r *Repo) Approve(ctx context.Context, tenant, user, id string, expected int64) (*Template, error) {
	t, err := r.mutable(ctx, tenant, id)
	if err != nil {
		return nil, err
	}
	if t.Revision != expected {
		return nil, errs.ConflictAt(t.Revision, "template %s changed since revision %d", id, expected)
	}
	t.State, t.ApprovedBy, t.ApprovedAt = Approved, user, r.now()
	if err := r.write(ctx, tenant, t, expected); err != nil {
		return nil, err
	}
	return t, nil
}

// Delete removes the template (its saved versions stay, so models that
// came from it can still be traced).
func (r *Repo) Delete(ctx context.Context, tenant, id string, expected int64) error {
	if r.builtIn(id) != nil {
		return errs.E(errs.Forbidden, "built-in template %s cannot be deleted", id)
	}
	if err := r.Store.Delete(ctx, tenant, KindTemplate, id, expected); err != nil {
		return fmt.Errorf("delete template %s: %w", id, err)
	}
	return nil
}

// Versions lists every saved version of a template, oldest first.
func (r *Repo) Versions(ctx context.Context, tenant, id string) ([]Summary, error) {
	if t := r.builtIn(id); t != nil {
		return []Summary{t.Summarize()}, nil
	}
	recs, err := store.ListAll(ctx, r.Store, tenant, KindVersion)
	if err != nil {
		return nil, fmt.Errorf("list versions of template %s: %w", id, err)
	}
	var out []Summary
	for _, rec := range recs {
		if !strings.HasPrefix(rec.ID, id+"@") {
			continue
		}
		var s Summary
		if err := json.Unmarshal(rec.Summary, &s); err != nil {
			return nil, fmt.Errorf("decode version %s: %w", rec.ID, err)
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, errs.E(errs.NotFound, "no template %s", id)
	}
	return out, nil
}

// mutable returns a stored (not built-in) template for changing.
func (r *Repo) mutable(ctx context.Context, tenant, id string) (*Template, error) {
	if r.builtIn(id) != nil {
		return nil, errs.E(errs.Forbidden, "built-in template %s is read-only; duplicate it to change it", id)
	}
	return r.Get(ctx, tenant, id)
}

func (r *Repo) write(ctx context.Context, tenant string, t *Template, expected int64) error {
	rec, err := encodeRecord(tenant, t)
	if err != nil {
		return err
	}
	if err := r.Store.Update(ctx, rec, expected); err != nil {
		return fmt.Errorf("update template %s: %w", t.ID, err)
	}
	t.Revision = rec.Revision
	return nil
}

// saveVersion keeps a copy of t under its version number. Writing the same
// version twice (a retry) is not an error.
func (r *Repo) saveVersion(ctx context.Context, tenant string, t *Template) error {
	rec, err := encodeRecord(tenant, t)
	if err != nil {
		return err
	}
	rec.Kind, rec.ID = KindVersion, fmt.Sprintf("%s@%06d", t.ID, t.Version)
	if err := r.Store.Create(ctx, rec); err != nil && !errs.Is(err, errs.Conflict) {
		return fmt.Errorf("save version %d of template %s: %w", t.Version, t.ID, err)
	}
	return nil
}

func encodeRecord(tenant string, t *Template) (*store.Record, error) {
	body, err := json.Marshal(t)
	if err != nil {
		return nil, fmt.Errorf("encode template %s: %w", t.ID, err)
	}
	sum, err := json.Marshal(t.Summarize())
	if err != nil {
		return nil, fmt.Errorf("encode template %s: %w", t.ID, err)
	}
	return &store.Record{Tenant: tenant, Kind: KindTemplate, ID: t.ID, Summary: sum, Body: body}, nil
}

func decodeRecord(rec *store.Record) (*Template, error) {
	var t Template
	if err := json.Unmarshal(rec.Body, &t); err != nil {
		return nil, fmt.Errorf("decode template %s: %w", rec.ID, err)
	}
	t.Diagram.Normalize()
	t.Revision, t.UpdatedAt = rec.Revision, rec.UpdatedAt
	return &t, nil
}
