package builder

import (
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

// The mapper of site-to-site VPN connections. Customer gateways are drawn
// with their connections (customerGateway); VPN gateways are read in
// collectNetwork and folded into their connections in finishNetwork.

// mapVPNConnection draws a VPN connection of the VPC's VPN gateway or
// transit gateway at the VPC level, with a flow from its customer gateway.
func (b *build) mapVPNConnection(r *inventory.Resource, c *vpnConnectionConfig) {
	attached := b.vgws[c.VpnGatewayID] || (c.TransitGatewayID != "" && b.tgws[c.TransitGatewayID])
	if !attached && !b.related(r) {
		return
	}
	n := b.add(r, "", 46)
	n.setNonEmpty("vpnGatewayId", c.VpnGatewayID)
	n.setNonEmpty("transitGatewayId", c.TransitGatewayID)
	n.setNonEmpty("customerGatewayId", c.CustomerGatewayID)
	n.set("staticRoutesOnly", c.Options.StaticRoutesOnly)
	up := 0
	for _, t := range c.VgwTelemetry {
		if strings.EqualFold(t.Status, "UP") {
			up++
		}
	}
	if len(c.VgwTelemetry) > 0 {
		n.set("tunnelsUp", up)
	}
	if c.VpnGatewayID != "" {
		b.vpnFolded = append(b.vpnFolded, [2]string{c.VpnGatewayID, n.id})
	}
	cgw := b.customerGateway(c.CustomerGatewayID)
	b.flow(cgw, n, "IPsec", 500, "site-to-site VPN", "VPN connection "+r.ID)
}

// customerGateway returns the external component of a customer gateway: its
// own item when the inventory has it, else one derived from the VPN.
func (b *build) customerGateway(id string) *node {
	if id == "" {
		return b.external("cgw:unknown", "generic.on-premises", "Customer gateway", "VPN connection without a customer gateway id")
	}
	if n := b.byResource[id]; n != nil {
		return n
	}
	for _, r := range b.scope {
		if r.Type == "AWS::EC2::CustomerGateway" && r.ID == id {
			n := b.add(r, "-", 90)
			if n.typ == GenericType && b.cat.Type("generic.on-premises") != nil {
				n.typ = "generic.on-premises"
				delete(n.props, "sourceType")
				if b.stats.Generic[r.Type]--; b.stats.Generic[r.Type] <= 0 {
					delete(b.stats.Generic, r.Type)
				}
			}
			var c customerGatewayConfig
			if b.read(r, &c) {
				n.setNonEmpty("ipAddress", c.IPAddress)
				n.setNonEmpty("bgpAsn", c.BgpAsn)
			}
			n.set(PropAccelerator, "customer gateway (the network at the far end of a site-to-site VPN)")
			return n
		}
	}
	n := b.external(id, "generic.on-premises", "Customer gateway "+id, "customer gateway named by a VPN connection")
	n.set("customerGatewayId", id)
	return n
}

// The configuration shapes of VPN connections and gateways.

type vpnConnectionConfig struct {
	VpnConnectionID   string `json:"vpnConnectionId"`
	CustomerGatewayID string `json:"customerGatewayId"`
	VpnGatewayID      string `json:"vpnGatewayId"`
	TransitGatewayID  string `json:"transitGatewayId"`
	Type              string `json:"type"`
	Category          string `json:"category"`
	Options           struct {
		StaticRoutesOnly bool `json:"staticRoutesOnly"`
	} `json:"options"`
	VgwTelemetry []struct {
		Status string `json:"status"`
	} `json:"vgwTelemetry"`
}

type vpnGatewayConfig struct {
	VpnGatewayID   string `json:"vpnGatewayId"`
	VpcAttachments []struct {
		VpcID string `json:"vpcId"`
		State string `json:"state"`
	} `json:"vpcAttachments"`
}

type customerGatewayConfig struct {
	CustomerGatewayID string `json:"customerGatewayId"`
	IPAddress         string `json:"ipAddress"`
	BgpAsn            string `json:"bgpAsn"`
}
