package interop

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/model"
)

// Regression tests for issue 15, each on a real public file of the corpus
// (testdata/real; README.md there names the sources).

func realFile(t *testing.T, rel string) []File {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "real", rel))
	if err != nil {
		t.Fatal(err)
	}
	return []File{{Name: filepath.Base(rel), Data: b}}
}

func importReal(t *testing.T, from string, files []File) *Imported {
	t.Helper()
	res, err := Import(from, files, testCatalog(t))
	if err != nil {
		t.Fatalf("import %s: %v", files[0].Name, err)
	}
	return res
}

// TestThreatDragonRealShapes: v2 models with label objects, text blocks and
// cells without data.type, and v1 models with boundary curves, import with
// every element; curves become boundaries.
func TestThreatDragonRealShapes(t *testing.T) {
	cat := testCatalog(t)
	tests := []struct {
		file      string
		wantLabel string // a flow label that is a label object in the source
		wantNote  string // text of a text block, kept in the description
	}{
		{file: "threatdragon/tdai-husky-ai-model.json", wantLabel: "HTTPS"},
		{file: "threatdragon/tdai-payments-processing-platform.json", wantLabel: "(1) Customer logs into\nthe merchant site", wantNote: "Payments Processing Platform"},
		{file: "threatdragon/tddiagen-secure-cart-generated.json", wantLabel: "Customer Web Traffic"},
		{file: "threatdragon/tddemo-demo-threat-model.json", wantLabel: "Web Request"},
		{file: "threatdragon/cookbook-alt1-sokify.json"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			files := realFile(t, tt.file)
			res := importReal(t, ThreatDragon, files)
			want, err := countThreatDragon(files)
			if err != nil {
				t.Fatal(err)
			}
			checkCounts(t, "import", want, modelCounts(res.Model, cat), res.Warnings, false)
			if tt.wantLabel != "" && !slices.ContainsFunc(res.Model.Diagram.Flows, func(f model.Flow) bool { return f.Label == tt.wantLabel }) {
				t.Errorf("no flow is labelled %q", tt.wantLabel)
			}
			if tt.wantNote != "" && !strings.Contains(res.Model.Description, tt.wantNote) {
				t.Errorf("description %q lacks the text block %q", res.Model.Description, tt.wantNote)
			}
		})
	}
	// The v1 demo's two boundary curves become boundaries.
	res := importReal(t, ThreatDragon, realFile(t, "threatdragon/tddemo-demo-threat-model.json"))
	curves := 0
	for _, g := range res.Model.Diagram.Groups {
		if g.Kind == model.KindBoundary && string(g.Properties["threatDragonShape"]) == `"trust-boundary-curve"` {
			curves++
		}
	}
	if curves == 0 {
		t.Error("the v1 demo's boundary curves are not imported as boundaries")
	}
}

// TestExportImportedFixtures exports every fixture that imports, real or
// hand-written, to every format: no panic and no error (the Threat
// Composer export used to dereference nil for imported custom threats).
func TestExportImportedFixtures(t *testing.T) {
	cat := testCatalog(t)
	fixtures := map[string]string{
		"otm-shop.yaml": OTM, "threatdragon-demo.json": ThreatDragon, "threatcomposer-demo.json": ThreatComposer,
	}
	var cases []corpusEntry
	for name, format := range fixtures {
		cases = append(cases, corpusEntry{path: name, format: format, files: readFiles(t, name)})
	}
	cases = append(cases, corpusEntries(t)...)
	for _, c := range cases {
		res, err := Import(c.format, c.files, cat)
		if err != nil {
			continue // TestCorpus reports refusals
		}
		for _, to := range ExportFormats() {
			if err := safely("export", func() error { _, err := Export(to, res.Model, cat); return err }); err != nil {
				t.Errorf("%s → %s: %v", c.path, to, err)
			}
		}
	}
}
