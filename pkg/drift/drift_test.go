package drift

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/builder"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/inventory"
	"github.com/bulwark-tm/bulwark/pkg/inventory/synth"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

const account = "123456789012"

var testVPCs = []synth.VPC{
	{Account: account, Region: "us-east-1", Name: "web", CIDR: "10.1.0.0/16", Kind: synth.ThreeTier, Zones: 2, Scale: 1},
	{Account: account, Region: "us-east-1", Name: "svc", CIDR: "10.2.0.0/16", Kind: synth.Microservices, Zones: 2, Scale: 1},
}

func setup(t testing.TB, vpcs []synth.VPC) (*catalog.Catalog, func() *inventory.Inventory) {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := synth.Write(dir, vpcs); err != nil {
		t.Fatal(err)
	}
	return cat, func() *inventory.Inventory {
		r := inventory.NewReader(nil)
		if err := r.ReadPaths(context.Background(), dir); err != nil {
			t.Fatal(err)
		}
		return r.Inventory
	}
}

func vpcNamed(t testing.TB, inv *inventory.Inventory, name string) string {
	for _, v := range builder.VPCs(inv) {
		if v.Tags["Name"] == name {
			return v.ID
		}
	}
	t.Fatalf("no VPC %s", name)
	return ""
}

func build(t testing.TB, cat *catalog.Catalog, inv *inventory.Inventory, vpc string) *model.ThreatModel {
	t.Helper()
	res, err := builder.Build(cat, inv, builder.Options{VPC: vpc})
	if err != nil {
		t.Fatal(err)
	}
	return res.Model
}

// later returns a copy of r recorded an hour later.
func later(r *inventory.Resource) *inventory.Resource {
	c := *r
	c.CaptureTime = r.CaptureTime.Add(time.Hour)
	c.Tags = map[string]string{}
	for k, v := range r.Tags {
		c.Tags[k] = v
	}
	return &c
}

func editConfig(r *inventory.Resource, edit func(map[string]any)) {
	var m map[string]any
	if err := json.Unmarshal(r.Configuration, &m); err != nil {
		panic(err)
	}
	edit(m)
	r.Configuration, _ = json.Marshal(m)
}

func instances(inv *inventory.Inventory, vpc string) []*inventory.Resource {
	var out []*inventory.Resource
	for _, r := range inv.Resources() {
		if r.Type == "AWS::EC2::Instance" && strings.Contains(string(r.Configuration), vpc) {
			out = append(out, r)
		}
	}
	return out
}

// mutations change an inventory the way a VPC changes.
var mutations = map[string]func(inv *inventory.Inventory, r *inventory.Resource){
	"delete": func(inv *inventory.Inventory, r *inventory.Resource) {
		c := later(r)
		c.Status = inventory.StatusDeleted
		inv.Add(c)
	},
	"rename": func(inv *inventory.Inventory, r *inventory.Resource) {
		c := later(r)
		c.Tags["Name"] += "-renamed"
		inv.Add(c)
	},
	"public IP": func(inv *inventory.Inventory, r *inventory.Resource) {
		c := later(r)
		editConfig(c, func(m map[string]any) { m["publicIpAddress"] = "198.51.100.200" })
		inv.Add(c)
	},
	"new instance": func(inv *inventory.Inventory, r *inventory.Resource) {
		c := later(r)
		c.ID = "i-0fff" + r.ID[6:]
		c.ARN = strings.Replace(r.ARN, r.ID, c.ID, 1)
		c.Tags["Name"] = "added"
		editConfig(c, func(m map[string]any) { m["instanceId"] = c.ID })
		inv.Add(c)
	},
}

func TestCompare(t *testing.T) {
	cat, load := setup(t, testVPCs)
	tests := []struct {
		mutation string
		want     map[Kind]int // components only
		attr     string       // an attribute a Changed component must list
	}{
		{"", map[Kind]int{}, ""},
		{"delete", map[Kind]int{OnlyInModel: 1}, ""},
		{"new instance", map[Kind]int{OnlyInVPC: 1}, ""},
		{"rename", map[Kind]int{Changed: 1}, "name"},
		{"public IP", map[Kind]int{Changed: 1}, "properties.publicIp"},
	}
	for _, tt := range tests {
		t.Run(cmpName(tt.mutation), func(t *testing.T) {
			inv := load()
			vpc := vpcNamed(t, inv, "web")
			m := build(t, cat, inv, vpc)
			target := instances(inv, vpc)[3]
			if tt.mutation != "" {
				mutations[tt.mutation](inv, target)
			}
			rep, _, err := Compare(cat, m, inv)
			if err != nil {
				t.Fatal(err)
			}
			got := map[Kind]int{}
			for _, c := range rep.Changes {
				if c.Element == ElementComponent {
					got[c.Kind]++
					if tt.mutation != "new instance" && c.ID != target.ID {
						t.Errorf("change of %s, want only %s", c.ID, target.ID)
					}
					if tt.attr != "" && !slices.ContainsFunc(c.Attributes, func(a Attribute) bool { return a.Name == tt.attr }) {
						t.Errorf("attributes %+v lack %s", c.Attributes, tt.attr)
					}
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("component changes %v, want %v (all: %+v)", got, tt.want, rep.Changes)
			}
			if rep.InSync() != (tt.mutation == "") {
				t.Errorf("InSync = %v", rep.InSync())
			}
		})
	}
}

func cmpName(s string) string {
	if s == "" {
		return "unchanged"
	}
	return s
}

func TestCompareNotBuilt(t *testing.T) {
	cat, load := setup(t, testVPCs[:1])
	m := &model.ThreatModel{ID: "hand"}
	if _, _, err := Compare(cat, m, load()); !errs.Is(err, errs.Invalid) {
		t.Errorf("err = %v, want invalid", err)
	}
	m.Properties = map[string]string{builder.PropVPC: "vpc-0123456789abcdef0"}
	if _, _, err := Compare(cat, m, load()); !errs.Is(err, errs.NotFound) {
		t.Errorf("err = %v, want not found", err)
	}
}

// TestSyncProperties mutates the inventory at random and checks that sync
// then drift is empty, that hand-drawn elements survive, and that the
// states of unchanged elements survive untouched.
func TestSyncProperties(t *testing.T) {
	cat, load := setup(t, testVPCs)
	names := []string{"delete", "rename", "public IP", "new instance"}
	for seed := range uint64(25) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 7))
			inv := load()
			vpc := vpcNamed(t, inv, []string{"web", "svc"}[seed%2])
			m := build(t, cat, inv, vpc)
			m.States = map[string]model.ItemState{}
			for _, c := range m.Diagram.Components {
				m.States["rule.a@"+c.ID] = model.ItemState{Status: "Mitigated", Notes: "checked " + c.ID}
			}
			for _, f := range m.Diagram.Flows[:min(5, len(m.Diagram.Flows))] {
				m.States["flow.rule@"+f.ID] = model.ItemState{Status: "Risk Accepted"}
			}
			// Hand-drawn: a component in a subnet, one at the root, a group
			// and a flow to a derived component.
			subnet := ""
			for _, g := range m.Diagram.Groups {
				if g.Type == "aws.subnet" {
					subnet = g.ID
					break
				}
			}
			m.Diagram.Groups = append(m.Diagram.Groups, model.Group{ID: "team", Kind: model.KindBoundary, Name: "Team", Size: model.Size{Width: 100, Height: 100}})
			m.Diagram.Components = append(m.Diagram.Components,
				model.Component{ID: "hand-db", Type: "generic.database", Name: "Legacy DB", Parent: subnet},
				model.Component{ID: "hand-users", Type: "generic.browser", Name: "Staff", Parent: "team"})
			m.Diagram.Flows = append(m.Diagram.Flows, model.Flow{ID: "hand-flow", Source: "hand-users", Target: m.Diagram.Components[0].ID, Protocol: "HTTPS"})
			m.States["generic.datastore.disclosure@hand-db"] = model.ItemState{Status: "Mitigated"}
			if err := m.Validate(); err != nil {
				t.Fatal(err)
			}

			insts := instances(inv, vpc)
			n := rng.IntN(4)
			if len(insts) == 0 {
				n = 0
			}
			for range n {
				mutations[names[rng.IntN(len(names))]](inv, insts[rng.IntN(len(insts))])
			}

			rep, built, err := Compare(cat, m, inv)
			if err != nil {
				t.Fatal(err)
			}
			res := Sync(m, built.Model)
			if err := res.Model.Validate(); err != nil {
				t.Fatalf("synced model invalid: %v", err)
			}
			again, _, err := Compare(cat, res.Model, inv)
			if err != nil {
				t.Fatal(err)
			}
			if !again.InSync() {
				t.Fatalf("drift after sync: %+v", again.Changes)
			}
			for _, id := range []string{"hand-db", "hand-users", "team", "hand-flow"} {
				if !hasID(&res.Model.Diagram, id) {
					t.Errorf("hand-drawn %s lost", id)
				}
			}
			touched := map[string]bool{}
			for _, c := range rep.Changes {
				touched[c.ID] = true
			}
			for key, st := range m.States {
				el := stateElement(key)
				got, ok := res.Model.States[key]
				if touched[el] {
					continue
				}
				if !ok || got != st {
					t.Errorf("state %s of unchanged element: %+v → %+v (present %v)", key, st, got, ok)
				}
			}
			for _, key := range res.Dropped {
				if hasID(&res.Model.Diagram, stateElement(key)) {
					t.Errorf("dropped state %s of an element still drawn", key)
				}
			}
			if m.Diagram.Components[len(m.Diagram.Components)-1].ID != "hand-users" {
				t.Error("Sync changed its input")
			}
		})
	}
}

func hasID(d *model.Diagram, id string) bool {
	return slices.ContainsFunc(d.Components, func(c model.Component) bool { return c.ID == id }) ||
		slices.ContainsFunc(d.Groups, func(g model.Group) bool { return g.ID == id }) ||
		slices.ContainsFunc(d.Flows, func(f model.Flow) bool { return f.ID == id })
}

func TestSyncReopensChanged(t *testing.T) {
	cat, load := setup(t, testVPCs[:1])
	inv := load()
	vpc := vpcNamed(t, inv, "web")
	m := build(t, cat, inv, vpc)
	target := instances(inv, vpc)[0]
	other := instances(inv, vpc)[1]
	m.States = map[string]model.ItemState{
		"aws.ec2.directly-reachable@" + target.ID: {Status: "Mitigated", Notes: "private"},
		"aws.ec2.directly-reachable@" + other.ID:  {Status: "Mitigated", Notes: "private"},
	}
	for i := range m.Diagram.Components {
		if m.Diagram.Components[i].ID == target.ID {
			m.Diagram.Components[i].Properties["dataElements"] = json.RawMessage(`["PII"]`)
		}
	}
	mutations["public IP"](inv, target)
	_, built, err := Compare(cat, m, inv)
	if err != nil {
		t.Fatal(err)
	}
	res := Sync(m, built.Model)
	got := res.Model.States["aws.ec2.directly-reachable@"+target.ID]
	if got.Status != "" || got.Notes != "private" || len(res.Reopened) != 1 {
		t.Errorf("changed element state = %+v, reopened %v", got, res.Reopened)
	}
	if res.Model.States["aws.ec2.directly-reachable@"+other.ID].Status != "Mitigated" {
		t.Error("unchanged element reopened")
	}
	for _, c := range res.Model.Diagram.Components {
		if c.ID == target.ID && string(c.Properties["dataElements"]) != `["PII"]` {
			t.Error("a user's property on a derived component was lost")
		}
	}
}

func TestStateElement(t *testing.T) {
	tests := map[string]string{
		"aws.ec2.x@i-0abc":            "i-0abc",
		"flow.x@flow-0123":            "flow-0123",
		"aws.x@elem@nested-component": "nested-component",
		"no-at":                       "no-at",
	}
	for in, want := range tests {
		if got := stateElement(in); got != want {
			t.Errorf("stateElement(%q) = %q, want %q", in, got, want)
		}
	}
}
