package synth

import "fmt"

// orgTGW is the organization's transit gateway, owned by the network hub.
var orgTGW = "tgw-0" + hexID("org-tgw", 0)

func (g *gen) interfaceEndpoints(services ...string) {
	sg := g.sg(g.vpc.Name+"-endpoints", ingress{443, "", g.vpc.CIDR})
	for _, s := range services {
		g.endpoint(s, "Interface", g.app, []string{sg}, nil)
	}
}

func (g *gen) tgwAttachment() {
	id := g.id("tgw-attach")
	g.add("AWS::EC2::TransitGatewayAttachment", id, "", g.arn("ec2", "transit-gateway-attachment/"+id), "Not Applicable", nameTag(g.vpc.Name+"-tgw"),
		map[string]any{"TransitGatewayId": orgTGW, "VpcId": g.vpcID, "SubnetIds": g.app, "Tags": []any{map[string]any{"Key": "Name", "Value": g.vpc.Name + "-tgw"}}},
		g.inVPC())
}

// threeTier: internet-facing ALB › web instances (an Auto Scaling group) ›
// app instances › PostgreSQL, a bastion host in a public subnet.
func (g *gen) threeTier() {
	name := g.vpc.Name
	albSG, tg := g.alb(name+"-web", true, 8080)
	bastionSG := g.sg(name+"-bastion", ingress{22, "", "0.0.0.0/0"})
	webSG := g.sg(name+"-web", ingress{8080, "", albSG}, ingress{22, "", bastionSG})
	appSG := g.sg(name+"-app", ingress{8443, "", webSG}, ingress{22, "", bastionSG})
	dbSG := g.sg(name+"-db", ingress{5432, "", appSG})
	g.instance(name+"-bastion", 0, g.pub[0], bastionSG, true, nil)
	var web []any
	for z := range g.zoneNames {
		for i := range 5 * g.scale {
			id := g.instance(fmt.Sprintf("%s-web-%c%02d", name, 'a'+z, i+1), z, g.app[z], webSG, false, map[string]string{"aws:autoscaling:groupName": name + "-web"})
			web = append(web, map[string]any{"instanceId": id, "availabilityZone": g.zoneNames[z], "lifecycleState": "InService"})
		}
		for i := range 4 * g.scale {
			g.instance(fmt.Sprintf("%s-app-%c%02d", name, 'a'+z, i+1), z, g.app[z], appSG, false, nil)
		}
	}
	asg := name + "-web"
	g.add("AWS::AutoScaling::AutoScalingGroup", asg, asg, g.arn("autoscaling", "autoScalingGroup:"+hexID(asg, 0)[:8]+":autoScalingGroupName/"+asg), "Multiple Availability Zones", nil,
		map[string]any{"autoScalingGroupName": asg, "vpcZoneIdentifier": join(g.app), "targetGroupARNs": []string{tg}, "instances": web,
			"minSize": len(web), "maxSize": 2 * len(web), "desiredCapacity": len(web)})
	g.rds(name+"-db", "postgres", 5432, dbSG)
	g.interfaceEndpoints("secretsmanager", "logs")
	g.tgwAttachment()
}

// microservices: internet-facing ALB › gateway service › ECS Fargate
// services, an EKS cluster, Lambda workers and an Aurora cluster.
func (g *gen) microservices() {
	name := g.vpc.Name
	albSG, tg := g.alb(name+"-edge", true, 8080)
	gatewaySG := g.sg(name+"-gateway", ingress{8080, "", albSG})
	dbSG := g.sg(name+"-aurora", ingress{3306, "", gatewaySG})
	cluster := g.arn("ecs", "cluster/"+name)
	service := func(svc string, sg string, tgArn string, desired int) {
		arn := g.arn("ecs", "service/"+name+"/"+svc)
		cfg := map[string]any{"ServiceName": svc, "ServiceArn": arn, "Cluster": cluster, "LaunchType": "FARGATE", "DesiredCount": desired,
			"TaskDefinition":       g.arn("ecs", "task-definition/"+svc+":3"),
			"NetworkConfiguration": map[string]any{"AwsvpcConfiguration": map[string]any{"AssignPublicIp": "DISABLED", "SecurityGroups": []string{sg}, "Subnets": g.app}}}
		if tgArn != "" {
			cfg["LoadBalancers"] = []any{map[string]any{"ContainerName": svc, "ContainerPort": 8080, "TargetGroupArn": tgArn}}
		}
		g.add("AWS::ECS::Service", arn, svc, arn, "Not Applicable", map[string]string{"app": name}, cfg)
		for t := range desired {
			z := t % g.zones
			g.eni(g.id("eni"), z, g.app[z], []string{sg}, "", g.arn("ecs", "attachment/"+uuid(svc+fmt.Sprint(t))), fmt.Sprintf("%s.%d.%d", g.octet2, 10+z, 100+t))
		}
	}
	service("gateway", gatewaySG, tg, 2*g.zones)
	for i := range 6 * g.scale {
		svc := []string{"catalog", "cart", "orders", "payments", "users", "search", "reviews", "shipping"}[i%8]
		if i >= 8 {
			svc = fmt.Sprintf("%s-%d", svc, i/8+1)
		}
		sg := g.sg(name+"-"+svc, ingress{8080, "", gatewaySG})
		g.addSGRule(dbSG, sg)
		service(svc, sg, "", 2)
	}
	clusterID := name + "-aurora"
	g.add("AWS::RDS::DBCluster", "cluster-"+stringsUpper(hexID(clusterID, 0)), clusterID, g.arn("rds", "cluster:"+clusterID), "Multiple Availability Zones", nameTag(clusterID),
		map[string]any{"dBClusterIdentifier": clusterID, "engine": "aurora-mysql", "port": 3306, "multiAZ": true, "storageEncrypted": true, "deletionProtection": true,
			"backupRetentionPeriod": 14, "dBSubnetGroup": clusterID, "vpcSecurityGroups": []any{map[string]any{"vpcSecurityGroupId": dbSG, "status": "active"}}},
		rel{"AWS::EC2::SecurityGroup", dbSG, "", "Is associated with SecurityGroup"})
	workerSG := g.sg(name + "-workers")
	g.addSGRule(dbSG, workerSG)
	for i := range 3 * g.scale {
		g.lambda(fmt.Sprintf("%s-worker-%d", name, i+1), workerSG, "python3.12")
	}
	eksSG := g.sg(name+"-eks", ingress{443, "", gatewaySG})
	g.add("AWS::EKS::Cluster", name+"-eks", name+"-eks", g.arn("eks", "cluster/"+name+"-eks"), "Not Applicable", nameTag(name+"-eks"),
		map[string]any{"Name": name + "-eks", "Arn": g.arn("eks", "cluster/"+name+"-eks"), "Version": "1.31", "ClusterSecurityGroupId": eksSG,
			"ResourcesVpcConfig": map[string]any{"SubnetIds": g.app, "SecurityGroupIds": []string{eksSG}, "EndpointPublicAccess": false, "EndpointPrivateAccess": true},
			"EncryptionConfig":   []any{map[string]any{"Resources": []string{"secrets"}, "Provider": map[string]any{"KeyArn": g.arn("kms", "key/"+uuid(name))}}}})
	g.interfaceEndpoints("ecr.api", "ecr.dkr", "logs", "sqs", "secretsmanager")
	g.tgwAttachment()
}

// addSGRule lets source reach the database group on its engine port by
// rewriting that group's first rule's pairs.
func (g *gen) addSGRule(target, source string) {
	for _, it := range g.items {
		if it["resourceId"] != target {
			continue
		}
		cfg := it["configuration"].(map[string]any)
		perms := cfg["ipPermissions"].([]any)
		p := perms[0].(map[string]any)
		p["userIdGroupPairs"] = append(p["userIdGroupPairs"].([]any), map[string]any{"groupId": source, "userId": g.vpc.Account})
		return
	}
}

// dataPlatform: ETL Lambda functions and EC2 workers feeding a Redshift
// cluster and a MySQL database; a SageMaker notebook (a type the catalog
// does not know).
func (g *gen) dataPlatform() {
	name := g.vpc.Name
	etlSG := g.sg(name + "-etl")
	workerSG := g.sg(name+"-workers", ingress{9092, "", etlSG})
	warehouseSG := g.sg(name+"-warehouse", ingress{5439, "", etlSG}, ingress{5439, "", workerSG})
	dbSG := g.sg(name+"-db", ingress{3306, "", etlSG})
	for i := range 4 * g.scale {
		g.lambda(fmt.Sprintf("%s-etl-%d", name, i+1), etlSG, "python3.12")
	}
	for z := range g.zoneNames {
		for i := range 3 * g.scale {
			g.instance(fmt.Sprintf("%s-worker-%c%02d", name, 'a'+z, i+1), z, g.data[z], workerSG, false, nil)
		}
	}
	rs := name + "-warehouse"
	g.add("AWS::Redshift::Cluster", rs, rs, g.arn("redshift", "cluster:"+rs), g.zoneNames[0], nameTag(rs),
		map[string]any{"clusterIdentifier": rs, "nodeType": "ra3.xlplus", "numberOfNodes": 2, "vpcId": g.vpcID, "publiclyAccessible": false, "encrypted": true,
			"clusterSubnetGroupName": rs, "vpcSecurityGroups": []any{map[string]any{"vpcSecurityGroupId": warehouseSG, "status": "active"}}, "endpoint": map[string]any{"port": 5439}},
		g.inVPC(), rel{"AWS::EC2::SecurityGroup", warehouseSG, "", "Is associated with SecurityGroup"})
	g.rds(name+"-meta", "mysql", 3306, dbSG)
	nb := name + "-notebook"
	g.add("AWS::SageMaker::NotebookInstance", nb, nb, g.arn("sagemaker", "notebook-instance/"+nb), "Not Applicable", nil,
		map[string]any{"NotebookInstanceName": nb, "InstanceType": "ml.t3.medium", "SubnetId": g.data[0], "SecurityGroupIds": []string{etlSG}, "DirectInternetAccess": "Disabled", "RootAccess": "Enabled"})
	g.interfaceEndpoints("secretsmanager", "kms", "sts")
	g.tgwAttachment()
}

// sharedNetwork: the organization's transit gateway and its attachment,
// DNS resolver instances and a VPN appliance in a public subnet.
func (g *gen) sharedNetwork() {
	name := g.vpc.Name
	g.add("AWS::EC2::TransitGateway", orgTGW, "", g.arn("ec2", "transit-gateway/"+orgTGW), "Not Applicable", nameTag("org-tgw"),
		map[string]any{"TransitGatewayId": orgTGW, "AmazonSideAsn": 64512, "AutoAcceptSharedAttachments": "enable", "DefaultRouteTableAssociation": "enable"})
	g.tgwAttachment()
	dnsSG := g.sg(name+"-dns", ingress{53, "udp", "10.0.0.0/8"}, ingress{53, "", "10.0.0.0/8"})
	vpnSG := g.sg(name+"-vpn", ingress{500, "udp", "0.0.0.0/0"}, ingress{443, "", "0.0.0.0/0"})
	g.addSGRule(dnsSG, vpnSG)
	for z := range g.zoneNames {
		for i := range 2 * g.scale {
			g.instance(fmt.Sprintf("%s-dns-%c%02d", name, 'a'+z, i+1), z, g.app[z], dnsSG, false, nil)
		}
	}
	g.instance(name+"-vpn", 0, g.pub[0], vpnSG, true, nil)
	g.interfaceEndpoints("ssm", "ssmmessages", "ec2messages")
}

func join(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += ","
		}
		out += s
	}
	return out
}
