// Package gate is the threat model gate of a pull request: it compares
// infrastructure as changed (imported from CloudFormation or Terraform)
// with the approved baseline model, and fails when the change brings new
// threats of a given severity or more that nothing mitigates.
//
// Check aligns the imported model with the baseline (elements that stand
// for the same resource keep the baseline's ids, so the baseline's
// decisions on threats carry over), analyses both and diffs them with
// pkg/diff. SARIF writes the result as SARIF 2.1.0, each new threat
// located at the line of the template that declares its resource.
package gate

import (
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/diff"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// DefaultThreshold is the least severity that fails the gate by default.
const DefaultThreshold = "High"

// File is a source file of the change, for locating resources.
type File struct {
	Name string // as given on the command line; SARIF's artifact URI
	Data []byte
}

// Location is where a resource is declared.
type Location struct {
	File string `json:"file"`
	Line int    `json:"line,omitempty"` // 1-based; 0 when not found
	// Resource is the resource's logical id (CloudFormation) or address
	// (Terraform).
	Resource string `json:"resource,omitempty"`
}

// Finding is a threat the change adds.
type Finding struct {
	diff.Item
	// Fails is set when the threat is at or above the threshold and
	// unmitigated: it fails the gate.
	Fails bool `json:"fails"`
	// Description is the threat's description from the knowledge base.
	Description string    `json:"description,omitempty"`
	Location    *Location `json:"location,omitempty"`
}

// Result is the outcome of a check.
type Result struct {
	Pass      bool       `json:"pass"`
	Threshold string     `json:"threshold"`
	Failing   int        `json:"failing"`
	Findings  []Finding  `json:"findings"` // every unmitigated threat the change adds, most severe first
	Diff      *diff.Diff `json:"diff"`
}

// Check compares changed (imported from files) with baseline. threshold is
// a catalog severity (Critical, High, Medium, Low; any case); files are
// searched for the lines that declare resources. changed is aligned with
// baseline in place (see Align).
func Check(cat *catalog.Catalog, baseline, changed *model.ThreatModel, threshold string, files []File) (*Result, error) {
	if !diff.ValidSeverity(threshold) {
		return nil, errs.E(errs.Invalid, "unknown threshold %q; use %s", threshold, strings.Join(catalog.Severities, ", "))
	}
	Align(baseline, changed)
	a := analysis.Analyze(cat, baseline, nil)
	b := analysis.Analyze(cat, changed, nil)
	d := diff.Compare(diff.Side{Model: baseline, Analysis: a}, diff.Side{Model: changed, Analysis: b})
	res := &Result{Threshold: canonicalSeverity(threshold), Diff: d, Findings: []Finding{}}
	for _, t := range d.Threats.Added {
		if !diff.Unmitigated(t.Status) {
			continue
		}
		f := Finding{Item: t, Fails: diff.AtLeast(t.Severity, threshold)}
		if ct := cat.Threat(t.Rule); ct != nil {
			f.Description = strings.TrimSpace(ct.Description)
		}
		f.Location = locate(changed, t.ElementID, files)
		if f.Fails {
			res.Failing++
		}
		res.Findings = append(res.Findings, f)
	}
	res.Pass = res.Failing == 0
	return res, nil
}

func canonicalSeverity(s string) string {
	for _, x := range catalog.Severities {
		if strings.EqualFold(x, s) {
			return x
		}
	}
	return s
}

// resourceKey names what an element stands for in AWS, "" for nothing.
func resourceKey(r *model.AWSResource) string {
	switch {
	case r == nil:
		return ""
	case r.ARN != "":
		return "arn|" + r.ARN
	case r.ResourceID != "":
		return r.ResourceType + "|" + r.ResourceID
	}
	return ""
}

// Align gives the elements of changed that stand for the same resource as
// an element of baseline (same ARN, or same resource type and id) the
// baseline element's id, renames flows that join the same ends over the
// same protocol and port to the baseline's flow id, and copies the
// baseline's decisions (States), custom items, id and name, so that a diff
// shows what the change did rather than how the import named things.
func Align(baseline, changed *model.ThreatModel) {
	byKey := map[string]string{}
	for i := range baseline.Diagram.Components {
		c := &baseline.Diagram.Components[i]
		if k := resourceKey(c.Resource); k != "" {
			byKey[k] = c.ID
		}
	}
	for i := range baseline.Diagram.Groups {
		g := &baseline.Diagram.Groups[i]
		if k := resourceKey(g.Resource); k != "" {
			byKey[k] = g.ID
		}
	}
	used := map[string]bool{}
	for i := range changed.Diagram.Components {
		used[changed.Diagram.Components[i].ID] = true
	}
	for i := range changed.Diagram.Groups {
		used[changed.Diagram.Groups[i].ID] = true
	}
	rename := map[string]string{}
	try := func(id string, r *model.AWSResource) {
		to, ok := byKey[resourceKey(r)]
		if !ok || to == id || used[to] {
			return
		}
		rename[id] = to
		used[to] = true
	}
	for i := range changed.Diagram.Components {
		try(changed.Diagram.Components[i].ID, changed.Diagram.Components[i].Resource)
	}
	for i := range changed.Diagram.Groups {
		try(changed.Diagram.Groups[i].ID, changed.Diagram.Groups[i].Resource)
	}
	ren := func(s *string) {
		if to, ok := rename[*s]; ok {
			*s = to
		}
	}
	for i := range changed.Diagram.Components {
		c := &changed.Diagram.Components[i]
		ren(&c.ID)
		ren(&c.Parent)
	}
	for i := range changed.Diagram.Groups {
		g := &changed.Diagram.Groups[i]
		ren(&g.ID)
		ren(&g.Parent)
	}
	flowKey := func(f *model.Flow) string { return fmt.Sprintf("%s|%s|%s|%d", f.Source, f.Target, f.Protocol, f.Port) }
	baseFlows := map[string]string{}
	for i := range baseline.Diagram.Flows {
		baseFlows[flowKey(&baseline.Diagram.Flows[i])] = baseline.Diagram.Flows[i].ID
	}
	flowIDs := map[string]bool{}
	for i := range changed.Diagram.Flows {
		flowIDs[changed.Diagram.Flows[i].ID] = true
	}
	for i := range changed.Diagram.Flows {
		f := &changed.Diagram.Flows[i]
		ren(&f.Source)
		ren(&f.Target)
		if id, ok := baseFlows[flowKey(f)]; ok && id != f.ID && !flowIDs[id] {
			flowIDs[id] = true
			f.ID = id
		}
	}
	changed.ID, changed.Name = baseline.ID, baseline.Name
	changed.States = baseline.States
	changed.Custom = slices.Clone(baseline.Custom)
}

// locate finds where the resource of element id (or, for a flow, of its
// target, else its source) is declared in files.
func locate(m *model.ThreatModel, id string, files []File) *Location {
	res := map[string]*model.AWSResource{}
	for i := range m.Diagram.Components {
		res[m.Diagram.Components[i].ID] = m.Diagram.Components[i].Resource
	}
	for i := range m.Diagram.Groups {
		res[m.Diagram.Groups[i].ID] = m.Diagram.Groups[i].Resource
	}
	r := res[id]
	if r == nil {
		for i := range m.Diagram.Flows {
			if f := &m.Diagram.Flows[i]; f.ID == id {
				if r = res[f.Target]; r == nil {
					r = res[f.Source]
				}
			}
		}
	}
	if r == nil || r.ResourceID == "" || len(files) == 0 {
		if len(files) == 0 {
			return nil
		}
		return &Location{File: files[0].Name}
	}
	for _, f := range files {
		if line := Line(f.Data, r.ResourceID); line > 0 {
			return &Location{File: f.Name, Line: line, Resource: r.ResourceID}
		}
	}
	return &Location{File: files[0].Name, Resource: r.ResourceID}
}

// Line returns the 1-based line of data that declares resource: a YAML or
// JSON key of that name (a CloudFormation logical id), or a Terraform plan's
// "address" of that value; 0 when there is none. A nested stack's resource
// ("Stack/Logical") is looked up by its last part.
func Line(data []byte, resource string) int {
	name := resource
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	q := regexp.QuoteMeta(name)
	patterns := []*regexp.Regexp{
		regexp.MustCompile(`(?m)^[ \t]*"?` + q + `"?[ \t]*:[ \t]*(?:#.*)?$`), // YAML key on its own line
		regexp.MustCompile(`(?m)"` + q + `"[ \t]*:[ \t]*\{`),                 // JSON object key
		regexp.MustCompile(`(?m)"address"[ \t]*:[ \t]*"` + regexp.QuoteMeta(resource) + `"`),
	}
	for _, p := range patterns {
		if loc := p.FindIndex(data); loc != nil {
			return 1 + strings.Count(string(data[:loc[0]]), "\n")
		}
	}
	return 0
}

// WriteText writes the result for a person reading CI logs.
func (r *Result) WriteText(w io.Writer) error {
	var b strings.Builder
	s := r.Diff.Summary
	fmt.Fprintf(&b, "Threat model gate: %s\n", map[bool]string{true: "PASS", false: "FAIL"}[r.Pass])
	fmt.Fprintf(&b, "Change: %s\n", r.Diff.Text())
	fmt.Fprintf(&b, "Threats: +%d −%d (%d changed); requirements: +%d −%d\n", s.ThreatsAdded, s.ThreatsRemoved, s.ThreatsChanged, s.RequirementsAdded, s.RequirementsRemoved)
	if len(r.Findings) == 0 {
		b.WriteString("No new unmitigated threats.\n")
	}
	for _, f := range r.Findings {
		mark := " "
		if f.Fails {
			mark = "✗"
		}
		where := ""
		if f.Location != nil && f.Location.Line > 0 {
			where = fmt.Sprintf(" (%s:%d)", f.Location.File, f.Location.Line)
		}
		fmt.Fprintf(&b, "%s [%s] %s — %s%s\n", mark, f.Severity, f.Title, elementLabel(f.Item), where)
	}
	if !r.Pass {
		fmt.Fprintf(&b, "%d new %s of severity %s or more without a mitigation.\n", r.Failing, plural(r.Failing, "threat", "threats"), r.Threshold)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func elementLabel(it diff.Item) string {
	if it.ElementName != "" && it.ElementName != it.ElementID {
		return fmt.Sprintf("%s (%s)", it.ElementName, it.ElementID)
	}
	return it.ElementID
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
