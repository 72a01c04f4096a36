package assist

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// Layout constants for placed elements, in canvas units.
const (
	padX, padY      = 20.0, 40.0 // inset of a wrapped element inside its new container
	defaultW        = 120.0      // size assumed for components without one
	defaultH        = 80.0
	connectedOffset = 240.0 // horizontal distance of a newly placed connected component
)

// Apply carries out the fix of the open task taskID on a copy of d and
// returns the copy; d is not changed. Afterwards the task is completed:
//
//   - "parent": a new container of the fix's type encloses the element (or
//     the enclosing containers the rule says it goes above);
//   - "connected": a flow links the element to an existing component of the
//     type, or to a new one placed at the top level;
//   - "anywhere": a new component is placed at the top level;
//   - property fixes write the properties on the element.
//
// It returns an errs.NotFound error for an unknown task, errs.Conflict for a
// task that is already completed and errs.Invalid for a task without a fix.
func Apply(cat *catalog.Catalog, d *model.Diagram, taskID string) (*model.Diagram, error) {
	ruleID, elemID, ok := SplitID(taskID)
	if !ok {
		return nil, errs.E(errs.NotFound, "task %q: not a task id (rule@element)", taskID)
	}
	r := cat.AssistRule(ruleID)
	if r == nil {
		return nil, errs.E(errs.NotFound, "task %q: no Assist rule %q", taskID, ruleID)
	}
	ix := newIndex(d)
	e, ok := ix.element(elemID)
	if !ok {
		return nil, errs.E(errs.NotFound, "task %q: no component or container %q in the diagram", taskID, elemID)
	}
	ty := cat.Type(e.typ)
	task, applies := Task{}, false
	if ty != nil && containsAny([]string{e.typ}, r.For) {
		task, applies = evaluate(r, ty, e, ix)
	}
	switch {
	case !applies:
		return nil, errs.E(errs.NotFound, "task %q: the rule does not apply to %s %q", taskID, e.typ, elemID)
	case !task.Open():
		return nil, errs.E(errs.Conflict, "task %q is already completed", taskID)
	case task.Fix == nil:
		return nil, errs.E(errs.Invalid, "task %q has no automatic fix; change the diagram by hand", taskID)
	}

	out, err := clone(d)
	if err != nil {
		return nil, fmt.Errorf("apply task %q: %w", taskID, err)
	}
	p := placer{cat: cat, d: out, ids: map[string]bool{}}
	for _, c := range out.Components {
		p.ids[c.ID] = true
	}
	for _, g := range out.Groups {
		p.ids[g.ID] = true
	}
	for _, f := range out.Flows {
		p.ids[f.ID] = true
	}
	f := task.Fix
	switch {
	case f.Set != nil:
		err = p.set(elemID, f.Set)
	case f.As == "parent":
		err = p.wrap(f.Around, f.Place, elemID)
	case f.As == "connected":
		err = p.connect(elemID, f.Place, f.Protocol, f.Direction)
	default:
		p.add(f.Place, elemID)
	}
	if err != nil {
		return nil, fmt.Errorf("apply task %q: %w", taskID, err)
	}
	// The catalog guarantees each fix completes its need; check anyway so
	// that a bug never reports success.
	nix := newIndex(out)
	ne, _ := nix.element(elemID)
	if t, _ := evaluate(r, ty, ne, nix); t.Open() {
		return nil, errs.E(errs.Other, "apply task %q: the fix did not complete the task", taskID)
	}
	return out, nil
}

// element returns the component or container with id.
func (ix *index) element(id string) (element, bool) {
	if c := ix.comps[id]; c != nil {
		return element{c.ID, c.Type, c.Name, c.Parent, c.Properties}, true
	}
	if g := ix.groups[id]; g != nil && g.Kind == model.KindContainer {
		return element{g.ID, g.Type, g.Name, g.Parent, g.Properties}, true
	}
	return element{}, false
}

func clone(d *model.Diagram) (*model.Diagram, error) {
	b, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("copy diagram: %w", err)
	}
	var out model.Diagram
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("copy diagram: %w", err)
	}
	out.Normalize()
	return &out, nil
}

// placer adds elements to a diagram with fresh, deterministic ids.
type placer struct {
	cat *catalog.Catalog
	d   *model.Diagram
	ids map[string]bool
}

// newID returns "<prefix>-<anchor>" (shortened to fit), with a numeric
// suffix if that id is taken.
func (p *placer) newID(prefix, anchor string) string {
	base := prefix + "-" + anchor
	if len(base) > model.MaxIDLen-4 {
		base = base[:model.MaxIDLen-4]
	}
	id := base
	for n := 2; p.ids[id]; n++ {
		id = fmt.Sprintf("%s-%d", base, n)
	}
	p.ids[id] = true
	return id
}

// shortName turns "aws.security-group" into "security-group".
func shortName(typeID string) string {
	return typeID[strings.LastIndex(typeID, ".")+1:]
}

func (p *placer) name(typeID string) string {
	if t := p.cat.Type(typeID); t != nil {
		return t.Name
	}
	return typeID
}

func (p *placer) component(id string) *model.Component {
	for i := range p.d.Components {
		if p.d.Components[i].ID == id {
			return &p.d.Components[i]
		}
	}
	return nil
}

func (p *placer) group(id string) *model.Group {
	for i := range p.d.Groups {
		if p.d.Groups[i].ID == id {
			return &p.d.Groups[i]
		}
	}
	return nil
}

// frame returns a pointer to the element's parent, position and size.
func (p *placer) frame(id string) (parent *string, pos *model.Point, size model.Size, err error) {
	if c := p.component(id); c != nil {
		size = model.Size{Width: defaultW, Height: defaultH}
		if c.Size != nil {
			size = *c.Size
		}
		return &c.Parent, &c.Position, size, nil
	}
	if g := p.group(id); g != nil {
		return &g.Parent, &g.Position, g.Size, nil
	}
	return nil, nil, model.Size{}, fmt.Errorf("element %q is gone", id)
}

// absolute returns the canvas position of an element (positions of children
// are relative to their parent).
func (p *placer) absolute(id string) model.Point {
	_, pos, _, err := p.frame(id)
	if err != nil {
		return model.Point{}
	}
	abs := *pos
	parent := ""
	if c := p.component(id); c != nil {
		parent = c.Parent
	} else if g := p.group(id); g != nil {
		parent = g.Parent
	}
	for steps := 0; parent != "" && steps <= len(p.d.Groups); steps++ {
		g := p.group(parent)
		if g == nil {
			break
		}
		abs.X += g.Position.X
		abs.Y += g.Position.Y
		parent = g.Parent
	}
	return abs
}

// wrap puts a new container of type typ around the element around.
func (p *placer) wrap(around, typ, anchor string) error {
	parent, pos, size, err := p.frame(around)
	if err != nil {
		return err
	}
	g := model.Group{
		ID:       p.newID(shortName(typ), anchor),
		Kind:     model.KindContainer,
		Name:     p.name(typ),
		Type:     typ,
		Parent:   *parent,
		Position: model.Point{X: pos.X - padX, Y: pos.Y - padY},
		Size:     model.Size{Width: size.Width + 2*padX, Height: size.Height + padY + padX},
	}
	*parent = g.ID
	*pos = model.Point{X: padX, Y: padY}
	p.d.Groups = append(p.d.Groups, g)
	return nil
}

// connect links the element to a component of type typ, placing one when
// the diagram has none.
func (p *placer) connect(elemID, typ, protocol, direction string) error {
	other := ""
	for _, c := range p.d.Components {
		if c.Type == typ {
			other = c.ID
			break
		}
	}
	if other == "" {
		for _, g := range p.d.Groups {
			if g.Kind == model.KindContainer && g.Type == typ {
				other = g.ID
				break
			}
		}
	}
	if other == "" {
		other = p.add(typ, elemID)
	}
	src, dst := elemID, other
	if direction == "in" {
		src, dst = other, elemID
	}
	fl := model.Flow{ID: p.newID("flow", src+"-"+dst), Source: src, Target: dst, Protocol: protocol}
	if pr := p.cat.Protocol(protocol); pr != nil {
		fl.Protocol, fl.Port = pr.ID, pr.DefaultPort
	}
	p.d.Flows = append(p.d.Flows, fl)
	return nil
}

// add places a new top-level component of type typ to the right of anchor
// and returns its id.
func (p *placer) add(typ, anchor string) string {
	at := p.absolute(anchor)
	c := model.Component{
		ID:       p.newID(shortName(typ), anchor),
		Type:     typ,
		Name:     p.name(typ),
		Position: model.Point{X: at.X + connectedOffset, Y: at.Y},
	}
	p.d.Components = append(p.d.Components, c)
	return c.ID
}

// set writes properties on the element.
func (p *placer) set(elemID string, values map[string]any) error {
	var props *model.Properties
	if c := p.component(elemID); c != nil {
		props = &c.Properties
	} else if g := p.group(elemID); g != nil {
		props = &g.Properties
	} else {
		return fmt.Errorf("element %q is gone", elemID)
	}
	if *props == nil {
		*props = model.Properties{}
	}
	for k, v := range values {
		raw, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("encode property %s: %w", k, err)
		}
		(*props)[k] = raw
	}
	return nil
}
