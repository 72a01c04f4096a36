package builder

import (
	"cmp"

	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

// The mapper of Route 53 Resolver endpoints.

// mapResolverEndpoint draws an inbound or outbound resolver endpoint of the
// VPC in the first of the subnets of its addresses.
func (b *build) mapResolverEndpoint(r *inventory.Resource, c *resolverEndpointConfig) {
	var subnets []string
	for _, a := range c.IPAddresses {
		subnets = append(subnets, a.SubnetID)
	}
	if c.HostVPCID != b.vpc.ID && !b.anySubnet(subnets) {
		return
	}
	n := b.add(r, b.firstSubnet(subnets), 41)
	n.name = cmp.Or(c.Name, r.Tags["Name"], n.name)
	n.sgs = c.SecurityGroupIDs
	n.setNonEmpty("direction", c.Direction)
	n.set("ipAddresses", len(c.IPAddresses))
	if len(subnets) > 1 {
		n.set("subnets", subnets)
	}
}

// The configuration shape of Route 53 Resolver endpoints.

type resolverEndpointConfig struct {
	ID               string   `json:"id"`
	Name             string   `json:"name"`
	Direction        string   `json:"direction"`
	HostVPCID        string   `json:"hostVPCId"`
	SecurityGroupIDs []string `json:"securityGroupIds"`
	IPAddresses      []struct {
		SubnetID string `json:"subnetId"`
		IP       string `json:"ip"`
	} `json:"ipAddresses"`
}
