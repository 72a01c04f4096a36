package convert

import (
	"encoding/json"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// ExportData is what every exporter needs from the analysis of a model.
type ExportData struct {
	Analysis  *analysis.Result
	ThreatsOf map[string][]*analysis.Threat // element id → its threat items
	Reqs      map[string]*analysis.Requirement
	Custom    []Custom
	Rules     []string // catalog threat rules used, in first-use order
	ReqRules  []string // catalog requirement rules used, in first-use order
}

// Prepare analyzes m and notes in w what no export format can hold.
func Prepare(m *model.ThreatModel, cat *catalog.Catalog, w *Warnings, format string) *ExportData {
	res := analysis.Analyze(cat, m, nil)
	d := &ExportData{Analysis: res, ThreatsOf: map[string][]*analysis.Threat{}, Reqs: map[string]*analysis.Requirement{}, Custom: m.Custom}
	seen := map[string]bool{}
	nested := 0
	for i := range res.Threats {
		t := &res.Threats[i]
		if t.Imported != nil {
			nested++
			continue
		}
		if strings.HasPrefix(t.Rule, "custom:") {
			continue // exported from d.Custom
		}
		d.ThreatsOf[t.Element] = append(d.ThreatsOf[t.Element], t)
		if !seen[t.Rule] {
			seen[t.Rule] = true
			d.Rules = append(d.Rules, t.Rule)
		}
	}
	for i := range res.Requirements {
		r := &res.Requirements[i]
		if strings.HasPrefix(r.Rule, "custom:") {
			continue // exported from d.Custom
		}
		d.Reqs[r.ID] = r
		if !seen[r.Rule] {
			seen[r.Rule] = true
			d.ReqRules = append(d.ReqRules, r.Rule)
		}
	}
	if nested > 0 {
		w.Add("%d threats imported from nested models are not exported (%s has no nested models; export those models separately)", nested, format)
	}
	for _, c := range m.Diagram.Components {
		if c.NestedModel != nil {
			w.Add("component %q nests model %q; %s has no nested models, so the link is lost", c.ID, c.NestedModel.ModelID, format)
		}
	}
	return d
}

// JSONOut marshals an export document with indentation and a final newline.
func JSONOut(v any) []byte {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		panic("interop: marshal export: " + err.Error()) // export types always marshal
	}
	return append(b, '\n')
}
