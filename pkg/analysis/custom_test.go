package analysis

import (
	"slices"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

func TestCustomItems(t *testing.T) {
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	m := &model.ThreatModel{ID: "m", Diagram: model.Diagram{
		Components: []model.Component{{ID: "api", Type: "aws.apigateway", Name: "API"}, {ID: "fn", Type: "aws.lambda", Name: "fn"}},
		Flows:      []model.Flow{{ID: "f", Source: "api", Target: "fn", Protocol: "HTTPS"}},
	}, Custom: []model.CustomItem{
		{Kind: model.CustomThreat, ID: "T1", Title: "Replayed webhook", STRIDE: []string{"Spoofing"}, Severity: "High", Status: "Open", Elements: []string{"api", "f"}, Links: []string{"M1"}},
		{Kind: model.CustomMitigation, ID: "M1", Title: "Sign and time-stamp webhooks", Status: "Implemented", Elements: []string{"api"}, Links: []string{"T1"}},
		{Kind: model.CustomThreat, ID: "T2", Title: "Model-wide risk", Status: "Mitigated"},
	}, States: map[string]model.ItemState{"custom:T1@f": {Status: RiskAccepted, Notes: "accepted for v1"}}}
	m.Diagram.Normalize()
	r := Analyze(cat, m, nil)
	find := func(id string) *Threat {
		for i := range r.Threats {
			if r.Threats[i].ID == id {
				return &r.Threats[i]
			}
		}
		return nil
	}
	t1 := find("custom:T1@api")
	if t1 == nil || t1.Status != Open || t1.Severity != "High" || t1.Component != "api" || !slices.Equal(t1.Requirements, []string{"custom:M1@api"}) {
		t.Fatalf("custom threat at api: %+v", t1)
	}
	if f := find("custom:T1@f"); f == nil || f.Status != RiskAccepted || f.Notes != "accepted for v1" || f.Component != "api" || f.ElementKind != KindFlow {
		t.Errorf("custom threat at the flow (user decision wins): %+v", f)
	}
	if g := find("custom:T2"); g == nil || g.Status != Mitigated || g.Element != "" || g.Severity != "Medium" {
		t.Errorf("model-level custom threat: %+v", g)
	}
	var m1 *Requirement
	for i := range r.Requirements {
		if r.Requirements[i].ID == "custom:M1@api" {
			m1 = &r.Requirements[i]
		}
	}
	if m1 == nil || m1.Epic != CustomEpic || m1.Status != Implemented || !slices.Contains(m1.Threats, "custom:T1@api") {
		t.Errorf("custom mitigation: %+v", m1)
	}
	if r.Rollup.Threats.ByStatus[RiskAccepted] < 1 {
		t.Error("custom threats are not in the rollup")
	}
}
