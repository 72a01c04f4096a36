package template

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/model"
	"github.com/bulwark-tm/bulwark/pkg/store/bolt"
)

func sampleDiagram() model.Diagram {
	return model.Diagram{
		Groups: []model.Group{
			{ID: "vpc", Kind: model.KindContainer, Type: "aws.vpc", Name: "VPC", Position: model.Point{X: 100, Y: 100}, Size: model.Size{Width: 600, Height: 400}},
			{ID: "web-tier", Kind: model.KindGroup, Name: "Web tier", Parent: "vpc", Position: model.Point{X: 20, Y: 40}, Size: model.Size{Width: 300, Height: 200}},
		},
		Components: []model.Component{
			{ID: "alb", Type: "aws.alb", Name: "ALB", Parent: "web-tier", Position: model.Point{X: 10, Y: 10}},
			{ID: "web", Type: "aws.ec2", Name: "Web", Parent: "web-tier", Position: model.Point{X: 150, Y: 10}, Properties: model.Properties{"dataElements": []byte(`["sessions"]`)}},
			{ID: "db", Type: "aws.rds", Name: "DB", Parent: "vpc", Position: model.Point{X: 400, Y: 40}},
			{ID: "user", Type: "generic.browser", Name: "User", Position: model.Point{X: 0, Y: 0}},
		},
		Flows: []model.Flow{
			{ID: "f1", Source: "alb", Target: "web", Protocol: "HTTPS", Port: 443},
			{ID: "f2", Source: "web", Target: "db", Protocol: "PostgreSQL", Port: 5432},
			{ID: "f3", Source: "user", Target: "alb", Protocol: "HTTPS", Port: 443},
		},
	}
}

func ids[T any](xs []T, id func(T) string) []string {
	var out []string
	for _, x := range xs {
		out = append(out, id(x))
	}
	slices.Sort(out)
	return out
}

func TestSubset(t *testing.T) {
	d := sampleDiagram()
	compID := func(c model.Component) string { return c.ID }
	flowID := func(f model.Flow) string { return f.ID }
	groupID := func(g model.Group) string { return g.ID }

	g, err := Subset(&d, "web-tier", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(g.Components, compID); !slices.Equal(got, []string{"alb", "web"}) {
		t.Errorf("group subset components %v", got)
	}
	if got := ids(g.Flows, flowID); !slices.Equal(got, []string{"f1"}) {
		t.Errorf("group subset flows %v: only flows among the kept components", got)
	}
	if got := ids(g.Groups, groupID); !slices.Equal(got, []string{"web-tier"}) || g.Groups[0].Parent != "" {
		t.Errorf("group subset groups %v, parent %q", got, g.Groups[0].Parent)
	}
	if err := g.Validate(); err != nil {
		t.Errorf("subset is not a valid diagram: %v", err)
	}
	if string(g.Components[1].Properties["dataElements"]) != `["sessions"]` {
		t.Error("properties were not kept")
	}

	sel, err := Subset(&d, "", []string{"web", "db"})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(sel.Flows, flowID); !slices.Equal(got, []string{"f2"}) || len(sel.Groups) != 0 {
		t.Errorf("selection subset flows %v groups %d", got, len(sel.Groups))
	}
	for _, c := range sel.Components {
		if c.Parent != "" {
			t.Errorf("%s keeps parent %q outside the subset", c.ID, c.Parent)
		}
	}
	if err := sel.Validate(); err != nil {
		t.Errorf("selection subset invalid: %v", err)
	}
	if _, err := Subset(&d, "nope", nil); !errs.Is(err, errs.Invalid) {
		t.Errorf("unknown group: %v", err)
	}
	if _, err := Subset(&d, "", []string{"web", "ghost"}); !errs.Is(err, errs.Invalid) {
		t.Errorf("unknown component: %v", err)
	}
	// The source diagram is untouched.
	if d.Components[0].Parent != "web-tier" {
		t.Error("Subset changed its input")
	}
}

func TestRepoLifecycle(t *testing.T) {
	ctx := context.Background()
	st, err := bolt.Open(filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	builtins, err := BuiltIns()
	if err != nil {
		t.Fatal(err)
	}
	r := &Repo{Store: st, BuiltIns: builtins}
	tpl := &Template{Name: "Web tier", Category: "AWS", Diagram: sampleDiagram(), State: Draft}
	if err := r.Create(ctx, "acme", "ann", tpl); err != nil {
		t.Fatal(err)
	}
	if tpl.Version != 1 || tpl.State != Draft || tpl.Revision != 1 || tpl.CreatedBy != "ann" {
		t.Fatalf("created: %+v", tpl.Summarize())
	}
	list := func(drafts bool) []string {
		s, err := r.List(ctx, "acme", drafts)
		if err != nil {
			t.Fatal(err)
		}
		return ids(s, func(s Summary) string { return s.ID })
	}
	if slices.Contains(list(false), tpl.ID) || !slices.Contains(list(true), tpl.ID) {
		t.Error("a draft must be listed only with drafts")
	}
	if len(list(false)) != len(builtins) {
		t.Errorf("approved list %v, want only the built-ins", list(false))
	}
	// Update: version 2, still draft; stale update conflicts.
	tpl.Description = "v2"
	if err := r.Update(ctx, "acme", "bob", tpl, 1); err != nil {
		t.Fatal(err)
	}
	if tpl.Version != 2 || tpl.Revision != 2 || tpl.UpdatedBy != "bob" {
		t.Errorf("updated: %+v", tpl.Summarize())
	}
	if err := r.Update(ctx, "acme", "bob", tpl, 1); !errs.Is(err, errs.Conflict) {
		t.Errorf("stale update: %v", err)
	}
	approved, err := r.Approve(ctx, "acme", "root", tpl.ID, 2)
	if err != nil {
		t.Fatal(err)
	}
	if approved.State != Approved || approved.ApprovedBy != "root" || approved.ApprovedAt.IsZero() {
		t.Errorf("approved: %+v", approved)
	}
	if !slices.Contains(list(false), tpl.ID) {
		t.Error("approved template not listed for everyone")
	}
	// Editing an approved template makes it a draft again.
	approved.Name = "Web tier v3"
	if err := r.Update(ctx, "acme", "ann", approved, approved.Revision); err != nil {
		t.Fatal(err)
	}
	if approved.State != Draft || approved.Version != 3 {
		t.Errorf("edited approved template: state %s version %d", approved.State, approved.Version)
	}
	vs, err := r.Versions(ctx, "acme", tpl.ID)
	if err != nil || len(vs) != 3 || vs[0].Version != 1 || vs[2].Version != 3 {
		t.Errorf("versions: %+v %v", vs, err)
	}
	// Tenants are separate; built-ins are read-only.
	if _, err := r.Get(ctx, "globex", tpl.ID); !errs.Is(err, errs.NotFound) {
		t.Errorf("other tenant: %v", err)
	}
	if err := r.Delete(ctx, "acme", builtins[0].ID, 1); !errs.Is(err, errs.Forbidden) {
		t.Errorf("delete built-in: %v", err)
	}
	if _, err := r.Approve(ctx, "acme", "root", builtins[0].ID, 1); !errs.Is(err, errs.Forbidden) {
		t.Errorf("approve built-in: %v", err)
	}
	if err := r.Delete(ctx, "acme", tpl.ID, approved.Revision); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Get(ctx, "acme", tpl.ID); !errs.Is(err, errs.NotFound) {
		t.Errorf("after delete: %v", err)
	}
	// Invalid templates are refused.
	if err := r.Create(ctx, "acme", "ann", &Template{Name: " "}); !errs.Is(err, errs.Invalid) {
		t.Errorf("nameless template: %v", err)
	}
}

func TestNewModelIsACopy(t *testing.T) {
	tpl := &Template{ID: "tpl-1", Name: "Web", Version: 4, Labels: []string{"aws"}, Diagram: sampleDiagram()}
	m := NewModel(tpl, &model.ThreatModel{Name: "Shop", Labels: []string{"pci"}})
	if m.Template == nil || m.Template.ID != "tpl-1" || m.Template.Version != 4 {
		t.Fatalf("provenance: %+v", m.Template)
	}
	if !slices.Equal(m.Labels, []string{"pci", "aws"}) {
		t.Errorf("labels %v", m.Labels)
	}
	tpl.Diagram.Components[0].Name = "changed later"
	if m.Diagram.Components[0].Name == "changed later" {
		t.Error("the model shares the template's diagram")
	}
}
