// Package assist is Bulwark's dependency rules engine: it reads a diagram
// against the catalog's Assist rules and lists what the architecture is
// missing (an EC2 instance needs a subnet, a VPC, a security group, logging,
// ...) as open tasks, and what it already has as completed tasks. Apply
// carries out a task's fix by placing the missing component.
//
// Tasks and Apply are pure functions of their inputs: they never change the
// diagram they are given, and the same inputs give the same tasks in the same
// order with the same ids ("rule@element"), so user decisions stored under a
// task id survive recomputation. Tasks runs in time linear in the size of the
// diagram.
package assist

import (
	"slices"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// The task statuses.
const (
	Open      = "open"
	Completed = "completed"
)

// Task is one thing an element of the diagram needs.
type Task struct {
	// ID is "rule@element".
	ID          string `json:"id"`
	Rule        string `json:"rule"`
	Element     string `json:"element"`
	ElementType string `json:"elementType"`
	ElementName string `json:"elementName,omitempty"`
	Text        string `json:"text"`
	// Status is Open or Completed.
	Status string `json:"status"`
	// Fix is set when Apply can complete the task.
	Fix *Fix `json:"fix,omitempty"`
}

// Fix describes what Apply does for a task.
type Fix struct {
	// Place is the component type Apply adds (empty for property fixes).
	Place string `json:"place,omitempty"`
	// As is "parent" (a container around the element), "connected" (linked
	// by a flow) or "anywhere".
	As string `json:"as,omitempty"`
	// Around is the id of the element the new container will enclose (the
	// task's element or one of its enclosing containers), for As "parent".
	Around string `json:"around,omitempty"`
	// Protocol and Direction describe the new flow for As "connected";
	// Direction "out" means element → new component.
	Protocol  string `json:"protocol,omitempty"`
	Direction string `json:"direction,omitempty"`
	// Set holds the properties Apply writes on the element.
	Set map[string]any `json:"set,omitempty"`
}

// Open reports whether the task still needs doing.
func (t *Task) Open() bool { return t.Status == Open }

// index is the diagram in the shape the rules need: lookups by id, the
// types present, and each element's neighbours' types.
type index struct {
	groups  map[string]*model.Group
	comps   map[string]*model.Component
	present map[string]bool
	out     map[string][]string // element id → types of flow targets
	in      map[string][]string // element id → types of flow sources
}

func newIndex(d *model.Diagram) *index {
	ix := &index{
		groups:  make(map[string]*model.Group, len(d.Groups)),
		comps:   make(map[string]*model.Component, len(d.Components)),
		present: map[string]bool{},
		out:     make(map[string][]string),
		in:      make(map[string][]string),
	}
	for i := range d.Groups {
		g := &d.Groups[i]
		ix.groups[g.ID] = g
		if g.Kind == model.KindContainer {
			ix.present[g.Type] = true
		}
	}
	for i := range d.Components {
		c := &d.Components[i]
		ix.comps[c.ID] = c
		ix.present[c.Type] = true
	}
	for i := range d.Flows {
		f := &d.Flows[i]
		if t := ix.typeOf(f.Target); t != "" {
			ix.out[f.Source] = append(ix.out[f.Source], t)
		}
		if t := ix.typeOf(f.Source); t != "" {
			ix.in[f.Target] = append(ix.in[f.Target], t)
		}
	}
	return ix
}

// typeOf returns the catalog type of a component or container, or "".
func (ix *index) typeOf(id string) string {
	if c := ix.comps[id]; c != nil {
		return c.Type
	}
	if g := ix.groups[id]; g != nil && g.Kind == model.KindContainer {
		return g.Type
	}
	return ""
}

// inside reports whether a container of one of types encloses the element
// whose parent is parent. The walk is bounded by the number of groups, so a
// parent cycle in an unvalidated diagram cannot loop.
func (ix *index) inside(parent string, types []string) bool {
	for steps := 0; parent != "" && steps <= len(ix.groups); steps++ {
		g := ix.groups[parent]
		if g == nil {
			return false
		}
		if g.Kind == model.KindContainer && slices.Contains(types, g.Type) {
			return true
		}
		parent = g.Parent
	}
	return false
}

// element is a component or a container group, seen the same way.
type element struct {
	id, typ, name, parent string
	props                 model.Properties
}

// Tasks returns every Assist task for d: for each component, then each
// container group, in diagram order, the rules of its type in catalog order.
// Elements of types the catalog does not know are skipped.
func Tasks(cat *catalog.Catalog, d *model.Diagram) []Task {
	ix := newIndex(d)
	var tasks []Task
	visit := func(e element) {
		ty := cat.Type(e.typ)
		if ty == nil {
			return
		}
		for _, r := range cat.AssistFor(e.typ) {
			if t, ok := evaluate(r, ty, e, ix); ok {
				tasks = append(tasks, t)
			}
		}
	}
	for i := range d.Components {
		c := &d.Components[i]
		visit(element{c.ID, c.Type, c.Name, c.Parent, c.Properties})
	}
	for i := range d.Groups {
		if g := &d.Groups[i]; g.Kind == model.KindContainer {
			visit(element{g.ID, g.Type, g.Name, g.Parent, g.Properties})
		}
	}
	return tasks
}

// evaluate applies one rule to one element; ok is false when the rule's
// conditions do not hold for the element.
func evaluate(r *catalog.AssistRule, ty *catalog.ComponentType, e element, ix *index) (Task, bool) {
	if !catalog.MatchAll(r.Conditions(), e.props, ty) {
		return Task{}, false
	}
	n := r.Needs
	var done bool
	switch {
	case n.Inside != nil:
		done = ix.inside(e.parent, n.Inside)
	case n.Connected != nil:
		dir := n.Connected.Direction
		done = (dir != "in" && containsAny(ix.out[e.id], n.Connected.Types)) ||
			(dir != "out" && containsAny(ix.in[e.id], n.Connected.Types))
	case n.Present != nil:
		for _, t := range n.Present {
			done = done || ix.present[t]
		}
	case n.Property != nil:
		done = catalog.MatchAll(r.PropertyNeeds(), e.props, ty)
	}
	t := Task{ID: r.ID + "@" + e.id, Rule: r.ID, Element: e.id, ElementType: e.typ, ElementName: e.name,
		Text: r.Task, Status: Open}
	if done {
		t.Status = Completed
	}
	if f := r.Fix; f != nil {
		t.Fix = &Fix{Place: f.Place, As: f.As, Protocol: f.Protocol, Direction: f.Direction, Set: f.Set}
		switch {
		case f.As == "parent":
			t.Fix.Around = ix.around(e, f.Above)
		case f.As == "connected" && f.Direction == "":
			t.Fix.Direction = "out"
		}
	}
	return t, true
}

// around returns the id of the element a new parent container should
// enclose: e itself, or the outermost of e's directly enclosing containers
// whose types are in above.
func (ix *index) around(e element, above []string) string {
	id, parent := e.id, e.parent
	for steps := 0; parent != "" && steps <= len(ix.groups); steps++ {
		g := ix.groups[parent]
		if g == nil || g.Kind != model.KindContainer || !slices.Contains(above, g.Type) {
			break
		}
		id, parent = g.ID, g.Parent
	}
	return id
}

func containsAny(have, want []string) bool {
	for _, h := range have {
		if slices.Contains(want, h) {
			return true
		}
	}
	return false
}

// SplitID splits a task (or analysis item) id "rule@element" at its first
// "@"; rule ids never contain one.
func SplitID(id string) (rule, elementID string, ok bool) {
	rule, elementID, ok = strings.Cut(id, "@")
	return rule, elementID, ok && rule != "" && elementID != ""
}
