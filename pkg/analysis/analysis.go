// Package analysis is Bulwark's threat engine. Analyze reads a threat model
// against the catalog and returns the threats and security requirements of
// every component, container and data flow, the threats imported from nested
// models, the users' decisions (status and notes) on each item, and a risk
// rollup.
//
// Every item has a deterministic id, "rule@element" ("rule@element@component"
// for a threat imported through a nested-model component), so a decision
// stored in ThreatModel.States under that id applies again after any
// recomputation, as long as the element and the rule exist.
//
// Analyze is a pure function and runs in time linear in the size of the model
// (and of the nested models it imports). It never fails: problems such as an
// unknown component type or a missing nested model are reported as warnings.
package analysis

import (
	"fmt"
	"slices"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// The statuses of threats and requirements. Mitigated applies to threats and
// Implemented to requirements; the other statuses apply to both.
const (
	Open          = "Open"
	InProgress    = "In Progress"
	Mitigated     = "Mitigated"
	Implemented   = "Implemented"
	NotApplicable = "Not Applicable"
	RiskAccepted  = "Risk Accepted"
)

// ThreatStatuses and RequirementStatuses list the valid statuses, in display
// order.
var (
	ThreatStatuses      = []string{Open, InProgress, Mitigated, NotApplicable, RiskAccepted}
	RequirementStatuses = []string{Open, InProgress, Implemented, NotApplicable, RiskAccepted}
)

// The kinds of element an item belongs to.
const (
	KindComponent = "component"
	KindContainer = "container"
	KindFlow      = "flow"
)

// NestedLookup returns the threat model with the given id, for components
// that nest another model. It may return an error (e.g. not found); Analyze
// reports it as a warning.
type NestedLookup func(modelID string) (*model.ThreatModel, error)

// Threat is one threat rule applied to one element.
type Threat struct {
	ID          string `json:"id"`
	Rule        string `json:"rule"`
	Element     string `json:"element"`
	ElementKind string `json:"elementKind"`
	ElementName string `json:"elementName,omitempty"`
	ElementType string `json:"elementType,omitempty"` // component type, or the flow's protocol
	// Component is the component or container the item is listed under: the
	// element itself, a flow's source, or the nested-model component that
	// imported the threat.
	Component  string   `json:"component"`
	Title      string   `json:"title"`
	STRIDE     string   `json:"stride"`
	Likelihood int      `json:"likelihood"`
	Impact     int      `json:"impact"`
	Severity   string   `json:"severity"`
	CWE        []string `json:"cwe,omitempty"`
	CAPEC      []string `json:"capec,omitempty"`
	Status     string   `json:"status"`
	Notes      string   `json:"notes,omitempty"`
	// AutoStatus is true when Status was derived (every mitigating
	// requirement is implemented or not applicable) rather than set by a
	// user.
	AutoStatus bool `json:"autoStatus,omitempty"`
	// Requirements are the ids of the requirement items at the same element
	// that mitigate this threat.
	Requirements []string `json:"requirements"`
	// Imported is set for threats that come from a nested model.
	Imported *Origin `json:"imported,omitempty"`
}

// Origin says where an imported threat comes from.
type Origin struct {
	Model       string `json:"model"`
	ModelName   string `json:"modelName,omitempty"`
	Item        string `json:"item"` // the threat's id in the nested model
	Element     string `json:"element"`
	ElementName string `json:"elementName,omitempty"`
}

// Requirement is one security requirement applied to one element.
type Requirement struct {
	ID          string           `json:"id"`
	Rule        string           `json:"rule"`
	Element     string           `json:"element"`
	ElementKind string           `json:"elementKind"`
	ElementName string           `json:"elementName,omitempty"`
	ElementType string           `json:"elementType,omitempty"`
	Component   string           `json:"component"`
	Title       string           `json:"title"`
	Epic        string           `json:"epic"`
	Severity    string           `json:"severity"`
	Evidence    catalog.Evidence `json:"evidence"`
	// Threats are the ids of the threat items at the same element that the
	// requirement mitigates.
	Threats []string `json:"threats"`
	Status  string   `json:"status"`
	Notes   string   `json:"notes,omitempty"`
}

// Result is the analysis of one threat model.
type Result struct {
	Model        string        `json:"model"`
	Threats      []Threat      `json:"threats"`
	Requirements []Requirement `json:"requirements"`
	Rollup       Rollup        `json:"rollup"`
	Warnings     []string      `json:"warnings,omitempty"`
}

// Analyze computes the threats and requirements of m. nested resolves
// nested models for components with NestedModel.ImportThreats; it may be
// nil, in which case nothing is imported. Cycles of nested models are cut
// and reported as warnings.
func Analyze(cat *catalog.Catalog, m *model.ThreatModel, nested NestedLookup) *Result {
	a := &analyzer{cat: cat, lookup: nested, memo: map[string]*Result{}, names: map[string]string{}, onPath: map[string]bool{}}
	return a.analyze(m)
}

type analyzer struct {
	cat    *catalog.Catalog
	lookup NestedLookup
	memo   map[string]*Result // nested results by model id
	names  map[string]string  // nested model names by id
	onPath map[string]bool    // models being analyzed (cycle guard)
}

func (a *analyzer) analyze(m *model.ThreatModel) *Result {
	a.onPath[m.ID] = true
	defer delete(a.onPath, m.ID)

	d := &m.Diagram
	nt, nr := a.estimate(d)
	r := &Result{Model: m.ID, Threats: make([]Threat, 0, nt), Requirements: make([]Requirement, 0, nr)}
	w := &walker{a: a, m: m, r: r, stamp: make([]int, len(a.cat.Requirements))}
	w.index()
	for i := range d.Components {
		c := &d.Components[i]
		w.node(c.ID, KindComponent, c.Name, c.Type, c.Properties)
	}
	for i := range d.Groups {
		g := &d.Groups[i]
		if g.Kind == model.KindContainer {
			w.node(g.ID, KindContainer, g.Name, g.Type, g.Properties)
		}
	}
	for i := range d.Flows {
		w.flow(&d.Flows[i])
	}
	for i := range d.Components {
		if c := &d.Components[i]; c.NestedModel != nil && c.NestedModel.ImportThreats {
			w.imports(c)
		}
	}
	w.custom()
	r.Rollup = rollup(r)
	return r
}

// estimate returns upper bounds (for components and containers) and a
// guess (for flows) of the number of items, to size the result once.
func (a *analyzer) estimate(d *model.Diagram) (threats, reqs int) {
	add := func(typ string) {
		threats += len(a.cat.ThreatsFor(typ))
		reqs += len(a.cat.RequirementsFor(typ))
	}
	for i := range d.Components {
		add(d.Components[i].Type)
	}
	for i := range d.Groups {
		if d.Groups[i].Kind == model.KindContainer {
			add(d.Groups[i].Type)
		}
	}
	return threats + 3*len(d.Flows), reqs + 3*len(d.Flows)
}

// walker analyzes the elements of one model.
type walker struct {
	a *analyzer
	m *model.ThreatModel
	r *Result

	types    map[string]string // element id → component type
	parents  map[string]string // element id → parent group id
	groups   map[string]*model.Group
	boundary map[string]string // group id → nearest boundary group id ("" if none), memoized

	stamp   []int // requirement index → sequence number of the last element that used it
	seq     int
	reqs    []*catalog.Requirement // scratch
	threats []*catalog.Threat      // scratch
}

func (w *walker) index() {
	d := &w.m.Diagram
	n := len(d.Components) + len(d.Groups)
	w.types = make(map[string]string, n)
	w.parents = make(map[string]string, n)
	w.groups = make(map[string]*model.Group, len(d.Groups))
	w.boundary = make(map[string]string, len(d.Groups))
	for i := range d.Components {
		c := &d.Components[i]
		w.types[c.ID], w.parents[c.ID] = c.Type, c.Parent
	}
	for i := range d.Groups {
		g := &d.Groups[i]
		w.groups[g.ID] = g
		w.parents[g.ID] = g.Parent
		if g.Kind == model.KindContainer {
			w.types[g.ID] = g.Type
		}
	}
}

func (w *walker) warn(format string, args ...any) {
	w.r.Warnings = append(w.r.Warnings, fmt.Sprintf(format, args...))
}

// node analyzes a component or container.
func (w *walker) node(id, kind, name, typ string, props model.Properties) {
	ty := w.a.cat.Type(typ)
	if ty == nil {
		w.warn("%s %q has type %q, which the catalog does not know; it has no threats", kind, id, typ)
		return
	}
	threats := w.threats[:0]
	for _, t := range w.a.cat.ThreatsFor(typ) {
		if catalog.MatchAll(t.AppliesTo.Conditions(), props, ty) {
			threats = append(threats, t)
		}
	}
	w.threats = threats
	w.emit(elem{id: id, kind: kind, name: name, typ: typ, component: id, forType: typ}, threats)
}

// flow analyzes a data flow.
func (w *walker) flow(f *model.Flow) {
	proto := w.a.cat.Protocol(f.Protocol)
	encrypted := proto != nil && proto.Encrypted
	if raw, ok := f.Properties["encrypted"]; ok {
		if v, ok := catalog.PropertyValue(model.Properties{"encrypted": raw}, nil, "encrypted"); ok {
			if b, isBool := v.(bool); isBool {
				encrypted = b
			}
		}
	}
	src, dst := w.types[f.Source], w.types[f.Target]
	srcT, dstT := w.a.cat.Type(src), w.a.cat.Type(dst)
	ext := func(t *catalog.ComponentType) bool { return t != nil && t.External }
	crosses := w.nearestBoundary(f.Source) != w.nearestBoundary(f.Target) || ext(srcT) != ext(dstT)
	dataStore := dstT != nil && dstT.DataStore

	threats := w.threats[:0]
	for _, t := range w.a.cat.FlowThreats() {
		fm := t.AppliesTo.Flows
		switch {
		case fm.Encrypted != nil && *fm.Encrypted != encrypted,
			fm.CrossesBoundary != nil && *fm.CrossesBoundary != crosses,
			fm.TargetDataStore != nil && *fm.TargetDataStore != dataStore,
			fm.SourceTypes != nil && !slices.Contains(fm.SourceTypes, src),
			fm.TargetTypes != nil && !slices.Contains(fm.TargetTypes, dst),
			fm.Protocols != nil && (proto == nil || !slices.ContainsFunc(fm.Protocols, func(p string) bool { return w.a.cat.Protocol(p) == proto })):
			continue
		}
		threats = append(threats, t)
	}
	w.threats = threats
	name := f.Label
	typ := f.Protocol
	if proto != nil {
		typ = proto.ID
	}
	w.emit(elem{id: f.ID, kind: KindFlow, name: name, typ: typ, component: f.Source, forType: dst}, threats)
}

// nearestBoundary returns the innermost trust boundary enclosing an
// element, or "". Two elements are in the same trust zone exactly when
// their nearest boundaries are equal.
func (w *walker) nearestBoundary(id string) string {
	return w.groupBoundary(w.parents[id], 0)
}

func (w *walker) groupBoundary(gid string, depth int) string {
	if gid == "" {
		return ""
	}
	if b, ok := w.boundary[gid]; ok {
		return b
	}
	g := w.groups[gid]
	if g == nil || depth > len(w.groups) { // dangling parent or a cycle in an unvalidated model
		return ""
	}
	b := gid
	if g.Kind != model.KindBoundary {
		b = w.groupBoundary(g.Parent, depth+1)
	}
	w.boundary[gid] = b
	return b
}

// elem describes the element items are emitted for.
type elem struct {
	id, kind, name, typ, component string
	forType                        string // type that requirements' "for" lists are matched against
}

// emit appends the threat items and the requirement items mitigating them
// for one element, and resolves their statuses.
func (w *walker) emit(e elem, threats []*catalog.Threat) {
	if len(threats) == 0 {
		return
	}
	w.seq++
	w.reqs = w.reqs[:0]
	for _, t := range threats {
		for _, rq := range t.Mitigations() {
			if rq.AppliesToType(e.forType) && w.stamp[rq.Index()] != w.seq {
				w.stamp[rq.Index()] = w.seq
				w.reqs = append(w.reqs, rq)
			}
		}
	}
	slices.SortFunc(w.reqs, func(x, y *catalog.Requirement) int { return x.Index() - y.Index() })

	states := w.m.States
	t0, r0 := len(w.r.Threats), len(w.r.Requirements)
	// Count the threat–requirement links first so that both sides' id lists
	// share one allocation.
	links := 0
	for _, rq := range w.reqs {
		for _, t := range threats {
			if slices.Contains(rq.Mitigates, t.ID) {
				links++
			}
		}
	}
	backing := make([]string, 2*links)
	tLinks, rLinks := backing[:links], backing[links:]

	for _, t := range threats {
		n := 0
		for _, rq := range w.reqs {
			if slices.Contains(rq.Mitigates, t.ID) {
				n++
			}
		}
		w.r.Threats = append(w.r.Threats, Threat{
			ID: t.ID + "@" + e.id, Rule: t.ID, Element: e.id, ElementKind: e.kind, ElementName: e.name,
			ElementType: e.typ, Component: e.component, Title: t.Title, STRIDE: t.STRIDE,
			Likelihood: t.Likelihood, Impact: t.Impact, Severity: t.Severity(), CWE: t.CWE, CAPEC: t.CAPEC,
			Requirements: tLinks[:0:n],
		})
		tLinks = tLinks[n:]
	}
	for _, rq := range w.reqs {
		id := rq.ID + "@" + e.id
		st := states[id]
		status, ok := normalizeStatus(st.Status, false)
		if !ok {
			w.warn("requirement %s: unknown status %q, treated as %s", id, st.Status, Open)
		}
		n := 0
		for _, t := range threats {
			if slices.Contains(rq.Mitigates, t.ID) {
				n++
			}
		}
		item := Requirement{
			ID: id, Rule: rq.ID, Element: e.id, ElementKind: e.kind, ElementName: e.name, ElementType: e.typ,
			Component: e.component, Title: rq.Title, Epic: rq.Epic, Severity: rq.Severity, Evidence: rq.Evidence,
			Threats: rLinks[:0:n], Status: status, Notes: st.Notes,
		}
		rLinks = rLinks[n:]
		for i := t0; i < len(w.r.Threats); i++ {
			th := &w.r.Threats[i]
			if slices.Contains(rq.Mitigates, th.Rule) {
				item.Threats = append(item.Threats, th.ID)
				th.Requirements = append(th.Requirements, id)
			}
		}
		w.r.Requirements = append(w.r.Requirements, item)
	}
	reqs := w.r.Requirements[r0:]
	for i := t0; i < len(w.r.Threats); i++ {
		th := &w.r.Threats[i]
		st, set := states[th.ID]
		status, ok := normalizeStatus(st.Status, true)
		if !ok {
			w.warn("threat %s: unknown status %q, treated as %s", th.ID, st.Status, Open)
		}
		th.Status, th.Notes = status, st.Notes
		if (!set || st.Status == "") && derivedMitigated(th.Requirements, reqs) {
			th.Status, th.AutoStatus = Mitigated, true
		}
	}
}

// derivedMitigated reports whether every mitigating requirement is
// implemented or not applicable, and at least one is implemented.
func derivedMitigated(ids []string, reqs []Requirement) bool {
	implemented := false
	for _, id := range ids {
		status := ""
		for i := range reqs {
			if reqs[i].ID == id {
				status = reqs[i].Status
				break
			}
		}
		switch status {
		case Implemented:
			implemented = true
		case NotApplicable:
		default:
			return false
		}
	}
	return implemented
}

// normalizeStatus maps a stored status to the vocabulary of threats (or
// requirements). Empty means Open; Mitigated and Implemented are accepted
// for both kinds. ok is false for an unknown status (which maps to Open).
func normalizeStatus(s string, threat bool) (string, bool) {
	switch s {
	case "", Open:
		return Open, true
	case InProgress, NotApplicable, RiskAccepted:
		return s, true
	case Mitigated, Implemented:
		if threat {
			return Mitigated, true
		}
		return Implemented, true
	}
	return Open, false
}

// imports adds the threats of the model nested in component c.
func (w *walker) imports(c *model.Component) {
	id := c.NestedModel.ModelID
	a := w.a
	if a.lookup == nil {
		w.warn("component %q nests model %q, but no nested lookup was given; its threats are not imported", c.ID, id)
		return
	}
	if a.onPath[id] {
		w.warn("component %q nests model %q, which nests this model again (cycle); its threats are not imported", c.ID, id)
		return
	}
	res, ok := a.memo[id]
	if !ok {
		nm, err := a.lookup(id)
		if err != nil || nm == nil {
			w.warn("component %q nests model %q, which could not be loaded: %v", c.ID, id, err)
			return
		}
		res = a.analyze(nm)
		a.memo[id], a.names[id] = res, nm.Name
		for _, msg := range res.Warnings {
			w.warn("nested model %q: %s", id, msg)
		}
	}
	name := a.names[id]
	for _, nt := range res.Threats {
		item := nt
		item.ID = nt.ID + "@" + c.ID
		item.Element, item.ElementKind, item.ElementName, item.ElementType = c.ID, KindComponent, c.Name, c.Type
		item.Component = c.ID
		item.Requirements = []string{}
		item.Imported = &Origin{Model: id, ModelName: name, Item: nt.ID, Element: nt.Element, ElementName: nt.ElementName}
		if nt.Imported != nil { // imported transitively: keep the original element
			item.Imported.Element, item.Imported.ElementName = nt.Imported.Element, nt.Imported.ElementName
		}
		if st, set := w.m.States[item.ID]; set && st.Status != "" {
			status, ok := normalizeStatus(st.Status, true)
			if !ok {
				w.warn("threat %s: unknown status %q, treated as %s", item.ID, st.Status, Open)
			}
			item.Status, item.Notes, item.AutoStatus = status, st.Notes, false
		} else if set {
			item.Notes = st.Notes
		}
		w.r.Threats = append(w.r.Threats, item)
	}
}
