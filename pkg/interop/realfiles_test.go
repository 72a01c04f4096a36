package interop

import (
	"os"
	"path/filepath"
	"testing"
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
