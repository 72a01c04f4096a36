package terraform

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/iac"
)

// This file reads the security-relevant attributes of Terraform resources
// into catalog properties (see iac.Props): one mapper per AWS service, in
// tfAttributes.

// tfBool sets name from a boolean argument: its known value, def when the
// plan leaves it null, nothing when it is unknown until apply.
func (r *tfReader) tfBool(p iac.Props, res *tfRes, name string, path []string, def bool) {
	if unknownAt(res.unknown, path) {
		return
	}
	v := iac.Get1(res.values, path...)
	if v == nil && len(path) == 1 {
		v = attr(res, path[0])
	}
	p.BoolOr(name, v, def)
}

// attributes sets the catalog properties of every drawn resource, with
// the mapper of its type.
func (r *tfReader) attributes() {
	ix := r.indexAttributes()
	for _, ir := range r.g.Resources {
		res := r.byKey[ir.Key]
		if res == nil {
			continue
		}
		p := iac.Props{}
		if mapAttributes := tfAttributes[res.typ]; mapAttributes != nil {
			mapAttributes(r, ix, ir, res, p)
		}
		for k, val := range p {
			ir.Props[k] = val
		}
	}
}

// tfIndex holds what the attributes of one resource need from others.
type tfIndex struct {
	bucket           map[string]map[string]*tfRes // bucket → configuration resource type → resource
	flowLogs         map[string]bool              // VPC or subnet → has flow logs
	igwTables        map[string]bool              // route table → routes to an internet gateway
	publicURL        map[string]bool              // function → URL without authorization
	rotated          map[string]bool              // secret → rotation
	tableOf          map[string][]string          // subnet → route tables
	listeners        map[string][]*tfRes          // load balancer → its listeners
	methodAuth       map[string][]string          // REST API → authorization of its methods
	openSG           map[string]bool              // security group → a rule admits 0.0.0.0/0 or ::/0
	clusterInstances map[string][]*tfRes          // Aurora cluster → its instances
}

// indexAttributes reads, from the resources that configure others
// (bucket configurations, flow logs, routes, listeners, function URLs,
// rotations, API methods, security group rules, cluster instances), what
// the attributes of the resources they configure need.
func (r *tfReader) indexAttributes() *tfIndex {
	ix := &tfIndex{bucket: map[string]map[string]*tfRes{}, flowLogs: map[string]bool{}, igwTables: map[string]bool{}, publicURL: map[string]bool{}, rotated: map[string]bool{},
		tableOf: map[string][]string{}, listeners: map[string][]*tfRes{}, methodAuth: map[string][]string{}, openSG: map[string]bool{}, clusterInstances: map[string][]*tfRes{}}
	for _, res := range r.res {
		switch res.typ {
		case "aws_rds_cluster_instance":
			for _, c := range r.quietAt(res, "cluster_identifier") {
				ix.clusterInstances[c] = append(ix.clusterInstances[c], res)
			}
		case "aws_s3_bucket_versioning", "aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_public_access_block",
			"aws_s3_bucket_acl", "aws_s3_bucket_logging", "aws_s3_bucket_policy", "aws_s3_bucket_website_configuration":
			for _, b := range r.quietAt(res, "bucket") {
				if ix.bucket[b] == nil {
					ix.bucket[b] = map[string]*tfRes{}
				}
				ix.bucket[b][res.typ] = res
			}
		case "aws_flow_log":
			for _, k := range append(r.quietAt(res, "vpc_id"), r.quietAt(res, "subnet_id")...) {
				ix.flowLogs[k] = true
			}
		case "aws_route":
			for _, gw := range r.quietAt(res, "gateway_id") {
				if g := r.byKey[gw]; g != nil && g.typ == "aws_internet_gateway" {
					for _, rt := range r.quietAt(res, "route_table_id") {
						ix.igwTables[rt] = true
					}
				}
			}
		case "aws_route_table":
			for _, gw := range append(r.quietAt(res, "route", "*", "gateway_id"), r.quietAt(res, "route")...) {
				if g := r.byKey[gw]; g != nil && g.typ == "aws_internet_gateway" {
					ix.igwTables[res.key] = true
				}
			}
		case "aws_route_table_association":
			for _, sn := range r.quietAt(res, "subnet_id") {
				ix.tableOf[sn] = append(ix.tableOf[sn], r.quietAt(res, "route_table_id")...)
			}
		case "aws_lb_listener", "aws_alb_listener":
			for _, lb := range r.quietAt(res, "load_balancer_arn") {
				ix.listeners[lb] = append(ix.listeners[lb], res)
			}
		case "aws_lambda_function_url":
			if iac.Str(attr(res, "authorization_type")) == "NONE" {
				for _, f := range r.quietAt(res, "function_name") {
					ix.publicURL[f] = true
				}
			}
		case "aws_secretsmanager_secret_rotation":
			for _, s := range r.quietAt(res, "secret_id") {
				ix.rotated[s] = true
			}
		case "aws_api_gateway_method":
			if iac.Str(attr(res, "http_method")) != "OPTIONS" {
				for _, api := range r.quietAt(res, "rest_api_id") {
					ix.methodAuth[api] = append(ix.methodAuth[api], convert.OrDefault(iac.Str(attr(res, "authorization")), "NONE"))
				}
			}
		case "aws_security_group_rule", "aws_vpc_security_group_ingress_rule":
			if res.typ == "aws_security_group_rule" && iac.Str(attr(res, "type")) != "ingress" {
				continue
			}
			for _, c := range append(tfStrings(iac.Get(attr(res, "cidr_blocks"))), iac.Str(attr(res, "cidr_ipv4")), iac.Str(attr(res, "cidr_ipv6"))) {
				if c == "0.0.0.0/0" || c == "::/0" {
					for _, sg := range r.quietAt(res, "security_group_id") {
						ix.openSG[sg] = true
					}
				}
			}
		}
	}
	return ix
}

// tfMapper sets the properties p of resource res (drawn as ir) from its
// attributes; ix holds what it needs from other resources.
type tfMapper func(r *tfReader, ix *tfIndex, ir *iac.Resource, res *tfRes, p iac.Props)

// databaseAttrs maps RDS instances and Aurora clusters: public access,
// encryption, zones, deletion protection, backups, engine and logs.
func databaseAttrs(r *tfReader, ix *tfIndex, ir *iac.Resource, res *tfRes, p iac.Props) {
	v := res.values
	r.tfBool(p, res, "publiclyAccessible", []string{"publicly_accessible"}, false)
	if res.typ == "aws_rds_cluster" {
		// An Aurora cluster is public if one of its instances is, and
		// spans zones with more than one instance.
		public := false
		for _, in := range ix.clusterInstances[res.key] {
			public = public || boolOf(attr(in, "publicly_accessible"))
		}
		p["publiclyAccessible"] = public
		p["multiAZ"] = len(ix.clusterInstances[res.key]) > 1
	}
	if attr(res, "snapshot_identifier") == nil && attr(res, "replicate_source_db") == nil {
		r.tfBool(p, res, "encrypted", []string{"storage_encrypted"}, false)
	}
	if res.typ == "aws_db_instance" {
		r.tfBool(p, res, "multiAZ", []string{"multi_az"}, false)
	}
	r.tfBool(p, res, "deletionProtection", []string{"deletion_protection"}, false)
	if !unknownAt(res.unknown, []string{"backup_retention_period"}) {
		p.Backups(attr(res, "backup_retention_period"), 1)
	}
	if e := iac.DBEngine(iac.Str(attr(res, "engine"))); e != "" {
		p["engine"] = e
	}
	if logs := iac.Get(v, "enabled_cloudwatch_logs_exports", "*"); len(logs) > 0 {
		p["logging"] = true
	}
}

// bucketAttrs maps S3 buckets, with their separate configuration
// resources: encryption, versioning, website hosting, logging, ACL,
// public access block and public policies.
func bucketAttrs(r *tfReader, ix *tfIndex, ir *iac.Resource, res *tfRes, p iac.Props) {
	v := res.values
	conf := ix.bucket[res.key]
	p["encrypted"] = true // SSE-S3 at least, the default since January 2023
	algos := append(tfStrings(iac.Get(v, "server_side_encryption_configuration", "*", "rule", "*", "apply_server_side_encryption_by_default", "*", "sse_algorithm")),
		tfStrings(iac.Get(conf["aws_s3_bucket_server_side_encryption_configuration"], "values"))...)
	if c := conf["aws_s3_bucket_server_side_encryption_configuration"]; c != nil {
		algos = append(algos, tfStrings(iac.Get(c.values, "rule", "*", "apply_server_side_encryption_by_default", "*", "sse_algorithm"))...)
	}
	p["kmsEncrypted"] = slices.ContainsFunc(algos, func(a string) bool { return strings.HasPrefix(a, "aws:kms") })
	versioning := boolOf(iac.Get1(v, "versioning", "*", "enabled"))
	if c := conf["aws_s3_bucket_versioning"]; c != nil {
		versioning = iac.Str(iac.Get1(c.values, "versioning_configuration", "*", "status")) == "Enabled"
	}
	p["versioning"] = versioning
	p["websiteHosting"] = len(iac.Get(v, "website", "*")) > 0 || conf["aws_s3_bucket_website_configuration"] != nil
	p["logging"] = len(iac.Get(v, "logging", "*")) > 0 || conf["aws_s3_bucket_logging"] != nil
	acl := iac.Str(attr(res, "acl"))
	if c := conf["aws_s3_bucket_acl"]; c != nil {
		acl = iac.Str(attr(c, "acl"))
	}
	p.StrIf("accessControl", acl)
	pab := conf["aws_s3_bucket_public_access_block"]
	blocked := func(names ...string) bool {
		if pab == nil {
			return true // blocked by default for buckets created since April 2023
		}
		for _, n := range names {
			if boolOf(attr(pab, n)) {
				return true
			}
		}
		return false
	}
	if pab != nil {
		p["publicAccessBlock"] = boolOf(attr(pab, "block_public_acls")) && boolOf(attr(pab, "ignore_public_acls")) &&
			boolOf(attr(pab, "block_public_policy")) && boolOf(attr(pab, "restrict_public_buckets"))
	}
	publicPol := false
	for _, pr := range []*tfRes{res, conf["aws_s3_bucket_policy"]} {
		if pr == nil {
			continue
		}
		var doc any
		if json.Unmarshal([]byte(iac.Str(attr(pr, "policy"))), &doc) == nil && iac.PublicPolicy(doc) {
			publicPol = true
		}
	}
	publicACL := acl == "public-read" || acl == "public-read-write" || acl == "authenticated-read"
	p["publiclyAccessible"] = (publicACL && !blocked("block_public_acls", "ignore_public_acls")) || (publicPol && !blocked("block_public_policy", "restrict_public_buckets"))
}

// instanceAttrs maps EC2 instances: public IP address (the subnet's
// default when unset), IMDSv2 and termination protection.
func instanceAttrs(r *tfReader, ix *tfIndex, ir *iac.Resource, res *tfRes, p iac.Props) {
	v := res.values
	if !unknownAt(res.unknown, []string{"associate_public_ip_address"}) {
		pub := attr(res, "associate_public_ip_address")
		if pub == nil {
			for _, sn := range r.quietAt(res, "subnet_id") {
				pub = boolOf(attr(r.byKey[sn], "map_public_ip_on_launch"))
			}
		}
		p.BoolOr("publicIp", pub, false)
	}
	if tok := iac.Get1(v, "metadata_options", "*", "http_tokens"); tok != nil {
		p["imdsv2Required"] = iac.Str(tok) == "required"
	} else if !unknownAt(res.unknown, []string{"metadata_options"}) {
		p["imdsv2Required"] = false
	}
	r.tfBool(p, res, "terminationProtection", []string{"disable_api_termination"}, false)
}

// subnetAttrs maps subnets: public IP on launch, a route to an internet
// gateway, flow logs and zone.
func subnetAttrs(r *tfReader, ix *tfIndex, ir *iac.Resource, res *tfRes, p iac.Props) {
	r.tfBool(p, res, "autoAssignPublicIp", []string{"map_public_ip_on_launch"}, false)
	public := false
	for _, rt := range ix.tableOf[res.key] {
		public = public || ix.igwTables[rt]
	}
	p["public"] = public
	p["flowLogs"] = ix.flowLogs[res.key]
	p.StrIf("availabilityZone", attr(res, "availability_zone"))
}

// vpcAttrs maps VPCs: flow logs and CIDR range.
func vpcAttrs(r *tfReader, ix *tfIndex, ir *iac.Resource, res *tfRes, p iac.Props) {
	p["flowLogs"] = ix.flowLogs[res.key]
	p.StrIf("cidr", attr(res, "cidr_block"))
}

// securityGroupAttrs maps security groups: ingress from anywhere (inline
// or by rule) and the default group.
func securityGroupAttrs(r *tfReader, ix *tfIndex, ir *iac.Resource, res *tfRes, p iac.Props) {
	v := res.values
	open := ix.openSG[res.key]
	for _, c := range append(tfStrings(iac.Get(v, "ingress", "*", "cidr_blocks")), tfStrings(iac.Get(v, "ingress", "*", "ipv6_cidr_blocks"))...) {
		open = open || c == "0.0.0.0/0" || c == "::/0"
	}
	p["allowsAllIngress"] = open
	p["defaultGroup"] = res.typ == "aws_default_security_group"
}

// loadBalancerAttrs maps application and network load balancers:
// exposure, HTTPS-only or TLS listeners, TLS policy, deletion
// protection, access logs and header checks.
func loadBalancerAttrs(r *tfReader, ix *tfIndex, ir *iac.Resource, res *tfRes, p iac.Props) {
	v := res.values
	p["internetFacing"] = !boolOf(attr(res, "internal"))
	ir.Internal = boolOf(attr(res, "internal"))
	https, tls := len(ix.listeners[res.key]) > 0, false
	for _, l := range ix.listeners[res.key] {
		redirect := false
		for _, a := range iac.Get(l.values, "default_action", "*") {
			redirect = redirect || (iac.Str(iac.Get1(a, "type")) == "redirect" && strings.EqualFold(iac.Str(iac.Get1(a, "redirect", "*", "protocol")), "HTTPS"))
		}
		if iac.TLSHTTPS(iac.Str(attr(l, "protocol"))) {
			tls = true
			p.StrIf("tlsPolicy", attr(l, "ssl_policy"))
		} else if !redirect {
			https = false
		}
	}
	if r.lbKind[res.key] == "network" {
		p["tlsListeners"] = tls
	} else {
		p["httpsOnly"] = https
	}
	r.tfBool(p, res, "deletionProtection", []string{"enable_deletion_protection"}, false)
	p["logging"] = boolOf(iac.Get1(v, "access_logs", "*", "enabled"))
	r.tfBool(p, res, "dropInvalidHeaders", []string{"drop_invalid_header_fields"}, false)
}

// classicLoadBalancerAttrs maps classic load balancers: exposure,
// HTTPS-only listeners and access logs.
func classicLoadBalancerAttrs(r *tfReader, ix *tfIndex, ir *iac.Resource, res *tfRes, p iac.Props) {
	v := res.values
	p["internetFacing"] = !boolOf(attr(res, "internal"))
	ir.Internal = boolOf(attr(res, "internal"))
	https := true
	for _, l := range iac.Get(v, "listener", "*") {
		https = https && iac.TLSHTTPS(iac.Str(iac.Get1(l, "lb_protocol")))
	}
	p["httpsOnly"] = https
	p["logging"] = boolOf(iac.Get1(v, "access_logs", "*", "enabled"))
}

// tableAttrs maps DynamoDB tables: point-in-time recovery, KMS
// encryption and deletion protection.
func tableAttrs(r *tfReader, ix *tfIndex, ir *iac.Resource, res *tfRes, p iac.Props) {
	r.tfBool(p, res, "pointInTimeRecovery", []string{"point_in_time_recovery", "*", "enabled"}, false)
	r.tfBool(p, res, "kmsEncrypted", []string{"server_side_encryption", "*", "enabled"}, false)
	r.tfBool(p, res, "deletionProtection", []string{"deletion_protection_enabled"}, false)
}

// volumeAttrs maps EBS volumes and EFS file systems: encryption.
func volumeAttrs(r *tfReader, ix *tfIndex, ir *iac.Resource, res *tfRes, p iac.Props) {
	r.tfBool(p, res, "encrypted", []string{"encrypted"}, false)
}

// replicationGroupAttrs maps ElastiCache replication groups: encryption
// in transit and at rest, zones and engine.
func replicationGroupAttrs(r *tfReader, ix *tfIndex, ir *iac.Resource, res *tfRes, p iac.Props) {
	r.tfBool(p, res, "transitEncryption", []string{"transit_encryption_enabled"}, false)
	r.tfBool(p, res, "atRestEncryption", []string{"at_rest_encryption_enabled"}, false)
	r.tfBool(p, res, "multiAZ", []string{"multi_az_enabled"}, false)
	p.StrIf("engine", strings.ToLower(iac.Str(attr(res, "engine"))))
}

// cacheClusterAttrs maps ElastiCache clusters: encryption in transit and
// engine.
func cacheClusterAttrs(r *tfReader, ix *tfIndex, ir *iac.Resource, res *tfRes, p iac.Props) {
	r.tfBool(p, res, "transitEncryption", []string{"transit_encryption_enabled"}, false)
	p.StrIf("engine", strings.ToLower(iac.Str(attr(res, "engine"))))
}

// queueAttrs maps SQS queues: encryption and a dead-letter queue.
func queueAttrs(r *tfReader, ix *tfIndex, ir *iac.Resource, res *tfRes, p iac.Props) {
	p["encrypted"] = attr(res, "kms_master_key_id") != nil || attr(res, "sqs_managed_sse_enabled") != false
	p["deadLetterQueue"] = iac.Str(attr(res, "redrive_policy")) != "" || unknownAt(res.unknown, []string{"redrive_policy"})
}

// warehouseAttrs maps Redshift clusters: public access and encryption.
func warehouseAttrs(r *tfReader, ix *tfIndex, ir *iac.Resource, res *tfRes, p iac.Props) {
	r.tfBool(p, res, "publiclyAccessible", []string{"publicly_accessible"}, false)
	r.tfBool(p, res, "encrypted", []string{"encrypted"}, false)
}

// kubernetesAttrs maps EKS clusters: public endpoint and secrets
// encryption.
func kubernetesAttrs(r *tfReader, ix *tfIndex, ir *iac.Resource, res *tfRes, p iac.Props) {
	v := res.values
	r.tfBool(p, res, "publicEndpoint", []string{"vpc_config", "*", "endpoint_public_access"}, true)
	p["secretsEncrypted"] = len(iac.Get(v, "encryption_config", "*")) > 0
}

// registryAttrs maps ECR repositories: immutable tags and scan on push.
func registryAttrs(r *tfReader, ix *tfIndex, ir *iac.Resource, res *tfRes, p iac.Props) {
	p["tagImmutable"] = iac.Str(attr(res, "image_tag_mutability")) == "IMMUTABLE"
	r.tfBool(p, res, "scanOnPush", []string{"image_scanning_configuration", "*", "scan_on_push"}, false)
}

// keyAttrs maps KMS keys: rotation.
func keyAttrs(r *tfReader, ix *tfIndex, ir *iac.Resource, res *tfRes, p iac.Props) {
	r.tfBool(p, res, "rotation", []string{"enable_key_rotation"}, false)
}

// secretAttrs maps Secrets Manager secrets: rotation.
func secretAttrs(r *tfReader, ix *tfIndex, ir *iac.Resource, res *tfRes, p iac.Props) {
	p["rotation"] = ix.rotated[res.key]
}

// functionAttrs maps Lambda functions: VPC, runtime and a public
// function URL.
func functionAttrs(r *tfReader, ix *tfIndex, ir *iac.Resource, res *tfRes, p iac.Props) {
	v := res.values
	p["inVpc"] = len(iac.Get(v, "vpc_config", "*", "subnet_ids", "*")) > 0 || len(iac.Get(res.exprs, "vpc_config", "*", "subnet_ids")) > 0
	p.StrIf("runtime", attr(res, "runtime"))
	p["publicUrl"] = ix.publicURL[res.key]
}

// restAPIAttrs maps API Gateway REST APIs: endpoint type and the weakest
// authorization of their methods.
func restAPIAttrs(r *tfReader, ix *tfIndex, ir *iac.Resource, res *tfRes, p iac.Props) {
	v := res.values
	for _, t := range tfStrings(iac.Get(v, "endpoint_configuration", "*", "types")) {
		if t == "EDGE" || t == "REGIONAL" || t == "PRIVATE" {
			p["endpointType"] = t
		}
	}
	if auth := ix.methodAuth[res.key]; len(auth) > 0 {
		p["authorization"] = iac.APIAuth(auth)
	}
}

// distributionAttrs maps CloudFront distributions: origin access
// control, TLS policy, logging, HTTPS-only viewers and WAF.
func distributionAttrs(r *tfReader, ix *tfIndex, ir *iac.Resource, res *tfRes, p iac.Props) {
	v := res.values
	oac := false
	for _, o := range iac.Get(v, "origin", "*") {
		oac = oac || iac.Str(iac.Get1(o, "origin_access_control_id")) != "" || iac.Str(iac.Get1(o, "s3_origin_config", "*", "origin_access_identity")) != ""
	}
	p["originAccessControl"] = oac
	p.StrIf("tlsPolicy", iac.Get1(v, "viewer_certificate", "*", "minimum_protocol_version"))
	p["logging"] = len(iac.Get(v, "logging_config", "*")) > 0
	https := true
	for _, b := range append(iac.Get(v, "default_cache_behavior", "*", "viewer_protocol_policy"), iac.Get(v, "ordered_cache_behavior", "*", "viewer_protocol_policy")...) {
		https = https && iac.Str(b) != "allow-all"
	}
	p["httpsOnly"] = https
	p["waf"] = iac.Str(attr(res, "web_acl_id")) != ""
}

// serviceAttrs maps ECS services: public IP addresses and launch type.
func serviceAttrs(r *tfReader, ix *tfIndex, ir *iac.Resource, res *tfRes, p iac.Props) {
	v := res.values
	if b, ok := iac.LitBool(iac.Get1(v, "network_configuration", "*", "assign_public_ip")); ok {
		p["assignsPublicIp"] = b
	}
	if s := iac.Str(attr(res, "launch_type")); s == "FARGATE" || s == "EC2" || s == "EXTERNAL" {
		p["launchType"] = s
	}
}

// autoScalingGroupAttrs maps Auto Scaling groups: zones, launch
// templates and public IP addresses (the launch configuration's, else
// the subnets' default).
func autoScalingGroupAttrs(r *tfReader, ix *tfIndex, ir *iac.Resource, res *tfRes, p iac.Props) {
	v := res.values
	p["multiAZ"] = len(r.quietAt(res, "vpc_zone_identifier")) > 1 || len(iac.Get(v, "availability_zones", "*")) > 1
	p["usesLaunchTemplate"] = len(iac.Get(v, "launch_template", "*")) > 0 || len(iac.Get(v, "mixed_instances_policy", "*")) > 0
	var public any
	for _, lc := range r.quietAt(res, "launch_configuration") {
		if l := r.byKey[lc]; l != nil {
			public = attr(l, "associate_public_ip_address")
		}
	}
	if public == nil {
		for _, sn := range r.quietAt(res, "vpc_zone_identifier") {
			public = public == true || boolOf(attr(r.byKey[sn], "map_public_ip_on_launch"))
		}
	}
	p.BoolOr("assignsPublicIp", public, false)
}

// launchConfigurationAttrs maps launch configurations: public IP
// addresses.
func launchConfigurationAttrs(r *tfReader, ix *tfIndex, ir *iac.Resource, res *tfRes, p iac.Props) {
	if b, ok := iac.LitBool(attr(res, "associate_public_ip_address")); ok {
		p["assignsPublicIp"] = b
	}
}

// trailAttrs maps CloudTrail trails: logging, log file validation and
// KMS encryption.
func trailAttrs(r *tfReader, ix *tfIndex, ir *iac.Resource, res *tfRes, p iac.Props) {
	r.tfBool(p, res, "logging", []string{"enable_logging"}, true)
	r.tfBool(p, res, "logFileValidation", []string{"enable_log_file_validation"}, false)
	p["kmsEncrypted"] = attr(res, "kms_key_id") != nil || unknownAt(res.unknown, []string{"kms_key_id"}) && len(iac.Get(res.exprs, "kms_key_id")) > 0
}

// searchDomainAttrs maps OpenSearch and Elasticsearch domains: VPC and
// encryption at rest.
func searchDomainAttrs(r *tfReader, ix *tfIndex, ir *iac.Resource, res *tfRes, p iac.Props) {
	v := res.values
	p["inVpc"] = len(iac.Get(v, "vpc_options", "*")) > 0
	r.tfBool(p, res, "encrypted", []string{"encrypt_at_rest", "*", "enabled"}, false)
}

// hostedZoneAttrs maps Route 53 hosted zones: public or private.
func hostedZoneAttrs(r *tfReader, ix *tfIndex, ir *iac.Resource, res *tfRes, p iac.Props) {
	v := res.values
	p["publicZone"] = len(iac.Get(v, "vpc", "*")) == 0
}

// endpointAttrs maps VPC endpoints: type and a restrictive policy.
func endpointAttrs(r *tfReader, ix *tfIndex, ir *iac.Resource, res *tfRes, p iac.Props) {
	p["endpointType"] = convert.OrDefault(iac.Str(attr(res, "vpc_endpoint_type")), "Gateway")
	var doc any
	p["restrictivePolicy"] = json.Unmarshal([]byte(iac.Str(attr(res, "policy"))), &doc) == nil && !iac.PublicPolicy(doc)
}

// userPoolAttrs maps Cognito user pools: MFA.
func userPoolAttrs(r *tfReader, ix *tfIndex, ir *iac.Resource, res *tfRes, p iac.Props) {
	if s := convert.OrDefault(iac.Str(attr(res, "mfa_configuration")), "OFF"); s == "OFF" || s == "ON" || s == "OPTIONAL" {
		p["mfa"] = s
	}
}

// tfAttributes maps each resource type to the mapper of its attributes.
var tfAttributes = map[string]tfMapper{
	"aws_db_instance":                   databaseAttrs,
	"aws_rds_cluster":                   databaseAttrs,
	"aws_s3_bucket":                     bucketAttrs,
	"aws_instance":                      instanceAttrs,
	"aws_subnet":                        subnetAttrs,
	"aws_vpc":                           vpcAttrs,
	"aws_security_group":                securityGroupAttrs,
	"aws_default_security_group":        securityGroupAttrs,
	"aws_lb":                            loadBalancerAttrs,
	"aws_alb":                           loadBalancerAttrs,
	"aws_elb":                           classicLoadBalancerAttrs,
	"aws_dynamodb_table":                tableAttrs,
	"aws_ebs_volume":                    volumeAttrs,
	"aws_efs_file_system":               volumeAttrs,
	"aws_elasticache_replication_group": replicationGroupAttrs,
	"aws_elasticache_cluster":           cacheClusterAttrs,
	"aws_sqs_queue":                     queueAttrs,
	"aws_redshift_cluster":              warehouseAttrs,
	"aws_eks_cluster":                   kubernetesAttrs,
	"aws_ecr_repository":                registryAttrs,
	"aws_kms_key":                       keyAttrs,
	"aws_secretsmanager_secret":         secretAttrs,
	"aws_lambda_function":               functionAttrs,
	"aws_api_gateway_rest_api":          restAPIAttrs,
	"aws_cloudfront_distribution":       distributionAttrs,
	"aws_ecs_service":                   serviceAttrs,
	"aws_autoscaling_group":             autoScalingGroupAttrs,
	"aws_launch_configuration":          launchConfigurationAttrs,
	"aws_cloudtrail":                    trailAttrs,
	"aws_opensearch_domain":             searchDomainAttrs,
	"aws_elasticsearch_domain":          searchDomainAttrs,
	"aws_route53_zone":                  hostedZoneAttrs,
	"aws_vpc_endpoint":                  endpointAttrs,
	"aws_cognito_user_pool":             userPoolAttrs,
}
