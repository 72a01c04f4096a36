package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/auth"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/model"
	"github.com/bulwark-tm/bulwark/pkg/template"
)

var templateRoutes = []route{
	{"GET", "/api/v1/templates", auth.RoleViewer, (*server).listTemplates},
	{"POST", "/api/v1/templates", auth.RoleAdmin, (*server).createTemplate},
	{"GET", "/api/v1/templates/{id}", auth.RoleViewer, (*server).getTemplate},
	{"PUT", "/api/v1/templates/{id}", auth.RoleAdmin, (*server).putTemplate},
	{"DELETE", "/api/v1/templates/{id}", auth.RoleAdmin, (*server).deleteTemplate},
	{"POST", "/api/v1/templates/{id}/approve", auth.RoleAdmin, (*server).approveTemplate},
	{"POST", "/api/v1/templates/{id}/duplicate", auth.RoleAdmin, (*server).duplicateTemplate},
	{"GET", "/api/v1/templates/{id}/versions", auth.RoleViewer, (*server).templateVersions},
	{"POST", "/api/v1/templates/{id}/models", auth.RoleEditor, (*server).modelFromTemplate},
	{"POST", "/api/v1/models/{id}/templates", auth.RoleAdmin, (*server).saveAsTemplate},
}

// readableTemplate returns template id if the caller may see it: approved
// templates are for everyone, drafts for admins.
func (s *server) readableTemplate(r *http.Request) (*template.Template, error) {
	p := principal(r)
	t, err := s.templates.Get(r.Context(), p.Tenant, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if t.State != template.Approved && !p.Can(auth.RoleAdmin) {
		return nil, errs.E(errs.Forbidden, "template %q is a draft: drafts are visible to admins only until an admin approves them", t.Name)
	}
	return t, nil
}

func (s *server) listTemplates(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	all, err := s.templates.List(r.Context(), p.Tenant, p.Can(auth.RoleAdmin))
	if err != nil {
		return err
	}
	q, cat := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("q"))), r.URL.Query().Get("category")
	items := make([]template.Summary, 0, len(all))
	for _, t := range all {
		if (q == "" || strings.Contains(strings.ToLower(t.Name+" "+t.Description), q)) && (cat == "" || t.Category == cat) {
			items = append(items, t)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

func (s *server) createTemplate(w http.ResponseWriter, r *http.Request) error {
	body, err := readBody(w, r, MaxDocumentBody)
	if err != nil {
		return err
	}
	t, err := template.Decode(body)
	if err != nil {
		return err
	}
	if err := s.templates.Create(r.Context(), principal(r).Tenant, principal(r).User, t); err != nil {
		return err
	}
	return writeTemplate(w, http.StatusCreated, t)
}

func writeTemplate(w http.ResponseWriter, status int, t *template.Template) error {
	w.Header().Set("ETag", etag(t.Revision))
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/templates/"+t.ID)
	}
	writeJSON(w, status, t)
	return nil
}

func (s *server) getTemplate(w http.ResponseWriter, r *http.Request) error {
	t, err := s.readableTemplate(r)
	if err != nil {
		return err
	}
	return writeTemplate(w, http.StatusOK, t)
}

func (s *server) putTemplate(w http.ResponseWriter, r *http.Request) error {
	expected, _, err := ifMatch(r, true)
	if err != nil {
		return err
	}
	body, err := readBody(w, r, MaxDocumentBody)
	if err != nil {
		return err
	}
	t, err := template.Decode(body)
	if err != nil {
		return err
	}
	t.ID = r.PathValue("id")
	if err := s.templates.Update(r.Context(), principal(r).Tenant, principal(r).User, t, expected); err != nil {
		return err
	}
	return writeTemplate(w, http.StatusOK, t)
}

func (s *server) deleteTemplate(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	expected, given, err := ifMatch(r, false)
	if err != nil {
		return err
	}
	if !given {
		t, err := s.templates.Get(r.Context(), p.Tenant, r.PathValue("id"))
		if err != nil {
			return err
		}
		expected = t.Revision
	}
	if err := s.templates.Delete(r.Context(), p.Tenant, r.PathValue("id"), expected); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *server) approveTemplate(w http.ResponseWriter, r *http.Request) error {
	expected, _, err := ifMatch(r, true)
	if err != nil {
		return err
	}
	p := principal(r)
	t, err := s.templates.Approve(r.Context(), p.Tenant, p.User, r.PathValue("id"), expected)
	if err != nil {
		return err
	}
	return writeTemplate(w, http.StatusOK, t)
}

func (s *server) duplicateTemplate(w http.ResponseWriter, r *http.Request) error {
	src, err := s.readableTemplate(r)
	if err != nil {
		return err
	}
	cp := *src
	cp.Name = "Copy of " + src.Name
	if len(cp.Name) > model.MaxNameLen {
		cp.Name = cp.Name[:model.MaxNameLen]
	}
	cp.Source = "template " + src.ID
	if err := s.templates.Create(r.Context(), principal(r).Tenant, principal(r).User, &cp); err != nil {
		return err
	}
	return writeTemplate(w, http.StatusCreated, &cp)
}

func (s *server) templateVersions(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.readableTemplate(r); err != nil {
		return err
	}
	vs, err := s.templates.Versions(r.Context(), principal(r).Tenant, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": vs})
	return nil
}

// modelFromTemplate creates a model holding a copy of the template's
// diagram. The body is the new model's metadata (a ThreatModel without a
// diagram).
func (s *server) modelFromTemplate(w http.ResponseWriter, r *http.Request) error {
	t, err := s.readableTemplate(r)
	if err != nil {
		return err
	}
	body, err := readBody(w, r, MaxSmallBody)
	if err != nil {
		return err
	}
	meta, err := model.Decode(body)
	if err != nil {
		return err
	}
	if len(meta.Diagram.Components)+len(meta.Diagram.Flows)+len(meta.Diagram.Groups) > 0 {
		return errs.Field("/diagram", "comes from the template; send only the model's metadata")
	}
	m := template.NewModel(t, meta)
	return s.storeNewModel(w, r, m)
}

// saveAsTemplate saves a model, one of its groups, or a selection of its
// components as a new draft template.
func (s *server) saveAsTemplate(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Name        string   `json:"name"`
		Description string   `json:"description"`
		Category    string   `json:"category"`
		Labels      []string `json:"labels"`
		Group       string   `json:"group"`
		Components  []string `json:"components"`
	}
	if err := decodeSmallBody(w, r, &req); err != nil {
		return err
	}
	p := principal(r)
	m, err := s.models.Get(r.Context(), p.Tenant, r.PathValue("id"))
	if err != nil {
		return err
	}
	d, err := template.Subset(&m.Diagram, req.Group, req.Components)
	if err != nil {
		return err
	}
	source := "model " + m.ID
	if req.Group != "" {
		source += " group " + req.Group
	}
	t := &template.Template{Name: req.Name, Description: req.Description, Category: req.Category, Labels: req.Labels, Diagram: *d, Source: source}
	if t.Description == "" && req.Group == "" && len(req.Components) == 0 {
		t.Description = m.Description
	}
	if err := s.templates.Create(r.Context(), p.Tenant, p.User, t); err != nil {
		return err
	}
	return writeTemplate(w, http.StatusCreated, t)
}

// checkNesting refuses nested-model components that point at a model the
// tenant does not have, or that would make a model contain itself (A inside
// B inside A). It runs before the store validates the rest of the document,
// so it takes nothing about m for granted.
func (s *server) checkNesting(ctx context.Context, tenant string, m *model.ThreatModel) error {
	for i, c := range m.Diagram.Components {
		if c.NestedModel == nil {
			continue
		}
		field := fmt.Sprintf("/diagram/components/%d/nestedModel/modelId", i)
		id := c.NestedModel.ModelID
		if id == "" {
			continue // Validate reports it
		}
		if id == m.ID {
			return errs.Field(field, "a threat model cannot contain itself")
		}
		nested, err := s.models.Get(ctx, tenant, id)
		if errs.Is(err, errs.NotFound) || errs.Is(err, errs.Invalid) {
			return errs.Field(field, "no threat model %q", id)
		}
		if err != nil {
			return err
		}
		if path := s.pathTo(ctx, tenant, nested, m.ID, map[string]bool{}); path != nil {
			names := append([]string{m.Name, nested.Name}, path...)
			return errs.Field(field, "nesting %q here would make a cycle: %s", nested.Name, strings.Join(names, " › "))
		}
	}
	return nil
}

// pathTo returns the names of the models on a nesting path from m to the
// model target (ending with target's name), or nil if there is none.
func (s *server) pathTo(ctx context.Context, tenant string, m *model.ThreatModel, target string, seen map[string]bool) []string {
	if seen[m.ID] {
		return nil
	}
	seen[m.ID] = true
	for _, c := range m.Diagram.Components {
		if c.NestedModel == nil {
			continue
		}
		next, err := s.models.Get(ctx, tenant, c.NestedModel.ModelID)
		if err != nil {
			continue // a dangling reference elsewhere is not a cycle here
		}
		if next.ID == target {
			return []string{next.Name}
		}
		if p := s.pathTo(ctx, tenant, next, target, seen); p != nil {
			return append([]string{next.Name}, p...)
		}
	}
	return nil
}
