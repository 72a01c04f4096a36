package threatdragon

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// The import side reads every shape Threat Dragon has written: v1 models
// (detail.diagrams[].diagramJson.cells, the element kind in "type", threats
// on the cell) and v2 models (detail.diagrams[].cells, the kind in "shape"
// and data.type, threats in data.threats), with labels as strings or as
// label objects, and fields whose JSON type changed between versions.

func fromTDStatus(s string) string {
	switch strings.ToLower(strings.ReplaceAll(s, " ", "")) {
	case "mitigated":
		return analysis.Mitigated
	case "notapplicable":
		return analysis.NotApplicable
	}
	return analysis.Open
}

type tdInDoc struct {
	Version convert.LooseText `json:"version"`
	Summary struct {
		Title       convert.LooseText `json:"title"`
		Owner       convert.LooseText `json:"owner"`
		Description convert.LooseText `json:"description"`
	} `json:"summary"`
	Detail *struct {
		Diagrams []tdInDiagram `json:"diagrams"`
	} `json:"detail"`
}

type tdInDiagram struct {
	Title       convert.LooseText `json:"title"`
	DiagramType convert.LooseText `json:"diagramType"`
	Cells       []json.RawMessage `json:"cells"`
	DiagramJSON *struct {
		Cells []json.RawMessage `json:"cells"`
	} `json:"diagramJson"`
}

type tdInPoint struct {
	X convert.LooseNumber `json:"x"`
	Y convert.LooseNumber `json:"y"`
}

type tdInSize struct {
	Width  convert.LooseNumber `json:"width"`
	Height convert.LooseNumber `json:"height"`
}

// tdInEnd is a flow or curve end: a cell (v2 "cell", v1 "id") or a point.
type tdInEnd struct {
	Cell convert.LooseText    `json:"cell"`
	ID   convert.LooseText    `json:"id"`
	X    *convert.LooseNumber `json:"x"`
	Y    *convert.LooseNumber `json:"y"`
}

func (e *tdInEnd) cell() string {
	if e == nil {
		return ""
	}
	return string(convert.OrDefault(string(e.Cell), string(e.ID)))
}

// tdInData holds an element's properties: in data for v2, on the cell
// itself for v1.
type tdInData struct {
	Type             convert.LooseText `json:"type"`
	Name             convert.LooseText `json:"name"`
	Description      convert.LooseText `json:"description"`
	OutOfScope       convert.LooseBool `json:"outOfScope"`
	ReasonOutOfScope convert.LooseText `json:"reasonOutOfScope"`
	Protocol         convert.LooseText `json:"protocol"`
	IsEncrypted      convert.LooseBool `json:"isEncrypted"`
	IsPublicNetwork  convert.LooseBool `json:"isPublicNetwork"`
	IsBidirectional  convert.LooseBool `json:"isBidirectional"`
	Threats          []tdInThreat      `json:"threats"`
	Bulwark          *tdBulwark        `json:"bulwark"`
}

type tdInCell struct {
	tdInData
	ID       convert.LooseText `json:"id"`
	Shape    convert.LooseText `json:"shape"`
	Position *tdInPoint        `json:"position"`
	Size     *tdInSize         `json:"size"`
	Source   *tdInEnd          `json:"source"`
	Target   *tdInEnd          `json:"target"`
	Vertices []tdInPoint       `json:"vertices"`
	Labels   []json.RawMessage `json:"labels"`
	Attrs    json.RawMessage   `json:"attrs"`
	Data     *tdInData         `json:"data"`
}

type tdInThreat struct {
	ID          convert.LooseText `json:"id"`
	ThreatID    convert.LooseText `json:"threatId"`
	Title       convert.LooseText `json:"title"`
	Status      convert.LooseText `json:"status"`
	Severity    convert.LooseText `json:"severity"`
	Type        convert.LooseText `json:"type"`
	Description convert.LooseText `json:"description"`
	Mitigation  convert.LooseText `json:"mitigation"`
	ModelType   convert.LooseText `json:"modelType"`
	Number      convert.LooseText `json:"number"`
	Score       convert.LooseText `json:"score"`
}

// The kinds of Threat Dragon cell, whatever shape or type names them.
const (
	tdActor   = "actor"
	tdProcess = "process"
	tdStore   = "store"
	tdFlow    = "flow"
	tdBox     = "trust-boundary-box"
	tdCurve   = "trust-boundary-curve"
	tdText    = "text"
)

// tdMaxPropertyText bounds the source text kept in an element property.
const tdMaxPropertyText = 16 << 10

// tdKind names a cell's kind from its shape (v2), its data.type (v2) or its
// type (v1); "" when none is known.
func tdKind(shape, typ string) string {
	switch strings.ToLower(shape) {
	case "actor":
		return tdActor
	case "process":
		return tdProcess
	case "store":
		return tdStore
	case "flow":
		return tdFlow
	case "trust-boundary-box":
		return tdBox
	case "trust-boundary-curve", "trust-broundary-curve", "trust-boundary":
		return tdCurve
	case "td-text-block", "text-block":
		return tdText
	}
	switch typ {
	case "tm.Actor":
		return tdActor
	case "tm.Process":
		return tdProcess
	case "tm.Store":
		return tdStore
	case "tm.Flow":
		return tdFlow
	case "tm.BoundaryBox":
		return tdBox
	case "tm.Boundary":
		return tdCurve
	case "tm.Text":
		return tdText
	}
	return ""
}

// tdCellIn is a decoded cell with where it came from.
type tdCellIn struct {
	tdInCell
	at      string // JSON pointer of the cell
	diagram int
	kind    string
	name    string
	data    *tdInData
}

// label returns the cell's display text: data.name, else its first label,
// else the text of its attrs.
func (c *tdCellIn) label() string {
	if s := strings.TrimSpace(string(c.data.Name)); s != "" {
		return s
	}
	for _, l := range c.Labels {
		var v any
		if json.Unmarshal(l, &v) == nil {
			if s := strings.TrimSpace(convert.TextOf(v, 0)); s != "" {
				return s
			}
		}
	}
	var v any
	if len(c.Attrs) > 0 && json.Unmarshal(c.Attrs, &v) == nil {
		if s := strings.TrimSpace(convert.TextOf(v, 0)); s != "" {
			return s
		}
	}
	return ""
}

// importDocument reads one Threat Dragon document: boundary boxes and
// curves, components, their containment, flows, and the threats of every
// cell.
func importDocument(files []convert.File, cat *catalog.Catalog) (*convert.Imported, error) {
	var doc tdInDoc
	file, err := convert.DecodeOne(files, "Threat Dragon", &doc, convert.DecodeJSON)
	if err != nil {
		return nil, err
	}
	if doc.Detail == nil || doc.Detail.Diagrams == nil {
		return nil, errs.Field("/detail/diagrams", "%s is not a Threat Dragon document: it has no detail.diagrams", file)
	}
	r := &reader{cat: cat, multi: len(doc.Detail.Diagrams) > 1, idMap: map[string]string{}, explicit: map[string]bool{}, parents: map[string]string{}, cellOf: map[string]string{},
		threatStates: map[string]convert.SourceState{}, reqStates: map[string]convert.SourceState{}}
	if v := string(doc.Version); v != "" && !strings.HasPrefix(v, "1.") && !strings.HasPrefix(v, "2.") {
		r.w.Add("Threat Dragon version %q is newer than this importer knows (1.x and 2.x); fields it does not know are ignored", v)
	}
	cells, err := decodeCells(file, doc.Detail.Diagrams)
	if err != nil {
		return nil, err
	}
	desc := r.describe(&doc)
	r.nodes(cells)
	if len(r.notes) > 0 {
		desc = strings.TrimSpace(desc + "\n\nText on the diagram:\n" + strings.Join(r.notes, "\n\n"))
	}
	r.m.Description, _ = convert.FitText(desc, model.MaxDescLen)
	r.containment()
	convert.Relativize(&r.m.Diagram)
	r.flows(cells)
	r.threats(cells)
	convert.LinkBoth(r.custom)
	convert.SetCustom(r.m, r.custom)
	convert.ApplyStates(r.m, cat, r.reqStates, r.threatStates, &r.w)
	return &convert.Imported{Model: r.m, Warnings: r.w.List()}, nil
}

// decodeCells decodes every cell of every diagram on its own, so that an
// error names the cell.
func decodeCells(file string, diagrams []tdInDiagram) ([]*tdCellIn, error) {
	var cells []*tdCellIn
	for di, dg := range diagrams {
		raw, base := dg.Cells, fmt.Sprintf("/detail/diagrams/%d/cells", di)
		if dg.DiagramJSON != nil && len(dg.DiagramJSON.Cells) > 0 {
			raw, base = dg.DiagramJSON.Cells, fmt.Sprintf("/detail/diagrams/%d/diagramJson/cells", di)
		}
		for ci, rc := range raw {
			c := &tdCellIn{at: fmt.Sprintf("%s/%d", base, ci), diagram: di}
			if err := json.Unmarshal(rc, &c.tdInCell); err != nil {
				var probe struct {
					ID convert.LooseText `json:"id"`
				}
				_ = json.Unmarshal(rc, &probe)
				return nil, errs.E(errs.Malformed, "%s: cell %d of diagram %d (id %q) cannot be read: %v", file, ci, di, string(probe.ID), err).At(c.at)
			}
			c.data = &c.tdInData
			if c.Data != nil {
				c.data = c.Data
				// v2 keeps threats in data; a few writers leave them on the cell.
				c.data.Threats = append(c.data.Threats, c.tdInData.Threats...)
			}
			c.kind = tdKind(string(c.Shape), convert.OrDefault(string(c.data.Type), string(c.tdInData.Type)))
			c.name = c.label()
			if strings.TrimSpace(string(c.ID)) == "" {
				c.ID = convert.LooseText(fmt.Sprintf("cell-%d-%d", di+1, ci+1))
			}
			cells = append(cells, c)
		}
	}
	return cells, nil
}

// reader is one import under way.
type reader struct {
	cat          *catalog.Catalog
	m            *model.ThreatModel
	w            convert.Warnings
	idgen        convert.IDs
	customIDs    convert.IDs
	multi        bool              // the document has more than one diagram
	idMap        map[string]string // "diagram/cell id" → model id
	boxes        []box             // boundary boxes, which enclose what their area holds
	explicit     map[string]bool   // elements whose parent the Bulwark extension names
	parents      map[string]string // element → source cell id of the parent the Bulwark extension names
	cellOf       map[string]string // model id → source cell id, for the Bulwark extension's parents
	notes        []string          // text blocks
	custom       []convert.Custom
	threatStates map[string]convert.SourceState
	reqStates    map[string]convert.SourceState
}

// box is a boundary box, for containment.
type box struct {
	id   string
	p    model.Point
	s    model.Size
	area float64
}

// describe starts the model from the document's summary and returns its
// description (with the full title when the title is cut).
func (r *reader) describe(doc *tdInDoc) string {
	title, cut := convert.FitText(convert.OrDefault(strings.TrimSpace(string(doc.Summary.Title)), "Imported Threat Dragon model"), model.MaxNameLen)
	if cut {
		r.w.Add("the model title is longer than %d characters or holds control characters; it is shortened (the full title is kept in the description)", model.MaxNameLen)
	}
	desc := string(doc.Summary.Description)
	if cut {
		desc = strings.TrimSpace(string(doc.Summary.Title) + "\n\n" + desc)
	}
	owner, _ := convert.FitText(string(doc.Summary.Owner), model.MaxNameLen)
	r.m = &model.ThreatModel{Name: title, Owner: owner}
	return desc
}

// key names a cell of a diagram.
func key(di int, id string) string { return fmt.Sprintf("%d/%s", di, id) }

// newID takes the model id of cell c: its id, prefixed with its diagram's
// number when the document has more than one.
func (r *reader) newID(c *tdCellIn) string {
	prefix := ""
	if r.multi {
		prefix = fmt.Sprintf("d%d-", c.diagram+1)
	}
	return r.idgen.Take(prefix + string(c.ID))
}

// record notes that cell c became the element id.
func (r *reader) record(c *tdCellIn, id string) {
	r.idMap[key(c.diagram, string(c.ID))] = id
	r.cellOf[id] = string(c.ID)
}

// name is the cell's display text as a model name.
func (r *reader) name(c *tdCellIn) string {
	n, cut := convert.FitText(c.name, model.MaxNameLen)
	if cut {
		r.w.Add("%s (%q): the name is longer than %d characters or holds control characters; it is shortened", c.at, string(c.ID), model.MaxNameLen)
	}
	return n
}

// nodes reads every cell that is not a flow, so that flows can then name
// their ends.
func (r *reader) nodes(cells []*tdCellIn) {
	for _, c := range cells {
		switch c.kind {
		case tdText:
			if t := strings.TrimSpace(c.name); t != "" {
				r.notes = append(r.notes, t)
			}
		case tdBox:
			r.boundaryBox(c)
		case tdCurve:
			r.boundaryCurve(c)
		case tdActor, tdProcess, tdStore:
			r.component(c)
		case tdFlow:
		default:
			r.w.Add("%s: cell %q of shape %q (type %q) is not a Threat Dragon element this importer knows; it is not imported", c.at, string(c.ID), string(c.Shape), string(c.data.Type))
		}
	}
}

// boundaryBox reads a boundary box as a boundary (or, from a Bulwark
// export, the group it was).
func (r *reader) boundaryBox(c *tdCellIn) {
	bw := c.data.Bulwark
	if c.Position == nil {
		r.w.Add("%s: boundary box %q has no position; it is placed at the origin", c.at, string(c.ID))
		c.Position = &tdInPoint{}
	}
	id := r.newID(c)
	r.record(c, id)
	g := model.Group{ID: id, Kind: model.KindBoundary, Name: r.name(c), Position: model.Point{X: float64(c.Position.X), Y: float64(c.Position.Y)}}
	if c.Size != nil {
		g.Size = model.Size{Width: float64(c.Size.Width), Height: float64(c.Size.Height)}
	}
	if bw != nil && bw.Kind != "" {
		g.Kind, g.Type, g.Properties, g.Resource = model.GroupKind(bw.Kind), bw.Type, bw.Properties, bw.Resource
		r.explicit[id] = true
		r.parents[id] = bw.Parent
	}
	r.boxes = append(r.boxes, box{id: id, p: g.Position, s: g.Size, area: g.Size.Width * g.Size.Height})
	r.m.Diagram.Groups = append(r.m.Diagram.Groups, g)
}

// boundaryCurve reads a curve, a line across the diagram: it becomes a
// boundary with the curve's bounding box that contains nothing (its
// position does not say which side an element is on).
func (r *reader) boundaryCurve(c *tdCellIn) {
	var pts []model.Point
	for _, e := range []*tdInEnd{c.Source, c.Target} {
		if e != nil && e.X != nil && e.Y != nil {
			pts = append(pts, model.Point{X: float64(*e.X), Y: float64(*e.Y)})
		}
	}
	for _, v := range c.Vertices {
		pts = append(pts, model.Point{X: float64(v.X), Y: float64(v.Y)})
	}
	if c.Position != nil {
		pts = append(pts, model.Point{X: float64(c.Position.X), Y: float64(c.Position.Y)})
	}
	g := model.Group{ID: r.newID(c), Kind: model.KindBoundary, Name: r.name(c),
		Properties: model.Properties{"threatDragonShape": convert.RawJSON(tdCurve)}, Size: model.Size{Width: 1, Height: 1}}
	if len(pts) > 0 {
		lo, hi := pts[0], pts[0]
		for _, p := range pts[1:] {
			lo = model.Point{X: min(lo.X, p.X), Y: min(lo.Y, p.Y)}
			hi = model.Point{X: max(hi.X, p.X), Y: max(hi.Y, p.Y)}
		}
		g.Position = lo
		g.Size = model.Size{Width: max(hi.X-lo.X, 1), Height: max(hi.Y-lo.Y, 1)}
	}
	if g.Name == "" {
		g.Name = "Trust boundary"
	}
	r.record(c, g.ID)
	r.m.Diagram.Groups = append(r.m.Diagram.Groups, g)
	r.w.Add("trust boundary curves are imported as boundaries around the curve's extent; Bulwark boundaries are boxes, so which elements a curve separates is not carried over")
}

// component reads an actor, process or store: a generic component of the
// nearest catalog type, or, from a Bulwark export, the component it was.
func (r *reader) component(c *tdCellIn) {
	bw := c.data.Bulwark
	if c.Position == nil {
		r.w.Add("%s: %s %q has no position; it is placed at the origin", c.at, c.kind, string(c.ID))
		c.Position = &tdInPoint{}
	}
	id := r.newID(c)
	r.record(c, id)
	comp := model.Component{ID: id, Name: r.name(c), Position: model.Point{X: float64(c.Position.X), Y: float64(c.Position.Y)}}
	if c.Size != nil {
		comp.Size = &model.Size{Width: float64(c.Size.Width), Height: float64(c.Size.Height)}
	}
	if bw != nil && bw.Type != "" {
		comp.Type, comp.Properties, comp.Resource = bw.Type, bw.Properties, bw.Resource
		r.explicit[id] = true
		r.parents[id] = bw.Parent
		if bw.Kind == "component-unsized" {
			comp.Size = nil
		}
	} else {
		comp.Type = map[string]string{tdActor: "generic.browser", tdProcess: "generic.web-server", tdStore: "generic.database"}[c.kind]
		comp.Properties = model.Properties{convert.SourceTypeProperty: convert.RawJSON(convert.OrDefault(string(c.data.Type), "tm."+c.kind))}
		r.w.Add("Threat Dragon %s cells have no Bulwark catalog type; they are imported as %s (the source type is kept in property %q)", c.kind, comp.Type, convert.SourceTypeProperty)
	}
	if d := strings.TrimSpace(string(c.data.Description)); d != "" && (bw == nil || bw.Type == "") {
		comp.Properties["description"] = convert.RawJSON(model.Clip(d, tdMaxPropertyText))
	}
	if c.data.OutOfScope {
		if comp.Properties == nil {
			comp.Properties = model.Properties{}
		}
		comp.Properties["outOfScope"] = convert.RawJSON(true)
		if c.data.ReasonOutOfScope != "" {
			comp.Properties["reasonOutOfScope"] = convert.RawJSON(string(c.data.ReasonOutOfScope))
		}
	}
	r.m.Diagram.Components = append(r.m.Diagram.Components, comp)
}

// containment gives every element its parent: the one the Bulwark
// extension names, else the smallest boundary box that holds the
// element's centre.
func (r *reader) containment() {
	boxes := r.boxes
	sort.SliceStable(boxes, func(a, b int) bool { return boxes[a].area < boxes[b].area })
	enclosing := func(id string, p model.Point, s *model.Size) string {
		cx, cy := p.X, p.Y
		if s != nil {
			cx, cy = p.X+s.Width/2, p.Y+s.Height/2
		}
		area := -1.0
		if s != nil {
			area = s.Width * s.Height
		}
		for _, b := range boxes {
			if b.id != id && b.area > area && cx >= b.p.X && cx <= b.p.X+b.s.Width && cy >= b.p.Y && cy <= b.p.Y+b.s.Height {
				return b.id
			}
		}
		return ""
	}
	// The Bulwark extension names parents by source cell id, within the
	// same diagram.
	byCell := map[string]string{}
	for id, cell := range r.cellOf {
		if prev, ok := byCell[cell]; !ok || id < prev {
			byCell[cell] = id
		}
	}
	parentID := func(id, parentCell string) string {
		if p := byCell[parentCell]; p != id {
			return p
		}
		return ""
	}
	isBox := map[string]bool{}
	for _, b := range boxes {
		isBox[b.id] = true
	}
	for i := range r.m.Diagram.Groups {
		g := &r.m.Diagram.Groups[i]
		switch {
		case r.explicit[g.ID]:
			g.Parent = parentID(g.ID, r.parents[g.ID])
		case isBox[g.ID]:
			g.Parent = enclosing(g.ID, g.Position, &g.Size)
		}
	}
	for i := range r.m.Diagram.Components {
		c := &r.m.Diagram.Components[i]
		if r.explicit[c.ID] {
			c.Parent = parentID(c.ID, r.parents[c.ID])
		} else {
			c.Parent = enclosing(c.ID, c.Position, c.Size)
		}
	}
}

// flows reads every flow whose ends are both elements.
func (r *reader) flows(cells []*tdCellIn) {
	endpoint := convert.Endpoints(&r.m.Diagram)
	for _, c := range cells {
		if c.kind != tdFlow {
			continue
		}
		src, dst := r.idMap[key(c.diagram, c.Source.cell())], r.idMap[key(c.diagram, c.Target.cell())]
		if !endpoint[src] || !endpoint[dst] {
			r.w.Add("%s: flow %q (%s) is not connected to an element at both ends; it is not imported", c.at, string(c.ID), convert.OrDefault(c.name, "no name"))
			continue
		}
		fl := model.Flow{ID: r.newID(c), Source: src, Target: dst}
		r.record(c, fl.ID)
		if bw := c.data.Bulwark; bw != nil && bw.Protocol != "" {
			fl.Protocol, fl.Port, fl.Label, fl.Properties = bw.Protocol, bw.Port, bw.Label, bw.Properties
		} else {
			r.flowFromSource(c, &fl)
		}
		r.m.Diagram.Flows = append(r.m.Diagram.Flows, fl)
	}
}

// flowFromSource sets what a flow written by Threat Dragon (not a Bulwark
// export) says: its label, protocol, encryption, public network,
// description and direction.
func (r *reader) flowFromSource(c *tdCellIn, fl *model.Flow) {
	label, cut := convert.FitText(c.name, model.MaxNameLen)
	if cut {
		r.w.Add("%s: the label of flow %q is longer than %d characters or holds control characters; it is shortened", c.at, string(c.ID), model.MaxNameLen)
	}
	fl.Label = label
	proto := strings.TrimSpace(string(c.data.Protocol))
	if p := r.cat.Protocol(proto); p != nil {
		fl.Protocol = p.ID
		if p.Encrypted != bool(c.data.IsEncrypted) {
			fl.Properties = model.Properties{"encrypted": convert.RawJSON(bool(c.data.IsEncrypted))}
		}
	} else {
		fl.Protocol = "TCP"
		if c.data.IsEncrypted {
			fl.Protocol = "TLS"
		}
		if proto != "" {
			fl.Properties = model.Properties{"sourceProtocol": convert.RawJSON(proto)}
			r.w.Add("flow %q: protocol %q is not in the catalog; %s assumed from isEncrypted (the source protocol is kept in property sourceProtocol)", string(c.ID), proto, fl.Protocol)
		}
	}
	setProp := func(name string, v any) {
		if fl.Properties == nil {
			fl.Properties = model.Properties{}
		}
		fl.Properties[name] = convert.RawJSON(v)
	}
	if c.data.IsPublicNetwork {
		setProp("publicNetwork", true)
	}
	if d := strings.TrimSpace(string(c.data.Description)); d != "" {
		setProp("description", model.Clip(d, tdMaxPropertyText))
	}
	if c.data.IsBidirectional {
		setProp("bidirectional", true)
		r.w.Add("flow %q is bidirectional; Bulwark analyses it in its source → target direction only", string(c.ID))
	}
}

// threats reads the threats of every imported cell: those Bulwark exported
// for catalog items as item statuses (with their requirements' statuses),
// the others as custom threats, each with a custom mitigation when it has
// mitigation text.
func (r *reader) threats(cells []*tdCellIn) {
	number := 0
	for _, c := range cells {
		el, ok := r.idMap[key(c.diagram, string(c.ID))]
		if !ok {
			if len(c.data.Threats) > 0 {
				r.w.Add("%s: the %d threats of cell %q are not imported with it", c.at, len(c.data.Threats), string(c.ID))
			}
			continue
		}
		for ti, t := range c.data.Threats {
			number++
			r.threat(t, el, number, fmt.Sprintf("%s (cell %q), threat %d", c.at, string(c.ID), ti))
		}
	}
}

// threat reads threat t of element el, the number-th threat of the
// document, found at at.
func (r *reader) threat(t tdInThreat, el string, number int, at string) {
	status := fromTDStatus(string(t.Status))
	mitigation := string(t.Mitigation)
	notes := ""
	if text := "\n" + mitigation; strings.Contains(text, tdNotesMark) {
		notes = text[strings.Index(text, tdNotesMark)+len(tdNotesMark):]
	}
	if s := tdStatusLine.FindStringSubmatch(mitigation); s != nil {
		status = s[1]
	}
	tid := strings.TrimSpace(convert.OrDefault(string(t.ID), string(t.ThreatID)))
	rule, _, found := strings.Cut(tid, "@")
	if found && r.cat.Threat(rule) != nil && strings.HasSuffix(tid, "@"+r.cellOf[el]) {
		r.threatStates[rule+"@"+el] = convert.SourceState{Status: status, Notes: notes}
		for _, req := range tdReqLine.FindAllStringSubmatch(mitigation, -1) {
			if r.cat.Requirement(req[2]) != nil {
				r.reqStates[req[2]+"@"+el] = convert.SourceState{Status: req[1]}
			}
		}
		return
	}
	if tid == "" {
		tid = fmt.Sprintf("td-threat-%d", number)
	}
	ct := convert.Custom{Kind: convert.CustomThreat, ID: r.customIDs.Take(tid), Severity: strings.TrimSpace(string(t.Severity)), Status: status, Elements: []string{el}, Source: Name}
	titleText := convert.OrDefault(strings.TrimSpace(string(t.Title)), firstLine(string(t.Description)))
	var cut bool
	ct.Title, cut = convert.FitText(convert.OrDefault(titleText, tid), 2*model.MaxNameLen)
	ct.Description, _ = convert.FitText(string(t.Description), model.MaxDescLen)
	if cut {
		r.w.Add("%s: the title is longer than %d characters; it is shortened and kept whole in the description", at, 2*model.MaxNameLen)
		ct.Description = strings.TrimSpace(titleText + "\n\n" + ct.Description)
	}
	var extra []string
	if s, ok := convert.StrideFromAny(string(t.Type)); ok {
		ct.STRIDE = []string{s}
	} else if t.Type != "" {
		extra = append(extra, fmt.Sprintf("%s category: %s", convert.OrDefault(string(t.ModelType), "Threat Dragon"), string(t.Type)))
	}
	if t.Score != "" {
		extra = append(extra, "Score: "+string(t.Score))
	}
	if len(extra) > 0 {
		ct.Notes = strings.Join(extra, "\n")
	}
	if strings.TrimSpace(mitigation) != "" {
		mst := analysis.Open
		if status == analysis.Mitigated {
			mst = analysis.Implemented
		}
		mid := r.customIDs.Take(ct.ID + "-mitigation")
		md, _ := convert.FitText(mitigation, model.MaxDescLen)
		mt, _ := convert.FitText(firstLine(mitigation), 2*model.MaxNameLen)
		r.custom = append(r.custom, convert.Custom{Kind: convert.CustomMitigation, ID: mid, Title: mt, Description: md, Status: mst, Elements: []string{el}, Links: []string{ct.ID}, Source: Name})
		ct.Links = []string{mid}
	}
	r.custom = append(r.custom, ct)
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if r := []rune(s); len(r) > 120 {
		s = string(r[:120]) + "…"
	}
	return s
}
