package builder

import "testing"

func TestMapLambda(t *testing.T) {
	testMappers(t, []mapperCase{
		{
			name: "function attached to the VPC",
			item: raw(t, "AWS::Lambda::Function", "orders", `{"functionName":"orders","runtime":"go1.x",
				"vpcConfig":{"subnetIds":["subnet-25bbbc72","subnet-15aaab61"],"securityGroupIds":["sg-11111111"]}}`),
			want: drawing{Drawn: true, Subnet: "subnet-15aaab61", Type: "aws.lambda", Name: "orders", SGs: []string{"sg-11111111"},
				Props: map[string]string{"inVpc": "true", "runtime": `"go1.x"`}},
		},
		absent("function outside any VPC", raw(t, "AWS::Lambda::Function", "thumbnails", `{"functionName":"thumbnails","runtime":"python3.12"}`)),
	})
}
