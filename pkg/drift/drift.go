// Package drift compares a threat model built from a VPC with the VPC's
// current inventory and applies the VPC's state to the model one way.
//
// Compare rebuilds the VPC's diagram (pkg/builder) and lists what is only
// in the threat model, only in the VPC, and changed (with the changed
// attributes). Only elements the builder derives are compared: components
// and groups that carry an AWS resource, and elements with the builder's
// PropAccelerator property. Everything else was drawn by hand and is left
// alone: the report lists it apart (Report.HandDrawn), never as drift.
// Flows are described by the names of the components they join.
//
// Sync makes the model match the VPC: derived elements are replaced by the
// rebuilt ones (keeping properties a user added to them), hand-drawn
// components, groups and flows are kept, and the statuses and notes
// (ThreatModel.States) of unchanged elements survive because element ids
// are deterministic. States of elements that left the VPC are dropped; the
// status of items on elements whose type or properties changed is reopened
// (notes are kept), since the decision was made about a different
// resource. Sync followed by Compare reports no drift.
package drift

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/builder"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/inventory"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// Kind says how an element drifted.
type Kind string

// The kinds of drift.
const (
	OnlyInModel Kind = "only-in-model" // the resource is gone from the VPC
	OnlyInVPC   Kind = "only-in-vpc"   // the resource is new in the VPC
	Changed     Kind = "changed"       // the resource's attributes differ
	// HandDrawn marks the entries of Report.HandDrawn: elements a user drew
	// in the model, which Sync keeps; they are not drift.
	HandDrawn Kind = "hand-drawn"
)

// MaxHandDrawn bounds Report.HandDrawn; Report.HandDrawnCount has the total.
const MaxHandDrawn = 200

// The kinds of element a Change is about.
const (
	ElementComponent = "component"
	ElementGroup     = "group"
	ElementFlow      = "flow"
)

// Change is one drifted element.
type Change struct {
	Kind         Kind        `json:"kind"`
	Element      string      `json:"element"` // component, group or flow
	ID           string      `json:"id"`
	Name         string      `json:"name,omitempty"`
	ResourceType string      `json:"resourceType,omitempty"`
	ResourceID   string      `json:"resourceId,omitempty"`
	Attributes   []Attribute `json:"attributes,omitempty"` // for Changed
}

// Attribute is one changed attribute: its value in the model and in the VPC
// (JSON for properties; "" when absent).
type Attribute struct {
	Name  string `json:"name"`
	Model string `json:"model"`
	VPC   string `json:"vpc"`
}

// Report is the drift of one model.
type Report struct {
	VPC     string   `json:"vpcId"`
	Account string   `json:"accountId"`
	Region  string   `json:"region"`
	Changes []Change `json:"changes"`
	// HandDrawn lists (up to MaxHandDrawn, ordered by element and id) the
	// model's components, groups and flows drawn by hand: Sync keeps them,
	// and the Drift Log shows them under their own heading.
	HandDrawn []Change `json:"handDrawn,omitempty"`
	// HandDrawnCount is the number of hand-drawn elements, including those
	// past MaxHandDrawn.
	HandDrawnCount int `json:"handDrawnCount,omitempty"`
}

// InSync reports whether nothing drifted.
func (r *Report) InSync() bool { return len(r.Changes) == 0 }

// Count returns the number of changes of kind k.
func (r *Report) Count(k Kind) int {
	n := 0
	for _, c := range r.Changes {
		if c.Kind == k {
			n++
		}
	}
	return n
}

// Source returns the VPC a model was built from, from its properties
// (builder.PropVPC, PropAccount, PropRegion). It fails with errs.Invalid
// when the model was not built from a VPC.
func Source(m *model.ThreatModel) (builder.Options, error) {
	o := builder.Options{VPC: m.Properties[builder.PropVPC], Account: m.Properties[builder.PropAccount], Region: m.Properties[builder.PropRegion], ModelID: m.ID}
	if o.VPC == "" {
		return o, errs.Field("/properties/"+builder.PropVPC, "model %s was not built from a VPC (it has no %s property)", m.ID, builder.PropVPC)
	}
	return o, nil
}

// Compare rebuilds m's VPC from inv and returns the drift and the rebuilt
// model (for Sync).
func Compare(cat *catalog.Catalog, m *model.ThreatModel, inv *inventory.Inventory) (*Report, *builder.Result, error) {
	opts, err := Source(m)
	if err != nil {
		return nil, nil, err
	}
	built, err := builder.Build(cat, inv, opts)
	if err != nil {
		return nil, nil, fmt.Errorf("drift of model %s: %w", m.ID, err)
	}
	return Diff(m, built.Model), built, nil
}

// Managed reports whether the builder derived an element with these
// properties and resource (as opposed to a user drawing it).
func Managed(props model.Properties, res *model.AWSResource) bool {
	if res != nil {
		return true
	}
	_, ok := props[builder.PropAccelerator]
	return ok
}

// element is a component or group reduced to what drift compares.
type element struct {
	kind   string
	id     string
	name   string
	typ    string
	gkind  string
	parent string
	res    *model.AWSResource
	props  model.Properties
}

func elements(d *model.Diagram, managedOnly bool) map[string]*element {
	out := make(map[string]*element, len(d.Components)+len(d.Groups))
	for i := range d.Groups {
		g := &d.Groups[i]
		if managedOnly && !Managed(g.Properties, g.Resource) {
			continue
		}
		out[g.ID] = &element{kind: ElementGroup, id: g.ID, name: g.Name, typ: g.Type, gkind: string(g.Kind), parent: g.Parent, res: g.Resource, props: g.Properties}
	}
	for i := range d.Components {
		c := &d.Components[i]
		if managedOnly && !Managed(c.Properties, c.Resource) {
			continue
		}
		out[c.ID] = &element{kind: ElementComponent, id: c.ID, name: c.Name, typ: c.Type, parent: c.Parent, res: c.Resource, props: c.Properties}
	}
	return out
}

func resourceString(r *model.AWSResource) string {
	if r == nil {
		return ""
	}
	return strings.Join([]string{r.AccountID, r.Region, r.ResourceType, r.ResourceID, r.ARN}, " ")
}

func change(k Kind, e *element) Change {
	c := Change{Kind: k, Element: e.kind, ID: e.id, Name: e.name}
	if e.res != nil {
		c.ResourceType, c.ResourceID = e.res.ResourceType, e.res.ResourceID
	}
	return c
}

// attributes compares a model element with the rebuilt one: identity,
// place and every property the builder sets.
func attributes(m, b *element) []Attribute {
	var out []Attribute
	add := func(name, mv, bv string) {
		if mv != bv {
			out = append(out, Attribute{Name: name, Model: mv, VPC: bv})
		}
	}
	add("kind", m.kind+" "+m.gkind, b.kind+" "+b.gkind)
	add("type", m.typ, b.typ)
	add("name", m.name, b.name)
	add("parent", m.parent, b.parent)
	add("resource", resourceString(m.res), resourceString(b.res))
	keys := make([]string, 0, len(b.props))
	for k := range b.props {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !jsonEqual(m.props[k], b.props[k]) {
			add("properties."+k, string(m.props[k]), string(b.props[k]))
		}
	}
	return out
}

func jsonEqual(a, b json.RawMessage) bool {
	if bytes.Equal(a, b) {
		return true
	}
	if a == nil || b == nil {
		return false
	}
	var ca, cb bytes.Buffer
	if json.Compact(&ca, a) != nil || json.Compact(&cb, b) != nil {
		return false
	}
	return bytes.Equal(ca.Bytes(), cb.Bytes())
}

// Diff compares a model with a freshly built one (builder.Build of the same
// VPC). It is pure; changes are ordered by kind, element and id.
func Diff(m, built *model.ThreatModel) *Report {
	r := &Report{VPC: built.Properties[builder.PropVPC], Account: built.Properties[builder.PropAccount], Region: built.Properties[builder.PropRegion], Changes: []Change{}}
	have := elements(&m.Diagram, true)
	want := elements(&built.Diagram, false)
	for id, e := range have {
		b, ok := want[id]
		if !ok {
			r.Changes = append(r.Changes, change(OnlyInModel, e))
			continue
		}
		if attrs := attributes(e, b); len(attrs) > 0 {
			c := change(Changed, b)
			c.Attributes = attrs
			r.Changes = append(r.Changes, c)
		}
	}
	all := elements(&m.Diagram, false)
	for id, b := range want {
		if _, ok := have[id]; !ok {
			if _, clash := all[id]; clash {
				// A hand-drawn element took the id: report it as changed.
				c := change(Changed, b)
				c.Attributes = []Attribute{{Name: "managed", Model: "drawn by hand", VPC: "derived from the VPC"}}
				r.Changes = append(r.Changes, c)
				continue
			}
			r.Changes = append(r.Changes, change(OnlyInVPC, b))
		}
	}
	haveFlows := map[string]*model.Flow{}
	for i := range m.Diagram.Flows {
		if f := &m.Diagram.Flows[i]; Managed(f.Properties, nil) {
			haveFlows[f.ID] = f
		}
	}
	wantFlows := map[string]*model.Flow{}
	modelNames, builtNames := names(&m.Diagram), names(&built.Diagram)
	for i := range built.Diagram.Flows {
		f := &built.Diagram.Flows[i]
		wantFlows[f.ID] = f
		if _, ok := haveFlows[f.ID]; !ok {
			r.Changes = append(r.Changes, flowChange(OnlyInVPC, f, builtNames))
		}
	}
	for id, f := range haveFlows {
		if _, ok := wantFlows[id]; !ok {
			r.Changes = append(r.Changes, flowChange(OnlyInModel, f, modelNames))
		}
	}
	handDrawn(r, m, have, all, modelNames)
	order := map[Kind]int{OnlyInModel: 0, OnlyInVPC: 1, Changed: 2}
	slices.SortFunc(r.Changes, func(a, b Change) int {
		return cmp.Or(cmp.Compare(order[a.Kind], order[b.Kind]), cmp.Compare(a.Element, b.Element), cmp.Compare(a.ID, b.ID))
	})
	return r
}

// handDrawn lists in r the elements of m that are not derived from the VPC
// (all minus have) and its hand-drawn flows; nm names m's elements.
func handDrawn(r *Report, m *model.ThreatModel, have, all map[string]*element, nm map[string]string) {
	var hand []Change
	for id, e := range all {
		if _, derived := have[id]; !derived {
			hand = append(hand, change(HandDrawn, e))
		}
	}
	for i := range m.Diagram.Flows {
		if f := &m.Diagram.Flows[i]; !Managed(f.Properties, nil) {
			hand = append(hand, flowChange(HandDrawn, f, nm))
		}
	}
	slices.SortFunc(hand, func(a, b Change) int { return cmp.Or(cmp.Compare(a.Element, b.Element), cmp.Compare(a.ID, b.ID)) })
	r.HandDrawnCount = len(hand)
	r.HandDrawn = hand[:min(len(hand), MaxHandDrawn)]
}

// names maps the ids of d's components and groups to their names.
func names(d *model.Diagram) map[string]string {
	out := make(map[string]string, len(d.Components)+len(d.Groups))
	for _, g := range d.Groups {
		out[g.ID] = g.Name
	}
	for _, c := range d.Components {
		out[c.ID] = c.Name
	}
	return out
}

// flowChange describes a flow by the names of its ends (their ids when
// unnamed), protocol and port: "web → orders-db MySQL 3306".
func flowChange(k Kind, f *model.Flow, names map[string]string) Change {
	end := func(id string) string { return cmp.Or(names[id], id) }
	name := fmt.Sprintf("%s → %s %s", end(f.Source), end(f.Target), f.Protocol)
	if f.Port != 0 {
		name += fmt.Sprintf(" %d", f.Port)
	}
	return Change{Kind: k, Element: ElementFlow, ID: f.ID, Name: name}
}
