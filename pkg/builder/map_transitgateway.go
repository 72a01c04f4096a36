package builder

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

// The mapper of transit gateway attachments: the VPC's attachment, its
// transit gateway and what the gateway's other attachments connect.

// mapTransitGatewayAttachment draws the VPC's attachment at the VPC level
// and the far side of its transit gateway (transitFarSide).
func (b *build) mapTransitGatewayAttachment(r *inventory.Resource, c *tgwAttachmentConfig) {
	if c.VpcID != b.vpc.ID && !(strings.EqualFold(c.ResourceType, "vpc") && c.ResourceID == b.vpc.ID) {
		return
	}
	n := b.add(r, "", 50)
	n.setNonEmpty("transitGatewayId", c.TransitGatewayID)
	b.transitFarSide(n, c.TransitGatewayID, b.inv)
}

// transitFarSide draws, for the VPC's transit gateway attachment n, the
// transit gateway and what its other attachments connect (VPCs, VPNs,
// peerings, Direct Connect gateways), from the whole inventory.
func (b *build) transitFarSide(n *node, tgwID string, inv *inventory.Inventory) {
	if tgwID == "" {
		return
	}
	tgw := b.byResource[tgwID]
	if tgw == nil {
		for _, r := range inv.Resources() {
			if r.Type == "AWS::EC2::TransitGateway" && r.ID == tgwID {
				tgw = b.add(r, "-", 80)
				break
			}
		}
	}
	if tgw == nil {
		tgw = b.external("tgw:"+tgwID, "aws.transit-gateway", "Transit gateway "+tgwID, "transit gateway of attachment "+n.res.ID)
	}
	b.flow(n, tgw, "TCP", 0, "transit gateway", "attachment "+n.res.ID)
	for _, r := range inv.Resources() {
		if r.Type != "AWS::EC2::TransitGatewayAttachment" || r.ID == n.res.ID {
			continue
		}
		var c tgwAttachmentConfig
		if !decode(r, &c) || c.TransitGatewayID != tgwID {
			continue
		}
		kind := strings.ToLower(cmp.Or(c.ResourceType, "vpc"))
		far := cmp.Or(c.ResourceID, c.VpcID)
		if far == "" || far == b.vpc.ID {
			continue
		}
		var name string
		if kind == "vpc" {
			name = b.vpcLabel("VPC", far, r.AccountID)
		} else {
			name = fmt.Sprintf("%s %s", strings.ToUpper(kind[:1])+kind[1:], far)
			if r.AccountID != "" && r.AccountID != b.account {
				name += " (account " + r.AccountID + ")"
			}
		}
		f := b.external("tgw-peer:"+far, "generic.external-service", name, "attached to transit gateway "+tgwID+" by "+r.ID)
		f.set("attachmentId", r.ID)
		f.set("attachmentType", kind)
		b.flow(tgw, f, "TCP", 0, "transit gateway", "attachment "+r.ID)
	}
}

// The configuration shape of transit gateway attachments.

type tgwAttachmentConfig struct {
	TransitGatewayID string   `json:"transitGatewayId"`
	VpcID            string   `json:"vpcId"`
	ResourceType     string   `json:"resourceType"`
	ResourceID       string   `json:"resourceId"`
	SubnetIDs        []string `json:"subnetIds"`
}
