package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/bulwark-tm/bulwark/pkg/auth"
	"github.com/bulwark-tm/bulwark/pkg/compliance"
	"github.com/bulwark-tm/bulwark/pkg/diff"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/model"
	"github.com/bulwark-tm/bulwark/pkg/store"
)

// historyRoutes are the version history, review and diff of a model. The
// review route is open to viewers because reviewers may approve; the
// handler checks each action's role.
var historyRoutes = []route{
	{"GET", "/api/v1/models/{id}/versions", auth.RoleViewer, (*server).listVersions},
	{"GET", "/api/v1/models/{id}/versions/{rev}", auth.RoleViewer, (*server).getVersion},
	{"PATCH", "/api/v1/models/{id}/versions/{rev}", auth.RoleEditor, (*server).patchVersion},
	{"POST", "/api/v1/models/{id}/versions/{rev}/restore", auth.RoleEditor, (*server).restoreVersion},
	{"POST", "/api/v1/models/{id}/versions/{rev}/review", auth.RoleViewer, (*server).reviewVersion},
	{"GET", "/api/v1/models/{id}/diff", auth.RoleViewer, (*server).getDiff},
	{"POST", "/api/v1/models/{id}/diff", auth.RoleEditor, (*server).postDiff},
}

// newHistory returns the version history the API records saves in.
func newHistory(d Deps) *store.History {
	keep := d.HistoryKeep
	switch {
	case keep == 0:
		keep = store.DefaultHistoryKeep
	case keep < 0:
		keep = 0 // all
	}
	return &store.History{
		Store: d.Store, Keep: keep, Logger: d.Logger, Now: d.Now, Summarize: diff.Summarize,
		Author: func(ctx context.Context) string {
			p, _ := auth.FromContext(ctx)
			return p.User
		},
	}
}

// versionList is the answer to GET /versions.
type versionList struct {
	Items     []store.Version `json:"items"`
	NextToken string          `json:"nextToken,omitempty"`
}

func (s *server) listVersions(w http.ResponseWriter, r *http.Request) error {
	tenant, id := principal(r).Tenant, r.PathValue("id")
	q := r.URL.Query()
	limit := 50
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 500 {
			return errs.E(errs.Malformed, "must be a whole number from 1 to 500, got %q", l).At("limit")
		}
		limit = n
	}
	items, next, err := s.history.List(r.Context(), tenant, id, q.Get("nextToken"), limit)
	if errs.Is(err, errs.Invalid) {
		return errs.E(errs.Malformed, "not a token this API returned for this model").At("nextToken")
	}
	if err != nil {
		return err
	}
	if len(items) == 0 {
		// No versions: tell a missing model from one without history.
		if _, err := s.Store.Get(r.Context(), tenant, store.KindModel, id); err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusOK, versionList{Items: items, NextToken: next})
	return nil
}

// pathRevision reads the {rev} path parameter.
func pathRevision(r *http.Request) (int64, error) {
	v := r.PathValue("rev")
	rev, err := strconv.ParseInt(v, 10, 64)
	if err != nil || rev < 1 {
		return 0, errs.E(errs.Malformed, "must be a revision number (1 or more), got %q", v).At("rev")
	}
	return rev, nil
}

func (s *server) getVersion(w http.ResponseWriter, r *http.Request) error {
	rev, err := pathRevision(r)
	if err != nil {
		return err
	}
	_, doc, err := s.history.Get(r.Context(), principal(r).Tenant, r.PathValue("id"), rev)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(doc)
	return err
}

func (s *server) patchVersion(w http.ResponseWriter, r *http.Request) error {
	rev, err := pathRevision(r)
	if err != nil {
		return err
	}
	var patch struct {
		Name json.RawMessage `json:"name"`
	}
	if err := decodeSmallBody(w, r, &patch); err != nil {
		return err
	}
	tenant, id := principal(r).Tenant, r.PathValue("id")
	var name string
	switch {
	case patch.Name == nil:
		// Nothing to change: answer the version as it is.
		v, _, err := s.history.Get(r.Context(), tenant, id, rev)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, v)
		return nil
	case string(patch.Name) == "null":
	default:
		if err := json.Unmarshal(patch.Name, &name); err != nil {
			return errs.E(errs.Malformed, "must be a string or null").At("/name")
		}
	}
	v, err := s.history.SetName(r.Context(), tenant, id, rev, name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *server) restoreVersion(w http.ResponseWriter, r *http.Request) error {
	rev, err := pathRevision(r)
	if err != nil {
		return err
	}
	expected, _, err := ifMatch(r, true)
	if err != nil {
		return err
	}
	tenant, id := principal(r).Tenant, r.PathValue("id")
	cur, err := s.models.GetRaw(r.Context(), tenant, id)
	if err != nil {
		return err
	}
	if cur.Revision != expected {
		return errs.ConflictAt(cur.Revision, "model %s changed since revision %d (now %d); reload it before restoring", id, expected, cur.Revision)
	}
	_, old, err := s.history.GetModel(r.Context(), tenant, id, rev)
	if err != nil {
		return err
	}
	// The content of the old version; what the store owns stays current.
	old.ID, old.Tenant, old.CreatedAt, old.Revision = cur.ID, cur.Tenant, cur.CreatedAt, cur.Revision
	if err := s.checkNesting(r.Context(), tenant, old); err != nil {
		return err
	}
	ctx := store.WithVersionNote(r.Context(), fmt.Sprintf("restored revision %d", rev))
	if err := s.models.Update(ctx, old, expected); err != nil {
		return err
	}
	w.Header().Set("ETag", etag(old.Revision))
	writeJSON(w, http.StatusOK, old)
	return nil
}

func (s *server) reviewVersion(w http.ResponseWriter, r *http.Request) error {
	rev, err := pathRevision(r)
	if err != nil {
		return err
	}
	var req struct {
		Action  store.ReviewAction `json:"action"`
		Comment string             `json:"comment"`
	}
	if err := decodeSmallBody(w, r, &req); err != nil {
		return err
	}
	p := principal(r)
	switch req.Action {
	case store.ActionSubmit:
		if !p.Can(auth.RoleEditor) {
			return errs.E(errs.Forbidden, "submitting a version for review needs the editor role; you are %s", p.Role)
		}
	case store.ActionApprove, store.ActionReject:
		if !p.CanReview() {
			return errs.E(errs.Forbidden, "to %s a version needs the reviewer or admin role; you are %s", req.Action, p.Role)
		}
	default:
		return errs.Field("/action", "must be submit, approve or reject, got %q", req.Action)
	}
	v, err := s.history.SetReview(r.Context(), p.Tenant, r.PathValue("id"), rev, req.Action, p.User, req.Comment)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// side loads one side of a diff: a revision number, "baseline" (the newest
// approved version) or "current".
func (s *server) side(ctx context.Context, tenant, id, ref, param string) (*model.ThreatModel, error) {
	if ref == "" || ref == "current" {
		return s.models.Get(ctx, tenant, id)
	}
	var rev int64
	if ref == "baseline" {
		v, err := s.history.Baseline(ctx, tenant, id)
		if err != nil {
			if _, gerr := s.Store.Get(ctx, tenant, store.KindModel, id); gerr != nil {
				return nil, gerr
			}
			return nil, errs.E(errs.NotFound, "%s", err.Error()).At(param)
		}
		rev = v.Revision
	} else {
		n, err := strconv.ParseInt(ref, 10, 64)
		if err != nil || n < 1 {
			return nil, errs.E(errs.Malformed, "must be a revision number, baseline or current, got %q", ref).At(param)
		}
		rev = n
	}
	_, m, err := s.history.GetModel(ctx, tenant, id, rev)
	if errs.Is(err, errs.NotFound) {
		// The current revision may predate the history.
		cur, cerr := s.models.Get(ctx, tenant, id)
		if cerr != nil {
			return nil, cerr
		}
		if cur.Revision == rev {
			return cur, nil
		}
		return nil, errs.E(errs.NotFound, "%s", err.Error()).At(param)
	}
	return m, err
}

// compare diffs a against b with their analyses and compliance views.
func (s *server) compare(ctx context.Context, tenant string, a, b *model.ThreatModel) (*diff.Diff, error) {
	sides := [2]diff.Side{{Model: a}, {Model: b}}
	for i := range sides {
		m := sides[i].Model
		res := s.analyze(ctx, tenant, m)
		evs, err := compliance.Repo{Store: s.Store}.ForAccounts(ctx, tenant, compliance.Accounts(m))
		if err != nil {
			return nil, err
		}
		sides[i].Analysis = res
		sides[i].Compliance = compliance.BuildView(m, res, evs, s.Catalog.Controls)
	}
	return diff.Compare(sides[0], sides[1]), nil
}

func (s *server) getDiff(w http.ResponseWriter, r *http.Request) error {
	tenant, id := principal(r).Tenant, r.PathValue("id")
	q := r.URL.Query()
	if q.Get("from") == "" {
		return errs.E(errs.Malformed, "required: a revision number, baseline or current").At("from")
	}
	a, err := s.side(r.Context(), tenant, id, q.Get("from"), "from")
	if err != nil {
		return err
	}
	b, err := s.side(r.Context(), tenant, id, q.Get("to"), "to")
	if err != nil {
		return err
	}
	d, err := s.compare(r.Context(), tenant, a, b)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *server) postDiff(w http.ResponseWriter, r *http.Request) error {
	tenant, id := principal(r).Tenant, r.PathValue("id")
	body, err := readBody(w, r, MaxDocumentBody)
	if err != nil {
		return err
	}
	var req struct {
		Document json.RawMessage `json:"document"`
	}
	if err := model.DecodeStrict(body, &req); err != nil {
		return err
	}
	if len(req.Document) == 0 || string(req.Document) == "null" {
		return errs.Field("/document", "required: the model document to compare with")
	}
	a, err := s.side(r.Context(), tenant, id, r.URL.Query().Get("from"), "from")
	if err != nil {
		return err
	}
	b, err := model.Decode(req.Document)
	if err != nil {
		if e, ok := errs.As(err); ok && e.Field == "" {
			c := *e
			c.Field = "/document"
			return &c
		}
		return prefixField(err, "/document")
	}
	b.Tenant, b.Revision = tenant, 0
	if b.ID == "" {
		b.ID = a.ID
	}
	if err := b.Validate(); err != nil {
		return prefixField(err, "/document")
	}
	d, err := s.compare(r.Context(), tenant, a, b)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}
