package builder

import (
	"cmp"

	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

// The mapper of OpenSearch and Elasticsearch domains.

// mapSearchDomain draws a domain with VPC access in the first of its
// subnets.
func (b *build) mapSearchDomain(r *inventory.Resource, c *searchDomainConfig) {
	v := c.VPCOptions
	if v.VpcID != b.vpc.ID && !b.anySubnet(v.SubnetIDs) {
		return
	}
	n := b.add(r, b.firstSubnet(v.SubnetIDs), 35)
	n.name = cmp.Or(c.DomainName, n.name)
	n.sgs = v.SecurityGroupIDs
	n.set("inVpc", true)
	n.set("encryptedAtRest", c.EncryptionAtRestOptions.Enabled)
	n.set("nodeToNodeEncryption", c.NodeToNodeEncryptionOptions.Enabled)
	if len(v.SubnetIDs) > 1 {
		n.set("subnets", v.SubnetIDs)
	}
}

// The configuration shape of OpenSearch and Elasticsearch domains.

type searchDomainConfig struct {
	DomainName              string       `json:"domainName"`
	VPCOptions              vpcPlacement `json:"vpcOptions"`
	EncryptionAtRestOptions struct {
		Enabled bool `json:"enabled"`
	} `json:"encryptionAtRestOptions"`
	NodeToNodeEncryptionOptions struct {
		Enabled bool `json:"enabled"`
	} `json:"nodeToNodeEncryptionOptions"`
}
