package builder

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// This file says what part each kind of component can play in a flow that
// a security-group rule allows (its role), and whether such a flow is
// plausible.

// sgRule is one security-group permission as plausible reads it.
type sgRule struct {
	proto, label string
	port         int // the rule's port (its first for a range, 0 for all)
	from, to     int // the port range it allows
	udp          bool
}

// role says what part a component can play in a flow a security group
// allows.
type role struct {
	kind      string // "compute", "load balancer", "database", "cache", "endpoint", … (names the reason in notes)
	initiates bool   // can open connections
	ports     []int  // TCP ports it listens on (with anyPort: known ones, which narrow a range)
	anyPort   bool   // it may listen on any port (instances, containers, unknown types)
	udp       []int  // UDP ports it listens on
}

// Inference rules named in PropInferredBy.
const (
	ruleListens = "sg-rule: the target listens on the port"
	ruleUnknown = "sg-rule: the target's listening ports are not known"
)

// Well-known listening ports by engine.
var enginePorts = map[string][]int{
	"mysql": {3306}, "mariadb": {3306}, "postgres": {5432}, "oracle": {1521}, "sqlserver": {1433},
	"docdb": {27017}, "neptune": {8182}, "redis": {6379}, "valkey": {6379}, "memcached": {11211},
}

// listeningPorts collects the ports load balancers (listeners) and
// container services (container ports of their target groups) listen on.
func (b *build) listeningPorts() map[*node][]int {
	out := map[*node][]int{}
	for _, l := range b.listeners {
		if lb := b.byResource[l.LoadBalancerArn]; lb != nil && l.Port > 0 {
			out[lb] = append(out[lb], l.Port)
		}
	}
	for lb, c := range b.lbCfg {
		for _, ld := range c.ListenerDescriptions {
			if ld.Listener.LoadBalancerPort > 0 {
				out[lb] = append(out[lb], ld.Listener.LoadBalancerPort)
			}
		}
	}
	for _, n := range b.nodes {
		if c, ok := b.ecsCfg[n.id]; ok {
			for _, lb := range c.LoadBalancers {
				if lb.ContainerPort > 0 {
					out[n] = append(out[n], lb.ContainerPort)
				}
			}
		}
	}
	return out
}

// roleOf returns the part n can play in a security-group flow, from its
// AWS type, its configuration and its listening ports.
func (b *build) roleOf(n *node) role {
	if r, ok := b.roles[n]; ok {
		return r
	}
	r := b.findRole(n)
	if b.roles == nil {
		b.roles = map[*node]role{}
	}
	b.roles[n] = r
	return r
}

func (b *build) findRole(n *node) role {
	if n.res == nil {
		return role{kind: "unknown", initiates: true, anyPort: true}
	}
	var conf struct {
		Engine   string `json:"engine"`
		Port     int    `json:"port"`
		Endpoint struct {
			Port int `json:"port"`
		} `json:"endpoint"`
		ConfigurationEndpoint struct {
			Port int `json:"port"`
		} `json:"configurationEndpoint"`
		CacheNodes []struct {
			Endpoint struct {
				Port int `json:"port"`
			} `json:"endpoint"`
		} `json:"cacheNodes"`
		NodeGroups []struct {
			PrimaryEndpoint struct {
				Port int `json:"port"`
			} `json:"primaryEndpoint"`
		} `json:"nodeGroups"`
		VpcEndpointType string `json:"vpcEndpointType"`
	}
	decode(n.res, &conf)
	known := func(ports ...int) []int {
		var out []int
		for _, p := range ports {
			if p > 0 && !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
		return out
	}
	engine := func(fallback ...int) []int {
		e := strings.ToLower(conf.Engine)
		for _, name := range []string{"postgres", "mysql", "mariadb", "oracle", "sqlserver", "docdb", "neptune", "redis", "valkey", "memcached"} {
			if strings.Contains(e, name) {
				return enginePorts[name]
			}
		}
		return fallback
	}
	switch n.res.Type {
	case "AWS::EC2::Instance":
		return role{kind: "compute", initiates: true, anyPort: true}
	case "AWS::ECS::Service":
		// Its load balancers' container ports narrow "all traffic"; a rule
		// for another port may be a service-to-service port.
		return role{kind: "compute", initiates: true, anyPort: true, ports: known(b.listening[n]...)}
	case "AWS::EKS::Cluster":
		return role{kind: "compute", initiates: true, ports: []int{443}}
	case "AWS::Lambda::Function":
		return role{kind: "function", initiates: true} // a function in a VPC accepts no connections
	case "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ElasticLoadBalancing::LoadBalancer":
		if ports := b.listening[n]; len(ports) > 0 {
			return role{kind: "load balancer", initiates: true, ports: known(ports...)}
		}
		return role{kind: "load balancer", initiates: true, anyPort: true}
	case "AWS::RDS::DBInstance", "AWS::RDS::DBCluster":
		ports := known(conf.Endpoint.Port, conf.Port)
		if len(ports) == 0 {
			ports = engine()
		}
		if len(ports) == 0 {
			return role{kind: "database", anyPort: true}
		}
		return role{kind: "database", ports: ports}
	case "AWS::Redshift::Cluster":
		return role{kind: "database", ports: known(cmp.Or(conf.Endpoint.Port, conf.Port, 5439))}
	case "AWS::ElastiCache::CacheCluster", "AWS::ElastiCache::ReplicationGroup", "AWS::ElastiCache::ServerlessCache":
		ports := known(conf.Port, conf.ConfigurationEndpoint.Port)
		for _, c := range conf.CacheNodes {
			ports = append(ports, known(c.Endpoint.Port)...)
		}
		for _, g := range conf.NodeGroups {
			ports = append(ports, known(g.PrimaryEndpoint.Port)...)
		}
		if len(ports) == 0 {
			ports = engine(6379, 11211)
		}
		return role{kind: "cache", ports: known(ports...)}
	case "AWS::DAX::Cluster":
		return role{kind: "cache", ports: []int{8111, 9111}}
	case "AWS::OpenSearch::Domain", "AWS::Elasticsearch::Domain":
		return role{kind: "search domain", ports: []int{443, 80}}
	case "AWS::EFS::FileSystem", "AWS::EFS::MountTarget":
		return role{kind: "file system", ports: []int{2049}}
	case "AWS::FSx::FileSystem":
		return role{kind: "file system", anyPort: true}
	case "AWS::MSK::Cluster":
		return role{kind: "stream", ports: []int{9092, 9094, 9096, 9098, 2181, 2182}}
	case "AWS::EC2::VPCEndpoint":
		if strings.EqualFold(conf.VpcEndpointType, "GatewayLoadBalancer") {
			return role{kind: "endpoint", anyPort: true}
		}
		return role{kind: "endpoint", ports: []int{443, 80}} // interface endpoints answer only
	case "AWS::Route53Resolver::ResolverEndpoint":
		// Inbound endpoints answer DNS from the VPC; outbound ones forward
		// queries out of it.
		return role{kind: "DNS resolver endpoint", ports: []int{53}, udp: []int{53}}
	case "AWS::EC2::NatGateway", "AWS::EC2::InternetGateway", "AWS::EC2::TransitGatewayAttachment":
		return role{kind: "gateway"}
	}
	return role{kind: "compute", initiates: true, anyPort: true}
}

// plausible returns the ports a flow from s to d that rule r allows can
// use, and the inference rule that admits it; ok is false, with the
// reason, when the flow is implausible: the source cannot open
// connections (databases, caches, endpoints only answer), a load balancer
// talks only to compute targets, or the target listens on no port the
// rule allows. ports is nil when the target's ports are not known (the
// rule's own port then stands).
func plausible(src, dst role, r sgRule) (ports []int, inferredBy string, ok bool, reason string) {
	switch {
	case !src.initiates:
		return nil, "", false, fmt.Sprintf("%s does not initiate connections", article(src.kind))
	case src.kind == "load balancer" && dst.kind != "compute":
		return nil, "", false, fmt.Sprintf("a load balancer sends to its targets, not to %s", article(dst.kind))
	case dst.anyPort:
		if r.from != r.to {
			for _, p := range dst.ports {
				if p >= r.from && p <= r.to {
					ports = append(ports, p)
				}
			}
			if len(ports) > 0 {
				return ports, ruleListens, true, ""
			}
		}
		return nil, ruleUnknown, true, ""
	}
	listening := dst.ports
	if r.udp {
		if len(dst.udp) == 0 {
			return nil, "", false, fmt.Sprintf("%s does not listen on UDP", article(dst.kind))
		}
		listening = dst.udp
	}
	for _, p := range listening {
		if p >= r.from && p <= r.to {
			ports = append(ports, p)
		}
	}
	if len(ports) == 0 {
		if len(dst.ports) == 0 {
			return nil, "", false, fmt.Sprintf("%s accepts no connections", article(dst.kind))
		}
		return nil, "", false, fmt.Sprintf("%s does not listen on the port", article(dst.kind))
	}
	return ports, ruleListens, true, ""
}

// article puts "a" or "an" before a kind.
func article(kind string) string {
	if kind != "" && strings.ContainsRune("aeiou", rune(kind[0])) {
		return "an " + kind
	}
	return "a " + kind
}
