package api

import (
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/diff"
	"github.com/bulwark-tm/bulwark/pkg/model"
	"github.com/bulwark-tm/bulwark/pkg/store"
	"github.com/bulwark-tm/bulwark/pkg/store/bolt"
)

// withDatabase returns the sample diagram plus a publicly accessible RDS
// database that the web server talks to.
func withDatabase() map[string]any {
	d := sampleModel()["diagram"].(map[string]any)
	d["components"] = append(d["components"].([]any), map[string]any{"id": "db", "type": "aws.rds", "name": "Orders DB", "parent": "vpc",
		"position": map[string]any{"x": 300, "y": 100}, "properties": map[string]any{"publiclyAccessible": true}})
	d["flows"] = append(d["flows"].([]any), map[string]any{"id": "f2", "source": "web", "target": "db", "protocol": "PostgreSQL", "port": 5432})
	return d
}

type versionPage struct {
	Items     []store.Version
	NextToken string
}

func TestVersionHistoryAPI(t *testing.T) {
	h := newTestAPI(t)
	ann := client{t: t, h: h, who: "acme/editor/ann"}
	viewer := client{t: t, h: h, who: "acme/viewer/vic"}
	other := client{t: t, h: h, who: "other/admin/eve"}
	m := create(t, ann, sampleModel())
	base := "/api/v1/models/" + m.ID
	if r := ann.do("PUT", base+"/diagram", withDatabase(), "If-Match", `"1"`); r.status != http.StatusOK {
		t.Fatalf("save: %d %s", r.status, r.body)
	}

	// Listed newest first, with who, when and what changed; paged.
	r := viewer.do("GET", base+"/versions", nil)
	vl := decode[versionPage](t, r)
	if r.status != http.StatusOK || len(vl.Items) != 2 || vl.Items[0].Revision != 2 || vl.Items[1].Revision != 1 {
		t.Fatalf("versions: %d %s", r.status, r.body)
	}
	if v := vl.Items[0]; v.Author != "ann" || v.Summary != "+1 component, +1 flow" || v.SavedAt.IsZero() {
		t.Errorf("version 2: %+v", v)
	}
	if !strings.Contains(string(r.body), `"savedAt":"`) || strings.Contains(string(r.body), `"name"`) {
		t.Errorf("version JSON: %s", r.body)
	}
	p1 := decode[versionPage](t, viewer.do("GET", base+"/versions?limit=1", nil))
	if len(p1.Items) != 1 || p1.Items[0].Revision != 2 || p1.NextToken == "" {
		t.Fatalf("page 1: %+v", p1)
	}
	p2 := decode[versionPage](t, viewer.do("GET", base+"/versions?limit=1&nextToken="+p1.NextToken, nil))
	if len(p2.Items) != 1 || p2.Items[0].Revision != 1 || p2.NextToken != "" {
		t.Fatalf("page 2: %+v", p2)
	}
	for _, q := range []string{"?limit=0", "?limit=x", "?nextToken=garbage"} {
		if r := viewer.do("GET", base+"/versions"+q, nil); r.status != http.StatusBadRequest {
			t.Errorf("versions%s: %d %s", q, r.status, r.body)
		}
	}

	// A version reads back as the document it was, read-only.
	r = viewer.do("GET", base+"/versions/1", nil)
	v1 := decode[model.ThreatModel](t, r)
	if r.status != http.StatusOK || v1.Revision != 1 || len(v1.Diagram.Components) != 2 || v1.ID != m.ID {
		t.Fatalf("version 1: %d %s", r.status, r.body)
	}
	for path, want := range map[string]int{"/versions/9": 404, "/versions/abc": 400, "/versions/0": 400} {
		if r := viewer.do("GET", base+path, nil); r.status != want {
			t.Errorf("GET %s: %d, want %d", path, r.status, want)
		}
	}
	if r := viewer.do("PUT", base+"/versions/1", map[string]any{}); r.status != http.StatusMethodNotAllowed {
		t.Errorf("PUT a version: %d", r.status)
	}

	// Naming: editors only; merge-patch or JSON; null removes.
	if r := viewer.do("PATCH", base+"/versions/1", map[string]any{"name": "x"}); r.status != http.StatusForbidden {
		t.Errorf("viewer names a version: %d", r.status)
	}
	r = ann.do("PATCH", base+"/versions/1", `{"name":"v1.0 reviewed"}`, "Content-Type", "application/merge-patch+json")
	if v := decode[store.Version](t, r); r.status != http.StatusOK || v.Name != "v1.0 reviewed" || v.Revision != 1 {
		t.Fatalf("name: %d %s", r.status, r.body)
	}
	if r := ann.do("PATCH", base+"/versions/1", map[string]any{"name": strings.Repeat("n", 201)}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("long name: %d %s", r.status, r.body)
	}
	if r := ann.do("PATCH", base+"/versions/1", map[string]any{"name": 5}); r.status != http.StatusBadRequest {
		t.Errorf("number name: %d %s", r.status, r.body)
	}
	if r := ann.do("PATCH", base+"/versions/1", map[string]any{"label": "x"}); r.status != http.StatusBadRequest {
		t.Errorf("unknown field: %d %s", r.status, r.body)
	}

	// Restore: a new revision with the old content; conditional.
	if r := ann.do("POST", base+"/versions/1/restore", nil); r.status != http.StatusPreconditionRequired {
		t.Errorf("restore without If-Match: %d", r.status)
	}
	if r := viewer.do("POST", base+"/versions/1/restore", nil, "If-Match", `"2"`); r.status != http.StatusForbidden {
		t.Errorf("viewer restores: %d", r.status)
	}
	if r := ann.do("POST", base+"/versions/1/restore", nil, "If-Match", `"1"`); r.status != http.StatusConflict {
		t.Errorf("stale restore: %d %s", r.status, r.body)
	}
	r = ann.do("POST", base+"/versions/1/restore", nil, "If-Match", `"2"`)
	restored := decode[model.ThreatModel](t, r)
	if r.status != http.StatusOK || restored.Revision != 3 || len(restored.Diagram.Components) != 2 || r.header.Get("ETag") != `"3"` {
		t.Fatalf("restore: %d %s", r.status, r.body)
	}
	cur := decode[model.ThreatModel](t, viewer.do("GET", base, nil))
	if cur.Revision != 3 || len(cur.Diagram.Components) != 2 || cur.Name != "Payments" {
		t.Errorf("after restore: %+v", cur)
	}
	vl = decode[versionPage](t, viewer.do("GET", base+"/versions", nil))
	if len(vl.Items) != 3 || vl.Items[0].Revision != 3 || !strings.HasPrefix(vl.Items[0].Summary, "restored revision 1; −1 component, −1 flow") {
		t.Errorf("restore version: %+v", vl.Items)
	}
	if vl.Items[2].Name != "v1.0 reviewed" {
		t.Errorf("the name did not stay: %+v", vl.Items[2])
	}

	// Another tenant sees nothing and changes nothing.
	for _, c := range []struct{ method, path string }{
		{"GET", "/versions"}, {"GET", "/versions/1"}, {"PATCH", "/versions/1"}, {"POST", "/versions/1/restore"},
		{"POST", "/versions/1/review"}, {"GET", "/diff?from=1"}, {"POST", "/diff"},
	} {
		var body any
		if c.method != "GET" {
			body = map[string]any{"name": "mine", "action": "approve"}
		}
		r := other.do(c.method, base+c.path, body, "If-Match", `"3"`)
		if r.status != http.StatusNotFound && r.status != http.StatusUnprocessableEntity && r.status != http.StatusBadRequest || strings.Contains(string(r.body), "Payments") {
			t.Errorf("tenant other %s %s: %d %s", c.method, c.path, r.status, r.body)
		}
	}
	if vl := decode[versionPage](t, viewer.do("GET", base+"/versions", nil)); len(vl.Items) != 3 || vl.Items[2].Name != "v1.0 reviewed" || vl.Items[0].Review != nil {
		t.Errorf("after tenant other: %+v", vl.Items)
	}

	// Deleting the model deletes its history.
	if r := ann.do("DELETE", base, nil); r.status != http.StatusNoContent {
		t.Fatalf("delete: %d", r.status)
	}
	if r := viewer.do("GET", base+"/versions", nil); r.status != http.StatusNotFound {
		t.Errorf("versions of a deleted model: %d %s", r.status, r.body)
	}
}

func TestReviewSignOffAPI(t *testing.T) {
	h := newTestAPI(t)
	ann := client{t: t, h: h, who: "acme/editor/ann"}
	rita := client{t: t, h: h, who: "acme/reviewer/rita"}
	viewer := client{t: t, h: h, who: "acme/viewer/vic"}
	admin := client{t: t, h: h, who: "acme/admin/ada"}
	m := create(t, ann, sampleModel())
	base := "/api/v1/models/" + m.ID
	if r := ann.do("PUT", base+"/diagram", withDatabase(), "If-Match", `"1"`); r.status != http.StatusOK {
		t.Fatalf("save: %d %s", r.status, r.body)
	}
	review := func(c client, rev int, action string) response {
		return c.do("POST", fmt.Sprintf("%s/versions/%d/review", base, rev), map[string]any{"action": action, "comment": "by " + c.who})
	}
	// No baseline before an approval.
	if r := viewer.do("GET", base+"/diff?from=baseline", nil); r.status != http.StatusNotFound {
		t.Errorf("diff from a missing baseline: %d %s", r.status, r.body)
	}
	for _, tc := range []struct {
		name   string
		c      client
		rev    int
		action string
		want   int
		state  store.ReviewState
	}{
		{"a reviewer cannot approve what was not submitted", rita, 1, "approve", 409, ""},
		{"a viewer cannot submit", viewer, 1, "submit", 403, ""},
		{"a reviewer cannot submit (below editor)", rita, 1, "submit", 403, ""},
		{"an editor submits", ann, 1, "submit", 200, store.ReviewSubmitted},
		{"an editor cannot approve", ann, 1, "approve", 403, ""},
		{"a viewer cannot reject", viewer, 1, "reject", 403, ""},
		{"a reviewer approves", rita, 1, "approve", 200, store.ReviewApproved},
		{"an approved version cannot be rejected", admin, 1, "reject", 409, ""},
		{"unknown action", ann, 1, "merge", 422, ""},
		{"no such version", rita, 7, "approve", 404, ""},
		{"an editor submits the next", ann, 2, "submit", 200, store.ReviewSubmitted},
		{"an admin rejects", admin, 2, "reject", 200, store.ReviewRejected},
		{"a rejected version is submitted again", ann, 2, "submit", 200, store.ReviewSubmitted},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := review(tc.c, tc.rev, tc.action)
			if r.status != tc.want {
				t.Fatalf("%d %s", r.status, r.body)
			}
			if tc.want == 200 {
				v := decode[store.Version](t, r)
				if v.Review == nil || v.Review.State != tc.state || v.Review.By != strings.Split(tc.c.who, "/")[2] || v.Review.Comment != "by "+tc.c.who || v.Review.At.IsZero() {
					t.Errorf("review: %+v", v.Review)
				}
			} else {
				r.problem(t)
			}
		})
	}
	// The approved version is the baseline; a newer approval replaces it.
	d := decode[diff.Diff](t, viewer.do("GET", base+"/diff?from=baseline", nil))
	if d.From.Revision != 1 || d.To.Revision != 2 || d.Summary.ComponentsAdded != 1 {
		t.Errorf("diff from baseline: %+v", d.Summary)
	}
	if r := review(admin, 2, "approve"); r.status != http.StatusOK {
		t.Fatalf("admin approves: %d %s", r.status, r.body)
	}
	d = decode[diff.Diff](t, viewer.do("GET", base+"/diff?from=baseline", nil))
	if d.From.Revision != 2 || d.Summary.ComponentsAdded != 0 {
		t.Errorf("baseline after the second approval: %+v", d.From)
	}
}

func TestDiffAPI(t *testing.T) {
	h := newTestAPI(t)
	ann := client{t: t, h: h, who: "acme/editor/ann"}
	viewer := client{t: t, h: h, who: "acme/viewer/vic"}
	m := create(t, ann, sampleModel())
	base := "/api/v1/models/" + m.ID
	if r := ann.do("PUT", base+"/diagram", withDatabase(), "If-Match", `"1"`); r.status != http.StatusOK {
		t.Fatalf("save: %d %s", r.status, r.body)
	}
	r := viewer.do("GET", base+"/diff?from=1&to=2", nil)
	d := decode[diff.Diff](t, r)
	if r.status != http.StatusOK || d.From.Revision != 1 || d.To.Revision != 2 {
		t.Fatalf("diff: %d %s", r.status, r.body)
	}
	if len(d.Components.Added) != 1 || fmt.Sprint(d.Components.Added[0]) != fmt.Sprint(diff.Element{ID: "db", Name: "Orders DB", Type: "aws.rds"}) {
		t.Errorf("components added: %+v", d.Components.Added)
	}
	if len(d.Flows.Added) != 1 || d.Flows.Added[0].Name != "Web → Orders DB (PostgreSQL)" {
		t.Errorf("flows added: %+v", d.Flows.Added)
	}
	var public *diff.Item
	for i, t := range d.Threats.Added {
		if t.ID == "aws.rds.public-endpoint@db" {
			public = &d.Threats.Added[i]
		}
	}
	if public == nil || public.Severity != "Critical" || public.ElementName != "Orders DB" || public.Status != "Open" || public.STRIDE == "" {
		t.Errorf("public endpoint threat: %+v", public)
	}
	if d.Summary.HighThreatsAdded == 0 || d.Summary.ThreatsAdded != len(d.Threats.Added) || d.Summary.RequirementsAdded == 0 {
		t.Errorf("summary: %+v", d.Summary)
	}
	for _, key := range []string{`"removed":[]`, `"changed":[]`, `"compliance":{"changed":[]}`} {
		if !strings.Contains(string(r.body), key) {
			t.Errorf("diff JSON lacks %s (empty lists are lists)", key)
		}
	}
	// "to" defaults to current; a status decision is a change.
	patch := map[string]any{"items": map[string]any{"aws.rds.public-endpoint@db": map[string]any{"status": "Mitigated"}}}
	if r := ann.do("PATCH", base+"/states", patch, "If-Match", `"2"`); r.status != http.StatusOK {
		t.Fatalf("states: %d %s", r.status, r.body)
	}
	d = decode[diff.Diff](t, viewer.do("GET", base+"/diff?from=2", nil))
	if d.To.Revision != 3 || len(d.Threats.Changed) != 1 || d.Threats.Changed[0].From.Status != "Open" || d.Threats.Changed[0].To.Status != "Mitigated" {
		t.Errorf("status change: %+v", d.Threats)
	}
	if vl := decode[versionPage](t, viewer.do("GET", base+"/versions", nil)); len(vl.Items) != 3 || vl.Items[0].Summary != "1 status changed" {
		t.Errorf("states version: %+v", vl.Items)
	}
	for q, want := range map[string]int{"": 400, "?from=x": 400, "?from=1&to=9": 404, "?from=current&to=1": 200, "?from=-1": 400} {
		if r := viewer.do("GET", base+"/diff"+q, nil); r.status != want {
			t.Errorf("diff%s: %d, want %d: %s", q, r.status, want, r.body)
		}
	}

	// A version against a posted document (an import).
	doc := sampleModel()
	doc["diagram"] = withDatabase()
	r = ann.do("POST", base+"/diff?from=1", map[string]any{"document": doc})
	d = decode[diff.Diff](t, r)
	if r.status != http.StatusOK || d.Summary.ComponentsAdded != 1 || d.To.Revision != 0 {
		t.Errorf("posted diff: %d %s", r.status, r.body)
	}
	if r := viewer.do("POST", base+"/diff", map[string]any{"document": doc}); r.status != http.StatusForbidden {
		t.Errorf("viewer posts a diff: %d", r.status)
	}
	bad := sampleModel()
	bad["diagram"].(map[string]any)["flows"] = []any{map[string]any{"id": "f1", "source": "alb", "target": "nowhere", "protocol": "HTTPS"}}
	for name, body := range map[string]any{"no document": map[string]any{}, "invalid document": map[string]any{"document": bad}, "not a document": map[string]any{"document": 5}} {
		r := ann.do("POST", base+"/diff", body)
		if r.status != http.StatusUnprocessableEntity && r.status != http.StatusBadRequest || !strings.Contains(fmt.Sprint(r.problem(t)), "/document") {
			t.Errorf("%s: %d %s", name, r.status, r.body)
		}
	}
}

// TestHistoryRetentionSetting: Deps.HistoryKeep bounds the versions kept,
// and a named version outlives it.
func TestHistoryRetentionSetting(t *testing.T) {
	st, err := bolt.Open(filepath.Join(t.TempDir(), "api.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h := New(Deps{Store: st, Auth: headerAuth{}, Version: "test", Logger: discardLogger(), HistoryKeep: 2})
	ann := client{t: t, h: h, who: "acme/editor/ann"}
	m := create(t, ann, sampleModel())
	base := "/api/v1/models/" + m.ID
	if r := ann.do("PATCH", base+"/versions/1", map[string]any{"name": "first"}); r.status != http.StatusOK {
		t.Fatalf("name: %d %s", r.status, r.body)
	}
	for rev := 1; rev <= 4; rev++ {
		if r := ann.do("PATCH", base, map[string]any{"description": fmt.Sprint("take ", rev)}, "If-Match", fmt.Sprintf(`"%d"`, rev)); r.status != http.StatusOK {
			t.Fatalf("patch: %d %s", r.status, r.body)
		}
	}
	var revs []int64
	for _, v := range decode[versionPage](t, ann.do("GET", base+"/versions", nil)).Items {
		revs = append(revs, v.Revision)
	}
	if fmt.Sprint(revs) != "[5 4 1]" {
		t.Errorf("kept %v, want [5 4 1]", revs)
	}
}
