package report

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/compliance"
	"github.com/bulwark-tm/bulwark/pkg/demo"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// demoInput is the demo model (what `make run` seeds) with no evidence.
func demoInput(t *testing.T) Input {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	ms, err := demo.Models()
	if err != nil {
		t.Fatal(err)
	}
	m := ms[0]
	res := analysis.Analyze(cat, m, nil)
	return Input{Model: m, Analysis: res, Compliance: compliance.BuildView(m, res, nil, cat.Controls), Catalog: cat,
		GeneratedAt: time.Date(2026, 11, 5, 8, 30, 0, 0, time.UTC)}
}

// svgTexts parses an SVG and returns the content of every <text>, its
// <tspan> lines joined by spaces, and whether it has a <foreignObject>.
func svgTexts(t *testing.T, svg string) (texts []string, foreign bool) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(svg))
	var cur []string
	depth := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("diagram SVG is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			switch tok.Name.Local {
			case "foreignObject":
				foreign = true
			case "text":
				depth, cur = 1, nil
			}
		case xml.CharData:
			if depth > 0 && strings.TrimSpace(string(tok)) != "" {
				cur = append(cur, strings.TrimSpace(string(tok)))
			}
		case xml.EndElement:
			if tok.Name.Local == "text" {
				depth = 0
				texts = append(texts, strings.Join(cur, " "))
			}
		}
	}
	return texts, foreign
}

// TestDiagramInReports checks that the executive, developer and custom
// reports of the demo model draw its diagram, in HTML as SVG text and in
// PDF as text, with every component's and group's name.
func TestDiagramInReports(t *testing.T) {
	in := demoInput(t)
	d := in.Model.Diagram
	for _, k := range []Kind{Executive, Developer, Custom} {
		r := mustBuild(t, k, in)
		var h bytes.Buffer
		if err := Render(&h, r, HTML); err != nil {
			t.Fatal(err)
		}
		html := h.String()
		start, end := strings.Index(html, `<section class="diagram">`), strings.Index(html, `</section>`)
		if start < 0 || end < start {
			t.Fatalf("%s HTML has no diagram section", k)
		}
		section := html[start:end]
		svg := section[strings.Index(section, "<svg") : strings.Index(section, "</svg>")+len("</svg>")]
		texts, foreign := svgTexts(t, svg)
		if foreign {
			t.Errorf("%s diagram uses foreignObject", k)
		}
		for _, c := range d.Components {
			if !containsText(texts, c.Name, true) {
				t.Errorf("%s HTML diagram has no <text> %q; texts: %q", k, c.Name, texts)
			}
		}
		for _, g := range d.Groups {
			if !containsText(texts, g.Name, false) {
				t.Errorf("%s HTML diagram has no title %q", k, g.Name)
			}
		}
		for _, f := range d.Flows {
			if !containsText(texts, f.Protocol, false) {
				t.Errorf("%s HTML diagram has no flow label %q", k, f.Protocol)
			}
		}

		var p bytes.Buffer
		if err := Render(&p, r, PDF); err != nil {
			t.Fatal(err)
		}
		text := pdfText(t, p.Bytes())
		i := strings.Index(text, "\nDiagram\n")
		if i < 0 {
			t.Fatalf("%s PDF has no diagram section", k)
		}
		// The diagram section ends at the report's next heading.
		section = text[i:]
		for _, next := range []string{"\nRisk\n", "\nSections:", "\n" + firstComponentSection(r)} {
			if j := strings.Index(section, next); j > 0 {
				section = section[:j]
				break
			}
		}
		joined := strings.Join(strings.Fields(section), " ")
		for _, c := range d.Components {
			if !strings.Contains(joined, c.Name) {
				t.Errorf("%s PDF diagram lacks %q: %q", k, c.Name, joined)
			}
		}
	}
	// The policy and CIS reports are about evidence, not the drawing.
	var h bytes.Buffer
	if err := Render(&h, mustBuild(t, Policy, in), HTML); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(h.String(), `class="diagram"`) {
		t.Error("policy report draws the diagram")
	}
}

func firstComponentSection(r Report) string {
	if dev, ok := r.(*DeveloperReport); ok && len(dev.Components) > 0 {
		return dev.Components[0].Name + " - " // its heading: name - type
	}
	return "\x00"
}

// containsText reports whether a text equals s (exact) or contains it.
func containsText(texts []string, s string, exact bool) bool {
	for _, t := range texts {
		if t == s || !exact && strings.Contains(t, s) {
			return true
		}
	}
	return false
}

// TestDiagramLayout checks positions: children are placed relative to
// their groups, the drawing starts at (0, 0), and flows join box edges.
func TestDiagramLayout(t *testing.T) {
	m := &model.ThreatModel{Diagram: model.Diagram{
		Groups: []model.Group{
			{ID: "vpc", Kind: model.KindContainer, Type: "aws.vpc", Name: "vpc", Position: model.Point{X: 100, Y: 50}, Size: model.Size{Width: 500, Height: 300}},
			{ID: "sub", Kind: model.KindContainer, Type: "aws.subnet", Name: "sub", Parent: "vpc", Position: model.Point{X: 20, Y: 30}, Size: model.Size{Width: 300, Height: 200}},
		},
		Components: []model.Component{
			{ID: "a", Type: "aws.ec2", Name: "a", Parent: "sub", Position: model.Point{X: 10, Y: 40}},
			{ID: "b", Type: "generic.browser", Name: "b", Position: model.Point{X: -50, Y: 100}, Size: &model.Size{Width: 60, Height: 40}},
		},
		Flows: []model.Flow{{ID: "f", Source: "b", Target: "a", Protocol: "HTTPS", Port: 443}},
	}}
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	v := buildDiagram(m, cat)
	byID := map[string]DiagramBox{}
	for _, b := range append(v.Groups, v.Components...) {
		byID[b.ID] = b
	}
	want := map[string][4]float64{
		"vpc": {150, 0, 500, 300}, "sub": {170, 30, 300, 200},
		"a": {180, 70, componentW, componentH}, "b": {0, 50, 60, 40},
	}
	for id, w := range want {
		b := byID[id]
		if got := [4]float64{b.X, b.Y, b.W, b.H}; got != w {
			t.Errorf("%s at %v, want %v", id, got, w)
		}
	}
	if v.Width != 650 || v.Height != 300 {
		t.Errorf("size %v×%v, want 650×300", v.Width, v.Height)
	}
	if f := v.Flows[0]; f.X1 != 60 || f.Y1 != 70 || f.X2 != 180 || f.Y2 != 70+componentH/2 || f.Label != "HTTPS:443" {
		t.Errorf("flow %+v", f)
	}
	if buildDiagram(&model.ThreatModel{}, cat) != nil {
		t.Error("an empty diagram is drawn")
	}
}

// TestDiagramEscaping puts markup into names and checks the SVG escapes it.
func TestDiagramEscaping(t *testing.T) {
	in := demoInput(t)
	in.Model = in.Model.Clone()
	in.Model.Diagram.Components[0].Name = `<script>alert(1)</script>`
	in.Model.Diagram.Groups[0].Name = `"><img src=x onerror=alert(1)>`
	var h bytes.Buffer
	if err := Render(&h, mustBuild(t, Executive, in), HTML); err != nil {
		t.Fatal(err)
	}
	if s := h.String(); strings.Contains(s, "<script>") || strings.Contains(s, "<img src=x") {
		t.Error("diagram does not escape model text")
	}
	checkWellFormed(t, HTML, h.Bytes())
}

// TestWrapText checks that names wrap at words and are never cut.
func TestWrapText(t *testing.T) {
	w := func(s string) float64 { return float64(len(s)) }
	tests := []struct {
		in    string
		width float64
		want  []string
	}{
		{"Application Load Balancer", 12, []string{"Application", "Load", "Balancer"}},
		{"Application Load Balancer", 30, []string{"Application Load Balancer"}},
		{"shop-microservices-orders", 10, []string{"shop-micro", "services-o", "rders"}},
		{"", 10, []string{""}},
	}
	for _, tt := range tests {
		got := wrapText(tt.in, tt.width, w)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("wrapText(%q, %v) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
	}
}
