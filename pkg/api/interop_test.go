package api

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/interop"
)

func otmFixture(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../interop/testdata/otm-shop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestInteropFormats(t *testing.T) {
	c := client{t: t, h: newTestAPI(t), who: "acme/viewer/vic"}
	r := c.do("GET", "/api/v1/interop/formats", nil)
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var got struct{ Formats []formatInfo }
	if err := json.Unmarshal(r.body, &got); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range got.Formats {
		if f.Name == interop.OTM {
			found = f.Import && f.Export
		}
	}
	if !found {
		t.Errorf("formats lack an importable and exportable otm: %s", r.body)
	}
}

func TestImportPreview(t *testing.T) {
	h := newTestAPI(t)
	c := client{t: t, h: h, who: "acme/editor/ann"}
	fixture := otmFixture(t)

	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	part, err := mw.CreateFormFile("file", "shop.otm.yaml")
	if err != nil {
		t.Fatal(err)
	}
	part.Write(fixture)
	mw.Close()

	tests := []struct {
		name    string
		path    string
		body    []byte
		headers []string
		who     string
		status  int
		field   string // problem field
		detail  string // substring of the problem detail
	}{
		{"raw yaml", "/api/v1/import?from=otm&name=shop.otm.yaml", fixture, []string{"Content-Type", "application/yaml"}, "", 200, "", ""},
		{"multipart", "/api/v1/import?from=otm", mp.Bytes(), []string{"Content-Type", mw.FormDataContentType()}, "", 200, "", ""},
		{"missing from", "/api/v1/import", fixture, nil, "", 422, "from", "is required"},
		{"unknown format", "/api/v1/import?from=visio", fixture, nil, "", 422, "from", "unknown import format"},
		{"malformed", "/api/v1/import?from=otm&name=x.json", []byte(`{"otmVersion": `), nil, "", 400, "", "malformed JSON"},
		{"not otm", "/api/v1/import?from=otm", []byte(`{"project": {"name": "x", "id": "x"}}`), nil, "", 422, "/otmVersion", "not an Open Threat Model document"},
		{"empty", "/api/v1/import?from=otm", nil, nil, "", 400, "", "body is empty"},
		{"too large", "/api/v1/import?from=otm", bytes.Repeat([]byte(" "), MaxImportBody+1), nil, "", 413, "", "larger than"},
		{"bad multipart", "/api/v1/import?from=otm", []byte("--x\r\nno headers end"), []string{"Content-Type", "multipart/form-data; boundary=x"}, "", 400, "", "multipart"},
		{"viewer", "/api/v1/import?from=otm", fixture, nil, "acme/viewer/vic", 403, "", "editor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cc := c
			if tt.who != "" {
				cc.who = tt.who
			}
			r := cc.do("POST", tt.path, tt.body, tt.headers...)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if tt.status != 200 {
				p := r.problem(t)
				if p.Field != tt.field || !strings.Contains(p.Detail, tt.detail) {
					t.Errorf("problem field %q detail %q, want field %q and %q", p.Field, p.Detail, tt.field, tt.detail)
				}
				return
			}
			var got interop.Imported
			if err := json.Unmarshal(r.body, &got); err != nil {
				t.Fatal(err)
			}
			if got.Model.Name != "Web shop" || len(got.Model.Diagram.Components) != 3 || len(got.Warnings) == 0 {
				t.Errorf("preview = %s", r.body)
			}
		})
	}
	// A preview stores nothing.
	r := c.do("GET", "/api/v1/models", nil)
	var page struct{ Total int }
	if err := json.Unmarshal(r.body, &page); err != nil || page.Total != 0 {
		t.Errorf("after previews the tenant has models: %s", r.body)
	}
}

func TestExportModel(t *testing.T) {
	c := client{t: t, h: newTestAPI(t), who: "acme/editor/ann"}
	m := create(t, c, sampleModel())
	viewer := c
	viewer.who = "acme/viewer/vic"

	r := viewer.do("GET", "/api/v1/models/"+m.ID+"/export?to=otm", nil)
	if r.status != 200 {
		t.Fatalf("export: %d %s", r.status, r.body)
	}
	if cd := r.header.Get("Content-Disposition"); !strings.Contains(cd, m.ID+".otm.json") {
		t.Errorf("Content-Disposition = %q", cd)
	}
	var doc struct {
		OTMVersion string `json:"otmVersion"`
		Components []struct{ ID string }
	}
	if err := json.Unmarshal(r.body, &doc); err != nil || doc.OTMVersion != interop.OTMVersion || len(doc.Components) != 3 { // the plain group is an OTM component too
		t.Errorf("export body: %v %s", err, r.body)
	}

	r = viewer.do("GET", "/api/v1/models/"+m.ID+"/export?to=otm&envelope=true", nil)
	var env exportEnvelope
	if err := json.Unmarshal(r.body, &env); err != nil || r.status != 200 || env.Format != "otm" || env.Warnings == nil || !bytes.Contains(env.Document, []byte(`"otmVersion"`)) {
		t.Errorf("envelope: %d %v %s", r.status, err, r.body)
	}

	errorsCases := []struct {
		path   string
		status int
		field  string
	}{
		{"/api/v1/models/" + m.ID + "/export", 422, "to"},
		{"/api/v1/models/" + m.ID + "/export?to=cloudformation", 422, "to"},
		{"/api/v1/models/" + m.ID + "/export?to=otm&envelope=maybe", 400, "envelope"},
		{"/api/v1/models/nope/export?to=otm", 404, ""},
	}
	for _, tt := range errorsCases {
		r := viewer.do("GET", tt.path, nil)
		if r.status != tt.status {
			t.Errorf("GET %s: %d, want %d: %s", tt.path, r.status, tt.status, r.body)
			continue
		}
		if p := r.problem(t); p.Field != tt.field {
			t.Errorf("GET %s: field %q, want %q", tt.path, p.Field, tt.field)
		}
	}
	other := client{t: t, h: c.h, who: "other/admin/zed"}
	if r := other.do("GET", "/api/v1/models/"+m.ID+"/export?to=otm", nil); r.status != 404 {
		t.Errorf("another tenant exported the model: %d", r.status)
	}
}
