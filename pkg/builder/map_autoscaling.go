package builder

import (
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

// The mapper of EC2 Auto Scaling groups.

// mapAutoScalingGroup keeps an Auto Scaling group with a subnet in the VPC
// (its target groups give its instances flows) and folds it into its
// instances.
func (b *build) mapAutoScalingGroup(r *inventory.Resource, c *asgConfig) {
	if b.anySubnet(splitList(c.VPCZoneIdentifier)) {
		b.asgs = append(b.asgs, *c)
		b.fold(r, "its instances")
	}
}

// The configuration shape of Auto Scaling groups.

type asgConfig struct {
	VPCZoneIdentifier string   `json:"vpcZoneIdentifier"`
	TargetGroupARNs   []string `json:"targetGroupARNs"`
	Instances         []struct {
		InstanceID string `json:"instanceId"`
	} `json:"instances"`
}

// splitList splits a comma-separated list ("subnet-a,subnet-b").
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
