package builder

import (
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

func TestMapRDS(t *testing.T) {
	group := func() *inventory.Resource {
		return raw(t, "AWS::RDS::DBSubnetGroup", "orders-subnets", `{"dBSubnetGroupName":"orders-subnets","vpcId":"vpc-a01106c2",
			"subnets":[{"subnetIdentifier":"subnet-25bbbc72"},{"subnetIdentifier":"subnet-15aaab61"}]}`)
	}
	testMappers(t, []mapperCase{
		{
			name: "instance in its group's subnet of its zone, with the group folded in",
			item: raw(t, "AWS::RDS::DBInstance", "db-ORDERS", `{"dBInstanceIdentifier":"orders","dBClusterIdentifier":"orders-cluster","engine":"aurora-postgresql",
				"availabilityZone":"us-west-2b","storageEncrypted":true,"multiAZ":true,"backupRetentionPeriod":7,"endpoint":{"port":5432},
				"vpcSecurityGroups":[{"vpcSecurityGroupId":"sg-11111111"}],
				"dBSubnetGroup":{"dBSubnetGroupName":"orders-subnets","vpcId":"vpc-a01106c2","subnets":[
					{"subnetIdentifier":"subnet-15aaab61","subnetAvailabilityZone":{"name":"us-west-2a"}},
					{"subnetIdentifier":"subnet-25bbbc72","subnetAvailabilityZone":{"name":"us-west-2b"}}]}}`),
			extra: []*inventory.Resource{group()},
			want: drawing{Drawn: true, Subnet: "subnet-25bbbc72", Type: "aws.rds", Name: "orders", SGs: []string{"sg-11111111"},
				Props: map[string]string{"engine": `"postgres"`, "encrypted": "true", "publiclyAccessible": "false", "multiAZ": "true",
					"automatedBackups": "true", "deletionProtection": "false", "port": "5432", "cluster": `"orders-cluster"`, "subnetGroup": `"orders-subnets"`}},
		},
		{
			name: "public instance of an engine without a short name",
			item: raw(t, "AWS::RDS::DBInstance", "db-LEGACY", `{"dBInstanceIdentifier":"legacy","engine":"db2-se","publiclyAccessible":true,
				"dBSubnetGroup":{"vpcId":"vpc-a01106c2","subnets":[{"subnetIdentifier":"subnet-15aaab61"}]}}`),
			want: drawing{Drawn: true, Subnet: "subnet-15aaab61", Type: "aws.rds", Name: "legacy", Public: true,
				Props: map[string]string{"engineName": `"db2-se"`, "encrypted": "false", "publiclyAccessible": "true", "multiAZ": "false",
					"automatedBackups": "false", "deletionProtection": "false"}},
		},
		absent("instance of another VPC", raw(t, "AWS::RDS::DBInstance", "db-OTHER", `{"dBSubnetGroup":{"vpcId":"vpc-99999999"}}`)),
		{
			name: "cluster placed through its subnet group",
			item: raw(t, "AWS::RDS::DBCluster", "cluster-ORDERS", `{"dBClusterIdentifier":"orders-cluster","dBSubnetGroup":"orders-subnets","engine":"aurora-mysql",
				"port":3306,"deletionProtection":true,"vpcSecurityGroups":[{"vpcSecurityGroupId":"sg-11111111"}]}`),
			extra: []*inventory.Resource{group()},
			want: drawing{Drawn: true, Subnet: "subnet-15aaab61", Type: "aws.aurora", Name: "orders-cluster", SGs: []string{"sg-11111111"},
				Props: map[string]string{"engine": `"mysql"`, "encrypted": "false", "publiclyAccessible": "false", "multiAZ": "false",
					"automatedBackups": "false", "deletionProtection": "true", "port": "3306", "subnetGroup": `"orders-subnets"`}},
		},
		absent("cluster without a link to the VPC", raw(t, "AWS::RDS::DBCluster", "cluster-OTHER", `{"dBClusterIdentifier":"other","dBSubnetGroup":"other-subnets"}`)),
	})
}
