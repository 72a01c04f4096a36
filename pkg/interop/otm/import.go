package otm

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// applyModelMeta sets the model metadata a Bulwark export keeps in the
// project attributes (see modelMeta).
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

// importDocument reads one OTM document: the project, trust zones,
// components and dataflows, then the threat and mitigation instances.
func importDocument(files []convert.File, cat *catalog.Catalog) (*convert.Imported, error) {
	var doc otmDoc
	file, err := convert.DecodeOne(files, "OTM", &doc, convert.DecodeJSONOrYAML)
	if err != nil {
		return nil, err
	}
	if doc.OTMVersion == "" {
		return nil, errs.Field("/otmVersion", "%s is not an Open Threat Model document: otmVersion is missing", file)
	}
	r := &reader{cat: cat, idMap: map[string]string{}, zones: map[string]bool{}, synthetic: map[string]bool{}, comps: map[string]*otmComponent{}, hasChildren: map[string]bool{}}
	if !strings.HasPrefix(doc.OTMVersion, "0.") {
		r.w.Add("otmVersion %q is newer than %s; fields this importer does not know are ignored", doc.OTMVersion, Version)
	}
	r.project(&doc.Project)
	if err := r.indexElements(&doc); err != nil {
		return nil, err
	}
	r.trustZones(doc.TrustZones)
	r.components(doc.Components)
	r.dataflows(doc.Dataflows)
	if !r.positioned {
		convert.Layout(&r.m.Diagram)
	} else {
		convert.Relativize(&r.m.Diagram)
	}
	r.threats(&doc)
	if len(doc.Assets) > 0 {
		r.w.Add("%d assets are not imported: Bulwark models have no assets", len(doc.Assets))
	}
	convert.LinkBoth(r.custom)
	convert.SetCustom(r.m, r.custom)
	convert.ApplyStates(r.m, cat, r.reqStates, r.threatStates, &r.w)
	return &convert.Imported{Model: r.m, Warnings: r.w.List()}, nil
}

// reader is one import under way.
type reader struct {
	cat         *catalog.Catalog
	m           *model.ThreatModel
	w           convert.Warnings
	idgen       convert.IDs
	idMap       map[string]string        // source id → model id
	zones       map[string]bool          // trust zone ids
	synthetic   map[string]bool          // the trust zones a Bulwark export made up for elements outside every boundary
	comps       map[string]*otmComponent // by id
	hasChildren map[string]bool          // components that other components name as their parent
	positioned  bool                     // the document places its elements

	// Threats and mitigations.
	defs         map[string]*otmThreat     // threat definitions by id
	mdefs        map[string]*otmMitigation // mitigation definitions by id
	threatStates map[string]convert.SourceState
	reqStates    map[string]convert.SourceState
	customIDs    convert.IDs
	custom       []convert.Custom
	index        map[string]int   // kind + "\x00" + source id → index in custom
	states       map[int][]string // index in custom → "element: status" of each instance
	used         map[string]bool  // kind + "\x00" + source id of the definitions an element uses
}

// project starts the model from the document's project; its attributes
// become model properties ("otm." + name), but for the model metadata a
// Bulwark export keeps there.
func (r *reader) project(p *otmProject) {
	r.m = &model.ThreatModel{Name: convert.OrDefault(p.Name, "Imported OTM model"), Description: p.Description, Owner: p.Owner, Labels: p.Tags}
	if raw, ok := p.Attributes[attrModel]; ok {
		applyModelMeta(r.m, raw)
	}
	for k, v := range p.Attributes {
		if k != attrModel {
			convert.SetModelProp(r.m, "otm."+k, v)
		}
	}
}

// newID returns the model id of the source element old, taking one the
// first time.
func (r *reader) newID(old string) string {
	if id, ok := r.idMap[old]; ok {
		return id
	}
	id := r.idgen.Take(old)
	r.idMap[old] = id
	return id
}

// indexElements notes the trust zones and components by id; every one
// needs an id, unique among them.
func (r *reader) indexElements(doc *otmDoc) error {
	for i, z := range doc.TrustZones {
		if z.ID == "" {
			return errs.Field(fmt.Sprintf("/trustZones/%d/id", i), "is required")
		}
		r.zones[z.ID] = true
		if b, _ := z.Attributes[attrSynthetic].(bool); b {
			r.synthetic[z.ID] = true
		}
	}
	for i := range doc.Components {
		c := &doc.Components[i]
		if c.ID == "" {
			return errs.Field(fmt.Sprintf("/components/%d/id", i), "is required")
		}
		if _, dup := r.comps[c.ID]; dup || r.zones[c.ID] {
			return errs.Field(fmt.Sprintf("/components/%d/id", i), "duplicate id %q", c.ID)
		}
		r.comps[c.ID] = c
		if c.Parent.Component != "" {
			r.hasChildren[c.Parent.Component] = true
		}
	}
	return nil
}

// parent is the model id of an element's parent; a parent that does not
// exist places the element at the top level, with a warning.
func (r *reader) parent(p otmParent, at string) string {
	switch {
	case p.Component != "":
		if r.comps[p.Component] == nil {
			r.w.Add("%s: parent component %q does not exist; placed at the top level", at, p.Component)
			return ""
		}
		return r.newID(p.Component)
	case p.TrustZone != "":
		if !r.zones[p.TrustZone] {
			r.w.Add("%s: parent trust zone %q does not exist; placed at the top level", at, p.TrustZone)
			return ""
		}
		if r.synthetic[p.TrustZone] {
			return ""
		}
		return r.newID(p.TrustZone)
	}
	return ""
}

// position is the first position (and size) an element's representations
// give.
func position(reps []otmElementRep) (model.Point, *model.Size) {
	for _, r := range reps {
		if r.Position != nil {
			return *r.Position, r.Size
		}
	}
	return model.Point{}, nil
}

// trustZones reads the trust zones as boundaries, keeping each zone's
// trust rating.
func (r *reader) trustZones(zones []otmTrustZone) {
	for _, z := range zones {
		if r.synthetic[z.ID] {
			continue
		}
		g := model.Group{ID: r.newID(z.ID), Kind: model.KindBoundary, Name: z.Name}
		if z.Parent != nil {
			g.Parent = r.parent(*z.Parent, "trust zone "+z.ID)
		}
		pos, size := position(z.Representations)
		r.positioned = r.positioned || size != nil
		g.Position = pos
		if size != nil {
			g.Size = *size
		}
		g.Properties, g.Resource = attrsToProps(z.Attributes, &r.w, "trust zone "+z.ID)
		if _, bulwark := z.Attributes[attrKind]; !bulwark {
			if g.Properties == nil {
				g.Properties = model.Properties{}
			}
			g.Properties["trustRating"] = convert.RawJSON(z.Risk.TrustRating)
		}
		r.m.Diagram.Groups = append(r.m.Diagram.Groups, g)
	}
}

// components reads the components: as groups when a Bulwark export says
// so, as containers when other components are inside them, else as
// components of the catalog type their type names.
func (r *reader) components(comps []otmComponent) {
	for _, c := range comps {
		at := "component " + c.ID
		kind, _ := c.Attributes[attrKind].(string)
		typ, _ := c.Attributes[attrType].(string)
		if typ == "" && kind != string(model.KindGroup) {
			typ = otmType(r.cat, c.Type, at, &r.w)
		}
		props, res := attrsToProps(c.Attributes, &r.w, at)
		if typ == convert.GenericType {
			if props == nil {
				props = model.Properties{}
			}
			props[convert.SourceTypeProperty] = convert.RawJSON(c.Type)
		}
		pos, size := position(c.Representations)
		r.positioned = r.positioned || pos != (model.Point{})
		if kind == "" && r.hasChildren[c.ID] {
			kind = string(model.KindContainer)
		}
		if kind == string(model.KindGroup) || kind == string(model.KindContainer) {
			g := model.Group{ID: r.newID(c.ID), Kind: model.GroupKind(kind), Name: c.Name, Parent: r.parent(c.Parent, at), Position: pos, Properties: props, Resource: res}
			if kind == string(model.KindContainer) {
				g.Type = typ
			}
			if size != nil {
				g.Size = *size
			}
			r.m.Diagram.Groups = append(r.m.Diagram.Groups, g)
			continue
		}
		r.m.Diagram.Components = append(r.m.Diagram.Components, model.Component{ID: r.newID(c.ID), Type: typ, Name: c.Name, Parent: r.parent(c.Parent, at), Position: pos, Size: size, Properties: props, Resource: res})
	}
}

// dataflows reads the dataflows between components (or containers) as
// flows.
func (r *reader) dataflows(flows []otmDataflow) {
	endpoint := convert.Endpoints(&r.m.Diagram)
	for _, df := range flows {
		at := "dataflow " + df.ID
		src, dst := r.idMap[df.Source], r.idMap[df.Destination]
		if !endpoint[src] || !endpoint[dst] {
			r.w.Add("%s: connects %q and %q, which are not both components; it is not imported", at, df.Source, df.Destination)
			continue
		}
		fl := model.Flow{ID: r.newID(df.ID), Source: src, Target: dst}
		fl.Protocol, _ = df.Attributes[attrProtocol].(string)
		if fl.Protocol == "" {
			fl.Protocol, _ = df.Attributes["protocol"].(string)
			if p := r.cat.Protocol(fl.Protocol); p != nil {
				fl.Protocol = p.ID
			}
		}
		if fl.Protocol == "" {
			fl.Protocol = "TCP"
			r.w.Add("%s: no protocol; TCP assumed", at)
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
			r.w.Add("%s is bidirectional; Bulwark analyses it in its source → destination direction only", at)
		}
		r.m.Diagram.Flows = append(r.m.Diagram.Flows, fl)
	}
}

// threats reads the threat and mitigation instances of every component
// and dataflow: on catalog threats and requirements they are item
// statuses; the others are custom entries, one per definition with every
// element it is instantiated on. Definitions no element uses are kept too.
func (r *reader) threats(doc *otmDoc) {
	r.defs, r.mdefs = map[string]*otmThreat{}, map[string]*otmMitigation{}
	for i := range doc.Threats {
		r.defs[doc.Threats[i].ID] = &doc.Threats[i]
	}
	for i := range doc.Mitigations {
		r.mdefs[doc.Mitigations[i].ID] = &doc.Mitigations[i]
	}
	r.threatStates, r.reqStates = map[string]convert.SourceState{}, map[string]convert.SourceState{}
	r.index, r.states, r.used = map[string]int{}, map[int][]string{}, map[string]bool{}
	for _, c := range doc.Components {
		r.instances(r.idMap[c.ID], c.Threats)
	}
	for _, df := range doc.Dataflows {
		if id, ok := r.idMap[df.ID]; ok {
			r.instances(id, df.Threats)
		} else if len(df.Threats) > 0 {
			r.w.Add("dataflow %s: its %d threats are not imported with it", df.ID, len(df.Threats))
		}
	}
	r.noteDifferingStates()
	r.unusedDefinitions(doc)
	r.dropDanglingLinks()
}

// customID is the id of a custom entry. Ids are namespaced by kind
// ("threat:ID", "mitigation:ID"): producers such as StartLeft's Microsoft
// Threat Modeling Tool processor give a threat and its mitigation the same
// id. Entries Bulwark exported keep their ids.
func (r *reader) customID(kind, id string, bulwark bool) string {
	if bulwark {
		return r.customIDs.Take(id)
	}
	return r.customIDs.Take(kind + ":" + id)
}

// entry returns the custom entry of a threat or mitigation definition,
// adding it the first time.
func (r *reader) entry(kind, id string) *convert.Custom {
	if i, ok := r.index[kind+"\x00"+id]; ok {
		return &r.custom[i]
	}
	var c convert.Custom
	if kind == convert.CustomThreat {
		def := r.defs[id]
		c = customThreat(id, def)
		c.ID = r.customID(kind, id, def != nil && def.Attributes[attrCustom] == true)
		if def != nil {
			if s, ok := def.Attributes[attrStatus].(string); ok {
				c.Status = otmStatus(s, true, &r.w)
			}
		}
	} else {
		md := r.mdefs[id]
		c = convert.Custom{Kind: convert.CustomMitigation, Title: id, Status: analysis.Open, Source: Name}
		c.ID = r.customID(kind, id, md != nil && md.Attributes[attrCustom] == true)
		if md != nil {
			c.Title, c.Description = convert.OrDefault(md.Name, id), md.Description
			if s, ok := md.Attributes[attrStatus].(string); ok {
				c.Status = otmStatus(s, false, &r.w)
			}
		}
	}
	var cut bool
	if c.Title, cut = convert.FitText(c.Title, 2*model.MaxNameLen); cut {
		r.w.Add("%s %s: the name is longer than %d characters; the title is shortened", kind, id, 2*model.MaxNameLen)
	}
	c.Description, _ = convert.FitText(c.Description, model.MaxDescLen)
	r.index[kind+"\x00"+id] = len(r.custom)
	r.custom = append(r.custom, c)
	return &r.custom[len(r.custom)-1]
}

// instance records a threat or mitigation on an element with its state
// there; when states differ between elements, the first is the entry's
// status and every element's state is noted.
func (r *reader) instance(kind, id, element, state string) *convert.Custom {
	c := r.entry(kind, id)
	i := r.index[kind+"\x00"+id]
	st := otmStatus(state, kind == convert.CustomThreat, &r.w)
	if len(c.Elements) == 0 {
		c.Status = st
	}
	if !slices.Contains(c.Elements, element) {
		c.Elements = append(c.Elements, element)
	}
	r.states[i] = append(r.states[i], element+": "+st)
	return c
}

// instances reads the threat instances of an element: those of catalog
// threats as item statuses (their mitigations as requirement statuses),
// the others as custom threats with their custom mitigations.
func (r *reader) instances(element string, list []otmThreatInstance) {
	for _, ti := range list {
		r.used[convert.CustomThreat+"\x00"+ti.Threat] = true
		def := r.defs[ti.Threat]
		isCustom := def == nil || def.Attributes[attrCustom] == true || r.cat.Threat(ti.Threat) == nil
		if !isCustom {
			r.threatStates[ti.Threat+"@"+element] = convert.SourceState{Status: otmStatus(ti.State, true, &r.w)}
			for _, mi := range ti.Mitigations {
				r.used[convert.CustomMitigation+"\x00"+mi.Mitigation] = true
				if r.cat.Requirement(mi.Mitigation) != nil {
					r.reqStates[mi.Mitigation+"@"+element] = convert.SourceState{Status: otmStatus(mi.State, false, &r.w)}
				} else {
					r.w.Add("threat %s@%s: mitigation %q is not in the Bulwark catalog and catalog threats cannot link custom mitigations; it is not imported", ti.Threat, element, mi.Mitigation)
				}
			}
			continue
		}
		ct := r.instance(convert.CustomThreat, ti.Threat, element, ti.State)
		tid := ct.ID
		for _, mi := range ti.Mitigations {
			r.used[convert.CustomMitigation+"\x00"+mi.Mitigation] = true
			cm := r.instance(convert.CustomMitigation, mi.Mitigation, element, mi.State)
			if !slices.Contains(cm.Links, tid) {
				cm.Links = append(cm.Links, tid)
			}
		}
	}
}

// noteDifferingStates notes, on every custom entry whose instances have
// different states, each element's state, with a warning.
func (r *reader) noteDifferingStates() {
	for _, i := range slices.Sorted(maps.Keys(r.states)) {
		list := r.states[i]
		seen := map[string]bool{}
		for _, s := range list {
			_, st, _ := strings.Cut(s, ": ")
			seen[st] = true
		}
		if len(seen) > 1 {
			c := &r.custom[i]
			c.Notes, _ = convert.FitText(strings.TrimSpace(c.Notes+"\nState per element:\n"+strings.Join(list, "\n")), model.MaxDescLen)
			r.w.Add("%s %s has different states on its elements; its status is the first (%s) and each element's state is kept in its notes", c.Kind, c.ID, c.Status)
		}
	}
}

// unusedDefinitions keeps the threat and mitigation definitions no element
// uses, with the links a Bulwark export keeps on threats.
func (r *reader) unusedDefinitions(doc *otmDoc) {
	for _, t := range doc.Threats {
		if r.used[convert.CustomThreat+"\x00"+t.ID] {
			continue
		}
		ct := r.entry(convert.CustomThreat, t.ID)
		if links, ok := t.Attributes["bulwark:links"].([]any); ok {
			for _, l := range links {
				if s, ok := l.(string); ok {
					ct.Links = append(ct.Links, s)
				}
			}
		}
	}
	for _, mt := range doc.Mitigations {
		if !r.used[convert.CustomMitigation+"\x00"+mt.ID] {
			r.entry(convert.CustomMitigation, mt.ID)
		}
	}
}

// dropDanglingLinks drops, with a warning, links to custom entries whose
// ids are not there (a Bulwark export edited by hand).
func (r *reader) dropDanglingLinks() {
	have := map[string]bool{}
	for _, c := range r.custom {
		have[c.ID] = true
	}
	for i := range r.custom {
		c := &r.custom[i]
		kept := c.Links[:0]
		for _, l := range c.Links {
			if have[l] {
				kept = append(kept, l)
			} else {
				r.w.Add("%s %s links %q, which is not in the document; the link is not imported", c.Kind, c.ID, l)
			}
		}
		c.Links = kept
	}
}

// customThreat is the custom threat of a threat definition (nil when the
// document only names it).
func customThreat(id string, def *otmThreat) convert.Custom {
	ct := convert.Custom{Kind: convert.CustomThreat, ID: id, Title: id, Status: analysis.Open, Source: Name}
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
