package builder

import "testing"

func TestMapAutoScaling(t *testing.T) {
	testMappers(t, []mapperCase{
		{
			name: "group with a subnet of the VPC folded into its instances",
			item: raw(t, "AWS::AutoScaling::AutoScalingGroup", "web-asg", `{"vpcZoneIdentifier":"subnet-99999999, subnet-25bbbc72","targetGroupARNs":["arn:tg"]}`),
			want: drawing{Folded: "its instances"},
		},
		{
			name: "group of another VPC",
			item: raw(t, "AWS::AutoScaling::AutoScalingGroup", "other-asg", `{"vpcZoneIdentifier":"subnet-99999999"}`),
		},
	})
}
