package analysis

import (
	"slices"
	"sort"
)

// Filter selects items. Empty fields select everything; a field with values
// selects items that match one of them. Epics apply to requirements only
// (FilterThreats ignores them).
type Filter struct {
	Component  string   `json:"component,omitempty"`
	Statuses   []string `json:"statuses,omitempty"`
	Severities []string `json:"severities,omitempty"`
	Epics      []string `json:"epics,omitempty"`
	STRIDE     []string `json:"stride,omitempty"`
}

func matches(values []string, v string) bool { return len(values) == 0 || slices.Contains(values, v) }

// FilterThreats returns the threats that match f, in result order.
func (r *Result) FilterThreats(f Filter) []Threat {
	out := []Threat{}
	for _, t := range r.Threats {
		if (f.Component == "" || t.Component == f.Component) && matches(f.Statuses, t.Status) &&
			matches(f.Severities, t.Severity) && matches(f.STRIDE, t.STRIDE) {
			out = append(out, t)
		}
	}
	return out
}

// FilterRequirements returns the requirements that match f, in result
// order. A filter with STRIDE categories selects requirements that mitigate
// a threat of one of them.
func (r *Result) FilterRequirements(f Filter) []Requirement {
	var stride map[string]string
	if len(f.STRIDE) > 0 {
		stride = make(map[string]string, len(r.Threats))
		for _, t := range r.Threats {
			stride[t.ID] = t.STRIDE
		}
	}
	out := []Requirement{}
	for _, q := range r.Requirements {
		if (f.Component == "" || q.Component == f.Component) && matches(f.Statuses, q.Status) &&
			matches(f.Severities, q.Severity) && matches(f.Epics, q.Epic) &&
			(stride == nil || slices.ContainsFunc(q.Threats, func(id string) bool { return matches(f.STRIDE, stride[id]) })) {
			out = append(out, q)
		}
	}
	return out
}

// Group is a set of items sharing a key.
type Group[T any] struct {
	Key   string `json:"key"`
	Items []T    `json:"items"`
}

// GroupBy groups items by key. Groups whose key is in order come first, in
// that order; the others follow in order of first appearance. Items keep
// their relative order.
func GroupBy[T any](items []T, key func(*T) string, order []string) []Group[T] {
	pos := map[string]int{}
	var groups []Group[T]
	for i := range items {
		k := key(&items[i])
		p, ok := pos[k]
		if !ok {
			p = len(groups)
			pos[k] = p
			groups = append(groups, Group[T]{Key: k})
		}
		groups[p].Items = append(groups[p].Items, items[i])
	}
	if order != nil {
		rank := func(k string) int {
			if i := slices.Index(order, k); i >= 0 {
				return i
			}
			return len(order)
		}
		sort.SliceStable(groups, func(i, j int) bool { return rank(groups[i].Key) < rank(groups[j].Key) })
	}
	return groups
}

// ThreatComponent is a GroupBy key: the component a threat is listed under.
func ThreatComponent(t *Threat) string { return t.Component }

// ThreatStatus is a GroupBy key (order: ThreatStatuses).
func ThreatStatus(t *Threat) string { return t.Status }

// ThreatSeverity is a GroupBy key (order: catalog.Severities).
func ThreatSeverity(t *Threat) string { return t.Severity }

// ThreatSTRIDE is a GroupBy key: the STRIDE category.
func ThreatSTRIDE(t *Threat) string { return t.STRIDE }

// RequirementComponent is a GroupBy key: the component a requirement is
// listed under.
func RequirementComponent(q *Requirement) string { return q.Component }

// RequirementStatus is a GroupBy key (order: RequirementStatuses).
func RequirementStatus(q *Requirement) string { return q.Status }

// RequirementSeverity is a GroupBy key (order: catalog.Severities).
func RequirementSeverity(q *Requirement) string { return q.Severity }

// RequirementEpic is a GroupBy key (order: catalog.Epics).
func RequirementEpic(q *Requirement) string { return q.Epic }
