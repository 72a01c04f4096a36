package interoptest

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// GoldenImport is a fixture written in a format's documented shape whose
// import (model and warnings) is compared with a golden file.
type GoldenImport struct {
	Name     string
	Files    []string // below testdata; the first is the document
	Schema   string   // the format's schema in testdata/schema, if it has one
	Golden   string   // below testdata
	Warnings []string // substrings that must appear among the warnings
}

// ImportGolden imports each case with f and compares the result with its
// golden file.
func ImportGolden(t *testing.T, f convert.Format, cases ...GoldenImport) {
	cat := Catalog(t)
	for _, tt := range cases {
		t.Run(tt.Name, func(t *testing.T) {
			files := ReadFiles(t, tt.Files...)
			if tt.Schema != "" {
				Validate(t, tt.Schema, files[0].Data)
			}
			res, err := convert.Import(f, files, cat)
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
			Golden(t, tt.Golden, append(b, '\n'))
			wantWarnings(t, res.Warnings, tt.Warnings)
		})
	}
}

// ExportGolden exports the reference model (testdata/model.json) with f,
// checks the document against the format's schema and the golden file, and
// checks that what the format cannot hold is reported: warnings are
// substrings that must appear among the export's warnings.
func ExportGolden(t *testing.T, f convert.Format, schema, golden string, warnings ...string) {
	m := LoadModel(t, "model.json")
	before := m.Clone()
	out, err := convert.Export(f, m, Catalog(t))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, m); diff != "" {
		t.Errorf("export changed the model:\n%s", diff)
	}
	Validate(t, schema, out.Data)
	Golden(t, golden, out.Data)
	wantWarnings(t, out.Warnings, warnings)
}

func wantWarnings(t *testing.T, got, want []string) {
	t.Helper()
	all := strings.Join(got, "\n")
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("warnings lack %q:\n%s", w, all)
		}
	}
}

// BadInput is input an importer must refuse with a clear error.
type BadInput struct {
	Name  string
	Files []convert.File
	Kind  errs.Kind
	Msg   string // a substring of the error
}

// ImportErrors checks that f refuses each case with an error of its kind
// that says what is wrong.
func ImportErrors(t *testing.T, f convert.Format, cases ...BadInput) {
	cat := Catalog(t)
	for _, tt := range cases {
		t.Run(tt.Name, func(t *testing.T) {
			_, err := convert.Import(f, tt.Files, cat)
			CheckError(t, err, tt.Kind, tt.Msg)
		})
	}
}

// CheckError fails unless err is of kind and its message holds msg.
func CheckError(t testing.TB, err error, kind errs.Kind, msg string) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	if k := errs.KindOf(err); k != kind {
		t.Errorf("kind = %v, want %v (%v)", k, kind, err)
	}
	if !strings.Contains(err.Error(), msg) {
		t.Errorf("error %q lacks %q", err, msg)
	}
}

// RoundTrip exports the reference model with f and imports the result: the
// components, groups (containment), flows, threat and requirement statuses
// and model metadata must come back as they were, except what the format
// cannot hold (reported as warnings on export), which adjust removes from
// the original; dropNotes drops the notes of item states.
func RoundTrip(t *testing.T, f convert.Format, dropNotes bool, adjust func(*model.ThreatModel)) {
	cat := Catalog(t)
	m := LoadModel(t, "model.json")
	out, err := convert.Export(f, m, cat)
	if err != nil {
		t.Fatal(err)
	}
	res, err := convert.Import(f, []convert.File{{Name: "export" + out.Extension, Data: out.Data}}, cat)
	if err != nil {
		t.Fatal(err)
	}
	want := roundTripView(m, dropNotes)
	if adjust != nil {
		adjust(want)
	}
	got := roundTripView(res.Model, false)
	// Statuses are compared as analysis computes them: a source cannot
	// tell an explicit status from a derived one.
	if diff := cmp.Diff(statuses(cat, want), statuses(cat, got)); diff != "" {
		t.Errorf("round trip through %s changed statuses (-want +got):\n%s", f.Name, diff)
	}
	want.States, got.States = nil, nil
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("round trip through %s changed the model (-want +got):\n%s\nimport warnings: %q", f.Name, diff, res.Warnings)
	}
}

// roundTripView strips what a round trip through a format cannot keep (and
// what the store owns), so that the rest must be equal.
func roundTripView(m *model.ThreatModel, dropNotes bool) *model.ThreatModel {
	c := m.Clone()
	c.ID, c.Tenant, c.Revision, c.CreatedAt, c.UpdatedAt = "", "", 0, time.Time{}, time.Time{}
	if dropNotes {
		for k, st := range c.States {
			st.Notes = ""
			c.States[k] = st
		}
	}
	return c
}

// statuses returns the status and notes of every threat and requirement
// item of m.
func statuses(cat *catalog.Catalog, m *model.ThreatModel) map[string]string {
	res := analysis.Analyze(cat, m, nil)
	out := map[string]string{}
	for _, t := range res.Threats {
		out[t.ID] = t.Status + " " + t.Notes
	}
	for _, r := range res.Requirements {
		out[r.ID] = r.Status + " " + r.Notes
	}
	return out
}
