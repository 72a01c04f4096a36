package builder

import (
	"cmp"
	"encoding/json"
	"slices"

	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

// The mappers of Elastic Load Balancing: load balancers (ELBv2 and
// classic), listeners and target groups.

// mapLoadBalancer draws an application, network, gateway or classic load
// balancer of the VPC in the first of its subnets; its listeners and target
// groups become its flows (loadBalancerFlows).
func (b *build) mapLoadBalancer(r *inventory.Resource, c *loadBalancerConfig) {
	if cmp.Or(c.VpcID, c.VPCID) != b.vpc.ID {
		return
	}
	subnets := slices.Clone(c.Subnets)
	for _, z := range c.AvailabilityZones {
		subnets = append(subnets, z.SubnetID)
	}
	n := b.add(r, b.firstSubnet(subnets), 0)
	n.name = cmp.Or(c.LoadBalancerName, n.name)
	n.sgs = c.SecurityGroups
	if c.Type == "network" || c.Type == "gateway" {
		n.typ = "aws.nlb"
	}
	n.public = c.Scheme == "internet-facing"
	n.set("internetFacing", n.public)
	switch {
	case c.Type != "":
		n.set("loadBalancerType", c.Type)
	case r.Type == "AWS::ElasticLoadBalancing::LoadBalancer":
		n.set("loadBalancerType", "classic")
	}
	b.lbCfg[n] = *c
}

// mapListener keeps a listener for the flows of its load balancer.
func (b *build) mapListener(r *inventory.Resource, c *listenerConfig) {
	b.listeners = append(b.listeners, *c)
}

// mapTargetGroup keeps a target group of the VPC for the flows of its load
// balancer and folds it into them.
func (b *build) mapTargetGroup(r *inventory.Resource, c *targetGroupConfig) {
	if c.VpcID == b.vpc.ID {
		b.targetGroup[cmp.Or(c.TargetGroupArn, r.ARN, r.ID)] = *c
		b.fold(r, "its load balancer's flows")
	}
}

// The configuration shapes of Elastic Load Balancing.

type loadBalancerConfig struct {
	LoadBalancerArn   string   `json:"loadBalancerArn"`
	LoadBalancerName  string   `json:"loadBalancerName"`
	Scheme            string   `json:"scheme"`
	Type              string   `json:"type"`
	VpcID             string   `json:"vpcId"`
	SecurityGroups    []string `json:"securityGroups"`
	AvailabilityZones []lbZone `json:"availabilityZones"` // {zoneName, subnetId} for ELBv2, zone names for classic
	// Classic load balancers.
	VPCID                string   `json:"vpcid"`
	Subnets              []string `json:"subnets"`
	ListenerDescriptions []struct {
		Listener struct {
			Protocol         string `json:"protocol"`
			LoadBalancerPort int    `json:"loadBalancerPort"`
			InstanceProtocol string `json:"instanceProtocol"`
			InstancePort     int    `json:"instancePort"`
		} `json:"listener"`
	} `json:"listenerDescriptions"`
	Instances []struct {
		InstanceID string `json:"instanceId"`
	} `json:"instances"`
}

// lbZone is a load balancer's zone: an object {zoneName, subnetId} for
// application and network load balancers, a bare zone name ("us-west-2a")
// for classic load balancers.
type lbZone struct {
	ZoneName string `json:"zoneName"`
	SubnetID string `json:"subnetId"`
}

// UnmarshalJSON reads either shape.
func (z *lbZone) UnmarshalJSON(data []byte) error {
	var name string
	if json.Unmarshal(data, &name) == nil {
		z.ZoneName = name
		return nil
	}
	type plain lbZone
	return json.Unmarshal(data, (*plain)(z))
}

type listenerConfig struct {
	LoadBalancerArn string `json:"loadBalancerArn"`
	Port            int    `json:"port"`
	Protocol        string `json:"protocol"`
	DefaultActions  []struct {
		Type           string `json:"type"`
		TargetGroupArn string `json:"targetGroupArn"`
		ForwardConfig  struct {
			TargetGroups []struct {
				TargetGroupArn string `json:"targetGroupArn"`
			} `json:"targetGroups"`
		} `json:"forwardConfig"`
		RedirectConfig struct {
			Protocol string `json:"protocol"`
		} `json:"redirectConfig"`
	} `json:"defaultActions"`
}

type targetGroupConfig struct {
	TargetGroupArn string `json:"targetGroupArn"`
	Protocol       string `json:"protocol"`
	Port           int    `json:"port"`
	VpcID          string `json:"vpcId"`
	TargetType     string `json:"targetType"`
}
