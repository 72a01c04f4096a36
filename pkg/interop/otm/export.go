package otm

import (
	"encoding/json"
	"slices"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// riskReduction is the OTM risk reduction (0–100) of a requirement severity.
var riskReduction = map[string]float64{"Critical": 90, "High": 75, "Medium": 50, "Low": 25}

// exportModel writes m as an OTM document: boundaries as trust zones,
// other groups and components as components, flows as dataflows, each with
// its threat instances, then the threat and mitigation definitions.
func exportModel(m *model.ThreatModel, cat *catalog.Catalog) (*convert.Exported, error) {
	x := &writer{m: m, cat: cat, abs: convert.Absolute(&m.Diagram), groups: map[string]*model.Group{}}
	x.d = convert.Prepare(m, cat, &x.w, "OTM")
	for i := range m.Diagram.Groups {
		x.groups[m.Diagram.Groups[i].ID] = &m.Diagram.Groups[i]
	}
	x.doc = otmDoc{
		OTMVersion: Version,
		Project: otmProject{Name: m.Name, ID: convert.OrDefault(m.ID, "bulwark-model"), Description: m.Description, Owner: m.Owner, Tags: m.Labels,
			Attributes: map[string]any{attrModel: modelMeta(m)}},
		Representations: []otmRepresentation{{Name: "Bulwark diagram", ID: otmDiagram, Type: "diagram"}},
	}
	x.groupElements()
	x.components()
	if x.needDefault {
		x.doc.TrustZones = append(x.doc.TrustZones, otmTrustZone{ID: otmDefaultZone, Name: "Default", Risk: otmTrustRisk{TrustRating: 50}, Attributes: map[string]any{attrSynthetic: true}})
	}
	x.dataflows()
	x.definitions()
	x.customEntries()
	if x.notes > 0 {
		x.w.Add("%d threat notes are not exported: OTM threat instances have no notes", x.notes)
	}
	return &convert.Exported{Data: convert.JSONOut(x.doc), MediaType: "application/json", Extension: ".otm.json", Warnings: x.w.List()}, nil
}

// writer is one export under way.
type writer struct {
	m           *model.ThreatModel
	cat         *catalog.Catalog
	d           *convert.ExportData
	abs         map[string]model.Point  // canvas position of every element
	groups      map[string]*model.Group // by id
	doc         otmDoc
	w           convert.Warnings
	needDefault bool // an element is outside every group: OTM needs a trust zone for it
	notes       int  // threat notes OTM cannot hold
}

// parentOf is the OTM parent of an element whose parent is id.
func (x *writer) parentOf(id string) otmParent {
	if g := x.groups[id]; g != nil {
		if g.Kind == model.KindBoundary {
			return otmParent{TrustZone: id}
		}
		return otmParent{Component: id}
	}
	x.needDefault = true
	return otmParent{TrustZone: otmDefaultZone}
}

// rep places element id on the diagram representation.
func (x *writer) rep(id string, size *model.Size) []otmElementRep {
	p := x.abs[id]
	return []otmElementRep{{Representation: otmDiagram, ID: id + "-rep", Position: &p, Size: size}}
}

// instances returns the threat instances of an element (its catalog
// threat items with their requirements, then the custom threats attached
// to it with their linked mitigations).
func (x *writer) instances(element string) []otmThreatInstance {
	var out []otmThreatInstance
	for _, t := range x.d.ThreatsOf[element] {
		if t.Notes != "" {
			x.notes++
		}
		ti := otmThreatInstance{Threat: t.Rule, State: t.Status}
		for _, rid := range t.Requirements {
			r := x.d.Reqs[rid]
			ti.Mitigations = append(ti.Mitigations, otmMitigationInstance{Mitigation: r.Rule, State: r.Status})
		}
		out = append(out, ti)
	}
	for _, c := range x.d.Custom {
		if c.Kind != convert.CustomThreat || !slices.Contains(c.Elements, element) {
			continue
		}
		ti := otmThreatInstance{Threat: c.ID, State: c.Status}
		for _, l := range c.Links {
			for _, mc := range x.d.Custom {
				if mc.Kind == convert.CustomMitigation && mc.ID == l {
					ti.Mitigations = append(ti.Mitigations, otmMitigationInstance{Mitigation: mc.ID, State: mc.Status})
				}
			}
		}
		out = append(out, ti)
	}
	return out
}

// groupElements writes boundaries as trust zones (nested in the nearest
// enclosing trust zone) and the other groups as components.
func (x *writer) groupElements() {
	for _, g := range x.m.Diagram.Groups {
		size := g.Size
		if g.Kind == model.KindBoundary {
			tz := otmTrustZone{ID: g.ID, Name: g.Name, Risk: otmTrustRisk{TrustRating: trustRating(g.Properties)}, Representations: x.rep(g.ID, &size), Attributes: elementAttrs(string(g.Kind), "", g.Properties, g.Resource)}
			if g.Parent != "" {
				p := x.parentOf(g.Parent)
				if p.Component != "" {
					x.w.Add("trust boundary %q is inside group %q; OTM trust zones can only nest in trust zones, so it is placed in the nearest enclosing trust zone", g.ID, g.Parent)
					p = otmParent{TrustZone: nearestBoundary(x.groups, g.Parent)}
					if p.TrustZone == "" {
						p = otmParent{}
					}
				}
				if p.TrustZone != "" {
					tz.Parent = &p
				}
			}
			x.doc.TrustZones = append(x.doc.TrustZones, tz)
			continue
		}
		typ := g.Type
		if g.Kind == model.KindGroup {
			typ = "group"
		}
		x.doc.Components = append(x.doc.Components, otmComponent{ID: g.ID, Name: g.Name, Type: typ, Parent: x.parentOf(g.Parent), Representations: x.rep(g.ID, &size),
			Threats: x.instances(g.ID), Attributes: elementAttrs(string(g.Kind), g.Type, g.Properties, g.Resource)})
	}
}

// components writes the components.
func (x *writer) components() {
	for _, c := range x.m.Diagram.Components {
		x.doc.Components = append(x.doc.Components, otmComponent{ID: c.ID, Name: c.Name, Type: c.Type, Parent: x.parentOf(c.Parent), Representations: x.rep(c.ID, c.Size),
			Threats: x.instances(c.ID), Attributes: elementAttrs("", c.Type, c.Properties, c.Resource)})
	}
}

// dataflows writes the flows, keeping protocol, port, label and
// properties in attributes.
func (x *writer) dataflows() {
	for _, f := range x.m.Diagram.Flows {
		attrs := map[string]any{"protocol": f.Protocol, attrProtocol: f.Protocol}
		if f.Port != 0 {
			attrs["port"], attrs[attrPort] = f.Port, f.Port
		}
		if f.Label != "" {
			attrs[attrLabel] = f.Label
		}
		if len(f.Properties) > 0 {
			attrs[attrProperties] = f.Properties
		}
		x.doc.Dataflows = append(x.doc.Dataflows, otmDataflow{ID: f.ID, Name: convert.OrDefault(f.Label, f.Protocol), Source: f.Source, Destination: f.Target, Threats: x.instances(f.ID), Attributes: attrs})
	}
}

// definitions writes the catalog threats and requirements the instances
// name.
func (x *writer) definitions() {
	for _, rule := range x.d.Rules {
		t := x.cat.Threat(rule)
		x.doc.Threats = append(x.doc.Threats, otmThreat{ID: t.ID, Name: t.Title, Description: t.Description, Categories: []string{t.STRIDE}, CWEs: t.CWE,
			Risk: otmRisk{Likelihood: float64(t.Likelihood * 20), Impact: float64(t.Impact * 20)}})
	}
	for _, rule := range x.d.ReqRules {
		r := x.cat.Requirement(rule)
		x.doc.Mitigations = append(x.doc.Mitigations, otmMitigation{ID: r.ID, Name: r.Title, Description: r.Description, RiskReduction: riskReduction[r.Severity],
			Attributes: map[string]any{"epic": r.Epic, "severity": r.Severity}})
	}
}

// customEntries writes the custom threats and mitigations as definitions,
// with their statuses and links in attributes.
func (x *writer) customEntries() {
	for _, c := range x.d.Custom {
		attrs := map[string]any{attrCustom: true, attrStatus: c.Status}
		if c.Notes != "" {
			x.notes++
		}
		if c.Kind == convert.CustomMitigation {
			x.doc.Mitigations = append(x.doc.Mitigations, otmMitigation{ID: c.ID, Name: c.Title, Description: c.Description, RiskReduction: riskReduction[c.Severity], Attributes: attrs})
			continue
		}
		if len(c.Links) > 0 {
			attrs["bulwark:links"] = c.Links
		}
		x.doc.Threats = append(x.doc.Threats, otmThreat{ID: c.ID, Name: c.Title, Description: c.Description, Categories: orList(c.STRIDE, "Custom"), Risk: severityRisk(c.Severity), Attributes: attrs})
	}
}

// modelMeta is the model metadata OTM has no field for.
func modelMeta(m *model.ThreatModel) map[string]any {
	meta := map[string]any{"projectType": m.ProjectType, "priority": m.Priority, "facing": m.Facing}
	if m.Version != "" {
		meta["version"] = m.Version
	}
	props := map[string]string{}
	for k, v := range m.Properties {
		props[k] = v
	}
	if len(props) > 0 {
		meta["properties"] = props
	}
	return meta
}

// elementAttrs are the attributes that keep what OTM has no field for:
// the kind, catalog type, properties and AWS resource of an element.
func elementAttrs(kind, typ string, props model.Properties, res *model.AWSResource) map[string]any {
	a := map[string]any{}
	if kind != "" {
		a[attrKind] = kind
	}
	if typ != "" {
		a[attrType] = typ
	}
	if len(props) > 0 {
		a[attrProperties] = props
	}
	if res != nil {
		a[attrResource] = res
	}
	if len(a) == 0 {
		return nil
	}
	return a
}

// trustRating is the trust rating a boundary's properties hold, else 50.
func trustRating(props model.Properties) float64 {
	var v float64
	if raw, ok := props["trustRating"]; ok && json.Unmarshal(raw, &v) == nil {
		return v
	}
	return 50
}

// nearestBoundary returns the boundary that is group id or encloses it,
// or "".
func nearestBoundary(groups map[string]*model.Group, id string) string {
	for depth := 0; id != "" && depth <= model.MaxNesting; depth++ {
		g := groups[id]
		if g == nil {
			return ""
		}
		if g.Kind == model.KindBoundary {
			return g.ID
		}
		id = g.Parent
	}
	return ""
}

// severityRisk is the OTM risk of a custom threat's severity.
func severityRisk(sev string) otmRisk {
	v := map[string]float64{"Critical": 100, "High": 80, "Medium": 50, "Low": 20}[sev]
	return otmRisk{Likelihood: v, Impact: v}
}

// orList returns l, or a list of def when l is empty.
func orList(l []string, def string) []string {
	if len(l) == 0 {
		return []string{def}
	}
	return l
}
