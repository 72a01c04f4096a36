package convert

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/model"
)

// GenericType is the component type given to source elements that have no
// catalog mapping. The source's own type is kept in the property named
// SourceTypeProperty.
const (
	GenericType        = "generic.component"
	SourceTypeProperty = "sourceType"
)

var badIDChars = regexp.MustCompile(`[^A-Za-z0-9._:@/-]+`)

// IDs hands out element ids that are valid model ids and unique in one
// diagram.
type IDs struct{ used map[string]bool }

// Take returns want made valid (allowed characters, starting with a letter
// or digit, at most model.MaxIDLen long) and unique.
func (s *IDs) Take(want string) string {
	if s.used == nil {
		s.used = map[string]bool{}
	}
	id := badIDChars.ReplaceAllString(want, "-")
	id = strings.TrimLeft(id, "._:@/-")
	if id == "" {
		id = "element"
	}
	if len(id) > model.MaxIDLen-6 {
		id = id[:model.MaxIDLen-6]
	}
	base := id
	for n := 2; s.used[id]; n++ {
		id = fmt.Sprintf("%s-%d", base, n)
	}
	s.used[id] = true
	return id
}

// RawJSON marshals a property value; values that do not marshal become
// their printed form.
func RawJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(fmt.Sprint(v))
	}
	return b
}

// Endpoints returns the ids of the elements of d that a flow may connect:
// components and container groups.
func Endpoints(d *model.Diagram) map[string]bool {
	endpoint := map[string]bool{}
	for _, c := range d.Components {
		endpoint[c.ID] = true
	}
	for _, g := range d.Groups {
		if g.Kind == model.KindContainer {
			endpoint[g.ID] = true
		}
	}
	return endpoint
}

// Absolute returns the canvas positions of every component and group of d:
// model positions are relative to the parent group.
func Absolute(d *model.Diagram) map[string]model.Point {
	rel := map[string]model.Point{}
	parent := map[string]string{}
	for _, g := range d.Groups {
		rel[g.ID], parent[g.ID] = g.Position, g.Parent
	}
	for _, c := range d.Components {
		rel[c.ID], parent[c.ID] = c.Position, c.Parent
	}
	abs := make(map[string]model.Point, len(rel))
	var walk func(id string, depth int) model.Point
	walk = func(id string, depth int) model.Point {
		if p, ok := abs[id]; ok {
			return p
		}
		p := rel[id]
		if par := parent[id]; par != "" && depth <= model.MaxNesting {
			if _, ok := rel[par]; ok {
				pp := walk(par, depth+1)
				p = model.Point{X: p.X + pp.X, Y: p.Y + pp.Y}
			}
		}
		abs[id] = p
		return p
	}
	for id := range rel {
		walk(id, 0)
	}
	return abs
}

// Relativize turns absolute positions (as other tools store them) into
// positions relative to each element's parent.
func Relativize(d *model.Diagram) {
	abs := map[string]model.Point{}
	for _, g := range d.Groups {
		abs[g.ID] = g.Position
	}
	for _, c := range d.Components {
		abs[c.ID] = c.Position
	}
	sub := func(p model.Point, parent string) model.Point {
		if pp, ok := abs[parent]; ok && parent != "" {
			return model.Point{X: p.X - pp.X, Y: p.Y - pp.Y}
		}
		return p
	}
	for i := range d.Groups {
		d.Groups[i].Position = sub(d.Groups[i].Position, d.Groups[i].Parent)
	}
	for i := range d.Components {
		d.Components[i].Position = sub(d.Components[i].Position, d.Components[i].Parent)
	}
}

// Layout constants for diagrams built from sources without positions.
const (
	cellW, cellH = 160.0, 120.0
	pad          = 40.0
	perRow       = 4
)

// Layout places every element of d on a grid inside its parent and sizes
// groups to fit their children. It is for sources without coordinates
// (infrastructure as code).
func Layout(d *model.Diagram) {
	children := map[string][]func(model.Point){}
	sizes := map[string]*model.Size{}
	for i := range d.Groups {
		g := &d.Groups[i]
		children[g.Parent] = append(children[g.Parent], func(p model.Point) { g.Position = p })
		sizes[g.ID] = &g.Size
	}
	kids := map[string][]string{}
	for _, g := range d.Groups {
		kids[g.Parent] = append(kids[g.Parent], g.ID)
	}
	for i := range d.Components {
		c := &d.Components[i]
		children[c.Parent] = append(children[c.Parent], func(p model.Point) { c.Position = p })
	}
	// Size groups bottom-up: a group's cell is as large as its largest
	// child group.
	done := map[string]model.Size{} // each group is sized once, even if ids repeat
	var size func(id string, depth int) model.Size
	size = func(id string, depth int) model.Size {
		if s, ok := done[id]; ok {
			return s
		}
		done[id] = model.Size{Width: cellW, Height: cellH}
		n := len(children[id])
		cw, ch := cellW, cellH
		if depth <= model.MaxNesting {
			for _, k := range kids[id] {
				s := size(k, depth+1)
				cw, ch = max(cw, s.Width+pad), max(ch, s.Height+pad)
			}
		}
		cols := min(n, perRow)
		rows := (n + perRow - 1) / perRow
		s := model.Size{Width: float64(max(cols, 1))*cw + pad, Height: float64(max(rows, 1))*ch + pad}
		if sz := sizes[id]; sz != nil {
			*sz = s
		}
		// Place the children on the grid of this group.
		for i, set := range children[id] {
			set(model.Point{X: pad/2 + float64(i%perRow)*cw, Y: pad + float64(i/perRow)*ch})
		}
		done[id] = s
		return s
	}
	size("", 0)
}

// SetModelProp sets the model property k to v: a string as it is, any
// other value as its JSON.
func SetModelProp(m *model.ThreatModel, k string, v any) {
	if m.Properties == nil {
		m.Properties = map[string]string{}
	}
	if s, ok := v.(string); ok {
		m.Properties[k] = s
		return
	}
	m.Properties[k] = string(RawJSON(v))
}
