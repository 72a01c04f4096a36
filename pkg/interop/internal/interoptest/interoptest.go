// Package interoptest holds what the tests of pkg/interop and of its
// format packages share: reading the fixtures and the real-file corpus of
// pkg/interop/testdata, golden files, schema checks, questions to an
// imported model, the independent counters of the corpus test, and the
// runners of the tests every format has (golden import and export, refused
// input, round trip, fuzzing).
//
// It imports no format package and not pkg/interop, so that the tests
// inside a format package can use it; a test that needs every format takes
// the registry (interop.Formats()) as an argument.
package interoptest

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

var update = flag.Bool("update", false, "rewrite golden files")

// Path joins elem to pkg/interop/testdata, relative to the folder go test
// runs a package's tests in: pkg/interop or a format package below it.
func Path(elem ...string) string {
	dir := "testdata"
	if _, err := os.Stat(filepath.Join(dir, "real")); err != nil {
		dir = filepath.Join("..", "testdata")
	}
	return filepath.Join(append([]string{dir}, elem...)...)
}

// Catalog returns the default catalog.
func Catalog(t testing.TB) *catalog.Catalog {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// ReadFiles reads fixtures, each named by its path below testdata.
func ReadFiles(t testing.TB, names ...string) []convert.File {
	t.Helper()
	var out []convert.File
	for _, n := range names {
		b, err := os.ReadFile(Path(n))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, convert.File{Name: n, Data: b})
	}
	return out
}

// RealFiles reads an entry of the real-file corpus (testdata/real/rel): one
// file, or a folder whose files are one import, named by their path in it.
func RealFiles(t testing.TB, rel string) []convert.File {
	t.Helper()
	files, err := readEntry(Path("real", rel))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// readEntry reads one corpus entry at p: a file, or every file below a
// folder, named by its path in the folder.
func readEntry(p string) ([]convert.File, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		b, err := os.ReadFile(p)
		return []convert.File{{Name: filepath.Base(p), Data: b}}, err
	}
	var files []convert.File
	err = filepath.WalkDir(p, func(fp string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(fp)
		rel, _ := filepath.Rel(p, fp)
		files = append(files, convert.File{Name: filepath.ToSlash(rel), Data: b})
		return err
	})
	return files, err
}

// LoadModel reads a Bulwark model fixture, which must be valid.
func LoadModel(t testing.TB, name string) *model.ThreatModel {
	t.Helper()
	b, err := os.ReadFile(Path(name))
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Validate(); err != nil {
		t.Fatalf("%s is not a valid model: %v", name, err)
	}
	return m
}

// Golden compares got with testdata/name, or rewrites it with -update.
func Golden(t testing.TB, name string, got []byte) {
	t.Helper()
	path := Path(name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs from the golden file (-want +got):\n%s", name, diff)
	}
}

// Validate checks a JSON (or YAML) document against one of our compact
// JSON Schemas in testdata/schema.
func Validate(t testing.TB, schemaFile string, doc []byte) {
	t.Helper()
	c := jsonschema.NewCompiler()
	sch, err := c.Compile(Path("schema", schemaFile))
	if err != nil {
		t.Fatalf("compile %s: %v", schemaFile, err)
	}
	var v any
	if bytes.HasPrefix(bytes.TrimSpace(doc), []byte("{")) {
		v, err = jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	} else {
		var y any
		if err = yaml.Unmarshal(doc, &y); err == nil {
			b, _ := json.Marshal(y)
			v, err = jsonschema.UnmarshalJSON(bytes.NewReader(b))
		}
	}
	if err != nil {
		t.Fatalf("parse document: %v", err)
	}
	if err := sch.Validate(v); err != nil {
		t.Errorf("document does not match %s:\n%v", schemaFile, err)
	}
}
