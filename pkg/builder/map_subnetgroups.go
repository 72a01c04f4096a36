package builder

import (
	"cmp"
	"slices"

	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

// Subnet groups of RDS, ElastiCache, Redshift, DocumentDB and Neptune: read
// in the first pass (collectNetwork) to place the databases and caches that
// name them, folded into those (foldSubnetGroup), and the ones nobody
// names folded into the VPC (finishNetwork).

// subnetGroupTypes are folded into the databases and caches that use them.
var subnetGroupTypes = map[string]bool{
	"AWS::RDS::DBSubnetGroup": true, "AWS::ElastiCache::SubnetGroup": true, "AWS::Redshift::ClusterSubnetGroup": true,
	"AWS::DocDB::DBSubnetGroup": true, "AWS::Neptune::DBSubnetGroup": true,
}

// subnetGroup returns the subnets of the named subnet group of type typ in
// this VPC, and whether there is one.
func (b *build) subnetGroup(typ, name string) ([]string, bool) {
	c, ok := b.subnetGroups[typ+"\x00"+name]
	if !ok {
		return nil, false
	}
	return c.subnets(), true
}

// foldSubnetGroup records the subnet group named name as part of n.
func (b *build) foldSubnetGroup(n *node, typ, name string, scope []*inventory.Resource) {
	if name == "" {
		return
	}
	n.set("subnetGroup", name)
	for _, r := range scope {
		if r.Type == typ && (r.ID == name || r.Name == name) {
			b.fold(r, n.id)
		}
	}
}

// mapSubnetGroup keeps a subnet group of the VPC for finishNetwork, which
// folds the groups that no database or cache has taken into the first RDS
// instance that names them, else into the VPC.
func (b *build) mapSubnetGroup(r *inventory.Resource, c *subnetGroupConfig) {
	if c.VpcID == b.vpc.ID || b.anySubnet(c.subnets()) {
		b.subnetGroupLeft = append(b.subnetGroupLeft, r)
	}
}

// The configuration shape of subnet groups.

// subnetGroupConfig reads RDS, ElastiCache and Redshift subnet groups.
type subnetGroupConfig struct {
	DBSubnetGroupName      string `json:"dBSubnetGroupName"`
	CacheSubnetGroupName   string `json:"cacheSubnetGroupName"`
	ClusterSubnetGroupName string `json:"clusterSubnetGroupName"`
	VpcID                  string `json:"vpcId"`
	Subnets                []struct {
		SubnetIdentifier string `json:"subnetIdentifier"`
	} `json:"subnets"`
	SubnetIDs []string `json:"subnetIds"`
}

func (c subnetGroupConfig) name() string {
	return cmp.Or(c.DBSubnetGroupName, c.CacheSubnetGroupName, c.ClusterSubnetGroupName)
}

func (c subnetGroupConfig) subnets() []string {
	out := slices.Clone(c.SubnetIDs)
	for _, s := range c.Subnets {
		out = append(out, s.SubnetIdentifier)
	}
	return out
}
