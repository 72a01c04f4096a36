package threatdragon

import (
	"slices"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/interoptest"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// TestExportGolden exports the reference model; what Threat Dragon cannot
// hold is reported.
func TestExportGolden(t *testing.T) {
	interoptest.ExportGolden(t, Format, "threatdragon.schema.json", "model.threatdragon.golden.json",
		"2 threat statuses (In Progress, Risk Accepted)", "requirement statuses are written into each threat's mitigation text", "no model labels")
}

// TestImportGolden imports a document written in Threat Dragon's
// documented shape.
func TestImportGolden(t *testing.T) {
	interoptest.ImportGolden(t, Format, interoptest.GoldenImport{Name: "threat dragon", Files: []string{"threatdragon-demo.json"},
		Schema: "threatdragon.schema.json", Golden: "threatdragon-demo.import.golden.json",
		Warnings: []string{"Threat Dragon actor cells have no Bulwark catalog type", `protocol "ISO 8583" is not in the catalog`, "trust boundary curves are imported as boundaries"}})
}

// TestImportErrors: bad documents get a clear error of the right kind.
func TestImportErrors(t *testing.T) {
	interoptest.ImportErrors(t, Format,
		interoptest.BadInput{Name: "threat dragon wrong type names the cell", Files: interoptest.ReadFiles(t, "threatdragon-wrong-type.json"), Kind: errs.Malformed, Msg: `cell 1 of diagram 0 (id "flow-b")`},
		interoptest.BadInput{Name: "threat dragon no diagrams", Files: []convert.File{{Name: "td.json", Data: []byte(`{"summary": {"title": "x"}}`)}}, Kind: errs.Invalid, Msg: "not a Threat Dragon document"},
		interoptest.BadInput{Name: "threat dragon two files", Files: interoptest.ReadFiles(t, "threatdragon-demo.json", "threatdragon-demo.json"), Kind: errs.Invalid, Msg: "reads one document"},
	)
}

// TestRoundTrip: the reference model exported and imported again comes
// back as it was, but for the model metadata Threat Dragon has no field
// for (reported on export).
func TestRoundTrip(t *testing.T) {
	interoptest.RoundTrip(t, Format, false, func(m *model.ThreatModel) {
		// Threat Dragon has no model metadata beyond title, owner and
		// description (reported on export).
		m.Labels, m.Version, m.Properties = nil, "", nil
		m.Priority, m.Facing = model.PriorityMedium, model.FacingInternal
	})
}

// TestRealShapes: v2 models with label objects, text blocks and cells
// without data.type, and v1 models with boundary curves, import with every
// element; curves become boundaries (issue 15).
func TestRealShapes(t *testing.T) {
	cat := interoptest.Catalog(t)
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
			files := interoptest.RealFiles(t, tt.file)
			res := interoptest.MustImport(t, Format, files)
			want, err := interoptest.CountThreatDragon(files)
			if err != nil {
				t.Fatal(err)
			}
			interoptest.CheckCounts(t, "import", want, interoptest.ModelCounts(res.Model, cat), res.Warnings, false)
			if tt.wantLabel != "" && !slices.ContainsFunc(res.Model.Diagram.Flows, func(f model.Flow) bool { return f.Label == tt.wantLabel }) {
				t.Errorf("no flow is labelled %q", tt.wantLabel)
			}
			if tt.wantNote != "" && !strings.Contains(res.Model.Description, tt.wantNote) {
				t.Errorf("description %q lacks the text block %q", res.Model.Description, tt.wantNote)
			}
		})
	}
	// The v1 demo's two boundary curves become boundaries.
	res := interoptest.MustImport(t, Format, interoptest.RealFiles(t, "threatdragon/tddemo-demo-threat-model.json"))
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
