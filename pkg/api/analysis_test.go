package api

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/assist"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

func decodeAs[T any](t *testing.T, r response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
	return v
}

func loneEC2() map[string]any {
	return map[string]any{
		"name": "Lone EC2", "projectType": "AWS Cloud Application",
		"diagram": map[string]any{"components": []any{map[string]any{"id": "web", "type": "aws.ec2", "name": "web", "position": map[string]any{"x": 0, "y": 0}}}},
	}
}

func TestTasksApplyAndComplete(t *testing.T) {
	c := client{t: t, h: newTestAPI(t), who: "acme/editor/ann"}
	m := create(t, c, loneEC2())
	base := "/api/v1/models/" + m.ID
	tasks := decodeAs[taskList](t, c.do("GET", base+"/tasks", nil))
	if tasks.Open == 0 {
		t.Fatal("a lone EC2 has no open tasks")
	}
	var fixable string
	for _, tk := range tasks.Items {
		if tk.Status == assist.Open && tk.Fix != nil && tk.Fix.Place == "aws.subnet" {
			fixable = tk.ID
		}
	}
	if fixable == "" {
		t.Fatalf("no open task places a subnet: %+v", tasks.Items)
	}
	r := c.do("POST", base+"/tasks/apply", map[string]string{"task": fixable}, "If-Match", `"1"`)
	if r.status != http.StatusOK || r.header.Get("ETag") != `"2"` {
		t.Fatalf("apply: %d %s", r.status, r.body)
	}
	after := decodeAs[taskList](t, c.do("GET", base+"/tasks", nil))
	for _, tk := range after.Items {
		if tk.ID == fixable && tk.Status != assist.Completed {
			t.Errorf("applied task %s is %s", fixable, tk.Status)
		}
	}
	if after.Completed <= tasks.Completed {
		t.Errorf("completed tasks %d → %d", tasks.Completed, after.Completed)
	}
	// Applying it again conflicts; a stale revision conflicts; unknown 404.
	if r := c.do("POST", base+"/tasks/apply", map[string]string{"task": fixable}, "If-Match", `"2"`); r.status != http.StatusConflict {
		t.Errorf("re-apply: %d %s", r.status, r.body)
	}
	if r := c.do("POST", base+"/tasks/apply", map[string]string{"task": fixable}, "If-Match", `"1"`); r.status != http.StatusConflict {
		t.Errorf("stale apply: %d", r.status)
	}
	if r := c.do("POST", base+"/tasks/apply", map[string]string{"task": "nope@web"}, "If-Match", `"2"`); r.status != http.StatusNotFound {
		t.Errorf("unknown task: %d %s", r.status, r.body)
	}
}

func TestRequirementsStatusSurvivesEdits(t *testing.T) {
	h := newTestAPI(t)
	c := client{t: t, h: h, who: "acme/editor/ann"}
	m := create(t, c, loneEC2())
	base := "/api/v1/models/" + m.ID
	reqs := decodeAs[itemList[analysis.Requirement]](t, c.do("GET", base+"/requirements?component=web&groupBy=epic", nil))
	if len(reqs.Items) < 12 {
		t.Fatalf("EC2 has %d requirements, want at least 12", len(reqs.Items))
	}
	if len(reqs.Groups) == 0 || reqs.Groups[0].Key == "" {
		t.Errorf("no epic groups: %+v", reqs.Groups)
	}
	target := reqs.Items[0].ID
	patch := `{"items": {"` + target + `": {"status": "Implemented", "notes": "done via launch template"}}}`
	if r := c.do("PATCH", base+"/states", patch, "If-Match", `"1"`); r.status != http.StatusOK {
		t.Fatalf("patch states: %d %s", r.status, r.body)
	}
	// Edit the diagram: add an RDS; the status must survive recomputation.
	var d model.Diagram
	_ = json.Unmarshal(c.do("GET", base+"/diagram", nil).body, &d)
	d.Components = append(d.Components, model.Component{ID: "db", Type: "aws.rds", Name: "db"})
	if r := c.do("PUT", base+"/diagram", d, "If-Match", `"2"`); r.status != http.StatusOK {
		t.Fatalf("put diagram: %d %s", r.status, r.body)
	}
	after := decodeAs[itemList[analysis.Requirement]](t, c.do("GET", base+"/requirements?status=Implemented", nil))
	if len(after.Items) != 1 || after.Items[0].ID != target || after.Items[0].Notes != "done via launch template" {
		t.Fatalf("implemented requirements after edit: %+v", after.Items)
	}
	all := decodeAs[itemList[analysis.Requirement]](t, c.do("GET", base+"/requirements", nil))
	if !slices.ContainsFunc(all.Items, func(q analysis.Requirement) bool { return q.Component == "db" }) {
		t.Error("the new RDS has no requirements")
	}
	threats := decodeAs[itemList[analysis.Threat]](t, c.do("GET", base+"/threats?groupBy=severity", nil))
	if len(threats.Items) == 0 || threats.Rollup.Threats.Total != len(threats.Items) {
		t.Errorf("threats: %d items, rollup total %d", len(threats.Items), threats.Rollup.Threats.Total)
	}

	tests := []struct {
		name, who, body, ifMatch string
		status                   int
		field                    string
	}{
		{"bad status", "", `{"items": {"` + target + `": {"status": "Mitigated"}}}`, `"3"`, 422, "/items/" + target + "/status"},
		{"unknown item", "", `{"items": {"nope@web": {"status": "Open"}}}`, `"3"`, 422, "/items/nope@web"},
		{"empty", "", `{"items": {}}`, `"3"`, 422, "/items"},
		{"stale", "", `{"items": {"` + target + `": {"notes": "x"}}}`, `"2"`, 409, ""},
		{"viewer", "acme/viewer/vic", `{"items": {"` + target + `": {"notes": "x"}}}`, `"3"`, 403, ""},
		{"other tenant", "globex/admin/bob", `{"items": {"` + target + `": {"notes": "x"}}}`, `"3"`, 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cc := c
			if tt.who != "" {
				cc.who = tt.who
			}
			r := cc.do("PATCH", base+"/states", tt.body, "If-Match", tt.ifMatch)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if p := r.problem(t); p.Field != tt.field {
				t.Errorf("field %q, want %q", p.Field, tt.field)
			}
		})
	}
	if r := c.do("GET", base+"/threats?groupBy=colour", nil); r.status != 400 {
		t.Errorf("bad groupBy: %d", r.status)
	}
}

func TestGetRule(t *testing.T) {
	c := client{t: t, h: newTestAPI(t), who: "acme/viewer/vic"}
	m := create(t, client{t: t, h: c.h, who: "acme/editor/ann"}, loneEC2())
	reqs := decodeAs[itemList[analysis.Requirement]](t, c.do("GET", "/api/v1/models/"+m.ID+"/requirements", nil))
	r := c.do("GET", "/api/v1/catalog/rules/"+reqs.Items[0].Rule, nil)
	if r.status != 200 || !strings.Contains(string(r.body), `"kind":"requirement"`) || !strings.Contains(string(r.body), "description") {
		t.Errorf("rule: %d %s", r.status, r.body)
	}
	if r := c.do("GET", "/api/v1/catalog/rules/no.such.rule", nil); r.status != 404 {
		t.Errorf("unknown rule: %d", r.status)
	}
}
