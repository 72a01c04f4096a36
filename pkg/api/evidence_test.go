package api

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/compliance"
)

// shopModel is the reference model of package compliance, as a client
// would send it.
func shopModel(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile("../compliance/testdata/shop.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "createdAt", "updatedAt", "revision"} {
		delete(m, k)
	}
	return m
}

func event(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("../../events/aws", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// multipartBody puts files into a multipart/form-data body.
func multipartBody(t *testing.T, names ...string) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, n := range names {
		w, err := mw.CreateFormFile("file", filepath.Base(n))
		if err != nil {
			t.Fatal(err)
		}
		w.Write(event(t, n))
	}
	mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

func TestEvidenceImportAndView(t *testing.T) {
	h := newTestAPI(t)
	c := client{t: t, h: h, who: "acme/editor/ann"}
	m := create(t, c, shopModel(t))
	base := "/api/v1/models/" + m.ID + "/evidence"

	before := decodeAs[evidenceList](t, c.do("GET", base, nil))
	if before.Counts[compliance.NotAvailable] != before.Total || before.Total == 0 {
		t.Fatalf("without evidence: %v of %d", before.Counts, before.Total)
	}

	// The newer EventBridge event first, the older one after: out of order.
	files := []string{"securityhub/consolidated-ec2-8-passed-later.json", "securityhub/consolidated-ec2-8-failed.json",
		"securityhub/per-standard-cis-1.2.0-1.12-failed.json", "config-rules/s3-ssl-compliant-later.json",
		"config-rules/s3-ssl-noncompliant.json", "securityhub/guardduty-not-evidence.json"}
	ct, body := multipartBody(t, files...)
	r := c.do("POST", "/api/v1/evidence/import", body, "Content-Type", ct)
	if r.status != http.StatusOK {
		t.Fatalf("import: %d %s", r.status, r.body)
	}
	imp := decodeAs[evidenceImport](t, r)
	if len(imp.Files) != len(files) || imp.Created != 3 || imp.Unchanged != 2 || imp.Files[5].Skipped != 1 {
		t.Errorf("import tally %+v", imp)
	}
	// Replaying the whole upload changes nothing.
	imp = decodeAs[evidenceImport](t, c.do("POST", "/api/v1/evidence/import", body, "Content-Type", ct))
	if imp.Created != 0 || imp.Updated != 0 || imp.Unchanged != 5 {
		t.Errorf("replay tally %+v", imp.Tally)
	}

	v := decodeAs[evidenceList](t, c.do("GET", base+"?groupBy=status", nil))
	want := map[string]compliance.Status{
		"aws.ec2.require-imdsv2@web":    compliance.Compliant,
		"aws.s3.require-tls@assets":     compliance.Compliant,
		"aws.iam.protect-root@iam":      compliance.NonCompliant,
		"aws.s3.encrypt-at-rest@assets": compliance.NotAvailable,
	}
	for _, it := range v.Items {
		if w, ok := want[it.Requirement]; ok {
			if it.Status != w {
				t.Errorf("%s: %s, want %s", it.Requirement, it.Status, w)
			}
			delete(want, it.Requirement)
		}
	}
	if len(want) > 0 {
		t.Errorf("items missing: %v", want)
	}
	if len(v.Groups) != 3 || v.Groups[0].Key != string(compliance.NonCompliant) || v.Groups[0].Count != v.Counts[compliance.NonCompliant] || v.Groups[0].Count == 0 {
		t.Errorf("groups %+v, counts %v", v.Groups, v.Counts)
	}

	// One requirement's pane: its evidence, with the resource as source name.
	one := decodeAs[evidenceList](t, c.do("GET", base+"?requirement=aws.ec2.require-imdsv2@web", nil))
	if len(one.Items) != 1 || one.Items[0].SourceName != "i-0123456789abcdef0" || len(one.Items[0].Evidence) != 1 ||
		one.Items[0].Evidence[0].Ref == "" || one.Items[0].Evidence[0].Control != "EC2.8" {
		t.Errorf("item pane %+v", one.Items)
	}
	failing := decodeAs[evidenceList](t, c.do("GET", base+"?status=NON_COMPLIANT&component=iam", nil))
	for _, it := range failing.Items {
		if it.Status != compliance.NonCompliant || it.Component != "iam" {
			t.Errorf("filter let through %s %s", it.Requirement, it.Status)
		}
	}

	// Another tenant's model over the same account sees none of it.
	other := client{t: t, h: h, who: "globex/editor/bob"}
	om := create(t, other, shopModel(t))
	ov := decodeAs[evidenceList](t, other.do("GET", "/api/v1/models/"+om.ID+"/evidence", nil))
	if ov.Counts[compliance.NotAvailable] != ov.Total {
		t.Errorf("tenant globex sees acme's evidence: %v", ov.Counts)
	}
}

func TestEvidenceImportErrors(t *testing.T) {
	h := newTestAPI(t)
	c := client{t: t, h: h, who: "acme/editor/ann"}
	details := event(t, "config-rules/get-compliance-details-by-config-rule.json")
	tests := []struct {
		name   string
		path   string
		body   []byte
		hdr    []string
		status int
		field  string
	}{
		{"config answer without account", "/api/v1/evidence/import?name=details.json", details, nil, http.StatusUnprocessableEntity, "/EvaluationResults/0/awsAccountId"},
		{"bad account parameter", "/api/v1/evidence/import?account=12", details, nil, http.StatusUnprocessableEntity, "account"},
		{"not evidence", "/api/v1/evidence/import", []byte(`{"name":"a model?"}`), nil, http.StatusUnprocessableEntity, "/"},
		{"bad JSON", "/api/v1/evidence/import", []byte(`{"Findings": [`), nil, http.StatusBadRequest, ""},
		{"empty", "/api/v1/evidence/import", nil, nil, http.StatusBadRequest, ""},
		{"too large", "/api/v1/evidence/import", bytes.Repeat([]byte(" "), MaxImportBody+1), nil, http.StatusRequestEntityTooLarge, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := c
			r := req.do("POST", tt.path, tt.body, tt.hdr...)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if p := r.problem(t); p.Field != tt.field {
				t.Errorf("field %q, want %q (%s)", p.Field, tt.field, p.Detail)
			}
		})
	}
	// With the account and region given, the same answer imports.
	r := c.do("POST", "/api/v1/evidence/import?account=111111111111&region=us-east-1", details)
	if r.status != http.StatusOK || decodeAs[evidenceImport](t, r).Created != 2 {
		t.Errorf("import with account: %d %s", r.status, r.body)
	}
	// Viewers cannot import; unknown models are 404.
	viewer := client{t: t, h: h, who: "acme/viewer/vic"}
	if r := viewer.do("POST", "/api/v1/evidence/import", details); r.status != http.StatusForbidden {
		t.Errorf("viewer import: %d", r.status)
	}
	if r := viewer.do("GET", "/api/v1/models/nope/evidence", nil); r.status != http.StatusNotFound {
		t.Errorf("unknown model: %d", r.status)
	}
	m := create(t, c, shopModel(t))
	for _, q := range []string{"?status=RED", "?groupBy=colour"} {
		if r := viewer.do("GET", "/api/v1/models/"+m.ID+"/evidence"+q, nil); r.status != http.StatusBadRequest {
			t.Errorf("%s: %d", q, r.status)
		}
	}
	if r := viewer.do("GET", "/api/v1/models/"+m.ID+"/evidence?requirement=nope@x", nil); r.status != http.StatusNotFound {
		t.Errorf("unknown requirement: %d", r.status)
	}
}
