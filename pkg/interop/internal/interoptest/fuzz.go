package interoptest

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
)

// MaxSeed bounds the size of a fuzz seed. Go's fuzzing engine minimizes
// every input that finds new coverage (up to -fuzzminimizetime, a minute by
// default), and minimizing inputs grown from the 20-180 KB real files
// takes the whole minute each time: a run then executes a few dozen inputs
// instead of tens of thousands. The larger real files are imported by
// TestCorpus.
const MaxSeed = 24 << 10

// RealSeeds lists the files of the real-file corpus folder dir
// (testdata/real/dir), at any depth, sorted.
func RealSeeds(f *testing.F, dir string) []string {
	f.Helper()
	var out []string
	err := filepath.WalkDir(Path("real", dir), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// FuzzImport checks that no document, however odd, crashes the importer of
// format or yields an invalid model, and that whatever imports exports to
// every format of registry (interop.Formats()) that exports, without an
// error. The real files of the corpus folder dir (up to MaxSeed bytes) and
// the fixtures (below testdata) are the seeds.
func FuzzImport(f *testing.F, format convert.Format, registry []convert.Format, dir string, fixtures ...string) {
	f.Helper()
	seeds := RealSeeds(f, dir)
	for _, n := range fixtures {
		seeds = append(seeds, Path(n))
	}
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		if len(b) <= MaxSeed {
			f.Add(b)
		}
	}
	cat := Catalog(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := convert.Import(format, []convert.File{{Name: "fuzz", Data: data}}, cat)
		if err != nil {
			return
		}
		if err := res.Model.Validate(); err != nil {
			t.Fatalf("import gave an invalid model: %v", err)
		}
		for _, to := range registry {
			if to.Export == nil {
				continue
			}
			if _, err := convert.Export(to, res.Model, cat); err != nil {
				t.Errorf("export %s: %v", to.Name, err)
			}
		}
	})
}

// ImportsValidOrFails is the check of the infrastructure-as-code fuzz
// targets: importing files with format returns an error or a valid model;
// an error that says the importer built an invalid model fails t.
func ImportsValidOrFails(t *testing.T, format convert.Format, files []convert.File, cat *catalog.Catalog) {
	t.Helper()
	res, err := convert.Import(format, files, cat)
	if err != nil {
		if strings.Contains(err.Error(), "the imported model is not valid") {
			t.Fatalf("the importer built an invalid model: %v", err)
		}
		return
	}
	if err := res.Model.Validate(); err != nil {
		t.Fatalf("imported model is invalid: %v", err)
	}
}
