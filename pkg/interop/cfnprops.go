package interop

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
// security-relevant attributes.
func (r *cfnReader) attributes() {
	ix := cfnIndex{listeners: map[string][]map[string]any{}, bucketPol: map[string]bool{}, flowLogs: map[string]bool{},
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
	for _, ir := range r.g.Resources {
		res, ok := r.byKey[ir.Key]
		if !ok {
			continue
		}
		p := iac.Props{}
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
func (r *cfnReader) attrs(ir *iac.Resource, res cfnRes, ix *cfnIndex, p iac.Props) {
	v := res.props
	if v == nil {
		v = map[string]any{}
	}
	key := ir.Key
	switch res.typ {
	case "AWS::RDS::DBInstance", "AWS::RDS::DBCluster":
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
	case "AWS::S3::Bucket":
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
	case "AWS::EC2::Instance":
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
	case "AWS::EC2::Subnet":
		p.BoolOr("autoAssignPublicIp", v["MapPublicIpOnLaunch"], false)
		public := false
		for _, rt := range ix.tableOf[key] {
			public = public || ix.igwTables[rt]
		}
		p["public"] = public
		p["flowLogs"] = ix.flowLogs[key]
		p.StrIf("availabilityZone", v["AvailabilityZone"])
	case "AWS::EC2::VPC":
		p["flowLogs"] = ix.flowLogs[key]
		p.StrIf("cidr", v["CidrBlock"])
	case "AWS::EC2::SecurityGroup":
		open := false
		for _, c := range append(iac.Get(v, "SecurityGroupIngress", "*", "CidrIp"), iac.Get(v, "SecurityGroupIngress", "*", "CidrIpv6")...) {
			open = open || iac.Str(c) == "0.0.0.0/0" || iac.Str(c) == "::/0"
		}
		p["allowsAllIngress"] = open
	case "AWS::ElasticLoadBalancingV2::LoadBalancer":
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
	case "AWS::ElasticLoadBalancing::LoadBalancer":
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
	case "AWS::DynamoDB::Table":
		p.BoolOr("pointInTimeRecovery", iac.Get1(v, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"), false)
		p.BoolOr("kmsEncrypted", iac.Get1(v, "SSESpecification", "SSEEnabled"), false)
		p.BoolOr("deletionProtection", v["DeletionProtectionEnabled"], false)
	case "AWS::Serverless::SimpleTable":
		p.BoolOr("kmsEncrypted", iac.Get1(v, "SSESpecification", "SSEEnabled"), false)
	case "AWS::EC2::Volume", "AWS::EFS::FileSystem":
		p.BoolOr("encrypted", v["Encrypted"], false)
	case "AWS::ElastiCache::ReplicationGroup":
		p.BoolOr("transitEncryption", v["TransitEncryptionEnabled"], false)
		p.BoolOr("atRestEncryption", v["AtRestEncryptionEnabled"], false)
		p.BoolOr("multiAZ", v["MultiAZEnabled"], false)
		p.StrIf("engine", strings.ToLower(iac.Str(v["Engine"])))
	case "AWS::ElastiCache::CacheCluster":
		p.BoolOr("transitEncryption", v["TransitEncryptionEnabled"], false)
		p.StrIf("engine", strings.ToLower(iac.Str(v["Engine"])))
	case "AWS::SQS::Queue":
		p["encrypted"] = v["KmsMasterKeyId"] != nil || iac.Str(v["SqsManagedSseEnabled"]) != "false"
		p["deadLetterQueue"] = v["RedrivePolicy"] != nil
	case "AWS::Redshift::Cluster":
		p.BoolOr("publiclyAccessible", v["PubliclyAccessible"], false)
		p.BoolOr("encrypted", v["Encrypted"], false)
	case "AWS::EKS::Cluster":
		p.BoolOr("publicEndpoint", iac.Get1(v, "ResourcesVpcConfig", "EndpointPublicAccess"), true)
		p["secretsEncrypted"] = v["EncryptionConfig"] != nil
	case "AWS::ECR::Repository":
		p["tagImmutable"] = iac.Str(v["ImageTagMutability"]) == "IMMUTABLE"
		p.BoolOr("scanOnPush", iac.Get1(v, "ImageScanningConfiguration", "ScanOnPush"), false)
	case "AWS::KMS::Key":
		p.BoolOr("rotation", v["EnableKeyRotation"], false)
	case "AWS::SecretsManager::Secret":
		p["rotation"] = ix.rotated[key]
	case "AWS::Lambda::Function", "AWS::Serverless::Function":
		p["inVpc"] = iac.Get1(v, "VpcConfig", "SubnetIds") != nil
		p.StrIf("runtime", v["Runtime"])
		p["publicUrl"] = ix.publicURL[key] || (res.typ == "AWS::Serverless::Function" && iac.Str(iac.Get1(v, "FunctionUrlConfig", "AuthType")) == "NONE")
	case "AWS::ApiGateway::RestApi", "AWS::Serverless::Api":
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
	case "AWS::CloudFront::Distribution":
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
	case "AWS::ECS::Service":
		if s := iac.Str(iac.Get1(v, "NetworkConfiguration", "AwsvpcConfiguration", "AssignPublicIp")); s != "" {
			p["assignsPublicIp"] = s == "ENABLED"
		}
		if s := iac.Str(v["LaunchType"]); s == "FARGATE" || s == "EC2" || s == "EXTERNAL" {
			p["launchType"] = s
		}
	case "AWS::AutoScaling::AutoScalingGroup":
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
	case "AWS::AutoScaling::LaunchConfiguration":
		if b, ok := iac.LitBool(v["AssociatePublicIpAddress"]); ok {
			p["assignsPublicIp"] = b
		}
	case "AWS::CloudTrail::Trail":
		p.BoolOr("logging", v["IsLogging"], false)
		p.BoolOr("logFileValidation", v["EnableLogFileValidation"], false)
		p["kmsEncrypted"] = v["KMSKeyId"] != nil
	case "AWS::OpenSearchService::Domain", "AWS::OpenSearch::Domain", "AWS::Elasticsearch::Domain":
		p["inVpc"] = v["VPCOptions"] != nil || v["VpcOptions"] != nil
		p.BoolOr("encrypted", iac.Get1(v, "EncryptionAtRestOptions", "Enabled"), false)
	case "AWS::Route53::HostedZone":
		p["publicZone"] = v["VPCs"] == nil
	case "AWS::EC2::VPCEndpoint":
		if s := iac.Str(v["VpcEndpointType"]); s != "" {
			p["endpointType"] = s
		} else {
			p["endpointType"] = "Gateway"
		}
		p["restrictivePolicy"] = v["PolicyDocument"] != nil && !iac.PublicPolicy(v["PolicyDocument"])
	case "AWS::Cognito::UserPool":
		if s := iac.Str(v["MfaConfiguration"]); s == "OFF" || s == "ON" || s == "OPTIONAL" {
			p["mfa"] = s
		} else if v["MfaConfiguration"] == nil {
			p["mfa"] = "OFF"
		}
	}
}
