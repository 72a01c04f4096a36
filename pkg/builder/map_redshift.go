package builder

import (
	"cmp"

	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

// The mapper of Redshift clusters.

// mapRedshiftCluster draws a cluster whose subnet group, VPC or
// relationships are in the VPC, in the group's subnet of its zone.
func (b *build) mapRedshiftCluster(r *inventory.Resource, c *redshiftConfig) {
	subnets, ok := b.subnetGroup("AWS::Redshift::ClusterSubnetGroup", c.ClusterSubnetGroupName)
	if c.VpcID != b.vpc.ID && !ok && !b.related(r) {
		return
	}
	n := b.add(r, b.zoneSubnet(subnets, c.AvailabilityZone), 31)
	n.name = cmp.Or(c.ClusterIdentifier, n.name)
	for _, g := range c.VpcSecurityGroups {
		n.sgs = append(n.sgs, g.VpcSecurityGroupID)
	}
	n.public = c.PubliclyAccessible
	n.set("publiclyAccessible", c.PubliclyAccessible)
	n.set("encrypted", c.Encrypted)
	b.foldSubnetGroup(n, "AWS::Redshift::ClusterSubnetGroup", c.ClusterSubnetGroupName, b.scope)
}

// The configuration shape of Redshift clusters.

type redshiftConfig struct {
	ClusterIdentifier      string `json:"clusterIdentifier"`
	ClusterSubnetGroupName string `json:"clusterSubnetGroupName"`
	VpcID                  string `json:"vpcId"`
	AvailabilityZone       string `json:"availabilityZone"`
	PubliclyAccessible     bool   `json:"publiclyAccessible"`
	Encrypted              bool   `json:"encrypted"`
	VpcSecurityGroups      []struct {
		VpcSecurityGroupID string `json:"vpcSecurityGroupId"`
	} `json:"vpcSecurityGroups"`
}
