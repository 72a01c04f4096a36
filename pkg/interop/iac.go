package interop

import (
	"fmt"
	"sort"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// This file turns infrastructure as code (CloudFormation resources,
// Terraform plan resources), once each source has been read into iacGraph,
// into a diagram: VPCs and subnets become containers, every other mapped
// resource a component inside its subnet (or VPC, or the nested stack or
// module it comes from), and flows come from security group ingress rules,
// load balancer listeners and target groups, and event sources.

// iacResource is one resource of the source, with its relationships
// resolved to other resources' keys.
type iacResource struct {
	Key     string // unique in the graph: logical id or address
	Name    string
	AWSType string // CloudFormation resource type, e.g. AWS::EC2::Instance
	Source  string // the source's own type (the Terraform type), if different
	TypeID  string // catalog type, when the resource type alone does not tell it
	// Internal is set for load balancers without public addresses: a
	// security group rule admitting 0.0.0.0/0 to them admits the VPC and
	// the networks connected to it, not the Internet.
	Internal bool
	Group    string // key of the nested stack or module group, or ""
	Place    string // key of the subnet or VPC the resource is in, or ""
	SGs      []string
	Props    map[string]any // properties to keep on the component
}

// iacGroup is a nested stack or a module.
type iacGroup struct {
	Key, Name, Parent string
}

// iacLink is a flow between two resources. Reason names the source's
// reference that made it; it is kept in the flow's FlowReasonProperty.
type iacLink struct {
	From, To, Protocol string
	Port               int
	Label              string
	Reason             string
}

// FlowReasonProperty is the flow property in which imports from
// infrastructure as code say which reference of the source made the flow
// (a listener's target group, an environment variable, a policy statement,
// a security group's ingress rule...).
const FlowReasonProperty = "reason"

// iacIngress is one ingress rule of a security group: traffic from another
// group's members or from a CIDR range.
type iacIngress struct {
	SG, FromSG, CIDR, IPProtocol string
	Port                         int
	Reason                       string
}

type iacGraph struct {
	resources []*iacResource
	groups    []iacGroup
	links     []iacLink
	ingress   []iacIngress
	skipped   map[string]int // consumed or structural resource types → count
}

func (g *iacGraph) skip(awsType string) {
	if g.skipped == nil {
		g.skipped = map[string]int{}
	}
	g.skipped[awsType]++
}

// portProtocols names the protocol a well-known port stands for.
var portProtocols = map[int]string{
	443: "HTTPS", 80: "HTTP", 8080: "HTTP", 8443: "HTTPS", 22: "SSH", 3389: "RDP", 5432: "PostgreSQL", 3306: "MySQL",
	1433: "MSSQL", 1521: "Oracle", 6379: "Redis", 11211: "Memcached", 27017: "MongoDB", 2049: "NFS", 9092: "Kafka",
	9094: "Kafka-TLS", 5672: "AMQP", 5671: "AMQPS", 53: "DNS", 25: "SMTP", 389: "LDAP", 636: "LDAPS", 21: "FTP",
}

func protocolForPort(ipProtocol string, port int) string {
	if p, ok := portProtocols[port]; ok && ipProtocol != "udp" && ipProtocol != "17" {
		return p
	}
	if ipProtocol == "udp" || ipProtocol == "17" {
		return "UDP"
	}
	return "TCP"
}

// listenerProtocol maps an ELB listener or target group protocol.
func listenerProtocol(p string, port int) string {
	switch strings.ToUpper(p) {
	case "HTTPS":
		return "HTTPS"
	case "HTTP":
		return "HTTP"
	case "TLS":
		return "TLS"
	case "UDP":
		return "UDP"
	case "":
		return protocolForPort("tcp", port)
	}
	return "TCP"
}

const internetKey = "internet"

// assemble builds the model from g.
func assemble(name, description string, g *iacGraph, cat *catalog.Catalog, w *convert.Warnings) *model.ThreatModel {
	m := &model.ThreatModel{Name: iacText(name, model.MaxNameLen), Description: iacText(description, model.MaxDescLen)}
	var idgen convert.IDs
	id := map[string]string{}  // resource key → element id
	gid := map[string]string{} // group (nested stack, module) key → element id
	isGroup := map[string]bool{}
	typeOf := map[string]*catalog.ComponentType{}
	for _, gr := range g.groups {
		gid[gr.Key] = idgen.Take(gr.Key)
	}
	for _, r := range g.resources {
		id[r.Key] = idgen.Take(r.Key)
		t := cat.TypeForResource(r.AWSType)
		if r.TypeID != "" {
			t = cat.Type(r.TypeID)
		}
		if t != nil {
			typeOf[r.Key] = t
			isGroup[r.Key] = t.ID == "aws.vpc" || t.ID == "aws.subnet"
		}
	}
	for _, gr := range g.groups {
		m.Diagram.Groups = append(m.Diagram.Groups, model.Group{ID: gid[gr.Key], Kind: model.KindGroup, Name: iacText(gr.Name, model.MaxNameLen), Parent: gid[gr.Parent]})
	}
	unmapped := map[string]int{}
	for _, r := range g.resources {
		parent := gid[r.Group]
		if r.Place != "" && isGroup[r.Place] {
			parent = id[r.Place]
		}
		res := &model.AWSResource{ResourceType: r.AWSType, ResourceID: r.Key}
		var props model.Properties
		for k, v := range r.Props {
			if props == nil {
				props = model.Properties{}
			}
			props[k] = convert.RawJSON(v)
		}
		t := typeOf[r.Key]
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
		if isGroup[r.Key] {
			m.Diagram.Groups = append(m.Diagram.Groups, model.Group{ID: id[r.Key], Kind: model.KindContainer, Type: typ, Name: iacText(r.Name, model.MaxNameLen), Parent: parent, Properties: props, Resource: res})
			continue
		}
		m.Diagram.Components = append(m.Diagram.Components, model.Component{ID: id[r.Key], Type: typ, Name: iacText(r.Name, model.MaxNameLen), Parent: parent, Properties: props, Resource: res})
	}
	breakCycles(m, w)
	for _, k := range sortedKeys(unmapped) {
		w.Add("%d resources of type %s have no Bulwark catalog type; imported as %s (the source type is kept in property %q)", unmapped[k], k, convert.GenericType, convert.SourceTypeProperty)
	}
	for _, k := range sortedKeys(g.skipped) {
		w.Add("%d resources of type %s are read for relationships (containment, flows) and not drawn as components", g.skipped[k], k)
	}

	// Flows.
	members := map[string][]string{}
	for _, r := range g.resources {
		for _, sg := range r.SGs {
			members[sg] = append(members[sg], r.Key)
		}
	}
	seen := map[string]bool{}
	external := map[string]string{} // CIDR → component id
	addFlow := func(from, to, proto string, port int, label, reason string) {
		a, b := id[from], id[to]
		if from == internetKey || strings.HasPrefix(from, "cidr:") {
			a = external[from]
		}
		if a == "" || b == "" || a == b {
			return
		}
		if port < 0 || port > 65535 {
			port = 0
		}
		key := fmt.Sprintf("%s>%s:%d", a, b, port)
		if seen[key] {
			return
		}
		seen[key] = true
		var props model.Properties
		if reason != "" {
			props = model.Properties{FlowReasonProperty: convert.RawJSON(reason)}
		}
		m.Diagram.Flows = append(m.Diagram.Flows, model.Flow{ID: idgen.Take(fmt.Sprintf("flow-%s-%s", a, b)), Source: a, Target: b,
			Protocol: iacText(proto, model.MaxProtocolLen), Port: port, Label: iacText(label, model.MaxNameLen), Properties: props})
	}
	source := func(cidr string) string {
		key := "cidr:" + cidr
		name := "Network " + cidr
		if cidr == "0.0.0.0/0" || cidr == "::/0" {
			key, name = internetKey, "Internet"
		}
		if external[key] == "" {
			external[key] = idgen.Take(strings.NewReplacer("/", "-", ":", "-").Replace(strings.TrimPrefix(key, "cidr:")))
			m.Diagram.Components = append(m.Diagram.Components, model.Component{ID: external[key], Type: "generic.external-service", Name: name,
				Properties: model.Properties{"cidr": convert.RawJSON(cidr)}})
		}
		return key
	}
	internal := map[string]bool{}
	for _, r := range g.resources {
		internal[r.Key] = r.Internal
	}
	for _, in := range g.ingress {
		targets := members[in.SG]
		if len(targets) == 0 {
			w.Add("security group %s has no members in the source; its ingress rules draw no flows", in.SG)
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
						w.Add("%s admits %s to %s, an internal load balancer: no flow from the Internet is drawn (it has no public address)", convert.OrDefault(in.Reason, "security group "+in.SG), in.CIDR, t)
						continue
					}
					public = append(public, t)
				}
				targets = public
				if len(targets) == 0 {
					continue
				}
			}
			froms = []string{source(in.CIDR)}
		}
		proto := protocolForPort(strings.ToLower(in.IPProtocol), in.Port)
		for _, f := range froms {
			for _, t := range targets {
				addFlow(f, t, proto, in.Port, "", convert.OrDefault(in.Reason, "ingress rule of security group "+in.SG))
			}
		}
	}
	for _, l := range g.links {
		from := l.From
		if from == internetKey {
			from = source("0.0.0.0/0")
		}
		addFlow(from, l.To, convert.OrDefault(l.Protocol, "TCP"), l.Port, l.Label, l.Reason)
	}
	convert.Layout(&m.Diagram)
	return m
}

func sortedKeys[V any](mp map[string]V) []string {
	keys := make([]string, 0, len(mp))
	for k := range mp {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
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
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
