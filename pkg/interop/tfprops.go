package interop

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/iac"
)

// This file reads the security-relevant attributes of Terraform resources
// into catalog properties (see iacprops.go), and the flows that come from
// a Lambda function's environment and role, and from classic load
// balancers.

// mapValues returns vals with every map replaced by its values, in key
// order.
func mapValues(vals []any) []any {
	var out []any
	for _, v := range vals {
		if m, ok := v.(map[string]any); ok {
			for _, k := range iac.SortedKeys(m) {
				out = append(out, m[k])
			}
			continue
		}
		out = append(out, v)
	}
	return out
}

// tfDataType reports whether a Terraform resource type is one a function
// calls as data (see cfnDataTypes).
func tfDataType(typ string) bool { return iac.DataTypes[tfTypes[typ]] }

// function draws a Lambda function's flows to the data resources its
// environment variables and its role's policies name.
func (r *tfReader) function(res *tfRes) {
	self := []string{res.key}
	data := func(keys []string) []string {
		var out []string
		for _, k := range keys {
			if t := r.byKey[k]; t != nil && k != res.key && tfDataType(t.typ) {
				out = append(out, k)
			}
		}
		return out
	}
	r.link(self, data(r.quietAt(res, "environment", "*", "variables")), "", res.addr+" (environment variables)")
	for _, role := range r.quietAt(res, "role") {
		for _, pk := range r.res {
			var targets []string
			var why string
			switch pk.typ {
			case "aws_iam_role_policy":
				if slices.Contains(r.quietAt(pk, "role"), role) {
					targets, why = r.policyTargets(pk, "policy"), fmt.Sprintf("%s (role %s, policy %s)", res.addr, r.byKey[role].addr, pk.addr)
				}
			case "aws_iam_role_policy_attachment":
				if slices.Contains(r.quietAt(pk, "role"), role) {
					for _, pol := range r.quietAt(pk, "policy_arn") {
						if p := r.byKey[pol]; p != nil {
							targets, why = append(targets, r.policyTargets(p, "policy")...), fmt.Sprintf("%s (role %s, policy %s)", res.addr, r.byKey[role].addr, p.addr)
						}
					}
				}
			case "aws_iam_role":
				if pk.key == role {
					targets, why = r.policyTargets(pk, "inline_policy", "*", "policy"), fmt.Sprintf("%s (role %s, inline_policy)", res.addr, pk.addr)
				}
			}
			r.link(self, data(targets), "", why)
		}
	}
}

// policyTargets returns the resources a policy argument names: through
// the references of its expression (jsonencode of references, or an
// aws_iam_policy_document data source's statements), or the ARNs of its
// known JSON.
func (r *tfReader) policyTargets(res *tfRes, p ...string) []string {
	keys := r.quietAt(res, p...)
	for _, e := range iac.Get(res.exprs, p...) {
		for _, ref := range tfStrings(iac.Get(e, "references")) {
			steps := tfSplit(ref)
			if len(steps) < 3 || steps[0].name != "data" || steps[1].name != "aws_iam_policy_document" {
				continue
			}
			doc := r.configOf(res.module, "data", "aws_iam_policy_document", steps[2].name)
			for _, se := range iac.Get(doc, "statement", "*", "resources") {
				em, _ := se.(map[string]any)
				ks, _ := r.resolveExpr(em, res.module, 0)
				keys = append(keys, ks...)
			}
		}
	}
	for _, v := range iac.Get(res.values, p...) {
		s, _ := v.(string)
		var doc any
		if json.Unmarshal([]byte(s), &doc) != nil {
			continue
		}
		for _, arn := range tfStrings(iac.Get(doc, "Statement", "*", "Resource")) {
			if k := r.byValue[strings.TrimSuffix(arn, "/*")]; k != "" {
				keys = append(keys, k)
			}
		}
	}
	return iac.Dedupe(keys)
}

// classicELB draws a classic load balancer's flows: from the internet to
// its listeners unless it is internal, and to its instances.
func (r *tfReader) classicELB(res *tfRes) {
	vals, _ := res.values["listener"].([]any)
	exprs, _ := res.exprs["listener"].([]any)
	instances := r.refsAt(res, "instances")
	reasons := map[string]string{}
	for _, in := range instances {
		reasons[in] = res.addr + " (instances)"
	}
	for _, at := range r.res {
		switch {
		case at.typ == "aws_elb_attachment" && slices.Contains(r.quietAt(at, "elb"), res.key):
			for _, in := range r.quietAt(at, "instance") {
				instances, reasons[in] = append(instances, in), at.addr+" (elb → instance)"
			}
		case at.typ == "aws_autoscaling_group" && slices.Contains(r.quietAt(at, "load_balancers"), res.key):
			instances, reasons[at.key] = append(instances, at.key), at.addr+" (load_balancers)"
		case at.typ == "aws_autoscaling_attachment" && slices.Contains(r.quietAt(at, "elb"), res.key):
			for _, asg := range r.quietAt(at, "autoscaling_group_name") {
				instances, reasons[asg] = append(instances, asg), at.addr+" (elb → autoscaling_group_name)"
			}
		}
	}
	for i := range max(len(vals), len(exprs)) {
		v, e := elem(vals, i), elem(exprs, i)
		port := iac.Num(blockAttr(v, e, "lb_port"))
		if !boolOf(attr(res, "internal")) {
			r.g.Links = append(r.g.Links, iac.Link{From: iac.InternetKey, To: res.key, Protocol: iac.ListenerProtocol(iac.Str(blockAttr(v, e, "lb_protocol")), port), Port: port, Label: "listener",
				Reason: res.addr + " (listener; the load balancer is not internal)"})
		}
		iport := iac.Num(blockAttr(v, e, "instance_port"))
		for _, in := range iac.Dedupe(instances) {
			r.g.Links = append(r.g.Links, iac.Link{From: res.key, To: in, Protocol: iac.ListenerProtocol(iac.Str(blockAttr(v, e, "instance_protocol")), iport), Port: iport, Label: "listener",
				Reason: reasons[in]})
		}
	}
}

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

// attributes sets the catalog properties of every drawn resource.
func (r *tfReader) attributes() {
	// What the attributes of one resource need from others.
	bucket := map[string]map[string]*tfRes{} // bucket → configuration resource type → resource
	flowLogs, igwTables, publicURL, rotated := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	tableOf := map[string][]string{}
	listeners := map[string][]*tfRes{}
	methodAuth := map[string][]string{}
	openSG := map[string]bool{}
	clusterInstances := map[string][]*tfRes{} // Aurora cluster → its instances
	for _, res := range r.res {
		switch res.typ {
		case "aws_rds_cluster_instance":
			for _, c := range r.quietAt(res, "cluster_identifier") {
				clusterInstances[c] = append(clusterInstances[c], res)
			}
		case "aws_s3_bucket_versioning", "aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_public_access_block",
			"aws_s3_bucket_acl", "aws_s3_bucket_logging", "aws_s3_bucket_policy", "aws_s3_bucket_website_configuration":
			for _, b := range r.quietAt(res, "bucket") {
				if bucket[b] == nil {
					bucket[b] = map[string]*tfRes{}
				}
				bucket[b][res.typ] = res
			}
		case "aws_flow_log":
			for _, k := range append(r.quietAt(res, "vpc_id"), r.quietAt(res, "subnet_id")...) {
				flowLogs[k] = true
			}
		case "aws_route":
			for _, gw := range r.quietAt(res, "gateway_id") {
				if g := r.byKey[gw]; g != nil && g.typ == "aws_internet_gateway" {
					for _, rt := range r.quietAt(res, "route_table_id") {
						igwTables[rt] = true
					}
				}
			}
		case "aws_route_table":
			for _, gw := range append(r.quietAt(res, "route", "*", "gateway_id"), r.quietAt(res, "route")...) {
				if g := r.byKey[gw]; g != nil && g.typ == "aws_internet_gateway" {
					igwTables[res.key] = true
				}
			}
		case "aws_route_table_association":
			for _, sn := range r.quietAt(res, "subnet_id") {
				tableOf[sn] = append(tableOf[sn], r.quietAt(res, "route_table_id")...)
			}
		case "aws_lb_listener", "aws_alb_listener":
			for _, lb := range r.quietAt(res, "load_balancer_arn") {
				listeners[lb] = append(listeners[lb], res)
			}
		case "aws_lambda_function_url":
			if iac.Str(attr(res, "authorization_type")) == "NONE" {
				for _, f := range r.quietAt(res, "function_name") {
					publicURL[f] = true
				}
			}
		case "aws_secretsmanager_secret_rotation":
			for _, s := range r.quietAt(res, "secret_id") {
				rotated[s] = true
			}
		case "aws_api_gateway_method":
			if iac.Str(attr(res, "http_method")) != "OPTIONS" {
				for _, api := range r.quietAt(res, "rest_api_id") {
					methodAuth[api] = append(methodAuth[api], convert.OrDefault(iac.Str(attr(res, "authorization")), "NONE"))
				}
			}
		case "aws_security_group_rule", "aws_vpc_security_group_ingress_rule":
			if res.typ == "aws_security_group_rule" && iac.Str(attr(res, "type")) != "ingress" {
				continue
			}
			for _, c := range append(tfStrings(iac.Get(attr(res, "cidr_blocks"))), iac.Str(attr(res, "cidr_ipv4")), iac.Str(attr(res, "cidr_ipv6"))) {
				if c == "0.0.0.0/0" || c == "::/0" {
					for _, sg := range r.quietAt(res, "security_group_id") {
						openSG[sg] = true
					}
				}
			}
		}
	}
	for _, ir := range r.g.Resources {
		res := r.byKey[ir.Key]
		if res == nil {
			continue
		}
		p := iac.Props{}
		v := res.values
		switch res.typ {
		case "aws_db_instance", "aws_rds_cluster":
			r.tfBool(p, res, "publiclyAccessible", []string{"publicly_accessible"}, false)
			if res.typ == "aws_rds_cluster" {
				// An Aurora cluster is public if one of its instances is, and
				// spans zones with more than one instance.
				public := false
				for _, in := range clusterInstances[res.key] {
					public = public || boolOf(attr(in, "publicly_accessible"))
				}
				p["publiclyAccessible"] = public
				p["multiAZ"] = len(clusterInstances[res.key]) > 1
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
		case "aws_s3_bucket":
			conf := bucket[res.key]
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
		case "aws_instance":
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
		case "aws_subnet":
			r.tfBool(p, res, "autoAssignPublicIp", []string{"map_public_ip_on_launch"}, false)
			public := false
			for _, rt := range tableOf[res.key] {
				public = public || igwTables[rt]
			}
			p["public"] = public
			p["flowLogs"] = flowLogs[res.key]
			p.StrIf("availabilityZone", attr(res, "availability_zone"))
		case "aws_vpc":
			p["flowLogs"] = flowLogs[res.key]
			p.StrIf("cidr", attr(res, "cidr_block"))
		case "aws_security_group", "aws_default_security_group":
			open := openSG[res.key]
			for _, c := range append(tfStrings(iac.Get(v, "ingress", "*", "cidr_blocks")), tfStrings(iac.Get(v, "ingress", "*", "ipv6_cidr_blocks"))...) {
				open = open || c == "0.0.0.0/0" || c == "::/0"
			}
			p["allowsAllIngress"] = open
			p["defaultGroup"] = res.typ == "aws_default_security_group"
		case "aws_lb", "aws_alb":
			p["internetFacing"] = !boolOf(attr(res, "internal"))
			ir.Internal = boolOf(attr(res, "internal"))
			https, tls := len(listeners[res.key]) > 0, false
			for _, l := range listeners[res.key] {
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
		case "aws_elb":
			p["internetFacing"] = !boolOf(attr(res, "internal"))
			ir.Internal = boolOf(attr(res, "internal"))
			https := true
			for _, l := range iac.Get(v, "listener", "*") {
				https = https && iac.TLSHTTPS(iac.Str(iac.Get1(l, "lb_protocol")))
			}
			p["httpsOnly"] = https
			p["logging"] = boolOf(iac.Get1(v, "access_logs", "*", "enabled"))
		case "aws_dynamodb_table":
			r.tfBool(p, res, "pointInTimeRecovery", []string{"point_in_time_recovery", "*", "enabled"}, false)
			r.tfBool(p, res, "kmsEncrypted", []string{"server_side_encryption", "*", "enabled"}, false)
			r.tfBool(p, res, "deletionProtection", []string{"deletion_protection_enabled"}, false)
		case "aws_ebs_volume", "aws_efs_file_system":
			r.tfBool(p, res, "encrypted", []string{"encrypted"}, false)
		case "aws_elasticache_replication_group":
			r.tfBool(p, res, "transitEncryption", []string{"transit_encryption_enabled"}, false)
			r.tfBool(p, res, "atRestEncryption", []string{"at_rest_encryption_enabled"}, false)
			r.tfBool(p, res, "multiAZ", []string{"multi_az_enabled"}, false)
			p.StrIf("engine", strings.ToLower(iac.Str(attr(res, "engine"))))
		case "aws_elasticache_cluster":
			r.tfBool(p, res, "transitEncryption", []string{"transit_encryption_enabled"}, false)
			p.StrIf("engine", strings.ToLower(iac.Str(attr(res, "engine"))))
		case "aws_sqs_queue":
			p["encrypted"] = attr(res, "kms_master_key_id") != nil || attr(res, "sqs_managed_sse_enabled") != false
			p["deadLetterQueue"] = iac.Str(attr(res, "redrive_policy")) != "" || unknownAt(res.unknown, []string{"redrive_policy"})
		case "aws_redshift_cluster":
			r.tfBool(p, res, "publiclyAccessible", []string{"publicly_accessible"}, false)
			r.tfBool(p, res, "encrypted", []string{"encrypted"}, false)
		case "aws_eks_cluster":
			r.tfBool(p, res, "publicEndpoint", []string{"vpc_config", "*", "endpoint_public_access"}, true)
			p["secretsEncrypted"] = len(iac.Get(v, "encryption_config", "*")) > 0
		case "aws_ecr_repository":
			p["tagImmutable"] = iac.Str(attr(res, "image_tag_mutability")) == "IMMUTABLE"
			r.tfBool(p, res, "scanOnPush", []string{"image_scanning_configuration", "*", "scan_on_push"}, false)
		case "aws_kms_key":
			r.tfBool(p, res, "rotation", []string{"enable_key_rotation"}, false)
		case "aws_secretsmanager_secret":
			p["rotation"] = rotated[res.key]
		case "aws_lambda_function":
			p["inVpc"] = len(iac.Get(v, "vpc_config", "*", "subnet_ids", "*")) > 0 || len(iac.Get(res.exprs, "vpc_config", "*", "subnet_ids")) > 0
			p.StrIf("runtime", attr(res, "runtime"))
			p["publicUrl"] = publicURL[res.key]
		case "aws_api_gateway_rest_api":
			for _, t := range tfStrings(iac.Get(v, "endpoint_configuration", "*", "types")) {
				if t == "EDGE" || t == "REGIONAL" || t == "PRIVATE" {
					p["endpointType"] = t
				}
			}
			if auth := methodAuth[res.key]; len(auth) > 0 {
				p["authorization"] = iac.APIAuth(auth)
			}
		case "aws_cloudfront_distribution":
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
		case "aws_ecs_service":
			if b, ok := iac.LitBool(iac.Get1(v, "network_configuration", "*", "assign_public_ip")); ok {
				p["assignsPublicIp"] = b
			}
			if s := iac.Str(attr(res, "launch_type")); s == "FARGATE" || s == "EC2" || s == "EXTERNAL" {
				p["launchType"] = s
			}
		case "aws_autoscaling_group":
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
		case "aws_launch_configuration":
			if b, ok := iac.LitBool(attr(res, "associate_public_ip_address")); ok {
				p["assignsPublicIp"] = b
			}
		case "aws_cloudtrail":
			r.tfBool(p, res, "logging", []string{"enable_logging"}, true)
			r.tfBool(p, res, "logFileValidation", []string{"enable_log_file_validation"}, false)
			p["kmsEncrypted"] = attr(res, "kms_key_id") != nil || unknownAt(res.unknown, []string{"kms_key_id"}) && len(iac.Get(res.exprs, "kms_key_id")) > 0
		case "aws_opensearch_domain", "aws_elasticsearch_domain":
			p["inVpc"] = len(iac.Get(v, "vpc_options", "*")) > 0
			r.tfBool(p, res, "encrypted", []string{"encrypt_at_rest", "*", "enabled"}, false)
		case "aws_route53_zone":
			p["publicZone"] = len(iac.Get(v, "vpc", "*")) == 0
		case "aws_vpc_endpoint":
			p["endpointType"] = convert.OrDefault(iac.Str(attr(res, "vpc_endpoint_type")), "Gateway")
			var doc any
			p["restrictivePolicy"] = json.Unmarshal([]byte(iac.Str(attr(res, "policy"))), &doc) == nil && !iac.PublicPolicy(doc)
		case "aws_cognito_user_pool":
			if s := convert.OrDefault(iac.Str(attr(res, "mfa_configuration")), "OFF"); s == "OFF" || s == "ON" || s == "OPTIONAL" {
				p["mfa"] = s
			}
		}
		for k, val := range p {
			ir.Props[k] = val
		}
	}
}
