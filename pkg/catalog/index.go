package catalog

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

var genericIcon = regexp.MustCompile(`^generic/[a-z0-9-]+$`)

// index builds the lookup maps and checks every cross-reference, adding a
// problem for each broken one.
func (c *Catalog) index(p *problems, icons map[string]bool) {
	c.typeByID = map[string]*ComponentType{}
	c.typeByResource = map[string]*ComponentType{}
	c.threatByID = map[string]*Threat{}
	c.reqByID = map[string]*Requirement{}
	c.assistByID = map[string]*AssistRule{}
	c.protoByName = map[string]*Protocol{}
	c.threatsByType = map[string][]*Threat{}
	c.assistByType = map[string][]*AssistRule{}
	c.requirementsByTy = map[string][]*Requirement{}

	// Ids share one namespace: item ids are "rule@element", and a type id
	// prefixes its rules' ids.
	owner := map[string]string{}
	claim := func(file, kind, id string) bool {
		if prev, dup := owner[id]; dup {
			p.add(file, "%s id %q is already used in %s", kind, id, prev)
			return false
		}
		owner[id] = file
		return true
	}

	for _, t := range c.Types {
		if !claim(t.File, "component type", t.ID) {
			continue
		}
		c.typeByID[t.ID] = t
		at := fmt.Sprintf("component type %s", t.ID)
		switch {
		case t.AWS() && !icons[t.Icon]:
			p.add(t.File, "%s: icon %q is not in icons.txt (the aws-icons package)", at, t.Icon)
		case !t.AWS() && !genericIcon.MatchString(t.Icon) && !icons[t.Icon]:
			p.add(t.File, "%s: icon %q must be generic/<name> or an aws-icons path", at, t.Icon)
		}
		if t.AWS() && t.ResourceTypes == nil { // an explicit [] marks a type that is no standalone resource
			p.add(t.File, "%s: an AWS type needs its resource types (write [] if it has none)", at)
		}
		for _, rt := range t.ResourceTypes {
			if prev := c.typeByResource[rt]; prev != nil {
				p.add(t.File, "%s: resource type %s is already represented by %s", at, rt, prev.ID)
				continue
			}
			c.typeByResource[rt] = t
		}
		seen := map[string]bool{}
		for _, pr := range t.Properties {
			if seen[pr.Name] {
				p.add(t.File, "%s: duplicate property %q", at, pr.Name)
			}
			seen[pr.Name] = true
			if pr.Default != nil {
				if msg := checkValue(&pr, normalize(pr.Default), true); msg != "" {
					p.add(t.File, "%s: property %s: default %v %s", at, pr.Name, pr.Default, msg)
				}
			}
		}
	}

	for _, pr := range c.Protocols {
		for _, name := range append([]string{pr.ID}, pr.Aliases...) {
			k := strings.ToLower(name)
			if prev := c.protoByName[k]; prev != nil && prev != pr {
				p.add(pr.File, "protocol %s: name %q is already used by protocol %s", pr.ID, name, prev.ID)
				continue
			}
			c.protoByName[k] = pr
		}
	}

	for i, t := range c.Threats {
		t.index = i
		if !claim(t.File, "threat", t.ID) {
			continue
		}
		c.threatByID[t.ID] = t
		at := "threat " + t.ID
		a := &t.AppliesTo
		a.Types = c.expandTypes(p, t.File, at, a.Types)
		a.conds = c.checkConditions(p, t.File, at, a.When, a.Types)
		for _, ty := range a.Types {
			if c.typeByID[ty] == nil {
				p.add(t.File, "%s: applies to unknown component type %q", at, ty)
				continue
			}
			c.threatsByType[ty] = append(c.threatsByType[ty], t)
		}
		if f := a.Flows; f != nil {
			c.flowThreats = append(c.flowThreats, t)
			for _, name := range f.Protocols {
				if c.Protocol(name) == nil {
					p.add(t.File, "%s: unknown protocol %q", at, name)
				}
			}
			for _, ty := range slices.Concat(f.SourceTypes, f.TargetTypes) {
				if c.typeByID[ty] == nil {
					p.add(t.File, "%s: flow end of unknown component type %q", at, ty)
				}
			}
		}
	}

	for i, r := range c.Requirements {
		r.index = i
		if !claim(r.File, "requirement", r.ID) {
			continue
		}
		c.reqByID[r.ID] = r
		at := "requirement " + r.ID
		for _, ty := range r.For {
			if c.typeByID[ty] == nil {
				p.add(r.File, "%s: for unknown component type %q", at, ty)
			}
		}
		for _, tid := range r.Mitigates {
			t := c.threatByID[tid]
			if t == nil {
				p.add(r.File, "%s: mitigates unknown threat %q", at, tid)
				continue
			}
			t.mitigations = append(t.mitigations, r)
		}
		for _, id := range r.Evidence.SecurityHub {
			if c.Controls.SecurityHub[id] == nil {
				p.add(r.File, "%s: Security Hub control %q is not in catalogs/securityhub-controls.csv", at, id)
			}
		}
		for _, id := range r.Evidence.Config {
			if c.Controls.ConfigRules[id] == nil {
				p.add(r.File, "%s: AWS Config rule %q is not in catalogs/config-managed-rules.csv", at, id)
			}
		}
		for _, id := range r.Evidence.CIS {
			if c.Controls.CIS[id] == nil {
				p.add(r.File, "%s: CIS item %q is not in catalogs/cis-aws-foundations.csv", at, id)
			}
		}
	}
	for _, t := range c.Threats {
		if len(t.mitigations) == 0 && c.threatByID[t.ID] == t {
			p.add(t.File, "threat %s: no requirement mitigates it", t.ID)
		}
	}
	for _, t := range c.Types {
		seen := map[*Requirement]bool{}
		for _, th := range c.threatsByType[t.ID] {
			n := 0
			for _, r := range th.mitigations {
				if r.AppliesToType(t.ID) {
					seen[r] = true
					n++
				}
			}
			if n == 0 {
				p.add(th.File, "threat %s: no requirement mitigates it on %s (check the requirements' for lists)", th.ID, t.ID)
			}
		}
		for _, r := range c.Requirements {
			if seen[r] {
				c.requirementsByTy[t.ID] = append(c.requirementsByTy[t.ID], r)
			}
		}
	}

	for _, r := range c.Assist {
		if !claim(r.File, "assist rule", r.ID) {
			continue
		}
		c.assistByID[r.ID] = r
		c.checkAssist(p, r)
	}
}

// checkAssist checks one Assist rule and indexes it by type.
func (c *Catalog) checkAssist(p *problems, r *AssistRule) {
	at := "assist rule " + r.ID
	for _, ty := range r.For {
		if c.typeByID[ty] == nil {
			p.add(r.File, "%s: for unknown component type %q", at, ty)
			continue
		}
		c.assistByType[ty] = append(c.assistByType[ty], r)
	}
	r.conds = c.checkConditions(p, r.File, at, r.When, r.For)
	r.prop = c.checkConditions(p, r.File, at, r.Needs.Property, r.For)
	n := r.Needs
	var needTypes []string
	if n.Connected != nil {
		needTypes = n.Connected.Types
	}
	for _, ty := range slices.Concat(n.Inside, n.Present, needTypes) {
		if c.typeByID[ty] == nil {
			p.add(r.File, "%s: needs unknown component type %q", at, ty)
		}
	}
	for _, ty := range n.Inside {
		if t := c.typeByID[ty]; t != nil && !t.CanContain {
			p.add(r.File, "%s: needs to be inside %s, which cannot contain components", at, ty)
		}
	}
	f := r.Fix
	if f == nil {
		return
	}
	if f.Protocol != "" && c.Protocol(f.Protocol) == nil {
		p.add(r.File, "%s: fix uses unknown protocol %q", at, f.Protocol)
	}
	for _, ty := range f.Above {
		if c.typeByID[ty] == nil {
			p.add(r.File, "%s: fix goes above unknown component type %q", at, ty)
		}
	}
	// The fix must complete the task it belongs to.
	switch {
	case f.Set != nil:
		if n.Property == nil {
			p.add(r.File, "%s: a fix that sets properties needs a property need", at)
			break
		}
		set := map[string]any{}
		for k, v := range f.Set {
			set[k] = normalize(v)
		}
		for _, cond := range r.prop {
			v, ok := set[cond.Property]
			if !ok || !(Condition{Property: "x", Op: cond.Op, Value: cond.Value}).matchValue(v) {
				p.add(r.File, "%s: fix does not make %q true", at, cond.String())
			}
		}
		for _, ty := range r.For {
			t := c.typeByID[ty]
			for k, v := range f.Set {
				if t == nil {
					continue
				}
				pr := t.Property(k)
				if pr == nil {
					p.add(r.File, "%s: fix sets property %q, which %s does not have", at, k, ty)
				} else if msg := checkValue(pr, normalize(v), true); msg != "" {
					p.add(r.File, "%s: fix sets %s to %v: %s", at, k, v, msg)
				}
			}
		}
	case c.typeByID[f.Place] == nil:
		p.add(r.File, "%s: fix places unknown component type %q", at, f.Place)
	case n.Inside != nil:
		if f.As != "parent" || !slices.Contains(n.Inside, f.Place) {
			p.add(r.File, "%s: an inside need is fixed by placing one of %v as parent", at, n.Inside)
		}
		if !c.typeByID[f.Place].CanContain {
			p.add(r.File, "%s: fix places %s as parent, but it cannot contain components", at, f.Place)
		}
	case n.Connected != nil:
		dir := f.Direction
		if dir == "" {
			dir = "out"
		}
		if f.As != "connected" || !slices.Contains(n.Connected.Types, f.Place) {
			p.add(r.File, "%s: a connected need is fixed by connecting one of %v", at, n.Connected.Types)
		}
		if nd := n.Connected.Direction; nd != "" && nd != "any" && nd != dir {
			p.add(r.File, "%s: need direction %q but fix direction %q", at, nd, dir)
		}
		if f.Protocol == "" {
			p.add(r.File, "%s: a connecting fix needs a protocol", at)
		}
	case n.Present != nil:
		if !slices.Contains(n.Present, f.Place) {
			p.add(r.File, "%s: a present need is fixed by placing one of %v", at, n.Present)
		}
	default:
		p.add(r.File, "%s: a property need is fixed with set, not by placing a component", at)
	}
}

// checkConditions parses conditions and checks that every type in types has
// the property each one names, with a value of the right kind.
func (c *Catalog) checkConditions(p *problems, file, at string, src []string, types []string) []Condition {
	var out []Condition
	for _, s := range src {
		cond, err := ParseCondition(s)
		if err != nil {
			p.add(file, "%s: %v", at, err)
			continue
		}
		out = append(out, cond)
		for _, ty := range types {
			t := c.typeByID[ty]
			if t == nil {
				continue
			}
			pr := t.Property(cond.Property)
			if pr == nil {
				p.add(file, "%s: condition %q: %s has no property %q", at, s, ty, cond.Property)
				continue
			}
			if cond.Op == "contains" && pr.Type != "list" {
				p.add(file, "%s: condition %q: contains needs a list property, %s is %s", at, s, cond.Property, pr.Type)
				continue
			}
			if msg := checkValue(pr, cond.Value, cond.Op != "contains"); msg != "" {
				p.add(file, "%s: condition %q: %s", at, s, msg)
			}
		}
	}
	return out
}

// checkValue returns why v cannot be a value of pr (whole, or an element of
// a list when whole is false), or "".
func checkValue(pr *Property, v any, whole bool) string {
	switch pr.Type {
	case "boolean":
		if _, ok := v.(bool); !ok {
			return "is not true or false"
		}
	case "number":
		if _, ok := v.(float64); !ok {
			return "is not a number"
		}
	case "string":
		if _, ok := v.(string); !ok {
			return "is not a string"
		}
	case "enum":
		s, ok := v.(string)
		if !ok || !slices.Contains(pr.Enum, s) {
			return fmt.Sprintf("is not one of %v", pr.Enum)
		}
	case "list":
		if whole {
			if _, ok := v.([]any); !ok {
				return "is not a list"
			}
		} else if _, ok := v.(string); !ok {
			return "is not a string"
		}
	}
	return ""
}

// matchValue reports whether a known value v meets c.
func (c Condition) matchValue(v any) bool {
	switch c.Op {
	case "==":
		return equal(v, c.Value)
	case "!=":
		return !equal(v, c.Value)
	}
	list, _ := v.([]any)
	return slices.ContainsFunc(list, func(e any) bool { return equal(e, c.Value) })
}

// expandTypes replaces each "prefix.*" pattern by the ids of every type that
// starts with "prefix.", in catalog order, and drops duplicates.
func (c *Catalog) expandTypes(p *problems, file, at string, types []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, ty := range types {
		prefix, ok := strings.CutSuffix(ty, "*")
		if !ok {
			if !seen[ty] {
				seen[ty] = true
				out = append(out, ty)
			}
			continue
		}
		n := 0
		for _, t := range c.Types {
			if strings.HasPrefix(t.ID, prefix) {
				n++
				if !seen[t.ID] {
					seen[t.ID] = true
					out = append(out, t.ID)
				}
			}
		}
		if n == 0 {
			p.add(file, "%s: pattern %q matches no component type", at, ty)
		}
	}
	return out
}
