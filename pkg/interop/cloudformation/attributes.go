package cloudformation

import (
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/iac"
)

// cfnIndex holds what the attributes of one resource need from others.
type cfnIndex struct {
	listeners   map[string][]map[string]any // load balancer → its listeners' properties
	bucketPol   map[string]bool             // bucket → a policy allows everyone
	flowLogs    map[string]bool             // VPC or subnet → has flow logs
	igwTables   map[string]bool             // route table → routes to an internet gateway
	tableOf     map[string][]string         // subnet → route tables
	publicURL   map[string]bool             // function → URL with auth type NONE
	rotated     map[string]bool             // secret → rotation schedule
	methodAuth  map[string][]string         // REST API → authorization types of its methods
	mapPublicIP map[string]bool             // subnet → MapPublicIpOnLaunch
	instances   map[string][]map[string]any // Aurora cluster → its instances' properties
}

// attributes sets the catalog properties of every drawn resource from its
// security-relevant attributes, with the mapper of its type.
func (r *cfnReader) attributes() {
	ix := r.indexAttributes()
	for _, ir := range r.g.Resources {
		res, ok := r.byKey[ir.Key]
		if !ok {
			continue
		}
		p := iac.Props{}
		if mapAttributes := cfnAttributes[res.typ]; mapAttributes != nil {
			if res.props == nil {
				res.props = map[string]any{}
			}
			mapAttributes(r, ix, ir, res, p)
		}
		if len(p) == 0 {
			continue
		}
		if ir.Props == nil {
			ir.Props = map[string]any{}
		}
		for k, v := range p {
			ir.Props[k] = v
		}
	}
}

// indexAttributes reads, from the resources that configure others
// (listeners, bucket policies, flow logs, routes, function URLs,
// rotations, API methods, cluster instances, subnets), what the
// attributes of the resources they configure need.
func (r *cfnReader) indexAttributes() *cfnIndex {
	ix := &cfnIndex{listeners: map[string][]map[string]any{}, bucketPol: map[string]bool{}, flowLogs: map[string]bool{},
		igwTables: map[string]bool{}, tableOf: map[string][]string{}, publicURL: map[string]bool{}, rotated: map[string]bool{},
		methodAuth: map[string][]string{}, mapPublicIP: map[string]bool{}, instances: map[string][]map[string]any{}}
	for _, key := range iac.SortedKeys(r.byKey) {
		res := r.byKey[key]
		p := res.props
		switch res.typ {
		case "AWS::ElasticLoadBalancingV2::Listener":
			for _, lb := range r.quiet(res.st, p["LoadBalancerArn"]) {
				ix.listeners[lb] = append(ix.listeners[lb], p)
			}
		case "AWS::S3::BucketPolicy":
			if iac.PublicPolicy(p["PolicyDocument"]) {
				for _, b := range r.quiet(res.st, p["Bucket"]) {
					ix.bucketPol[b] = true
				}
			}
		case "AWS::EC2::FlowLog":
			for _, k := range r.quiet(res.st, p["ResourceId"]) {
				ix.flowLogs[k] = true
			}
		case "AWS::EC2::Route":
			for _, gw := range r.quiet(res.st, p["GatewayId"]) {
				if r.typeOf(gw) == "AWS::EC2::InternetGateway" {
					for _, rt := range r.quiet(res.st, p["RouteTableId"]) {
						ix.igwTables[rt] = true
					}
				}
			}
		case "AWS::EC2::SubnetRouteTableAssociation":
			for _, sn := range r.quiet(res.st, p["SubnetId"]) {
				ix.tableOf[sn] = append(ix.tableOf[sn], r.quiet(res.st, p["RouteTableId"])...)
			}
		case "AWS::Lambda::Url":
			if iac.Str(p["AuthType"]) == "NONE" {
				for _, f := range r.quiet(res.st, p["TargetFunctionArn"]) {
					ix.publicURL[f] = true
				}
			}
		case "AWS::SecretsManager::RotationSchedule":
			for _, s := range r.quiet(res.st, p["SecretId"]) {
				ix.rotated[s] = true
			}
		case "AWS::ApiGateway::Method":
			if iac.Str(p["HttpMethod"]) != "OPTIONS" {
				for _, api := range r.quiet(res.st, p["RestApiId"]) {
					ix.methodAuth[api] = append(ix.methodAuth[api], convert.OrDefault(iac.Str(p["AuthorizationType"]), "NONE"))
				}
			}
		case "AWS::RDS::DBInstance":
			for _, c := range r.quiet(res.st, p["DBClusterIdentifier"]) {
				ix.instances[c] = append(ix.instances[c], p)
			}
		case "AWS::EC2::Subnet":
			if b, ok := iac.LitBool(p["MapPublicIpOnLaunch"]); ok && b {
				ix.mapPublicIP[key] = true
			}
		}
	}
	return ix
}

// cfnMapper sets the properties p of resource res (drawn as ir) from its
// properties (never nil); ix holds what it needs from other resources.
type cfnMapper func(r *cfnReader, ix *cfnIndex, ir *iac.Resource, res cfnRes, p iac.Props)

// databaseAttrs maps RDS instances and clusters: public access,
// encryption, zones (an Aurora cluster's from its instances), deletion
// protection, backups, engine and logs.
func databaseAttrs(r *cfnReader, ix *cfnIndex, ir *iac.Resource, res cfnRes, p iac.Props) {
	v := res.props
	key := ir.Key
	p.BoolOr("publiclyAccessible", v["PubliclyAccessible"], false)
	if v["SnapshotIdentifier"] == nil && v["SourceDBInstanceIdentifier"] == nil {
		p.BoolOr("encrypted", v["StorageEncrypted"], false)
	}
	p.BoolOr("multiAZ", v["MultiAZ"], false)
	if res.typ == "AWS::RDS::DBCluster" && v["MultiAZ"] == nil && v["PubliclyAccessible"] == nil {
		// Aurora: public if an instance is, multi-AZ with two or more.
		public := false
		for _, in := range ix.instances[key] {
			b, _ := iac.LitBool(in["PubliclyAccessible"])
			public = public || b
		}
		p["publiclyAccessible"] = public
		p["multiAZ"] = len(ix.instances[key]) > 1
	}
	p.BoolOr("deletionProtection", v["DeletionProtection"], false)
	p.Backups(v["BackupRetentionPeriod"], 1)
	if e := iac.DBEngine(iac.Str(v["Engine"])); e != "" {
		p["engine"] = e
	}
	if v["EnableCloudwatchLogsExports"] != nil {
		p["logging"] = len(iac.Get(v, "EnableCloudwatchLogsExports", "*")) > 0
	}
}

// bucketAttrs maps S3 buckets: encryption, versioning, website hosting,
// logging, ACL, public access block and public bucket policies.
func bucketAttrs(r *cfnReader, ix *cfnIndex, ir *iac.Resource, res cfnRes, p iac.Props) {
	v := res.props
	key := ir.Key
	sse := iac.Get(v, "BucketEncryption", "ServerSideEncryptionConfiguration", "*", "ServerSideEncryptionByDefault", "SSEAlgorithm")
	p["encrypted"] = true // SSE-S3 at least, the default since January 2023
	p["kmsEncrypted"] = false
	for _, a := range sse {
		if strings.HasPrefix(iac.Str(a), "aws:kms") {
			p["kmsEncrypted"] = true
		}
	}
	p["versioning"] = iac.Str(iac.Get1(v, "VersioningConfiguration", "Status")) == "Enabled"
	p["websiteHosting"] = v["WebsiteConfiguration"] != nil
	p["logging"] = v["LoggingConfiguration"] != nil
	acl := iac.Str(v["AccessControl"])
	p.StrIf("accessControl", acl)
	pab, hasPAB := v["PublicAccessBlockConfiguration"].(map[string]any)
	blocked := func(names ...string) bool {
		if !hasPAB {
			return true // blocked by default for buckets created since April 2023
		}
		for _, n := range names {
			if b, ok := iac.LitBool(pab[n]); ok && b {
				return true
			}
		}
		return false
	}
	if hasPAB {
		all := true
		for _, n := range []string{"BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"} {
			if b, ok := iac.LitBool(pab[n]); !ok || !b {
				all = false
			}
		}
		p["publicAccessBlock"] = all
	}
	publicACL := acl == "PublicRead" || acl == "PublicReadWrite" || acl == "AuthenticatedRead"
	p["publiclyAccessible"] = (publicACL && !blocked("BlockPublicAcls", "IgnorePublicAcls")) || (ix.bucketPol[key] && !blocked("BlockPublicPolicy", "RestrictPublicBuckets"))
}

// instanceAttrs maps EC2 instances: public IP address (the subnet's
// default when unset), IMDSv2 (its own or its launch template's) and
// termination protection.
func instanceAttrs(r *cfnReader, ix *cfnIndex, ir *iac.Resource, res cfnRes, p iac.Props) {
	v := res.props
	public := false
	for _, a := range iac.Get(v, "NetworkInterfaces", "*", "AssociatePublicIpAddress") {
		if b, _ := iac.LitBool(a); b {
			public = true
		}
	}
	if ir.Place != "" && ix.mapPublicIP[ir.Place] && v["NetworkInterfaces"] == nil {
		public = true
	}
	p["publicIp"] = public
	md := iac.Get1(v, "MetadataOptions", "HttpTokens")
	for _, lt := range r.quiet(res.st, iac.Get1(v, "LaunchTemplate", "LaunchTemplateId")) {
		if l, ok := r.lookup(lt); ok && md == nil {
			md = iac.Get1(l.props, "LaunchTemplateData", "MetadataOptions", "HttpTokens")
		}
	}
	if md == nil {
		p["imdsv2Required"] = false
	} else if s, ok := iac.LitStr(md); ok {
		p["imdsv2Required"] = s == "required"
	}
	p.BoolOr("terminationProtection", v["DisableApiTermination"], false)
}

// subnetAttrs maps subnets: public IP on launch, a route to an internet
// gateway, flow logs and zone.
func subnetAttrs(r *cfnReader, ix *cfnIndex, ir *iac.Resource, res cfnRes, p iac.Props) {
	v := res.props
	key := ir.Key
	p.BoolOr("autoAssignPublicIp", v["MapPublicIpOnLaunch"], false)
	public := false
	for _, rt := range ix.tableOf[key] {
		public = public || ix.igwTables[rt]
	}
	p["public"] = public
	p["flowLogs"] = ix.flowLogs[key]
	p.StrIf("availabilityZone", v["AvailabilityZone"])
}

// vpcAttrs maps VPCs: flow logs and CIDR range.
func vpcAttrs(r *cfnReader, ix *cfnIndex, ir *iac.Resource, res cfnRes, p iac.Props) {
	v := res.props
	key := ir.Key
	p["flowLogs"] = ix.flowLogs[key]
	p.StrIf("cidr", v["CidrBlock"])
}

// securityGroupAttrs maps security groups: ingress from anywhere.
func securityGroupAttrs(r *cfnReader, ix *cfnIndex, ir *iac.Resource, res cfnRes, p iac.Props) {
	v := res.props
	open := false
	for _, c := range append(iac.Get(v, "SecurityGroupIngress", "*", "CidrIp"), iac.Get(v, "SecurityGroupIngress", "*", "CidrIpv6")...) {
		open = open || iac.Str(c) == "0.0.0.0/0" || iac.Str(c) == "::/0"
	}
	p["allowsAllIngress"] = open
}

// loadBalancerAttrs maps application and network load balancers:
// exposure, HTTPS-only or TLS listeners, TLS policy and the attributes
// for deletion protection, access logs and header checks.
func loadBalancerAttrs(r *cfnReader, ix *cfnIndex, ir *iac.Resource, res cfnRes, p iac.Props) {
	v := res.props
	key := ir.Key
	p["internetFacing"] = iac.Str(v["Scheme"]) != "internal"
	ir.Internal = iac.Str(v["Scheme"]) == "internal"
	if iac.Str(v["Type"]) == "network" {
		ir.TypeID = "aws.nlb"
	}
	ls := ix.listeners[key]
	https, tls := len(ls) > 0, false
	for _, l := range ls {
		proto := iac.Str(l["Protocol"])
		redirect := false
		for _, a := range iac.Get(l, "DefaultActions", "*") {
			redirect = redirect || (iac.Str(iac.Get1(a, "Type")) == "redirect" && strings.EqualFold(iac.Str(iac.Get1(a, "RedirectConfig", "Protocol")), "HTTPS"))
		}
		if iac.TLSHTTPS(proto) {
			tls = true
			p.StrIf("tlsPolicy", l["SslPolicy"])
		} else if !redirect {
			https = false
		}
	}
	if iac.Str(v["Type"]) == "network" {
		p["tlsListeners"] = tls
	} else {
		p["httpsOnly"] = https
	}
	for _, a := range iac.Get(v, "LoadBalancerAttributes", "*") {
		b, ok := iac.LitBool(iac.Get1(a, "Value"))
		if !ok {
			continue
		}
		switch iac.Str(iac.Get1(a, "Key")) {
		case "deletion_protection.enabled":
			p["deletionProtection"] = b
		case "access_logs.s3.enabled":
			p["logging"] = b
		case "routing.http.drop_invalid_header_fields.enabled":
			p["dropInvalidHeaders"] = b
		}
	}
}

// classicLoadBalancerAttrs maps classic load balancers: exposure,
// HTTPS-only listeners and access logs.
func classicLoadBalancerAttrs(r *cfnReader, ix *cfnIndex, ir *iac.Resource, res cfnRes, p iac.Props) {
	v := res.props
	p["internetFacing"] = iac.Str(v["Scheme"]) != "internal"
	ir.Internal = iac.Str(v["Scheme"]) == "internal"
	https := true
	for _, l := range iac.Get(v, "Listeners", "*") {
		https = https && iac.TLSHTTPS(iac.Str(iac.Get1(l, "Protocol")))
	}
	p["httpsOnly"] = https
	if b, ok := iac.LitBool(iac.Get1(v, "AccessLoggingPolicy", "Enabled")); ok {
		p["logging"] = b
	}
}

// tableAttrs maps DynamoDB tables: point-in-time recovery, KMS
// encryption and deletion protection.
func tableAttrs(r *cfnReader, ix *cfnIndex, ir *iac.Resource, res cfnRes, p iac.Props) {
	v := res.props
	p.BoolOr("pointInTimeRecovery", iac.Get1(v, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"), false)
	p.BoolOr("kmsEncrypted", iac.Get1(v, "SSESpecification", "SSEEnabled"), false)
	p.BoolOr("deletionProtection", v["DeletionProtectionEnabled"], false)
}

// simpleTableAttrs maps SAM simple tables: KMS encryption.
func simpleTableAttrs(r *cfnReader, ix *cfnIndex, ir *iac.Resource, res cfnRes, p iac.Props) {
	v := res.props
	p.BoolOr("kmsEncrypted", iac.Get1(v, "SSESpecification", "SSEEnabled"), false)
}

// volumeAttrs maps EBS volumes and EFS file systems: encryption.
func volumeAttrs(r *cfnReader, ix *cfnIndex, ir *iac.Resource, res cfnRes, p iac.Props) {
	v := res.props
	p.BoolOr("encrypted", v["Encrypted"], false)
}

// replicationGroupAttrs maps ElastiCache replication groups: encryption
// in transit and at rest, zones and engine.
func replicationGroupAttrs(r *cfnReader, ix *cfnIndex, ir *iac.Resource, res cfnRes, p iac.Props) {
	v := res.props
	p.BoolOr("transitEncryption", v["TransitEncryptionEnabled"], false)
	p.BoolOr("atRestEncryption", v["AtRestEncryptionEnabled"], false)
	p.BoolOr("multiAZ", v["MultiAZEnabled"], false)
	p.StrIf("engine", strings.ToLower(iac.Str(v["Engine"])))
}

// cacheClusterAttrs maps ElastiCache clusters: encryption in transit and
// engine.
func cacheClusterAttrs(r *cfnReader, ix *cfnIndex, ir *iac.Resource, res cfnRes, p iac.Props) {
	v := res.props
	p.BoolOr("transitEncryption", v["TransitEncryptionEnabled"], false)
	p.StrIf("engine", strings.ToLower(iac.Str(v["Engine"])))
}

// queueAttrs maps SQS queues: encryption and a dead-letter queue.
func queueAttrs(r *cfnReader, ix *cfnIndex, ir *iac.Resource, res cfnRes, p iac.Props) {
	v := res.props
	p["encrypted"] = v["KmsMasterKeyId"] != nil || iac.Str(v["SqsManagedSseEnabled"]) != "false"
	p["deadLetterQueue"] = v["RedrivePolicy"] != nil
}

// warehouseAttrs maps Redshift clusters: public access and encryption.
func warehouseAttrs(r *cfnReader, ix *cfnIndex, ir *iac.Resource, res cfnRes, p iac.Props) {
	v := res.props
	p.BoolOr("publiclyAccessible", v["PubliclyAccessible"], false)
	p.BoolOr("encrypted", v["Encrypted"], false)
}

// kubernetesAttrs maps EKS clusters: public endpoint and secrets
// encryption.
func kubernetesAttrs(r *cfnReader, ix *cfnIndex, ir *iac.Resource, res cfnRes, p iac.Props) {
	v := res.props
	p.BoolOr("publicEndpoint", iac.Get1(v, "ResourcesVpcConfig", "EndpointPublicAccess"), true)
	p["secretsEncrypted"] = v["EncryptionConfig"] != nil
}

// registryAttrs maps ECR repositories: immutable tags and scan on push.
func registryAttrs(r *cfnReader, ix *cfnIndex, ir *iac.Resource, res cfnRes, p iac.Props) {
	v := res.props
	p["tagImmutable"] = iac.Str(v["ImageTagMutability"]) == "IMMUTABLE"
	p.BoolOr("scanOnPush", iac.Get1(v, "ImageScanningConfiguration", "ScanOnPush"), false)
}

// keyAttrs maps KMS keys: rotation.
func keyAttrs(r *cfnReader, ix *cfnIndex, ir *iac.Resource, res cfnRes, p iac.Props) {
	v := res.props
	p.BoolOr("rotation", v["EnableKeyRotation"], false)
}

// secretAttrs maps Secrets Manager secrets: rotation.
func secretAttrs(r *cfnReader, ix *cfnIndex, ir *iac.Resource, res cfnRes, p iac.Props) {
	key := ir.Key
	p["rotation"] = ix.rotated[key]
}

// functionAttrs maps Lambda and SAM functions: VPC, runtime and a public
// function URL.
func functionAttrs(r *cfnReader, ix *cfnIndex, ir *iac.Resource, res cfnRes, p iac.Props) {
	v := res.props
	key := ir.Key
	p["inVpc"] = iac.Get1(v, "VpcConfig", "SubnetIds") != nil
	p.StrIf("runtime", v["Runtime"])
	p["publicUrl"] = ix.publicURL[key] || (res.typ == "AWS::Serverless::Function" && iac.Str(iac.Get1(v, "FunctionUrlConfig", "AuthType")) == "NONE")
}

// restAPIAttrs maps API Gateway REST APIs and SAM APIs: endpoint type
// and the weakest authorization of their methods.
func restAPIAttrs(r *cfnReader, ix *cfnIndex, ir *iac.Resource, res cfnRes, p iac.Props) {
	v := res.props
	key := ir.Key
	for _, t := range append(iac.Get(v, "EndpointConfiguration", "Types", "*"), iac.Get(v, "EndpointConfiguration", "Type")...) {
		if s := iac.Str(t); s == "EDGE" || s == "REGIONAL" || s == "PRIVATE" {
			p["endpointType"] = s
		}
	}
	if s, ok := v["EndpointConfiguration"].(string); ok {
		p.StrIf("endpointType", s)
	}
	if _, ok := p["endpointType"]; !ok && v["EndpointConfiguration"] == nil {
		p["endpointType"] = "EDGE" // the default of REST APIs
	}
	if auth := ix.methodAuth[key]; len(auth) > 0 {
		p["authorization"] = iac.APIAuth(auth)
	}
}

// distributionAttrs maps CloudFront distributions: origin access
// control, TLS policy, logging, HTTPS-only viewers and WAF.
func distributionAttrs(r *cfnReader, ix *cfnIndex, ir *iac.Resource, res cfnRes, p iac.Props) {
	v := res.props
	oac := false
	for _, o := range iac.Get(v, "DistributionConfig", "Origins", "*") {
		oac = oac || iac.Get1(o, "OriginAccessControlId") != nil || iac.Str(iac.Get1(o, "S3OriginConfig", "OriginAccessIdentity")) != ""
	}
	p["originAccessControl"] = oac
	p.StrIf("tlsPolicy", iac.Get1(v, "DistributionConfig", "ViewerCertificate", "MinimumProtocolVersion"))
	p["logging"] = iac.Get1(v, "DistributionConfig", "Logging") != nil
	https := true
	for _, b := range append(iac.Get(v, "DistributionConfig", "DefaultCacheBehavior", "ViewerProtocolPolicy"), iac.Get(v, "DistributionConfig", "CacheBehaviors", "*", "ViewerProtocolPolicy")...) {
		https = https && iac.Str(b) != "allow-all"
	}
	p["httpsOnly"] = https
	p["waf"] = iac.Get1(v, "DistributionConfig", "WebACLId") != nil
}

// serviceAttrs maps ECS services: public IP addresses and launch type.
func serviceAttrs(r *cfnReader, ix *cfnIndex, ir *iac.Resource, res cfnRes, p iac.Props) {
	v := res.props
	if s := iac.Str(iac.Get1(v, "NetworkConfiguration", "AwsvpcConfiguration", "AssignPublicIp")); s != "" {
		p["assignsPublicIp"] = s == "ENABLED"
	}
	if s := iac.Str(v["LaunchType"]); s == "FARGATE" || s == "EC2" || s == "EXTERNAL" {
		p["launchType"] = s
	}
}

// autoScalingGroupAttrs maps Auto Scaling groups: zones, launch
// templates and public IP addresses (the launch configuration's or
// template's, else the subnets' default).
func autoScalingGroupAttrs(r *cfnReader, ix *cfnIndex, ir *iac.Resource, res cfnRes, p iac.Props) {
	v := res.props
	p["multiAZ"] = len(iac.Get(v, "VPCZoneIdentifier", "*")) > 1 || len(r.quiet(res.st, v["VPCZoneIdentifier"])) > 1 || len(iac.Get(v, "AvailabilityZones", "*")) > 1
	p["usesLaunchTemplate"] = v["LaunchTemplate"] != nil || v["MixedInstancesPolicy"] != nil
	// Public IPs: the launch configuration's or template's setting, else
	// the subnets' default.
	var public any
	for _, lc := range r.quiet(res.st, v["LaunchConfigurationName"]) {
		if l, ok := r.lookup(lc); ok {
			public = l.props["AssociatePublicIpAddress"]
		}
	}
	for _, lt := range r.quiet(res.st, iac.Get1(v, "LaunchTemplate", "LaunchTemplateId")) {
		if l, ok := r.lookup(lt); ok {
			public = iac.Get1(l.props, "LaunchTemplateData", "NetworkInterfaces", "*", "AssociatePublicIpAddress")
		}
	}
	if public == nil {
		for _, sn := range r.quiet(res.st, v["VPCZoneIdentifier"]) {
			public = public == true || ix.mapPublicIP[sn]
		}
	}
	p.BoolOr("assignsPublicIp", public, false)
}

// launchConfigurationAttrs maps launch configurations: public IP
// addresses.
func launchConfigurationAttrs(r *cfnReader, ix *cfnIndex, ir *iac.Resource, res cfnRes, p iac.Props) {
	v := res.props
	if b, ok := iac.LitBool(v["AssociatePublicIpAddress"]); ok {
		p["assignsPublicIp"] = b
	}
}

// trailAttrs maps CloudTrail trails: logging, log file validation and
// KMS encryption.
func trailAttrs(r *cfnReader, ix *cfnIndex, ir *iac.Resource, res cfnRes, p iac.Props) {
	v := res.props
	p.BoolOr("logging", v["IsLogging"], false)
	p.BoolOr("logFileValidation", v["EnableLogFileValidation"], false)
	p["kmsEncrypted"] = v["KMSKeyId"] != nil
}

// searchDomainAttrs maps OpenSearch and Elasticsearch domains: VPC and
// encryption at rest.
func searchDomainAttrs(r *cfnReader, ix *cfnIndex, ir *iac.Resource, res cfnRes, p iac.Props) {
	v := res.props
	p["inVpc"] = v["VPCOptions"] != nil || v["VpcOptions"] != nil
	p.BoolOr("encrypted", iac.Get1(v, "EncryptionAtRestOptions", "Enabled"), false)
}

// hostedZoneAttrs maps Route 53 hosted zones: public or private.
func hostedZoneAttrs(r *cfnReader, ix *cfnIndex, ir *iac.Resource, res cfnRes, p iac.Props) {
	v := res.props
	p["publicZone"] = v["VPCs"] == nil
}

// endpointAttrs maps VPC endpoints: type and a restrictive policy.
func endpointAttrs(r *cfnReader, ix *cfnIndex, ir *iac.Resource, res cfnRes, p iac.Props) {
	v := res.props
	if s := iac.Str(v["VpcEndpointType"]); s != "" {
		p["endpointType"] = s
	} else {
		p["endpointType"] = "Gateway"
	}
	p["restrictivePolicy"] = v["PolicyDocument"] != nil && !iac.PublicPolicy(v["PolicyDocument"])
}

// userPoolAttrs maps Cognito user pools: MFA.
func userPoolAttrs(r *cfnReader, ix *cfnIndex, ir *iac.Resource, res cfnRes, p iac.Props) {
	v := res.props
	if s := iac.Str(v["MfaConfiguration"]); s == "OFF" || s == "ON" || s == "OPTIONAL" {
		p["mfa"] = s
	} else if v["MfaConfiguration"] == nil {
		p["mfa"] = "OFF"
	}
}

// cfnAttributes maps each resource type to the mapper of its attributes.
var cfnAttributes = map[string]cfnMapper{
	"AWS::RDS::DBInstance":                      databaseAttrs,
	"AWS::RDS::DBCluster":                       databaseAttrs,
	"AWS::S3::Bucket":                           bucketAttrs,
	"AWS::EC2::Instance":                        instanceAttrs,
	"AWS::EC2::Subnet":                          subnetAttrs,
	"AWS::EC2::VPC":                             vpcAttrs,
	"AWS::EC2::SecurityGroup":                   securityGroupAttrs,
	"AWS::ElasticLoadBalancingV2::LoadBalancer": loadBalancerAttrs,
	"AWS::ElasticLoadBalancing::LoadBalancer":   classicLoadBalancerAttrs,
	"AWS::DynamoDB::Table":                      tableAttrs,
	"AWS::Serverless::SimpleTable":              simpleTableAttrs,
	"AWS::EC2::Volume":                          volumeAttrs,
	"AWS::EFS::FileSystem":                      volumeAttrs,
	"AWS::ElastiCache::ReplicationGroup":        replicationGroupAttrs,
	"AWS::ElastiCache::CacheCluster":            cacheClusterAttrs,
	"AWS::SQS::Queue":                           queueAttrs,
	"AWS::Redshift::Cluster":                    warehouseAttrs,
	"AWS::EKS::Cluster":                         kubernetesAttrs,
	"AWS::ECR::Repository":                      registryAttrs,
	"AWS::KMS::Key":                             keyAttrs,
	"AWS::SecretsManager::Secret":               secretAttrs,
	"AWS::Lambda::Function":                     functionAttrs,
	"AWS::Serverless::Function":                 functionAttrs,
	"AWS::ApiGateway::RestApi":                  restAPIAttrs,
	"AWS::Serverless::Api":                      restAPIAttrs,
	"AWS::CloudFront::Distribution":             distributionAttrs,
	"AWS::ECS::Service":                         serviceAttrs,
	"AWS::AutoScaling::AutoScalingGroup":        autoScalingGroupAttrs,
	"AWS::AutoScaling::LaunchConfiguration":     launchConfigurationAttrs,
	"AWS::CloudTrail::Trail":                    trailAttrs,
	"AWS::OpenSearchService::Domain":            searchDomainAttrs,
	"AWS::OpenSearch::Domain":                   searchDomainAttrs,
	"AWS::Elasticsearch::Domain":                searchDomainAttrs,
	"AWS::Route53::HostedZone":                  hostedZoneAttrs,
	"AWS::EC2::VPCEndpoint":                     endpointAttrs,
	"AWS::Cognito::UserPool":                    userPoolAttrs,
}
