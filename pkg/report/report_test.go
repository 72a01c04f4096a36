package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/compliance"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

var update = flag.Bool("update", false, "rewrite golden files")

// referenceInput is the shop model of package compliance's tests with the
// evidence of every sample event under events/aws.
func referenceInput(t *testing.T) Input {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("../compliance/testdata/shop.json")
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, dir := range []string{"securityhub", "config-rules"} {
		m, err := filepath.Glob("../../events/aws/" + dir + "/*.json")
		if err != nil || len(m) == 0 {
			t.Fatalf("no sample events in %s: %v", dir, err)
		}
		files = append(files, m...)
	}
	byID := map[string]compliance.Evidence{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p, err := compliance.Parse(data, compliance.Options{Controls: cat.Controls, AccountID: "111111111111", Region: "us-east-1"})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, e := range p.Evidence {
			if cur, ok := byID[e.ID]; !ok || compliance.Newer(&cur, &e) {
				byID[e.ID] = e
			}
		}
	}
	var evs []compliance.Evidence
	for _, e := range byID {
		evs = append(evs, e)
	}
	res := analysis.Analyze(cat, m, nil)
	return Input{Model: m, Analysis: res, Compliance: compliance.BuildView(m, res, evs, cat.Controls), Evidence: evs,
		Catalog: cat, GeneratedAt: time.Date(2026, 11, 5, 8, 30, 0, 0, time.UTC)}
}

// TestGolden renders every report in every format for the reference model.
func TestGolden(t *testing.T) {
	in := referenceInput(t)
	for _, k := range Kinds {
		r, err := Build(k, in)
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		for _, f := range Formats {
			t.Run(string(k)+"."+string(f), func(t *testing.T) {
				var buf bytes.Buffer
				if err := Render(&buf, r, f); err != nil {
					t.Fatal(err)
				}
				path := filepath.Join("testdata", string(k)+".golden."+string(f))
				if *update {
					if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test -update)", err)
				}
				if !bytes.Equal(buf.Bytes(), want) {
					t.Errorf("%s differs (go test -update to accept):\n%s", path, cmp.Diff(string(want), buf.String()))
				}
				checkWellFormed(t, f, buf.Bytes())
				if f == PDF {
					// The PDF's text, extracted, is a golden file of its own
					// that people can read in a review.
					text := pdfText(t, buf.Bytes())
					tpath := path + ".txt"
					if *update {
						if err := os.WriteFile(tpath, []byte(text), 0o644); err != nil {
							t.Fatal(err)
						}
					}
					want, err := os.ReadFile(tpath)
					if err != nil {
						t.Fatalf("%v (run go test -update)", err)
					}
					if text != string(want) {
						t.Errorf("%s differs:\n%s", tpath, cmp.Diff(string(want), text))
					}
				}
			})
		}
	}
}

// checkWellFormed parses the output back: JSON decodes, CSV is
// rectangular, HTML is one self-contained document.
func checkWellFormed(t *testing.T, f Format, b []byte) {
	t.Helper()
	switch f {
	case JSON:
		var v map[string]any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Errorf("JSON: %v", err)
		}
	case CSV:
		rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Errorf("CSV: %v", err)
		}
		if len(rows) < 2 {
			t.Errorf("CSV has %d rows", len(rows))
		}
	case PDF:
		if !bytes.HasPrefix(b, []byte("%PDF-1.")) || !bytes.HasSuffix(bytes.TrimSpace(b), []byte("%%EOF")) {
			t.Error("PDF lacks the header or the end-of-file marker")
		}
	case HTML:
		s := string(b)
		for _, bad := range []string{"<script", "src=\"http", "href=\"http", "@import", "url("} {
			if strings.Contains(s, bad) {
				t.Errorf("HTML is not self-contained: contains %q", bad)
			}
		}
		if !strings.HasPrefix(s, "<!DOCTYPE html>") || !strings.Contains(s, "@media print") {
			t.Error("HTML lacks the doctype or print styles")
		}
	}
}

// TestReportContent checks what the reports say about the reference model,
// beyond the golden files.
func TestReportContent(t *testing.T) {
	in := referenceInput(t)
	exec := mustBuild(t, Executive, in).(*ExecutiveReport)
	if exec.TotalRisk == 0 || exec.OpenRisk > exec.TotalRisk || len(exec.TopThreats) != TopThreats {
		t.Errorf("executive rollup: open %d total %d, %d top threats", exec.OpenRisk, exec.TotalRisk, len(exec.TopThreats))
	}
	for i := 1; i < len(exec.TopThreats); i++ {
		if exec.TopThreats[i].Risk > exec.TopThreats[i-1].Risk {
			t.Errorf("top threats not by risk: %d after %d", exec.TopThreats[i].Risk, exec.TopThreats[i-1].Risk)
		}
	}
	pol := mustBuild(t, Policy, in).(*PolicyReport)
	if pol.Items[0].Status != string(compliance.NonCompliant) || len(pol.Items) != len(in.Analysis.Requirements) {
		t.Errorf("policy report does not list non-compliant first or misses items: %+v", pol.Items[0])
	}
	cis := mustBuild(t, CIS, Input{Model: in.Model, Analysis: in.Analysis, Compliance: in.Compliance, Evidence: in.Evidence, Catalog: in.Catalog, CISVersion: "1.2.0", GeneratedAt: in.GeneratedAt}).(*CISReport)
	want := map[string]string{"1.12": "Fail", "4.1": "Fail", "2.1": "Pass", "1.1": "Not available"}
	for _, it := range cis.Items {
		if w, ok := want[it.Item]; ok {
			if it.StatusLabel != w {
				t.Errorf("CIS 1.2.0 %s: %s, want %s", it.Item, it.StatusLabel, w)
			}
			delete(want, it.Item)
		}
	}
	if len(want) > 0 {
		t.Errorf("CIS items missing: %v", want)
	}
	dev := mustBuild(t, Developer, in).(*DeveloperReport)
	if len(dev.Components) != 4 || dev.Components[1].SourceName != "i-0123456789abcdef0" || dev.Components[1].Requirements[0].Guidance == "" {
		t.Errorf("developer report sections: %+v", dev.Components)
	}
}

func mustBuild(t *testing.T, k Kind, in Input) Report {
	t.Helper()
	r, err := Build(k, in)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestEscaping puts markup and formulas into the model and checks that
// HTML escapes them and CSV defuses them.
func TestEscaping(t *testing.T) {
	in := referenceInput(t)
	in.Model.Name = `<img src=x onerror=alert(1)>`
	in.Model.Description = `"><script>alert(1)</script>`
	for i := range in.Analysis.Requirements {
		in.Analysis.Requirements[i].ElementName = "=HYPERLINK(\"http://evil\")"
	}
	in.Compliance = compliance.BuildView(in.Model, in.Analysis, in.Evidence, in.Catalog.Controls)
	r := mustBuild(t, Policy, in)
	var h, c bytes.Buffer
	if err := Render(&h, r, HTML); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(h.String(), "<img src=x") || strings.Contains(h.String(), "<script>") {
		t.Error("HTML does not escape model text")
	}
	if err := Render(&c, r, CSV); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.String(), `'=HYPERLINK`) {
		t.Error("CSV does not defuse a formula")
	}
	cases := map[string]string{"=1+2": "'=1+2", "-5": "-5", "-1.5": "-1.5", "+x": "'+x", "@sum": "'@sum", "plain": "plain", "- item": "'- item",
		// A numeric prefix does not make a cell a number.
		"-1+cmd|'/C calc'!A0": "'-1+cmd|'/C calc'!A0", "+1+HYPERLINK(\"http://evil\")": "'+1+HYPERLINK(\"http://evil\")",
		"-2-3": "'-2-3", "+1e3": "+1e3", "-.5": "-.5", "-Inf": "'-Inf", "+NaN": "'+NaN", "-0x1p3": "'-0x1p3", "-1,000": "'-1,000",
		"\t=1": "'\t=1", "\r=1": "'\r=1", "＝1+1": "'＝1+1", "12": "12", "-": "'-"}
	for in, want := range cases {
		if got := safeCell(in); got != want {
			t.Errorf("safeCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		kind, format string
		err          errs.Kind
	}{
		{"executive", "", 0},
		{"cis", "CSV", 0},
		{"policy", "json", 0},
		{"audit", "html", errs.NotFound},
		{"developer", "pdf", 0},
		{"compliance", "json", 0},
		{"developer", "docx", errs.Invalid},
	}
	for _, tt := range tests {
		_, kerr := ParseKind(tt.kind)
		_, ferr := ParseFormat(tt.format)
		err := kerr
		if err == nil {
			err = ferr
		}
		if (tt.err == 0) != (err == nil) || (err != nil && errs.KindOf(err) != tt.err) {
			t.Errorf("%s/%s: %v, want kind %v", tt.kind, tt.format, err, tt.err)
		}
	}
	in := referenceInput(t)
	in.CISVersion = "9.9.9"
	if _, err := Build(CIS, in); !errs.Is(err, errs.Invalid) {
		t.Errorf("unknown CIS version: %v", err)
	}
}
