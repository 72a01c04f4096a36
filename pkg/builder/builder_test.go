package builder

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/inventory"
	"github.com/bulwark-tm/bulwark/pkg/inventory/synth"
	"github.com/bulwark-tm/bulwark/pkg/model"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files and the generated fixture")

// fixtureVPCs is the small organization in testdata/config (regenerated
// with -update).
var fixtureVPCs = []synth.VPC{
	{Account: "123456789012", Region: "us-east-1", Name: "web", CIDR: "10.1.0.0/16", Kind: synth.ThreeTier, Zones: 2, Scale: 1},
	{Account: "123456789012", Region: "us-east-1", Name: "svc", CIDR: "10.2.0.0/16", Kind: synth.Microservices, Zones: 2, Scale: 1},
	{Account: "123456789012", Region: "us-east-1", Name: "lake", CIDR: "10.3.0.0/16", Kind: synth.DataPlatform, Zones: 1, Scale: 1},
}

func catalogT(t testing.TB) *catalog.Catalog {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func readInventory(t testing.TB, paths ...string) *inventory.Inventory {
	t.Helper()
	r := inventory.NewReader(nil)
	if err := r.ReadPaths(context.Background(), paths...); err != nil {
		t.Fatal(err)
	}
	return r.Inventory
}

func fixture(t *testing.T) *inventory.Inventory {
	t.Helper()
	if *update {
		os.RemoveAll("testdata/config")
		if _, err := synth.Write("testdata/config", fixtureVPCs); err != nil {
			t.Fatal(err)
		}
	}
	return readInventory(t, "testdata/config")
}

func vpcByName(t *testing.T, inv *inventory.Inventory, name string) string {
	t.Helper()
	for _, v := range VPCs(inv) {
		if v.Tags["Name"] == name {
			return v.ID
		}
	}
	t.Fatalf("no VPC %s", name)
	return ""
}

func TestBuildGolden(t *testing.T) {
	inv := fixture(t)
	cat := catalogT(t)
	for _, name := range []string{"web", "svc", "lake"} {
		t.Run(name, func(t *testing.T) {
			res, err := Build(cat, inv, Options{VPC: vpcByName(t, inv, name)})
			if err != nil {
				t.Fatal(err)
			}
			if err := res.Model.Validate(); err != nil {
				t.Fatalf("built model is invalid: %v", err)
			}
			checkLayout(t, &res.Model.Diagram)
			got, err := json.MarshalIndent(map[string]any{"model": res.Model, "stats": res.Stats}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", name+".golden.json"), got)
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	got = append(got, '\n')
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs (-want +got):\n%s", path, cmp.Diff(string(want), string(got)))
	}
}

// TestBuildBehaviour checks what the diagram says about the fixture VPCs.
func TestBuildBehaviour(t *testing.T) {
	inv := fixture(t)
	cat := catalogT(t)
	built := map[string]*model.Diagram{}
	for _, name := range []string{"web", "svc", "lake"} {
		res, err := Build(cat, inv, Options{VPC: vpcByName(t, inv, name)})
		if err != nil {
			t.Fatal(err)
		}
		built[name] = &res.Model.Diagram
	}
	comp := func(d *model.Diagram, pred func(*model.Component) bool) *model.Component {
		for i := range d.Components {
			if pred(&d.Components[i]) {
				return &d.Components[i]
			}
		}
		return nil
	}
	byName := func(d *model.Diagram, name string) *model.Component {
		return comp(d, func(c *model.Component) bool { return c.Name == name })
	}
	group := func(d *model.Diagram, id string) *model.Group {
		for i := range d.Groups {
			if d.Groups[i].ID == id {
				return &d.Groups[i]
			}
		}
		return nil
	}
	hasFlow := func(d *model.Diagram, src, dst, proto string, port int) bool {
		return slices.ContainsFunc(d.Flows, func(f model.Flow) bool {
			return f.Source == src && f.Target == dst && f.Protocol == proto && f.Port == port
		})
	}
	prop := func(p model.Properties, k string) string { return string(p[k]) }
	tests := []struct {
		name string
		vpc  string
		ok   func(d *model.Diagram) string
	}{
		{"load balancer sits in a public subnet", "web", func(d *model.Diagram) string {
			lb := byName(d, "web-web")
			if lb == nil || lb.Type != "aws.alb" {
				return "no ALB"
			}
			if g := group(d, lb.Parent); g == nil || prop(g.Properties, "public") != "true" {
				return "ALB parent is not a public subnet: " + lb.Parent
			}
			if prop(lb.Properties, "internetFacing") != "true" || prop(lb.Properties, "httpsOnly") != "true" {
				return "ALB properties " + fmt.Sprint(lb.Properties)
			}
			return ""
		}},
		{"app instances sit in private subnets, ENIs folded in", "web", func(d *model.Diagram) string {
			c := byName(d, "web-app-a01")
			if c == nil || c.Type != "aws.ec2" {
				return "no instance"
			}
			if g := group(d, c.Parent); g == nil || prop(g.Properties, "public") != "false" {
				return "instance not in a private subnet"
			}
			if !strings.HasPrefix(prop(c.Properties, "networkInterfaces"), `["eni-`) || !strings.Contains(prop(c.Properties, "securityGroups"), "(web-app)") {
				return "ENI or security group not folded: " + fmt.Sprint(c.Properties)
			}
			if comp(d, func(c *model.Component) bool { return strings.HasPrefix(c.ID, "eni-") }) != nil {
				return "an ENI is drawn"
			}
			return ""
		}},
		{"internet → IGW → ALB on the listeners", "web", func(d *model.Diagram) string {
			lb, igw := byName(d, "web-web"), comp(d, func(c *model.Component) bool { return c.Type == "aws.internet-gateway" })
			if igw == nil || !hasFlow(d, "internet", igw.ID, "HTTPS", 443) || !hasFlow(d, igw.ID, lb.ID, "HTTPS", 443) || !hasFlow(d, igw.ID, lb.ID, "HTTP", 80) {
				return "missing internet flows"
			}
			return ""
		}},
		{"ALB → web instances from the target group", "web", func(d *model.Diagram) string {
			lb, web := byName(d, "web-web"), byName(d, "web-web-b03")
			if !hasFlow(d, lb.ID, web.ID, "HTTP", 8080) {
				return "missing ALB → web flow"
			}
			return ""
		}},
		{"security-group rule app → database on PostgreSQL", "web", func(d *model.Diagram) string {
			db := comp(d, func(c *model.Component) bool { return c.Type == "aws.rds" })
			app := byName(d, "web-app-a01")
			if db == nil || !hasFlow(d, app.ID, db.ID, "PostgreSQL", 5432) {
				return "missing app → db flow"
			}
			if prop(db.Properties, "encrypted") != "true" || prop(db.Properties, "engine") != `"postgres"` {
				return "db properties " + fmt.Sprint(db.Properties)
			}
			return ""
		}},
		{"bastion open to the internet on SSH", "web", func(d *model.Diagram) string {
			b := byName(d, "web-bastion")
			igw := comp(d, func(c *model.Component) bool { return c.Type == "aws.internet-gateway" })
			if b == nil || !hasFlow(d, igw.ID, b.ID, "SSH", 22) || prop(b.Properties, "publicIp") != "true" {
				return "bastion flows or publicIp missing"
			}
			return ""
		}},
		{"S3 reached through the gateway endpoint", "web", func(d *model.Diagram) string {
			s3 := comp(d, func(c *model.Component) bool { return c.ID == "service:s3" })
			ep := comp(d, func(c *model.Component) bool {
				return c.Type == "aws.vpc-endpoint" && strings.Contains(string(c.Properties["serviceName"]), ".s3")
			})
			if s3 == nil || s3.Type != "aws.s3" || ep == nil || !hasFlow(d, ep.ID, s3.ID, "HTTPS", 443) {
				return "no S3 service or flow"
			}
			if ep.Parent != vpcByName(t, inv, "web") {
				return "gateway endpoint not at the VPC level"
			}
			return ""
		}},
		{"ECS services with their tasks, gateway behind the ALB", "svc", func(d *model.Diagram) string {
			gw := byName(d, "gateway")
			if gw == nil || gw.Type != "aws.ecs" || prop(gw.Properties, "runningTasks") != "4" {
				return "gateway service " + fmt.Sprint(gw)
			}
			lb := byName(d, "svc-edge")
			if !hasFlow(d, lb.ID, gw.ID, "HTTP", 8080) {
				return "missing ALB → gateway"
			}
			cart := byName(d, "cart")
			if !hasFlow(d, gw.ID, cart.ID, "HTTP", 8080) {
				return "missing gateway → cart"
			}
			return ""
		}},
		{"Aurora, EKS and Lambda in the VPC", "svc", func(d *model.Diagram) string {
			for _, typ := range []string{"aws.aurora", "aws.eks", "aws.lambda", "aws.transit-gateway", "aws.nat-gateway"} {
				if comp(d, func(c *model.Component) bool { return c.Type == typ }) == nil {
					return "no " + typ
				}
			}
			return ""
		}},
		{"unknown types are generic components keeping their AWS type", "lake", func(d *model.Diagram) string {
			nb := comp(d, func(c *model.Component) bool { return c.Type == GenericType })
			if nb == nil || nb.Resource.ResourceType != "AWS::SageMaker::NotebookInstance" || prop(nb.Properties, "sourceType") != `"AWS::SageMaker::NotebookInstance"` {
				return "no generic notebook"
			}
			if g := group(d, nb.Parent); g == nil || g.Type != "aws.subnet" {
				return "notebook not in its subnet"
			}
			return ""
		}},
		{"containment VPC › zone › subnet", "lake", func(d *model.Diagram) string {
			for _, g := range d.Groups {
				switch g.Type {
				case "aws.subnet":
					if p := group(d, g.Parent); p == nil || p.Kind != model.KindGroup || !strings.HasPrefix(p.ID, "az:") {
						return "subnet parent " + g.Parent
					}
				case "aws.vpc":
					if g.Parent != "" {
						return "VPC has a parent"
					}
				}
			}
			return ""
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if msg := tt.ok(built[tt.vpc]); msg != "" {
				t.Error(msg)
			}
		})
	}
}

func TestBuildErrors(t *testing.T) {
	inv := fixture(t)
	cat := catalogT(t)
	// The same VPC id in a second account makes a bare id ambiguous.
	vpc := vpcByName(t, inv, "web")
	orig := inv.Get(inventory.Key{AccountID: "123456789012", Region: "us-east-1", Type: "AWS::EC2::VPC", ID: vpc})
	twin := *orig
	twin.AccountID = "222222222222"
	inv.Add(&twin)
	tests := []struct {
		name string
		opts Options
		kind errs.Kind
	}{
		{"no id", Options{}, errs.Invalid},
		{"unknown VPC", Options{VPC: "vpc-0123456789abcdef0"}, errs.NotFound},
		{"wrong account", Options{VPC: vpc, Account: "111111111111"}, errs.NotFound},
		{"ambiguous", Options{VPC: vpc}, errs.Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Build(cat, inv, tt.opts)
			if !errs.Is(err, tt.kind) {
				t.Errorf("err = %v, want kind %v", err, tt.kind)
			}
		})
	}
	if _, err := Build(cat, inv, Options{VPC: vpc, Account: "123456789012"}); err != nil {
		t.Errorf("with the account: %v", err)
	}
}

// TestBuildLarge builds a 2,000-resource VPC twice: the documents are
// identical and the layout has no overlaps.
func TestBuildLarge(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Write(dir, []synth.VPC{synth.ThreeTierOfSize("123456789012", "big", 50, 2000)}); err != nil {
		t.Fatal(err)
	}
	inv := readInventory(t, dir)
	if n := inv.Len(); n < 1900 || n > 2200 {
		t.Fatalf("generated %d resources, want about 2000", n)
	}
	cat := catalogT(t)
	vpc := VPCs(inv)[0].ID
	a, err := Build(cat, inv, Options{VPC: vpc})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Build(cat, inv, Options{VPC: vpc})
	ja, _ := json.Marshal(a.Model)
	jb, _ := json.Marshal(b.Model)
	if !bytes.Equal(ja, jb) {
		t.Error("two builds of the same inventory differ")
	}
	if err := a.Model.Validate(); err != nil {
		t.Fatal(err)
	}
	checkLayout(t, &a.Model.Diagram)
}

type rect struct{ x, y, w, h float64 }

func (r rect) overlaps(o rect) bool {
	return r.x < o.x+o.w && o.x < r.x+r.w && r.y < o.y+o.h && o.y < r.y+r.h
}

// checkLayout asserts that siblings do not overlap and children fit inside
// their parent.
func checkLayout(t *testing.T, d *model.Diagram) {
	t.Helper()
	type el struct {
		id string
		r  rect
	}
	children := map[string][]el{}
	size := map[string]model.Size{}
	for _, g := range d.Groups {
		children[g.Parent] = append(children[g.Parent], el{g.ID, rect{g.Position.X, g.Position.Y, g.Size.Width, g.Size.Height}})
		size[g.ID] = g.Size
	}
	for _, c := range d.Components {
		children[c.Parent] = append(children[c.Parent], el{c.ID, rect{c.Position.X, c.Position.Y, c.Size.Width, c.Size.Height}})
	}
	for parent, els := range children {
		slices.SortFunc(els, func(a, b el) int { return int(a.r.x - b.r.x) })
		for i, a := range els {
			if parent != "" {
				s := size[parent]
				if a.r.x < 0 || a.r.y < 0 || a.r.x+a.r.w > s.Width || a.r.y+a.r.h > s.Height {
					t.Fatalf("%s (%v) sticks out of %s (%v)", a.id, a.r, parent, s)
				}
			}
			for _, b := range els[i+1:] {
				if b.r.x >= a.r.x+a.r.w {
					break
				}
				if a.r.overlaps(b.r) {
					t.Fatalf("%s %v overlaps %s %v in %q", a.id, a.r, b.id, b.r, parent)
				}
			}
		}
	}
}

func TestComponentID(t *testing.T) {
	tests := []struct {
		typ, id, want string
	}{
		{"AWS::EC2::Instance", "i-0a1b2c3d4e5f60001", "i-0a1b2c3d4e5f60001"},
		{"AWS::Lambda::Function", "orders", "lambda:orders"},
		{"AWS::ElasticLoadBalancingV2::LoadBalancer", "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/0123", "elb:loadbalancer/app/web/0123"},
		{"AWS::SageMaker::NotebookInstance", "my notebook", "sagemaker-notebookinstance:my_notebook"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			got := ComponentID(&inventory.Resource{Type: tt.typ, ID: tt.id, AccountID: "123456789012"})
			if got != tt.want {
				t.Errorf("ComponentID = %q, want %q", got, tt.want)
			}
		})
	}
	long := ComponentID(&inventory.Resource{Type: "AWS::ECS::Service", ID: strings.Repeat("x", 300)})
	if len(long) != model.MaxIDLen {
		t.Errorf("long id has %d characters", len(long))
	}
}
