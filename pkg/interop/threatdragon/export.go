package threatdragon

import (
	"fmt"
	"slices"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// tdStatus maps a Bulwark status to Threat Dragon's three, and reports
// whether the mapping loses information.
func tdStatus(s string) (string, bool) {
	switch s {
	case analysis.Mitigated, analysis.Implemented:
		return "Mitigated", false
	case analysis.NotApplicable:
		return "NotApplicable", false
	case analysis.Open, "":
		return "Open", false
	case analysis.RiskAccepted:
		return "NotApplicable", true
	default: // In Progress
		return "Open", true
	}
}

func tdSeverity(s string) string {
	if s == "Critical" {
		return "High"
	}
	return s
}

// exportModel writes m as a Threat Dragon document of one diagram: groups
// as boundary boxes, components as actors, processes and stores, flows,
// each cell with its threats.
func exportModel(m *model.ThreatModel, cat *catalog.Catalog) (*convert.Exported, error) {
	x := &writer{m: m, cat: cat, abs: convert.Absolute(&m.Diagram)}
	x.d = convert.Prepare(m, cat, &x.w, "Threat Dragon")
	x.groups()
	x.components()
	x.flows()
	if x.lossy > 0 {
		x.w.Add("%d threat statuses (In Progress, Risk Accepted) have no Threat Dragon equivalent: the nearest status is written and the exact one is kept in the mitigation text", x.lossy)
	}
	if len(x.d.Reqs) > 0 {
		x.w.Add("Threat Dragon has no requirements: the %d requirement statuses are written into each threat's mitigation text", len(x.d.Reqs))
	}
	for _, c := range x.d.Custom {
		if len(c.Elements) == 0 {
			x.w.Add("custom %s %q is attached to no element; Threat Dragon keeps threats only on diagram elements, so it is not exported", c.Kind, c.ID)
		}
	}
	doc := tdDoc{
		Version: Version,
		Summary: tdSummary{Title: m.Name, Owner: m.Owner, Description: m.Description},
		Detail: tdDetail{Contributors: []tdContributor{}, DiagramTop: 1, ThreatTop: x.number,
			Diagrams: []tdDiagram{{ID: 0, Title: m.Name, DiagramType: "STRIDE", Placeholder: "", Thumbnail: "./public/content/images/thumbnail.stride.jpg", Version: Version, Cells: x.cells}}},
	}
	if lost := len(m.Labels) + len(m.Properties); lost > 0 || m.Version != "" {
		x.w.Add("Threat Dragon has no model labels, version, priority, exposure or properties; they are not exported")
	}
	return &convert.Exported{Data: convert.JSONOut(doc), MediaType: "application/json", Extension: ".threatdragon.json", Warnings: x.w.List()}, nil
}

// writer is one export under way.
type writer struct {
	m      *model.ThreatModel
	cat    *catalog.Catalog
	d      *convert.ExportData
	abs    map[string]model.Point // canvas position of every element
	cells  []tdCell
	w      convert.Warnings
	number int // threats written
	lossy  int // statuses written as the nearest Threat Dragon status
}

// threatsOf returns the threats of an element (its catalog threat items,
// then the custom threats attached to it) and whether one of them is open.
func (x *writer) threatsOf(element string) ([]tdThreat, bool) {
	var out []tdThreat
	open := false
	for _, t := range x.d.ThreatsOf[element] {
		x.number++
		st, lost := tdStatus(t.Status)
		var text strings.Builder
		for _, rid := range t.Requirements {
			r := x.d.Reqs[rid]
			fmt.Fprintf(&text, "- [%s] %s (%s)\n", r.Status, r.Title, r.Rule)
		}
		if lost {
			x.lossy++
			fmt.Fprintf(&text, "Bulwark status: %s\n", t.Status)
		}
		if t.Notes != "" {
			text.WriteString(tdNotesMark + t.Notes)
		}
		out = append(out, tdThreat{ID: t.ID, Title: t.Title, Status: st, Severity: tdSeverity(t.Severity), Type: tdStride[t.STRIDE],
			Description: x.cat.Threat(t.Rule).Description, Mitigation: strings.TrimRight(text.String(), "\n"), ModelType: "STRIDE", Number: x.number})
		open = open || st == "Open"
	}
	for _, c := range x.d.Custom {
		if c.Kind != convert.CustomThreat || !slices.Contains(c.Elements, element) {
			continue
		}
		x.number++
		st, lost := tdStatus(c.Status)
		if lost {
			x.lossy++
		}
		var text []string
		for _, mc := range x.d.Custom {
			if mc.Kind == convert.CustomMitigation && slices.Contains(c.Links, mc.ID) {
				text = append(text, convert.OrDefault(mc.Description, mc.Title))
			}
		}
		stride := ""
		if len(c.STRIDE) > 0 {
			stride = tdStride[c.STRIDE[0]]
		}
		out = append(out, tdThreat{ID: c.ID, Title: c.Title, Status: st, Severity: tdSeverity(convert.OrDefault(c.Severity, "Medium")), Type: stride,
			Description: c.Description, Mitigation: strings.Join(text, "\n"), ModelType: "STRIDE", Number: x.number})
		open = open || st == "Open"
	}
	return out, open
}

// groups writes every group as a boundary box.
func (x *writer) groups() {
	for _, g := range x.m.Diagram.Groups {
		p, size := x.abs[g.ID], g.Size
		th, open := x.threatsOf(g.ID)
		x.cells = append(x.cells, tdCell{ID: g.ID, Shape: "trust-boundary-box", ZIndex: len(x.cells) + 1, Position: &p, Size: &size,
			Data: tdData{Type: "tm.BoundaryBox", Name: g.Name, IsTrustBoundary: g.Kind == model.KindBoundary, HasOpenThreats: open, Threats: th,
				Bulwark: &tdBulwark{Kind: string(g.Kind), Type: g.Type, Parent: g.Parent, Properties: g.Properties, Resource: g.Resource}}})
	}
}

// components writes every component as an actor (external types), a
// store (data stores) or a process.
func (x *writer) components() {
	for _, c := range x.m.Diagram.Components {
		p := x.abs[c.ID]
		size := model.Size{Width: 100, Height: 100}
		if c.Size != nil {
			size = *c.Size
		}
		shape := "process"
		if t := x.cat.Type(c.Type); t != nil && t.External {
			shape = "actor"
		} else if t != nil && t.DataStore {
			shape = "store"
		}
		th, open := x.threatsOf(c.ID)
		bw := &tdBulwark{Type: c.Type, Parent: c.Parent, Properties: c.Properties, Resource: c.Resource}
		if c.Size == nil {
			bw.Kind = "component-unsized"
		}
		x.cells = append(x.cells, tdCell{ID: c.ID, Shape: shape, ZIndex: len(x.cells) + 1, Position: &p, Size: &size,
			Data: tdData{Type: tdTypes[shape], Name: c.Name, HasOpenThreats: open, Threats: th, Bulwark: bw}})
	}
}

// flows writes every flow.
func (x *writer) flows() {
	for _, f := range x.m.Diagram.Flows {
		th, open := x.threatsOf(f.ID)
		proto := x.cat.Protocol(f.Protocol)
		name := convert.OrDefault(f.Label, f.Protocol)
		x.cells = append(x.cells, tdCell{ID: f.ID, Shape: "flow", ZIndex: len(x.cells) + 1, Source: &tdEnd{Cell: f.Source}, Target: &tdEnd{Cell: f.Target}, Labels: []string{name},
			Data: tdData{Type: "tm.Flow", Name: name, Protocol: f.Protocol, IsEncrypted: proto != nil && proto.Encrypted, HasOpenThreats: open, Threats: th,
				Bulwark: &tdBulwark{Protocol: f.Protocol, Port: f.Port, Label: f.Label, Properties: f.Properties}}})
	}
}
