package builder

import (
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

func TestMapSubnetGroups(t *testing.T) {
	db := raw(t, "AWS::RDS::DBInstance", "db-ORDERS", `{"dBInstanceIdentifier":"orders",
		"dBSubnetGroup":{"dBSubnetGroupName":"orders-subnets","vpcId":"vpc-a01106c2","subnets":[{"subnetIdentifier":"subnet-25bbbc72"}]}}`)
	cache := raw(t, "AWS::ElastiCache::CacheCluster", "sessions-001", `{"cacheClusterId":"sessions-001","cacheSubnetGroupName":"cache-subnets"}`)
	testMappers(t, []mapperCase{
		{
			name:  "RDS subnet group folded into its database",
			item:  raw(t, "AWS::RDS::DBSubnetGroup", "orders-subnets", `{"dBSubnetGroupName":"orders-subnets","vpcId":"vpc-a01106c2","subnets":[{"subnetIdentifier":"subnet-25bbbc72"}]}`),
			extra: []*inventory.Resource{db},
			want:  drawing{Folded: "rds:db-ORDERS"},
		},
		{
			name:  "ElastiCache subnet group folded into its cluster",
			item:  raw(t, "AWS::ElastiCache::SubnetGroup", "cache-subnets", `{"cacheSubnetGroupName":"cache-subnets","subnetIds":["subnet-15aaab61"]}`),
			extra: []*inventory.Resource{cache},
			want:  drawing{Folded: "elasticache-cachecluster:sessions-001"},
		},
		{
			name: "subnet group nobody uses folded into the VPC",
			item: raw(t, "AWS::Neptune::DBSubnetGroup", "graph-subnets", `{"dBSubnetGroupName":"graph-subnets","vpcId":"vpc-a01106c2"}`),
			want: drawing{Folded: "vpc-a01106c2"},
		},
		{
			name: "subnet group of another VPC",
			item: raw(t, "AWS::Redshift::ClusterSubnetGroup", "other-subnets", `{"clusterSubnetGroupName":"other-subnets","vpcId":"vpc-99999999"}`),
		},
	})
}
