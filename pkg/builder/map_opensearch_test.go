package builder

import "testing"

func TestMapOpenSearch(t *testing.T) {
	testMappers(t, []mapperCase{
		{
			name: "domain with VPC access in the first of its subnets",
			item: raw(t, "AWS::OpenSearch::Domain", "search", `{"DomainName":"search","VPCOptions":{"SubnetIds":["subnet-25bbbc72","subnet-15aaab61"],"SecurityGroupIds":["sg-11111111"]},
				"EncryptionAtRestOptions":{"Enabled":true}}`),
			want: drawing{Drawn: true, Subnet: "subnet-15aaab61", Type: "aws.opensearch", Name: "search", SGs: []string{"sg-11111111"},
				Props: map[string]string{"inVpc": "true", "encryptedAtRest": "true", "nodeToNodeEncryption": "false", "subnets": `["subnet-25bbbc72","subnet-15aaab61"]`}},
		},
		{
			name: "Elasticsearch domain found by its VPC",
			item: raw(t, "AWS::Elasticsearch::Domain", "logs", `{"domainName":"logs","vpcOptions":{"vpcId":"vpc-a01106c2"},"nodeToNodeEncryptionOptions":{"enabled":true}}`),
			want: drawing{Drawn: true, Type: "aws.opensearch", Name: "logs",
				Props: map[string]string{"inVpc": "true", "encryptedAtRest": "false", "nodeToNodeEncryption": "true"}},
		},
		absent("public domain", raw(t, "AWS::OpenSearch::Domain", "public", `{"DomainName":"public"}`)),
	})
}
