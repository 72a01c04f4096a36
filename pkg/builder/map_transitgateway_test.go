package builder

import "testing"

func TestMapTransitGateway(t *testing.T) {
	testMappers(t, []mapperCase{
		{
			name: "attachment of the VPC in the EC2 shape",
			item: raw(t, "AWS::EC2::TransitGatewayAttachment", "tgw-attach-0123456789abcdef0", `{"transitGatewayId":"tgw-0123456789abcdef0","vpcId":"vpc-a01106c2"}`),
			want: drawing{Drawn: true, Type: "aws.transit-gateway", Name: "tgw-attach-0123456789abcdef0",
				Props: map[string]string{"transitGatewayId": `"tgw-0123456789abcdef0"`}},
		},
		{
			name: "attachment of the VPC in the CloudFormation shape",
			item: raw(t, "AWS::EC2::TransitGatewayAttachment", "tgw-attach-0123456789abcdef1", `{"TransitGatewayId":"tgw-0123456789abcdef0","ResourceType":"VPC","ResourceId":"vpc-a01106c2"}`),
			want: drawing{Drawn: true, Type: "aws.transit-gateway", Name: "tgw-attach-0123456789abcdef1",
				Props: map[string]string{"transitGatewayId": `"tgw-0123456789abcdef0"`}},
		},
		absent("attachment of another VPC", raw(t, "AWS::EC2::TransitGatewayAttachment", "tgw-attach-0123456789abcdef2", `{"transitGatewayId":"tgw-0123456789abcdef0","vpcId":"vpc-99999999"}`)),
	})
}
