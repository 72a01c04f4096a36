package api

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestReports(t *testing.T) {
	h := newTestAPI(t)
	c := client{t: t, h: h, who: "acme/viewer/vic"}
	ed := client{t: t, h: h, who: "acme/editor/ann"}
	m := create(t, ed, shopModel(t))
	ct, body := multipartBody(t, "securityhub/per-standard-cis-1.2.0-1.12-failed.json", "securityhub/get-findings-export.json")
	if r := ed.do("POST", "/api/v1/evidence/import", body, "Content-Type", ct); r.status != http.StatusOK {
		t.Fatalf("import: %d %s", r.status, r.body)
	}
	list := decodeAs[struct {
		Reports []reportKind `json:"reports"`
	}](t, c.do("GET", "/api/v1/reports", nil))
	if len(list.Reports) != 5 {
		t.Fatalf("reports %+v", list.Reports)
	}
	base := "/api/v1/models/" + m.ID + "/reports/"
	tests := []struct {
		path, contentType, disposition, contains string
	}{
		{"executive", "text/html; charset=utf-8", "inline", "Top threats"},
		{"executive?format=json", "application/json", "inline", `"openRisk"`},
		{"developer?format=csv", "text/csv; charset=utf-8", "attachment", "component,component_type"},
		{"policy?format=html&download=true", "text/html; charset=utf-8", "attachment", "Non-compliant"},
		{"cis?format=csv&cis=1.2.0", "text/csv; charset=utf-8", "attachment", "1.2.0,1.12,Ensure no root account access key exists,1,true,IAM.4,Fail,1,0"},
		{"cis?format=json", "application/json", "inline", `"version": "1.4.0"`},
		{"cis?format=pdf&download=true", "application/pdf", "attachment", "%PDF-1."},
		{"executive?format=pdf", "application/pdf", "inline", "%PDF-1."},
		{"compliance?format=json", "application/json", "inline", `"frameworks"`},
		{"custom?sections=summary,cis&format=json", "application/json", "inline", `"sections": [`},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			r := c.do("GET", base+tt.path, nil)
			if r.status != http.StatusOK {
				t.Fatalf("%d %s", r.status, r.body)
			}
			if got := r.header.Get("Content-Type"); got != tt.contentType {
				t.Errorf("Content-Type %q", got)
			}
			if d := r.header.Get("Content-Disposition"); !strings.HasPrefix(d, tt.disposition+";") || !strings.Contains(d, m.ID) {
				t.Errorf("Content-Disposition %q", d)
			}
			if !strings.Contains(string(r.body), tt.contains) {
				t.Errorf("body lacks %q", tt.contains)
			}
			switch {
			case strings.Contains(tt.contentType, "json"):
				var v map[string]any
				if err := json.Unmarshal(r.body, &v); err != nil {
					t.Error(err)
				}
			case strings.Contains(tt.contentType, "csv"):
				if _, err := csv.NewReader(strings.NewReader(string(r.body))).ReadAll(); err != nil {
					t.Error(err)
				}
			case tt.contentType == "application/pdf":
				if !strings.HasPrefix(string(r.body), "%PDF-") {
					t.Error("not a PDF")
				}
			default:
				if r.header.Get("Content-Security-Policy") == "" {
					t.Error("HTML without a CSP header")
				}
			}
		})
	}
	errors := []struct {
		path   string
		status int
		field  string
	}{
		{"audit", http.StatusNotFound, "kind"},
		{"executive?format=docx", http.StatusUnprocessableEntity, "format"},
		{"custom?sections=summary,audit", http.StatusUnprocessableEntity, "sections"},
		{"cis?cis=9.9.9", http.StatusUnprocessableEntity, "cis"},
		{"policy?download=maybe", http.StatusBadRequest, "download"},
	}
	for _, tt := range errors {
		r := c.do("GET", base+tt.path, nil)
		if r.status != tt.status {
			t.Errorf("%s: %d, want %d", tt.path, r.status, tt.status)
			continue
		}
		if p := r.problem(t); p.Field != tt.field {
			t.Errorf("%s: field %q", tt.path, p.Field)
		}
	}
	if r := c.do("GET", "/api/v1/models/nope/reports/executive", nil); r.status != http.StatusNotFound {
		t.Errorf("unknown model: %d", r.status)
	}
	if r := (client{t: t, h: h, who: "globex/viewer/x"}).do("GET", base+"executive", nil); r.status != http.StatusNotFound {
		t.Errorf("other tenant: %d", r.status)
	}
}
