package diff

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/compliance"
	"github.com/bulwark-tm/bulwark/pkg/model"
	"github.com/bulwark-tm/bulwark/pkg/store/storetest"
)

func baseModel() *model.ThreatModel {
	return &model.ThreatModel{ID: "m", Name: "Shop", Revision: 1, Diagram: model.Diagram{
		Groups: []model.Group{{ID: "vpc", Kind: model.KindGroup, Name: "VPC"}},
		Components: []model.Component{
			{ID: "web", Type: "aws.ec2", Name: "Web", Parent: "vpc", Properties: model.Properties{"publicIp": json.RawMessage(`false`)}},
			{ID: "db", Type: "aws.rds", Name: "DB", Parent: "vpc", Properties: model.Properties{"encrypted": json.RawMessage(`true`)}},
		},
		Flows: []model.Flow{{ID: "f1", Source: "web", Target: "db", Protocol: "PostgreSQL", Port: 5432}},
	}}
}

func TestCompareElements(t *testing.T) {
	tests := []struct {
		name   string
		change func(m *model.ThreatModel)
		want   func(d *Diff) any
		expect any
		text   string
	}{
		{"nothing", func(*model.ThreatModel) {}, func(d *Diff) any { return d.Summary }, Summary{}, "no changes"},
		{"layout is not a change", func(m *model.ThreatModel) {
			m.Diagram.Components[0].Position = model.Point{X: 99, Y: 1}
			m.Diagram.Components[0].Size = &model.Size{Width: 5, Height: 5}
			m.Diagram.Components[1].Properties["encrypted"] = json.RawMessage(" true ")
		}, func(d *Diff) any { return d.Summary }, Summary{}, "no changes"},
		{"component added", func(m *model.ThreatModel) {
			m.Diagram.Components = append(m.Diagram.Components, model.Component{ID: "q", Type: "aws.sqs", Name: "Queue"})
		}, func(d *Diff) any { return d.Components.Added }, []Element{{ID: "q", Name: "Queue", Type: "aws.sqs"}}, "+1 component"},
		{"component removed with its flow", func(m *model.ThreatModel) {
			m.Diagram.Components = m.Diagram.Components[:1]
			m.Diagram.Flows = nil
		}, func(d *Diff) any { return [2]any{d.Components.Removed, d.Flows.Removed} },
			[2]any{[]Element{{ID: "db", Name: "DB", Type: "aws.rds"}}, []Element{{ID: "f1", Name: "Web → DB (PostgreSQL)", Type: "PostgreSQL"}}}, "−1 component, −1 flow"},
		{"fields and properties changed", func(m *model.ThreatModel) {
			c := &m.Diagram.Components[1]
			c.Name, c.Parent = "Orders DB", ""
			c.Properties["encrypted"] = json.RawMessage(`false`)
			c.Properties["publiclyAccessible"] = json.RawMessage(`true`)
			c.Resource = &model.AWSResource{ResourceType: "AWS::RDS::DBInstance", ResourceID: "Orders"}
		}, func(d *Diff) any { return d.Components.Changed }, []Element{{ID: "db", Name: "Orders DB", Type: "aws.rds", Changes: []Change{
			{"name", "DB", "Orders DB"}, {"parent", "vpc", nil},
			{"resource.resourceType", nil, "AWS::RDS::DBInstance"}, {"resource.resourceId", nil, "Orders"},
			{"properties.encrypted", json.RawMessage(`true`), json.RawMessage(`false`)},
			{"properties.publiclyAccessible", nil, json.RawMessage(`true`)},
		}}}, "2 properties changed, 4 fields changed"},
		{"flow changed", func(m *model.ThreatModel) {
			m.Diagram.Flows[0].Protocol, m.Diagram.Flows[0].Port = "HTTPS", 443
		}, func(d *Diff) any { return d.Flows.Changed }, []Element{{ID: "f1", Name: "Web → DB (HTTPS)", Type: "HTTPS", Changes: []Change{
			{"protocol", "PostgreSQL", "HTTPS"}, {"port", 5432, 443}}}}, "2 fields changed"},
		{"group kind changed", func(m *model.ThreatModel) {
			m.Diagram.Groups[0].Kind = model.KindBoundary
		}, func(d *Diff) any { return d.Groups.Changed }, []Element{{ID: "vpc", Name: "VPC", Type: "boundary", Changes: []Change{{"kind", "group", "boundary"}}}}, "1 field changed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := baseModel(), baseModel()
			tc.change(b)
			d := Compare(Side{Model: a}, Side{Model: b})
			if diff := cmp.Diff(tc.expect, tc.want(d)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
			if got := d.Text(); got != tc.text {
				t.Errorf("Text() = %q, want %q", got, tc.text)
			}
		})
	}
}

func TestCompareThreatsAndCompliance(t *testing.T) {
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	a, b := baseModel(), baseModel()
	b.Revision = 2
	b.Diagram.Components[1].Properties["publiclyAccessible"] = json.RawMessage(`true`)
	b.States = map[string]model.ItemState{"aws.rds.credential-abuse@db": {Status: analysis.RiskAccepted}}
	va := &compliance.View{Items: []compliance.Item{{Requirement: "r@db", Title: "Encrypt", Element: "db", Status: compliance.NonCompliant}, {Requirement: "gone@db", Status: compliance.Compliant}}}
	vb := &compliance.View{Items: []compliance.Item{{Requirement: "r@db", Title: "Encrypt", Element: "db", Status: compliance.Compliant}, {Requirement: "new@db", Status: compliance.Compliant}}}
	d := Compare(Side{Model: a, Analysis: analysis.Analyze(cat, a, nil), Compliance: va}, Side{Model: b, Analysis: analysis.Analyze(cat, b, nil), Compliance: vb})
	if d.From.Revision != 1 || d.To.Revision != 2 {
		t.Errorf("refs %+v %+v", d.From, d.To)
	}
	if len(d.Threats.Added) != 1 || d.Threats.Added[0].ID != "aws.rds.public-endpoint@db" || d.Threats.Added[0].Severity != "Critical" || d.Threats.Added[0].ElementName != "DB" {
		t.Errorf("added threats: %+v", d.Threats.Added)
	}
	if len(d.Threats.Changed) != 1 || d.Threats.Changed[0].ID != "aws.rds.credential-abuse@db" || d.Threats.Changed[0].From.Status != analysis.Open || d.Threats.Changed[0].To.Status != analysis.RiskAccepted {
		t.Errorf("changed threats: %+v", d.Threats.Changed)
	}
	if d.Summary.HighThreatsAdded != 1 || d.Summary.ThreatsRemoved != 0 {
		t.Errorf("summary: %+v", d.Summary)
	}
	want := []ComplianceChange{{ID: "r@db", Title: "Encrypt", ElementID: "db", From: "NON_COMPLIANT", To: "COMPLIANT"}}
	if diff := cmp.Diff(want, d.Compliance.Changed); diff != "" {
		t.Errorf("compliance (-want +got)\n%s", diff)
	}
	// The other way round, the threat is removed.
	r := Compare(Side{Model: b, Analysis: analysis.Analyze(cat, b, nil)}, Side{Model: a, Analysis: analysis.Analyze(cat, a, nil)})
	if len(r.Threats.Removed) != 1 || r.Threats.Removed[0].ID != "aws.rds.public-endpoint@db" || len(r.Threats.Added) != 0 {
		t.Errorf("reverse: %+v", r.Threats)
	}
	// Items on flows are named by the flow.
	for _, it := range append(d.Threats.Added, r.Threats.Removed...) {
		if it.ElementName == "" {
			t.Errorf("unnamed item %+v", it)
		}
	}
}

func TestSeverity(t *testing.T) {
	for _, tc := range []struct {
		sev, threshold string
		want           bool
	}{{"Critical", "high", true}, {"High", "High", true}, {"Medium", "high", false}, {"Low", "low", true}, {"", "low", false}, {"High", "critical", false}} {
		if got := AtLeast(tc.sev, tc.threshold); got != tc.want {
			t.Errorf("AtLeast(%q, %q) = %v", tc.sev, tc.threshold, got)
		}
	}
	for status, want := range map[string]bool{"": true, "Open": true, "In Progress": true, "Mitigated": false, "Risk Accepted": false, "Not Applicable": false} {
		if Unmitigated(status) != want {
			t.Errorf("Unmitigated(%q) != %v", status, want)
		}
	}
}

func TestSummarize(t *testing.T) {
	a := baseModel()
	if got := Summarize(nil, a); got != "first version: 2 components, 1 flow" {
		t.Errorf("first: %q", got)
	}
	b := baseModel()
	b.States = map[string]model.ItemState{"x@db": {Status: "Mitigated"}}
	if got := Summarize(a, b); got != "1 status changed" {
		t.Errorf("states: %q", got)
	}
	b.Diagram.Components = append(b.Diagram.Components, model.Component{ID: "q", Type: "aws.sqs", Name: "Q"}, model.Component{ID: "r", Type: "aws.sqs", Name: "R"})
	if got := Summarize(a, b); got != "+2 components, 1 status changed" {
		t.Errorf("components and states: %q", got)
	}
	c := baseModel()
	c.Name = "Renamed"
	if got := Summarize(a, c); got != "details changed" {
		t.Errorf("details: %q", got)
	}
}

func TestWriteText(t *testing.T) {
	a, b := baseModel(), baseModel()
	b.Diagram.Flows = nil
	var s strings.Builder
	if err := Compare(Side{Model: a}, Side{Model: b}).WriteText(&s); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(s.String(), "- flow Web → DB (PostgreSQL) (f1)") {
		t.Errorf("text:\n%s", s.String())
	}
}

// BenchmarkCompare5000 diffs two 5,000-component versions that differ in
// about 5% of their components and flows, with their analyses (computed
// once, outside the timing). Goal: < 200 ms per diff.
func BenchmarkCompare5000(b *testing.B) {
	cat, err := catalog.Default()
	if err != nil {
		b.Fatal(err)
	}
	x := storetest.GenerateModel("t", "m", 5000)
	y := storetest.GenerateModel("t", "m", 5000)
	for i := 0; i < len(y.Diagram.Components); i += 20 {
		c := &y.Diagram.Components[i]
		c.Name += " (renamed)"
		c.Properties = model.Properties{"note": json.RawMessage(fmt.Sprintf("%q", c.ID))}
	}
	y.Diagram.Flows = y.Diagram.Flows[:len(y.Diagram.Flows)*19/20]
	sa := Side{Model: x, Analysis: analysis.Analyze(cat, x, nil)}
	sb := Side{Model: y, Analysis: analysis.Analyze(cat, y, nil)}
	b.ReportMetric(float64(len(sa.Analysis.Threats)), "threats")
	b.ResetTimer()
	for range b.N {
		d := Compare(sa, sb)
		if d.Summary.ComponentsChanged == 0 {
			b.Fatal("no change found")
		}
	}
}

// BenchmarkCompare5000WithAnalysis is BenchmarkCompare5000 with both
// analyses inside the timing, as the API's GET /diff computes them.
func BenchmarkCompare5000WithAnalysis(b *testing.B) {
	cat, err := catalog.Default()
	if err != nil {
		b.Fatal(err)
	}
	x := storetest.GenerateModel("t", "m", 5000)
	y := storetest.GenerateModel("t", "m", 5000)
	y.Diagram.Components = y.Diagram.Components[:4900]
	y.Diagram.Flows = nil
	b.ResetTimer()
	for range b.N {
		Compare(Side{Model: x, Analysis: analysis.Analyze(cat, x, nil)}, Side{Model: y, Analysis: analysis.Analyze(cat, y, nil)})
	}
}
