package api

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/assist"
	"github.com/bulwark-tm/bulwark/pkg/auth"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

var analysisRoutes = []route{
	{"GET", "/api/v1/models/{id}/tasks", auth.RoleViewer, (*server).listTasks},
	{"POST", "/api/v1/models/{id}/tasks/apply", auth.RoleEditor, (*server).applyTask},
	{"GET", "/api/v1/models/{id}/threats", auth.RoleViewer, (*server).listThreats},
	{"GET", "/api/v1/models/{id}/requirements", auth.RoleViewer, (*server).listRequirements},
	{"PATCH", "/api/v1/models/{id}/states", auth.RoleEditor, (*server).patchStates},
	{"GET", "/api/v1/catalog/rules/{rule}", auth.RoleViewer, (*server).getRule},
}

// analyze computes the analysis of m, resolving nested models within the
// caller's tenant only.
func (s *server) analyze(ctx context.Context, tenant string, m *model.ThreatModel) *analysis.Result {
	lookup := func(id string) (*model.ThreatModel, error) { return s.models.Get(ctx, tenant, id) }
	return analysis.Analyze(s.Catalog, m, lookup)
}

// taskList is the answer to GET /tasks.
type taskList struct {
	Revision  int64         `json:"revision"`
	Open      int           `json:"open"`
	Completed int           `json:"completed"`
	Items     []assist.Task `json:"items"`
}

func (s *server) listTasks(w http.ResponseWriter, r *http.Request) error {
	m, err := s.models.Get(r.Context(), principal(r).Tenant, r.PathValue("id"))
	if err != nil {
		return err
	}
	tasks := assist.Tasks(s.Catalog, &m.Diagram)
	out := taskList{Revision: m.Revision, Items: tasks}
	if out.Items == nil {
		out.Items = []assist.Task{}
	}
	for _, t := range tasks {
		if t.Status == assist.Completed {
			out.Completed++
		} else {
			out.Open++
		}
	}
	w.Header().Set("ETag", etag(m.Revision))
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *server) applyTask(w http.ResponseWriter, r *http.Request) error {
	expected, _, err := ifMatch(r, true)
	if err != nil {
		return err
	}
	var req struct {
		Task string `json:"task"`
	}
	if err := decodeSmallBody(w, r, &req); err != nil {
		return err
	}
	if req.Task == "" {
		return errs.Field("/task", "is required: the id of an open task")
	}
	m, err := s.models.Get(r.Context(), principal(r).Tenant, r.PathValue("id"))
	if err != nil {
		return err
	}
	if m.Revision != expected {
		return errs.ConflictAt(m.Revision, "model %s changed since revision %d (now %d); reload it and apply the task again", m.ID, expected, m.Revision)
	}
	d, err := assist.Apply(s.Catalog, &m.Diagram, req.Task)
	if err != nil {
		return prefixField(err, "/task")
	}
	m.Diagram = *d
	if err := s.models.Update(r.Context(), m, expected); err != nil {
		return err
	}
	w.Header().Set("ETag", etag(m.Revision))
	writeJSON(w, http.StatusOK, diagramResult{Revision: m.Revision, Diagram: &m.Diagram})
	return nil
}

// grouping is one way to group a list of items: the item's key, and the
// keys to put first, in order (nil: order of first appearance).
type grouping[T any] struct {
	key   func(*T) string
	order []string
}

var threatGroupings = map[string]grouping[analysis.Threat]{
	"component": {analysis.ThreatComponent, nil},
	"status":    {analysis.ThreatStatus, analysis.ThreatStatuses},
	"severity":  {analysis.ThreatSeverity, catalog.Severities},
	"stride":    {analysis.ThreatSTRIDE, nil},
}

var requirementGroupings = map[string]grouping[analysis.Requirement]{
	"component": {analysis.RequirementComponent, nil},
	"status":    {analysis.RequirementStatus, analysis.RequirementStatuses},
	"severity":  {analysis.RequirementSeverity, catalog.Severities},
	"epic":      {analysis.RequirementEpic, catalog.Epics},
}

// itemList is the answer to GET /threats and /requirements.
type itemList[T any] struct {
	Revision int64               `json:"revision"`
	Total    int                 `json:"total"` // before filtering
	Items    []T                 `json:"items"`
	Groups   []analysis.Group[T] `json:"groups,omitempty"`
	Rollup   analysis.Rollup     `json:"rollup"`
	Warnings []string            `json:"warnings,omitempty"`
	Statuses []string            `json:"statuses"` // the valid statuses, in display order
}

// listItems answers GET /threats or /requirements: the model's analysis,
// filtered by the query, grouped by ?groupBy= when given.
func listItems[T any](s *server, w http.ResponseWriter, r *http.Request, groupings map[string]grouping[T],
	pick func(*analysis.Result, analysis.Filter) (items []T, total int), statuses []string) error {
	v := r.URL.Query()
	f := analysis.Filter{Component: v.Get("component"), Statuses: v["status"], Severities: v["severity"], Epics: v["epic"], STRIDE: v["stride"]}
	by := v.Get("groupBy")
	g, ok := groupings[by]
	if by != "" && !ok {
		keys := slices.Sorted(maps.Keys(groupings))
		return errs.E(errs.Malformed, "unknown grouping %q; use one of %s", by, strings.Join(keys, ", ")).At("groupBy")
	}
	p := principal(r)
	m, err := s.models.Get(r.Context(), p.Tenant, r.PathValue("id"))
	if err != nil {
		return err
	}
	res := s.analyze(r.Context(), p.Tenant, m)
	items, total := pick(res, f)
	out := itemList[T]{Revision: m.Revision, Total: total, Items: items, Rollup: res.Rollup, Warnings: res.Warnings, Statuses: statuses}
	if ok {
		out.Groups = analysis.GroupBy(items, g.key, g.order)
	}
	w.Header().Set("ETag", etag(m.Revision))
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *server) listThreats(w http.ResponseWriter, r *http.Request) error {
	return listItems(s, w, r, threatGroupings, func(res *analysis.Result, f analysis.Filter) ([]analysis.Threat, int) {
		return res.FilterThreats(f), len(res.Threats)
	}, analysis.ThreatStatuses)
}

func (s *server) listRequirements(w http.ResponseWriter, r *http.Request) error {
	return listItems(s, w, r, requirementGroupings, func(res *analysis.Result, f analysis.Filter) ([]analysis.Requirement, int) {
		return res.FilterRequirements(f), len(res.Requirements)
	}, analysis.RequirementStatuses)
}

// statePatch is the body of PATCH /states: new status and/or notes per item.
type statePatch struct {
	Items map[string]struct {
		Status *string `json:"status"`
		Notes  *string `json:"notes"`
	} `json:"items"`
}

// MaxStatesPerPatch bounds one bulk status change.
const MaxStatesPerPatch = 1000

func (s *server) patchStates(w http.ResponseWriter, r *http.Request) error {
	expected, _, err := ifMatch(r, true)
	if err != nil {
		return err
	}
	var patch statePatch
	if err := decodeSmallBody(w, r, &patch); err != nil {
		return err
	}
	if len(patch.Items) == 0 {
		return errs.Field("/items", "is required: a map from item id to {status, notes}")
	}
	if len(patch.Items) > MaxStatesPerPatch {
		return errs.Field("/items", "at most %d items per change, got %d", MaxStatesPerPatch, len(patch.Items))
	}
	p := principal(r)
	m, err := s.models.Get(r.Context(), p.Tenant, r.PathValue("id"))
	if err != nil {
		return err
	}
	if m.Revision != expected {
		return errs.ConflictAt(m.Revision, "model %s changed since revision %d (now %d); reload it and change the status again", m.ID, expected, m.Revision)
	}
	// Each id must name an item of the current analysis (or task list), and
	// the status must be one that kind of item can have.
	res := s.analyze(r.Context(), p.Tenant, m)
	valid := make(map[string][]string, len(res.Threats)+len(res.Requirements))
	for _, t := range res.Threats {
		valid[t.ID] = analysis.ThreatStatuses
	}
	for _, q := range res.Requirements {
		valid[q.ID] = analysis.RequirementStatuses
	}
	for _, t := range assist.Tasks(s.Catalog, &m.Diagram) {
		valid[t.ID] = []string{analysis.Open, analysis.NotApplicable, analysis.RiskAccepted}
	}
	ids := make([]string, 0, len(patch.Items))
	for id := range patch.Items {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	if m.States == nil {
		m.States = map[string]model.ItemState{}
	}
	now := s.Now().UTC()
	for _, id := range ids {
		field := "/items/" + strings.NewReplacer("~", "~0", "/", "~1").Replace(id)
		statuses, ok := valid[id]
		if !ok {
			return errs.Field(field, "no threat, requirement or task %q in this model", id)
		}
		ch := patch.Items[id]
		st := m.States[id]
		if ch.Status != nil {
			if !slices.Contains(statuses, *ch.Status) {
				return errs.Field(field+"/status", "%q is not a status of this item; use one of %s", *ch.Status, strings.Join(statuses, ", "))
			}
			st.Status = *ch.Status
		}
		if ch.Notes != nil {
			st.Notes = *ch.Notes
		}
		st.UpdatedBy, st.UpdatedAt = p.User, now
		m.States[id] = st
	}
	if err := s.models.Update(r.Context(), m, expected); err != nil {
		return err
	}
	w.Header().Set("ETag", etag(m.Revision))
	writeJSON(w, http.StatusOK, map[string]any{"revision": m.Revision, "states": pick(m.States, ids)})
	return nil
}

func pick(states map[string]model.ItemState, ids []string) map[string]model.ItemState {
	out := make(map[string]model.ItemState, len(ids))
	for _, id := range ids {
		out[id] = states[id]
	}
	return out
}

// ruleDetail is a catalog threat or requirement, for the description pane.
type ruleDetail struct {
	Kind        string               `json:"kind"` // threat or requirement
	Threat      *catalog.Threat      `json:"threat,omitempty"`
	Requirement *catalog.Requirement `json:"requirement,omitempty"`
}

func (s *server) getRule(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("rule")
	if t := s.Catalog.Threat(id); t != nil {
		writeJSON(w, http.StatusOK, ruleDetail{Kind: "threat", Threat: t})
		return nil
	}
	if q := s.Catalog.Requirement(id); q != nil {
		writeJSON(w, http.StatusOK, ruleDetail{Kind: "requirement", Requirement: q})
		return nil
	}
	return errs.E(errs.NotFound, "no threat or requirement rule %q in the knowledge base", id)
}
