package api

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/auth"
	"github.com/bulwark-tm/bulwark/pkg/compliance"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/model"
	"github.com/bulwark-tm/bulwark/pkg/store"
)

var evidenceRoutes = []route{
	{"GET", "/api/v1/models/{id}/evidence", auth.RoleViewer, (*server).modelEvidence},
	{"POST", "/api/v1/evidence/import", auth.RoleEditor, (*server).importEvidence},
	{"POST", "/api/v1/models/{id}/evidence/contradictions/apply", auth.RoleEditor, (*server).applyContradiction},
}

// modelCompliance is a model with its analysis, the evidence of its
// accounts and the join of both.
type modelCompliance struct {
	model    *model.ThreatModel
	analysis *analysis.Result
	evidence []compliance.Evidence
	view     *compliance.View
}

// compliance loads the tenant's model id and joins it with its evidence.
func (s *server) compliance(ctx context.Context, tenant, id string) (*modelCompliance, error) {
	m, err := s.models.Get(ctx, tenant, id)
	if err != nil {
		return nil, err
	}
	res := s.analyze(ctx, tenant, m)
	evs, err := compliance.Repo{Store: s.Store}.ForAccounts(ctx, tenant, compliance.Accounts(m))
	if err != nil {
		return nil, err
	}
	return &modelCompliance{model: m, analysis: res, evidence: evs, view: compliance.Evaluate(s.Catalog, m, res, evs)}, nil
}

// evidenceGroup is the items of one compliance status (or component).
type evidenceGroup struct {
	Key   string            `json:"key"`
	Label string            `json:"label"`
	Count int               `json:"count"`
	Items []compliance.Item `json:"items"`
}

// evidenceList is the answer to GET /models/{id}/evidence.
type evidenceList struct {
	Revision int64                     `json:"revision"`
	Accounts []string                  `json:"accounts"`
	Total    int                       `json:"total"`  // before filtering
	Counts   map[compliance.Status]int `json:"counts"` // before filtering
	Statuses []compliance.Status       `json:"statuses"`
	Items    []compliance.Item         `json:"items"`
	Groups   []evidenceGroup           `json:"groups,omitempty"`
	// Contradictions are the element properties current evidence
	// contradicts ("Security Hub says public, the model says private"),
	// filtered by component like the items.
	Contradictions []compliance.Contradiction `json:"contradictions"`
}

func (s *server) modelEvidence(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var statuses []compliance.Status
	for _, st := range q["status"] {
		if !slices.Contains(compliance.Statuses, compliance.Status(st)) {
			return errs.E(errs.Malformed, "unknown compliance status %q; use %s, %s or %s", st, compliance.NonCompliant, compliance.Compliant, compliance.NotAvailable).At("status")
		}
		statuses = append(statuses, compliance.Status(st))
	}
	groupBy := q.Get("groupBy")
	if groupBy != "" && groupBy != "status" && groupBy != "component" {
		return errs.E(errs.Malformed, "unknown grouping %q; use status or component", groupBy).At("groupBy")
	}
	component, requirement := q.Get("component"), q.Get("requirement")
	mc, err := s.compliance(r.Context(), principal(r).Tenant, r.PathValue("id"))
	if err != nil {
		return err
	}
	v := mc.view
	out := evidenceList{Revision: mc.model.Revision, Accounts: v.Accounts, Total: len(v.Items), Counts: v.Counts,
		Statuses: compliance.Statuses, Items: []compliance.Item{}, Contradictions: []compliance.Contradiction{}}
	for _, c := range v.Contradictions {
		if component == "" || c.Element == component {
			out.Contradictions = append(out.Contradictions, c)
		}
	}
	for _, it := range v.Items {
		if (len(statuses) == 0 || slices.Contains(statuses, it.Status)) &&
			(component == "" || it.Component == component) && (requirement == "" || it.Requirement == requirement) {
			out.Items = append(out.Items, it)
		}
	}
	if requirement != "" && len(out.Items) == 0 {
		return errs.E(errs.NotFound, "no requirement item %q in model %s", requirement, mc.model.ID)
	}
	switch groupBy {
	case "status":
		for _, st := range compliance.Statuses {
			g := evidenceGroup{Key: string(st), Label: st.Label(), Items: []compliance.Item{}}
			for _, it := range out.Items {
				if it.Status == st {
					g.Items = append(g.Items, it)
				}
			}
			g.Count = len(g.Items)
			out.Groups = append(out.Groups, g)
		}
	case "component":
		pos := map[string]int{}
		names := map[string]string{}
		for _, c := range mc.model.Diagram.Components {
			names[c.ID] = c.Name
		}
		for _, g := range mc.model.Diagram.Groups {
			names[g.ID] = g.Name
		}
		for _, it := range out.Items {
			i, ok := pos[it.Component]
			if !ok {
				i = len(out.Groups)
				pos[it.Component] = i
				out.Groups = append(out.Groups, evidenceGroup{Key: it.Component, Label: names[it.Component]})
			}
			out.Groups[i].Items = append(out.Groups[i].Items, it)
			out.Groups[i].Count++
		}
	}
	w.Header().Set("ETag", etag(mc.model.Revision))
	writeJSON(w, http.StatusOK, out)
	return nil
}

// importedFile is what the import read from one file.
type importedFile struct {
	Name         string   `json:"name"`
	Observations int      `json:"observations"`
	Skipped      int      `json:"skipped"`
	Notes        []string `json:"notes,omitempty"`
}

// evidenceImport is the answer to POST /evidence/import.
type evidenceImport struct {
	Files []importedFile `json:"files"`
	compliance.Tally
	Accounts []string `json:"accounts"` // the accounts the evidence is about
	// Unmapped lists the checks of the imported evidence that decide no
	// requirement, so that they are seen rather than silently ignored.
	Unmapped []compliance.UnmappedCheck `json:"unmapped"`
}

// importEvidence stores Security Hub findings and Config evaluations from
// uploaded files (exports, saved events). Every file is parsed before
// anything is stored, so a malformed file stores nothing; storing is
// idempotent, so uploading the same files again changes nothing.
func (s *server) importEvidence(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	opts := compliance.Options{Controls: s.Catalog.Controls, AccountID: q.Get("account"), Region: q.Get("region")}
	if opts.AccountID != "" && !compliance.ValidAccount(opts.AccountID) {
		return errs.Field("account", "must be a 12-digit AWS account id, got %q", opts.AccountID)
	}
	if r.ContentLength > MaxImportBody {
		return errs.E(errs.TooLarge, "request body of %d bytes is larger than the limit of %d bytes", r.ContentLength, MaxImportBody)
	}
	files, err := importFiles(r, http.MaxBytesReader(w, r.Body, MaxImportBody))
	if err != nil {
		return err
	}
	out := evidenceImport{Files: []importedFile{}, Accounts: []string{}, Unmapped: []compliance.UnmappedCheck{}}
	var all []compliance.Evidence
	for _, f := range files {
		p, err := compliance.Parse(f.Data, opts)
		if err != nil {
			return fileError(f.Name, err)
		}
		out.Files = append(out.Files, importedFile{Name: f.Name, Observations: len(p.Evidence), Skipped: p.Skipped, Notes: p.Notes})
		all = append(all, p.Evidence...)
		if len(all) > compliance.MaxEvidence {
			return errs.E(errs.TooLarge, "more than %d findings and evaluations in one import; split it", compliance.MaxEvidence)
		}
	}
	for _, e := range all {
		out.Accounts = append(out.Accounts, e.AccountID)
	}
	slices.Sort(out.Accounts)
	out.Accounts = slices.Compact(out.Accounts)
	out.Unmapped = compliance.Unmapped(s.Catalog, all)
	t, err := compliance.Repo{Store: s.Store}.PutAll(r.Context(), principal(r).Tenant, all)
	out.Tally = t
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// fileError names the uploaded file in a parse error, keeping its kind and
// field.
func fileError(name string, err error) error {
	if e, ok := errs.As(err); ok {
		c := *e
		c.Message = "file " + name + ": " + strings.TrimSpace(c.Message)
		return &c
	}
	return fmt.Errorf("file %s: %w", name, err)
}

// contradictionApply names the contradicted property to set to what the
// evidence shows.
type contradictionApply struct {
	Element  string `json:"element"`
	Property string `json:"property"`
}

// applyContradiction sets an element's property to the value current
// evidence shows (Security Hub says the database is public: the model now
// says so too). The contradiction is recomputed from the stored evidence,
// so only what the evidence really shows can be written.
func (s *server) applyContradiction(w http.ResponseWriter, r *http.Request) error {
	expected, _, err := ifMatch(r, true)
	if err != nil {
		return err
	}
	var req contradictionApply
	if err := decodeSmallBody(w, r, &req); err != nil {
		return err
	}
	if req.Element == "" || req.Property == "" {
		return errs.Field("element", "element and property are required")
	}
	tenant := principal(r).Tenant
	m, err := s.models.Get(r.Context(), tenant, r.PathValue("id"))
	if err != nil {
		return err
	}
	if m.Revision != expected {
		return errs.ConflictAt(m.Revision, "model %s changed since revision %d; reload it and apply your change again", m.ID, expected)
	}
	evs, err := compliance.Repo{Store: s.Store}.ForAccounts(r.Context(), tenant, compliance.Accounts(m))
	if err != nil {
		return err
	}
	var found []compliance.Contradiction
	for _, c := range compliance.Contradictions(s.Catalog, m, evs) {
		if c.Element == req.Element && c.Property == req.Property {
			found = append(found, c)
		}
	}
	if len(found) == 0 {
		return errs.E(errs.NotFound, "no evidence contradicts %s of element %s in model %s", req.Property, req.Element, m.ID)
	}
	*m = *compliance.Evidenced(m, found)
	ctx := store.WithVersionNote(r.Context(), fmt.Sprintf("applied evidence: %s of %s", req.Property, req.Element))
	if err := s.models.Update(ctx, m, expected); err != nil {
		return err
	}
	w.Header().Set("ETag", etag(m.Revision))
	writeJSON(w, http.StatusOK, m)
	return nil
}
