package report

import (
	"cmp"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// Component and group sizes the editor uses before it has measured a node
// (web/src/editor/types.ts), so a report draws what the editor shows.
const (
	componentW, componentH = 96.0, 84.0
	groupMinW, groupMinH   = 200.0, 140.0
	diagramPad             = 20.0
	groupTitleH            = 22.0
)

// DiagramView is a model's diagram laid out for a report from the stored
// positions: every element in absolute canvas units, the top-left corner
// of the drawing at (0, 0).
type DiagramView struct {
	Width, Height float64
	// Groups are drawn first, outermost first, so inner ones stay visible.
	Groups     []DiagramBox
	Components []DiagramBox
	Flows      []DiagramFlow
}

// DiagramBox is a component or group at its absolute place.
type DiagramBox struct {
	ID   string
	Name string
	// TypeName is the catalog's name of the element's type ("" if none).
	TypeName string
	// Kind is the group kind, or "component".
	Kind       string
	X, Y, W, H float64
	Depth      int
}

// DiagramFlow is a flow drawn from the right edge of its source to the
// left edge of its target, as the editor's handles are.
type DiagramFlow struct {
	X1, Y1, X2, Y2 float64
	Label          string
}

// buildDiagram lays out m's diagram; nil when it has no elements.
func buildDiagram(m *model.ThreatModel, cat *catalog.Catalog) *DiagramView {
	d := &m.Diagram
	if len(d.Components) == 0 && len(d.Groups) == 0 {
		return nil
	}
	groups := make(map[string]*model.Group, len(d.Groups))
	for i := range d.Groups {
		groups[d.Groups[i].ID] = &d.Groups[i]
	}
	// origin adds up a parent chain's positions; depth counts its groups.
	origin := func(parent string) (x, y float64, depth int) {
		for g := groups[parent]; g != nil && depth < 100; g = groups[g.Parent] {
			x, y, depth = x+g.Position.X, y+g.Position.Y, depth+1
		}
		return
	}
	typeName := func(id string) string {
		if t := cat.Type(id); t != nil {
			return t.Name
		}
		return id
	}
	v := &DiagramView{}
	boxes := map[string]DiagramBox{}
	for _, g := range d.Groups {
		x, y, depth := origin(g.Parent)
		b := DiagramBox{ID: g.ID, Name: g.Name, Kind: string(g.Kind), X: x + g.Position.X, Y: y + g.Position.Y,
			W: cmp.Or(g.Size.Width, groupMinW), H: cmp.Or(g.Size.Height, groupMinH), Depth: depth}
		if g.Type != "" {
			b.TypeName = typeName(g.Type)
		}
		v.Groups = append(v.Groups, b)
		boxes[g.ID] = b
	}
	slices.SortStableFunc(v.Groups, func(a, b DiagramBox) int { return cmp.Compare(a.Depth, b.Depth) })
	for _, c := range d.Components {
		x, y, depth := origin(c.Parent)
		b := DiagramBox{ID: c.ID, Name: c.Name, TypeName: typeName(c.Type), Kind: "component",
			X: x + c.Position.X, Y: y + c.Position.Y, W: componentW, H: componentH, Depth: depth}
		if c.Size != nil && c.Size.Width > 0 && c.Size.Height > 0 {
			b.W, b.H = c.Size.Width, c.Size.Height
		}
		v.Components = append(v.Components, b)
		boxes[c.ID] = b
	}
	for _, f := range d.Flows {
		s, ok1 := boxes[f.Source]
		t, ok2 := boxes[f.Target]
		if !ok1 || !ok2 {
			continue
		}
		label := f.Label
		if label == "" {
			label = f.Protocol
			if f.Port > 0 {
				label += ":" + strconv.Itoa(f.Port)
			}
		}
		v.Flows = append(v.Flows, DiagramFlow{X1: s.X + s.W, Y1: s.Y + s.H/2, X2: t.X, Y2: t.Y + t.H/2, Label: label})
	}
	// Move the drawing so that its top-left corner is at (0, 0).
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, b := range append(slices.Clone(v.Groups), v.Components...) {
		minX, minY = min(minX, b.X), min(minY, b.Y)
		maxX, maxY = max(maxX, b.X+b.W), max(maxY, b.Y+b.H)
	}
	for i := range v.Groups {
		v.Groups[i].X -= minX
		v.Groups[i].Y -= minY
	}
	for i := range v.Components {
		v.Components[i].X -= minX
		v.Components[i].Y -= minY
	}
	for i := range v.Flows {
		f := &v.Flows[i]
		f.X1, f.Y1, f.X2, f.Y2 = f.X1-minX, f.Y1-minY, f.X2-minX, f.Y2-minY
	}
	v.Width, v.Height = maxX-minX, maxY-minY
	return v
}

// groupStyle is the stroke, fill and dash of a group kind, as in the editor.
func groupStyle(kind string) (stroke, fill, dash string) {
	switch kind {
	case string(model.KindBoundary):
		return "#cf222e", "none", "8 4"
	case string(model.KindContainer):
		return "#8c959f", "#f6f8fa", ""
	}
	return "#8c959f", "none", "4 3"
}

// wrapText breaks s into lines of at most width units, measuring with
// measure; a word longer than a line is split only as a last resort.
func wrapText(s string, width float64, measure func(string) float64) []string {
	var lines []string
	cur := ""
	for _, w := range strings.Fields(s) {
		try := strings.TrimSpace(cur + " " + w)
		if measure(try) <= width || cur == "" && measure(w) <= width {
			cur = try
			continue
		}
		if cur != "" {
			lines = append(lines, cur)
		}
		for measure(w) > width && len([]rune(w)) > 1 {
			r := []rune(w)
			n := len(r) - 1
			for n > 1 && measure(string(r[:n])) > width {
				n--
			}
			lines = append(lines, string(r[:n]))
			w = string(r[n:])
		}
		cur = w
	}
	if cur != "" || len(lines) == 0 {
		lines = append(lines, cur)
	}
	return lines
}

// svgTextWidth estimates the width of s in a sans-serif font of size px:
// Helvetica's average advance is a little over half the size.
func svgTextWidth(size float64) func(string) float64 {
	return func(s string) float64 { return float64(len([]rune(s))) * size * 0.56 }
}

// esc escapes text for SVG content and attribute values.
func esc(s string) string { return template.HTMLEscapeString(s) }

func num(f float64) string { return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64) }

// SVG draws the diagram as plain SVG shapes and text: groups as titled
// rectangles, components as boxes with their name and type, flows as
// arrows with their protocol. Every model string is escaped, so the result
// is safe to put into an HTML page.
func (v *DiagramView) SVG() template.HTML {
	var b strings.Builder
	w, h := v.Width+2*diagramPad, v.Height+2*diagramPad
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s" width="100%%" style="max-height:900px" role="img" aria-label="Diagram" font-family="Helvetica, Arial, sans-serif">`, num(w), num(h))
	fmt.Fprintf(&b, `<g transform="translate(%s %s)">`, num(diagramPad), num(diagramPad))
	for _, g := range v.Groups {
		stroke, fill, dash := groupStyle(g.Kind)
		fmt.Fprintf(&b, `<g class="group"><title>%s</title><rect x="%s" y="%s" width="%s" height="%s" rx="6" fill="%s" stroke="%s" stroke-width="1.5"`,
			esc(g.Name), num(g.X), num(g.Y), num(g.W), num(g.H), fill, stroke)
		if dash != "" {
			fmt.Fprintf(&b, ` stroke-dasharray="%s"`, dash)
		}
		title := g.Name
		if g.TypeName != "" && g.TypeName != g.Name {
			title += " · " + g.TypeName
		}
		lines := wrapText(title, g.W-12, svgTextWidth(12))
		fmt.Fprintf(&b, `/><text x="%s" y="%s" font-size="12" font-weight="600" fill="#1b1f24">%s</text></g>`, num(g.X+6), num(g.Y+15), esc(lines[0]))
	}
	for _, f := range v.Flows {
		fmt.Fprintf(&b, `<g class="flow"><path d="M%s %sL%s %s" fill="none" stroke="#57606a" stroke-width="1.3"/>`,
			num(f.X1), num(f.Y1), num(f.X2), num(f.Y2))
		// The arrowhead is a plain triangle (no marker), so editors keep it.
		if l := math.Hypot(f.X2-f.X1, f.Y2-f.Y1); l > 1 {
			ux, uy, a := (f.X2-f.X1)/l, (f.Y2-f.Y1)/l, 8.0
			fmt.Fprintf(&b, `<path d="M%s %sL%s %sL%s %sz" fill="#57606a"/>`, num(f.X2), num(f.Y2),
				num(f.X2-a*ux-a*0.45*uy), num(f.Y2-a*uy+a*0.45*ux), num(f.X2-a*ux+a*0.45*uy), num(f.Y2-a*uy-a*0.45*ux))
		}
		if f.Label != "" {
			fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="10" text-anchor="middle" fill="#0969da">%s</text>`,
				num((f.X1+f.X2)/2), num((f.Y1+f.Y2)/2-4), esc(f.Label))
		}
		b.WriteString(`</g>`)
	}
	for _, c := range v.Components {
		fmt.Fprintf(&b, `<g class="component"><title>%s (%s)</title><rect x="%s" y="%s" width="%s" height="%s" rx="6" fill="#ffffff" stroke="#1b1f24" stroke-width="1.2"/>`,
			esc(c.Name), esc(c.TypeName), num(c.X), num(c.Y), num(c.W), num(c.H))
		lines := wrapText(c.Name, c.W-8, svgTextWidth(11))
		// The type name shrinks to fit on one line rather than lose words.
		typeSize := min(9, (c.W-6)/max(1, svgTextWidth(1)(c.TypeName)))
		y := c.Y + c.H/2 - float64(len(lines)-1)*6.5
		b.WriteString(`<text font-size="11" text-anchor="middle" fill="#1b1f24">`)
		for i, l := range lines {
			fmt.Fprintf(&b, `<tspan x="%s" y="%s">%s</tspan>`, num(c.X+c.W/2), num(y+float64(i)*13), esc(l))
		}
		fmt.Fprintf(&b, `</text><text x="%s" y="%s" font-size="%s" text-anchor="middle" fill="#57606a">%s</text></g>`,
			num(c.X+c.W/2), num(c.Y+c.H-7), num(typeSize), esc(c.TypeName))
	}
	b.WriteString(`</g></svg>`)
	return template.HTML(b.String()) // every model string above went through esc
}
