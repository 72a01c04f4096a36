package builder

import "testing"

func TestMapAssociations(t *testing.T) {
	testMappers(t, []mapperCase{
		folded("route table association folded into its subnet", raw(t, "AWS::EC2::SubnetRouteTableAssociation", "rtbassoc-2dbd114d", `{"SubnetId":"subnet-15aaab61","RouteTableId":"rtb-11111111"}`), "subnet-15aaab61"),
		folded("ACL association folded into its subnet", raw(t, "AWS::EC2::SubnetNetworkAclAssociation", "aclassoc-5aac153d", `{"SubnetId":"subnet-25bbbc72","NetworkAclId":"acl-22222222"}`), "subnet-25bbbc72"),
		folded("gateway attachment folded into the VPC", raw(t, "AWS::EC2::VPCGatewayAttachment", "IGW|vpc-a01106c2", `{"VpcId":"vpc-a01106c2","InternetGatewayId":"igw-11111111"}`), "vpc-a01106c2"),
		folded("resolver rule association folded into the VPC", raw(t, "AWS::Route53Resolver::ResolverRuleAssociation", "rslvr-rrassoc-1", `{"VPCId":"vpc-a01106c2","ResolverRuleId":"rslvr-rr-1"}`), "vpc-a01106c2"),
		folded("CIDR block folded into the VPC", raw(t, "AWS::EC2::VPCCidrBlock", "vpc-cidr-assoc-1", `{"VpcId":"vpc-a01106c2","CidrBlock":"10.1.0.0/16"}`), "vpc-a01106c2"),
		absent("association of another VPC", raw(t, "AWS::EC2::SubnetRouteTableAssociation", "rtbassoc-99999999", `{"SubnetId":"subnet-99999999","RouteTableId":"rtb-99999999"}`)),
	})
}
