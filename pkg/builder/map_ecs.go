package builder

import (
	"cmp"

	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

// The mapper of ECS services.

// mapECSService draws a service with awsvpc networking in the first of its
// subnets and keeps its configuration for place (task interfaces) and the
// flows of its load balancers.
func (b *build) mapECSService(r *inventory.Resource, c *ecsServiceConfig) {
	if !b.anySubnet(c.NetworkConfiguration.AwsvpcConfiguration.Subnets) {
		return
	}
	aw := c.NetworkConfiguration.AwsvpcConfiguration
	n := b.add(r, b.firstSubnet(aw.Subnets), 20)
	n.name = cmp.Or(c.ServiceName, n.name)
	n.sgs = aw.SecurityGroups
	n.setNonEmpty("launchType", c.LaunchType)
	n.set("assignsPublicIp", aw.AssignPublicIP == "ENABLED")
	n.public = aw.AssignPublicIP == "ENABLED"
	n.set("desiredCount", c.DesiredCount)
	n.setNonEmpty("taskDefinition", c.TaskDefinition)
	b.ecsCfg[n.id] = *c
}

// The configuration shape of ECS services.

type ecsServiceConfig struct {
	ServiceName          string `json:"serviceName"`
	LaunchType           string `json:"launchType"`
	DesiredCount         int    `json:"desiredCount"`
	TaskDefinition       string `json:"taskDefinition"`
	NetworkConfiguration struct {
		AwsvpcConfiguration struct {
			Subnets        []string `json:"subnets"`
			SecurityGroups []string `json:"securityGroups"`
			AssignPublicIP string   `json:"assignPublicIp"`
		} `json:"awsvpcConfiguration"`
	} `json:"networkConfiguration"`
	LoadBalancers []struct {
		TargetGroupArn string `json:"targetGroupArn"`
		ContainerName  string `json:"containerName"`
		ContainerPort  int    `json:"containerPort"`
	} `json:"loadBalancers"`
}
