package report

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// The sections of the custom report, in the order they appear.
const (
	SectionSummary      = "summary"
	SectionThreats      = "threats"
	SectionRequirements = "requirements"
	SectionCompliance   = "compliance"
	SectionCIS          = "cis"
)

// Sections lists the custom report's sections in display order.
var Sections = []string{SectionSummary, SectionThreats, SectionRequirements, SectionCompliance, SectionCIS}

// ParseSections reads a comma-separated list of sections ("" means all),
// in display order without duplicates, or returns an Invalid error naming
// the parameter.
func ParseSections(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return slices.Clone(Sections), nil
	}
	seen := map[string]bool{}
	for _, p := range strings.Split(s, ",") {
		p = strings.ToLower(strings.TrimSpace(p))
		if !slices.Contains(Sections, p) {
			return nil, errs.Field("sections", "%s", "unknown section "+quote(p)+"; use some of "+strings.Join(Sections, ", "))
		}
		seen[p] = true
	}
	var out []string
	for _, s := range Sections {
		if seen[s] {
			out = append(out, s)
		}
	}
	return out, nil
}

// CustomReport holds the sections the caller picked; the others are nil.
type CustomReport struct {
	Header
	Sections []string `json:"sections"`
	// Summary is the executive summary (section summary).
	Summary *ExecutiveReport `json:"summary,omitempty"`
	// HasThreats is set when the threats section was picked.
	HasThreats bool        `json:"-"`
	Threats    []TopThreat `json:"threats,omitempty"` // every threat, riskiest first
	// Requirements is the developer report (section requirements).
	Requirements *DeveloperReport `json:"requirements,omitempty"`
	Compliance   *PolicyReport    `json:"compliance,omitempty"`
	CIS          *CISReport       `json:"cis,omitempty"`
}

func buildCustom(h Header, in Input) (*CustomReport, error) {
	sections := in.Sections
	if sections == nil {
		sections = Sections
	}
	r := &CustomReport{Header: h, Sections: slices.Clone(sections)}
	sub := func(k Kind) Header { s := h; s.Kind, s.Title = k, titles[k]; return s }
	for _, s := range sections {
		switch s {
		case SectionSummary:
			r.Summary = buildExecutive(sub(Executive), in)
		case SectionThreats:
			r.HasThreats, r.Threats = true, []TopThreat{}
			for _, t := range in.Analysis.Threats {
				r.Threats = append(r.Threats, TopThreat{ID: t.ID, Title: t.Title, ElementName: cmp.Or(t.ElementName, t.Element),
					Severity: t.Severity, Risk: t.Likelihood * t.Impact, Status: t.Status, STRIDE: t.STRIDE})
			}
			slices.SortStableFunc(r.Threats, func(a, b TopThreat) int {
				return cmp.Or(cmp.Compare(b.Risk, a.Risk), cmp.Compare(a.Title, b.Title), cmp.Compare(a.ID, b.ID))
			})
		case SectionRequirements:
			r.Requirements = buildDeveloper(sub(Developer), in)
		case SectionCompliance:
			p, err := buildPolicy(sub(Policy), in)
			if err != nil {
				return nil, err
			}
			r.Compliance = p
		case SectionCIS:
			c, err := buildCIS(sub(CIS), in)
			if err != nil {
				return nil, err
			}
			r.CIS = c
		default:
			return nil, errs.Field("sections", "%s", "unknown section "+quote(s))
		}
	}
	return r, nil
}

// rows gives each picked section's rows after a "section" column; rows are
// padded to one width so that the file stays rectangular.
func (r *CustomReport) rows() [][]string {
	var parts []struct {
		name string
		rows [][]string
	}
	add := func(name string, rows [][]string) {
		parts = append(parts, struct {
			name string
			rows [][]string
		}{name, rows})
	}
	if r.Summary != nil {
		add(SectionSummary, r.Summary.rows())
	}
	if r.HasThreats {
		rows := [][]string{{"threat", "title", "element", "stride", "severity", "risk", "status"}}
		for _, t := range r.Threats {
			rows = append(rows, []string{t.ID, t.Title, t.ElementName, t.STRIDE, t.Severity, strconv.Itoa(t.Risk), t.Status})
		}
		add(SectionThreats, rows)
	}
	if r.Requirements != nil {
		add(SectionRequirements, r.Requirements.rows())
	}
	if r.Compliance != nil {
		add(SectionCompliance, r.Compliance.rows())
	}
	if r.CIS != nil {
		add(SectionCIS, r.CIS.rows())
	}
	width := 0
	for _, p := range parts {
		for _, row := range p.rows {
			width = max(width, len(row)+1)
		}
	}
	out := [][]string{pad([]string{"section", "columns"}, width)}
	for _, p := range parts {
		for i, row := range p.rows {
			name := p.name
			if i == 0 {
				name += " (header)"
			}
			out = append(out, pad(append([]string{name}, row...), width))
		}
	}
	return out
}

func pad(row []string, width int) []string {
	for len(row) < width {
		row = append(row, "")
	}
	return row
}
