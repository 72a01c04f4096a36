package builder

import (
	"cmp"
	"encoding/json"
	"slices"

	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

// The mapper of EKS clusters.

// mapEKSCluster draws a cluster of the VPC in the first of its subnets,
// with its additional and cluster security groups.
func (b *build) mapEKSCluster(r *inventory.Resource, c *eksConfig) {
	if c.ResourcesVpcConfig.VpcID != b.vpc.ID && !b.anySubnet(c.ResourcesVpcConfig.SubnetIDs) {
		return
	}
	n := b.add(r, b.firstSubnet(c.ResourcesVpcConfig.SubnetIDs), 20)
	n.name = cmp.Or(c.Name, n.name)
	n.sgs = slices.Clone(c.ResourcesVpcConfig.SecurityGroupIDs)
	if id := c.ResourcesVpcConfig.ClusterSecurityGroupID; id != "" {
		n.sgs = append(n.sgs, id)
	}
	n.set("publicEndpoint", c.ResourcesVpcConfig.EndpointPublicAccess == nil || *c.ResourcesVpcConfig.EndpointPublicAccess)
	n.set("secretsEncrypted", len(c.EncryptionConfig) > 0)
}

// The configuration shape of EKS clusters.

type eksConfig struct {
	Name               string `json:"name"`
	ResourcesVpcConfig struct {
		vpcPlacement
		ClusterSecurityGroupID string `json:"clusterSecurityGroupId"`
		EndpointPublicAccess   *bool  `json:"endpointPublicAccess"`
	} `json:"resourcesVpcConfig"`
	EncryptionConfig []json.RawMessage `json:"encryptionConfig"`
}
