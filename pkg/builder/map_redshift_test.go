package builder

import (
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

func TestMapRedshift(t *testing.T) {
	group := raw(t, "AWS::Redshift::ClusterSubnetGroup", "warehouse-subnets", `{"clusterSubnetGroupName":"warehouse-subnets","vpcId":"vpc-a01106c2",
		"subnets":[{"subnetIdentifier":"subnet-15aaab61"},{"subnetIdentifier":"subnet-25bbbc72"}]}`)
	testMappers(t, []mapperCase{
		{
			name: "cluster in its group's subnet of its zone",
			item: raw(t, "AWS::Redshift::Cluster", "warehouse", `{"clusterIdentifier":"warehouse","clusterSubnetGroupName":"warehouse-subnets",
				"availabilityZone":"us-west-2b","publiclyAccessible":true,"encrypted":true,"vpcSecurityGroups":[{"vpcSecurityGroupId":"sg-11111111"}]}`),
			extra: []*inventory.Resource{group},
			want: drawing{Drawn: true, Subnet: "subnet-25bbbc72", Type: "aws.redshift", Name: "warehouse", Public: true, SGs: []string{"sg-11111111"},
				Props: map[string]string{"publiclyAccessible": "true", "encrypted": "true", "subnetGroup": `"warehouse-subnets"`}},
		},
		{
			name: "cluster found by its VPC, at the VPC level",
			item: raw(t, "AWS::Redshift::Cluster", "adhoc", `{"clusterIdentifier":"adhoc","vpcId":"vpc-a01106c2"}`),
			want: drawing{Drawn: true, Type: "aws.redshift", Name: "adhoc", Props: map[string]string{"publiclyAccessible": "false", "encrypted": "false"}},
		},
		absent("cluster of another VPC", raw(t, "AWS::Redshift::Cluster", "other", `{"clusterIdentifier":"other","vpcId":"vpc-99999999"}`)),
	})
}
