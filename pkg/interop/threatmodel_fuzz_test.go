package interop

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
)

// fuzzThreatModelFormat checks that no document, however odd, crashes the
// importer of format or yields an invalid model, and that whatever imports
// exports to every format without an error. The real files of the corpus
// folder dir (up to maxSeed bytes) and the hand-written fixtures are the
// seeds.
func fuzzThreatModelFormat(f *testing.F, format, dir string, fixtures ...string) {
	f.Helper()
	seeds := realSeeds(f, dir)
	for _, n := range fixtures {
		seeds = append(seeds, filepath.Join("testdata", n))
	}
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		if len(b) <= maxSeed {
			f.Add(b)
		}
	}
	cat, err := catalog.Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Import(format, []File{{Name: "fuzz", Data: data}}, cat)
		if err != nil {
			return
		}
		if err := res.Model.Validate(); err != nil {
			t.Fatalf("import gave an invalid model: %v", err)
		}
		for _, to := range ExportFormats() {
			if _, err := Export(to, res.Model, cat); err != nil {
				t.Errorf("export %s: %v", to, err)
			}
		}
	})
}

// FuzzOTMImport fuzzes the OTM importer (JSON and YAML).
func FuzzOTMImport(f *testing.F) {
	fuzzThreatModelFormat(f, OTM, "otm", "otm-shop.yaml", "otm-shared-ids.json", "otm-wrong-type.json")
}
