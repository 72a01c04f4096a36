package synth

import (
	"encoding/json"
	"fmt"
)

// gen generates the items of one VPC.
type gen struct {
	vpc   VPC
	zones int
	scale int
	n     int
	items []Item

	vpcID, igw string
	octet2     string // "10.11"
	pub, app   []string
	data       []string
	zoneNames  []string
	rtPublic   string
	all        []VPC // every VPC generated with this one (for peerings)
}

func (g *gen) id(prefix string) string {
	g.n++
	return prefix + "-0" + hexID(g.vpc.Account+g.vpc.Name, g.n)
}

func (g *gen) arn(service, rest string) string {
	return fmt.Sprintf("arn:aws:%s:%s:%s:%s", service, g.vpc.Region, g.vpc.Account, rest)
}

type rel struct{ typ, id, name, relation string }

// add appends an item in the snapshot dialect.
func (g *gen) add(typ, id, name, arn, zone string, tags map[string]string, config any, rels ...rel) {
	relationships := make([]map[string]any, 0, len(rels))
	for _, r := range rels {
		m := map[string]any{"resourceType": r.typ, "name": r.relation, "resourceName": nil}
		if r.id != "" {
			m["resourceId"] = r.id
		}
		if r.name != "" {
			m["resourceName"] = r.name
		}
		relationships = append(relationships, m)
	}
	if tags == nil {
		tags = map[string]string{}
	}
	var nameVal any
	if name != "" {
		nameVal = name
	}
	g.items = append(g.items, Item{
		"ARN": arn, "awsAccountId": g.vpc.Account, "awsRegion": g.vpc.Region, "availabilityZone": zone,
		"configuration": config, "configurationItemCaptureTime": "2026-10-01T08:00:00.000Z",
		"configurationItemStatus": "OK", "configurationItemVersion": "1.3", "configurationStateId": 1790841600000 + len(g.items),
		"relatedEvents": []any{}, "relationships": relationships, "resourceId": id, "resourceName": nameVal,
		"resourceType": typ, "supplementaryConfiguration": map[string]any{}, "tags": tags,
	})
}

func nameTag(n string) map[string]string { return map[string]string{"Name": n} }

func (g *gen) inVPC() rel { return rel{"AWS::EC2::VPC", g.vpcID, "", "Is contained in Vpc"} }

func (g *gen) run() {
	v := g.vpc
	var a, b int
	fmt.Sscanf(v.CIDR, "%d.%d.", &a, &b)
	g.octet2 = fmt.Sprintf("%d.%d", a, b)
	g.vpcID = g.id("vpc")
	g.add("AWS::EC2::VPC", g.vpcID, "", g.arn("ec2", "vpc/"+g.vpcID), "Multiple Availability Zones", nameTag(v.Name),
		map[string]any{"vpcId": g.vpcID, "cidrBlock": v.CIDR, "state": "available", "isDefault": false, "instanceTenancy": "default", "ownerId": v.Account})
	letters := "abcdef"
	for z := range g.zones {
		g.zoneNames = append(g.zoneNames, v.Region+string(letters[z]))
	}
	g.network()
	switch v.Kind {
	case Microservices:
		g.microservices()
	case DataPlatform:
		g.dataPlatform()
	case SharedNetwork:
		g.sharedNetwork()
	default:
		g.threeTier()
	}
	g.extras()
}

func (g *gen) subnet(name, zone string, third int, public bool) string {
	id := g.id("subnet")
	g.add("AWS::EC2::Subnet", id, "", g.arn("ec2", "subnet/"+id), zone, nameTag(name),
		map[string]any{"subnetId": id, "vpcId": g.vpcID, "availabilityZone": zone, "cidrBlock": fmt.Sprintf("%s.%d.0/24", g.octet2, third),
			"mapPublicIpOnLaunch": public, "state": "available", "availableIpAddressCount": 250, "defaultForAz": false},
		g.inVPC())
	return id
}

// network adds subnets (public, app, data per zone), the internet gateway,
// NAT gateways, route tables, a network ACL and the S3 gateway endpoint.
func (g *gen) network() {
	g.igw = g.id("igw")
	g.add("AWS::EC2::InternetGateway", g.igw, "", g.arn("ec2", "internet-gateway/"+g.igw), "Not Applicable", nameTag(g.vpc.Name+"-igw"),
		map[string]any{"internetGatewayId": g.igw, "attachments": []any{map[string]any{"state": "available", "vpcId": g.vpcID}}, "ownerId": g.vpc.Account},
		rel{"AWS::EC2::VPC", g.vpcID, "", "Is attached to Vpc"})
	for z, zone := range g.zoneNames {
		g.pub = append(g.pub, g.subnet(fmt.Sprintf("%s-public-%c", g.vpc.Name, zone[len(zone)-1]), zone, z, true))
		g.app = append(g.app, g.subnet(fmt.Sprintf("%s-app-%c", g.vpc.Name, zone[len(zone)-1]), zone, 10+z, false))
		g.data = append(g.data, g.subnet(fmt.Sprintf("%s-data-%c", g.vpc.Name, zone[len(zone)-1]), zone, 20+z, false))
	}
	routes := func(extra map[string]any) []any {
		return []any{map[string]any{"destinationCidrBlock": g.vpc.CIDR, "gatewayId": "local", "origin": "CreateRouteTable", "state": "active"}, extra}
	}
	assoc := func(rt string, subnets ...string) []any {
		var out []any
		for _, s := range subnets {
			out = append(out, map[string]any{"main": false, "routeTableId": rt, "subnetId": s, "routeTableAssociationId": g.id("rtbassoc")})
		}
		return out
	}
	g.rtPublic = g.id("rtb")
	g.add("AWS::EC2::RouteTable", g.rtPublic, "", g.arn("ec2", "route-table/"+g.rtPublic), "Not Applicable", nameTag(g.vpc.Name+"-public"),
		map[string]any{"routeTableId": g.rtPublic, "vpcId": g.vpcID, "routes": routes(map[string]any{"destinationCidrBlock": "0.0.0.0/0", "gatewayId": g.igw, "origin": "CreateRoute", "state": "active"}),
			"associations": assoc(g.rtPublic, g.pub...), "propagatingVgws": []any{}},
		g.inVPC(), rel{"AWS::EC2::InternetGateway", g.igw, "", "Contains InternetGateway"})
	var privateRTs []string
	for z, zone := range g.zoneNames {
		nat := g.id("nat")
		g.add("AWS::EC2::NatGateway", nat, "", g.arn("ec2", "natgateway/"+nat), zone, nameTag(fmt.Sprintf("%s-nat-%c", g.vpc.Name, zone[len(zone)-1])),
			map[string]any{"natGatewayId": nat, "subnetId": g.pub[z], "vpcId": g.vpcID, "state": "available", "connectivityType": "public",
				"natGatewayAddresses": []any{map[string]any{"privateIp": fmt.Sprintf("%s.%d.5", g.octet2, z), "publicIp": fmt.Sprintf("203.0.113.%d", 10+z)}}},
			g.inVPC(), rel{"AWS::EC2::Subnet", g.pub[z], "", "Is contained in Subnet"})
		rt := g.id("rtb")
		privateRTs = append(privateRTs, rt)
		g.add("AWS::EC2::RouteTable", rt, "", g.arn("ec2", "route-table/"+rt), "Not Applicable", nameTag(fmt.Sprintf("%s-private-%c", g.vpc.Name, zone[len(zone)-1])),
			map[string]any{"routeTableId": rt, "vpcId": g.vpcID, "routes": routes(map[string]any{"destinationCidrBlock": "0.0.0.0/0", "natGatewayId": nat, "origin": "CreateRoute", "state": "active"}),
				"associations": assoc(rt, g.app[z], g.data[z]), "propagatingVgws": []any{}},
			g.inVPC())
	}
	acl := g.id("acl")
	var aclAssoc []any
	for _, s := range append(append(append([]string(nil), g.pub...), g.app...), g.data...) {
		aclAssoc = append(aclAssoc, map[string]any{"networkAclId": acl, "subnetId": s})
	}
	g.add("AWS::EC2::NetworkAcl", acl, "", g.arn("ec2", "network-acl/"+acl), "Not Applicable", nil,
		map[string]any{"networkAclId": acl, "vpcId": g.vpcID, "isDefault": true, "associations": aclAssoc,
			"entries": []any{map[string]any{"ruleNumber": 100, "protocol": "-1", "ruleAction": "allow", "egress": false, "cidrBlock": "0.0.0.0/0"}}},
		g.inVPC())
	g.endpoint("s3", "Gateway", nil, nil, privateRTs)
}

func (g *gen) endpoint(service, kind string, subnets, groups []string, routeTables []string) {
	id := g.id("vpce")
	var gs []any
	for _, s := range groups {
		gs = append(gs, map[string]any{"groupId": s, "groupName": "endpoints"})
	}
	policy := `{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`
	g.add("AWS::EC2::VPCEndpoint", id, "", g.arn("ec2", "vpc-endpoint/"+id), "Not Applicable", nameTag(g.vpc.Name+"-"+service),
		map[string]any{"vpcEndpointId": id, "vpcEndpointType": kind, "vpcId": g.vpcID, "serviceName": "com.amazonaws." + g.vpc.Region + "." + service,
			"state": "available", "policyDocument": policy, "routeTableIds": routeTables, "subnetIds": subnets, "groups": gs, "privateDnsEnabled": kind == "Interface"},
		g.inVPC())
}

// sg adds a security group; ingress rules are (port, source group or CIDR).
type ingress struct {
	port   int
	proto  string
	source string // sg-… or a CIDR
}

func (g *gen) sg(name string, rules ...ingress) string {
	id := g.id("sg")
	g.addSG(id, name, rules)
	return id
}

func (g *gen) addSG(id, name string, rules []ingress) {
	var perms []any
	for _, r := range rules {
		proto := r.proto
		if proto == "" {
			proto = "tcp"
		}
		p := map[string]any{"ipProtocol": proto, "fromPort": r.port, "toPort": r.port, "ipv6Ranges": []any{}, "prefixListIds": []any{}, "userIdGroupPairs": []any{}, "ipv4Ranges": []any{}, "ipRanges": []any{}}
		if len(r.source) > 3 && r.source[:3] == "sg-" {
			p["userIdGroupPairs"] = []any{map[string]any{"groupId": r.source, "userId": g.vpc.Account}}
		} else {
			p["ipv4Ranges"] = []any{map[string]any{"cidrIp": r.source}}
			p["ipRanges"] = []any{r.source}
		}
		perms = append(perms, p)
	}
	g.add("AWS::EC2::SecurityGroup", id, name, g.arn("ec2", "security-group/"+id), "Not Applicable", nameTag(name),
		map[string]any{"groupId": id, "groupName": name, "description": name, "vpcId": g.vpcID, "ownerId": g.vpc.Account, "ipPermissions": perms,
			"ipPermissionsEgress": []any{map[string]any{"ipProtocol": "-1", "ipv4Ranges": []any{map[string]any{"cidrIp": "0.0.0.0/0"}}, "ipRanges": []any{"0.0.0.0/0"}, "userIdGroupPairs": []any{}}}},
		g.inVPC())
}

// instance adds an EC2 instance with its primary ENI.
func (g *gen) instance(name string, z int, subnet, sg string, public bool, extra map[string]string) string {
	id := g.id("i")
	eni := g.id("eni")
	zone := g.zoneNames[z]
	ip := fmt.Sprintf("%s.%d.%d", g.octet2, 10+z, 10+g.n%240)
	cfg := map[string]any{"instanceId": id, "imageId": "ami-0" + hexID("ami", z), "instanceType": "m6i.large", "subnetId": subnet, "vpcId": g.vpcID,
		"privateIpAddress": ip, "placement": map[string]any{"availabilityZone": zone, "tenancy": "default"}, "state": map[string]any{"code": 16, "name": "running"},
		"securityGroups": []any{map[string]any{"groupId": sg, "groupName": name}}, "metadataOptions": map[string]any{"httpTokens": "required", "httpEndpoint": "enabled"},
		"networkInterfaces": []any{map[string]any{"networkInterfaceId": eni, "subnetId": subnet, "vpcId": g.vpcID, "privateIpAddress": ip, "groups": []any{map[string]any{"groupId": sg}}}}}
	if public {
		cfg["publicIpAddress"] = fmt.Sprintf("198.51.100.%d", 1+g.n%250)
		cfg["metadataOptions"] = map[string]any{"httpTokens": "optional", "httpEndpoint": "enabled"}
	}
	tags := nameTag(name)
	for k, v := range extra {
		tags[k] = v
	}
	g.add("AWS::EC2::Instance", id, "", g.arn("ec2", "instance/"+id), zone, tags, cfg,
		g.inVPC(), rel{"AWS::EC2::Subnet", subnet, "", "Is contained in Subnet"}, rel{"AWS::EC2::SecurityGroup", sg, "", "Is associated with SecurityGroup"},
		rel{"AWS::EC2::NetworkInterface", eni, "", "Contains NetworkInterface"})
	g.eni(eni, z, subnet, []string{sg}, id, "Primary network interface", ip)
	return id
}

func (g *gen) eni(id string, z int, subnet string, sgs []string, instance, desc, ip string) {
	var groups []any
	for _, s := range sgs {
		groups = append(groups, map[string]any{"groupId": s})
	}
	cfg := map[string]any{"networkInterfaceId": id, "subnetId": subnet, "vpcId": g.vpcID, "availabilityZone": g.zoneNames[z], "description": desc,
		"interfaceType": "interface", "privateIpAddress": ip, "groups": groups, "status": "in-use"}
	if instance != "" {
		cfg["attachment"] = map[string]any{"instanceId": instance, "deviceIndex": 0, "status": "attached"}
	}
	g.add("AWS::EC2::NetworkInterface", id, "", g.arn("ec2", "network-interface/"+id), g.zoneNames[z], nil, cfg,
		g.inVPC(), rel{"AWS::EC2::Subnet", subnet, "", "Is contained in Subnet"})
}

// alb adds an application load balancer with listeners forwarding to a new
// target group, and returns the balancer's security group and the target
// group ARN.
func (g *gen) alb(name string, public bool, port int) (sg, tg string) {
	scheme, subnets := "internal", g.app
	sgRules := []ingress{{443, "", g.vpc.CIDR}}
	if public {
		scheme, subnets = "internet-facing", g.pub
		sgRules = []ingress{{443, "", "0.0.0.0/0"}, {80, "", "0.0.0.0/0"}}
	}
	sg = g.sg(name+"-alb", sgRules...)
	suffix := hexID(name, g.n)
	lbArn := g.arn("elasticloadbalancing", "loadbalancer/app/"+name+"/"+suffix)
	var zones []any
	for z, s := range subnets {
		zones = append(zones, map[string]any{"zoneName": g.zoneNames[z], "subnetId": s})
	}
	g.add("AWS::ElasticLoadBalancingV2::LoadBalancer", lbArn, name, lbArn, "Multiple Availability Zones", nameTag(name),
		map[string]any{"loadBalancerArn": lbArn, "loadBalancerName": name, "scheme": scheme, "type": "application", "vpcId": g.vpcID,
			"dNSName": name + "-" + suffix[:8] + "." + g.vpc.Region + ".elb.amazonaws.com", "securityGroups": []string{sg}, "availabilityZones": zones, "ipAddressType": "ipv4",
			"state": map[string]any{"code": "active"}},
		g.inVPC(), rel{"AWS::EC2::SecurityGroup", sg, "", "Is associated with SecurityGroup"})
	tg = g.arn("elasticloadbalancing", "targetgroup/"+name+"/"+hexID(name+"tg", g.n))
	g.add("AWS::ElasticLoadBalancingV2::TargetGroup", tg, name, tg, "Not Applicable", nil,
		map[string]any{"targetGroupArn": tg, "targetGroupName": name, "protocol": "HTTP", "port": port, "vpcId": g.vpcID, "targetType": "instance",
			"healthCheckPath": "/health", "loadBalancerArns": []string{lbArn}},
		g.inVPC())
	l443 := g.arn("elasticloadbalancing", "listener/app/"+name+"/"+suffix+"/"+hexID(name+"443", 0))
	g.add("AWS::ElasticLoadBalancingV2::Listener", l443, "", l443, "Not Applicable", nil,
		map[string]any{"listenerArn": l443, "loadBalancerArn": lbArn, "port": 443, "protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
			"defaultActions": []any{map[string]any{"type": "forward", "targetGroupArn": tg}}})
	if public {
		l80 := g.arn("elasticloadbalancing", "listener/app/"+name+"/"+suffix+"/"+hexID(name+"80", 0))
		g.add("AWS::ElasticLoadBalancingV2::Listener", l80, "", l80, "Not Applicable", nil,
			map[string]any{"listenerArn": l80, "loadBalancerArn": lbArn, "port": 80, "protocol": "HTTP",
				"defaultActions": []any{map[string]any{"type": "redirect", "redirectConfig": map[string]any{"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"}}}})
	}
	return sg, tg
}

func (g *gen) rds(name, engine string, port int, sg string) {
	id := "db-" + stringsUpper(hexID(name+g.vpc.Name, 0) + hexID(name, 1))[:26]
	var subnets []any
	for z, s := range g.data {
		subnets = append(subnets, map[string]any{"subnetIdentifier": s, "subnetAvailabilityZone": map[string]any{"name": g.zoneNames[z]}, "subnetStatus": "Active"})
	}
	g.add("AWS::RDS::DBInstance", id, name, g.arn("rds", "db:"+name), g.zoneNames[0], nameTag(name),
		map[string]any{"dBInstanceIdentifier": name, "dBInstanceClass": "db.r6g.large", "engine": engine, "dBInstanceStatus": "available",
			"endpoint":         map[string]any{"address": name + ".c0abcdefghij." + g.vpc.Region + ".rds.amazonaws.com", "port": port},
			"availabilityZone": g.zoneNames[0], "multiAZ": g.zones > 1, "publiclyAccessible": false, "storageEncrypted": true, "deletionProtection": true,
			"backupRetentionPeriod": 7, "vpcSecurityGroups": []any{map[string]any{"vpcSecurityGroupId": sg, "status": "active"}},
			"dBSubnetGroup": map[string]any{"dBSubnetGroupName": name, "vpcId": g.vpcID, "subnets": subnets}, "dbiResourceId": id},
		rel{"AWS::EC2::SecurityGroup", sg, "", "Is associated with SecurityGroup"})
}

func stringsUpper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 32
		}
	}
	return string(b)
}

func (g *gen) lambda(name string, sg string, runtime string) {
	g.add("AWS::Lambda::Function", name, name, g.arn("lambda", "function:"+name), "Not Applicable", map[string]string{"app": g.vpc.Name},
		mustString(map[string]any{"functionName": name, "functionArn": g.arn("lambda", "function:"+name), "runtime": runtime, "handler": "main.handler",
			"role": "arn:aws:iam::" + g.vpc.Account + ":role/" + name + "-role", "memorySize": 512, "timeout": 30,
			"vpcConfig": map[string]any{"subnetIds": g.app, "securityGroupIds": []string{sg}}}),
		rel{"AWS::IAM::Role", "", name + "-role", "Is associated with Role"})
}

// mustString renders v as a JSON string, as AWS Config sometimes writes a
// configuration.
func mustString(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
