package interoptest

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/iac"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// MustImport imports files with f through the checks every import gets
// (convert.Import), and fails the test on an error.
func MustImport(t testing.TB, f convert.Format, files []convert.File) *convert.Imported {
	t.Helper()
	res, err := convert.Import(f, files, Catalog(t))
	if err != nil {
		t.Fatalf("import %s: %v", files[0].Name, err)
	}
	return res
}

// Element returns the component or container with id.
func Element(m *model.ThreatModel, id string) (typ, parent string, props model.Properties, ok bool) {
	for _, c := range m.Diagram.Components {
		if c.ID == id {
			return c.Type, c.Parent, c.Properties, true
		}
	}
	for _, g := range m.Diagram.Groups {
		if g.ID == id {
			return g.Type, g.Parent, g.Properties, true
		}
	}
	return "", "", nil, false
}

// Ancestors lists the groups enclosing id, innermost first.
func Ancestors(m *model.ThreatModel, id string) []string {
	var out []string
	for _, p, _, ok := Element(m, id); ok && p != "" && len(out) < 20; _, p, _, ok = Element(m, p) {
		out = append(out, p)
	}
	return out
}

// FlowsBetween returns the flows from source to target.
func FlowsBetween(m *model.ThreatModel, source, target string) []model.Flow {
	var out []model.Flow
	for _, f := range m.Diagram.Flows {
		if f.Source == source && f.Target == target {
			out = append(out, f)
		}
	}
	return out
}

// Reason returns the reference that made a flow imported from
// infrastructure as code.
func Reason(f model.Flow) string {
	var s string
	_ = json.Unmarshal(f.Properties[iac.FlowReasonProperty], &s)
	return s
}

// Prop decodes a property of element id.
func Prop(t testing.TB, m *model.ThreatModel, id, name string) any {
	t.Helper()
	_, _, props, ok := Element(m, id)
	if !ok {
		t.Fatalf("no element %q", id)
	}
	raw, ok := props[name]
	if !ok {
		return nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// HasWarning reports whether one warning holds every part.
func HasWarning(ws []string, parts ...string) bool {
	return slices.ContainsFunc(ws, func(w string) bool {
		for _, p := range parts {
			if !strings.Contains(w, p) {
				return false
			}
		}
		return true
	})
}

// ThreatRules lists the catalog threat rules analysis finds on element id.
func ThreatRules(t testing.TB, m *model.ThreatModel, id string) []string {
	t.Helper()
	res := analysis.Analyze(Catalog(t), m, nil)
	var out []string
	for _, th := range res.Threats {
		if th.Element == id {
			out = append(out, th.Rule)
		}
	}
	return out
}
