package iac

import (
	"fmt"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// Assemble builds the model from g, named name and described by
// description, noting in w what it could not carry over.
func Assemble(name, description string, g *Graph, cat *catalog.Catalog, w *convert.Warnings) *model.ThreatModel {
	a := &assembly{g: g, cat: cat, w: w, id: map[string]string{}, gid: map[string]string{}, isGroup: map[string]bool{}, typeOf: map[string]*catalog.ComponentType{},
		seen: map[string]bool{}, external: map[string]string{}}
	a.m = &model.ThreatModel{Name: iacText(name, model.MaxNameLen), Description: iacText(description, model.MaxDescLen)}
	a.takeIDs()
	unmapped := a.elements()
	breakCycles(a.m, w)
	a.noteUndrawn(unmapped)
	a.ingressFlows()
	a.linkFlows()
	convert.Layout(&a.m.Diagram)
	return a.m
}

// assembly is one Assemble under way.
type assembly struct {
	g        *Graph
	cat      *catalog.Catalog
	w        *convert.Warnings
	m        *model.ThreatModel
	idgen    convert.IDs
	id       map[string]string // resource key → element id
	gid      map[string]string // group (nested stack, module) key → element id
	isGroup  map[string]bool   // resources drawn as containers (VPCs, subnets)
	typeOf   map[string]*catalog.ComponentType
	seen     map[string]bool   // flows drawn, by source, target and port
	external map[string]string // InternetKey or "cidr:" + CIDR → component id
}

// takeIDs gives every group and resource its element id, and notes each
// resource's catalog type.
func (a *assembly) takeIDs() {
	for _, gr := range a.g.Groups {
		a.gid[gr.Key] = a.idgen.Take(gr.Key)
	}
	for _, r := range a.g.Resources {
		a.id[r.Key] = a.idgen.Take(r.Key)
		t := a.cat.TypeForResource(r.AWSType)
		if r.TypeID != "" {
			t = a.cat.Type(r.TypeID)
		}
		if t != nil {
			a.typeOf[r.Key] = t
			a.isGroup[r.Key] = t.ID == "aws.vpc" || t.ID == "aws.subnet"
		}
	}
}

// elements draws the groups (nested stacks, modules), then every resource
// as a container or a component inside its subnet, VPC or group; a
// resource without a catalog type is generic. It returns how many of each
// source type have no catalog type.
func (a *assembly) elements() (unmapped map[string]int) {
	for _, gr := range a.g.Groups {
		a.m.Diagram.Groups = append(a.m.Diagram.Groups, model.Group{ID: a.gid[gr.Key], Kind: model.KindGroup, Name: iacText(gr.Name, model.MaxNameLen), Parent: a.gid[gr.Parent]})
	}
	unmapped = map[string]int{}
	for _, r := range a.g.Resources {
		parent := a.gid[r.Group]
		if r.Place != "" && a.isGroup[r.Place] {
			parent = a.id[r.Place]
		}
		res := &model.AWSResource{ResourceType: r.AWSType, ResourceID: r.Key}
		var props model.Properties
		for k, v := range r.Props {
			if props == nil {
				props = model.Properties{}
			}
			props[k] = convert.RawJSON(v)
		}
		t := a.typeOf[r.Key]
		typ := convert.GenericType
		if t == nil {
			unmapped[convert.OrDefault(r.Source, r.AWSType)]++
			if props == nil {
				props = model.Properties{}
			}
			props[convert.SourceTypeProperty] = convert.RawJSON(convert.OrDefault(r.Source, r.AWSType))
		} else {
			typ = t.ID
		}
		if a.isGroup[r.Key] {
			a.m.Diagram.Groups = append(a.m.Diagram.Groups, model.Group{ID: a.id[r.Key], Kind: model.KindContainer, Type: typ, Name: iacText(r.Name, model.MaxNameLen), Parent: parent, Properties: props, Resource: res})
			continue
		}
		a.m.Diagram.Components = append(a.m.Diagram.Components, model.Component{ID: a.id[r.Key], Type: typ, Name: iacText(r.Name, model.MaxNameLen), Parent: parent, Properties: props, Resource: res})
	}
	return unmapped
}

// noteUndrawn warns of the resources without a catalog type (unmapped,
// by source type) and of those read only for relationships.
func (a *assembly) noteUndrawn(unmapped map[string]int) {
	for _, k := range SortedKeys(unmapped) {
		a.w.Add("%d resources of type %s have no Bulwark catalog type; imported as %s (the source type is kept in property %q)", unmapped[k], k, convert.GenericType, convert.SourceTypeProperty)
	}
	for _, k := range SortedKeys(a.g.skipped) {
		a.w.Add("%d resources of type %s are read for relationships (containment, flows) and not drawn as components", a.g.skipped[k], k)
	}
}

// addFlow draws a flow between two resource keys (or from an external
// source), once per source, target and port.
func (a *assembly) addFlow(from, to, proto string, port int, label, reason string) {
	src, dst := a.id[from], a.id[to]
	if from == InternetKey || strings.HasPrefix(from, "cidr:") {
		src = a.external[from]
	}
	if src == "" || dst == "" || src == dst {
		return
	}
	if port < 0 || port > 65535 {
		port = 0
	}
	key := fmt.Sprintf("%s>%s:%d", src, dst, port)
	if a.seen[key] {
		return
	}
	a.seen[key] = true
	var props model.Properties
	if reason != "" {
		props = model.Properties{FlowReasonProperty: convert.RawJSON(reason)}
	}
	a.m.Diagram.Flows = append(a.m.Diagram.Flows, model.Flow{ID: a.idgen.Take(fmt.Sprintf("flow-%s-%s", src, dst)), Source: src, Target: dst,
		Protocol: iacText(proto, model.MaxProtocolLen), Port: port, Label: iacText(label, model.MaxNameLen), Properties: props})
}

// source returns the key of the external component a CIDR range stands
// for (the Internet for 0.0.0.0/0 and ::/0), drawing it the first time.
func (a *assembly) source(cidr string) string {
	key := "cidr:" + cidr
	name := "Network " + cidr
	if cidr == "0.0.0.0/0" || cidr == "::/0" {
		key, name = InternetKey, "Internet"
	}
	if a.external[key] == "" {
		a.external[key] = a.idgen.Take(strings.NewReplacer("/", "-", ":", "-").Replace(strings.TrimPrefix(key, "cidr:")))
		a.m.Diagram.Components = append(a.m.Diagram.Components, model.Component{ID: a.external[key], Type: "generic.external-service", Name: name,
			Properties: model.Properties{"cidr": convert.RawJSON(cidr)}})
	}
	return key
}

// ingressFlows draws the flows security group ingress rules admit: from
// the members of another group, or from a network (none from the Internet
// to an internal load balancer, with a warning).
func (a *assembly) ingressFlows() {
	members := map[string][]string{}
	internal := map[string]bool{}
	for _, r := range a.g.Resources {
		for _, sg := range r.SGs {
			members[sg] = append(members[sg], r.Key)
		}
		internal[r.Key] = r.Internal
	}
	for _, in := range a.g.Ingress {
		targets := members[in.SG]
		if len(targets) == 0 {
			a.w.Add("security group %s has no members in the source; its ingress rules draw no flows", in.SG)
			continue
		}
		var froms []string
		switch {
		case in.FromSG != "":
			froms = members[in.FromSG]
		case in.CIDR != "":
			if in.CIDR == "0.0.0.0/0" || in.CIDR == "::/0" {
				var public []string
				for _, t := range targets {
					if internal[t] {
						a.w.Add("%s admits %s to %s, an internal load balancer: no flow from the Internet is drawn (it has no public address)", convert.OrDefault(in.Reason, "security group "+in.SG), in.CIDR, t)
						continue
					}
					public = append(public, t)
				}
				targets = public
				if len(targets) == 0 {
					continue
				}
			}
			froms = []string{a.source(in.CIDR)}
		}
		proto := protocolForPort(strings.ToLower(in.IPProtocol), in.Port)
		for _, f := range froms {
			for _, t := range targets {
				a.addFlow(f, t, proto, in.Port, "", convert.OrDefault(in.Reason, "ingress rule of security group "+in.SG))
			}
		}
	}
}

// linkFlows draws the flows of the source's references (listeners, target
// groups, event sources, policies...).
func (a *assembly) linkFlows() {
	for _, l := range a.g.Links {
		from := l.From
		if from == InternetKey {
			from = a.source("0.0.0.0/0")
		}
		a.addFlow(from, l.To, convert.OrDefault(l.Protocol, "TCP"), l.Port, l.Label, l.Reason)
	}
}

// breakCycles detaches container groups that would enclose themselves (a
// subnet placed in a subnet that is placed in it, as a malformed source may
// say), with a warning.
func breakCycles(m *model.ThreatModel, w *convert.Warnings) {
	idx := map[string]int{}
	for i, g := range m.Diagram.Groups {
		idx[g.ID] = i
	}
	for i := range m.Diagram.Groups {
		g := &m.Diagram.Groups[i]
		seen := map[string]bool{g.ID: true}
		for p := g.Parent; p != ""; {
			j, ok := idx[p]
			if !ok {
				break
			}
			if seen[p] {
				w.Add("%s %q is placed inside itself through %q; it is drawn outside", g.Kind, g.ID, g.Parent)
				g.Parent = ""
				break
			}
			seen[p] = true
			p = m.Diagram.Groups[j].Parent
		}
	}
}

// iacText makes a name from the source valid model text: control
// characters become spaces, invalid UTF-8 is dropped, and it is cut to at
// most n characters.
func iacText(s string, n int) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		if model.TextProblem(string(r)) != "" {
			return ' '
		}
		return r
	}, s)
	return model.Clip(s, n)
}
