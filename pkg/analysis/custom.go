package analysis

import (
	"slices"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// CustomEpic is the epic of custom mitigations.
const CustomEpic = "Custom"

// customRule returns the rule id of a custom item: "custom:<id>".
func customRule(id string) string { return "custom:" + id }

// customScore maps a custom item's severity to likelihood and impact, so
// that it weighs in the rollup like a catalog threat of that severity.
var customScore = map[string][2]int{"Critical": {5, 5}, "High": {4, 4}, "Medium": {3, 3}, "Low": {2, 2}}

// custom adds the model's custom threats and mitigations: one item per
// element each is attached to (one model-level item when it names none),
// with id "custom:<id>@<element>" (or "custom:<id>"), its own status unless
// a user decided otherwise in ThreatModel.States, and links to the linked
// items at the same element.
func (w *walker) custom() {
	items := w.m.Custom
	if len(items) == 0 {
		return
	}
	d := &w.m.Diagram
	type where struct{ kind, name, typ, component string }
	at := make(map[string]where, len(d.Components)+len(d.Groups)+len(d.Flows))
	for i := range d.Components {
		c := &d.Components[i]
		at[c.ID] = where{KindComponent, c.Name, c.Type, c.ID}
	}
	for i := range d.Groups {
		if g := &d.Groups[i]; g.Kind == model.KindContainer {
			at[g.ID] = where{KindContainer, g.Name, g.Type, g.ID}
		}
	}
	for i := range d.Flows {
		f := &d.Flows[i]
		at[f.ID] = where{KindFlow, f.Label, f.Protocol, f.Source}
	}
	itemID := func(id, element string) string {
		if element == "" {
			return customRule(id)
		}
		return customRule(id) + "@" + element
	}
	elementsOf := func(c *model.CustomItem) []string {
		if len(c.Elements) == 0 {
			return []string{""}
		}
		return c.Elements
	}
	byID := make(map[string]*model.CustomItem, len(items))
	for i := range items {
		byID[items[i].ID] = &items[i]
	}
	// links returns the ids of c's linked items at element e (falling back
	// to every element of the linked item when it is not attached to e).
	links := func(c *model.CustomItem, e string) []string {
		out := []string{}
		for _, l := range c.Links {
			other := byID[l]
			if other == nil {
				continue
			}
			els := elementsOf(other)
			if slices.Contains(els, e) {
				out = append(out, itemID(other.ID, e))
				continue
			}
			for _, oe := range els {
				out = append(out, itemID(other.ID, oe))
			}
		}
		return out
	}
	severity := func(s string) string {
		if _, ok := customScore[s]; ok {
			return s
		}
		return "Medium"
	}
	states := w.m.States
	for i := range items {
		c := &items[i]
		for _, e := range elementsOf(c) {
			id := itemID(c.ID, e)
			loc := at[e]
			st, decided := states[id]
			status := c.Status
			if decided && st.Status != "" {
				status = st.Status
			}
			notes := c.Notes
			if decided && st.Notes != "" {
				notes = st.Notes
			}
			sev := severity(c.Severity)
			switch c.Kind {
			case model.CustomThreat:
				s, ok := normalizeStatus(status, true)
				if !ok {
					w.warn("custom threat %s: unknown status %q, treated as %s", id, status, Open)
				}
				stride := ""
				if len(c.STRIDE) > 0 {
					stride = c.STRIDE[0]
				}
				score := customScore[sev]
				w.r.Threats = append(w.r.Threats, Threat{
					ID: id, Rule: customRule(c.ID), Element: e, ElementKind: loc.kind, ElementName: loc.name,
					ElementType: loc.typ, Component: loc.component, Title: c.Title, STRIDE: stride,
					Likelihood: score[0], Impact: score[1], Severity: sev, Status: s, Notes: notes,
					Requirements: links(c, e),
				})
			case model.CustomMitigation:
				s, ok := normalizeStatus(status, false)
				if !ok {
					w.warn("custom mitigation %s: unknown status %q, treated as %s", id, status, Open)
				}
				w.r.Requirements = append(w.r.Requirements, Requirement{
					ID: id, Rule: customRule(c.ID), Element: e, ElementKind: loc.kind, ElementName: loc.name,
					ElementType: loc.typ, Component: loc.component, Title: c.Title, Epic: CustomEpic,
					Severity: sev, Evidence: catalog.Evidence{}, Threats: links(c, e), Status: s, Notes: notes,
				})
			}
		}
	}
}
