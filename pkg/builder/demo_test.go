package builder

import (
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/inventory/synth"
)

// TestDemoOrganization: the demo organization shows a classic load
// balancer, DB snapshots (kept on their database), a cross-account peering
// and a site-to-site VPN (#16 demo).
func TestDemoOrganization(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Write(dir, synth.Demo()); err != nil {
		t.Fatal(err)
	}
	inv := readInventory(t, dir)
	cat := catalogT(t)
	build := func(name string) *Result {
		t.Helper()
		res, err := Build(cat, inv, Options{VPC: vpcByName(t, inv, name)})
		if err != nil {
			t.Fatal(err)
		}
		if err := res.Model.Validate(); err != nil {
			t.Fatal(err)
		}
		return res
	}
	shop := build("shop-prod")
	clb := findComponent(shop.Model, "clb:shop-prod-legacy")
	if clb == nil || string(clb.Properties["loadBalancerType"]) != `"classic"` {
		t.Fatalf("no classic load balancer in shop-prod: %v", clb)
	}
	if !hasFlow(shop.Model, findIGW(shop), "clb:shop-prod-legacy", "HTTP") {
		t.Errorf("no internet flow to the classic load balancer")
	}
	var db, peering string
	for _, c := range shop.Model.Diagram.Components {
		if c.Resource == nil {
			continue
		}
		switch c.Resource.ResourceType {
		case "AWS::RDS::DBInstance":
			db = string(c.Properties["snapshots"]) + string(c.Properties["unencryptedSnapshots"])
		case "AWS::RDS::DBSnapshot":
			t.Errorf("a DB snapshot is drawn: %s", c.ID)
		case "AWS::EC2::VPCPeeringConnection":
			peering = string(c.Properties["peerAccountId"]) + string(c.Properties["crossAccount"])
		}
	}
	if db != `["rds:shop-prod-db-2026-09-30-03-10","shop-prod-db-before-migration"]true` {
		t.Errorf("database snapshots = %s", db)
	}
	if peering != `"222222222222"true` {
		t.Errorf("peering = %s", peering)
	}
	analytics := build("analytics")
	if !strings.Contains(componentNames(analytics), "Peer VPC shop-prod (vpc-") {
		t.Errorf("analytics does not show the peer: %s", componentNames(analytics))
	}
	hub := build("network-hub")
	var vpn, cgw string
	for _, c := range hub.Model.Diagram.Components {
		switch {
		case c.Resource != nil && c.Resource.ResourceType == "AWS::EC2::VPNConnection":
			vpn = c.ID
		case c.Resource != nil && c.Resource.ResourceType == "AWS::EC2::CustomerGateway":
			cgw = c.ID
			if c.Type != "generic.on-premises" || c.Parent != "" {
				t.Errorf("customer gateway %s is %s in %q, want generic.on-premises outside the VPC", c.ID, c.Type, c.Parent)
			}
		}
	}
	if vpn == "" || cgw == "" || !hasFlow(hub.Model, cgw, vpn, "IPsec") {
		t.Errorf("site-to-site VPN: vpn %q, customer gateway %q, IPsec flow %v", vpn, cgw, hasFlow(hub.Model, cgw, vpn, "IPsec"))
	}
}

func findIGW(res *Result) string {
	for _, c := range res.Model.Diagram.Components {
		if c.Type == "aws.internet-gateway" {
			return c.ID
		}
	}
	return ""
}

func componentNames(res *Result) string {
	var out []string
	for _, c := range res.Model.Diagram.Components {
		out = append(out, c.Name)
	}
	return strings.Join(out, "; ")
}
