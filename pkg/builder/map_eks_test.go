package builder

import "testing"

func TestMapEKS(t *testing.T) {
	testMappers(t, []mapperCase{
		{
			name: "cluster with a private endpoint and encrypted secrets",
			item: raw(t, "AWS::EKS::Cluster", "platform", `{"name":"platform","encryptionConfig":[{"resources":["secrets"]}],
				"resourcesVpcConfig":{"vpcId":"vpc-a01106c2","subnetIds":["subnet-25bbbc72"],"securityGroupIds":["sg-11111111"],
				"clusterSecurityGroupId":"sg-22222222","endpointPublicAccess":false}}`),
			want: drawing{Drawn: true, Subnet: "subnet-25bbbc72", Type: "aws.eks", Name: "platform", SGs: []string{"sg-11111111", "sg-22222222"},
				Props: map[string]string{"publicEndpoint": "false", "secretsEncrypted": "true"}},
		},
		{
			name: "cluster found by its subnets, public endpoint by default",
			item: raw(t, "AWS::EKS::Cluster", "dev", `{"name":"dev","resourcesVpcConfig":{"subnetIds":["subnet-15aaab61"]}}`),
			want: drawing{Drawn: true, Subnet: "subnet-15aaab61", Type: "aws.eks", Name: "dev",
				Props: map[string]string{"publicEndpoint": "true", "secretsEncrypted": "false"}},
		},
		absent("cluster of another VPC", raw(t, "AWS::EKS::Cluster", "elsewhere", `{"name":"elsewhere","resourcesVpcConfig":{"vpcId":"vpc-99999999","subnetIds":["subnet-99999999"]}}`)),
	})
}
