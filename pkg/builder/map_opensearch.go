package builder

import (
	"cmp"

	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

// The mapper of OpenSearch and Elasticsearch domains.

// mapSearchDomain draws a domain with VPC access in the first of its
// subnets.
func (b *build) mapSearchDomain(r *inventory.Resource) {
	var c searchDomainConfig
	if !b.read(r, &c) {
		return
	}
	v := c.VPCOptions
	if v.VPCID != b.vpc.ID && !b.anySubnet(v.SubnetIDs) {
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
	DomainName string `json:"domainName"`
	VPCOptions struct {
		SubnetIDs        []string `json:"subnetIds"`
		SecurityGroupIDs []string `json:"securityGroupIds"`
		VPCID            string   `json:"vpcId"`
	} `json:"vpcOptions"`
	EncryptionAtRestOptions struct {
		Enabled bool `json:"enabled"`
	} `json:"encryptionAtRestOptions"`
	NodeToNodeEncryptionOptions struct {
		Enabled bool `json:"enabled"`
	} `json:"nodeToNodeEncryptionOptions"`
}
