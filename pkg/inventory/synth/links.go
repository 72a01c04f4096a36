package synth

import "fmt"

// Extras a demo VPC may have beyond its kind. They are generated after
// everything else, so that the ids of the other resources do not change.

// vpcIDOf returns the id the generator gives v's VPC (its first id).
func vpcIDOf(v VPC) string { return "vpc-0" + hexID(v.Account+v.Name, 1) }

// peeringID is the id of the peering requested by req with acc.
func peeringID(req, acc VPC) string {
	return "pcx-0" + hexID(req.Account+req.Name+"→"+acc.Account+acc.Name, 0)
}

func (g *gen) extras() {
	if g.vpc.Legacy && g.vpc.Kind == ThreeTier {
		g.classicLB()
		g.dbSnapshots()
	}
	if g.vpc.VPN {
		g.siteToSiteVPN()
	}
	for _, p := range g.all {
		switch {
		case g.vpc.PeerWith == p.Name && p.Name != g.vpc.Name:
			g.peering(g.vpc, p)
		case p.PeerWith == g.vpc.Name && p.Name != g.vpc.Name:
			g.peering(p, g.vpc)
		}
	}
}

// find returns the id of the first item of type typ whose configuration
// field key is value.
func (g *gen) find(typ, key, value string) string {
	for _, it := range g.items {
		if it["resourceType"] != typ {
			continue
		}
		if cfg, ok := it["configuration"].(map[string]any); ok && cfg[key] == value {
			return it["resourceId"].(string)
		}
	}
	return ""
}

// classicLB: an internet-facing classic load balancer, the web tier's old
// entry point, in front of two web instances on HTTP. AWS Config records
// its zones as a list of names and its VPC as "vpcid".
func (g *gen) classicLB() {
	name := g.vpc.Name + "-legacy"
	sg := g.sg(name+"-elb", ingress{80, "", "0.0.0.0/0"})
	webSG := g.find("AWS::EC2::SecurityGroup", "groupName", g.vpc.Name+"-web")
	g.addSGRule(webSG, sg)
	var instances []any
	for _, it := range g.items {
		if tags, ok := it["tags"].(map[string]string); ok && it["resourceType"] == "AWS::EC2::Instance" && tags["aws:autoscaling:groupName"] == g.vpc.Name+"-web" && len(instances) < 2 {
			instances = append(instances, map[string]any{"instanceId": it["resourceId"]})
		}
	}
	g.add("AWS::ElasticLoadBalancing::LoadBalancer", name, name, "", "Multiple Availability Zones", nameTag(name),
		map[string]any{"loadBalancerName": name, "dnsname": name + "-1234567890." + g.vpc.Region + ".elb.amazonaws.com", "scheme": "internet-facing",
			"vpcid": g.vpcID, "subnets": g.pub, "availabilityZones": g.zoneNames, "securityGroups": []string{sg}, "instances": instances,
			"listenerDescriptions": []any{map[string]any{"listener": map[string]any{"protocol": "HTTP", "loadBalancerPort": 80, "instanceProtocol": "HTTP", "instancePort": 8080}, "policyNames": []any{}}},
			"healthCheck":          map[string]any{"target": "HTTP:8080/health", "interval": 30, "timeout": 5, "healthyThreshold": 3, "unhealthyThreshold": 2},
			"sourceSecurityGroup":  map[string]any{"ownerAlias": g.vpc.Account, "groupName": name + "-elb"}},
		g.inVPC(), rel{"AWS::EC2::SecurityGroup", sg, "", "Is associated with SecurityGroup"})
}

// dbSnapshots: an automated and a manual (unencrypted) snapshot of the
// tier's database.
func (g *gen) dbSnapshots() {
	db := g.vpc.Name + "-db"
	for _, s := range []struct {
		id, kind  string
		encrypted bool
	}{{"rds:" + db + "-2026-09-30-03-10", "automated", true}, {db + "-before-migration", "manual", false}} {
		g.add("AWS::RDS::DBSnapshot", s.id, s.id, g.arn("rds", "snapshot:"+s.id), g.zoneNames[0], nil,
			map[string]any{"dBSnapshotIdentifier": s.id, "dBInstanceIdentifier": db, "engine": "postgres", "snapshotType": s.kind, "status": "available",
				"vpcId": g.vpcID, "encrypted": s.encrypted, "allocatedStorage": 100, "snapshotCreateTime": "2026-09-30T03:10:00.000Z"},
			g.inVPC())
	}
}

// siteToSiteVPN: the data centre's customer gateway and a site-to-site VPN
// connection to the organization's transit gateway, one tunnel up.
func (g *gen) siteToSiteVPN() {
	cgw := g.id("cgw")
	g.add("AWS::EC2::CustomerGateway", cgw, "", g.arn("ec2", "customer-gateway/"+cgw), "Not Applicable", nameTag("datacentre-frankfurt"),
		map[string]any{"customerGatewayId": cgw, "bgpAsn": "65000", "ipAddress": "203.0.113.12", "type": "ipsec.1", "state": "available"})
	vpn := g.id("vpn")
	g.add("AWS::EC2::VPNConnection", vpn, "", g.arn("ec2", "vpn-connection/"+vpn), "Not Applicable", nameTag("datacentre-vpn"),
		map[string]any{"vpnConnectionId": vpn, "customerGatewayId": cgw, "transitGatewayId": orgTGW, "type": "ipsec.1", "category": "VPN", "state": "available",
			"options":      map[string]any{"staticRoutesOnly": false, "tunnelInsideIpVersion": "ipv4"},
			"vgwTelemetry": []any{map[string]any{"outsideIpAddress": "198.51.100.201", "status": "UP"}, map[string]any{"outsideIpAddress": "198.51.100.202", "status": "DOWN"}}},
		rel{"AWS::EC2::CustomerGateway", cgw, "", "Is attached to CustomerGateway"})
}

// peering adds this VPC's item of the peering req → acc: AWS Config
// records a peering in both accounts.
func (g *gen) peering(req, acc VPC) {
	id := peeringID(req, acc)
	info := func(v VPC) map[string]any {
		return map[string]any{"vpcId": vpcIDOf(v), "ownerId": v.Account, "cidrBlock": v.CIDR, "region": v.Region,
			"peeringOptions": map[string]any{"allowDnsResolutionFromRemoteVpc": false}}
	}
	g.add("AWS::EC2::VPCPeeringConnection", id, "", g.arn("ec2", "vpc-peering-connection/"+id), "Not Applicable", nameTag(fmt.Sprintf("%s-to-%s", req.Name, acc.Name)),
		map[string]any{"vpcPeeringConnectionId": id, "requesterVpcInfo": info(req), "accepterVpcInfo": info(acc), "status": map[string]any{"code": "active", "message": "Active"}},
		g.inVPC())
}
