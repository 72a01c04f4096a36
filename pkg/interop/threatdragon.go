package interop

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// ThreatDragonVersion is the Threat Dragon document version this package
// writes.
const ThreatDragonVersion = "2.2.0"

type tdDoc struct {
	Version string    `json:"version"`
	Summary tdSummary `json:"summary"`
	Detail  tdDetail  `json:"detail"`
}

type tdSummary struct {
	Title       string `json:"title"`
	Owner       string `json:"owner"`
	Description string `json:"description"`
	ID          int    `json:"id"`
}

type tdDetail struct {
	Contributors []tdContributor `json:"contributors"`
	Diagrams     []tdDiagram     `json:"diagrams"`
	DiagramTop   int             `json:"diagramTop"`
	Reviewer     string          `json:"reviewer"`
	ThreatTop    int             `json:"threatTop"`
}

type tdContributor struct {
	Name string `json:"name"`
}

type tdDiagram struct {
	ID          int      `json:"id"`
	Title       string   `json:"title"`
	DiagramType string   `json:"diagramType"`
	Placeholder string   `json:"placeholder"`
	Thumbnail   string   `json:"thumbnail"`
	Version     string   `json:"version"`
	Cells       []tdCell `json:"cells"`
}

type tdCell struct {
	ID       string       `json:"id"`
	Shape    string       `json:"shape"`
	ZIndex   int          `json:"zIndex"`
	Position *model.Point `json:"position,omitempty"`
	Size     *model.Size  `json:"size,omitempty"`
	Source   *tdEnd       `json:"source,omitempty"`
	Target   *tdEnd       `json:"target,omitempty"`
	Vertices []any        `json:"vertices,omitempty"`
	Labels   []string     `json:"labels,omitempty"`
	Data     tdData       `json:"data"`
}

type tdEnd struct {
	Cell string `json:"cell"`
}

type tdData struct {
	Type             string     `json:"type"`
	Name             string     `json:"name"`
	Description      string     `json:"description"`
	OutOfScope       bool       `json:"outOfScope"`
	ReasonOutOfScope string     `json:"reasonOutOfScope"`
	HasOpenThreats   bool       `json:"hasOpenThreats"`
	IsTrustBoundary  bool       `json:"isTrustBoundary,omitempty"`
	Protocol         string     `json:"protocol,omitempty"`
	IsEncrypted      bool       `json:"isEncrypted,omitempty"`
	IsPublicNetwork  bool       `json:"isPublicNetwork,omitempty"`
	IsBidirectional  bool       `json:"isBidirectional,omitempty"`
	Threats          []tdThreat `json:"threats,omitempty"`
	// Bulwark keeps what Threat Dragon has no field for; Threat Dragon
	// ignores it and saves it back.
	Bulwark *tdBulwark `json:"bulwark,omitempty"`
}

type tdBulwark struct {
	Kind       string             `json:"kind,omitempty"`
	Type       string             `json:"type,omitempty"`
	Parent     string             `json:"parent,omitempty"`
	Properties model.Properties   `json:"properties,omitempty"`
	Resource   *model.AWSResource `json:"resource,omitempty"`
	Protocol   string             `json:"protocol,omitempty"`
	Port       int                `json:"port,omitempty"`
	Label      string             `json:"label,omitempty"`
}

type tdThreat struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Status      string `json:"status"`
	Severity    string `json:"severity"`
	Type        string `json:"type"`
	Description string `json:"description"`
	Mitigation  string `json:"mitigation"`
	ModelType   string `json:"modelType"`
	New         bool   `json:"new"`
	Number      int    `json:"number"`
	Score       string `json:"score"`
}

// Threat Dragon's shapes and their data types.
var tdTypes = map[string]string{
	"actor": "tm.Actor", "process": "tm.Process", "store": "tm.Store", "flow": "tm.Flow",
	"trust-boundary-box": "tm.BoundaryBox", "trust-boundary-curve": "tm.Boundary", "td-text-block": "tm.Text",
}

// tdStride is Threat Dragon's spelling of the STRIDE categories.
var tdStride = map[string]string{
	catalog.Spoofing: "Spoofing", catalog.Tampering: "Tampering", catalog.Repudiation: "Repudiation",
	catalog.InformationDisclosure: "Information disclosure", catalog.DenialOfService: "Denial of service",
	catalog.ElevationOfPrivilege: "Elevation of privilege",
}

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

func fromTDStatus(s string) string {
	switch strings.ToLower(strings.ReplaceAll(s, " ", "")) {
	case "mitigated":
		return analysis.Mitigated
	case "notapplicable":
		return analysis.NotApplicable
	}
	return analysis.Open
}

func tdSeverity(s string) string {
	if s == "Critical" {
		return "High"
	}
	return s
}

// The mitigation text of an exported catalog threat lists the mitigating
// requirements with their statuses, then the exact status and the notes
// when Threat Dragon cannot hold them; the importer reads them back.
var (
	tdReqLine    = regexp.MustCompile(`(?m)^- \[([A-Za-z ]+)\] .* \(([a-z0-9][a-z0-9.-]*)\)$`)
	tdStatusLine = regexp.MustCompile(`(?m)^Bulwark status: (.+)$`)
	tdNotesMark  = "\nNotes:\n"
)

func exportThreatDragon(m *model.ThreatModel, cat *catalog.Catalog) (*Exported, error) {
	var w convert.Warnings
	d := convert.Prepare(m, cat, &w, "Threat Dragon")
	abs := convert.Absolute(&m.Diagram)
	number := 0
	lossy := 0
	threatsOf := func(element string) ([]tdThreat, bool) {
		var out []tdThreat
		open := false
		for _, t := range d.ThreatsOf[element] {
			number++
			st, lost := tdStatus(t.Status)
			var text strings.Builder
			for _, rid := range t.Requirements {
				r := d.Reqs[rid]
				fmt.Fprintf(&text, "- [%s] %s (%s)\n", r.Status, r.Title, r.Rule)
			}
			if lost {
				lossy++
				fmt.Fprintf(&text, "Bulwark status: %s\n", t.Status)
			}
			if t.Notes != "" {
				text.WriteString(tdNotesMark + t.Notes)
			}
			out = append(out, tdThreat{ID: t.ID, Title: t.Title, Status: st, Severity: tdSeverity(t.Severity), Type: tdStride[t.STRIDE],
				Description: cat.Threat(t.Rule).Description, Mitigation: strings.TrimRight(text.String(), "\n"), ModelType: "STRIDE", Number: number})
			open = open || st == "Open"
		}
		for _, c := range d.Custom {
			if c.Kind != convert.CustomThreat || !slices.Contains(c.Elements, element) {
				continue
			}
			number++
			st, lost := tdStatus(c.Status)
			if lost {
				lossy++
			}
			var text []string
			for _, mc := range d.Custom {
				if mc.Kind == convert.CustomMitigation && slices.Contains(c.Links, mc.ID) {
					text = append(text, convert.OrDefault(mc.Description, mc.Title))
				}
			}
			stride := ""
			if len(c.STRIDE) > 0 {
				stride = tdStride[c.STRIDE[0]]
			}
			out = append(out, tdThreat{ID: c.ID, Title: c.Title, Status: st, Severity: tdSeverity(convert.OrDefault(c.Severity, "Medium")), Type: stride,
				Description: c.Description, Mitigation: strings.Join(text, "\n"), ModelType: "STRIDE", Number: number})
			open = open || st == "Open"
		}
		return out, open
	}
	var cells []tdCell
	z := 0
	for _, g := range m.Diagram.Groups {
		z++
		p, size := abs[g.ID], g.Size
		th, open := threatsOf(g.ID)
		cells = append(cells, tdCell{ID: g.ID, Shape: "trust-boundary-box", ZIndex: z, Position: &p, Size: &size,
			Data: tdData{Type: "tm.BoundaryBox", Name: g.Name, IsTrustBoundary: g.Kind == model.KindBoundary, HasOpenThreats: open, Threats: th,
				Bulwark: &tdBulwark{Kind: string(g.Kind), Type: g.Type, Parent: g.Parent, Properties: g.Properties, Resource: g.Resource}}})
	}
	for _, c := range m.Diagram.Components {
		z++
		p := abs[c.ID]
		size := model.Size{Width: 100, Height: 100}
		if c.Size != nil {
			size = *c.Size
		}
		shape := "process"
		if t := cat.Type(c.Type); t != nil && t.External {
			shape = "actor"
		} else if t != nil && t.DataStore {
			shape = "store"
		}
		th, open := threatsOf(c.ID)
		bw := &tdBulwark{Type: c.Type, Parent: c.Parent, Properties: c.Properties, Resource: c.Resource}
		if c.Size == nil {
			bw.Kind = "component-unsized"
		}
		cells = append(cells, tdCell{ID: c.ID, Shape: shape, ZIndex: z, Position: &p, Size: &size,
			Data: tdData{Type: tdTypes[shape], Name: c.Name, HasOpenThreats: open, Threats: th, Bulwark: bw}})
	}
	for _, f := range m.Diagram.Flows {
		z++
		th, open := threatsOf(f.ID)
		proto := cat.Protocol(f.Protocol)
		name := convert.OrDefault(f.Label, f.Protocol)
		cells = append(cells, tdCell{ID: f.ID, Shape: "flow", ZIndex: z, Source: &tdEnd{Cell: f.Source}, Target: &tdEnd{Cell: f.Target}, Labels: []string{name},
			Data: tdData{Type: "tm.Flow", Name: name, Protocol: f.Protocol, IsEncrypted: proto != nil && proto.Encrypted, HasOpenThreats: open, Threats: th,
				Bulwark: &tdBulwark{Protocol: f.Protocol, Port: f.Port, Label: f.Label, Properties: f.Properties}}})
	}
	if lossy > 0 {
		w.Add("%d threat statuses (In Progress, Risk Accepted) have no Threat Dragon equivalent: the nearest status is written and the exact one is kept in the mitigation text", lossy)
	}
	if len(d.Reqs) > 0 {
		w.Add("Threat Dragon has no requirements: the %d requirement statuses are written into each threat's mitigation text", len(d.Reqs))
	}
	for _, c := range d.Custom {
		if len(c.Elements) == 0 {
			w.Add("custom %s %q is attached to no element; Threat Dragon keeps threats only on diagram elements, so it is not exported", c.Kind, c.ID)
		}
	}
	doc := tdDoc{
		Version: ThreatDragonVersion,
		Summary: tdSummary{Title: m.Name, Owner: m.Owner, Description: m.Description},
		Detail: tdDetail{Contributors: []tdContributor{}, DiagramTop: 1, ThreatTop: number,
			Diagrams: []tdDiagram{{ID: 0, Title: m.Name, DiagramType: "STRIDE", Placeholder: "", Thumbnail: "./public/content/images/thumbnail.stride.jpg", Version: ThreatDragonVersion, Cells: cells}}},
	}
	if lost := len(m.Labels) + len(m.Properties); lost > 0 || m.Version != "" {
		w.Add("Threat Dragon has no model labels, version, priority, exposure or properties; they are not exported")
	}
	return &Exported{Data: convert.JSONOut(doc), MediaType: "application/json", Extension: ".threatdragon.json", Warnings: w.List()}, nil
}

// The import side reads every shape Threat Dragon has written: v1 models
// (detail.diagrams[].diagramJson.cells, the element kind in "type", threats
// on the cell) and v2 models (detail.diagrams[].cells, the kind in "shape"
// and data.type, threats in data.threats), with labels as strings or as
// label objects, and fields whose JSON type changed between versions.

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

func importThreatDragon(files []File, cat *catalog.Catalog) (*Imported, error) {
	if len(files) != 1 {
		return nil, errs.E(errs.Invalid, "Threat Dragon import reads one document, got %d files", len(files))
	}
	f := files[0]
	var doc tdInDoc
	if err := convert.DecodeJSON(f.Name, f.Data, &doc); err != nil {
		return nil, err
	}
	if doc.Detail == nil || doc.Detail.Diagrams == nil {
		return nil, &errs.Error{Kind: errs.Invalid, Field: "/detail/diagrams", Message: fmt.Sprintf("%s is not a Threat Dragon document: it has no detail.diagrams", f.Name)}
	}
	var w convert.Warnings
	if v := string(doc.Version); v != "" && !strings.HasPrefix(v, "1.") && !strings.HasPrefix(v, "2.") {
		w.Add("Threat Dragon version %q is newer than this importer knows (1.x and 2.x); fields it does not know are ignored", v)
	}
	// Decode every cell on its own, so that an error names the cell.
	var cells []*tdCellIn
	for di, dg := range doc.Detail.Diagrams {
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
				return nil, &errs.Error{Kind: errs.Malformed, Field: c.at, Message: fmt.Sprintf("%s: cell %d of diagram %d (id %q) cannot be read: %v", f.Name, ci, di, string(probe.ID), err)}
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
	title, cut := convert.FitText(convert.OrDefault(strings.TrimSpace(string(doc.Summary.Title)), "Imported Threat Dragon model"), model.MaxNameLen)
	if cut {
		w.Add("the model title is longer than %d characters or holds control characters; it is shortened (the full title is kept in the description)", model.MaxNameLen)
	}
	desc := string(doc.Summary.Description)
	if cut {
		desc = strings.TrimSpace(string(doc.Summary.Title) + "\n\n" + desc)
	}
	owner, _ := convert.FitText(string(doc.Summary.Owner), model.MaxNameLen)
	m := &model.ThreatModel{Name: title, Owner: owner}
	var idgen, customIDs convert.IDs
	idMap := map[string]string{} // "diagram/cell id" → model id
	key := func(di int, id string) string { return fmt.Sprintf("%d/%s", di, id) }
	threatStates, reqStates := map[string]convert.SourceState{}, map[string]convert.SourceState{}
	var custom []convert.Custom
	type box struct {
		id   string
		p    model.Point
		s    model.Size
		area float64
	}
	var boxes []box
	explicit := map[string]bool{} // elements whose parent the Bulwark extension names
	parents := map[string]string{}
	cellOf := map[string]string{} // model id → source cell id, for the Bulwark extension's parents
	multi := len(doc.Detail.Diagrams) > 1
	prefixOf := func(di int) string {
		if multi {
			return fmt.Sprintf("d%d-", di+1)
		}
		return ""
	}
	name := func(c *tdCellIn) string {
		n, cut := convert.FitText(c.name, model.MaxNameLen)
		if cut {
			w.Add("%s (%q): the name is longer than %d characters or holds control characters; it is shortened", c.at, string(c.ID), model.MaxNameLen)
		}
		return n
	}
	var notes []string
	// Nodes first, so flows can name their ends.
	for _, c := range cells {
		bw := c.data.Bulwark
		switch c.kind {
		case tdText:
			if t := strings.TrimSpace(c.name); t != "" {
				notes = append(notes, t)
			}
		case tdBox:
			if c.Position == nil {
				w.Add("%s: boundary box %q has no position; it is placed at the origin", c.at, string(c.ID))
				c.Position = &tdInPoint{}
			}
			id := idgen.Take(prefixOf(c.diagram) + string(c.ID))
			idMap[key(c.diagram, string(c.ID))] = id
			cellOf[id] = string(c.ID)
			g := model.Group{ID: id, Kind: model.KindBoundary, Name: name(c), Position: model.Point{X: float64(c.Position.X), Y: float64(c.Position.Y)}}
			if c.Size != nil {
				g.Size = model.Size{Width: float64(c.Size.Width), Height: float64(c.Size.Height)}
			}
			if bw != nil && bw.Kind != "" {
				g.Kind, g.Type, g.Properties, g.Resource = model.GroupKind(bw.Kind), bw.Type, bw.Properties, bw.Resource
				explicit[id] = true
				parents[id] = bw.Parent
			}
			boxes = append(boxes, box{id: id, p: g.Position, s: g.Size, area: g.Size.Width * g.Size.Height})
			m.Diagram.Groups = append(m.Diagram.Groups, g)
		case tdCurve:
			// A curve is a line across the diagram: it becomes a boundary
			// with the curve's bounding box that contains nothing (its
			// position does not say which side an element is on).
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
			g := model.Group{ID: idgen.Take(prefixOf(c.diagram) + string(c.ID)), Kind: model.KindBoundary, Name: name(c),
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
			idMap[key(c.diagram, string(c.ID))] = g.ID
			cellOf[g.ID] = string(c.ID)
			m.Diagram.Groups = append(m.Diagram.Groups, g)
			w.Add("trust boundary curves are imported as boundaries around the curve's extent; Bulwark boundaries are boxes, so which elements a curve separates is not carried over")
		case tdActor, tdProcess, tdStore:
			if c.Position == nil {
				w.Add("%s: %s %q has no position; it is placed at the origin", c.at, c.kind, string(c.ID))
				c.Position = &tdInPoint{}
			}
			id := idgen.Take(prefixOf(c.diagram) + string(c.ID))
			idMap[key(c.diagram, string(c.ID))] = id
			cellOf[id] = string(c.ID)
			comp := model.Component{ID: id, Name: name(c), Position: model.Point{X: float64(c.Position.X), Y: float64(c.Position.Y)}}
			if c.Size != nil {
				comp.Size = &model.Size{Width: float64(c.Size.Width), Height: float64(c.Size.Height)}
			}
			if bw != nil && bw.Type != "" {
				comp.Type, comp.Properties, comp.Resource = bw.Type, bw.Properties, bw.Resource
				explicit[id] = true
				parents[id] = bw.Parent
				if bw.Kind == "component-unsized" {
					comp.Size = nil
				}
			} else {
				comp.Type = map[string]string{tdActor: "generic.browser", tdProcess: "generic.web-server", tdStore: "generic.database"}[c.kind]
				comp.Properties = model.Properties{convert.SourceTypeProperty: convert.RawJSON(convert.OrDefault(string(c.data.Type), "tm."+c.kind))}
				w.Add("Threat Dragon %s cells have no Bulwark catalog type; they are imported as %s (the source type is kept in property %q)", c.kind, comp.Type, convert.SourceTypeProperty)
			}
			if d := strings.TrimSpace(string(c.data.Description)); d != "" && (bw == nil || bw.Type == "") {
				comp.Properties["description"] = convert.RawJSON(convert.Clip(d, tdMaxPropertyText))
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
			m.Diagram.Components = append(m.Diagram.Components, comp)
		case tdFlow:
		default:
			w.Add("%s: cell %q of shape %q (type %q) is not a Threat Dragon element this importer knows; it is not imported", c.at, string(c.ID), string(c.Shape), string(c.data.Type))
		}
	}
	if len(notes) > 0 {
		desc = strings.TrimSpace(desc + "\n\nText on the diagram:\n" + strings.Join(notes, "\n\n"))
	}
	m.Description, _ = convert.FitText(desc, model.MaxDescLen)
	// Containment: the Bulwark extension's parent, else the smallest
	// boundary box that holds the element's centre.
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
	for id, cell := range cellOf {
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
	for i := range m.Diagram.Groups {
		g := &m.Diagram.Groups[i]
		switch {
		case explicit[g.ID]:
			g.Parent = parentID(g.ID, parents[g.ID])
		case isBox[g.ID]:
			g.Parent = enclosing(g.ID, g.Position, &g.Size)
		}
	}
	for i := range m.Diagram.Components {
		c := &m.Diagram.Components[i]
		if explicit[c.ID] {
			c.Parent = parentID(c.ID, parents[c.ID])
		} else {
			c.Parent = enclosing(c.ID, c.Position, c.Size)
		}
	}
	convert.Relativize(&m.Diagram)
	endpoint := map[string]bool{}
	for _, c := range m.Diagram.Components {
		endpoint[c.ID] = true
	}
	for _, g := range m.Diagram.Groups {
		if g.Kind == model.KindContainer {
			endpoint[g.ID] = true
		}
	}
	for _, c := range cells {
		if c.kind != tdFlow {
			continue
		}
		src, dst := idMap[key(c.diagram, c.Source.cell())], idMap[key(c.diagram, c.Target.cell())]
		if !endpoint[src] || !endpoint[dst] {
			w.Add("%s: flow %q (%s) is not connected to an element at both ends; it is not imported", c.at, string(c.ID), convert.OrDefault(c.name, "no name"))
			continue
		}
		fl := model.Flow{ID: idgen.Take(prefixOf(c.diagram) + string(c.ID)), Source: src, Target: dst}
		idMap[key(c.diagram, string(c.ID))] = fl.ID
		cellOf[fl.ID] = string(c.ID)
		if bw := c.data.Bulwark; bw != nil && bw.Protocol != "" {
			fl.Protocol, fl.Port, fl.Label, fl.Properties = bw.Protocol, bw.Port, bw.Label, bw.Properties
		} else {
			label, cut := convert.FitText(c.name, model.MaxNameLen)
			if cut {
				w.Add("%s: the label of flow %q is longer than %d characters or holds control characters; it is shortened", c.at, string(c.ID), model.MaxNameLen)
			}
			fl.Label = label
			proto := strings.TrimSpace(string(c.data.Protocol))
			if p := cat.Protocol(proto); p != nil {
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
					w.Add("flow %q: protocol %q is not in the catalog; %s assumed from isEncrypted (the source protocol is kept in property sourceProtocol)", string(c.ID), proto, fl.Protocol)
				}
			}
			if c.data.IsPublicNetwork {
				if fl.Properties == nil {
					fl.Properties = model.Properties{}
				}
				fl.Properties["publicNetwork"] = convert.RawJSON(true)
			}
			if d := strings.TrimSpace(string(c.data.Description)); d != "" {
				if fl.Properties == nil {
					fl.Properties = model.Properties{}
				}
				fl.Properties["description"] = convert.RawJSON(convert.Clip(d, tdMaxPropertyText))
			}
			if c.data.IsBidirectional {
				if fl.Properties == nil {
					fl.Properties = model.Properties{}
				}
				fl.Properties["bidirectional"] = convert.RawJSON(true)
				w.Add("flow %q is bidirectional; Bulwark analyses it in its source → target direction only", string(c.ID))
			}
		}
		m.Diagram.Flows = append(m.Diagram.Flows, fl)
	}
	// Threats.
	number := 0
	for _, c := range cells {
		el, ok := idMap[key(c.diagram, string(c.ID))]
		if !ok {
			if len(c.data.Threats) > 0 {
				w.Add("%s: the %d threats of cell %q are not imported with it", c.at, len(c.data.Threats), string(c.ID))
			}
			continue
		}
		for ti, t := range c.data.Threats {
			number++
			at := fmt.Sprintf("%s (cell %q), threat %d", c.at, string(c.ID), ti)
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
			if found && cat.Threat(rule) != nil && strings.HasSuffix(tid, "@"+cellOf[el]) {
				threatStates[rule+"@"+el] = convert.SourceState{Status: status, Notes: notes}
				for _, r := range tdReqLine.FindAllStringSubmatch(mitigation, -1) {
					if cat.Requirement(r[2]) != nil {
						reqStates[r[2]+"@"+el] = convert.SourceState{Status: r[1]}
					}
				}
				continue
			}
			if tid == "" {
				tid = fmt.Sprintf("td-threat-%d", number)
			}
			ct := convert.Custom{Kind: convert.CustomThreat, ID: customIDs.Take(tid), Severity: strings.TrimSpace(string(t.Severity)), Status: status, Elements: []string{el}, Source: ThreatDragon}
			titleText := convert.OrDefault(strings.TrimSpace(string(t.Title)), firstLine(string(t.Description)))
			ct.Title, cut = convert.FitText(convert.OrDefault(titleText, tid), 2*model.MaxNameLen)
			ct.Description, _ = convert.FitText(string(t.Description), model.MaxDescLen)
			if cut {
				w.Add("%s: the title is longer than %d characters; it is shortened and kept whole in the description", at, 2*model.MaxNameLen)
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
				mid := customIDs.Take(ct.ID + "-mitigation")
				md, _ := convert.FitText(mitigation, model.MaxDescLen)
				mt, _ := convert.FitText(firstLine(mitigation), 2*model.MaxNameLen)
				custom = append(custom, convert.Custom{Kind: convert.CustomMitigation, ID: mid, Title: mt, Description: md, Status: mst, Elements: []string{el}, Links: []string{ct.ID}, Source: ThreatDragon})
				ct.Links = []string{mid}
			}
			custom = append(custom, ct)
		}
	}
	convert.LinkBoth(custom)
	convert.SetCustom(m, custom)
	convert.ApplyStates(m, cat, reqStates, threatStates, &w)
	return &Imported{Model: m, Warnings: w.List()}, nil
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
