package interop

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

var update = flag.Bool("update", false, "rewrite golden files")

func testCatalog(t *testing.T) *catalog.Catalog {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func loadModel(t *testing.T, name string) *model.ThreatModel {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
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

func readFiles(t *testing.T, names ...string) []File {
	t.Helper()
	var out []File
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, File{Name: n, Data: b})
	}
	return out
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
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

// validate checks a JSON (or YAML) document against one of our compact
// JSON Schemas in testdata/schema.
func validate(t *testing.T, schemaFile string, doc []byte) {
	t.Helper()
	c := jsonschema.NewCompiler()
	sch, err := c.Compile(filepath.Join("testdata", "schema", schemaFile))
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

// TestImportGolden imports fixtures written in each format's documented
// shape and compares the preview (model and warnings) with a golden file.
func TestImportGolden(t *testing.T) {
	cat := testCatalog(t)
	tests := []struct {
		name, from string
		files      []string
		schema     string // the fixture's schema, if the format has one
		golden     string
		warnings   []string
	}{
		{"cloudformation yaml with nested stacks", CloudFormation, []string{"cloudformation/web-app.yaml", "cloudformation/monitoring.yaml"}, "", "cloudformation/web-app.import.golden.json",
			[]string{"parameter PrivateSubnetIds is only known at deploy time", `nested stack template "https://example-templates.s3.amazonaws.com/stacks/reporting.yaml" was not given`,
				"Fn::ImportValue", "resources of type AWS::Glue::Crawler have no Bulwark catalog type"}},
		{"cloudformation json", CloudFormation, []string{"cloudformation/queue.json"}, "", "cloudformation/queue.import.golden.json", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := readFiles(t, tt.files...)
			if tt.schema != "" {
				validate(t, tt.schema, files[0].Data)
			}
			res, err := Import(tt.from, files, cat)
			if err != nil {
				t.Fatal(err)
			}
			if err := res.Model.Validate(); err != nil {
				t.Fatalf("imported model is invalid: %v", err)
			}
			b, err := json.MarshalIndent(res, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tt.golden, append(b, '\n'))
			all := strings.Join(res.Warnings, "\n")
			for _, w := range tt.warnings {
				if !strings.Contains(all, w) {
					t.Errorf("warnings lack %q:\n%s", w, all)
				}
			}
		})
	}
}

// TestImportErrors checks that bad input gets a clear error of the right
// kind.
func TestImportErrors(t *testing.T) {
	cat := testCatalog(t)
	tests := []struct {
		name, from string
		files      []File
		kind       errs.Kind
		msg        string
	}{
		{"unknown format", "visio", []File{{Name: "a", Data: []byte("{}")}}, errs.Invalid, `unknown import format "visio"`},
		{"no files", OTM, nil, errs.Invalid, "no input file"},
		{"cloudformation resource without type", CloudFormation, readFiles(t, "cloudformation/no-type.yaml"), errs.Invalid, "resource Queue needs a Type"},
		{"cloudformation malformed", CloudFormation, readFiles(t, "cloudformation/malformed.yaml"), errs.Malformed, "malformed template"},
		{"cloudformation no resources", CloudFormation, readFiles(t, "cloudformation/no-resources.yaml"), errs.Invalid, "has no Resources"},
		{"too large", OTM, []File{{Name: "big.json", Data: make([]byte, MaxFileSize+1)}}, errs.TooLarge, "at most"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Import(tt.from, tt.files, cat)
			if err == nil {
				t.Fatal("no error")
			}
			if k := errs.KindOf(err); k != tt.kind {
				t.Errorf("kind = %v, want %v (%v)", k, tt.kind, err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q lacks %q", err, tt.msg)
			}
		})
	}
}

// TestExportErrors checks the export-side errors.
func TestExportErrors(t *testing.T) {
	cat := testCatalog(t)
	m := loadModel(t, "model.json")
	if _, err := Export("cloudformation", m, cat); !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), "unknown export format") {
		t.Errorf("export to an import-only format: %v", err)
	}
	m.Custom = []convert.Custom{{Kind: "risk", ID: "x", Title: "x"}}
	if _, err := Export(OTM, m, cat); !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), "/custom/0/kind") {
		t.Errorf("export with a broken custom entry: %v", err)
	}
}
