package drift

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/model"
)

// TestDriftNamesAndHandDrawn: the Drift Log names a flow by its ends' names
// (not resource ids), and lists hand-drawn elements apart from the drift
// without making the model out of sync (#17.7).
func TestDriftNamesAndHandDrawn(t *testing.T) {
	cat, load := setup(t, testVPCs)
	inv := load()
	vpc := vpcNamed(t, inv, "web")
	m := build(t, cat, inv, vpc)
	names := map[string]string{}
	for _, c := range m.Diagram.Components {
		names[c.ID] = c.Name
	}
	for _, g := range m.Diagram.Groups {
		names[g.ID] = g.Name
	}
	m.Diagram.Groups = append(m.Diagram.Groups, model.Group{ID: "team", Kind: model.KindBoundary, Name: "Team", Size: model.Size{Width: 100, Height: 100}})
	m.Diagram.Components = append(m.Diagram.Components, model.Component{ID: "hand-users", Type: "generic.browser", Name: "Staff", Parent: "team"})
	target := m.Diagram.Components[0]
	m.Diagram.Flows = append(m.Diagram.Flows, model.Flow{ID: "hand-flow", Source: "hand-users", Target: target.ID, Protocol: "HTTPS", Port: 443})
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}

	rep, _, err := Compare(cat, m, inv)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.InSync() {
		t.Errorf("hand-drawn elements made the model drift: %+v", rep.Changes)
	}
	got := []string{}
	for _, c := range rep.HandDrawn {
		if c.Kind != HandDrawn {
			t.Errorf("%s has kind %s, want %s", c.ID, c.Kind, HandDrawn)
		}
		got = append(got, c.Element+":"+c.ID+":"+c.Name)
	}
	want := []string{"component:hand-users:Staff", "flow:hand-flow:Staff → " + target.Name + " HTTPS 443", "group:team:Team"}
	if fmt.Sprint(got) != fmt.Sprint(want) || rep.HandDrawnCount != 3 {
		t.Errorf("hand-drawn = %q (count %d), want %q", got, rep.HandDrawnCount, want)
	}

	// An instance leaves the VPC: its flows are only in the model, named by their ends (as is any flow that changed).
	gone := instances(inv, vpc)[3]
	mutations["delete"](inv, gone)
	rep, built, err := Compare(cat, m, inv)
	if err != nil {
		t.Fatal(err)
	}
	all := append(append([]model.Flow{}, m.Diagram.Flows...), built.Model.Diagram.Flows...)
	for _, c := range built.Model.Diagram.Components {
		names[c.ID] = c.Name
	}
	for _, g := range built.Model.Diagram.Groups {
		names[g.ID] = g.Name
	}
	flows := 0
	for _, c := range rep.Changes {
		if c.Element != ElementFlow {
			continue
		}
		flows++
		var f *model.Flow
		for i := range all {
			if all[i].ID == c.ID {
				f = &all[i]
			}
		}
		if f == nil {
			t.Fatalf("flow change %s is in neither the model nor the VPC", c.ID)
		}
		if wantPrefix := names[f.Source] + " → " + names[f.Target] + " "; names[f.Source] == "" || !strings.HasPrefix(c.Name, wantPrefix) {
			t.Errorf("flow %s is listed as %q, want it to start with %q", c.ID, c.Name, wantPrefix)
		}
		if strings.Contains(c.Name, gone.ID) {
			t.Errorf("flow %q names the raw resource id %s", c.Name, gone.ID)
		}
	}
	if flows == 0 {
		t.Fatalf("deleting %s left no flow only in the model: %+v", gone.ID, rep.Changes)
	}
}
