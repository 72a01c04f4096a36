// Package diff compares two versions of a threat model at the level a
// reviewer cares about: which components, flows and groups were added,
// removed or changed, which threats and security requirements appeared,
// disappeared or changed status, and which requirements' compliance
// changed.
//
// Compare is a pure function of two Sides (a model document with its
// analysis, and optionally its compliance view); it runs in time linear in
// the size of both. Layout (positions and sizes) is not a change.
package diff

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/compliance"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// Side is one of the two things compared.
type Side struct {
	Model *model.ThreatModel
	// Analysis is Model's analysis; nil compares no threats or
	// requirements.
	Analysis *analysis.Result
	// Compliance is Model's compliance view; nil compares no compliance.
	Compliance *compliance.View
}

// Ref names a side in a Diff.
type Ref struct {
	Revision int64 `json:"revision"`
}

// Element is a component, flow or group in a Diff.
type Element struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
	// Changes lists what changed, for a changed element.
	Changes []Change `json:"changes,omitempty"`
}

// Change is one field of an element that differs. Properties are named
// "properties.<key>"; From or To is absent (null) when the field was not
// set on that side.
type Change struct {
	Field string `json:"field"`
	From  any    `json:"from"`
	To    any    `json:"to"`
}

// Elements is what happened to one kind of element.
type Elements struct {
	Added   []Element `json:"added"`
	Removed []Element `json:"removed"`
	Changed []Element `json:"changed"`
}

// Item is a threat or requirement in a Diff.
type Item struct {
	ID          string `json:"id"`
	Rule        string `json:"rule,omitempty"`
	Title       string `json:"title"`
	Severity    string `json:"severity"`
	STRIDE      string `json:"stride,omitempty"`
	ElementID   string `json:"elementId"`
	ElementName string `json:"elementName,omitempty"`
	ElementKind string `json:"elementKind,omitempty"`
	Status      string `json:"status,omitempty"`
	// From and To are the item's state on each side, for a changed item.
	From *ItemState `json:"from,omitempty"`
	To   *ItemState `json:"to,omitempty"`
}

// ItemState is what can change of a threat or requirement that exists on
// both sides.
type ItemState struct {
	Status   string `json:"status"`
	Severity string `json:"severity,omitempty"`
}

// Items is what happened to threats or requirements.
type Items struct {
	Added   []Item `json:"added"`
	Removed []Item `json:"removed"`
	Changed []Item `json:"changed"`
}

// ComplianceChange is a requirement whose compliance status differs.
type ComplianceChange struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	ElementID string `json:"elementId"`
	From      string `json:"from"`
	To        string `json:"to"`
}

// Compliance is what happened to compliance.
type Compliance struct {
	Changed []ComplianceChange `json:"changed"`
}

// Summary counts the changes.
type Summary struct {
	ComponentsAdded     int `json:"componentsAdded"`
	ComponentsRemoved   int `json:"componentsRemoved"`
	ComponentsChanged   int `json:"componentsChanged"`
	FlowsAdded          int `json:"flowsAdded"`
	FlowsRemoved        int `json:"flowsRemoved"`
	FlowsChanged        int `json:"flowsChanged"`
	GroupsAdded         int `json:"groupsAdded"`
	GroupsRemoved       int `json:"groupsRemoved"`
	GroupsChanged       int `json:"groupsChanged"`
	ThreatsAdded        int `json:"threatsAdded"`
	ThreatsRemoved      int `json:"threatsRemoved"`
	ThreatsChanged      int `json:"threatsChanged"`
	RequirementsAdded   int `json:"requirementsAdded"`
	RequirementsRemoved int `json:"requirementsRemoved"`
	RequirementsChanged int `json:"requirementsChanged"`
	ComplianceChanged   int `json:"complianceChanged"`
	// HighThreatsAdded counts added threats of severity High or Critical.
	HighThreatsAdded int `json:"highThreatsAdded"`
}

// Diff is the difference from one side to the other.
type Diff struct {
	From         Ref        `json:"from"`
	To           Ref        `json:"to"`
	Components   Elements   `json:"components"`
	Flows        Elements   `json:"flows"`
	Groups       Elements   `json:"groups"`
	Threats      Items      `json:"threats"`
	Requirements Items      `json:"requirements"`
	Compliance   Compliance `json:"compliance"`
	Summary      Summary    `json:"summary"`
}

// Compare returns the difference from a to b.
func Compare(a, b Side) *Diff {
	d := &Diff{From: Ref{Revision: a.Model.Revision}, To: Ref{Revision: b.Model.Revision}}
	d.Components = compareComponents(a.Model, b.Model)
	d.Flows = compareFlows(a.Model, b.Model)
	d.Groups = compareGroups(a.Model, b.Model)
	if a.Analysis != nil && b.Analysis != nil {
		d.Threats = compareThreats(a.Analysis.Threats, b.Analysis.Threats)
		d.Requirements = compareRequirements(a.Analysis.Requirements, b.Analysis.Requirements)
	}
	d.Threats.fill()
	d.Requirements.fill()
	nameFlows(a.Model, b.Model, &d.Threats)
	nameFlows(a.Model, b.Model, &d.Requirements)
	if a.Compliance != nil && b.Compliance != nil {
		d.Compliance.Changed = compareCompliance(a.Compliance, b.Compliance)
	}
	if d.Compliance.Changed == nil {
		d.Compliance.Changed = []ComplianceChange{}
	}
	s := &d.Summary
	s.ComponentsAdded, s.ComponentsRemoved, s.ComponentsChanged = len(d.Components.Added), len(d.Components.Removed), len(d.Components.Changed)
	s.FlowsAdded, s.FlowsRemoved, s.FlowsChanged = len(d.Flows.Added), len(d.Flows.Removed), len(d.Flows.Changed)
	s.GroupsAdded, s.GroupsRemoved, s.GroupsChanged = len(d.Groups.Added), len(d.Groups.Removed), len(d.Groups.Changed)
	s.ThreatsAdded, s.ThreatsRemoved, s.ThreatsChanged = len(d.Threats.Added), len(d.Threats.Removed), len(d.Threats.Changed)
	s.RequirementsAdded, s.RequirementsRemoved, s.RequirementsChanged = len(d.Requirements.Added), len(d.Requirements.Removed), len(d.Requirements.Changed)
	s.ComplianceChanged = len(d.Compliance.Changed)
	for _, t := range d.Threats.Added {
		if AtLeast(t.Severity, "High") {
			s.HighThreatsAdded++
		}
	}
	return d
}

// severityRank orders catalog.Severities: Low 1 … Critical 4; unknown 0.
func severityRank(s string) int {
	i := slices.IndexFunc(catalog.Severities, func(x string) bool { return strings.EqualFold(x, s) })
	if i < 0 {
		return 0
	}
	return len(catalog.Severities) - i
}

// ValidSeverity reports whether s names a severity (case-insensitive).
func ValidSeverity(s string) bool { return severityRank(s) > 0 }

// AtLeast reports whether severity is threshold or more severe.
func AtLeast(severity, threshold string) bool {
	return severityRank(severity) > 0 && severityRank(severity) >= severityRank(threshold)
}

// Unmitigated reports whether a threat's status leaves it open: neither
// mitigated, nor accepted, nor not applicable.
func Unmitigated(status string) bool {
	return status == "" || status == analysis.Open || status == analysis.InProgress
}

// nameFlows gives items on flows, which analysis leaves unnamed, the
// flow's display name from the side they are on.
func nameFlows(a, b *model.ThreatModel, it *Items) {
	names := func(m *model.ThreatModel) map[string]string {
		out := map[string]string{}
		namer := flowNamer(m)
		for i := range m.Diagram.Flows {
			out[m.Diagram.Flows[i].ID] = namer(&m.Diagram.Flows[i]).Name
		}
		return out
	}
	var na, nb map[string]string
	fill := func(l []Item, side *model.ThreatModel, cache *map[string]string) {
		for i := range l {
			if l[i].ElementName != "" || l[i].ElementKind != analysis.KindFlow {
				continue
			}
			if *cache == nil {
				*cache = names(side)
			}
			l[i].ElementName = (*cache)[l[i].ElementID]
		}
	}
	fill(it.Added, b, &nb)
	fill(it.Changed, b, &nb)
	fill(it.Removed, a, &na)
}

func (e *Elements) fill() {
	for _, l := range []*[]Element{&e.Added, &e.Removed, &e.Changed} {
		if *l == nil {
			*l = []Element{}
		}
	}
}

func (it *Items) fill() {
	for _, l := range []*[]Item{&it.Added, &it.Removed, &it.Changed} {
		if *l == nil {
			*l = []Item{}
		}
	}
}

// compareByID matches two lists by id and calls changes on pairs; added and
// removed come out in the order of their list.
func compareByID[T any](a, b []T, id func(*T) string, elem func(*T) Element, changes func(x, y *T) []Change) Elements {
	var out Elements
	inA := make(map[string]*T, len(a))
	for i := range a {
		inA[id(&a[i])] = &a[i]
	}
	inB := make(map[string]bool, len(b))
	for i := range b {
		y := &b[i]
		inB[id(y)] = true
		x, ok := inA[id(y)]
		if !ok {
			out.Added = append(out.Added, elem(y))
			continue
		}
		if cs := changes(x, y); len(cs) > 0 {
			e := elem(y)
			e.Changes = cs
			out.Changed = append(out.Changed, e)
		}
	}
	for i := range a {
		if !inB[id(&a[i])] {
			out.Removed = append(out.Removed, elem(&a[i]))
		}
	}
	out.fill()
	return out
}

func compareComponents(a, b *model.ThreatModel) Elements {
	return compareByID(a.Diagram.Components, b.Diagram.Components,
		func(c *model.Component) string { return c.ID },
		func(c *model.Component) Element { return Element{ID: c.ID, Name: c.Name, Type: c.Type} },
		func(x, y *model.Component) []Change {
			var cs []Change
			cs = str(cs, "name", x.Name, y.Name)
			cs = str(cs, "type", x.Type, y.Type)
			cs = str(cs, "parent", x.Parent, y.Parent)
			cs = resource(cs, x.Resource, y.Resource)
			cs = nested(cs, x.NestedModel, y.NestedModel)
			return props(cs, x.Properties, y.Properties)
		})
}

// flowNamer returns a function naming a flow "A → B (HTTPS)", with the
// names of its ends looked up in m.
func flowNamer(m *model.ThreatModel) func(*model.Flow) Element {
	names := make(map[string]string, len(m.Diagram.Components)+len(m.Diagram.Groups))
	for i := range m.Diagram.Components {
		names[m.Diagram.Components[i].ID] = m.Diagram.Components[i].Name
	}
	for i := range m.Diagram.Groups {
		names[m.Diagram.Groups[i].ID] = m.Diagram.Groups[i].Name
	}
	name := func(id string) string {
		if n := names[id]; n != "" {
			return n
		}
		return id
	}
	return func(f *model.Flow) Element {
		return Element{ID: f.ID, Name: fmt.Sprintf("%s → %s (%s)", name(f.Source), name(f.Target), f.Protocol), Type: f.Protocol}
	}
}

// lazyFlowNamer is flowNamer, building its name index on first use: most
// comparisons name few flows or none.
func lazyFlowNamer(m *model.ThreatModel) func(*model.Flow) Element {
	var namer func(*model.Flow) Element
	return func(f *model.Flow) Element {
		if namer == nil {
			namer = flowNamer(m)
		}
		return namer(f)
	}
}

func compareFlows(a, b *model.ThreatModel) Elements {
	nameA, nameB := lazyFlowNamer(a), lazyFlowNamer(b)
	removed := map[string]bool{}
	e := compareByID(a.Diagram.Flows, b.Diagram.Flows,
		func(f *model.Flow) string { return f.ID },
		func(f *model.Flow) Element { return nameB(f) },
		func(x, y *model.Flow) []Change {
			var cs []Change
			cs = str(cs, "source", x.Source, y.Source)
			cs = str(cs, "target", x.Target, y.Target)
			cs = str(cs, "protocol", x.Protocol, y.Protocol)
			if x.Port != y.Port {
				cs = append(cs, Change{"port", x.Port, y.Port})
			}
			cs = str(cs, "label", x.Label, y.Label)
			return props(cs, x.Properties, y.Properties)
		})
	// A removed flow is named by the side it is on.
	for _, r := range e.Removed {
		removed[r.ID] = true
	}
	if len(removed) > 0 {
		e.Removed = e.Removed[:0]
		for i := range a.Diagram.Flows {
			if removed[a.Diagram.Flows[i].ID] {
				e.Removed = append(e.Removed, nameA(&a.Diagram.Flows[i]))
			}
		}
	}
	return e
}

func compareGroups(a, b *model.ThreatModel) Elements {
	return compareByID(a.Diagram.Groups, b.Diagram.Groups,
		func(g *model.Group) string { return g.ID },
		func(g *model.Group) Element {
			t := g.Type
			if t == "" {
				t = string(g.Kind)
			}
			return Element{ID: g.ID, Name: g.Name, Type: t}
		},
		func(x, y *model.Group) []Change {
			var cs []Change
			cs = str(cs, "name", x.Name, y.Name)
			cs = str(cs, "kind", string(x.Kind), string(y.Kind))
			cs = str(cs, "type", x.Type, y.Type)
			cs = str(cs, "parent", x.Parent, y.Parent)
			cs = resource(cs, x.Resource, y.Resource)
			return props(cs, x.Properties, y.Properties)
		})
}

func str(cs []Change, field, x, y string) []Change {
	if x == y {
		return cs
	}
	return append(cs, Change{field, orNil(x), orNil(y)})
}

func orNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func resource(cs []Change, x, y *model.AWSResource) []Change {
	var zero model.AWSResource
	if x == nil {
		x = &zero
	}
	if y == nil {
		y = &zero
	}
	cs = str(cs, "resource.arn", x.ARN, y.ARN)
	cs = str(cs, "resource.resourceType", x.ResourceType, y.ResourceType)
	cs = str(cs, "resource.resourceId", x.ResourceID, y.ResourceID)
	cs = str(cs, "resource.accountId", x.AccountID, y.AccountID)
	return str(cs, "resource.region", x.Region, y.Region)
}

func nested(cs []Change, x, y *model.NestedRef) []Change {
	var zero model.NestedRef
	if x == nil {
		x = &zero
	}
	if y == nil {
		y = &zero
	}
	cs = str(cs, "nestedModel.modelId", x.ModelID, y.ModelID)
	if x.ImportThreats != y.ImportThreats {
		cs = append(cs, Change{"nestedModel.importThreats", x.ImportThreats, y.ImportThreats})
	}
	return cs
}

// props adds a change per property whose JSON value differs (compared
// after compaction, so formatting is no change), in key order.
func props(cs []Change, x, y model.Properties) []Change {
	if len(x) == 0 && len(y) == 0 {
		return cs
	}
	var keys []string
	for k, xv := range x {
		if yv, ok := y[k]; !ok || !sameJSON(xv, yv) {
			keys = append(keys, k)
		}
	}
	for k := range y {
		if _, ok := x[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		cs = append(cs, Change{"properties." + k, rawOrNil(x, k), rawOrNil(y, k)})
	}
	return cs
}

func rawOrNil(p model.Properties, k string) any {
	if v, ok := p[k]; ok {
		return v
	}
	return nil
}

func sameJSON(x, y json.RawMessage) bool {
	if bytes.Equal(x, y) {
		return true
	}
	var bx, by bytes.Buffer
	if json.Compact(&bx, x) != nil || json.Compact(&by, y) != nil {
		return false
	}
	return bytes.Equal(bx.Bytes(), by.Bytes())
}

// compareItems matches items by id; changed are those whose status or
// severity differs.
func compareItems[T any](a, b []T, conv func(*T) Item) Items {
	var out Items
	inA := make(map[string]Item, len(a))
	for i := range a {
		it := conv(&a[i])
		inA[it.ID] = it
	}
	inB := make(map[string]bool, len(b))
	for i := range b {
		y := conv(&b[i])
		inB[y.ID] = true
		x, ok := inA[y.ID]
		switch {
		case !ok:
			out.Added = append(out.Added, y)
		case x.Status != y.Status || x.Severity != y.Severity:
			c := y
			c.Status = ""
			c.From = &ItemState{Status: x.Status, Severity: x.Severity}
			c.To = &ItemState{Status: y.Status, Severity: y.Severity}
			out.Changed = append(out.Changed, c)
		}
	}
	for i := range a {
		x := conv(&a[i])
		if !inB[x.ID] {
			out.Removed = append(out.Removed, x)
		}
	}
	// Most severe first, then by id, so a reader sees what matters.
	for _, l := range [][]Item{out.Added, out.Removed, out.Changed} {
		slices.SortStableFunc(l, func(x, y Item) int {
			if c := cmp.Compare(severityRank(y.Severity), severityRank(x.Severity)); c != 0 {
				return c
			}
			return strings.Compare(x.ID, y.ID)
		})
	}
	out.fill()
	return out
}

func compareThreats(a, b []analysis.Threat) Items {
	return compareItems(a, b, func(t *analysis.Threat) Item {
		return Item{ID: t.ID, Rule: t.Rule, Title: t.Title, Severity: t.Severity, STRIDE: t.STRIDE,
			ElementID: t.Element, ElementName: t.ElementName, ElementKind: t.ElementKind, Status: t.Status}
	})
}

func compareRequirements(a, b []analysis.Requirement) Items {
	return compareItems(a, b, func(r *analysis.Requirement) Item {
		return Item{ID: r.ID, Rule: r.Rule, Title: r.Title, Severity: r.Severity,
			ElementID: r.Element, ElementName: r.ElementName, ElementKind: r.ElementKind, Status: r.Status}
	})
}

func compareCompliance(a, b *compliance.View) []ComplianceChange {
	inA := make(map[string]compliance.Status, len(a.Items))
	for _, it := range a.Items {
		inA[it.Requirement] = it.Status
	}
	var out []ComplianceChange
	for _, it := range b.Items {
		if from, ok := inA[it.Requirement]; ok && from != it.Status {
			out = append(out, ComplianceChange{ID: it.Requirement, Title: it.Title, ElementID: it.Element, From: string(from), To: string(it.Status)})
		}
	}
	return out
}

// Text returns a one-line human summary such as "+2 components, −1 flow,
// 3 properties changed" ("no changes" when there are none). It counts
// diagram changes only, so it needs no analysis.
func (d *Diff) Text() string {
	var parts []string
	add := func(n int, sign, one, many string) {
		if n == 0 {
			return
		}
		w := many
		if n == 1 {
			w = one
		}
		parts = append(parts, fmt.Sprintf("%s%d %s", sign, n, w))
	}
	add(len(d.Components.Added), "+", "component", "components")
	add(len(d.Components.Removed), "−", "component", "components")
	add(len(d.Flows.Added), "+", "flow", "flows")
	add(len(d.Flows.Removed), "−", "flow", "flows")
	add(len(d.Groups.Added), "+", "group", "groups")
	add(len(d.Groups.Removed), "−", "group", "groups")
	var props, other int
	for _, l := range [][]Element{d.Components.Changed, d.Flows.Changed, d.Groups.Changed} {
		for _, e := range l {
			for _, c := range e.Changes {
				if strings.HasPrefix(c.Field, "properties.") {
					props++
				} else {
					other++
				}
			}
		}
	}
	if props > 0 {
		parts = append(parts, fmt.Sprintf("%d %s changed", props, plural(props, "property", "properties")))
	}
	if other > 0 {
		parts = append(parts, fmt.Sprintf("%d %s changed", other, plural(other, "field", "fields")))
	}
	add(len(d.Threats.Changed)+len(d.Requirements.Changed), "", "status changed", "statuses changed")
	if len(parts) == 0 {
		return "no changes"
	}
	return strings.Join(parts, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Summarize describes the change from prev (nil: a first version) to next
// in one line, for the version history. It compares diagrams and the users'
// decisions on items (States), without running the analysis.
func Summarize(prev, next *model.ThreatModel) string {
	if prev == nil {
		n := len(next.Diagram.Components)
		return fmt.Sprintf("first version: %d %s, %d %s", n, plural(n, "component", "components"),
			len(next.Diagram.Flows), plural(len(next.Diagram.Flows), "flow", "flows"))
	}
	d := Compare(Side{Model: prev}, Side{Model: next})
	s := d.Text()
	var states int
	for k, v := range next.States {
		if p, ok := prev.States[k]; !ok || p.Status != v.Status {
			states++
		}
	}
	for k := range prev.States {
		if _, ok := next.States[k]; !ok {
			states++
		}
	}
	if states > 0 {
		t := fmt.Sprintf("%d %s changed", states, plural(states, "status", "statuses"))
		if s == "no changes" {
			return t
		}
		s += ", " + t
	}
	if s == "no changes" && (prev.Name != next.Name || prev.Description != next.Description) {
		return "details changed"
	}
	return s
}

// WriteText writes d for a person: the summary, then every added, removed
// and changed element and item, one per line.
func (d *Diff) WriteText(w io.Writer) error {
	var b strings.Builder
	s := d.Summary
	fmt.Fprintf(&b, "Revision %d → %d: %s\n", d.From.Revision, d.To.Revision, d.Text())
	fmt.Fprintf(&b, "Threats: +%d −%d, %d changed (%d new High or Critical); requirements: +%d −%d, %d changed; compliance: %d changed\n",
		s.ThreatsAdded, s.ThreatsRemoved, s.ThreatsChanged, s.HighThreatsAdded, s.RequirementsAdded, s.RequirementsRemoved, s.RequirementsChanged, s.ComplianceChanged)
	elems := func(what string, e Elements) {
		for _, x := range e.Added {
			fmt.Fprintf(&b, "+ %s %s (%s)\n", what, x.Name, x.ID)
		}
		for _, x := range e.Removed {
			fmt.Fprintf(&b, "- %s %s (%s)\n", what, x.Name, x.ID)
		}
		for _, x := range e.Changed {
			fmt.Fprintf(&b, "~ %s %s (%s):", what, x.Name, x.ID)
			for _, c := range x.Changes {
				fmt.Fprintf(&b, " %s %s → %s;", c.Field, value(c.From), value(c.To))
			}
			b.WriteString("\n")
		}
	}
	elems("component", d.Components)
	elems("flow", d.Flows)
	elems("group", d.Groups)
	items := func(what string, it Items) {
		for _, x := range it.Added {
			fmt.Fprintf(&b, "+ %s [%s] %s on %s (%s)\n", what, x.Severity, x.Title, x.ElementName, x.Status)
		}
		for _, x := range it.Removed {
			fmt.Fprintf(&b, "- %s [%s] %s on %s\n", what, x.Severity, x.Title, x.ElementName)
		}
		for _, x := range it.Changed {
			fmt.Fprintf(&b, "~ %s [%s] %s on %s: %s → %s\n", what, x.Severity, x.Title, x.ElementName, x.From.Status, x.To.Status)
		}
	}
	items("threat", d.Threats)
	items("requirement", d.Requirements)
	for _, c := range d.Compliance.Changed {
		fmt.Fprintf(&b, "~ compliance %s on %s: %s → %s\n", c.Title, c.ElementID, c.From, c.To)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// value formats a change's value: absent, a string, or JSON.
func value(v any) string {
	switch x := v.(type) {
	case nil:
		return "(none)"
	case string:
		return strconv.Quote(x)
	case json.RawMessage:
		return string(x)
	}
	return fmt.Sprint(v)
}
