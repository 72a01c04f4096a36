package interop

import (
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/interoptest"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// The tests of each format are in its package; these test the registry.

// TestImportErrors: an unknown format, no input file and too large a file
// are refused, whatever the format, with a clear error of the right kind.
func TestImportErrors(t *testing.T) {
	cat := interoptest.Catalog(t)
	tests := []struct {
		name, from string
		files      []File
		kind       errs.Kind
		msg        string
	}{
		{"unknown format", "visio", []File{{Name: "a", Data: []byte("{}")}}, errs.Invalid, `unknown import format "visio"`},
		{"no files", OTM, nil, errs.Invalid, "no input file"},
		{"too large", OTM, []File{{Name: "big.json", Data: make([]byte, MaxFileSize+1)}}, errs.TooLarge, "at most"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Import(tt.from, tt.files, cat)
			interoptest.CheckError(t, err, tt.kind, tt.msg)
		})
	}
}

// TestExportErrors: an import-only format cannot be exported to, and a
// model that is not valid is not exported.
func TestExportErrors(t *testing.T) {
	cat := interoptest.Catalog(t)
	m := interoptest.LoadModel(t, "model.json")
	if _, err := Export("cloudformation", m, cat); !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), "unknown export format") {
		t.Errorf("export to an import-only format: %v", err)
	}
	m.Custom = []model.CustomItem{{Kind: "risk", ID: "x", Title: "x"}}
	if _, err := Export(OTM, m, cat); !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), "/custom/0/kind") {
		t.Errorf("export with a broken custom entry: %v", err)
	}
}

// TestTMBOMListed: TMBOM is listed among the formats (GET /interop/formats
// answers from this list) and described as not supported yet.
func TestTMBOMListed(t *testing.T) {
	for _, f := range Formats() {
		if f.Name == TMBOM {
			if !strings.Contains(f.Description, "not supported yet") {
				t.Errorf("description %q", f.Description)
			}
			return
		}
	}
	t.Error("tmbom is not listed")
}

// TestExportImportedFixtures exports every fixture that imports, real or
// hand-written, to every format: no panic and no error (the Threat
// Composer export used to dereference nil for imported custom threats).
func TestExportImportedFixtures(t *testing.T) {
	cat := interoptest.Catalog(t)
	fixtures := map[string]string{
		"otm-shop.yaml": OTM, "threatdragon-demo.json": ThreatDragon, "threatcomposer-demo.json": ThreatComposer,
	}
	var cases []corpusEntry
	for name, format := range fixtures {
		cases = append(cases, corpusEntry{Entry: interoptest.Entry{Path: name, Files: interoptest.ReadFiles(t, name)}, format: format})
	}
	cases = append(cases, corpusEntries(t)...)
	for _, c := range cases {
		res, err := Import(c.format, c.Files, cat)
		if err != nil {
			continue // TestCorpus reports refusals
		}
		for _, to := range ExportFormats() {
			if err := interoptest.Safely("export", func() error { _, err := Export(to, res.Model, cat); return err }); err != nil {
				t.Errorf("%s → %s: %v", c.Path, to, err)
			}
		}
	}
}
