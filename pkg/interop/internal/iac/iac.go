// Package iac is what the importers of infrastructure as code
// (CloudFormation templates, Terraform plans) share. Each reads its source
// into a Graph of resources with their relationships resolved; Assemble
// turns the graph into a diagram: VPCs and subnets become containers, every
// other mapped resource a component inside its subnet (or VPC, or the
// nested stack or module it comes from), and flows come from security
// group ingress rules, load balancer listeners and target groups, and
// event sources. Props and its helpers map the security-relevant
// attributes of resources to catalog properties, and Get and its kin read
// the sources' untyped values.
package iac

import (
	"cmp"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
)

// Resource is one resource of the source, with its relationships
// resolved to other resources' keys.
type Resource struct {
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

// Group is a nested stack or a module.
type Group struct {
	Key, Name, Parent string
}

// Link is a flow between two resources. Reason names the source's
// reference that made it; it is kept in the flow's FlowReasonProperty.
type Link struct {
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

// Ingress is one ingress rule of a security group: traffic from another
// group's members or from a CIDR range.
type Ingress struct {
	SG, FromSG, CIDR, IPProtocol string
	Port                         int
	Reason                       string
}

// Graph is a source read for Assemble: its resources, the nested stacks or
// modules they come from, the flows its references make and the ingress
// rules of its security groups.
type Graph struct {
	Resources []*Resource
	Groups    []Group
	Links     []Link
	Ingress   []Ingress
	skipped   map[string]int // consumed or structural resource types → count
}

// Skip counts a resource of awsType that is read for relationships
// (containment, flows) and not drawn.
func (g *Graph) Skip(awsType string) {
	if g.skipped == nil {
		g.skipped = map[string]int{}
	}
	g.skipped[awsType]++
}

// protocolForPort names the protocol of a security group ingress rule:
// UDP, or the protocol of a well-known TCP port (catalog.PortProtocol),
// else TCP.
func protocolForPort(ipProtocol string, port int) string {
	if ipProtocol == "udp" || ipProtocol == "17" {
		return "UDP"
	}
	return cmp.Or(catalog.PortProtocol(port), "TCP")
}

// InternetKey is the key a Link names the Internet by.
const InternetKey = "internet"
