package builder

import "testing"

func TestMapSubnetGroups(t *testing.T) {
	db := raw(t, "AWS::RDS::DBInstance", "db-ORDERS", `{"dBInstanceIdentifier":"orders",
		"dBSubnetGroup":{"dBSubnetGroupName":"orders-subnets","vpcId":"vpc-a01106c2","subnets":[{"subnetIdentifier":"subnet-25bbbc72"}]}}`)
	cache := raw(t, "AWS::ElastiCache::CacheCluster", "sessions-001", `{"cacheClusterId":"sessions-001","cacheSubnetGroupName":"cache-subnets"}`)
	testMappers(t, []mapperCase{
		folded("RDS subnet group folded into its database", raw(t, "AWS::RDS::DBSubnetGroup", "orders-subnets", `{"dBSubnetGroupName":"orders-subnets","vpcId":"vpc-a01106c2","subnets":[{"subnetIdentifier":"subnet-25bbbc72"}]}`), "rds:db-ORDERS", db),
		folded("ElastiCache subnet group folded into its cluster", raw(t, "AWS::ElastiCache::SubnetGroup", "cache-subnets", `{"cacheSubnetGroupName":"cache-subnets","subnetIds":["subnet-15aaab61"]}`), "elasticache-cachecluster:sessions-001", cache),
		folded("subnet group nobody uses folded into the VPC", raw(t, "AWS::Neptune::DBSubnetGroup", "graph-subnets", `{"dBSubnetGroupName":"graph-subnets","vpcId":"vpc-a01106c2"}`), "vpc-a01106c2"),
		absent("subnet group of another VPC", raw(t, "AWS::Redshift::ClusterSubnetGroup", "other-subnets", `{"clusterSubnetGroupName":"other-subnets","vpcId":"vpc-99999999"}`)),
	})
}
