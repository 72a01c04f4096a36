package builder

import (
	"cmp"

	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

// The mappers of ElastiCache: cache clusters, placed through their subnet
// groups, and replication groups, which become a property of their member
// clusters.

// mapCacheCluster draws a cache cluster whose subnet group, security groups
// or relationships are in the VPC, in the group's subnet of its preferred
// zone.
func (b *build) mapCacheCluster(r *inventory.Resource, c *cacheClusterConfig) {
	subnets, ok := b.subnetGroup("AWS::ElastiCache::SubnetGroup", c.CacheSubnetGroupName)
	var sgs []string
	inVPC := ok
	for _, g := range c.SecurityGroups {
		sgs = append(sgs, g.SecurityGroupID)
		inVPC = inVPC || b.sgs[g.SecurityGroupID] != nil
	}
	if !inVPC && !b.related(r) {
		return
	}
	n := b.add(r, b.zoneSubnet(subnets, c.PreferredAvailabilityZone), 32)
	n.name = cmp.Or(c.CacheClusterID, n.name)
	n.sgs = sgs
	n.setNonEmpty("engine", c.Engine)
	n.setNonEmpty("replicationGroup", c.ReplicationGroupID)
	n.set("encryptedInTransit", c.TransitEncryptionEnabled)
	n.set("encryptedAtRest", c.AtRestEncryptionEnabled)
	b.foldSubnetGroup(n, "AWS::ElastiCache::SubnetGroup", c.CacheSubnetGroupName, b.scope)
}

// mapReplicationGroup sets the property "replicationGroup" of its member
// clusters (read before it: types sort) and folds the group into the first;
// a group without drawn members is drawn as a resource without a mapper.
func (b *build) mapReplicationGroup(r *inventory.Resource) {
	var c struct {
		ReplicationGroupID string   `json:"replicationGroupId"`
		MemberClusters     []string `json:"memberClusters"`
	}
	if !b.read(r, &c) {
		b.drawGeneric(r)
		return
	}
	var members []*node
	for _, id := range c.MemberClusters {
		if n := b.byResource[id]; n != nil {
			members = append(members, n)
		}
	}
	if len(members) == 0 {
		b.drawGeneric(r)
		return
	}
	for _, n := range members {
		n.set("replicationGroup", cmp.Or(c.ReplicationGroupID, r.ID))
	}
	b.fold(r, members[0].id)
}

// The configuration shape of ElastiCache clusters.

type cacheClusterConfig struct {
	CacheClusterID            string `json:"cacheClusterId"`
	ReplicationGroupID        string `json:"replicationGroupId"`
	Engine                    string `json:"engine"`
	CacheSubnetGroupName      string `json:"cacheSubnetGroupName"`
	PreferredAvailabilityZone string `json:"preferredAvailabilityZone"`
	TransitEncryptionEnabled  bool   `json:"transitEncryptionEnabled"`
	AtRestEncryptionEnabled   bool   `json:"atRestEncryptionEnabled"`
	SecurityGroups            []struct {
		SecurityGroupID string `json:"securityGroupId"`
	} `json:"securityGroups"`
}
