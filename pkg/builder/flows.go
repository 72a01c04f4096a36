package builder

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/model"
)

// place decides which subnets are public, folds ENIs into their instances
// and ECS task ENIs into their services, and records security groups as
// properties.
func (b *build) place() {
	// A subnet is public when its route table (explicit, else the VPC's
	// main one) routes to an internet gateway.
	explicit := map[string]bool{}
	mainPublic := false
	for _, rt := range b.routeTables {
		toIGW := false
		for _, r := range rt.Routes {
			if strings.HasPrefix(r.GatewayID, "igw-") {
				toIGW = true
			}
		}
		for _, a := range rt.Associations {
			if a.Main {
				mainPublic = toIGW
			}
			if a.SubnetID != "" {
				explicit[a.SubnetID] = true
				if s := b.subnets[a.SubnetID]; s != nil {
					s.public = toIGW
				}
			}
		}
	}
	for id, s := range b.subnets {
		if !explicit[id] {
			s.public = mainPublic
		}
	}

	// ENIs: attached to an instance → the instance's; an ECS task ENI
	// (description "arn:aws:ecs:…:attachment/…") → a service with the same
	// groups in that subnet, counted as a task.
	services := map[string][]*node{}
	for _, n := range b.nodes {
		if n.res != nil && n.res.Type == "AWS::ECS::Service" {
			for _, s := range b.ecsCfg[n.id].NetworkConfiguration.AwsvpcConfiguration.Subnets {
				services[s] = append(services[s], n)
			}
		}
	}
	enis := map[*node][]string{}
	tasks := map[*node]int{}
	for _, e := range b.enis {
		if inst := b.byResource[e.Attachment.InstanceID]; inst != nil && e.Attachment.InstanceID != "" {
			enis[inst] = append(enis[inst], e.NetworkInterfaceID)
			for _, g := range e.Groups {
				inst.sgs = append(inst.sgs, g.GroupID)
			}
			if e.Association.PublicIP != "" {
				inst.public = true
				inst.set("publicIp", true)
			}
			continue
		}
		if strings.Contains(e.Description, ":attachment/") && strings.HasPrefix(e.Description, "arn:aws:ecs:") {
			var groups []string
			for _, g := range e.Groups {
				groups = append(groups, g.GroupID)
			}
			slices.Sort(groups)
			for _, svc := range services[e.SubnetID] {
				sg := slices.Clone(svc.sgs)
				slices.Sort(sg)
				if slices.Equal(sg, groups) {
					tasks[svc]++
					break
				}
			}
		}
	}
	for n, ids := range enis {
		slices.Sort(ids)
		n.set("networkInterfaces", ids)
	}
	for n, c := range tasks {
		n.set("runningTasks", c)
	}

	for _, n := range b.nodes {
		if len(n.sgs) == 0 {
			continue
		}
		slices.Sort(n.sgs)
		n.sgs = slices.Compact(n.sgs)
		labels := make([]string, 0, len(n.sgs))
		for _, id := range n.sgs {
			if g := b.sgs[id]; g != nil && g.GroupName != "" {
				labels = append(labels, id+" ("+g.GroupName+")")
			} else {
				labels = append(labels, id)
			}
		}
		n.set("securityGroups", labels)
	}
	for _, n := range b.nodes {
		if s := b.subnets[n.subnet]; s != nil {
			s.nodes = append(s.nodes, n)
		}
	}
}

// deriveFlows draws the flows of security-group rules, load balancers and
// internet routes.
func (b *build) deriveFlows() {
	members := map[string][]*node{}
	for _, n := range b.nodes {
		for _, g := range n.sgs {
			members[g] = append(members[g], n)
		}
	}
	sgIDs := make([]string, 0, len(b.sgs))
	for id := range b.sgs {
		sgIDs = append(sgIDs, id)
	}
	slices.Sort(sgIDs)
	aggregated := 0
	for _, tid := range sgIDs {
		t := b.sgs[tid]
		targets := members[tid]
		if len(targets) == 0 {
			continue
		}
		for _, p := range t.IPPermissions {
			proto, port, label, ok := ruleProtocol(b, p)
			if !ok {
				continue
			}
			what := cmp.Or(label, fmt.Sprintf("%s %d", proto, port))
			for _, pair := range p.UserIDGroupPairs {
				if pair.GroupID == tid {
					continue // members of a group talking among themselves
				}
				sources := members[pair.GroupID]
				why := fmt.Sprintf("security group %s allows %s from %s", tid, what, pair.GroupID)
				if len(sources)*len(targets) <= MaxPairs {
					for _, s := range sources {
						for _, d := range targets {
							b.flow(s, d, proto, port, label, why)
						}
					}
					continue
				}
				aggregated++
				n := max(len(sources), len(targets))
				for i := range n {
					f := b.flow(sources[i%len(sources)], targets[i%len(targets)], proto, port, label, why)
					if f != nil {
						setProp(f, "aggregated", fmt.Sprintf("%d sources × %d targets drawn as a matching", len(sources), len(targets)))
					}
				}
			}
			if b.igw != nil && openToInternet(p.cidrs()) {
				for _, d := range targets {
					if d.public && b.subnets[d.subnet] != nil && b.subnets[d.subnet].public && !isLB(d) {
						b.internetFlow(d, proto, port, label, fmt.Sprintf("security group %s allows %s from the internet", tid, what))
					}
				}
			}
		}
	}
	if aggregated > 0 {
		b.stats.Notes = append(b.stats.Notes, fmt.Sprintf("%d security-group rules join more than %d member pairs; each is drawn as a matching of its members", aggregated, MaxPairs))
	}
	b.loadBalancerFlows()
}

func isLB(n *node) bool { return n.typ == "aws.alb" || n.typ == "aws.nlb" }

func openToInternet(cidrs []string) bool {
	return slices.Contains(cidrs, "0.0.0.0/0") || slices.Contains(cidrs, "::/0")
}

// loadBalancerFlows draws internet → IGW → internet-facing load balancer on
// each listener, and load balancer → targets of its target groups.
func (b *build) loadBalancerFlows() {
	targets := map[string][]target{} // target group ARN → targets
	for _, n := range b.nodes {
		if c, ok := b.ecsCfg[n.id]; ok {
			for _, lb := range c.LoadBalancers {
				targets[lb.TargetGroupArn] = append(targets[lb.TargetGroupArn], target{n, lb.ContainerPort})
			}
		}
	}
	for _, a := range b.asgs {
		for _, tg := range a.TargetGroupARNs {
			for _, i := range a.Instances {
				if n := b.byResource[i.InstanceID]; n != nil {
					targets[tg] = append(targets[tg], target{n, 0})
				}
			}
		}
	}
	listeners := slices.Clone(b.listeners)
	slices.SortFunc(listeners, func(x, y listenerConfig) int {
		return cmp.Or(cmp.Compare(x.LoadBalancerArn, y.LoadBalancerArn), cmp.Compare(x.Port, y.Port))
	})
	httpsOnly := map[*node]bool{}
	for _, l := range listeners {
		lb := b.byResource[l.LoadBalancerArn]
		if lb == nil {
			continue
		}
		b.stats.Folded++
		proto := listenerProtocol(b, l.Protocol, l.Port)
		secure := l.Protocol == "HTTPS" || l.Protocol == "TLS"
		for _, a := range l.DefaultActions {
			if a.Type == "redirect" && a.RedirectConfig.Protocol == "HTTPS" {
				secure = true
			}
		}
		if v, seen := httpsOnly[lb]; !seen || v {
			httpsOnly[lb] = secure
		}
		if lb.public && b.igw != nil && b.subnets[lb.subnet] != nil && b.subnets[lb.subnet].public {
			b.internetFlow(lb, proto, l.Port, "", fmt.Sprintf("listener %s %d", l.Protocol, l.Port))
		}
		var tgs []string
		for _, a := range l.DefaultActions {
			if a.TargetGroupArn != "" {
				tgs = append(tgs, a.TargetGroupArn)
			}
			for _, t := range a.ForwardConfig.TargetGroups {
				tgs = append(tgs, t.TargetGroupArn)
			}
		}
		slices.Sort(tgs)
		for _, arn := range slices.Compact(tgs) {
			tg := b.targetGroup[arn]
			for _, t := range targets[arn] {
				port := cmp.Or(t.port, tg.Port)
				b.flow(lb, t.n, listenerProtocol(b, tg.Protocol, port), port, "", "target group "+arn)
			}
		}
	}
	for lb, v := range httpsOnly {
		if lb.typ == "aws.nlb" {
			lb.set("tlsListeners", v)
		} else {
			lb.set("httpsOnly", v)
		}
	}
	// Classic load balancers list their listeners and instances inline.
	lbs := make([]*node, 0, len(b.lbCfg))
	for lb := range b.lbCfg {
		lbs = append(lbs, lb)
	}
	slices.SortFunc(lbs, func(x, y *node) int { return cmp.Compare(x.id, y.id) })
	for _, lb := range lbs {
		c := b.lbCfg[lb]
		for _, ld := range c.ListenerDescriptions {
			l := ld.Listener
			if lb.public && b.igw != nil && b.subnets[lb.subnet] != nil && b.subnets[lb.subnet].public {
				b.internetFlow(lb, listenerProtocol(b, l.Protocol, l.LoadBalancerPort), l.LoadBalancerPort, "", fmt.Sprintf("listener %s %d", l.Protocol, l.LoadBalancerPort))
			}
			for _, i := range c.Instances {
				if n := b.byResource[i.InstanceID]; n != nil {
					b.flow(lb, n, listenerProtocol(b, l.InstanceProtocol, l.InstancePort), l.InstancePort, "", "classic load balancer "+c.LoadBalancerName)
				}
			}
		}
	}
}

type target struct {
	n    *node
	port int
}

// internetFlow draws Internet users → internet gateway → d.
func (b *build) internetFlow(d *node, proto string, port int, label, why string) {
	if b.internet == nil {
		b.internet = &node{id: "internet", typ: InternetType, name: "Internet users", subnet: "-", props: model.Properties{}}
		b.internet.set(PropAccelerator, "internet")
		b.nodes = append(b.nodes, b.internet)
	}
	b.flow(b.internet, b.igw, proto, port, label, "route to internet gateway "+b.igw.res.ID)
	b.flow(b.igw, d, proto, port, label, why)
}

// flow adds a flow once per (source, target, protocol, port).
func (b *build) flow(s, d *node, proto string, port int, label, why string) *model.Flow {
	if s == nil || d == nil || s == d {
		return nil
	}
	key := s.id + "\x00" + d.id + "\x00" + proto + "\x00" + strconv.Itoa(port)
	if f, ok := b.flows[key]; ok {
		return f
	}
	if len(b.flows) >= model.MaxFlows {
		if len(b.stats.Notes) == 0 || !strings.HasPrefix(b.stats.Notes[len(b.stats.Notes)-1], "flow limit") {
			b.stats.Notes = append(b.stats.Notes, fmt.Sprintf("flow limit: the diagram holds at most %d flows; further flows are not drawn", model.MaxFlows))
		}
		return nil
	}
	sum := sha256.Sum256([]byte(key))
	f := &model.Flow{ID: "flow-" + hex.EncodeToString(sum[:8]), Source: s.id, Target: d.id, Protocol: proto, Port: port, Label: label, Properties: model.Properties{}}
	setProp(f, PropAccelerator, why)
	b.flows[key] = f
	return f
}

func setProp(f *model.Flow, k, v string) {
	raw, _ := jsonString(v)
	f.Properties[k] = raw
}

// portProtocols names the protocol usually spoken on a TCP port.
var portProtocols = map[int]string{
	22: "SSH", 80: "HTTP", 443: "HTTPS", 3389: "RDP", 5432: "PostgreSQL", 3306: "MySQL", 1433: "MSSQL",
	1521: "Oracle", 6379: "Redis", 11211: "Memcached", 27017: "MongoDB", 5672: "AMQP", 5671: "AMQPS",
	9092: "Kafka", 9094: "Kafka-TLS", 2049: "NFS", 389: "LDAP", 636: "LDAPS", 25: "SMTP", 465: "SMTPS",
	8080: "HTTP", 8000: "HTTP", 3000: "HTTP", 8443: "HTTPS", 9200: "HTTPS", 1883: "MQTT", 8883: "MQTTS", 21: "FTP",
}

// ruleProtocol names the protocol, port and label of a permission. ICMP
// and other non-TCP/UDP protocols draw no flow.
func ruleProtocol(b *build, p permission) (proto string, port int, label string, ok bool) {
	from, to := -1, -1
	if p.FromPort != nil {
		from = *p.FromPort
	}
	if p.ToPort != nil {
		to = *p.ToPort
	}
	switch strings.ToLower(p.IPProtocol) {
	case "-1", "all":
		return "TCP", 0, "all traffic", true
	case "tcp", "6":
		if from <= 0 && (to <= 0 || to == 65535) {
			return "TCP", 0, "all TCP", true
		}
		if from != to {
			return "TCP", from, fmt.Sprintf("TCP %d-%d", from, to), true
		}
		return known(b, portProtocols[from], "TCP"), from, "", true
	case "udp", "17":
		if from == 53 && to == 53 {
			return "DNS", 53, "", true
		}
		if from != to || from <= 0 {
			return "UDP", max(from, 0), fmt.Sprintf("UDP %d-%d", from, to), true
		}
		return "UDP", from, "", true
	}
	return "", 0, "", false
}

// listenerProtocol maps a load balancer or target group protocol.
func listenerProtocol(b *build, p string, port int) string {
	switch strings.ToUpper(p) {
	case "HTTPS", "SSL":
		return "HTTPS"
	case "HTTP":
		return "HTTP"
	case "TLS":
		return "TLS"
	case "UDP":
		return "UDP"
	case "GENEVE":
		return "UDP"
	}
	return known(b, portProtocols[port], "TCP")
}

func known(b *build, name, fallback string) string {
	if name != "" && b.cat.Protocol(name) != nil {
		return name
	}
	return fallback
}
