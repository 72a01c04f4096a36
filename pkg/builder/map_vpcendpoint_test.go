package builder

import "testing"

func TestMapVPCEndpoint(t *testing.T) {
	testMappers(t, []mapperCase{
		{
			name: "interface endpoint in its subnet, with an open policy",
			item: raw(t, "AWS::EC2::VPCEndpoint", "vpce-0123456789abcdef0", `{"vpcEndpointType":"Interface","serviceName":"com.amazonaws.us-west-2.secretsmanager",
				"vpcId":"vpc-a01106c2","subnetIds":["subnet-25bbbc72"],"groups":[{"groupId":"sg-11111111"}],
				"policyDocument":"{\"Statement\":[{\"Effect\":\"Allow\", \"Resource\": \"*\"}]}"}`),
			want: drawing{Drawn: true, Subnet: "subnet-25bbbc72", Type: "aws.vpc-endpoint", Name: "secretsmanager endpoint", SGs: []string{"sg-11111111"},
				Props: map[string]string{"endpointType": `"Interface"`, "restrictivePolicy": "false", "serviceName": `"com.amazonaws.us-west-2.secretsmanager"`}},
		},
		{
			name: "gateway endpoint at the VPC level, with a restrictive policy",
			item: raw(t, "AWS::EC2::VPCEndpoint", "vpce-0123456789abcdef1", `{"vpcEndpointType":"Gateway","serviceName":"com.amazonaws.us-west-2.s3",
				"vpcId":"vpc-a01106c2","subnetIds":["subnet-25bbbc72"],"policyDocument":"{\"Statement\":[{\"Resource\":\"arn:aws:s3:::logs/*\"}]}"}`),
			want: drawing{Drawn: true, Type: "aws.vpc-endpoint", Name: "s3 endpoint",
				Props: map[string]string{"endpointType": `"Gateway"`, "restrictivePolicy": "true", "serviceName": `"com.amazonaws.us-west-2.s3"`}},
		},
		absent("endpoint of another VPC", raw(t, "AWS::EC2::VPCEndpoint", "vpce-0123456789abcdef2", `{"serviceName":"com.amazonaws.us-west-2.s3","vpcId":"vpc-99999999"}`)),
	})
}
