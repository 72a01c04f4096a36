package interop

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// OTMVersion is the Open Threat Model version this package writes.
const OTMVersion = "0.2.0"

// Attribute keys under which an OTM export keeps what OTM has no field for,
// so that a Bulwark → OTM → Bulwark round trip is exact.
const (
	attrKind       = "bulwark:kind"       // "group" or "container" for groups exported as components
	attrType       = "bulwark:type"       // catalog type id
	attrProperties = "bulwark:properties" // element properties (object)
	attrResource   = "bulwark:resource"   // AWS resource (object)
	attrProtocol   = "bulwark:protocol"
	attrPort       = "bulwark:port"
	attrLabel      = "bulwark:label"
	attrSynthetic  = "bulwark:synthetic" // the trust zone OTM needs for elements outside every boundary
	attrCustom     = "bulwark:custom"    // threat or mitigation from a custom entry
	attrStatus     = "bulwark:status"    // status of a custom entry attached to no element
	attrModel      = "bulwark:model"     // model metadata (object)
	otmDiagram     = "bulwark-diagram"
	otmDefaultZone = "bulwark-default-zone"
)

type otmDoc struct {
	OTMVersion      string              `json:"otmVersion"`
	Project         otmProject          `json:"project"`
	Representations []otmRepresentation `json:"representations,omitempty"`
	TrustZones      []otmTrustZone      `json:"trustZones,omitempty"`
	Components      []otmComponent      `json:"components,omitempty"`
	Dataflows       []otmDataflow       `json:"dataflows,omitempty"`
	Assets          []json.RawMessage   `json:"assets,omitempty"`
	Threats         []otmThreat         `json:"threats,omitempty"`
	Mitigations     []otmMitigation     `json:"mitigations,omitempty"`
}

type otmProject struct {
	Name        string         `json:"name"`
	ID          string         `json:"id"`
	Description string         `json:"description,omitempty"`
	Owner       string         `json:"owner,omitempty"`
	Tags        []string       `json:"tags,omitempty"`
	Attributes  map[string]any `json:"attributes,omitempty"`
}

type otmRepresentation struct {
	Name string `json:"name"`
	ID   string `json:"id"`
	Type string `json:"type"`
}

type otmParent struct {
	TrustZone string `json:"trustZone,omitempty"`
	Component string `json:"component,omitempty"`
}

type otmElementRep struct {
	Representation string       `json:"representation"`
	ID             string       `json:"id"`
	Position       *model.Point `json:"position,omitempty"`
	Size           *model.Size  `json:"size,omitempty"`
}

type otmTrustZone struct {
	ID              string          `json:"id"`
	Name            string          `json:"name"`
	Description     string          `json:"description,omitempty"`
	Risk            otmTrustRisk    `json:"risk"`
	Parent          *otmParent      `json:"parent,omitempty"`
	Representations []otmElementRep `json:"representations,omitempty"`
	Attributes      map[string]any  `json:"attributes,omitempty"`
}

type otmTrustRisk struct {
	TrustRating float64 `json:"trustRating"`
}

type otmComponent struct {
	ID              string              `json:"id"`
	Name            string              `json:"name"`
	Type            string              `json:"type"`
	Description     string              `json:"description,omitempty"`
	Parent          otmParent           `json:"parent"`
	Tags            []string            `json:"tags,omitempty"`
	Representations []otmElementRep     `json:"representations,omitempty"`
	Threats         []otmThreatInstance `json:"threats,omitempty"`
	Attributes      map[string]any      `json:"attributes,omitempty"`
}

type otmThreatInstance struct {
	Threat      string                  `json:"threat"`
	State       string                  `json:"state"`
	Mitigations []otmMitigationInstance `json:"mitigations,omitempty"`
}

type otmMitigationInstance struct {
	Mitigation string `json:"mitigation"`
	State      string `json:"state"`
}

type otmDataflow struct {
	ID            string              `json:"id"`
	Name          string              `json:"name"`
	Description   string              `json:"description,omitempty"`
	Bidirectional bool                `json:"bidirectional,omitempty"`
	Source        string              `json:"source"`
	Destination   string              `json:"destination"`
	Tags          []string            `json:"tags,omitempty"`
	Threats       []otmThreatInstance `json:"threats,omitempty"`
	Attributes    map[string]any      `json:"attributes,omitempty"`
}

type otmThreat struct {
	ID          string         `json:"id"`
	Name        string         `json:"name"`
	Description string         `json:"description,omitempty"`
	Categories  []string       `json:"categories"`
	CWEs        []string       `json:"cwes,omitempty"`
	Risk        otmRisk        `json:"risk"`
	Attributes  map[string]any `json:"attributes,omitempty"`
}

type otmRisk struct {
	Likelihood float64 `json:"likelihood"`
	Impact     float64 `json:"impact"`
}

type otmMitigation struct {
	ID            string         `json:"id"`
	Name          string         `json:"name"`
	Description   string         `json:"description,omitempty"`
	RiskReduction float64        `json:"riskReduction"`
	Attributes    map[string]any `json:"attributes,omitempty"`
}

// riskReduction is the OTM risk reduction (0–100) of a requirement severity.
var riskReduction = map[string]float64{"Critical": 90, "High": 75, "Medium": 50, "Low": 25}

func exportOTM(m *model.ThreatModel, cat *catalog.Catalog) (*Exported, error) {
	var w convert.Warnings
	d := convert.Prepare(m, cat, &w, "OTM")
	abs := convert.Absolute(&m.Diagram)
	groups := map[string]*model.Group{}
	for i := range m.Diagram.Groups {
		groups[m.Diagram.Groups[i].ID] = &m.Diagram.Groups[i]
	}
	needDefault := false
	parentOf := func(id string) otmParent {
		if g := groups[id]; g != nil {
			if g.Kind == model.KindBoundary {
				return otmParent{TrustZone: id}
			}
			return otmParent{Component: id}
		}
		needDefault = true
		return otmParent{TrustZone: otmDefaultZone}
	}
	rep := func(id string, size *model.Size) []otmElementRep {
		p := abs[id]
		return []otmElementRep{{Representation: otmDiagram, ID: id + "-rep", Position: &p, Size: size}}
	}
	doc := otmDoc{
		OTMVersion: OTMVersion,
		Project: otmProject{Name: m.Name, ID: convert.OrDefault(m.ID, "bulwark-model"), Description: m.Description, Owner: m.Owner, Tags: m.Labels,
			Attributes: map[string]any{attrModel: modelMeta(m)}},
		Representations: []otmRepresentation{{Name: "Bulwark diagram", ID: otmDiagram, Type: "diagram"}},
	}

	// Threat and mitigation instances per element, with the definitions.
	notes := 0
	instances := func(element string) []otmThreatInstance {
		var out []otmThreatInstance
		for _, t := range d.ThreatsOf[element] {
			if t.Notes != "" {
				notes++
			}
			ti := otmThreatInstance{Threat: t.Rule, State: t.Status}
			for _, rid := range t.Requirements {
				r := d.Reqs[rid]
				ti.Mitigations = append(ti.Mitigations, otmMitigationInstance{Mitigation: r.Rule, State: r.Status})
			}
			out = append(out, ti)
		}
		for _, c := range d.Custom {
			if c.Kind != convert.CustomThreat || !slices.Contains(c.Elements, element) {
				continue
			}
			ti := otmThreatInstance{Threat: c.ID, State: c.Status}
			for _, l := range c.Links {
				for _, mc := range d.Custom {
					if mc.Kind == convert.CustomMitigation && mc.ID == l {
						ti.Mitigations = append(ti.Mitigations, otmMitigationInstance{Mitigation: mc.ID, State: mc.Status})
					}
				}
			}
			out = append(out, ti)
		}
		return out
	}

	for _, g := range m.Diagram.Groups {
		size := g.Size
		if g.Kind == model.KindBoundary {
			tz := otmTrustZone{ID: g.ID, Name: g.Name, Risk: otmTrustRisk{TrustRating: trustRating(g.Properties)}, Representations: rep(g.ID, &size), Attributes: elementAttrs(string(g.Kind), "", g.Properties, g.Resource)}
			if g.Parent != "" {
				p := parentOf(g.Parent)
				if p.Component != "" {
					w.Add("trust boundary %q is inside group %q; OTM trust zones can only nest in trust zones, so it is placed in the nearest enclosing trust zone", g.ID, g.Parent)
					p = otmParent{TrustZone: nearestBoundary(groups, g.Parent)}
					if p.TrustZone == "" {
						p = otmParent{}
					}
				}
				if p.TrustZone != "" {
					tz.Parent = &p
				}
			}
			doc.TrustZones = append(doc.TrustZones, tz)
			continue
		}
		typ := g.Type
		if g.Kind == model.KindGroup {
			typ = "group"
		}
		doc.Components = append(doc.Components, otmComponent{ID: g.ID, Name: g.Name, Type: typ, Parent: parentOf(g.Parent), Representations: rep(g.ID, &size),
			Threats: instances(g.ID), Attributes: elementAttrs(string(g.Kind), g.Type, g.Properties, g.Resource)})
	}
	for _, c := range m.Diagram.Components {
		doc.Components = append(doc.Components, otmComponent{ID: c.ID, Name: c.Name, Type: c.Type, Parent: parentOf(c.Parent), Representations: rep(c.ID, c.Size),
			Threats: instances(c.ID), Attributes: elementAttrs("", c.Type, c.Properties, c.Resource)})
	}
	if needDefault {
		doc.TrustZones = append(doc.TrustZones, otmTrustZone{ID: otmDefaultZone, Name: "Default", Risk: otmTrustRisk{TrustRating: 50}, Attributes: map[string]any{attrSynthetic: true}})
	}
	for _, f := range m.Diagram.Flows {
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
		doc.Dataflows = append(doc.Dataflows, otmDataflow{ID: f.ID, Name: convert.OrDefault(f.Label, f.Protocol), Source: f.Source, Destination: f.Target, Threats: instances(f.ID), Attributes: attrs})
	}

	for _, rule := range d.Rules {
		t := cat.Threat(rule)
		doc.Threats = append(doc.Threats, otmThreat{ID: t.ID, Name: t.Title, Description: t.Description, Categories: []string{t.STRIDE}, CWEs: t.CWE,
			Risk: otmRisk{Likelihood: float64(t.Likelihood * 20), Impact: float64(t.Impact * 20)}})
	}
	for _, rule := range d.ReqRules {
		r := cat.Requirement(rule)
		doc.Mitigations = append(doc.Mitigations, otmMitigation{ID: r.ID, Name: r.Title, Description: r.Description, RiskReduction: riskReduction[r.Severity],
			Attributes: map[string]any{"epic": r.Epic, "severity": r.Severity}})
	}
	for _, c := range d.Custom {
		attrs := map[string]any{attrCustom: true, attrStatus: c.Status}
		if c.Notes != "" {
			notes++
		}
		if c.Kind == convert.CustomMitigation {
			doc.Mitigations = append(doc.Mitigations, otmMitigation{ID: c.ID, Name: c.Title, Description: c.Description, RiskReduction: riskReduction[c.Severity], Attributes: attrs})
			continue
		}
		if len(c.Links) > 0 {
			attrs["bulwark:links"] = c.Links
		}
		doc.Threats = append(doc.Threats, otmThreat{ID: c.ID, Name: c.Title, Description: c.Description, Categories: orList(c.STRIDE, "Custom"), Risk: severityRisk(c.Severity), Attributes: attrs})
	}
	if notes > 0 {
		w.Add("%d threat notes are not exported: OTM threat instances have no notes", notes)
	}
	return &Exported{Data: convert.JSONOut(doc), MediaType: "application/json", Extension: ".otm.json", Warnings: w.List()}, nil
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

func applyModelMeta(m *model.ThreatModel, raw any) {
	b, _ := json.Marshal(raw)
	var meta struct {
		ProjectType string            `json:"projectType"`
		Priority    model.Priority    `json:"priority"`
		Facing      model.Facing      `json:"facing"`
		Version     string            `json:"version"`
		Properties  map[string]string `json:"properties"`
	}
	if json.Unmarshal(b, &meta) != nil {
		return
	}
	m.ProjectType, m.Priority, m.Facing, m.Version = meta.ProjectType, meta.Priority, meta.Facing, meta.Version
	for k, v := range meta.Properties {
		if m.Properties == nil {
			m.Properties = map[string]string{}
		}
		m.Properties[k] = v
	}
}

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

func trustRating(props model.Properties) float64 {
	var v float64
	if raw, ok := props["trustRating"]; ok && json.Unmarshal(raw, &v) == nil {
		return v
	}
	return 50
}

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

func severityRisk(sev string) otmRisk {
	v := map[string]float64{"Critical": 100, "High": 80, "Medium": 50, "Low": 20}[sev]
	return otmRisk{Likelihood: v, Impact: v}
}

func importOTM(files []File, cat *catalog.Catalog) (*Imported, error) {
	if len(files) != 1 {
		return nil, errs.E(errs.Invalid, "OTM import reads one document, got %d files", len(files))
	}
	f := files[0]
	var doc otmDoc
	if err := convert.DecodeJSONOrYAML(f.Name, f.Data, &doc); err != nil {
		return nil, err
	}
	if doc.OTMVersion == "" {
		return nil, &errs.Error{Kind: errs.Invalid, Field: "/otmVersion", Message: fmt.Sprintf("%s is not an Open Threat Model document: otmVersion is missing", f.Name)}
	}
	var w convert.Warnings
	if !strings.HasPrefix(doc.OTMVersion, "0.") {
		w.Add("otmVersion %q is newer than %s; fields this importer does not know are ignored", doc.OTMVersion, OTMVersion)
	}
	m := &model.ThreatModel{Name: convert.OrDefault(doc.Project.Name, "Imported OTM model"), Description: doc.Project.Description, Owner: doc.Project.Owner, Labels: doc.Project.Tags}
	if raw, ok := doc.Project.Attributes[attrModel]; ok {
		applyModelMeta(m, raw)
	}
	for k, v := range doc.Project.Attributes {
		if k != attrModel {
			convert.SetModelProp(m, "otm."+k, v)
		}
	}
	var idgen convert.IDs
	idMap := map[string]string{}
	newID := func(old string) string {
		if id, ok := idMap[old]; ok {
			return id
		}
		id := idgen.Take(old)
		idMap[old] = id
		return id
	}
	synthetic := map[string]bool{}
	zones := map[string]bool{}
	for i, z := range doc.TrustZones {
		if z.ID == "" {
			return nil, &errs.Error{Kind: errs.Invalid, Field: fmt.Sprintf("/trustZones/%d/id", i), Message: "is required"}
		}
		zones[z.ID] = true
		if b, _ := z.Attributes[attrSynthetic].(bool); b {
			synthetic[z.ID] = true
		}
	}
	comps := map[string]*otmComponent{}
	hasChildren := map[string]bool{}
	for i := range doc.Components {
		c := &doc.Components[i]
		if c.ID == "" {
			return nil, &errs.Error{Kind: errs.Invalid, Field: fmt.Sprintf("/components/%d/id", i), Message: "is required"}
		}
		if _, dup := comps[c.ID]; dup || zones[c.ID] {
			return nil, &errs.Error{Kind: errs.Invalid, Field: fmt.Sprintf("/components/%d/id", i), Message: fmt.Sprintf("duplicate id %q", c.ID)}
		}
		comps[c.ID] = c
		if c.Parent.Component != "" {
			hasChildren[c.Parent.Component] = true
		}
	}
	parent := func(p otmParent, at string) string {
		switch {
		case p.Component != "":
			if comps[p.Component] == nil {
				w.Add("%s: parent component %q does not exist; placed at the top level", at, p.Component)
				return ""
			}
			return newID(p.Component)
		case p.TrustZone != "":
			if !zones[p.TrustZone] {
				w.Add("%s: parent trust zone %q does not exist; placed at the top level", at, p.TrustZone)
				return ""
			}
			if synthetic[p.TrustZone] {
				return ""
			}
			return newID(p.TrustZone)
		}
		return ""
	}
	position := func(reps []otmElementRep) (model.Point, *model.Size) {
		for _, r := range reps {
			if r.Position != nil {
				return *r.Position, r.Size
			}
		}
		return model.Point{}, nil
	}
	positioned := false
	for _, z := range doc.TrustZones {
		if synthetic[z.ID] {
			continue
		}
		g := model.Group{ID: newID(z.ID), Kind: model.KindBoundary, Name: z.Name}
		if z.Parent != nil {
			g.Parent = parent(*z.Parent, "trust zone "+z.ID)
		}
		pos, size := position(z.Representations)
		positioned = positioned || size != nil
		g.Position = pos
		if size != nil {
			g.Size = *size
		}
		g.Properties, g.Resource = attrsToProps(z.Attributes, &w, "trust zone "+z.ID)
		if _, bulwark := z.Attributes[attrKind]; !bulwark {
			if g.Properties == nil {
				g.Properties = model.Properties{}
			}
			g.Properties["trustRating"] = convert.RawJSON(z.Risk.TrustRating)
		}
		m.Diagram.Groups = append(m.Diagram.Groups, g)
	}
	for _, c := range doc.Components {
		at := "component " + c.ID
		kind, _ := c.Attributes[attrKind].(string)
		typ, _ := c.Attributes[attrType].(string)
		if typ == "" && kind != string(model.KindGroup) {
			typ = otmType(cat, c.Type, at, &w)
		}
		props, res := attrsToProps(c.Attributes, &w, at)
		if typ == convert.GenericType {
			if props == nil {
				props = model.Properties{}
			}
			props[convert.SourceTypeProperty] = convert.RawJSON(c.Type)
		}
		pos, size := position(c.Representations)
		positioned = positioned || pos != (model.Point{})
		if kind == "" && hasChildren[c.ID] {
			kind = string(model.KindContainer)
		}
		if kind == string(model.KindGroup) || kind == string(model.KindContainer) {
			g := model.Group{ID: newID(c.ID), Kind: model.GroupKind(kind), Name: c.Name, Parent: parent(c.Parent, at), Position: pos, Properties: props, Resource: res}
			if kind == string(model.KindContainer) {
				g.Type = typ
			}
			if size != nil {
				g.Size = *size
			}
			m.Diagram.Groups = append(m.Diagram.Groups, g)
			continue
		}
		m.Diagram.Components = append(m.Diagram.Components, model.Component{ID: newID(c.ID), Type: typ, Name: c.Name, Parent: parent(c.Parent, at), Position: pos, Size: size, Properties: props, Resource: res})
	}
	endpoint := map[string]bool{}
	for _, c := range m.Diagram.Components {
		endpoint[c.ID] = true
	}
	for _, g := range m.Diagram.Groups {
		if g.Kind == model.KindContainer {
			endpoint[g.ID] = true
		}
	}
	for _, df := range doc.Dataflows {
		at := "dataflow " + df.ID
		src, dst := idMap[df.Source], idMap[df.Destination]
		if !endpoint[src] || !endpoint[dst] {
			w.Add("%s: connects %q and %q, which are not both components; it is not imported", at, df.Source, df.Destination)
			continue
		}
		fl := model.Flow{ID: newID(df.ID), Source: src, Target: dst}
		fl.Protocol, _ = df.Attributes[attrProtocol].(string)
		if fl.Protocol == "" {
			fl.Protocol, _ = df.Attributes["protocol"].(string)
			if p := cat.Protocol(fl.Protocol); p != nil {
				fl.Protocol = p.ID
			}
		}
		if fl.Protocol == "" {
			fl.Protocol = "TCP"
			w.Add("%s: no protocol; TCP assumed", at)
		}
		if p, ok := df.Attributes[attrPort].(float64); ok {
			fl.Port = int(p)
		} else if p, ok := df.Attributes["port"].(float64); ok {
			fl.Port = int(p)
		}
		fl.Label, _ = df.Attributes[attrLabel].(string)
		if _, ok := df.Attributes[attrProtocol]; !ok && df.Name != "" {
			fl.Label = df.Name
		}
		if raw, ok := df.Attributes[attrProperties]; ok {
			b, _ := json.Marshal(raw)
			_ = json.Unmarshal(b, &fl.Properties)
		}
		if df.Bidirectional {
			if fl.Properties == nil {
				fl.Properties = model.Properties{}
			}
			fl.Properties["bidirectional"] = convert.RawJSON(true)
			w.Add("%s is bidirectional; Bulwark analyses it in its source → destination direction only", at)
		}
		m.Diagram.Flows = append(m.Diagram.Flows, fl)
	}
	if !positioned {
		convert.Layout(&m.Diagram)
	} else {
		convert.Relativize(&m.Diagram)
	}

	// Threats and mitigations.
	defs := map[string]*otmThreat{}
	for i := range doc.Threats {
		defs[doc.Threats[i].ID] = &doc.Threats[i]
	}
	mdefs := map[string]*otmMitigation{}
	for i := range doc.Mitigations {
		mdefs[doc.Mitigations[i].ID] = &doc.Mitigations[i]
	}
	threatStates, reqStates := map[string]convert.SourceState{}, map[string]convert.SourceState{}
	// One custom entry per threat or mitigation definition, with every
	// element it is instantiated on. Ids are namespaced by kind
	// ("threat:ID", "mitigation:ID"): producers such as StartLeft's
	// Microsoft Threat Modeling Tool processor give a threat and its
	// mitigation the same id. Entries Bulwark exported keep their ids.
	var customIDs convert.IDs
	var custom []convert.Custom
	index := map[string]int{} // kind + "\x00" + source id → index in custom
	customID := func(kind, id string, bulwark bool) string {
		if bulwark {
			return customIDs.Take(id)
		}
		return customIDs.Take(kind + ":" + id)
	}
	entry := func(kind, id string) *convert.Custom {
		if i, ok := index[kind+"\x00"+id]; ok {
			return &custom[i]
		}
		var c convert.Custom
		if kind == convert.CustomThreat {
			def := defs[id]
			c = customThreat(id, def)
			c.ID = customID(kind, id, def != nil && def.Attributes[attrCustom] == true)
			if def != nil {
				if s, ok := def.Attributes[attrStatus].(string); ok {
					c.Status = otmStatus(s, true, &w)
				}
			}
		} else {
			md := mdefs[id]
			c = convert.Custom{Kind: convert.CustomMitigation, Title: id, Status: analysis.Open, Source: OTM}
			c.ID = customID(kind, id, md != nil && md.Attributes[attrCustom] == true)
			if md != nil {
				c.Title, c.Description = convert.OrDefault(md.Name, id), md.Description
				if s, ok := md.Attributes[attrStatus].(string); ok {
					c.Status = otmStatus(s, false, &w)
				}
			}
		}
		var cut bool
		if c.Title, cut = convert.FitText(c.Title, 2*model.MaxNameLen); cut {
			w.Add("%s %s: the name is longer than %d characters; the title is shortened", kind, id, 2*model.MaxNameLen)
		}
		c.Description, _ = convert.FitText(c.Description, model.MaxDescLen)
		index[kind+"\x00"+id] = len(custom)
		custom = append(custom, c)
		return &custom[len(custom)-1]
	}
	// instance records a threat or mitigation on an element with its
	// state there; when states differ between elements, the first is the
	// entry's status and every element's state is noted.
	states := map[int][]string{}
	instance := func(kind, id, element, state string, first bool) *convert.Custom {
		c := entry(kind, id)
		i := index[kind+"\x00"+id]
		st := otmStatus(state, kind == convert.CustomThreat, &w)
		if len(c.Elements) == 0 && first {
			c.Status = st
		}
		if !slices.Contains(c.Elements, element) {
			c.Elements = append(c.Elements, element)
		}
		states[i] = append(states[i], element+": "+st)
		return c
	}
	used := map[string]bool{}
	instances := func(element string, list []otmThreatInstance) {
		for _, ti := range list {
			used[convert.CustomThreat+"\x00"+ti.Threat] = true
			def := defs[ti.Threat]
			isCustom := def == nil || def.Attributes[attrCustom] == true || cat.Threat(ti.Threat) == nil
			if !isCustom {
				threatStates[ti.Threat+"@"+element] = convert.SourceState{Status: otmStatus(ti.State, true, &w)}
				for _, mi := range ti.Mitigations {
					used[convert.CustomMitigation+"\x00"+mi.Mitigation] = true
					if cat.Requirement(mi.Mitigation) != nil {
						reqStates[mi.Mitigation+"@"+element] = convert.SourceState{Status: otmStatus(mi.State, false, &w)}
					} else {
						w.Add("threat %s@%s: mitigation %q is not in the Bulwark catalog and catalog threats cannot link custom mitigations; it is not imported", ti.Threat, element, mi.Mitigation)
					}
				}
				continue
			}
			ct := instance(convert.CustomThreat, ti.Threat, element, ti.State, true)
			tid := ct.ID
			for _, mi := range ti.Mitigations {
				used[convert.CustomMitigation+"\x00"+mi.Mitigation] = true
				cm := instance(convert.CustomMitigation, mi.Mitigation, element, mi.State, true)
				if !slices.Contains(cm.Links, tid) {
					cm.Links = append(cm.Links, tid)
				}
			}
		}
	}
	for _, c := range doc.Components {
		instances(idMap[c.ID], c.Threats)
	}
	for _, df := range doc.Dataflows {
		if id, ok := idMap[df.ID]; ok {
			instances(id, df.Threats)
		} else if len(df.Threats) > 0 {
			w.Add("dataflow %s: its %d threats are not imported with it", df.ID, len(df.Threats))
		}
	}
	for i, list := range states {
		seen := map[string]bool{}
		for _, s := range list {
			_, st, _ := strings.Cut(s, ": ")
			seen[st] = true
		}
		if len(seen) > 1 {
			c := &custom[i]
			c.Notes, _ = convert.FitText(strings.TrimSpace(c.Notes+"\nState per element:\n"+strings.Join(list, "\n")), model.MaxDescLen)
			w.Add("%s %s has different states on its elements; its status is the first (%s) and each element's state is kept in its notes", c.Kind, c.ID, c.Status)
		}
	}
	// Definitions no element uses are kept too.
	for _, t := range doc.Threats {
		if used[convert.CustomThreat+"\x00"+t.ID] {
			continue
		}
		ct := entry(convert.CustomThreat, t.ID)
		if links, ok := t.Attributes["bulwark:links"].([]any); ok {
			for _, l := range links {
				if s, ok := l.(string); ok {
					ct.Links = append(ct.Links, s)
				}
			}
		}
	}
	for _, mt := range doc.Mitigations {
		if !used[convert.CustomMitigation+"\x00"+mt.ID] {
			entry(convert.CustomMitigation, mt.ID)
		}
	}
	// Links to custom entries whose ids are not there (a Bulwark export
	// edited by hand) are dropped with a warning.
	have := map[string]bool{}
	for _, c := range custom {
		have[c.ID] = true
	}
	for i := range custom {
		c := &custom[i]
		kept := c.Links[:0]
		for _, l := range c.Links {
			if have[l] {
				kept = append(kept, l)
			} else {
				w.Add("%s %s links %q, which is not in the document; the link is not imported", c.Kind, c.ID, l)
			}
		}
		c.Links = kept
	}
	if len(doc.Assets) > 0 {
		w.Add("%d assets are not imported: Bulwark models have no assets", len(doc.Assets))
	}
	convert.LinkBoth(custom)
	convert.SetCustom(m, custom)
	convert.ApplyStates(m, cat, reqStates, threatStates, &w)
	return &Imported{Model: m, Warnings: w.List()}, nil
}

func customThreat(id string, def *otmThreat) convert.Custom {
	ct := convert.Custom{Kind: convert.CustomThreat, ID: id, Title: id, Status: analysis.Open, Source: OTM}
	if def != nil {
		ct.Title, ct.Description = convert.OrDefault(def.Name, id), def.Description
		for _, c := range def.Categories {
			if s, ok := convert.StrideFromAny(c); ok {
				ct.STRIDE = append(ct.STRIDE, s)
			}
		}
		ct.Severity = catalog.RiskSeverity(int(def.Risk.Likelihood+19)/20, int(def.Risk.Impact+19)/20)
	}
	return ct
}

// appendCustom adds e unless an entry of the same kind and id is there; a
// repeated entry adds its elements and links to the first.
func appendCustom(list []convert.Custom, e convert.Custom) []convert.Custom {
	for i := range list {
		if list[i].Kind == e.Kind && list[i].ID == e.ID {
			for _, el := range e.Elements {
				if !slices.Contains(list[i].Elements, el) {
					list[i].Elements = append(list[i].Elements, el)
				}
			}
			for _, l := range e.Links {
				if !slices.Contains(list[i].Links, l) {
					list[i].Links = append(list[i].Links, l)
				}
			}
			return list
		}
	}
	return append(list, e)
}

// attrsToProps turns OTM attributes into element properties: the Bulwark
// extension attributes when present, otherwise every attribute.
func attrsToProps(attrs map[string]any, w *convert.Warnings, at string) (model.Properties, *model.AWSResource) {
	var props model.Properties
	var res *model.AWSResource
	if raw, ok := attrs[attrResource]; ok {
		b, _ := json.Marshal(raw)
		res = &model.AWSResource{}
		if json.Unmarshal(b, res) != nil {
			w.Add("%s: attribute %s is not an AWS resource; ignored", at, attrResource)
			res = nil
		}
	}
	if raw, ok := attrs[attrProperties]; ok {
		b, _ := json.Marshal(raw)
		if json.Unmarshal(b, &props) != nil {
			w.Add("%s: attribute %s is not an object; ignored", at, attrProperties)
		}
		return props, res
	}
	keys := make([]string, 0, len(attrs))
	for k := range attrs {
		if !strings.HasPrefix(k, "bulwark:") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		if props == nil {
			props = model.Properties{}
		}
		props[k] = convert.RawJSON(attrs[k])
	}
	return props, res
}

// otmType maps an OTM component type to a catalog type: a catalog id, an
// AWS resource type, or the generic type with a warning.
func otmType(cat *catalog.Catalog, t, at string, w *convert.Warnings) string {
	if id, ok := catalogTypeFor(cat, t); ok {
		return id
	}
	w.Add("%s: type %q has no Bulwark catalog type; imported as %s (the source type is kept in property %q)", at, t, convert.GenericType, convert.SourceTypeProperty)
	return convert.GenericType
}

// otmStatus maps an OTM threat or mitigation state to Bulwark's vocabulary.
// OTM leaves the vocabulary open; tools use words such as Exposed, Required
// or Implemented.
func otmStatus(s string, threat bool, w *convert.Warnings) string {
	switch strings.ToLower(strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(s), "_", " "), "-", " ")) {
	case "", "open", "exposed", "expose", "identified", "required", "recommended", "not started", "new":
		return analysis.Open
	case "in progress", "partly mitigated", "partially mitigated", "implementing":
		return analysis.InProgress
	case "mitigated", "implemented", "closed", "resolved", "completed", "done":
		if threat {
			return analysis.Mitigated
		}
		return analysis.Implemented
	case "not applicable", "na", "n/a", "rejected", "notapplicable":
		return analysis.NotApplicable
	case "risk accepted", "accepted", "accept":
		return analysis.RiskAccepted
	}
	w.Add("state %q has no Bulwark status; imported as %s", s, analysis.Open)
	return analysis.Open
}

func orList(l []string, def string) []string {
	if len(l) == 0 {
		return []string{def}
	}
	return l
}
