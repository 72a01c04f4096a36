package report

import (
	"math"
	"strings"

	"github.com/go-pdf/fpdf"
)

// Limits of the PDF diagram: at most this tall (mm), at most this many mm
// per canvas unit, and the smallest font (pt) a name may shrink to before
// it wraps onto more lines.
const (
	pdfDiagramMaxH  = 150.0
	pdfDiagramScale = 0.3
	pdfMinFont      = 4.0
)

// diagram draws v with boxes, lines and text, scaled to the page width.
func (d *pdfDoc) diagram(v *DiagramView) {
	f := d.f
	d.h2("Diagram")
	avail := d.width()
	s := min(avail/(v.Width+2*diagramPad), pdfDiagramMaxH/(v.Height+2*diagramPad), pdfDiagramScale)
	_, pageH := f.GetPageSize()
	if f.GetY()+(v.Height+2*diagramPad)*s > pageH-pdfMargin-6 {
		f.AddPage()
		d.h3("Diagram")
	}
	x0 := pdfMargin + (avail-(v.Width+2*diagramPad)*s)/2 + diagramPad*s
	y0 := f.GetY() + diagramPad*s
	X := func(x float64) float64 { return x0 + x*s }
	Y := func(y float64) float64 { return y0 + y*s }

	f.SetLineWidth(0.25)
	for _, g := range v.Groups {
		stroke, fill, dash := groupStyle(g.Kind)
		r, gg, b := hexColor(stroke)
		f.SetDrawColor(r, gg, b)
		style := "D"
		if fill != "none" {
			r, gg, b := hexColor(fill)
			f.SetFillColor(r, gg, b)
			style = "FD"
		}
		if dash != "" {
			f.SetDashPattern([]float64{1.2, 0.8}, 0)
		}
		f.RoundedRect(X(g.X), Y(g.Y), g.W*s, g.H*s, 1, "1234", style)
		f.SetDashPattern(nil, 0)
		title := g.Name
		if g.TypeName != "" && g.TypeName != g.Name {
			title += " · " + g.TypeName
		}
		f.SetTextColor(27, 31, 36)
		d.fitText(title, X(g.X)+1, Y(g.Y)+0.6, g.W*s-2, 6.5, "B", false, 1)
	}
	f.SetDrawColor(87, 96, 106)
	f.SetFillColor(87, 96, 106)
	for _, fl := range v.Flows {
		x1, y1, x2, y2 := X(fl.X1), Y(fl.Y1), X(fl.X2), Y(fl.Y2)
		f.Line(x1, y1, x2, y2)
		if l := math.Hypot(x2-x1, y2-y1); l > 0.5 {
			ux, uy, a := (x2-x1)/l, (y2-y1)/l, 1.4
			f.Polygon([]fpdf.PointType{{X: x2, Y: y2},
				{X: x2 - a*ux - a*0.5*uy, Y: y2 - a*uy + a*0.5*ux},
				{X: x2 - a*ux + a*0.5*uy, Y: y2 - a*uy - a*0.5*ux}}, "F")
		}
		if fl.Label != "" {
			f.SetFont("Helvetica", "", 4.5)
			f.SetTextColor(9, 105, 218)
			w := f.GetStringWidth(d.tr(fl.Label))
			f.Text((x1+x2)/2-w/2, (y1+y2)/2-0.6, d.tr(fl.Label))
		}
	}
	f.SetDrawColor(27, 31, 36)
	f.SetFillColor(255, 255, 255)
	for _, c := range v.Components {
		f.RoundedRect(X(c.X), Y(c.Y), c.W*s, c.H*s, 1, "1234", "FD")
		f.SetTextColor(27, 31, 36)
		// The name in the upper part of the box, the type under it.
		d.fitText(c.Name, X(c.X)+0.5, Y(c.Y)+c.H*s*0.1, c.W*s-1, 6.5, "", true, 2)
		f.SetTextColor(87, 96, 106)
		d.fitText(c.TypeName, X(c.X)+0.5, Y(c.Y)+c.H*s*0.64, c.W*s-1, 5, "", true, 2)
	}
	f.SetTextColor(0, 0, 0)
	f.SetDrawColor(0, 0, 0)
	f.SetLineWidth(0.2)
	f.SetXY(pdfMargin, y0+(v.Height+diagramPad)*s+2)
}

// fitText writes s in a box width mm wide from (x, y): at size pt, shrunk
// down to pdfMinFont until it fits on at most lines lines, then wrapped at
// words (split inside a word only when the word alone is wider than the
// box). Nothing is cut off.
func (d *pdfDoc) fitText(s string, x, y, width, size float64, style string, center bool, lines int) {
	f := d.f
	if strings.TrimSpace(s) == "" || width <= 0 {
		return
	}
	t := d.tr(s)
	measure := func(s string) float64 { return f.GetStringWidth(s) }
	var ls []string
	for ; ; size -= 0.5 {
		f.SetFont("Helvetica", style, size)
		ls = wrapText(t, width, measure)
		if len(ls) <= lines && !splitsWord(t, ls) || size-0.5 < pdfMinFont {
			break
		}
	}
	lh := size * 0.3528 * 1.15
	for i, l := range ls {
		lx := x
		if center {
			lx = x + (width-f.GetStringWidth(l))/2
		}
		f.Text(lx, y+lh*float64(i+1)-lh*0.25, l)
	}
}

// splitsWord reports whether wrapping broke a word of s across lines.
func splitsWord(s string, lines []string) bool {
	return len(strings.Fields(s)) != len(strings.Fields(strings.Join(lines, " ")))
}

// hexColor reads a #rrggbb color.
func hexColor(s string) (int, int, int) {
	var v [3]int
	for i := range v {
		if len(s) >= 7 {
			v[i] = hexByte(s[1+2*i])<<4 | hexByte(s[2+2*i])
		}
	}
	return v[0], v[1], v[2]
}

func hexByte(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	}
	return 0
}
