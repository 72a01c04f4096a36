package builder

import "testing"

func TestMapECS(t *testing.T) {
	testMappers(t, []mapperCase{
		{
			name: "awsvpc service with public addresses",
			item: raw(t, "AWS::ECS::Service", "arn:aws:ecs:us-west-2:111111111111:service/main/api", `{"serviceName":"api","launchType":"FARGATE","desiredCount":2,
				"taskDefinition":"arn:aws:ecs:us-west-2:111111111111:task-definition/api:3",
				"networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-25bbbc72"],"securityGroups":["sg-11111111"],"assignPublicIp":"ENABLED"}}}`),
			want: drawing{Drawn: true, Subnet: "subnet-25bbbc72", Type: "aws.ecs", Name: "api", Public: true, SGs: []string{"sg-11111111"},
				Props: map[string]string{"launchType": `"FARGATE"`, "assignsPublicIp": "true", "desiredCount": "2",
					"taskDefinition": `"arn:aws:ecs:us-west-2:111111111111:task-definition/api:3"`}},
		},
		absent("service without awsvpc networking", raw(t, "AWS::ECS::Service", "arn:aws:ecs:us-west-2:111111111111:service/main/bridge", `{"serviceName":"bridge","launchType":"EC2"}`)),
	})
}
