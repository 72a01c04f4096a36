package builder

import (
	"cmp"

	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

// The mapper of Lambda functions.

// mapLambdaFunction draws a function attached to the VPC in the first of
// its subnets; a function outside any VPC is not drawn.
func (b *build) mapLambdaFunction(r *inventory.Resource, c *lambdaConfig) {
	if !b.anySubnet(c.VpcConfig.SubnetIDs) {
		return
	}
	n := b.add(r, b.firstSubnet(c.VpcConfig.SubnetIDs), 20)
	n.name = cmp.Or(c.FunctionName, n.name)
	n.sgs = c.VpcConfig.SecurityGroupIDs
	n.set("inVpc", true)
	n.setNonEmpty("runtime", c.Runtime)
}

// The configuration shape of Lambda functions.

type lambdaConfig struct {
	FunctionName string       `json:"functionName"`
	Runtime      string       `json:"runtime"`
	VpcConfig    vpcPlacement `json:"vpcConfig"`
}
