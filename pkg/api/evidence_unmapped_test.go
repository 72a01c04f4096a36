package api

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"os"
	"testing"
)

// TestEvidenceImportListsUnmapped (#16.11): the import summary lists the
// checks of the imported evidence that decide no requirement: the real AWS
// CLI example evaluations of a custom Config rule, beside a real PCI DSS
// finding whose control (PCI.Lambda.2, Lambda.3) a requirement uses.
func TestEvidenceImportListsUnmapped(t *testing.T) {
	h := newTestAPI(t)
	c := client{t: t, h: h, who: "acme/editor/ann"}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, n := range []string{"awscli-config-evaluations.json", "awscli-get-findings-pci.json"} {
		b, err := os.ReadFile("../compliance/testdata/real/" + n)
		if err != nil {
			t.Fatal(err)
		}
		w, _ := mw.CreateFormFile("file", n)
		w.Write(b)
	}
	mw.Close()
	r := c.do("POST", "/api/v1/evidence/import?account=111111111111&region=us-east-1", buf.Bytes(), "Content-Type", mw.FormDataContentType())
	if r.status != http.StatusOK {
		t.Fatalf("import: %d %s", r.status, r.body)
	}
	imp := decodeAs[evidenceImport](t, r)
	if len(imp.Unmapped) != 1 || imp.Unmapped[0].Check != "InstanceTypesAreT2micro" || imp.Unmapped[0].Observations != 3 {
		t.Errorf("unmapped %+v", imp.Unmapped)
	}
}
