// Package report builds Bulwark's reports on a threat model and renders
// them as HTML, CSV or JSON:
//
//   - executive: the risk rollup, the top open threats and the progress of
//     requirements and of their compliance evidence;
//   - developer: the requirements of each component with implementation
//     guidance from the knowledge base;
//   - policy: every requirement with its compliance status (from AWS Config
//     and Security Hub evidence) and the evidence behind it;
//   - cis: the CIS AWS Foundations Benchmark items of one version with pass,
//     fail or not available from the same evidence;
//   - custom: the sections the caller picks (summary, threats, requirements,
//     compliance, cis) in one document.
//
// The executive, developer and custom reports start with the model's
// diagram, drawn from the positions stored in the model (diagram.go): in
// HTML as inline SVG shapes and text, in PDF as boxes, lines and text.
//
// The policy report also gives the coverage per framework (CIS versions, AWS
// Foundational Security Best Practices, NIST SP 800-53, PCI DSS) through the
// control catalog's mappings, and says which frameworks have no mapping data.
//
// Build computes a report's data from the model, its analysis and its
// compliance view; Render writes it. HTML is one self-contained,
// print-friendly page (inline styles, no scripts, no external resources)
// made with html/template, so every model-supplied string is escaped. CSV
// cells that a spreadsheet would run as a formula are quoted with a leading
// apostrophe. PDF is drawn in pure Go with go-pdf/fpdf (core fonts, so no
// font files): the same sections as tables, and in the executive summary bar
// charts of open threats by severity, requirements by status and by epic.
// Table header words and chart category names are never broken or cut.
// Its creation date is the report's GeneratedAt and its producer is fixed,
// so the bytes are reproducible.
//
// Build and Render are pure: the same input gives the same bytes, which the
// golden tests rely on.
package report

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/compliance"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// Kind names a report.
type Kind string

// The reports.
const (
	Executive Kind = "executive"
	Developer Kind = "developer"
	Policy    Kind = "policy"
	CIS       Kind = "cis"
	Custom    Kind = "custom"
)

// Kinds lists every report, in display order.
var Kinds = []Kind{Executive, Developer, Policy, CIS, Custom}

// Format names an output format.
type Format string

// The formats.
const (
	HTML Format = "html"
	CSV  Format = "csv"
	JSON Format = "json"
	PDF  Format = "pdf"
)

// Formats lists every format.
var Formats = []Format{HTML, PDF, CSV, JSON}

// MediaType is the format's Content-Type.
func (f Format) MediaType() string {
	switch f {
	case HTML:
		return "text/html; charset=utf-8"
	case CSV:
		return "text/csv; charset=utf-8"
	case PDF:
		return "application/pdf"
	}
	return "application/json"
}

// DefaultCISVersion is the benchmark version the CIS report uses when the
// caller names none: the newest that Security Hub maps to controls.
const DefaultCISVersion = "1.4.0"

// TopThreats is how many threats the executive report lists.
const TopThreats = 10

// Input is everything a report is built from.
type Input struct {
	Model    *model.ThreatModel
	Analysis *analysis.Result
	// Compliance is the model's compliance view (compliance.BuildView).
	Compliance *compliance.View
	// Evidence is all evidence of the model's accounts, for the CIS report.
	Evidence []compliance.Evidence
	Catalog  *catalog.Catalog
	// CISVersion selects the benchmark version; "" means DefaultCISVersion.
	CISVersion string
	// Sections are the custom report's sections (see Sections); nil means
	// all of them.
	Sections []string
	// Frameworks are the framework mappings of the policy report; nil means
	// compliance.DefaultFrameworks.
	Frameworks  []compliance.Framework
	GeneratedAt time.Time
}

// Header is what every report starts with.
type Header struct {
	Kind        Kind      `json:"kind"`
	Title       string    `json:"title"`
	Model       ModelInfo `json:"model"`
	Accounts    []string  `json:"accounts"`
	GeneratedAt time.Time `json:"generatedAt"`
	// Diagram is the model's diagram as stored, drawn at the top of the
	// executive, developer and custom reports (HTML and PDF); nil in the
	// others and for an empty diagram.
	Diagram *DiagramView `json:"-"`
}

// ModelInfo identifies the model a report is about.
type ModelInfo struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Version     string   `json:"version,omitempty"`
	Owner       string   `json:"owner,omitempty"`
	Priority    string   `json:"priority"`
	Facing      string   `json:"facing"`
	Revision    int64    `json:"revision"`
	Labels      []string `json:"labels,omitempty"`
}

// Report is a built report of any kind.
type Report interface {
	// Head returns the report's header.
	Head() *Header
	// rows returns the CSV form: a header row, then data rows.
	rows() [][]string
}

// Head returns the header.
func (h *Header) Head() *Header { return h }

var titles = map[Kind]string{
	Executive: "Executive summary",
	Developer: "Developer report",
	Policy:    "Policy compliance report",
	CIS:       "CIS AWS Foundations Benchmark report",
	Custom:    "Custom report",
}

// ParseKind returns the report kind named s ("compliance" is another name
// for policy), or a NotFound error naming the path parameter.
func ParseKind(s string) (Kind, error) {
	if s == "compliance" {
		return Policy, nil
	}
	if k := Kind(s); slices.Contains(Kinds, k) {
		return k, nil
	}
	return "", errs.E(errs.NotFound, "%s", "no report "+quote(s)+"; use one of "+join(Kinds)).At("kind")
}

// ParseFormat returns the format named s ("" means HTML), or an Invalid
// error naming the parameter.
func ParseFormat(s string) (Format, error) {
	if s == "" {
		return HTML, nil
	}
	if f := Format(strings.ToLower(s)); slices.Contains(Formats, f) {
		return f, nil
	}
	return "", errs.Field("format", "%s", "unknown format "+quote(s)+"; use one of "+join(Formats))
}

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }

func join[T ~string](vs []T) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}

// Build computes the report of kind k.
func Build(k Kind, in Input) (Report, error) {
	if in.Model == nil || in.Analysis == nil || in.Compliance == nil || in.Catalog == nil {
		return nil, errs.E(errs.Other, "report %s: the model, its analysis, its compliance view and the catalog are required", k)
	}
	h := Header{Kind: k, Title: titles[k], Accounts: slices.Clone(in.Compliance.Accounts), GeneratedAt: in.GeneratedAt.UTC(),
		Model: ModelInfo{ID: in.Model.ID, Name: in.Model.Name, Description: in.Model.Description, Version: in.Model.Version,
			Owner: in.Model.Owner, Priority: string(in.Model.Priority), Facing: string(in.Model.Facing),
			Revision: in.Model.Revision, Labels: in.Model.Labels}}
	if h.Accounts == nil {
		h.Accounts = []string{}
	}
	if k == Executive || k == Developer || k == Custom {
		h.Diagram = buildDiagram(in.Model, in.Catalog)
	}
	switch k {
	case Executive:
		return buildExecutive(h, in), nil
	case Developer:
		return buildDeveloper(h, in), nil
	case Policy:
		return buildPolicy(h, in)
	case CIS:
		return buildCIS(h, in)
	case Custom:
		return buildCustom(h, in)
	}
	_, err := ParseKind(string(k))
	return nil, err
}

// Render writes r in format f.
func Render(w io.Writer, r Report, f Format) error {
	switch f {
	case HTML:
		return renderHTML(w, r)
	case CSV:
		return renderCSV(w, r)
	case PDF:
		return renderPDF(w, r)
	case JSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			return fmt.Errorf("render %s report as JSON: %w", r.Head().Kind, err)
		}
		return nil
	}
	_, err := ParseFormat(string(f))
	return err
}

// FileName is the name a download of r in format f gets.
func FileName(r Report, f Format) string {
	h := r.Head()
	return h.Model.ID + "-" + string(h.Kind) + "-" + h.GeneratedAt.Format("20060102") + "." + string(f)
}

// severityRank orders severities, highest first; unknown ones last.
func severityRank(s string) int {
	if i := slices.Index(catalog.Severities, s); i >= 0 {
		return i
	}
	return len(catalog.Severities)
}

// complianceByItem indexes a compliance view by requirement item id.
func complianceByItem(v *compliance.View) map[string]*compliance.Item {
	out := make(map[string]*compliance.Item, len(v.Items))
	for i := range v.Items {
		out[v.Items[i].Requirement] = &v.Items[i]
	}
	return out
}

// statusCount is a status with a count, in display order.
type statusCount struct {
	Status string `json:"status"`
	Label  string `json:"label"`
	Count  int    `json:"count"`
}

func complianceCounts(counts map[compliance.Status]int) []statusCount {
	out := make([]statusCount, 0, len(compliance.Statuses))
	for _, s := range compliance.Statuses {
		out = append(out, statusCount{Status: string(s), Label: s.Label(), Count: counts[s]})
	}
	return out
}

func byStatus(counts map[string]int, order []string) []statusCount {
	out := make([]statusCount, 0, len(order))
	for _, s := range order {
		out = append(out, statusCount{Status: s, Label: s, Count: counts[s]})
	}
	return out
}

func percent(part, whole int) int {
	if whole == 0 {
		return 0
	}
	return (part*100 + whole/2) / whole
}

func sortRequirements[T any](items []T, sev func(*T) string, title func(*T) string, id func(*T) string) {
	slices.SortStableFunc(items, func(a, b T) int {
		return cmp.Or(cmp.Compare(severityRank(sev(&a)), severityRank(sev(&b))),
			cmp.Compare(title(&a), title(&b)), cmp.Compare(id(&a), id(&b)))
	})
}
