package builder

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// deriveFlows draws the flows of security-group rules, load balancers and
// internet routes.
//
// A security-group rule only says what the network allows, not what
// happens: a flow is drawn for a member pair only when it is plausible
// (see plausible), is marked inferred (PropInferred, PropInferredBy), and
// every pair left out is counted in a note.
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
	b.listening = b.listeningPorts()
	b.inferring = true
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
			r := sgRule{proto: proto, port: port, label: label, from: port, to: port}
			if p.FromPort != nil && p.ToPort != nil && label != "" && port != 0 {
				r.from, r.to = *p.FromPort, *p.ToPort
			}
			if proto == "TCP" && port == 0 {
				r.from, r.to = 0, 65535
			}
			r.udp = proto == "UDP" || proto == "DNS"
			if r.udp && port == 0 {
				r.from, r.to = 0, 65535
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
							b.sgFlow(s, d, r, why)
						}
					}
					continue
				}
				aggregated++
				n := max(len(sources), len(targets))
				for i := range n {
					for _, f := range b.sgFlow(sources[i%len(sources)], targets[i%len(targets)], r, why) {
						setProp(f, "aggregated", fmt.Sprintf("%d sources × %d targets drawn as a matching", len(sources), len(targets)))
					}
				}
			}
			if b.igw != nil && openToInternet(p.cidrs()) {
				for _, d := range targets {
					if d.public && b.subnets[d.subnet] != nil && b.subnets[d.subnet].public && !isLB(d) {
						b.sgInternetFlow(d, r, fmt.Sprintf("security group %s allows %s from the internet", tid, what))
					}
				}
			}
		}
	}
	if aggregated > 0 {
		b.stats.Notes = append(b.stats.Notes, fmt.Sprintf("%d security-group rules join more than %d member pairs; each is drawn as a matching of its members", aggregated, MaxPairs))
	}
	b.noteImplausible()
	b.inferring = false // from here on flows come from listeners and target groups
	b.loadBalancerFlows()
}

// Flow properties of the flows the builder infers from security-group
// rules: PropInferred is true and PropInferredBy names the inference rule
// and the security-group rule behind it. The editor can hide such flows.
const (
	PropInferred   = "inferred"
	PropInferredBy = "inferredBy"
)

// sgFlow draws the flows security-group rule r allows from s to d, when
// plausible, marked inferred; it counts an implausible pair by reason.
func (b *build) sgFlow(s, d *node, r sgRule, why string) []*model.Flow {
	if s == nil || d == nil || s == d {
		return nil
	}
	ports, by, ok, reason := plausible(b.roleOf(s), b.roleOf(d), r)
	if !ok {
		if b.implausible == nil {
			b.implausible = map[string]int{}
		}
		b.implausible[reason]++
		return nil
	}
	return b.inferred(s, d, r, ports, by, why)
}

// sgInternetFlow draws Internet users → internet gateway → d for a rule
// open to the internet, when d listens on a port the rule allows.
func (b *build) sgInternetFlow(d *node, r sgRule, why string) {
	ports, by, ok, reason := plausible(role{kind: "internet", initiates: true}, b.roleOf(d), r)
	if !ok {
		if b.implausible == nil {
			b.implausible = map[string]int{}
		}
		b.implausible[reason]++
		return
	}
	if len(ports) == 0 {
		b.internetFlow(d, r.proto, r.port, r.label, why)
		b.markInferred(b.flows[flowKey(b.igw, d, r.proto, r.port)], by, why)
		b.markInferred(b.flows[flowKey(b.internet, b.igw, r.proto, r.port)], by, why)
		return
	}
	for _, p := range ports {
		proto := portProtocol(b, r, p)
		b.internetFlow(d, proto, p, "", why)
		b.markInferred(b.flows[flowKey(b.igw, d, proto, p)], by, why)
		b.markInferred(b.flows[flowKey(b.internet, b.igw, proto, p)], by, why)
	}
}

// inferred draws s → d on ports (or on the rule's own port when ports is
// nil) and marks the new flows inferred.
func (b *build) inferred(s, d *node, r sgRule, ports []int, by, why string) []*model.Flow {
	var out []*model.Flow
	add := func(proto string, port int, label string) {
		_, existed := b.flows[flowKey(s, d, proto, port)]
		f := b.flow(s, d, proto, port, label, why)
		if f == nil {
			return
		}
		if !existed {
			b.markInferred(f, by, why)
		}
		out = append(out, f)
	}
	if len(ports) == 0 {
		add(r.proto, r.port, r.label)
		return out
	}
	for _, p := range ports {
		add(portProtocol(b, r, p), p, "")
	}
	return out
}

// portProtocol names the protocol of a flow rule r allows on port p.
func portProtocol(b *build, r sgRule, p int) string {
	if r.udp {
		if p == 53 {
			return "DNS"
		}
		return "UDP"
	}
	return known(b, catalog.PortProtocol(p), "TCP")
}

// markInferred marks a flow the builder drew only from a security-group
// rule. A flow something surer also drew (a listener, a target group)
// keeps no mark: see flow.
func (b *build) markInferred(f *model.Flow, by, why string) {
	if f == nil || b.certain[f] {
		return
	}
	f.Properties[PropInferred] = json.RawMessage("true")
	setProp(f, PropInferredBy, by+" ("+why+")")
}

// noteImplausible says how many security-group member pairs were not
// drawn, and why.
func (b *build) noteImplausible() {
	if len(b.implausible) == 0 {
		return
	}
	reasons := make([]string, 0, len(b.implausible))
	total := 0
	for r, n := range b.implausible {
		reasons = append(reasons, fmt.Sprintf("%s: %d", r, n))
		total += n
	}
	slices.Sort(reasons)
	b.stats.Notes = append(b.stats.Notes, fmt.Sprintf("%d member pairs that security groups allow are not drawn as flows, being implausible (%s)", total, strings.Join(reasons, "; ")))
}

// flowState is what deriveFlows keeps beside the build.
type flowState struct {
	listening   map[*node][]int      // ports load balancers and services listen on
	roles       map[*node]role       // roleOf's answers
	implausible map[string]int       // member pairs not drawn, by reason
	certain     map[*model.Flow]bool // flows drawn from something surer than a security group
	inferring   bool                 // flows drawn now come from security-group rules
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

func flowKey(s, d *node, proto string, port int) string {
	if s == nil || d == nil {
		return ""
	}
	return s.id + "\x00" + d.id + "\x00" + proto + "\x00" + strconv.Itoa(port)
}

// flow adds a flow once per (source, target, protocol, port). A flow drawn
// again by something surer than a security-group rule (a listener, a target
// group, an endpoint) loses its inferred mark, and keeps none.
func (b *build) flow(s, d *node, proto string, port int, label, why string) *model.Flow {
	if s == nil || d == nil || s == d {
		return nil
	}
	key := flowKey(s, d, proto, port)
	if f, ok := b.flows[key]; ok {
		if _, was := f.Properties[PropInferred]; was && !b.inferring {
			delete(f.Properties, PropInferred)
			delete(f.Properties, PropInferredBy)
			setProp(f, PropAccelerator, why)
		}
		if !b.inferring {
			b.markCertain(f)
		}
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
	if !b.inferring {
		b.markCertain(f)
	}
	return f
}

func (b *build) markCertain(f *model.Flow) {
	if b.certain == nil {
		b.certain = map[*model.Flow]bool{}
	}
	b.certain[f] = true
}

func setProp(f *model.Flow, k, v string) {
	raw, _ := jsonString(v)
	f.Properties[k] = raw
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
		return known(b, catalog.PortProtocol(from), "TCP"), from, "", true
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

// listenerProtocol maps a load balancer or target group protocol
// (catalog.ListenerProtocol), TCP where b's catalog does not list it.
func listenerProtocol(b *build, p string, port int) string {
	return known(b, catalog.ListenerProtocol(p, port), "TCP")
}

func known(b *build, name, fallback string) string {
	if name != "" && b.cat.Protocol(name) != nil {
		return name
	}
	return fallback
}
