package builder

import "testing"

func TestMapEC2(t *testing.T) {
	testMappers(t, []mapperCase{
		{
			name: "instance with a public address and the groups of its interfaces",
			item: raw(t, "AWS::EC2::Instance", "i-0123456789abcdef0", `{"instanceId":"i-0123456789abcdef0","instanceType":"t3.micro","subnetId":"subnet-25bbbc72","vpcId":"vpc-a01106c2",
				"privateIpAddress":"10.0.1.5","publicIpAddress":"54.1.2.3","platform":"windows","securityGroups":[{"groupId":"sg-11111111"}],
				"metadataOptions":{"httpTokens":"required"},"networkInterfaces":[{"groups":[{"groupId":"sg-22222222"}]}],"disableApiTermination":true}`),
			want: drawing{Drawn: true, Subnet: "subnet-25bbbc72", Type: "aws.ec2", Name: "i-0123456789abcdef0", Public: true,
				SGs: []string{"sg-11111111", "sg-22222222"},
				Props: map[string]string{"publicIp": "true", "imdsv2Required": "true", "os": `"windows"`, "terminationProtection": "true",
					"instanceType": `"t3.micro"`, "privateIp": `"10.0.1.5"`}},
		},
		{
			name: "private instance found by its subnet",
			item: raw(t, "AWS::EC2::Instance", "i-0000000000000000a", `{"subnetId":"subnet-15aaab61"}`),
			want: drawing{Drawn: true, Subnet: "subnet-15aaab61", Type: "aws.ec2", Name: "i-0000000000000000a",
				Props: map[string]string{"publicIp": "false", "imdsv2Required": "false", "terminationProtection": "false"}},
		},
		absent("instance of another VPC", raw(t, "AWS::EC2::Instance", "i-0000000000000000b", `{"subnetId":"subnet-99999999","vpcId":"vpc-99999999"}`)),
		folded("network interface folded into its instance", raw(t, "AWS::EC2::NetworkInterface", "eni-0000000000000000a", `{"vpcId":"vpc-a01106c2","subnetId":"subnet-15aaab61","attachment":{"instanceId":"i-0000000000000000a"}}`), "i-0000000000000000a"),
		folded("unattached network interface folded into its subnet", raw(t, "AWS::EC2::NetworkInterface", "eni-0000000000000000b", `{"vpcId":"vpc-a01106c2","subnetId":"subnet-15aaab61"}`), "its subnet"),
		{
			name: "NAT gateway in its subnet",
			item: raw(t, "AWS::EC2::NatGateway", "nat-0000000000000000a", `{"vpcId":"vpc-a01106c2","subnetId":"subnet-15aaab61"}`),
			want: drawing{Drawn: true, Subnet: "subnet-15aaab61", Type: "aws.nat-gateway", Name: "nat-0000000000000000a", Props: map[string]string{}},
		},
		{
			name: "internet gateway attached to the VPC",
			item: raw(t, "AWS::EC2::InternetGateway", "igw-22222222", `{"attachments":[{"vpcId":"vpc-a01106c2","state":"available"}]}`),
			want: drawing{Drawn: true, Type: "aws.internet-gateway", Name: "igw-22222222", Props: map[string]string{}},
		},
		absent("internet gateway of another VPC", raw(t, "AWS::EC2::InternetGateway", "igw-33333333", `{"attachments":[{"vpcId":"vpc-99999999"}]}`)),
	})
}
