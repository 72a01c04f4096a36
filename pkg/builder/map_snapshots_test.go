package builder

import (
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

func TestMapSnapshots(t *testing.T) {
	db := raw(t, "AWS::RDS::DBInstance", "db-ORDERS", `{"dBInstanceIdentifier":"orders",
		"dBSubnetGroup":{"vpcId":"vpc-a01106c2","subnets":[{"subnetIdentifier":"subnet-25bbbc72"}]}}`)
	testMappers(t, []mapperCase{
		{
			name:  "snapshot folded into its database",
			item:  raw(t, "AWS::RDS::DBSnapshot", "rds:orders-2024-01-01", `{"dBSnapshotIdentifier":"rds:orders-2024-01-01","dBInstanceIdentifier":"orders","encrypted":false}`),
			extra: []*inventory.Resource{db},
			want:  drawing{Folded: "rds:db-ORDERS"},
		},
		{
			name: "snapshot of a database outside the VPC that names the VPC",
			item: raw(t, "AWS::RDS::DBClusterSnapshot", "gone-1", `{"dBClusterIdentifier":"gone","vpcId":"vpc-a01106c2"}`),
			want: drawing{Folded: "vpc-a01106c2",
				Notes: []string{"snapshots of databases not in this VPC are not drawn (snapshots are not architecture): gone-1"}},
		},
		{
			name: "snapshot of another VPC",
			item: raw(t, "AWS::Redshift::ClusterSnapshot", "other-1", `{"clusterIdentifier":"other","vpcId":"vpc-99999999"}`),
		},
	})
}
