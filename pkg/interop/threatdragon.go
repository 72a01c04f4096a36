package interop

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
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
	var w warnings
	d, err := prepare(m, cat, &w, "Threat Dragon")
	if err != nil {
		return nil, err
	}
	abs := absolute(&m.Diagram)
	number := 0
	lossy := 0
	threatsOf := func(element string) ([]tdThreat, bool) {
		var out []tdThreat
		open := false
		for _, t := range d.threatsOf[element] {
			number++
			st, lost := tdStatus(t.Status)
			var text strings.Builder
			for _, rid := range t.Requirements {
				r := d.reqs[rid]
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
		for _, c := range d.custom {
			if c.Kind != CustomThreat || !contains(c.Elements, element) {
				continue
			}
			number++
			st, lost := tdStatus(c.Status)
			if lost {
				lossy++
			}
			var text []string
			for _, mc := range d.custom {
				if mc.Kind == CustomMitigation && contains(c.Links, mc.ID) {
					text = append(text, orDefault(mc.Description, mc.Title))
				}
			}
			stride := ""
			if len(c.STRIDE) > 0 {
				stride = tdStride[c.STRIDE[0]]
			}
			out = append(out, tdThreat{ID: c.ID, Title: c.Title, Status: st, Severity: tdSeverity(orDefault(c.Severity, "Medium")), Type: stride,
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
		name := orDefault(f.Label, f.Protocol)
		cells = append(cells, tdCell{ID: f.ID, Shape: "flow", ZIndex: z, Source: &tdEnd{Cell: f.Source}, Target: &tdEnd{Cell: f.Target}, Labels: []string{name},
			Data: tdData{Type: "tm.Flow", Name: name, Protocol: f.Protocol, IsEncrypted: proto != nil && proto.Encrypted, HasOpenThreats: open, Threats: th,
				Bulwark: &tdBulwark{Protocol: f.Protocol, Port: f.Port, Label: f.Label, Properties: f.Properties}}})
	}
	if lossy > 0 {
		w.add("%d threat statuses (In Progress, Risk Accepted) have no Threat Dragon equivalent: the nearest status is written and the exact one is kept in the mitigation text", lossy)
	}
	if len(d.reqs) > 0 {
		w.add("Threat Dragon has no requirements: the %d requirement statuses are written into each threat's mitigation text", len(d.reqs))
	}
	for _, c := range d.custom {
		if len(c.Elements) == 0 {
			w.add("custom %s %q is attached to no element; Threat Dragon keeps threats only on diagram elements, so it is not exported", c.Kind, c.ID)
		}
	}
	doc := tdDoc{
		Version: ThreatDragonVersion,
		Summary: tdSummary{Title: m.Name, Owner: m.Owner, Description: m.Description},
		Detail: tdDetail{Contributors: []tdContributor{}, DiagramTop: 1, ThreatTop: number,
			Diagrams: []tdDiagram{{ID: 0, Title: m.Name, DiagramType: "STRIDE", Placeholder: "", Thumbnail: "./public/content/images/thumbnail.stride.jpg", Version: ThreatDragonVersion, Cells: cells}}},
	}
	if lost := len(m.Labels) + len(m.Properties); lost > 0 || m.Version != "" {
		w.add("Threat Dragon has no model labels, version, priority, exposure or properties; they are not exported")
	}
	return &Exported{Data: jsonOut(doc), MediaType: "application/json", Extension: ".threatdragon.json", Warnings: w.list}, nil
}

func importThreatDragon(files []File, cat *catalog.Catalog) (*Imported, error) {
	if len(files) != 1 {
		return nil, errs.E(errs.Invalid, "Threat Dragon import reads one document, got %d files", len(files))
	}
	f := files[0]
	var doc tdDoc
	if err := decodeJSON(f.Name, f.Data, &doc); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(doc.Version, "2.") || doc.Detail.Diagrams == nil {
		return nil, &errs.Error{Kind: errs.Invalid, Field: "/version", Message: fmt.Sprintf("%s is not a Threat Dragon v2 document (version %q, want 2.x with detail.diagrams)", f.Name, doc.Version)}
	}
	var w warnings
	m := &model.ThreatModel{Name: orDefault(doc.Summary.Title, "Imported Threat Dragon model"), Owner: doc.Summary.Owner, Description: doc.Summary.Description}
	var idgen ids
	idMap := map[string]string{}
	threatStates, reqStates := map[string]imported{}, map[string]imported{}
	var custom []Custom
	type box struct {
		id   string
		p    model.Point
		s    model.Size
		area float64
	}
	var boxes []box
	explicit := map[string]bool{} // elements whose parent the Bulwark extension names
	parents := map[string]string{}
	multi := len(doc.Detail.Diagrams) > 1
	for di, dg := range doc.Detail.Diagrams {
		prefix := ""
		if multi {
			prefix = fmt.Sprintf("d%d-", di+1)
		}
		// Nodes first, so flows can name their ends.
		for ci, c := range dg.Cells {
			at := fmt.Sprintf("/detail/diagrams/%d/cells/%d", di, ci)
			if c.ID == "" {
				return nil, &errs.Error{Kind: errs.Invalid, Field: at + "/id", Message: "is required"}
			}
			if c.Shape == "flow" {
				continue
			}
			if c.Position == nil && c.Shape != "trust-boundary-curve" {
				return nil, &errs.Error{Kind: errs.Invalid, Field: at + "/position", Message: fmt.Sprintf("a %s cell needs a position", c.Shape)}
			}
			bw := c.Data.Bulwark
			switch c.Shape {
			case "trust-boundary-box":
				id := idgen.take(prefix + c.ID)
				idMap[c.ID] = id
				g := model.Group{ID: id, Kind: model.KindBoundary, Name: c.Data.Name, Position: *c.Position}
				if c.Size != nil {
					g.Size = *c.Size
				}
				if bw != nil {
					g.Kind, g.Type, g.Properties, g.Resource = model.GroupKind(bw.Kind), bw.Type, bw.Properties, bw.Resource
					explicit[id] = true
					parents[id] = bw.Parent
				}
				boxes = append(boxes, box{id: id, p: g.Position, s: g.Size, area: g.Size.Width * g.Size.Height})
				m.Diagram.Groups = append(m.Diagram.Groups, g)
			case "actor", "process", "store":
				id := idgen.take(prefix + c.ID)
				idMap[c.ID] = id
				comp := model.Component{ID: id, Name: c.Data.Name, Position: *c.Position, Size: c.Size}
				if bw != nil && bw.Type != "" {
					comp.Type, comp.Properties, comp.Resource = bw.Type, bw.Properties, bw.Resource
					explicit[id] = true
					parents[id] = bw.Parent
					if bw.Kind == "component-unsized" {
						comp.Size = nil
					}
				} else {
					comp.Type = map[string]string{"actor": "generic.browser", "process": "generic.web-server", "store": "generic.database"}[c.Shape]
					comp.Properties = model.Properties{SourceTypeProperty: rawJSON(c.Data.Type)}
					w.add("%s cells have no Bulwark catalog type; they are imported as %s (the source type is kept in property %q)", c.Shape, comp.Type, SourceTypeProperty)
				}
				if c.Data.OutOfScope {
					if comp.Properties == nil {
						comp.Properties = model.Properties{}
					}
					comp.Properties["outOfScope"] = rawJSON(true)
					if c.Data.ReasonOutOfScope != "" {
						comp.Properties["reasonOutOfScope"] = rawJSON(c.Data.ReasonOutOfScope)
					}
				}
				m.Diagram.Components = append(m.Diagram.Components, comp)
			default:
				w.add("%s cell %q is not imported: Bulwark diagrams have no %s", c.Shape, c.ID, strings.TrimPrefix(tdTypes[c.Shape], "tm."))
			}
		}
	}
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
	for i := range m.Diagram.Groups {
		g := &m.Diagram.Groups[i]
		if explicit[g.ID] {
			g.Parent = idMap[parents[g.ID]]
		} else {
			g.Parent = enclosing(g.ID, g.Position, &g.Size)
		}
	}
	for i := range m.Diagram.Components {
		c := &m.Diagram.Components[i]
		if explicit[c.ID] {
			c.Parent = idMap[parents[c.ID]]
		} else {
			c.Parent = enclosing(c.ID, c.Position, c.Size)
		}
	}
	relativize(&m.Diagram)
	endpoint := map[string]bool{}
	for _, c := range m.Diagram.Components {
		endpoint[c.ID] = true
	}
	for _, g := range m.Diagram.Groups {
		if g.Kind == model.KindContainer {
			endpoint[g.ID] = true
		}
	}
	for di, dg := range doc.Detail.Diagrams {
		for _, c := range dg.Cells {
			if c.Shape != "flow" {
				continue
			}
			if c.Source == nil || c.Target == nil || !endpoint[idMap[c.Source.Cell]] || !endpoint[idMap[c.Target.Cell]] {
				w.add("flow %q in diagram %d is not connected to two elements at both ends; it is not imported", c.ID, di)
				continue
			}
			prefix := ""
			if multi {
				prefix = fmt.Sprintf("d%d-", di+1)
			}
			fl := model.Flow{ID: idgen.take(prefix + c.ID), Source: idMap[c.Source.Cell], Target: idMap[c.Target.Cell]}
			idMap[c.ID] = fl.ID
			if bw := c.Data.Bulwark; bw != nil && bw.Protocol != "" {
				fl.Protocol, fl.Port, fl.Label, fl.Properties = bw.Protocol, bw.Port, bw.Label, bw.Properties
			} else {
				fl.Label = c.Data.Name
				if p := cat.Protocol(c.Data.Protocol); p != nil {
					fl.Protocol = p.ID
					if p.Encrypted != c.Data.IsEncrypted {
						fl.Properties = model.Properties{"encrypted": rawJSON(c.Data.IsEncrypted)}
					}
				} else {
					fl.Protocol = "TCP"
					if c.Data.IsEncrypted {
						fl.Protocol = "TLS"
					}
					if c.Data.Protocol != "" {
						fl.Properties = model.Properties{"sourceProtocol": rawJSON(c.Data.Protocol)}
					}
					w.add("flow %q: protocol %q is not in the catalog; %s assumed from isEncrypted", c.ID, c.Data.Protocol, fl.Protocol)
				}
				if c.Data.IsBidirectional {
					if fl.Properties == nil {
						fl.Properties = model.Properties{}
					}
					fl.Properties["bidirectional"] = rawJSON(true)
					w.add("flow %q is bidirectional; Bulwark analyses it in its source → target direction only", c.ID)
				}
			}
			m.Diagram.Flows = append(m.Diagram.Flows, fl)
		}
	}
	// Threats.
	for _, dg := range doc.Detail.Diagrams {
		for _, c := range dg.Cells {
			el, ok := idMap[c.ID]
			if !ok {
				if len(c.Data.Threats) > 0 {
					w.add("the %d threats of cell %q are not imported with it", len(c.Data.Threats), c.ID)
				}
				continue
			}
			for _, t := range c.Data.Threats {
				status := fromTDStatus(t.Status)
				notes := ""
				if text := "\n" + t.Mitigation; strings.Contains(text, tdNotesMark) {
					notes = text[strings.Index(text, tdNotesMark)+len(tdNotesMark):]
				}
				if s := tdStatusLine.FindStringSubmatch(t.Mitigation); s != nil {
					status = s[1]
				}
				rule, _, found := strings.Cut(t.ID, "@")
				if found && cat.Threat(rule) != nil && strings.HasSuffix(t.ID, "@"+c.ID) {
					threatStates[rule+"@"+el] = imported{status: status, notes: notes}
					for _, r := range tdReqLine.FindAllStringSubmatch(t.Mitigation, -1) {
						if cat.Requirement(r[2]) != nil {
							reqStates[r[2]+"@"+el] = imported{status: r[1]}
						}
					}
					continue
				}
				ct := Custom{Kind: CustomThreat, ID: t.ID, Title: orDefault(t.Title, t.ID), Description: t.Description, Severity: t.Severity, Status: status, Elements: []string{el}, Source: ThreatDragon}
				if ct.ID == "" {
					ct.ID = fmt.Sprintf("threat-%d@%s", t.Number, el)
				}
				if s, ok := strideFromAny(t.Type); ok {
					ct.STRIDE = []string{s}
				}
				if strings.TrimSpace(t.Mitigation) != "" {
					mst := analysis.Open
					if status == analysis.Mitigated {
						mst = analysis.Implemented
					}
					mid := ct.ID + "-mitigation"
					custom = appendCustom(custom, Custom{Kind: CustomMitigation, ID: mid, Title: firstLine(t.Mitigation), Description: t.Mitigation, Status: mst, Elements: []string{el}, Links: []string{ct.ID}, Source: ThreatDragon})
					ct.Links = []string{mid}
				}
				custom = appendCustom(custom, ct)
			}
		}
	}
	linkBoth(custom)
	setCustom(m, custom)
	applyStates(m, cat, reqStates, threatStates, &w)
	return &Imported{Model: m, Warnings: w.list}, nil
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
