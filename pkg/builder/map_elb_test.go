package builder

import "testing"

func TestMapELB(t *testing.T) {
	testMappers(t, []mapperCase{
		{
			name: "internet-facing application load balancer in the first of its subnets",
			item: raw(t, "AWS::ElasticLoadBalancingV2::LoadBalancer", "arn:aws:elasticloadbalancing:us-west-2:111111111111:loadbalancer/app/web/0123456789abcdef",
				`{"loadBalancerName":"web","scheme":"internet-facing","type":"application","vpcId":"vpc-a01106c2","securityGroups":["sg-11111111"],
				"availabilityZones":[{"zoneName":"us-west-2b","subnetId":"subnet-25bbbc72"},{"zoneName":"us-west-2a","subnetId":"subnet-15aaab61"}]}`),
			want: drawing{Drawn: true, Subnet: "subnet-15aaab61", Type: "aws.alb", Name: "web", Public: true, SGs: []string{"sg-11111111"},
				Props: map[string]string{"internetFacing": "true", "loadBalancerType": `"application"`}},
		},
		{
			name: "internal network load balancer",
			item: raw(t, "AWS::ElasticLoadBalancingV2::LoadBalancer", "arn:aws:elasticloadbalancing:us-west-2:111111111111:loadbalancer/net/nlb/0123456789abcdef",
				`{"loadBalancerName":"nlb","scheme":"internal","type":"network","vpcId":"vpc-a01106c2","availabilityZones":[{"subnetId":"subnet-25bbbc72"}]}`),
			want: drawing{Drawn: true, Subnet: "subnet-25bbbc72", Type: "aws.nlb", Name: "nlb",
				Props: map[string]string{"internetFacing": "false", "loadBalancerType": `"network"`}},
		},
		{
			name: "classic load balancer with zone names",
			item: raw(t, "AWS::ElasticLoadBalancing::LoadBalancer", "legacy",
				`{"loadBalancerName":"legacy","scheme":"internet-facing","vpcid":"vpc-a01106c2","subnets":["subnet-25bbbc72"],"availabilityZones":["us-west-2b"]}`),
			want: drawing{Drawn: true, Subnet: "subnet-25bbbc72", Type: "aws.alb", Name: "legacy", Public: true,
				Props: map[string]string{"internetFacing": "true", "loadBalancerType": `"classic"`}},
		},
		absent("load balancer of another VPC", raw(t, "AWS::ElasticLoadBalancingV2::LoadBalancer", "other", `{"vpcId":"vpc-99999999","type":"application"}`)),
		absent("listener kept for its load balancer's flows, not drawn", raw(t, "AWS::ElasticLoadBalancingV2::Listener", "listener-1", `{"loadBalancerArn":"arn:lb","port":443,"protocol":"HTTPS"}`)),
		folded("target group folded into its load balancer's flows", raw(t, "AWS::ElasticLoadBalancingV2::TargetGroup", "tg-1", `{"targetGroupArn":"arn:tg","vpcId":"vpc-a01106c2","port":8080,"protocol":"HTTP"}`), "its load balancer's flows"),
		absent("target group of another VPC", raw(t, "AWS::ElasticLoadBalancingV2::TargetGroup", "tg-2", `{"targetGroupArn":"arn:tg2","vpcId":"vpc-99999999"}`)),
	})
}
