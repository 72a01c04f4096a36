package builder

import (
	"cmp"
	"slices"

	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

// Associations, attachments, propagations and CIDR blocks: folded into the
// subnet, route table, ACL or VPC they name, in the first pass
// (collectNetwork), so that the route tables they associate decide which
// subnets are public. Their mapper is skip.

// associationTypes are folded into what they associate: the subnet, the
// VPC or the gateway they name. They are never drawn.
var associationTypes = map[string]bool{
	"AWS::EC2::SubnetRouteTableAssociation": true, "AWS::EC2::SubnetNetworkAclAssociation": true,
	"AWS::EC2::VPCGatewayAttachment": true, "AWS::EC2::GatewayRouteTableAssociation": true,
	"AWS::EC2::VPCDHCPOptionsAssociation": true, "AWS::EC2::SubnetCidrBlock": true, "AWS::EC2::VPCCidrBlock": true,
	"AWS::Route53Resolver::ResolverRuleAssociation": true, "AWS::EC2::TransitGatewayRouteTableAssociation": true,
	"AWS::EC2::TransitGatewayRouteTablePropagation": true, "AWS::EC2::VPNGatewayRoutePropagation": true,
	"AWS::EC2::VPNConnectionRoute": true,
}

// association folds an association item into the subnet, route table or
// VPC it names.
func (b *build) association(r *inventory.Resource) {
	var c struct {
		SubnetID         string `json:"subnetId"`
		RouteTableID     string `json:"routeTableId"`
		NetworkAclID     string `json:"networkAclId"`
		VpcID            string `json:"vpcId"`
		InternetGateway  string `json:"internetGatewayId"`
		VpnGatewayID     string `json:"vpnGatewayId"`
		ResolverRuleID   string `json:"resolverRuleId"`
		DhcpOptionsID    string `json:"dhcpOptionsId"`
		TransitGatewayID string `json:"transitGatewayAttachmentId"`
	}
	b.read(r, &c)
	if c.VpcID != b.vpc.ID && b.subnets[c.SubnetID] == nil && !b.mentions(r) {
		return
	}
	switch r.Type {
	case "AWS::EC2::SubnetRouteTableAssociation":
		if c.SubnetID != "" && c.RouteTableID != "" {
			b.rtAssoc = append(b.rtAssoc, [2]string{c.RouteTableID, c.SubnetID})
		}
		b.fold(r, cmp.Or(c.SubnetID, b.vpc.ID))
	case "AWS::EC2::SubnetNetworkAclAssociation":
		if c.SubnetID != "" && c.NetworkAclID != "" && !slices.Contains(b.nacls[c.SubnetID], c.NetworkAclID) {
			b.nacls[c.SubnetID] = append(b.nacls[c.SubnetID], c.NetworkAclID)
		}
		b.fold(r, cmp.Or(c.SubnetID, b.vpc.ID))
	case "AWS::EC2::VPCGatewayAttachment":
		if c.VpnGatewayID != "" {
			b.vgws[c.VpnGatewayID] = true
		}
		b.igwAttached = b.igwAttached || c.InternetGateway != ""
		b.addVPCProp("gatewayAttachments", cmp.Or(c.InternetGateway, c.VpnGatewayID, r.ID))
		b.fold(r, b.vpc.ID)
	case "AWS::Route53Resolver::ResolverRuleAssociation":
		b.addVPCProp("resolverRules", cmp.Or(c.ResolverRuleID, r.ID))
		b.fold(r, b.vpc.ID)
	default:
		b.fold(r, cmp.Or(c.SubnetID, b.vpc.ID))
	}
}
