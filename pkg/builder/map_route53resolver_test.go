package builder

import "testing"

func TestMapRoute53Resolver(t *testing.T) {
	testMappers(t, []mapperCase{
		{
			name: "inbound endpoint with addresses in two subnets",
			item: raw(t, "AWS::Route53Resolver::ResolverEndpoint", "rslvr-in-1", `{"Id":"rslvr-in-1","Name":"inbound","Direction":"INBOUND","HostVPCId":"vpc-a01106c2",
				"SecurityGroupIds":["sg-11111111"],"IpAddresses":[{"SubnetId":"subnet-25bbbc72","Ip":"10.0.1.10"},{"SubnetId":"subnet-15aaab61"}]}`),
			want: drawing{Drawn: true, Subnet: "subnet-15aaab61", Type: GenericType, Name: "inbound", SGs: []string{"sg-11111111"},
				Props: map[string]string{"sourceType": `"AWS::Route53Resolver::ResolverEndpoint"`, "direction": `"INBOUND"`, "ipAddresses": "2", "subnets": `["subnet-25bbbc72","subnet-15aaab61"]`}},
		},
		absent("endpoint of another VPC", raw(t, "AWS::Route53Resolver::ResolverEndpoint", "rslvr-out-1", `{"Id":"rslvr-out-1","Direction":"OUTBOUND","HostVPCId":"vpc-99999999"}`)),
	})
}
