package assist_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwark-tm/bulwark/pkg/assist"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

var update = flag.Bool("update", false, "rewrite golden files")

func cat(t testing.TB) *catalog.Catalog {
	t.Helper()
	c, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func byID(tasks []assist.Task) map[string]assist.Task {
	m := map[string]assist.Task{}
	for _, t := range tasks {
		m[t.ID] = t
	}
	return m
}

func openIDs(tasks []assist.Task) []string {
	var ids []string
	for _, t := range tasks {
		if t.Open() {
			ids = append(ids, t.ID)
		}
	}
	return ids
}

func mustValid(t *testing.T, d *model.Diagram) {
	t.Helper()
	if err := d.Validate(); err != nil {
		t.Fatalf("diagram is invalid: %v", err)
	}
}

// TestLoneEC2 is the scenario of issue 4: a lone EC2 instance has open
// tasks; applying them completes them; adding an RDS instance brings new
// tasks.
func TestLoneEC2(t *testing.T) {
	c := cat(t)
	d := &model.Diagram{Components: []model.Component{{ID: "web", Type: "aws.ec2", Name: "Web server"}}}
	d.Normalize()

	tasks := byID(assist.Tasks(c, d))
	for _, id := range []string{
		"aws.ec2.assist.subnet@web", "aws.ec2.assist.vpc@web", "aws.ec2.assist.security-group@web",
		"aws.ec2.assist.logging@web", "aws.ec2.assist.inspector@web", "aws.ec2.assist.imdsv2@web",
	} {
		tk, ok := tasks[id]
		if !ok {
			t.Errorf("task %s missing", id)
			continue
		}
		if !tk.Open() {
			t.Errorf("task %s is %s, want open", id, tk.Status)
		}
		if tk.Element != "web" || tk.ElementType != "aws.ec2" || tk.Text == "" || tk.Fix == nil {
			t.Errorf("task %s incomplete: %+v", id, tk)
		}
	}
	if _, ok := tasks["aws.ec2.assist.load-balancer@web"]; ok {
		t.Error("load balancer task appears although the instance is not internet-facing")
	}

	// Apply every open task in order until none is left.
	for round := 0; ; round++ {
		open := openIDs(assist.Tasks(c, d))
		if len(open) == 0 {
			break
		}
		if round > 20 {
			t.Fatalf("tasks do not converge; still open: %v", open)
		}
		next, err := assist.Apply(c, d, open[0])
		if err != nil {
			t.Fatalf("Apply(%s): %v", open[0], err)
		}
		mustValid(t, next)
		if tk := byID(assist.Tasks(c, next))[open[0]]; tk.Open() {
			t.Fatalf("task %s still open after Apply", open[0])
		}
		d = next
	}
	// Containment ends up VPC › subnet › security group › instance.
	chain := parents(d, "web")
	if want := []string{"aws.security-group", "aws.subnet", "aws.vpc"}; !slices.Equal(chain, want) {
		t.Errorf("web's enclosing containers = %v, want %v", chain, want)
	}
	for _, id := range []string{"aws.ec2.assist.subnet@web", "aws.ec2.assist.vpc@web", "aws.ec2.assist.security-group@web", "aws.ec2.assist.logging@web"} {
		if tk := byID(assist.Tasks(c, d))[id]; tk.Status != assist.Completed {
			t.Errorf("%s = %s, want completed", id, tk.Status)
		}
	}

	// Add an RDS instance: it brings its own open tasks.
	d.Components = append(d.Components, model.Component{ID: "db", Type: "aws.rds", Name: "Orders DB"})
	open := openIDs(assist.Tasks(c, d))
	for _, id := range []string{"aws.rds.assist.subnet@db", "aws.rds.assist.vpc@db", "aws.rds.assist.security-group@db", "aws.rds.assist.kms@db", "aws.rds.assist.multi-az@db"} {
		if !slices.Contains(open, id) {
			t.Errorf("after adding RDS, %s is not open (open: %v)", id, open)
		}
	}
	for _, id := range open {
		if _, el, _ := assist.SplitID(id); el != "db" {
			t.Errorf("adding RDS reopened %s", id)
		}
	}
}

func parents(d *model.Diagram, id string) []string {
	groups := map[string]model.Group{}
	for _, g := range d.Groups {
		groups[g.ID] = g
	}
	var parent string
	for _, c := range d.Components {
		if c.ID == id {
			parent = c.Parent
		}
	}
	var out []string
	for parent != "" {
		g := groups[parent]
		out = append(out, g.Type)
		parent = g.Parent
	}
	return out
}

func TestNeeds(t *testing.T) {
	c := cat(t)
	comp := func(id, typ, parent string, props ...string) model.Component {
		p := model.Properties{}
		for i := 0; i+1 < len(props); i += 2 {
			p[props[i]] = json.RawMessage(props[i+1])
		}
		return model.Component{ID: id, Type: typ, Parent: parent, Properties: p}
	}
	container := func(id, typ, parent string) model.Group {
		return model.Group{ID: id, Kind: model.KindContainer, Type: typ, Parent: parent, Size: model.Size{Width: 400, Height: 300}}
	}
	tests := []struct {
		name   string
		d      model.Diagram
		task   string
		status string // "" = the task must not exist
	}{
		{"inside: direct parent", model.Diagram{Groups: []model.Group{container("sn", "aws.subnet", "")},
			Components: []model.Component{comp("i", "aws.ec2", "sn")}}, "aws.ec2.assist.subnet@i", assist.Completed},
		{"inside: grandparent counts", model.Diagram{Groups: []model.Group{container("v", "aws.vpc", ""), container("sn", "aws.subnet", "v")},
			Components: []model.Component{comp("i", "aws.ec2", "sn")}}, "aws.ec2.assist.vpc@i", assist.Completed},
		{"inside: plain group of the same name does not count", model.Diagram{Groups: []model.Group{{ID: "g", Kind: model.KindGroup, Name: "subnet"}},
			Components: []model.Component{comp("i", "aws.ec2", "g")}}, "aws.ec2.assist.subnet@i", assist.Open},
		{"connected out: flow to CloudWatch", model.Diagram{Components: []model.Component{comp("i", "aws.ec2", ""), comp("cw", "aws.cloudwatch", "")},
			Flows: []model.Flow{{ID: "f", Source: "i", Target: "cw", Protocol: "HTTPS"}}}, "aws.ec2.assist.logging@i", assist.Completed},
		{"connected out: wrong direction", model.Diagram{Components: []model.Component{comp("i", "aws.ec2", ""), comp("cw", "aws.cloudwatch", "")},
			Flows: []model.Flow{{ID: "f", Source: "cw", Target: "i", Protocol: "HTTPS"}}}, "aws.ec2.assist.logging@i", assist.Open},
		{"connected any: either direction", model.Diagram{Components: []model.Component{comp("e", "aws.ecs", ""), comp("r", "aws.ecr", "")},
			Flows: []model.Flow{{ID: "f", Source: "r", Target: "e", Protocol: "HTTPS"}}}, "aws.ecs.assist.registry@e", assist.Completed},
		{"present: anywhere in the diagram", model.Diagram{Components: []model.Component{comp("i", "aws.ec2", ""), comp("insp", "aws.inspector", "")}},
			"aws.ec2.assist.inspector@i", assist.Completed},
		{"property: met", model.Diagram{Components: []model.Component{comp("i", "aws.ec2", "", "imdsv2Required", "true")}},
			"aws.ec2.assist.imdsv2@i", assist.Completed},
		{"property: default not met", model.Diagram{Components: []model.Component{comp("i", "aws.ec2", "")}},
			"aws.ec2.assist.imdsv2@i", assist.Open},
		{"when: rule off without the property", model.Diagram{Components: []model.Component{comp("i", "aws.ec2", "")}},
			"aws.ec2.assist.load-balancer@i", ""},
		{"when: rule on with the property", model.Diagram{Components: []model.Component{comp("i", "aws.ec2", "", "internetFacing", "true")}},
			"aws.ec2.assist.load-balancer@i", assist.Open},
		{"container element gets its type's tasks", model.Diagram{Groups: []model.Group{container("sn", "aws.subnet", "")}},
			"aws.subnet.assist.vpc@sn", assist.Open},
		{"unknown type is skipped", model.Diagram{Components: []model.Component{comp("x", "acme.widget", "")}},
			"aws.ec2.assist.subnet@x", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.d.Normalize()
			tk, ok := byID(assist.Tasks(c, &tt.d))[tt.task]
			switch {
			case tt.status == "" && ok:
				t.Errorf("task %s exists (%s), want none", tt.task, tk.Status)
			case tt.status != "" && !ok:
				t.Errorf("task %s missing", tt.task)
			case ok && tk.Status != tt.status:
				t.Errorf("task %s = %s, want %s", tt.task, tk.Status, tt.status)
			}
		})
	}
}

func TestApply(t *testing.T) {
	c := cat(t)
	base := func() *model.Diagram {
		d := &model.Diagram{
			Groups: []model.Group{
				{ID: "vpc", Kind: model.KindContainer, Type: "aws.vpc", Position: model.Point{X: 100, Y: 100}, Size: model.Size{Width: 800, Height: 600}},
				{ID: "sg", Kind: model.KindContainer, Type: "aws.security-group", Parent: "vpc", Position: model.Point{X: 50, Y: 50}, Size: model.Size{Width: 300, Height: 200}},
			},
			Components: []model.Component{
				{ID: "web", Type: "aws.ec2", Parent: "sg", Position: model.Point{X: 30, Y: 40}},
				{ID: "cw", Type: "aws.cloudwatch", Position: model.Point{X: 1200, Y: 0}},
			},
		}
		d.Normalize()
		return d
	}
	t.Run("parent goes above the security group", func(t *testing.T) {
		d := base()
		out, err := assist.Apply(c, d, "aws.ec2.assist.subnet@web")
		if err != nil {
			t.Fatal(err)
		}
		mustValid(t, out)
		if got, want := parents(out, "web"), []string{"aws.security-group", "aws.subnet", "aws.vpc"}; !slices.Equal(got, want) {
			t.Errorf("containers = %v, want %v", got, want)
		}
		if d.Groups[1].Parent != "vpc" || len(d.Groups) != 2 {
			t.Error("Apply changed its input")
		}
	})
	t.Run("connected reuses an existing component", func(t *testing.T) {
		out, err := assist.Apply(c, base(), "aws.ec2.assist.logging@web")
		if err != nil {
			t.Fatal(err)
		}
		mustValid(t, out)
		if len(out.Components) != 2 || len(out.Flows) != 1 {
			t.Fatalf("got %d components, %d flows; want the existing CloudWatch reused", len(out.Components), len(out.Flows))
		}
		if f := out.Flows[0]; f.Source != "web" || f.Target != "cw" || f.Protocol != "HTTPS" || f.Port != 443 {
			t.Errorf("flow = %+v", f)
		}
	})
	t.Run("connected places a new component, inbound", func(t *testing.T) {
		d := base()
		d.Components[0].Properties = model.Properties{"internetFacing": json.RawMessage("true")}
		out, err := assist.Apply(c, d, "aws.ec2.assist.load-balancer@web")
		if err != nil {
			t.Fatal(err)
		}
		mustValid(t, out)
		added := out.Components[len(out.Components)-1]
		if added.Type != "aws.alb" || added.ID != "alb-web" || added.Parent != "" {
			t.Errorf("added %+v", added)
		}
		if f := out.Flows[0]; f.Source != "alb-web" || f.Target != "web" {
			t.Errorf("flow %+v, want alb-web → web", f)
		}
		if added.Position.X != 100+50+30+240 {
			t.Errorf("new component at %v, want right of the instance's absolute position", added.Position)
		}
	})
	t.Run("property fix", func(t *testing.T) {
		out, err := assist.Apply(c, base(), "aws.ec2.assist.imdsv2@web")
		if err != nil {
			t.Fatal(err)
		}
		if got := string(out.Components[0].Properties["imdsv2Required"]); got != "true" {
			t.Errorf("imdsv2Required = %s", got)
		}
	})
	t.Run("fresh ids never collide", func(t *testing.T) {
		d := base()
		d.Components = append(d.Components, model.Component{ID: "inspector-web", Type: "generic.web-server"})
		out, err := assist.Apply(c, d, "aws.ec2.assist.inspector@web")
		if err != nil {
			t.Fatal(err)
		}
		mustValid(t, out)
		if got := out.Components[len(out.Components)-1].ID; got != "inspector-web-2" {
			t.Errorf("new id %q, want inspector-web-2", got)
		}
	})
	errTests := []struct {
		name, task string
		kind       errs.Kind
	}{
		{"not an id", "nonsense", errs.NotFound},
		{"unknown rule", "aws.nope@web", errs.NotFound},
		{"unknown element", "aws.ec2.assist.subnet@nope", errs.NotFound},
		{"rule for another type", "aws.rds.assist.subnet@web", errs.NotFound},
		{"completed task", "aws.ec2.assist.vpc@web", errs.Conflict},
		{"rule whose condition is off", "aws.ec2.assist.load-balancer@web", errs.NotFound},
	}
	for _, tt := range errTests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := assist.Apply(c, base(), tt.task)
			if !errs.Is(err, tt.kind) {
				t.Errorf("Apply(%s) = %v, want kind %v", tt.task, err, tt.kind)
			}
		})
	}
}

// TestGolden pins the tasks of a reference diagram.
func TestGolden(t *testing.T) {
	c := cat(t)
	for _, name := range []string{"three-tier"} {
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			d, err := model.DecodeDiagram(raw)
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(assist.Tasks(c, d), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", name+".tasks.golden.json")
			if *update {
				if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if diff := cmp.Diff(string(want), string(got)+"\n"); diff != "" {
				t.Errorf("tasks changed (-golden +got):\n%s", diff)
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	c := cat(t)
	d := bigDiagram(300)
	a, b := assist.Tasks(c, d), assist.Tasks(c, d)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("two runs differ:\n%s", diff)
	}
	seen := map[string]bool{}
	for _, tk := range a {
		if seen[tk.ID] {
			t.Errorf("duplicate task id %s", tk.ID)
		}
		seen[tk.ID] = true
	}
}

// bigDiagram builds n/4 copies of VPC › subnet › SG › (EC2, RDS) with flows.
func bigDiagram(n int) *model.Diagram {
	d := &model.Diagram{}
	for i := 0; len(d.Components) < n; i++ {
		v, s, g := fmt.Sprintf("vpc%d", i), fmt.Sprintf("sn%d", i), fmt.Sprintf("sg%d", i)
		d.Groups = append(d.Groups,
			model.Group{ID: v, Kind: model.KindContainer, Type: "aws.vpc"},
			model.Group{ID: s, Kind: model.KindContainer, Type: "aws.subnet", Parent: v},
			model.Group{ID: g, Kind: model.KindContainer, Type: "aws.security-group", Parent: s})
		web, db, lb, bk := fmt.Sprintf("web%d", i), fmt.Sprintf("db%d", i), fmt.Sprintf("lb%d", i), fmt.Sprintf("bucket%d", i)
		d.Components = append(d.Components,
			model.Component{ID: web, Type: "aws.ec2", Parent: g, Properties: model.Properties{"internetFacing": json.RawMessage("true")}},
			model.Component{ID: db, Type: "aws.rds", Parent: g},
			model.Component{ID: lb, Type: "aws.alb", Parent: v},
			model.Component{ID: bk, Type: "aws.s3"})
		d.Flows = append(d.Flows,
			model.Flow{ID: "f1-" + web, Source: lb, Target: web, Protocol: "HTTPS"},
			model.Flow{ID: "f2-" + web, Source: web, Target: db, Protocol: "PostgreSQL"},
			model.Flow{ID: "f3-" + web, Source: web, Target: bk, Protocol: "HTTPS"})
	}
	d.Normalize()
	return d
}

func BenchmarkTasks(b *testing.B) {
	c := cat(b)
	for _, n := range []int{1000, 5000, 20000} {
		d := bigDiagram(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			for b.Loop() {
				assist.Tasks(c, d)
			}
		})
	}
}
