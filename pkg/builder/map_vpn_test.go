package builder

import (
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

func TestMapVPN(t *testing.T) {
	vgw := raw(t, "AWS::EC2::VPNGateway", "vgw-0123456789abcdef0", `{"vpnGatewayId":"vgw-0123456789abcdef0","vpcAttachments":[{"vpcId":"vpc-a01106c2","state":"attached"}]}`)
	testMappers(t, []mapperCase{
		{
			name: "connection of the VPC's VPN gateway",
			item: raw(t, "AWS::EC2::VPNConnection", "vpn-0123456789abcdef0", `{"vpnConnectionId":"vpn-0123456789abcdef0","vpnGatewayId":"vgw-0123456789abcdef0",
				"customerGatewayId":"cgw-0123456789abcdef0","options":{"staticRoutesOnly":true},"vgwTelemetry":[{"status":"UP"},{"status":"DOWN"}]}`),
			extra: []*inventory.Resource{vgw},
			want: drawing{Drawn: true, Type: GenericType, Name: "vpn-0123456789abcdef0",
				Props: map[string]string{"sourceType": `"AWS::EC2::VPNConnection"`, "vpnGatewayId": `"vgw-0123456789abcdef0"`, "customerGatewayId": `"cgw-0123456789abcdef0"`,
					"staticRoutesOnly": "true", "tunnelsUp": "1"}},
		},
		absent("connection of another VPC's gateway", raw(t, "AWS::EC2::VPNConnection", "vpn-0123456789abcdef1", `{"vpnGatewayId":"vgw-99999999"}`)),
		folded("VPN gateway folded into the VPC", vgw, "vpc-a01106c2"),
	})
}
