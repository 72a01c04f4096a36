// Package template keeps the organization's repository of pre-approved
// design patterns: templates of diagrams that new threat models start from
// (as a copy) or that are dropped into a model as a group.
//
// A template has a version that grows with every saved change (each version
// is kept, so a model can say which one it came from) and an approval state:
// drafts are visible to admins only; approving is an admin action that
// records who and when. Built-in templates ship in rules/templates and are
// read-only and approved.
package template

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// The approval states.
const (
	Draft    = "draft"
	Approved = "approved"
)

// Template is a reusable diagram with its description.
type Template struct {
	ID          string            `json:"id"`
	Name        string            `json:"name"`
	Description string            `json:"description,omitempty"`
	Category    string            `json:"category,omitempty"` // e.g. "AWS", "Web"
	Labels      []string          `json:"labels,omitempty"`
	Properties  map[string]string `json:"properties,omitempty"`
	Diagram     model.Diagram     `json:"diagram"`
	Version     int               `json:"version"`
	State       string            `json:"state"`
	ApprovedBy  string            `json:"approvedBy,omitempty"`
	ApprovedAt  time.Time         `json:"approvedAt,omitzero"`
	CreatedBy   string            `json:"createdBy,omitempty"`
	CreatedAt   time.Time         `json:"createdAt,omitzero"`
	UpdatedBy   string            `json:"updatedBy,omitempty"`
	UpdatedAt   time.Time         `json:"updatedAt,omitzero"`
	BuiltIn     bool              `json:"builtIn,omitempty"`
	// Source says where the template was saved from, e.g. "model tm-1".
	Source   string `json:"source,omitempty"`
	Revision int64  `json:"revision"` // the store's revision, for If-Match
}

// Summary is the list view of a Template.
type Summary struct {
	ID             string    `json:"id"`
	Name           string    `json:"name"`
	Description    string    `json:"description,omitempty"`
	Category       string    `json:"category,omitempty"`
	Labels         []string  `json:"labels,omitempty"`
	Version        int       `json:"version"`
	State          string    `json:"state"`
	BuiltIn        bool      `json:"builtIn,omitempty"`
	UpdatedAt      time.Time `json:"updatedAt,omitzero"`
	Revision       int64     `json:"revision"`
	ComponentCount int       `json:"componentCount"`
	FlowCount      int       `json:"flowCount"`
}

// Summarize returns the list view of t.
func (t *Template) Summarize() Summary {
	return Summary{ID: t.ID, Name: t.Name, Description: t.Description, Category: t.Category, Labels: t.Labels,
		Version: t.Version, State: t.State, BuiltIn: t.BuiltIn, UpdatedAt: t.UpdatedAt, Revision: t.Revision,
		ComponentCount: len(t.Diagram.Components), FlowCount: len(t.Diagram.Flows)}
}

// Validate checks the template's fields and its diagram, naming fields as
// JSON Pointers.
func (t *Template) Validate() error {
	switch {
	case strings.TrimSpace(t.Name) == "":
		return errs.Field("/name", "is required")
	case len(t.Name) > model.MaxNameLen:
		return errs.Field("/name", "longer than %d characters", model.MaxNameLen)
	case len(t.Description) > model.MaxDescLen:
		return errs.Field("/description", "longer than %d characters", model.MaxDescLen)
	case len(t.Category) > model.MaxLabelLen:
		return errs.Field("/category", "longer than %d characters", model.MaxLabelLen)
	case t.State != Draft && t.State != Approved:
		return errs.Field("/state", "must be %q or %q, got %q", Draft, Approved, t.State)
	case len(t.Diagram.Components)+len(t.Diagram.Groups) == 0:
		return errs.Field("/diagram", "a template needs at least one component or group")
	}
	if err := t.Diagram.Validate(); err != nil {
		return err
	}
	return nil
}

// Decode reads a template sent by a client: unknown fields and wrong types
// are errors naming the field.
func Decode(data []byte) (*Template, error) {
	var t Template
	if err := model.DecodeStrict(data, &t); err != nil {
		return nil, err
	}
	t.Diagram.Normalize()
	return &t, nil
}

// Subset returns the part of d that a "Save Group as Template" keeps: the
// group with id groupID and everything inside it, or, when groupID is empty,
// the listed components. Flows are kept when both ends are kept. The kept
// top-level elements lose their parent and are moved so that the subset
// starts near the origin.
func Subset(d *model.Diagram, groupID string, componentIDs []string) (*model.Diagram, error) {
	keep := map[string]bool{}
	switch {
	case groupID != "":
		found := false
		for _, g := range d.Groups {
			if g.ID == groupID {
				found = true
			}
		}
		if !found {
			return nil, errs.Field("/group", "no group %q in the diagram", groupID)
		}
		keep[groupID] = true
		// Children may be listed before their parents: iterate to a fixed
		// point, bounded by the nesting depth.
		for changed := true; changed; {
			changed = false
			for _, g := range d.Groups {
				if !keep[g.ID] && keep[g.Parent] {
					keep[g.ID], changed = true, true
				}
			}
		}
		for _, c := range d.Components {
			if keep[c.Parent] {
				keep[c.ID] = true
			}
		}
	case len(componentIDs) > 0:
		ids := map[string]bool{}
		for _, c := range d.Components {
			ids[c.ID] = true
		}
		for i, id := range componentIDs {
			if !ids[id] {
				return nil, errs.Field(fmt.Sprintf("/components/%d", i), "no component %q in the diagram", id)
			}
			keep[id] = true
		}
	default:
		out := cloneDiagram(d)
		return out, nil
	}
	out := &model.Diagram{Components: []model.Component{}, Flows: []model.Flow{}, Groups: []model.Group{}}
	minX, minY := 0.0, 0.0
	first := true
	top := func(parent string) bool { return !keep[parent] }
	note := func(p model.Point) {
		if first || p.X < minX {
			minX = p.X
		}
		if first || p.Y < minY {
			minY = p.Y
		}
		first = false
	}
	for _, g := range d.Groups {
		if keep[g.ID] && top(g.Parent) {
			note(g.Position)
		}
	}
	for _, c := range d.Components {
		if keep[c.ID] && top(c.Parent) {
			note(c.Position)
		}
	}
	shift := func(p model.Point) model.Point { return model.Point{X: p.X - minX + 40, Y: p.Y - minY + 40} }
	src := cloneDiagram(d)
	for _, g := range src.Groups {
		if keep[g.ID] {
			if top(g.Parent) {
				g.Parent, g.Position = "", shift(g.Position)
			}
			out.Groups = append(out.Groups, g)
		}
	}
	for _, c := range src.Components {
		if keep[c.ID] {
			if top(c.Parent) {
				c.Parent, c.Position = "", shift(c.Position)
			}
			out.Components = append(out.Components, c)
		}
	}
	for _, f := range src.Flows {
		if keep[f.Source] && keep[f.Target] {
			out.Flows = append(out.Flows, f)
		}
	}
	return out, nil
}

// NewModel returns a threat model holding a copy of t's diagram and a record
// of the template version it came from. meta supplies the model's metadata
// (name, project type, priority, …); its diagram is replaced.
func NewModel(t *Template, meta *model.ThreatModel) *model.ThreatModel {
	m := meta.Clone()
	m.Diagram = *cloneDiagram(&t.Diagram)
	m.Template = &model.TemplateRef{ID: t.ID, Version: t.Version, Name: t.Name}
	if m.Description == "" {
		m.Description = t.Description
	}
	for _, l := range t.Labels {
		if !slices.Contains(m.Labels, l) && len(m.Labels) < model.MaxLabels {
			m.Labels = append(m.Labels, l)
		}
	}
	return m
}

func cloneDiagram(d *model.Diagram) *model.Diagram {
	b, err := json.Marshal(d)
	if err != nil {
		panic("template: clone diagram: " + err.Error()) // a Diagram always marshals
	}
	var c model.Diagram
	if err := json.Unmarshal(b, &c); err != nil {
		panic("template: clone diagram: " + err.Error())
	}
	c.Normalize()
	return &c
}
