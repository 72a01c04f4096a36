package builder

import "testing"

func TestMapPeering(t *testing.T) {
	testMappers(t, []mapperCase{
		{
			name: "cross-account peering requested by the VPC",
			item: raw(t, "AWS::EC2::VPCPeeringConnection", "pcx-0123456789abcdef0", `{"vpcPeeringConnectionId":"pcx-0123456789abcdef0","status":{"code":"active"},
				"requesterVpcInfo":{"vpcId":"vpc-a01106c2","ownerId":"111111111111"},
				"accepterVpcInfo":{"vpcId":"vpc-0bbbbbbbbbbbbbbbb","ownerId":"222222222222","cidrBlock":"10.9.0.0/16","region":"eu-west-1"}}`),
			want: drawing{Drawn: true, Type: GenericType, Name: "pcx-0123456789abcdef0",
				Props: map[string]string{"sourceType": `"AWS::EC2::VPCPeeringConnection"`, "status": `"active"`, "peerVpcId": `"vpc-0bbbbbbbbbbbbbbbb"`, "peerAccountId": `"222222222222"`,
					"peerCidr": `"10.9.0.0/16"`, "crossAccount": "true"}},
		},
		{
			name: "same-account peering accepted by the VPC",
			item: raw(t, "AWS::EC2::VPCPeeringConnection", "pcx-0123456789abcdef1", `{"requesterVpcInfo":{"vpcId":"vpc-0ccccccccccccccccc","ownerId":"111111111111"},
				"accepterVpcInfo":{"vpcId":"vpc-a01106c2","ownerId":"111111111111"}}`),
			want: drawing{Drawn: true, Type: GenericType, Name: "pcx-0123456789abcdef1",
				Props: map[string]string{"sourceType": `"AWS::EC2::VPCPeeringConnection"`, "peerVpcId": `"vpc-0ccccccccccccccccc"`, "peerAccountId": `"111111111111"`, "crossAccount": "false"}},
		},
		absent("peering of two other VPCs", raw(t, "AWS::EC2::VPCPeeringConnection", "pcx-0123456789abcdef2", `{"requesterVpcInfo":{"vpcId":"vpc-99999999"},"accepterVpcInfo":{"vpcId":"vpc-88888888"}}`)),
	})
}
