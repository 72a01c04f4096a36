package threatcomposer

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/interoptest"
)

// TestExportGolden exports the reference model; what Threat Composer
// cannot hold is reported.
func TestExportGolden(t *testing.T) {
	interoptest.ExportGolden(t, Format, "threatcomposer.schema.json", "model.threatcomposer.golden.json",
		"have no exact Threat Composer equivalent", "Threat Composer has no diagram")
}

// TestImportGolden imports a document written in Threat Composer's
// documented shape.
func TestImportGolden(t *testing.T) {
	interoptest.ImportGolden(t, Format, interoptest.GoldenImport{Name: "threat composer", Files: []string{"threatcomposer-demo.json"},
		Schema: "threatcomposer.schema.json", Golden: "threatcomposer-demo.import.golden.json", Warnings: []string{"imported as 4 custom entries"}})
}

// TestImportErrors: documents of another schema, or with a list of the
// wrong type, are refused with an error that names what is wrong.
func TestImportErrors(t *testing.T) {
	interoptest.ImportErrors(t, Format,
		interoptest.BadInput{Name: "threat composer schema 2", Files: interoptest.ReadFiles(t, "threatcomposer-schema2.json"), Kind: errs.Invalid, Msg: "not a Threat Composer schema 1 document"},
		interoptest.BadInput{Name: "threat composer threats not a list", Files: []convert.File{{Name: "tc.json", Data: []byte(`{"schema": 1, "threats": {}}`)}}, Kind: errs.Malformed, Msg: "/threats"},
	)
}

// TestRealExport: a real export whose longest statement is 520 characters
// imports; the title is cut with a warning that names the source threat,
// the whole statement is kept, and the assumptions are kept (issue 15).
func TestRealExport(t *testing.T) {
	res := interoptest.MustImport(t, Format, interoptest.RealFiles(t, "threatcomposer/e2e-ministack.tc.json"))
	if !slices.ContainsFunc(res.Warnings, func(w string) bool { return strings.Contains(w, "threat T-12 (/threats/11)") }) {
		t.Errorf("no warning names threat T-12: %q", res.Warnings)
	}
	var long *convert.Custom
	for i := range res.Model.Custom {
		if res.Model.Custom[i].ID == "f0000000-0000-4000-8000-000000000012" {
			long = &res.Model.Custom[i]
		}
	}
	if long == nil {
		t.Fatal("threat T-12 is not imported")
	}
	if !strings.Contains(long.Description, "which leads to") || len([]rune(long.Description)) < 520 {
		t.Errorf("the whole statement is not kept: %q", long.Description)
	}
	var kept []keptAssumption
	if err := json.Unmarshal([]byte(res.Model.Properties[AssumptionsProperty]), &kept); err != nil {
		t.Fatalf("assumptions: %v", err)
	}
	if len(kept) != 4 {
		t.Errorf("%d assumptions kept, the source has 4", len(kept))
	}
	if !strings.Contains(long.Notes, "Assumption A-") && !slices.ContainsFunc(res.Model.Custom, func(c convert.Custom) bool { return strings.Contains(c.Notes, "Assumption A-1:") }) {
		t.Error("no linked threat notes its assumption")
	}
	// The assumptions survive an export to Threat Composer.
	ex, err := convert.Export(Format, res.Model, interoptest.Catalog(t))
	if err != nil {
		t.Fatal(err)
	}
	var doc tcDoc
	if err := json.Unmarshal(ex.Data, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Assumptions) != 4 || len(doc.AssumptionLinks) != 11 {
		t.Errorf("export holds %d assumptions and %d links, want 4 and 11", len(doc.Assumptions), len(doc.AssumptionLinks))
	}
}

// TestFromTCStatus: every Threat Composer status of threats and mitigations
// maps to a Bulwark status; an absent one is open, an unknown one is open
// with a warning that names it.
func TestFromTCStatus(t *testing.T) {
	tests := []struct {
		name     string
		statuses tcStatuses
		in, want string
		warning  string
	}{
		{"threat absent", tcThreatStatuses, "", analysis.Open, ""},
		{"threat identified", tcThreatStatuses, tcThreatIdentified, analysis.Open, ""},
		{"threat resolved", tcThreatStatuses, tcThreatResolved, analysis.Mitigated, ""},
		{"threat not useful", tcThreatStatuses, tcThreatNotUseful, analysis.NotApplicable, ""},
		{"threat unknown", tcThreatStatuses, "threatParked", analysis.Open, `threat status "threatParked" is unknown; imported as Open`},
		{"threat with a mitigation status", tcThreatStatuses, tcMitResolved, analysis.Open, `threat status "mitigationResolved" is unknown`},
		{"mitigation absent", tcMitigationStatuses, "", analysis.Open, ""},
		{"mitigation identified", tcMitigationStatuses, tcMitIdentified, analysis.Open, ""},
		{"mitigation in progress", tcMitigationStatuses, tcMitInProgress, analysis.InProgress, ""},
		{"mitigation resolved", tcMitigationStatuses, tcMitResolved, analysis.Implemented, ""},
		{"mitigation will not action", tcMitigationStatuses, tcMitWillNotAction, analysis.NotApplicable, ""},
		{"mitigation unknown", tcMitigationStatuses, "Resolved", analysis.Open, `mitigation status "Resolved" is unknown; imported as Open`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w convert.Warnings
			if got := tt.statuses.fromTC(tt.in, &w); got != tt.want {
				t.Errorf("fromTC(%q) = %q, want %q", tt.in, got, tt.want)
			}
			switch warns := w.List(); {
			case tt.warning == "" && len(warns) > 0:
				t.Errorf("fromTC(%q) warned %q, want no warning", tt.in, warns)
			case tt.warning != "" && (len(warns) != 1 || !strings.Contains(warns[0], tt.warning)):
				t.Errorf("fromTC(%q) warned %q, want one warning with %q", tt.in, warns, tt.warning)
			}
		})
	}
}
