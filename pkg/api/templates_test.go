package api

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/model"
	"github.com/bulwark-tm/bulwark/pkg/template"
)

func TestTemplatesRolesAndLifecycle(t *testing.T) {
	h := newTestAPI(t)
	admin := client{t: t, h: h, who: "acme/admin/root"}
	editor := client{t: t, h: h, who: "acme/editor/ann"}
	viewer := client{t: t, h: h, who: "acme/viewer/vic"}

	body := map[string]any{"name": "Web tier", "category": "AWS", "diagram": sampleModel()["diagram"]}
	if r := editor.do("POST", "/api/v1/templates", body); r.status != http.StatusForbidden || !strings.Contains(r.problem(t).Detail, "admin") {
		t.Fatalf("editor creating a template: %d %s", r.status, r.body)
	}
	r := admin.do("POST", "/api/v1/templates", body)
	if r.status != http.StatusCreated {
		t.Fatalf("admin create: %d %s", r.status, r.body)
	}
	tpl := decodeAs[template.Template](t, r)
	path := "/api/v1/templates/" + tpl.ID
	if tpl.State != template.Draft || tpl.Version != 1 {
		t.Errorf("new template %s v%d", tpl.State, tpl.Version)
	}

	listed := func(c client) []string {
		var out []string
		for _, s := range decodeAs[struct{ Items []template.Summary }](t, c.do("GET", "/api/v1/templates", nil)).Items {
			out = append(out, s.ID)
		}
		return out
	}
	if slices.Contains(listed(editor), tpl.ID) || !slices.Contains(listed(admin), tpl.ID) {
		t.Error("drafts must be listed for admins only")
	}
	if !slices.Contains(listed(viewer), "builtin-aws-microservices") {
		t.Error("built-in templates are not listed")
	}
	if r := editor.do("GET", path, nil); r.status != http.StatusForbidden || !strings.Contains(r.problem(t).Detail, "draft") {
		t.Errorf("editor reading a draft: %d %s", r.status, r.body)
	}
	if r := admin.do("POST", path+"/approve", nil, "If-Match", `"1"`); r.status != http.StatusOK {
		t.Fatalf("approve: %d %s", r.status, r.body)
	}
	if !slices.Contains(listed(editor), tpl.ID) {
		t.Error("approved template not listed for editors")
	}
	if r := editor.do("POST", path+"/approve", nil, "If-Match", `"2"`); r.status != http.StatusForbidden {
		t.Errorf("editor approving: %d", r.status)
	}

	// Create a model from it: a copy that records its source.
	r = editor.do("POST", path+"/models", map[string]any{"name": "From template", "priority": "Low"})
	if r.status != http.StatusCreated {
		t.Fatalf("model from template: %d %s", r.status, r.body)
	}
	m := decodeAs[model.ThreatModel](t, r)
	if m.Template == nil || m.Template.ID != tpl.ID || m.Template.Version != 1 || len(m.Diagram.Components) != 2 {
		t.Errorf("model from template: ref %+v, %d components", m.Template, len(m.Diagram.Components))
	}
	if r := editor.do("POST", path+"/models", map[string]any{"name": "x", "diagram": map[string]any{"components": []any{map[string]any{"id": "a", "type": "aws.ec2", "name": "a", "position": map[string]any{"x": 0, "y": 0}}}}}); r.status != 422 {
		t.Errorf("model from template with a diagram: %d", r.status)
	}
	// A later edit of the template leaves the model alone.
	tpl2 := decodeAs[template.Template](t, admin.do("GET", path, nil))
	tpl2.Name = "Web tier v2"
	if r := admin.do("PUT", path, tpl2, "If-Match", `"2"`); r.status != http.StatusOK || !strings.Contains(string(r.body), `"version":2`) {
		t.Fatalf("put: %d %s", r.status, r.body)
	}
	got := decodeAs[model.ThreatModel](t, editor.do("GET", "/api/v1/models/"+m.ID, nil))
	if got.Template.Version != 1 {
		t.Errorf("model follows the template: %+v", got.Template)
	}
	if vs := decodeAs[struct{ Items []template.Summary }](t, admin.do("GET", path+"/versions", nil)); len(vs.Items) != 2 {
		t.Errorf("versions: %d", len(vs.Items))
	}
	// Built-ins are read-only; duplicating one gives an editable draft.
	if r := admin.do("DELETE", "/api/v1/templates/builtin-aws-microservices", nil); r.status != http.StatusForbidden {
		t.Errorf("delete built-in: %d", r.status)
	}
	r = admin.do("POST", "/api/v1/templates/builtin-aws-microservices/duplicate", nil)
	if r.status != http.StatusCreated || !strings.Contains(string(r.body), "Copy of AWS Microservices") {
		t.Errorf("duplicate: %d %s", r.status, r.body)
	}
	if r := admin.do("DELETE", path, nil); r.status != http.StatusNoContent {
		t.Errorf("delete: %d %s", r.status, r.body)
	}
	if r := (client{t: t, h: h, who: "globex/admin/x"}).do("GET", "/api/v1/templates/"+tpl.ID, nil); r.status != http.StatusNotFound {
		t.Errorf("another tenant's template: %d", r.status)
	}
}

func TestSaveModelAndGroupAsTemplate(t *testing.T) {
	h := newTestAPI(t)
	admin := client{t: t, h: h, who: "acme/admin/root"}
	m := create(t, admin, sampleModel())
	base := "/api/v1/models/" + m.ID + "/templates"
	whole := decodeAs[template.Template](t, admin.do("POST", base, map[string]any{"name": "Whole"}))
	if len(whole.Diagram.Components) != 2 || len(whole.Diagram.Flows) != 1 || whole.State != template.Draft {
		t.Errorf("whole model: %+v", whole.Summarize())
	}
	r := admin.do("POST", base, map[string]any{"name": "Group", "group": "vpc"})
	if r.status != http.StatusCreated {
		t.Fatalf("group: %d %s", r.status, r.body)
	}
	g := decodeAs[template.Template](t, r)
	if len(g.Diagram.Groups) != 1 || len(g.Diagram.Components) != 2 || len(g.Diagram.Flows) != 1 {
		t.Errorf("group template: %+v", g.Summarize())
	}
	sel := decodeAs[template.Template](t, admin.do("POST", base, map[string]any{"name": "One", "components": []string{"web"}}))
	if len(sel.Diagram.Components) != 1 || len(sel.Diagram.Flows) != 0 {
		t.Errorf("selection template: %+v", sel.Summarize())
	}
	if r := admin.do("POST", base, map[string]any{"name": "Bad", "group": "nope"}); r.status != 422 || r.problem(t).Field != "/group" {
		t.Errorf("unknown group: %d %s", r.status, r.body)
	}
	if r := (client{t: t, h: h, who: "acme/editor/ann"}).do("POST", base, map[string]any{"name": "x"}); r.status != http.StatusForbidden {
		t.Errorf("editor saving a template: %d", r.status)
	}
}

func TestNestingCyclesAreRefused(t *testing.T) {
	h := newTestAPI(t)
	c := client{t: t, h: h, who: "acme/editor/ann"}
	a := create(t, c, map[string]any{"name": "App"})
	nest := func(target model.ThreatModel) map[string]any {
		return map[string]any{"components": []any{map[string]any{"id": "n1", "type": "generic.threat-model", "name": target.Name, "position": map[string]any{"x": 0, "y": 0},
			"nestedModel": map[string]any{"modelId": target.ID, "importThreats": true}}}, "flows": []any{}, "groups": []any{}}
	}
	bm := map[string]any{"name": "Infra", "diagram": nest(a)}
	b := create(t, c, bm)
	// A inside B exists; putting B inside A is a cycle.
	r := c.do("PUT", "/api/v1/models/"+a.ID+"/diagram", nest(b), "If-Match", `"1"`)
	if r.status != 422 {
		t.Fatalf("cycle accepted: %d %s", r.status, r.body)
	}
	p := r.problem(t)
	if p.Field != "/diagram/components/0/nestedModel/modelId" || !strings.Contains(p.Detail, "App › Infra › App") {
		t.Errorf("cycle problem: %+v", p)
	}
	self := nest(a)
	if r := c.do("PUT", "/api/v1/models/"+a.ID+"/diagram", self, "If-Match", `"1"`); r.status != 422 || !strings.Contains(r.problem(t).Detail, "itself") {
		t.Errorf("self nesting: %d %s", r.status, r.body)
	}
	ghost := nest(model.ThreatModel{ID: "ghost", Name: "Ghost"})
	if r := c.do("PUT", "/api/v1/models/"+a.ID+"/diagram", ghost, "If-Match", `"1"`); r.status != 422 {
		t.Errorf("dangling nested model: %d", r.status)
	}
	other := create(t, client{t: t, h: h, who: "globex/editor/x"}, map[string]any{"name": "Secret"})
	if r := c.do("PUT", "/api/v1/models/"+a.ID+"/diagram", nest(other), "If-Match", `"1"`); r.status != 422 || strings.Contains(string(r.body), "Secret") {
		t.Errorf("another tenant's model: %d %s", r.status, r.body)
	}
}
