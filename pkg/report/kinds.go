package report

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/compliance"
)

// ExecutiveReport is the executive summary.
type ExecutiveReport struct {
	Header
	// OpenRisk and TotalRisk are the analysis rollup's (likelihood × impact
	// summed over open, and over all applicable, threats); RiskReduced is
	// the percentage of total risk already mitigated or accepted.
	OpenRisk    int `json:"openRisk"`
	TotalRisk   int `json:"totalRisk"`
	RiskReduced int `json:"riskReduced"`

	Threats      int           `json:"threats"`
	ThreatStatus []statusCount `json:"threatStatus"`
	// OpenBySeverity counts open and in-progress threats by severity.
	OpenBySeverity []statusCount `json:"openBySeverity"`
	TopThreats     []TopThreat   `json:"topThreats"`

	Requirements      int           `json:"requirements"`
	RequirementStatus []statusCount `json:"requirementStatus"`
	// Implemented is the percentage of applicable requirements implemented.
	Implemented int           `json:"implemented"`
	Compliance  []statusCount `json:"compliance"`
	Epics       []EpicRow     `json:"epics"`
}

// TopThreat is one of the riskiest open threats.
type TopThreat struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	ElementName string `json:"elementName"`
	Severity    string `json:"severity"`
	Risk        int    `json:"risk"`
	Status      string `json:"status"`
	STRIDE      string `json:"stride"`
}

// EpicRow is the progress of one security epic.
type EpicRow struct {
	Epic         string `json:"epic"`
	Requirements int    `json:"requirements"`
	Implemented  int    `json:"implemented"`
	Compliant    int    `json:"compliant"`
	NonCompliant int    `json:"nonCompliant"`
}

func buildExecutive(h Header, in Input) *ExecutiveReport {
	res, ru := in.Analysis, in.Analysis.Rollup
	r := &ExecutiveReport{Header: h, OpenRisk: ru.OpenRisk, TotalRisk: ru.TotalRisk,
		Threats: ru.Threats.Total, ThreatStatus: byStatus(ru.Threats.ByStatus, analysis.ThreatStatuses),
		Requirements: ru.Requirements.Total, RequirementStatus: byStatus(ru.Requirements.ByStatus, analysis.RequirementStatuses),
		Compliance: complianceCounts(in.Compliance.Counts), TopThreats: []TopThreat{}}
	if ru.TotalRisk > 0 {
		r.RiskReduced = percent(ru.TotalRisk-ru.OpenRisk, ru.TotalRisk)
	}
	applicable := ru.Requirements.Total - ru.Requirements.ByStatus[analysis.NotApplicable]
	r.Implemented = percent(ru.Requirements.ByStatus[analysis.Implemented], applicable)

	open := map[string]int{}
	var top []TopThreat
	for _, t := range res.Threats {
		if t.Status != analysis.Open && t.Status != analysis.InProgress {
			continue
		}
		open[t.Severity]++
		name := t.ElementName
		if name == "" {
			name = t.Element
		}
		top = append(top, TopThreat{ID: t.ID, Title: t.Title, ElementName: name, Severity: t.Severity,
			Risk: t.Likelihood * t.Impact, Status: t.Status, STRIDE: t.STRIDE})
	}
	slices.SortStableFunc(top, func(a, b TopThreat) int {
		return cmp.Or(cmp.Compare(b.Risk, a.Risk), cmp.Compare(a.Title, b.Title), cmp.Compare(a.ID, b.ID))
	})
	if len(top) > TopThreats {
		top = top[:TopThreats]
	}
	r.TopThreats = append(r.TopThreats, top...)
	r.OpenBySeverity = byStatus(open, catalog.Severities)

	comp := complianceByItem(in.Compliance)
	epics := map[string]*EpicRow{}
	for _, q := range res.Requirements {
		e := epics[q.Epic]
		if e == nil {
			e = &EpicRow{Epic: q.Epic}
			epics[q.Epic] = e
		}
		e.Requirements++
		if q.Status == analysis.Implemented {
			e.Implemented++
		}
		if c := comp[q.ID]; c != nil {
			switch c.Status {
			case compliance.Compliant:
				e.Compliant++
			case compliance.NonCompliant:
				e.NonCompliant++
			}
		}
	}
	r.Epics = []EpicRow{}
	for _, name := range catalog.Epics {
		if e := epics[name]; e != nil {
			r.Epics = append(r.Epics, *e)
			delete(epics, name)
		}
	}
	rest := make([]string, 0, len(epics))
	for name := range epics {
		rest = append(rest, name)
	}
	slices.Sort(rest)
	for _, name := range rest {
		r.Epics = append(r.Epics, *epics[name])
	}
	return r
}

func (r *ExecutiveReport) rows() [][]string {
	out := [][]string{{"section", "name", "value", "detail"},
		{"risk", "open risk", strconv.Itoa(r.OpenRisk), ""},
		{"risk", "total risk", strconv.Itoa(r.TotalRisk), ""},
		{"risk", "risk reduced (%)", strconv.Itoa(r.RiskReduced), ""},
		{"threats", "total", strconv.Itoa(r.Threats), ""},
	}
	for _, s := range r.ThreatStatus {
		out = append(out, []string{"threats by status", s.Label, strconv.Itoa(s.Count), ""})
	}
	for _, s := range r.OpenBySeverity {
		out = append(out, []string{"open threats by severity", s.Label, strconv.Itoa(s.Count), ""})
	}
	out = append(out, []string{"requirements", "total", strconv.Itoa(r.Requirements), ""},
		[]string{"requirements", "implemented (%)", strconv.Itoa(r.Implemented), ""})
	for _, s := range r.RequirementStatus {
		out = append(out, []string{"requirements by status", s.Label, strconv.Itoa(s.Count), ""})
	}
	for _, s := range r.Compliance {
		out = append(out, []string{"requirements by compliance", s.Label, strconv.Itoa(s.Count), ""})
	}
	for _, e := range r.Epics {
		out = append(out, []string{"epic", e.Epic, strconv.Itoa(e.Requirements),
			"implemented " + strconv.Itoa(e.Implemented) + ", compliant " + strconv.Itoa(e.Compliant) + ", non-compliant " + strconv.Itoa(e.NonCompliant)})
	}
	for i, t := range r.TopThreats {
		out = append(out, []string{"top threat " + strconv.Itoa(i+1), t.Title, strconv.Itoa(t.Risk),
			t.ElementName + "; " + t.Severity + "; " + t.Status + "; " + t.STRIDE})
	}
	return out
}

// DeveloperReport lists what to build, component by component.
type DeveloperReport struct {
	Header
	Components []ComponentSection `json:"components"`
}

// ComponentSection is the requirements of one component (and of the flows
// that start at it).
type ComponentSection struct {
	ID           string           `json:"id"`
	Name         string           `json:"name"`
	Type         string           `json:"type"`
	TypeName     string           `json:"typeName,omitempty"`
	SourceName   string           `json:"sourceName,omitempty"` // the AWS resource's name
	Requirements []DevRequirement `json:"requirements"`
}

// DevRequirement is one requirement with how to implement it.
type DevRequirement struct {
	ID         string   `json:"id"`
	Rule       string   `json:"rule"`
	Title      string   `json:"title"`
	Severity   string   `json:"severity"`
	Epic       string   `json:"epic"`
	Element    string   `json:"element"` // the component, or a flow from it
	Status     string   `json:"status"`
	Compliance string   `json:"compliance"`
	Guidance   string   `json:"guidance"`
	Mitigates  []string `json:"mitigates"` // threat titles
	Checks     []string `json:"checks"`    // automated checks, e.g. "Security Hub EC2.8"
}

func buildDeveloper(h Header, in Input) *DeveloperReport {
	r := &DeveloperReport{Header: h, Components: []ComponentSection{}}
	comp := complianceByItem(in.Compliance)
	threatTitle := map[string]string{}
	for _, t := range in.Analysis.Threats {
		threatTitle[t.ID] = t.Title
	}
	names, types := map[string]string{}, map[string]string{}
	sources := map[string]string{}
	for _, c := range in.Model.Diagram.Components {
		names[c.ID], types[c.ID] = c.Name, c.Type
		if c.Resource != nil {
			sources[c.ID] = compliance.ResourceName(c.Resource.ARN, c.Resource.ResourceID)
		}
	}
	for _, g := range in.Model.Diagram.Groups {
		names[g.ID], types[g.ID] = g.Name, g.Type
		if g.Resource != nil {
			sources[g.ID] = compliance.ResourceName(g.Resource.ARN, g.Resource.ResourceID)
		}
	}
	pos := map[string]int{}
	for _, q := range in.Analysis.Requirements {
		i, ok := pos[q.Component]
		if !ok {
			i = len(r.Components)
			pos[q.Component] = i
			sec := ComponentSection{ID: q.Component, Name: names[q.Component], Type: types[q.Component], SourceName: sources[q.Component]}
			if t := in.Catalog.Type(sec.Type); t != nil {
				sec.TypeName = t.Name
			}
			r.Components = append(r.Components, sec)
		}
		d := DevRequirement{ID: q.ID, Rule: q.Rule, Title: q.Title, Severity: q.Severity, Epic: q.Epic,
			Status: q.Status, Compliance: compliance.NotAvailable.Label(), Mitigates: []string{}, Checks: []string{}}
		if q.ElementKind == analysis.KindFlow {
			d.Element = "flow " + cmp.Or(q.ElementName, q.Element) + " to " + flowTarget(in, q.Element, names)
		}
		if rule := in.Catalog.Requirement(q.Rule); rule != nil {
			d.Guidance = strings.TrimSpace(rule.Description)
		}
		for _, id := range q.Threats {
			d.Mitigates = append(d.Mitigates, threatTitle[id])
		}
		if c := comp[q.ID]; c != nil {
			d.Compliance = c.Status.Label()
			for _, id := range c.Checks.SecurityHub {
				d.Checks = append(d.Checks, "Security Hub "+id)
			}
			for _, id := range c.Checks.Config {
				d.Checks = append(d.Checks, "AWS Config "+id)
			}
		}
		r.Components[i].Requirements = append(r.Components[i].Requirements, d)
	}
	for i := range r.Components {
		sortRequirements(r.Components[i].Requirements, func(d *DevRequirement) string { return d.Severity },
			func(d *DevRequirement) string { return d.Title }, func(d *DevRequirement) string { return d.ID })
	}
	return r
}

func flowTarget(in Input, flow string, names map[string]string) string {
	for _, f := range in.Model.Diagram.Flows {
		if f.ID == flow {
			return names[f.Target]
		}
	}
	return ""
}

func (r *DeveloperReport) rows() [][]string {
	out := [][]string{{"component", "component_type", "resource", "element", "requirement", "title", "severity", "epic", "status", "compliance", "checks", "guidance"}}
	for _, c := range r.Components {
		for _, q := range c.Requirements {
			out = append(out, []string{c.Name, c.Type, c.SourceName, q.Element, q.Rule, q.Title, q.Severity, q.Epic, q.Status, q.Compliance,
				strings.Join(q.Checks, "; "), q.Guidance})
		}
	}
	return out
}

// PolicyReport lists every requirement with its compliance and evidence.
type PolicyReport struct {
	Header
	Counts     []statusCount       `json:"counts"`
	Frameworks []FrameworkCoverage `json:"frameworks"`
	Items      []PolicyItem        `json:"items"`
}

// FrameworkCoverage is how far the model's requirements reach into one
// framework through the catalog's mappings, and their compliance.
type FrameworkCoverage struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Mapped bool   `json:"mapped"` // false: the catalog has no mapping data
	Note   string `json:"note,omitempty"`
	// Requirements counts the requirement items with a check mapped to the
	// framework, by compliance status.
	Requirements int `json:"requirements"`
	NonCompliant int `json:"nonCompliant"`
	Compliant    int `json:"compliant"`
	NotAvailable int `json:"notAvailable"`
	// References counts the framework's distinct references (CIS items,
	// NIST controls, ...) those checks cover.
	References int `json:"references"`
}

// PolicyItem is one requirement item with its evidence.
type PolicyItem struct {
	ID             string `json:"id"`
	Rule           string `json:"rule"`
	Title          string `json:"title"`
	Severity       string `json:"severity"`
	Epic           string `json:"epic"`
	ElementName    string `json:"elementName"`
	SourceName     string `json:"sourceName,omitempty"`
	Implementation string `json:"implementation"`
	Status         string `json:"status"`
	StatusLabel    string `json:"statusLabel"`
	Automated      bool   `json:"automated"` // some check covers it
	// Frameworks names the references per framework, e.g.
	// "NIST SP 800-53 Rev. 5: AC-3, SC-7".
	Frameworks []string       `json:"frameworks"`
	Evidence   []EvidenceLine `json:"evidence"`
}

// EvidenceLine is one observation, for people.
type EvidenceLine struct {
	Source     string    `json:"source"` // Security Hub or AWS Config
	Check      string    `json:"check"`  // control id or rule name
	Resource   string    `json:"resource"`
	Status     string    `json:"status"`
	Counts     bool      `json:"counts"`
	Note       string    `json:"note,omitempty"` // why it does not count
	Ref        string    `json:"ref"`
	ObservedAt time.Time `json:"observedAt"`
}

func evidenceLines(obs []compliance.Observation) []EvidenceLine {
	out := make([]EvidenceLine, 0, len(obs))
	for _, o := range obs {
		l := EvidenceLine{Source: "AWS Config", Check: cmp.Or(o.ConfigRule, o.Check), Resource: o.ResourceName(),
			Status: o.Status.Label(), Counts: o.Active && !o.Superseded, Note: o.Reason, Ref: o.Ref, ObservedAt: o.ObservedAt}
		if o.Source == compliance.SourceSecurityHub {
			l.Source = "Security Hub"
			l.Check = cmp.Or(o.Control, o.CIS, o.Check)
			if o.CIS != "" {
				l.Check = "CIS " + o.CIS
				if o.Control != "" {
					l.Check += " (" + o.Control + ")"
				}
			}
		}
		if o.Superseded {
			l.Note = "superseded by a newer result of the same check"
		}
		out = append(out, l)
	}
	return out
}

func buildPolicy(h Header, in Input) (*PolicyReport, error) {
	fws := in.Frameworks
	if fws == nil {
		var err error
		if fws, err = compliance.DefaultFrameworks(); err != nil {
			return nil, err
		}
	}
	r := &PolicyReport{Header: h, Counts: complianceCounts(in.Compliance.Counts), Frameworks: []FrameworkCoverage{}, Items: []PolicyItem{}}
	refs := make([]map[string]bool, len(fws))
	for i, f := range fws {
		r.Frameworks = append(r.Frameworks, FrameworkCoverage{ID: f.ID, Name: f.Name, Mapped: f.Mapped, Note: f.Note})
		refs[i] = map[string]bool{}
	}
	for _, it := range in.Compliance.Items {
		p := PolicyItem{ID: it.Requirement, Rule: it.Rule, Title: it.Title, Severity: it.Severity, Epic: it.Epic,
			ElementName: cmp.Or(it.ElementName, it.Element), SourceName: it.SourceName, Implementation: it.Implementation,
			Status: string(it.Status), StatusLabel: it.Status.Label(), Automated: !it.Checks.Empty(), Frameworks: []string{},
			Evidence: evidenceLines(it.Evidence)}
		for i := range fws {
			got := fws[i].RefsOf(&it.Checks)
			if len(got) == 0 {
				continue
			}
			p.Frameworks = append(p.Frameworks, fws[i].Name+": "+strings.Join(got, ", "))
			c := &r.Frameworks[i]
			c.Requirements++
			switch it.Status {
			case compliance.NonCompliant:
				c.NonCompliant++
			case compliance.Compliant:
				c.Compliant++
			default:
				c.NotAvailable++
			}
			for _, ref := range got {
				refs[i][ref] = true
			}
		}
		r.Items = append(r.Items, p)
	}
	for i := range r.Frameworks {
		r.Frameworks[i].References = len(refs[i])
	}
	slices.SortStableFunc(r.Items, func(a, b PolicyItem) int {
		return cmp.Or(cmp.Compare(slices.Index(compliance.Statuses, compliance.Status(a.Status)), slices.Index(compliance.Statuses, compliance.Status(b.Status))),
			cmp.Compare(severityRank(a.Severity), severityRank(b.Severity)), cmp.Compare(a.ID, b.ID))
	})
	return r, nil
}

func formatTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

func (l EvidenceLine) String() string {
	s := l.Source + " " + l.Check + " on " + l.Resource + ": " + l.Status + " at " + formatTime(l.ObservedAt)
	if l.Note != "" {
		s += " (not counted: " + l.Note + ")"
	}
	return s + " [" + l.Ref + "]"
}

func (r *PolicyReport) rows() [][]string {
	out := [][]string{{"requirement", "title", "severity", "epic", "element", "source_name", "implementation", "compliance", "automated", "frameworks", "evidence"}}
	for _, it := range r.Items {
		ev := make([]string, len(it.Evidence))
		for i, l := range it.Evidence {
			ev[i] = l.String()
		}
		out = append(out, []string{it.ID, it.Title, it.Severity, it.Epic, it.ElementName, it.SourceName, it.Implementation,
			it.StatusLabel, strconv.FormatBool(it.Automated), strings.Join(it.Frameworks, " | "), strings.Join(ev, " | ")})
	}
	return out
}

// CISReport is the CIS AWS Foundations Benchmark of one version.
type CISReport struct {
	Header
	Version  string        `json:"version"`
	Versions []string      `json:"versions"` // every version the catalog holds
	Counts   []statusCount `json:"counts"`
	Items    []CISItem     `json:"items"`
}

// CISItem is one benchmark item's result.
type CISItem struct {
	Item        string         `json:"item"`
	Title       string         `json:"title"`
	Level       string         `json:"level,omitempty"`
	Automated   bool           `json:"automated"`
	Controls    []string       `json:"controls"`
	Status      string         `json:"status"`
	StatusLabel string         `json:"statusLabel"` // Pass, Fail or Not available
	Failing     int            `json:"failing"`
	Passing     int            `json:"passing"`
	Evidence    []EvidenceLine `json:"evidence"`
}

func cisLabel(s compliance.Status) string {
	switch s {
	case compliance.Compliant:
		return "Pass"
	case compliance.NonCompliant:
		return "Fail"
	}
	return "Not available"
}

func buildCIS(h Header, in Input) (*CISReport, error) {
	version := cmp.Or(in.CISVersion, DefaultCISVersion)
	rows, err := compliance.CIS(in.Catalog.Controls, version, in.Evidence)
	if err != nil {
		return nil, err
	}
	h.Title += " v" + version
	r := &CISReport{Header: h, Version: version, Versions: compliance.CISVersions(in.Catalog.Controls), Items: []CISItem{}}
	counts := map[compliance.Status]int{}
	for _, row := range rows {
		counts[row.Status]++
		r.Items = append(r.Items, CISItem{Item: row.Item, Title: row.Title, Level: row.Level, Automated: row.Automated,
			Controls: row.Controls, Status: string(row.Status), StatusLabel: cisLabel(row.Status), Failing: row.Failing,
			Passing: row.Passing, Evidence: evidenceLines(row.Evidence)})
	}
	for _, s := range compliance.Statuses {
		r.Counts = append(r.Counts, statusCount{Status: string(s), Label: cisLabel(s), Count: counts[s]})
	}
	return r, nil
}

func (r *CISReport) rows() [][]string {
	out := [][]string{{"version", "item", "title", "level", "automated", "security_hub_controls", "result", "failing_resources", "passing_resources"}}
	for _, it := range r.Items {
		out = append(out, []string{r.Version, it.Item, it.Title, it.Level, strconv.FormatBool(it.Automated),
			strings.Join(it.Controls, "; "), it.StatusLabel, strconv.Itoa(it.Failing), strconv.Itoa(it.Passing)})
	}
	return out
}
