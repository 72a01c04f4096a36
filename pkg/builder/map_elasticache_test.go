package builder

import (
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

func TestMapElastiCache(t *testing.T) {
	group := raw(t, "AWS::ElastiCache::SubnetGroup", "cache-subnets", `{"cacheSubnetGroupName":"cache-subnets","vpcId":"vpc-a01106c2",
		"subnets":[{"subnetIdentifier":"subnet-15aaab61"},{"subnetIdentifier":"subnet-25bbbc72"}]}`)
	cluster := func() *inventory.Resource {
		return raw(t, "AWS::ElastiCache::CacheCluster", "sessions-001", `{"cacheClusterId":"sessions-001","engine":"redis","cacheSubnetGroupName":"cache-subnets",
			"preferredAvailabilityZone":"us-west-2b","transitEncryptionEnabled":true,"securityGroups":[{"securityGroupId":"sg-11111111"}]}`)
	}
	testMappers(t, []mapperCase{
		{
			name:  "cluster in its group's subnet of its preferred zone",
			item:  cluster(),
			extra: []*inventory.Resource{group},
			want: drawing{Drawn: true, Subnet: "subnet-25bbbc72", Type: "aws.elasticache", Name: "sessions-001", SGs: []string{"sg-11111111"},
				Props: map[string]string{"engine": `"redis"`, "encryptedInTransit": "true", "encryptedAtRest": "false", "subnetGroup": `"cache-subnets"`}},
		},
		absent("cluster without a subnet group of the VPC", raw(t, "AWS::ElastiCache::CacheCluster", "elsewhere", `{"cacheClusterId":"elsewhere","cacheSubnetGroupName":"other"}`)),
		folded("replication group folded into its member cluster", raw(t, "AWS::ElastiCache::ReplicationGroup", "sessions", `{"replicationGroupId":"sessions","memberClusters":["sessions-001"]}`), "elasticache-cachecluster:sessions-001", group, cluster()),
		{
			name: "replication group without drawn members is drawn like a type without a mapper",
			item: raw(t, "AWS::ElastiCache::ReplicationGroup", "lonely", `{"replicationGroupId":"lonely","memberClusters":["gone"],"vpcId":"vpc-a01106c2"}`),
			want: drawing{Drawn: true, Type: "aws.elasticache", Name: "lonely", Props: map[string]string{}},
		},
	})
}
