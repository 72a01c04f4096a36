package builder

import "testing"

func TestMapAutoScaling(t *testing.T) {
	testMappers(t, []mapperCase{
		folded("group with a subnet of the VPC folded into its instances", raw(t, "AWS::AutoScaling::AutoScalingGroup", "web-asg", `{"vpcZoneIdentifier":"subnet-99999999, subnet-25bbbc72","targetGroupARNs":["arn:tg"]}`), "its instances"),
		absent("group of another VPC", raw(t, "AWS::AutoScaling::AutoScalingGroup", "other-asg", `{"vpcZoneIdentifier":"subnet-99999999"}`)),
	})
}
