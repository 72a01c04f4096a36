package builder

import "github.com/bulwark-tm/bulwark/pkg/inventory"

// The mapper of VPC peering connections.

// mapPeeringConnection draws a peering connection of the VPC at the VPC
// level, the peer VPC outside it, and flows both ways.
func (b *build) mapPeeringConnection(r *inventory.Resource, c *peeringConfig) {
	var there peerVPC
	switch b.vpc.ID {
	case c.RequesterVpcInfo.VpcID:
		there = c.AccepterVpcInfo
	case c.AccepterVpcInfo.VpcID:
		there = c.RequesterVpcInfo
	default:
		return
	}
	n := b.add(r, "", 45)
	n.setNonEmpty("status", c.Status.Code)
	n.setNonEmpty("peerVpcId", there.VpcID)
	n.setNonEmpty("peerAccountId", there.OwnerID)
	n.setNonEmpty("peerCidr", there.CidrBlock)
	crossAccount := there.OwnerID != "" && there.OwnerID != b.account
	n.set("crossAccount", crossAccount)
	peer := b.external("peer:"+there.VpcID, "generic.external-service", b.vpcLabel("Peer VPC", there.VpcID, there.OwnerID), "peer VPC of "+r.ID)
	peer.setNonEmpty("vpcId", there.VpcID)
	peer.setNonEmpty("accountId", there.OwnerID)
	peer.setNonEmpty("cidr", there.CidrBlock)
	peer.setNonEmpty("region", there.Region)
	b.flow(n, peer, "TCP", 0, "VPC peering", "peering connection "+r.ID)
	b.flow(peer, n, "TCP", 0, "VPC peering", "peering connection "+r.ID)
}

// The configuration shapes of VPC peering connections.

type peeringConfig struct {
	VpcPeeringConnectionID string  `json:"vpcPeeringConnectionId"`
	AccepterVpcInfo        peerVPC `json:"accepterVpcInfo"`
	RequesterVpcInfo       peerVPC `json:"requesterVpcInfo"`
	Status                 struct {
		Code string `json:"code"`
	} `json:"status"`
}

type peerVPC struct {
	OwnerID   string `json:"ownerId"`
	VpcID     string `json:"vpcId"`
	CidrBlock string `json:"cidrBlock"`
	Region    string `json:"region"`
}
