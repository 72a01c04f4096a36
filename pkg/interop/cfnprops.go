package interop

import (
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
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
// security-relevant attributes.
func (r *cfnReader) attributes() {
	ix := cfnIndex{listeners: map[string][]map[string]any{}, bucketPol: map[string]bool{}, flowLogs: map[string]bool{},
		igwTables: map[string]bool{}, tableOf: map[string][]string{}, publicURL: map[string]bool{}, rotated: map[string]bool{},
		methodAuth: map[string][]string{}, mapPublicIP: map[string]bool{}, instances: map[string][]map[string]any{}}
	for _, key := range sortedKeys(r.byKey) {
		res := r.byKey[key]
		p := res.props
		switch res.typ {
		case "AWS::ElasticLoadBalancingV2::Listener":
			for _, lb := range r.quiet(res.st, p["LoadBalancerArn"]) {
				ix.listeners[lb] = append(ix.listeners[lb], p)
			}
		case "AWS::S3::BucketPolicy":
			if publicPolicy(p["PolicyDocument"]) {
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
			if str(p["AuthType"]) == "NONE" {
				for _, f := range r.quiet(res.st, p["TargetFunctionArn"]) {
					ix.publicURL[f] = true
				}
			}
		case "AWS::SecretsManager::RotationSchedule":
			for _, s := range r.quiet(res.st, p["SecretId"]) {
				ix.rotated[s] = true
			}
		case "AWS::ApiGateway::Method":
			if str(p["HttpMethod"]) != "OPTIONS" {
				for _, api := range r.quiet(res.st, p["RestApiId"]) {
					ix.methodAuth[api] = append(ix.methodAuth[api], convert.OrDefault(str(p["AuthorizationType"]), "NONE"))
				}
			}
		case "AWS::RDS::DBInstance":
			for _, c := range r.quiet(res.st, p["DBClusterIdentifier"]) {
				ix.instances[c] = append(ix.instances[c], p)
			}
		case "AWS::EC2::Subnet":
			if b, ok := litBool(p["MapPublicIpOnLaunch"]); ok && b {
				ix.mapPublicIP[key] = true
			}
		}
	}
	for _, ir := range r.g.resources {
		res, ok := r.byKey[ir.Key]
		if !ok {
			continue
		}
		p := props{}
		r.attrs(ir, res, &ix, p)
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

// attrs sets the properties of one resource.
func (r *cfnReader) attrs(ir *iacResource, res cfnRes, ix *cfnIndex, p props) {
	v := res.props
	if v == nil {
		v = map[string]any{}
	}
	key := ir.Key
	switch res.typ {
	case "AWS::RDS::DBInstance", "AWS::RDS::DBCluster":
		p.boolOr("publiclyAccessible", v["PubliclyAccessible"], false)
		if v["SnapshotIdentifier"] == nil && v["SourceDBInstanceIdentifier"] == nil {
			p.boolOr("encrypted", v["StorageEncrypted"], false)
		}
		p.boolOr("multiAZ", v["MultiAZ"], false)
		if res.typ == "AWS::RDS::DBCluster" && v["MultiAZ"] == nil && v["PubliclyAccessible"] == nil {
			// Aurora: public if an instance is, multi-AZ with two or more.
			public := false
			for _, in := range ix.instances[key] {
				b, _ := litBool(in["PubliclyAccessible"])
				public = public || b
			}
			p["publiclyAccessible"] = public
			p["multiAZ"] = len(ix.instances[key]) > 1
		}
		p.boolOr("deletionProtection", v["DeletionProtection"], false)
		p.backups(v["BackupRetentionPeriod"], 1)
		if e := dbEngine(str(v["Engine"])); e != "" {
			p["engine"] = e
		}
		if v["EnableCloudwatchLogsExports"] != nil {
			p["logging"] = len(get(v, "EnableCloudwatchLogsExports", "*")) > 0
		}
	case "AWS::S3::Bucket":
		sse := get(v, "BucketEncryption", "ServerSideEncryptionConfiguration", "*", "ServerSideEncryptionByDefault", "SSEAlgorithm")
		p["encrypted"] = true // SSE-S3 at least, the default since January 2023
		p["kmsEncrypted"] = false
		for _, a := range sse {
			if strings.HasPrefix(str(a), "aws:kms") {
				p["kmsEncrypted"] = true
			}
		}
		p["versioning"] = str(get1(v, "VersioningConfiguration", "Status")) == "Enabled"
		p["websiteHosting"] = v["WebsiteConfiguration"] != nil
		p["logging"] = v["LoggingConfiguration"] != nil
		acl := str(v["AccessControl"])
		p.strIf("accessControl", acl)
		pab, hasPAB := v["PublicAccessBlockConfiguration"].(map[string]any)
		blocked := func(names ...string) bool {
			if !hasPAB {
				return true // blocked by default for buckets created since April 2023
			}
			for _, n := range names {
				if b, ok := litBool(pab[n]); ok && b {
					return true
				}
			}
			return false
		}
		if hasPAB {
			all := true
			for _, n := range []string{"BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"} {
				if b, ok := litBool(pab[n]); !ok || !b {
					all = false
				}
			}
			p["publicAccessBlock"] = all
		}
		publicACL := acl == "PublicRead" || acl == "PublicReadWrite" || acl == "AuthenticatedRead"
		p["publiclyAccessible"] = (publicACL && !blocked("BlockPublicAcls", "IgnorePublicAcls")) || (ix.bucketPol[key] && !blocked("BlockPublicPolicy", "RestrictPublicBuckets"))
	case "AWS::EC2::Instance":
		public := false
		for _, a := range get(v, "NetworkInterfaces", "*", "AssociatePublicIpAddress") {
			if b, _ := litBool(a); b {
				public = true
			}
		}
		if ir.Place != "" && ix.mapPublicIP[ir.Place] && v["NetworkInterfaces"] == nil {
			public = true
		}
		p["publicIp"] = public
		md := get1(v, "MetadataOptions", "HttpTokens")
		for _, lt := range r.quiet(res.st, get1(v, "LaunchTemplate", "LaunchTemplateId")) {
			if l, ok := r.lookup(lt); ok && md == nil {
				md = get1(l.props, "LaunchTemplateData", "MetadataOptions", "HttpTokens")
			}
		}
		if md == nil {
			p["imdsv2Required"] = false
		} else if s, ok := litStr(md); ok {
			p["imdsv2Required"] = s == "required"
		}
		p.boolOr("terminationProtection", v["DisableApiTermination"], false)
	case "AWS::EC2::Subnet":
		p.boolOr("autoAssignPublicIp", v["MapPublicIpOnLaunch"], false)
		public := false
		for _, rt := range ix.tableOf[key] {
			public = public || ix.igwTables[rt]
		}
		p["public"] = public
		p["flowLogs"] = ix.flowLogs[key]
		p.strIf("availabilityZone", v["AvailabilityZone"])
	case "AWS::EC2::VPC":
		p["flowLogs"] = ix.flowLogs[key]
		p.strIf("cidr", v["CidrBlock"])
	case "AWS::EC2::SecurityGroup":
		open := false
		for _, c := range append(get(v, "SecurityGroupIngress", "*", "CidrIp"), get(v, "SecurityGroupIngress", "*", "CidrIpv6")...) {
			open = open || str(c) == "0.0.0.0/0" || str(c) == "::/0"
		}
		p["allowsAllIngress"] = open
	case "AWS::ElasticLoadBalancingV2::LoadBalancer":
		p["internetFacing"] = str(v["Scheme"]) != "internal"
		ir.Internal = str(v["Scheme"]) == "internal"
		if str(v["Type"]) == "network" {
			ir.TypeID = "aws.nlb"
		}
		ls := ix.listeners[key]
		https, tls := len(ls) > 0, false
		for _, l := range ls {
			proto := str(l["Protocol"])
			redirect := false
			for _, a := range get(l, "DefaultActions", "*") {
				redirect = redirect || (str(get1(a, "Type")) == "redirect" && strings.EqualFold(str(get1(a, "RedirectConfig", "Protocol")), "HTTPS"))
			}
			if tlsHTTPS(proto) {
				tls = true
				p.strIf("tlsPolicy", l["SslPolicy"])
			} else if !redirect {
				https = false
			}
		}
		if str(v["Type"]) == "network" {
			p["tlsListeners"] = tls
		} else {
			p["httpsOnly"] = https
		}
		for _, a := range get(v, "LoadBalancerAttributes", "*") {
			b, ok := litBool(get1(a, "Value"))
			if !ok {
				continue
			}
			switch str(get1(a, "Key")) {
			case "deletion_protection.enabled":
				p["deletionProtection"] = b
			case "access_logs.s3.enabled":
				p["logging"] = b
			case "routing.http.drop_invalid_header_fields.enabled":
				p["dropInvalidHeaders"] = b
			}
		}
	case "AWS::ElasticLoadBalancing::LoadBalancer":
		p["internetFacing"] = str(v["Scheme"]) != "internal"
		ir.Internal = str(v["Scheme"]) == "internal"
		https := true
		for _, l := range get(v, "Listeners", "*") {
			https = https && tlsHTTPS(str(get1(l, "Protocol")))
		}
		p["httpsOnly"] = https
		if b, ok := litBool(get1(v, "AccessLoggingPolicy", "Enabled")); ok {
			p["logging"] = b
		}
	case "AWS::DynamoDB::Table":
		p.boolOr("pointInTimeRecovery", get1(v, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"), false)
		p.boolOr("kmsEncrypted", get1(v, "SSESpecification", "SSEEnabled"), false)
		p.boolOr("deletionProtection", v["DeletionProtectionEnabled"], false)
	case "AWS::Serverless::SimpleTable":
		p.boolOr("kmsEncrypted", get1(v, "SSESpecification", "SSEEnabled"), false)
	case "AWS::EC2::Volume", "AWS::EFS::FileSystem":
		p.boolOr("encrypted", v["Encrypted"], false)
	case "AWS::ElastiCache::ReplicationGroup":
		p.boolOr("transitEncryption", v["TransitEncryptionEnabled"], false)
		p.boolOr("atRestEncryption", v["AtRestEncryptionEnabled"], false)
		p.boolOr("multiAZ", v["MultiAZEnabled"], false)
		p.strIf("engine", strings.ToLower(str(v["Engine"])))
	case "AWS::ElastiCache::CacheCluster":
		p.boolOr("transitEncryption", v["TransitEncryptionEnabled"], false)
		p.strIf("engine", strings.ToLower(str(v["Engine"])))
	case "AWS::SQS::Queue":
		p["encrypted"] = v["KmsMasterKeyId"] != nil || str(v["SqsManagedSseEnabled"]) != "false"
		p["deadLetterQueue"] = v["RedrivePolicy"] != nil
	case "AWS::Redshift::Cluster":
		p.boolOr("publiclyAccessible", v["PubliclyAccessible"], false)
		p.boolOr("encrypted", v["Encrypted"], false)
	case "AWS::EKS::Cluster":
		p.boolOr("publicEndpoint", get1(v, "ResourcesVpcConfig", "EndpointPublicAccess"), true)
		p["secretsEncrypted"] = v["EncryptionConfig"] != nil
	case "AWS::ECR::Repository":
		p["tagImmutable"] = str(v["ImageTagMutability"]) == "IMMUTABLE"
		p.boolOr("scanOnPush", get1(v, "ImageScanningConfiguration", "ScanOnPush"), false)
	case "AWS::KMS::Key":
		p.boolOr("rotation", v["EnableKeyRotation"], false)
	case "AWS::SecretsManager::Secret":
		p["rotation"] = ix.rotated[key]
	case "AWS::Lambda::Function", "AWS::Serverless::Function":
		p["inVpc"] = get1(v, "VpcConfig", "SubnetIds") != nil
		p.strIf("runtime", v["Runtime"])
		p["publicUrl"] = ix.publicURL[key] || (res.typ == "AWS::Serverless::Function" && str(get1(v, "FunctionUrlConfig", "AuthType")) == "NONE")
	case "AWS::ApiGateway::RestApi", "AWS::Serverless::Api":
		for _, t := range append(get(v, "EndpointConfiguration", "Types", "*"), get(v, "EndpointConfiguration", "Type")...) {
			if s := str(t); s == "EDGE" || s == "REGIONAL" || s == "PRIVATE" {
				p["endpointType"] = s
			}
		}
		if s, ok := v["EndpointConfiguration"].(string); ok {
			p.strIf("endpointType", s)
		}
		if _, ok := p["endpointType"]; !ok && v["EndpointConfiguration"] == nil {
			p["endpointType"] = "EDGE" // the default of REST APIs
		}
		if auth := ix.methodAuth[key]; len(auth) > 0 {
			p["authorization"] = apiAuth(auth)
		}
	case "AWS::CloudFront::Distribution":
		oac := false
		for _, o := range get(v, "DistributionConfig", "Origins", "*") {
			oac = oac || get1(o, "OriginAccessControlId") != nil || str(get1(o, "S3OriginConfig", "OriginAccessIdentity")) != ""
		}
		p["originAccessControl"] = oac
		p.strIf("tlsPolicy", get1(v, "DistributionConfig", "ViewerCertificate", "MinimumProtocolVersion"))
		p["logging"] = get1(v, "DistributionConfig", "Logging") != nil
		https := true
		for _, b := range append(get(v, "DistributionConfig", "DefaultCacheBehavior", "ViewerProtocolPolicy"), get(v, "DistributionConfig", "CacheBehaviors", "*", "ViewerProtocolPolicy")...) {
			https = https && str(b) != "allow-all"
		}
		p["httpsOnly"] = https
		p["waf"] = get1(v, "DistributionConfig", "WebACLId") != nil
	case "AWS::ECS::Service":
		if s := str(get1(v, "NetworkConfiguration", "AwsvpcConfiguration", "AssignPublicIp")); s != "" {
			p["assignsPublicIp"] = s == "ENABLED"
		}
		if s := str(v["LaunchType"]); s == "FARGATE" || s == "EC2" || s == "EXTERNAL" {
			p["launchType"] = s
		}
	case "AWS::AutoScaling::AutoScalingGroup":
		p["multiAZ"] = len(get(v, "VPCZoneIdentifier", "*")) > 1 || len(r.quiet(res.st, v["VPCZoneIdentifier"])) > 1 || len(get(v, "AvailabilityZones", "*")) > 1
		p["usesLaunchTemplate"] = v["LaunchTemplate"] != nil || v["MixedInstancesPolicy"] != nil
		// Public IPs: the launch configuration's or template's setting, else
		// the subnets' default.
		var public any
		for _, lc := range r.quiet(res.st, v["LaunchConfigurationName"]) {
			if l, ok := r.lookup(lc); ok {
				public = l.props["AssociatePublicIpAddress"]
			}
		}
		for _, lt := range r.quiet(res.st, get1(v, "LaunchTemplate", "LaunchTemplateId")) {
			if l, ok := r.lookup(lt); ok {
				public = get1(l.props, "LaunchTemplateData", "NetworkInterfaces", "*", "AssociatePublicIpAddress")
			}
		}
		if public == nil {
			for _, sn := range r.quiet(res.st, v["VPCZoneIdentifier"]) {
				public = public == true || ix.mapPublicIP[sn]
			}
		}
		p.boolOr("assignsPublicIp", public, false)
	case "AWS::AutoScaling::LaunchConfiguration":
		if b, ok := litBool(v["AssociatePublicIpAddress"]); ok {
			p["assignsPublicIp"] = b
		}
	case "AWS::CloudTrail::Trail":
		p.boolOr("logging", v["IsLogging"], false)
		p.boolOr("logFileValidation", v["EnableLogFileValidation"], false)
		p["kmsEncrypted"] = v["KMSKeyId"] != nil
	case "AWS::OpenSearchService::Domain", "AWS::OpenSearch::Domain", "AWS::Elasticsearch::Domain":
		p["inVpc"] = v["VPCOptions"] != nil || v["VpcOptions"] != nil
		p.boolOr("encrypted", get1(v, "EncryptionAtRestOptions", "Enabled"), false)
	case "AWS::Route53::HostedZone":
		p["publicZone"] = v["VPCs"] == nil
	case "AWS::EC2::VPCEndpoint":
		if s := str(v["VpcEndpointType"]); s != "" {
			p["endpointType"] = s
		} else {
			p["endpointType"] = "Gateway"
		}
		p["restrictivePolicy"] = v["PolicyDocument"] != nil && !publicPolicy(v["PolicyDocument"])
	case "AWS::Cognito::UserPool":
		if s := str(v["MfaConfiguration"]); s == "OFF" || s == "ON" || s == "OPTIONAL" {
			p["mfa"] = s
		} else if v["MfaConfiguration"] == nil {
			p["mfa"] = "OFF"
		}
	}
}

// apiAuth is the weakest authorization among an API's methods.
func apiAuth(types []string) string {
	order := []string{"NONE", "AWS_IAM", "CUSTOM", "COGNITO_USER_POOLS", "JWT"}
	names := map[string]string{"NONE": "NONE", "AWS_IAM": "AWS_IAM", "CUSTOM": "LAMBDA", "COGNITO_USER_POOLS": "COGNITO", "JWT": "JWT"}
	for _, o := range order {
		for _, t := range types {
			if strings.EqualFold(t, o) {
				return names[o]
			}
		}
	}
	return "NONE"
}
