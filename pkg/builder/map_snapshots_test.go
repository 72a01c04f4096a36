package builder

import "testing"

func TestMapSnapshots(t *testing.T) {
	db := raw(t, "AWS::RDS::DBInstance", "db-ORDERS", `{"dBInstanceIdentifier":"orders",
		"dBSubnetGroup":{"vpcId":"vpc-a01106c2","subnets":[{"subnetIdentifier":"subnet-25bbbc72"}]}}`)
	testMappers(t, []mapperCase{
		folded("snapshot folded into its database", raw(t, "AWS::RDS::DBSnapshot", "rds:orders-2024-01-01", `{"dBSnapshotIdentifier":"rds:orders-2024-01-01","dBInstanceIdentifier":"orders","encrypted":false}`), "rds:db-ORDERS", db),
		{
			name: "snapshot of a database outside the VPC that names the VPC",
			item: raw(t, "AWS::RDS::DBClusterSnapshot", "gone-1", `{"dBClusterIdentifier":"gone","vpcId":"vpc-a01106c2"}`),
			want: drawing{Folded: "vpc-a01106c2",
				Notes: []string{"snapshots of databases not in this VPC are not drawn (snapshots are not architecture): gone-1"}},
		},
		absent("snapshot of another VPC", raw(t, "AWS::Redshift::ClusterSnapshot", "other-1", `{"clusterIdentifier":"other","vpcId":"vpc-99999999"}`)),
	})
}
