package report

import (
	"bytes"
	"compress/zlib"
	"io"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/go-pdf/fpdf"
	"golang.org/x/text/encoding/charmap"
)

var (
	streamRE = regexp.MustCompile(`(?s)stream\n(.*?)\nendstream`)
	// showRE finds text-showing operators: (string) Tj.
	showRE = regexp.MustCompile(`(?s)\(((?:\\.|[^\\)])*)\)\s*Tj`)
)

// pdfText extracts the text of a PDF that fpdf wrote: it inflates every
// content stream and collects the strings of its Tj operators, one line
// each, decoded from cp1252 (the core fonts' encoding). Pages are
// separated by a form feed line.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	var pages []string
	for _, m := range streamRE.FindAllSubmatch(pdf, -1) {
		zr, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			continue // not a Flate stream (none in fpdf's output with core fonts)
		}
		raw, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("inflate a PDF stream: %v", err)
		}
		var lines []string
		for _, s := range showRE.FindAllSubmatch(raw, -1) {
			lines = append(lines, unescapePDF(s[1]))
		}
		if len(lines) > 0 {
			pages = append(pages, strings.Join(lines, "\n"))
		}
	}
	if len(pages) == 0 {
		t.Fatal("no text in the PDF")
	}
	return strings.Join(pages, "\n\f\n") + "\n"
}

func unescapePDF(b []byte) string {
	var out []byte
	for i := 0; i < len(b); i++ {
		if b[i] == '\\' && i+1 < len(b) {
			i++
			switch b[i] {
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			default:
				out = append(out, b[i])
			}
			continue
		}
		out = append(out, b[i])
	}
	s, _ := charmap.Windows1252.NewDecoder().Bytes(out)
	return string(s)
}

// TestPDFContent checks what the PDFs say, through their extracted text.
func TestPDFContent(t *testing.T) {
	in := referenceInput(t)
	tests := []struct {
		kind Kind
		want []string
	}{
		{Executive, []string{"Executive summary", in.Model.Name, "Open threats by severity", "Requirements by security epic", "Top threats", "Page 1 of"}},
		{Developer, []string{"Developer report", "How to implement", "i-0123456789abcdef0"}},
		{Policy, []string{"Coverage per framework", "NIST SP 800-53 Rev. 5", "AWS Foundational Security Best Practices", "CIS AWS Foundations Benchmark v3.0.0"}},
		{CIS, []string{"CIS AWS Foundations Benchmark report v1.4.0", "Not available", "Fail"}},
		{Custom, []string{"Sections: summary, threats, requirements, compliance, cis.", "Threats", "CIS AWS Foundations Benchmark v1.4.0"}},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		if err := Render(&buf, mustBuild(t, tt.kind, in), PDF); err != nil {
			t.Fatal(err)
		}
		text := pdfText(t, buf.Bytes())
		for _, w := range tt.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s PDF lacks %q", tt.kind, w)
			}
		}
	}
	// The executive PDF draws its bar charts with filled rectangles.
	var buf bytes.Buffer
	if err := Render(&buf, mustBuild(t, Executive, in), PDF); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(inflateAll(t, buf.Bytes()), " re f"); n < 5 {
		t.Errorf("executive PDF has %d filled rectangles, want bars", n)
	}
}

func inflateAll(t *testing.T, pdf []byte) string {
	var b strings.Builder
	for _, m := range streamRE.FindAllSubmatch(pdf, -1) {
		if zr, err := zlib.NewReader(bytes.NewReader(m[1])); err == nil {
			raw, _ := io.ReadAll(zr)
			b.Write(raw)
		}
	}
	return b.String()
}

// TestCustomSections checks the section parameter and that the custom
// report holds only the picked sections.
func TestCustomSections(t *testing.T) {
	got, err := ParseSections(" cis, summary ,cis")
	if err != nil || strings.Join(got, ",") != "summary,cis" {
		t.Errorf("ParseSections: %v %v", got, err)
	}
	if _, err := ParseSections("summary,audit"); err == nil {
		t.Error("unknown section accepted")
	}
	in := referenceInput(t)
	in.Sections = []string{SectionThreats, SectionCIS}
	r := mustBuild(t, Custom, in).(*CustomReport)
	if r.Summary != nil || r.Requirements != nil || r.Compliance != nil || r.CIS == nil || len(r.Threats) != len(in.Analysis.Threats) {
		t.Errorf("custom report sections: summary %v requirements %v compliance %v cis %v threats %d", r.Summary != nil, r.Requirements != nil, r.Compliance != nil, r.CIS != nil, len(r.Threats))
	}
	for _, f := range Formats {
		var buf bytes.Buffer
		if err := Render(&buf, r, f); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		checkWellFormed(t, f, buf.Bytes())
		if f == HTML && strings.Contains(buf.String(), "Top threats") {
			t.Error("custom HTML shows the summary section it was not asked for")
		}
	}
}

// TestPDFHeadersKeepWords checks that no table header word is broken
// across lines (the CIS table broke "Level", "Automated" and "Passing").
func TestPDFHeadersKeepWords(t *testing.T) {
	in := referenceInput(t)
	var buf bytes.Buffer
	if err := Render(&buf, mustBuild(t, CIS, in), PDF); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(pdfText(t, buf.Bytes()), "\n")
	for _, w := range []string{"Item", "Title", "Level", "Automated", "Controls", "Result", "Failing", "Passing"} {
		if !slices.Contains(lines, w) {
			t.Errorf("CIS PDF header %q is not one whole line", w)
		}
	}
	tests := []struct {
		name            string
		fractions, need []float64
		want            []float64
	}{
		{"fits", []float64{.5, .5}, []float64{10, 10}, []float64{50, 50}},
		{"widen from spare", []float64{.1, .9}, []float64{20, 10}, []float64{20, 80}},
		{"shrink in proportion to spare", []float64{.1, .45, .45}, []float64{20, 5, 25}, []float64{20, 45 - 40.0/6, 45 - 20.0/6}},
		{"not enough room keeps fractions", []float64{.5, .5}, []float64{80, 80}, []float64{50, 50}},
	}
	for _, tt := range tests {
		got := fitColumns(tt.fractions, tt.need, 100)
		for i := range got {
			if math.Abs(got[i]-tt.want[i]) > 1e-9 {
				t.Errorf("%s: fitColumns = %v, want %v", tt.name, got, tt.want)
				break
			}
		}
	}
}

// TestBarLabelsFit checks that the executive chart's category names fit
// their column: measured with the PDF font, every line is narrower than
// the label column, and no name is cut.
func TestBarLabelsFit(t *testing.T) {
	in := referenceInput(t)
	long := "Identity, credential and access management across every workload account"
	for i := range in.Analysis.Requirements {
		if i%2 == 0 {
			in.Analysis.Requirements[i].Epic = long
		}
	}
	r := mustBuild(t, Executive, in).(*ExecutiveReport)
	f := fpdf.New("P", "mm", "A4", "")
	f.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	f.AddPage()
	d := &pdfDoc{f: f, tr: f.UnicodeTranslatorFromDescriptor("")}
	counts := []statusCount{}
	for _, e := range r.Epics {
		counts = append(counts, statusCount{Label: e.Epic, Count: e.Requirements})
	}
	labelW, lines := d.barLabels(counts)
	f.SetFont("Helvetica", "", 8.5)
	for i, c := range counts {
		for _, l := range lines[i] {
			if w := f.GetStringWidth(l); w > labelW-2 {
				t.Errorf("label line %q is %.1f mm wide, column %.1f mm", l, w, labelW)
			}
		}
		if got := strings.Join(lines[i], " "); got != c.Label {
			t.Errorf("label %q drawn as %q", c.Label, got)
		}
	}
	// "Infrastructure Security" is on one line.
	var buf bytes.Buffer
	if err := Render(&buf, r, PDF); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, buf.Bytes())
	if !strings.Contains(text, "\nInfrastructure Security\n") || !strings.Contains(strings.Join(strings.Fields(text), " "), long) {
		t.Error("executive PDF chart does not show the whole category names")
	}
}
