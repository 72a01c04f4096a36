package template

import (
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/assist"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
)

// TestBuiltInsAreComplete checks every shipped template: it loads, uses
// only catalog types and protocols, and Assist finds no open task it could
// have satisfied itself (no missing containment, connection, component or
// property).
func TestBuiltInsAreComplete(t *testing.T) {
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	ts, err := BuiltIns()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"builtin-aws-microservices": true, "builtin-aws-three-tier": true, "builtin-aws-serverless-api": true, "builtin-aws-data-lake": true, "builtin-aws-multi-account-baseline": true}
	for _, tpl := range ts {
		delete(want, tpl.ID)
		t.Run(tpl.ID, func(t *testing.T) {
			for _, c := range tpl.Diagram.Components {
				if cat.Type(c.Type) == nil {
					t.Errorf("component %s: unknown type %q", c.ID, c.Type)
				}
			}
			for _, g := range tpl.Diagram.Groups {
				if g.Type != "" && cat.Type(g.Type) == nil {
					t.Errorf("container %s: unknown type %q", g.ID, g.Type)
				}
			}
			for _, f := range tpl.Diagram.Flows {
				if cat.Protocol(f.Protocol) == nil {
					t.Errorf("flow %s: unknown protocol %q", f.ID, f.Protocol)
				}
			}
			for _, task := range assist.Tasks(cat, &tpl.Diagram) {
				if task.Status == assist.Open {
					t.Errorf("open task %s: %s", task.ID, task.Text)
				}
			}
		})
	}
	for id := range want {
		t.Errorf("built-in template %s is missing", id)
	}
}
