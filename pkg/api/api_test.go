package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwark-tm/bulwark/pkg/auth"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/model"
	"github.com/bulwark-tm/bulwark/pkg/store/bolt"
)

// headerAuth is a test authenticator: "X-Test-Principal: tenant/role/user".
type headerAuth struct{}

func (headerAuth) Mode() string { return "test" }

func (headerAuth) Authenticate(r *http.Request) (auth.Principal, error) {
	parts := strings.Split(r.Header.Get("X-Test-Principal"), "/")
	if len(parts) != 3 {
		return auth.Principal{}, errs.E(errs.Unauthorized, "no test principal")
	}
	return auth.Principal{Tenant: parts[0], Role: auth.ParseRole(parts[1]), User: parts[2]}, nil
}

type client struct {
	t       *testing.T
	h       http.Handler
	who     string
	headers map[string]string
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) problem(t *testing.T) Problem {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type = %q, want application/problem+json; body %s", ct, r.body)
	}
	var p Problem
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatalf("problem body: %v: %s", err, r.body)
	}
	if p.Status != r.status {
		t.Errorf("problem status %d != HTTP status %d", p.Status, r.status)
	}
	return p
}

func (c client) do(method, path string, body any, hdr ...string) response {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req := httptest.NewRequest(method, path, rd)
	if c.who != "" {
		req.Header.Set("X-Test-Principal", c.who)
	}
	if body != nil {
		// What the web app sends; a test of other types sets its own.
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Bulwark-Client", "web")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	return response{rec.Code, rec.Header(), rec.Body.Bytes()}
}

func newTestAPI(t *testing.T) http.Handler {
	t.Helper()
	st, err := bolt.Open(filepath.Join(t.TempDir(), "api.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return New(Deps{Store: st, Auth: headerAuth{}, Version: "test", Logger: discardLogger()})
}

func sampleModel() map[string]any {
	return map[string]any{
		"name": "Payments", "projectType": "AWS Cloud Application", "priority": "High", "facing": "public",
		"labels": []string{"pci", "team-a"},
		"diagram": map[string]any{
			"groups": []any{map[string]any{"id": "vpc", "kind": "group", "name": "VPC", "position": map[string]any{"x": 0, "y": 0}, "size": map[string]any{"width": 400, "height": 300}}},
			"components": []any{
				map[string]any{"id": "alb", "type": "aws.alb", "name": "ALB", "parent": "vpc", "position": map[string]any{"x": 10, "y": 10}},
				map[string]any{"id": "web", "type": "aws.ec2", "name": "Web", "parent": "vpc", "position": map[string]any{"x": 200, "y": 10}},
			},
			"flows": []any{map[string]any{"id": "f1", "source": "alb", "target": "web", "protocol": "HTTPS", "port": 443}},
		},
	}
}

func create(t *testing.T, c client, m map[string]any) model.ThreatModel {
	t.Helper()
	r := c.do("POST", "/api/v1/models", m)
	if r.status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	var got model.ThreatModel
	if err := json.Unmarshal(r.body, &got); err != nil {
		t.Fatal(err)
	}
	return got
}

func TestCreateGetRoundTrip(t *testing.T) {
	c := client{t: t, h: newTestAPI(t), who: "acme/editor/ann"}
	m := create(t, c, sampleModel())
	if m.ID == "" || m.Revision != 1 || m.Tenant != "acme" || m.Owner != "ann" || m.CreatedAt.IsZero() {
		t.Fatalf("created model lacks server fields: %+v", m)
	}
	r := c.do("GET", "/api/v1/models/"+m.ID, nil)
	if r.status != 200 || r.header.Get("ETag") != `"1"` {
		t.Fatalf("get: %d ETag %q", r.status, r.header.Get("ETag"))
	}
	var got model.ThreatModel
	if err := json.Unmarshal(r.body, &got); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(m, got); d != "" {
		t.Errorf("GET differs from POST answer (-post +get):\n%s", d)
	}
}

func TestDiagramWriteIsConditional(t *testing.T) {
	c := client{t: t, h: newTestAPI(t), who: "acme/editor/ann"}
	m := create(t, c, sampleModel())
	path := "/api/v1/models/" + m.ID + "/diagram"
	d := m.Diagram
	d.Components = append(d.Components, model.Component{ID: "db", Type: "aws.rds", Name: "DB", Position: model.Point{X: 5, Y: 5}})

	r := c.do("PUT", path, d, "If-Match", `"1"`)
	if r.status != 200 || r.header.Get("ETag") != `"2"` {
		t.Fatalf("put: %d %s", r.status, r.body)
	}
	// A second writer that read revision 1 must not overwrite revision 2.
	d2 := m.Diagram
	d2.Components = d2.Components[:1]
	d2.Flows = nil
	r = c.do("PUT", path, d2, "If-Match", `"1"`)
	if r.status != http.StatusConflict {
		t.Fatalf("stale put: %d %s", r.status, r.body)
	}
	if p := r.problem(t); p.CurrentRevision == nil || *p.CurrentRevision != 2 {
		t.Errorf("stale put: currentRevision = %v, want 2", p.CurrentRevision)
	}
	// Prefer: return=minimal answers with the revision only.
	r = c.do("PUT", path, d, "If-Match", `"2"`, "Prefer", "return=minimal")
	if r.status != 200 || r.header.Get("Preference-Applied") != "return=minimal" || strings.Contains(string(r.body), "components") || !strings.Contains(string(r.body), `"revision":3`) {
		t.Fatalf("minimal put: %d %s", r.status, r.body)
	}
	r = c.do("GET", path, nil)
	var got model.Diagram
	if err := json.Unmarshal(r.body, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Components) != 3 || r.header.Get("ETag") != `"3"` {
		t.Errorf("after conflict: %d components, ETag %s; want 3 and \"3\"", len(got.Components), r.header.Get("ETag"))
	}
}

// TestDiagramPutStoresOneSpelling checks that a diagram sent spelled as
// the store encodes it (kept as it is) and the same diagram spelled
// otherwise (encoded again) store the same document.
func TestDiagramPutStoresOneSpelling(t *testing.T) {
	c := client{t: t, h: newTestAPI(t), who: "acme/editor/ann"}
	m := create(t, c, sampleModel())
	path := "/api/v1/models/" + m.ID
	d := m.Diagram
	d.Components[0].Properties = model.Properties{"b": json.RawMessage(`{"z":[1,"x y"]}`), "a": json.RawMessage(`2.50`)}
	canonical, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if model.CanonicalDiagram(canonical) == nil {
		t.Fatalf("the store's own spelling is not recognised: %s", canonical)
	}
	indented, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	var docs []map[string]any
	for i, body := range [][]byte{canonical, indented} {
		if r := c.do("PUT", path+"/diagram", body, "If-Match", etag(int64(i+1))); r.status != 200 {
			t.Fatalf("put %d: %d %s", i, r.status, r.body)
		}
		r := c.do("GET", path, nil)
		var got model.ThreatModel
		if err := json.Unmarshal(r.body, &got); err != nil {
			t.Fatal(err)
		}
		if again, _ := json.Marshal(&got); string(again) != string(r.body) {
			t.Fatalf("put %d stored a document that is not its own encoding:\n%s\n%s", i, r.body, again)
		}
		var doc map[string]any
		if err := json.Unmarshal(r.body, &doc); err != nil {
			t.Fatal(err)
		}
		delete(doc, "revision")
		delete(doc, "updatedAt")
		docs = append(docs, doc)
	}
	if diff := cmp.Diff(docs[0], docs[1]); diff != "" {
		t.Errorf("the two spellings stored different documents (-canonical +indented):\n%s", diff)
	}
}

// TestBadInput covers every class of bad input: each gets the right status,
// a problem+json body naming the field, and changes nothing.
func TestBadInput(t *testing.T) {
	h := newTestAPI(t)
	editor := client{t: t, h: h, who: "acme/editor/ann"}
	m := create(t, editor, sampleModel())
	other := create(t, client{t: t, h: h, who: "globex/admin/bob"}, sampleModel())
	model1 := "/api/v1/models/" + m.ID
	big := `{"name":"` + strings.Repeat("x", MaxDocumentBody) + `"}`

	dangling := sampleModel()["diagram"].(map[string]any)
	dangling["flows"] = []any{map[string]any{"id": "f1", "source": "alb", "target": "ghost", "protocol": "HTTPS"}}
	cycle := sampleModel()["diagram"].(map[string]any)
	cycle["groups"] = []any{
		map[string]any{"id": "a", "kind": "group", "name": "A", "parent": "b", "position": map[string]any{"x": 0, "y": 0}, "size": map[string]any{"width": 1, "height": 1}},
		map[string]any{"id": "b", "kind": "group", "name": "B", "parent": "a", "position": map[string]any{"x": 0, "y": 0}, "size": map[string]any{"width": 1, "height": 1}},
	}
	cycle["components"] = []any{}
	cycle["flows"] = []any{}
	noName := sampleModel()
	delete(noName, "name")
	wrongType := sampleModel()
	wrongType["name"] = 42
	unknownKind := sampleModel()["diagram"].(map[string]any)
	unknownKind["groups"] = []any{map[string]any{"id": "vpc", "kind": "blob", "name": "x", "position": map[string]any{"x": 0, "y": 0}, "size": map[string]any{"width": 1, "height": 1}}}

	tests := []struct {
		name      string
		who       string
		method    string
		path      string
		body      any
		hdr       []string
		status    int
		field     string
		wantAllow string
	}{
		{"malformed JSON", "", "POST", "/api/v1/models", `{"name": "x",`, nil, 400, "", ""},
		{"malformed JSON syntax", "", "PUT", model1 + "/diagram", `{"components": [}`, []string{"If-Match", `"1"`}, 400, "", ""},
		{"wrong type", "", "POST", "/api/v1/models", wrongType, nil, 400, "/name", ""},
		{"wrong type in diagram", "", "PUT", model1 + "/diagram", `{"components": [{"id": "a", "position": {"x": "left"}}]}`, []string{"If-Match", `"1"`}, 400, "/diagram/components/position/x", ""},
		{"unknown field", "", "POST", "/api/v1/models", `{"name":"x","bogus":1}`, nil, 400, "/bogus", ""},
		{"missing required field", "", "POST", "/api/v1/models", noName, nil, 422, "/name", ""},
		{"empty body", "", "POST", "/api/v1/models", "", nil, 400, "", ""},
		{"oversized body", "", "POST", "/api/v1/models", big, nil, 413, "", ""},
		{"wrong content type", "", "POST", "/api/v1/models", "name=x", []string{"Content-Type", "application/x-www-form-urlencoded"}, 415, "Content-Type", ""},
		{"dangling reference", "", "PUT", model1 + "/diagram", dangling, []string{"If-Match", `"1"`}, 422, "/diagram/flows/0/target", ""},
		{"parent cycle", "", "PUT", model1 + "/diagram", cycle, []string{"If-Match", `"1"`}, 422, "/diagram/groups/0/parent", ""},
		{"unknown group kind", "", "PUT", model1 + "/diagram", unknownKind, []string{"If-Match", `"1"`}, 422, "/diagram/groups/0/kind", ""},
		{"stale revision", "", "PUT", model1 + "/diagram", sampleModel()["diagram"], []string{"If-Match", `"7"`}, 409, "", ""},
		{"stale revision on patch", "", "PATCH", model1, `{"name":"new"}`, []string{"If-Match", `"3"`}, 409, "", ""},
		{"missing If-Match", "", "PUT", model1 + "/diagram", sampleModel()["diagram"], nil, 428, "If-Match", ""},
		{"bad If-Match", "", "PATCH", model1, `{"name":"new"}`, []string{"If-Match", `W/"abc"`}, 400, "If-Match", ""},
		{"invalid priority on patch", "", "PATCH", model1, `{"priority":"Urgent"}`, []string{"If-Match", `"1"`}, 422, "/priority", ""},
		{"diagram is not metadata", "", "PATCH", model1, `{"diagram":{}}`, []string{"If-Match", `"1"`}, 400, "/diagram", ""},
		{"unknown route", "", "GET", "/api/v1/nothing", nil, nil, 404, "", ""},
		{"unknown method", "", "PUT", "/api/v1/models", `{}`, nil, 405, "", "HEAD, GET, POST, OPTIONS"},
		{"cross-tenant read", "", "GET", "/api/v1/models/" + other.ID, nil, nil, 404, "", ""},
		{"cross-tenant write", "", "PUT", "/api/v1/models/" + other.ID + "/diagram", sampleModel()["diagram"], []string{"If-Match", `"1"`}, 404, "", ""},
		{"cross-tenant delete", "", "DELETE", "/api/v1/models/" + other.ID, nil, nil, 404, "", ""},
		{"viewer writing", "acme/viewer/vic", "PUT", model1 + "/diagram", sampleModel()["diagram"], []string{"If-Match", `"1"`}, 403, "", ""},
		{"viewer creating", "acme/viewer/vic", "POST", "/api/v1/models", sampleModel(), nil, 403, "", ""},
		{"unauthenticated", "-", "GET", "/api/v1/models", nil, nil, 401, "", ""},
		{"bad list limit", "", "GET", "/api/v1/models?limit=0", nil, nil, 400, "limit", ""},
		{"bad cursor", "", "GET", "/api/v1/models?cursor=zzz", nil, nil, 400, "cursor", ""},
		{"bad sort", "", "GET", "/api/v1/models?sort=size", nil, nil, 400, "sort", ""},
		{"newer schema version", "", "POST", "/api/v1/models", `{"schemaVersion": 99, "name": "x"}`, nil, 422, "/schemaVersion", ""},
	}
	before := editor.do("GET", model1, nil).body
	otherBefore := client{t: t, h: h, who: "globex/admin/bob"}.do("GET", "/api/v1/models/"+other.ID, nil).body
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := client{t: t, h: h, who: "acme/editor/ann"}
			switch tt.who {
			case "":
			case "-":
				c.who = ""
			default:
				c.who = tt.who
			}
			r := c.do(tt.method, tt.path, tt.body, tt.hdr...)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d; body %s", r.status, tt.status, r.body)
			}
			p := r.problem(t)
			if p.Field != tt.field {
				t.Errorf("field %q, want %q (detail %q)", p.Field, tt.field, p.Detail)
			}
			if p.Detail == "" || p.Title == "" || p.Type == "" {
				t.Errorf("problem lacks detail, title or type: %+v", p)
			}
			if tt.wantAllow != "" && r.header.Get("Allow") != tt.wantAllow {
				t.Errorf("Allow = %q, want %q", r.header.Get("Allow"), tt.wantAllow)
			}
			// Nothing was written.
			if after := editor.do("GET", model1, nil).body; !bytes.Equal(before, after) {
				t.Errorf("model changed after a rejected request:\nbefore %s\nafter  %s", before, after)
			}
			if after := (client{t: t, h: h, who: "globex/admin/bob"}).do("GET", "/api/v1/models/"+other.ID, nil).body; !bytes.Equal(otherBefore, after) {
				t.Errorf("other tenant's model changed")
			}
		})
	}
	// No stray model was created by any rejected POST.
	var page listPage
	_ = json.Unmarshal(editor.do("GET", "/api/v1/models", nil).body, &page)
	if page.Total != 1 {
		t.Errorf("tenant acme has %d models after rejected creates, want 1", page.Total)
	}
}

func TestPatchAndDelete(t *testing.T) {
	c := client{t: t, h: newTestAPI(t), who: "acme/admin/ann"}
	m := create(t, c, sampleModel())
	path := "/api/v1/models/" + m.ID
	r := c.do("PATCH", path, `{"name":"Payments v2","labels":["pci"]}`, "If-Match", `"1"`)
	if r.status != 200 || r.header.Get("ETag") != `"2"` {
		t.Fatalf("patch: %d %s", r.status, r.body)
	}
	var got model.ThreatModel
	_ = json.Unmarshal(r.body, &got)
	if got.Name != "Payments v2" || !slices.Equal(got.Labels, []string{"pci"}) || len(got.Diagram.Components) != 2 {
		t.Errorf("patch result: name %q labels %v components %d", got.Name, got.Labels, len(got.Diagram.Components))
	}
	if r := c.do("DELETE", path, nil, "If-Match", `"1"`); r.status != 409 {
		t.Errorf("stale delete: %d", r.status)
	}
	if r := c.do("DELETE", path, nil, "If-Match", `"2"`); r.status != 204 {
		t.Errorf("delete: %d %s", r.status, r.body)
	}
	if r := c.do("GET", path, nil); r.status != 404 {
		t.Errorf("get after delete: %d", r.status)
	}
	if r := c.do("DELETE", path, nil); r.status != 404 {
		t.Errorf("second delete: %d", r.status)
	}
}

func TestListSearchFilterSortPaginate(t *testing.T) {
	c := client{t: t, h: newTestAPI(t), who: "acme/editor/ann"}
	prios := []string{"Very High", "High", "Medium", "Low", "Very Low"}
	for i := range 23 {
		m := sampleModel()
		m["name"] = fmt.Sprintf("Model %02d", i)
		m["priority"] = prios[i%5]
		m["labels"] = []string{fmt.Sprintf("team-%d", i%3)}
		if i%2 == 0 {
			m["projectType"] = "Web Application"
		}
		create(t, c, m)
	}
	list := func(q string) listPage {
		t.Helper()
		r := c.do("GET", "/api/v1/models?"+q, nil)
		if r.status != 200 {
			t.Fatalf("list %s: %d %s", q, r.status, r.body)
		}
		var p listPage
		if err := json.Unmarshal(r.body, &p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	names := func(p listPage) []string {
		var n []string
		for _, s := range p.Items {
			n = append(n, s.Name)
		}
		return n
	}
	if got := names(list("q=model+1&sort=name")); !slices.Equal(got, []string{"Model 10", "Model 11", "Model 12", "Model 13", "Model 14", "Model 15", "Model 16", "Model 17", "Model 18", "Model 19"}) {
		t.Errorf("search: %v", got)
	}
	if p := list("label=team-1&type=Web+Application&sort=name"); !slices.Equal(names(p), []string{"Model 04", "Model 10", "Model 16", "Model 22"}) {
		t.Errorf("filter by label and type: %v", names(p))
	}
	if p := list("priority=Very+High&priority=Very+Low&sort=-name"); !slices.Equal(names(p), []string{"Model 20", "Model 19", "Model 15", "Model 14", "Model 10", "Model 09", "Model 05", "Model 04", "Model 00"}) {
		t.Errorf("filter by priorities, sort descending: %v", names(p))
	}
	// Paginate by 5 in priority order: every model exactly once, in order.
	var all []string
	var prioIdx []int
	q := "sort=priority&limit=5"
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("pagination does not end")
		}
		p := list(q)
		if p.Total != 23 {
			t.Fatalf("total = %d", p.Total)
		}
		all = append(all, names(p)...)
		for _, s := range p.Items {
			prioIdx = append(prioIdx, slices.Index(prios, string(s.Priority)))
		}
		if p.Next == "" {
			break
		}
		q = "sort=priority&limit=5&cursor=" + p.Next
	}
	if len(all) != 23 {
		t.Fatalf("paginated %d models, want 23: %v", len(all), all)
	}
	seen := map[string]bool{}
	for _, n := range all {
		if seen[n] {
			t.Errorf("%s seen twice", n)
		}
		seen[n] = true
	}
	if !slices.IsSorted(prioIdx) {
		t.Errorf("pages not in priority order: %v", prioIdx)
	}
	if r := c.do("GET", "/api/v1/models?sort=name&cursor="+list("sort=priority&limit=5").Next, nil); r.status != 400 {
		t.Errorf("cursor of another sort accepted: %d", r.status)
	}
}

func TestHealthAndSession(t *testing.T) {
	c := client{t: t, h: newTestAPI(t)}
	r := c.do("GET", "/api/v1/health", nil)
	if r.status != 200 || !strings.Contains(string(r.body), `"ok"`) {
		t.Errorf("health: %d %s", r.status, r.body)
	}
	c.who = "acme/viewer/vic"
	r = c.do("GET", "/api/v1/session", nil)
	var s map[string]string
	_ = json.Unmarshal(r.body, &s)
	if s["tenant"] != "acme" || s["role"] != "viewer" || s["user"] != "vic" {
		t.Errorf("session: %s", r.body)
	}
	if r.header.Get("X-Request-Id") == "" {
		t.Error("no X-Request-Id")
	}
}
