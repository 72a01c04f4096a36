package terraform

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/iac"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// read turns every resource into a resource of the graph (but for those
// only read for relationships), with its placement, security groups and
// the flows its references make, then sets the resources' attributes.
func (r *tfReader) read() {
	var tgs []tfTargetGroup
	for _, res := range r.res {
		if tg, ok := r.references(res); ok {
			tgs = append(tgs, tg)
		}
		if tfConsumed[res.typ] {
			r.g.Skip(res.typ)
			continue
		}
		ir := r.resource(res)
		r.ownReferences(res)
		r.g.Resources = append(r.g.Resources, ir)
	}
	for _, t := range tgs {
		r.tgFlows(t.res, t.proto, t.port)
	}
	r.attributes()
	r.pruneGroups()
}

// tfTargetGroup is a load balancer target group, whose flows are drawn once
// every resource is read.
type tfTargetGroup struct {
	res   *tfRes
	proto string
	port  int
}

// references reads the relationships that resources of the types only
// read for relationships (and a few others) make: ingress rules,
// listeners, target group attachments, event sources, permissions,
// subscriptions, notifications and integrations. A target group is
// returned for tgFlows.
func (r *tfReader) references(res *tfRes) (tfTargetGroup, bool) {
	switch res.typ {
	case "aws_security_group_rule":
		if iac.Str(attr(res, "type")) == "ingress" {
			r.ruleIngress(res, r.refsAt(res, "security_group_id"))
		}
	case "aws_vpc_security_group_ingress_rule":
		r.vpcIngress(res)
	case "aws_lb_listener", "aws_alb_listener":
		r.listener(res)
	case "aws_lb_listener_rule", "aws_alb_listener_rule":
		r.listenerRule(res)
	case "aws_lb_target_group", "aws_alb_target_group":
		port := iac.Num(attr(res, "port"))
		proto := catalog.ListenerProtocol(iac.Str(attr(res, "protocol")), port)
		if iac.Str(attr(res, "target_type")) == "lambda" {
			proto = "AWS-API"
		}
		return tfTargetGroup{res, proto, port}, true
	case "aws_lb_target_group_attachment", "aws_alb_target_group_attachment":
		for _, t := range r.refsAt(res, "target_group_arn") {
			for _, target := range r.refsAt(res, "target_id") {
				r.g.Links = append(r.g.Links, iac.Link{From: "tg:" + t, To: target, Port: iac.Num(attr(res, "port")), Reason: res.addr + " (target_id)"})
			}
		}
	case "aws_autoscaling_attachment":
		for _, t := range append(r.refsAt(res, "lb_target_group_arn"), r.refsAt(res, "alb_target_group_arn")...) {
			for _, asg := range r.refsAt(res, "autoscaling_group_name") {
				r.g.Links = append(r.g.Links, iac.Link{From: "tg:" + t, To: asg, Reason: res.addr + " (autoscaling_group_name)"})
			}
		}
	case "aws_lambda_event_source_mapping":
		r.link(r.refsAt(res, "event_source_arn"), r.refsAt(res, "function_name"), "event source", res.addr+" (event_source_arn → function_name)")
	case "aws_lambda_permission":
		if r.present(res, []string{"source_arn"}) {
			r.link(r.quietAt(res, "source_arn"), r.refsAt(res, "function_name"), "invoke", res.addr+" (source_arn may invoke function_name)")
		}
	case "aws_sns_topic_subscription":
		r.link(r.refsAt(res, "topic_arn"), r.quietAt(res, "endpoint"), "subscription", res.addr+" (topic_arn → endpoint)")
	case "aws_s3_bucket_notification":
		bucket := r.refsAt(res, "bucket")
		for _, p := range [][]string{{"lambda_function", "*", "lambda_function_arn"}, {"queue", "*", "queue_arn"}, {"topic", "*", "topic_arn"}} {
			r.link(bucket, r.refsAt(res, p...), "notification", res.addr+" ("+p[0]+")")
		}
	case "aws_cloudwatch_event_target":
		r.link(r.refsAt(res, "rule"), r.quietAt(res, "arn"), "event", res.addr+" (rule → arn)")
	case "aws_api_gateway_integration":
		r.link(r.refsAt(res, "rest_api_id"), r.quietAt(res, "uri"), "integration", res.addr+" (uri)")
	case "aws_apigatewayv2_integration":
		r.link(r.refsAt(res, "api_id"), r.quietAt(res, "integration_uri"), "integration", res.addr+" (integration_uri)")
	}
	return tfTargetGroup{}, false
}

// resource is the graph resource of res: its module group, its place (the
// subnet, else the subnet of its subnet group, else the VPC) and its
// security groups.
func (r *tfReader) resource(res *tfRes) *iac.Resource {
	ir := &iac.Resource{Key: res.key, Name: res.local, AWSType: tfTypes[res.typ], Source: res.typ, Group: tfModuleKey(res.module), Props: map[string]any{}}
	if res.module != "" {
		ir.Props[ModuleProperty] = res.module
	}
	for _, p := range tfSubnetPaths {
		if ir.Place == "" {
			if ks := r.refsAt(res, p...); len(ks) > 0 {
				ir.Place = ks[0]
			}
		}
	}
	for _, arg := range iac.SortedKeys(tfSubnetGroups) {
		if ir.Place != "" {
			break
		}
		for _, k := range r.refsAt(res, arg) {
			if sg := r.byKey[k]; sg != nil && sg.typ == tfSubnetGroups[arg] {
				if ks := r.refsAt(sg, "subnet_ids"); len(ks) > 0 {
					ir.Place = ks[0]
				}
			}
		}
	}
	if ir.Place == "" {
		if ks := r.refsAt(res, "vpc_id"); len(ks) > 0 {
			ir.Place = ks[0]
		}
	}
	for _, p := range tfSGPaths {
		ir.SGs = append(ir.SGs, r.refsAt(res, p...)...)
	}
	return ir
}

// ownReferences reads the relationships a drawn resource makes itself:
// inline ingress rules, load balancer kinds, target groups of services and
// groups, CloudFront origins, classic load balancers' instances and
// functions' targets.
func (r *tfReader) ownReferences(res *tfRes) {
	key := res.key
	switch res.typ {
	case "aws_security_group", "aws_default_security_group":
		r.inlineIngress(res)
	case "aws_lb", "aws_alb":
		r.lbKind[key] = convert.OrDefault(iac.Str(attr(res, "load_balancer_type")), "application")
	case "aws_ecs_service":
		vals, _ := res.values["load_balancer"].([]any)
		exprs, _ := res.exprs["load_balancer"].([]any)
		n := max(len(vals), len(exprs))
		for i := range n {
			v, e := elem(vals, i), elem(exprs, i)
			for _, t := range r.refsOf(res, iac.Get(v, "target_group_arn"), iac.Get(e, "target_group_arn"), unknownAt(res.unknown, []string{"load_balancer"}), r.at(res, []string{"load_balancer", "target_group_arn"})) {
				r.g.Links = append(r.g.Links, iac.Link{From: "tg:" + t, To: key, Port: iac.Num(blockAttr(v, e, "container_port")), Reason: res.addr + " (load_balancer target_group_arn)"})
			}
		}
	case "aws_autoscaling_group":
		for _, t := range r.refsAt(res, "target_group_arns") {
			r.g.Links = append(r.g.Links, iac.Link{From: "tg:" + t, To: key, Reason: res.addr + " (target_group_arns)"})
		}
	case "aws_cloudfront_distribution":
		for _, o := range r.quietAt(res, "origin", "*", "domain_name") {
			r.g.Links = append(r.g.Links, iac.Link{From: key, To: o, Protocol: "HTTPS", Port: 443, Label: "origin", Reason: res.addr + " (origin domain_name)"})
		}
	case "aws_elb":
		r.classicELB(res)
	case "aws_lambda_function":
		r.function(res)
	}
}

// pruneGroups drops the groups of modules none of whose resources end up
// drawn inside them (a module's instances placed in the subnets of another
// module, for instance); those resources keep their module address in
// ModuleProperty.
func (r *tfReader) pruneGroups() {
	parent := map[string]string{}
	for _, g := range r.g.Groups {
		parent[g.Key] = g.Parent
	}
	used := map[string]bool{}
	for _, ir := range r.g.Resources {
		if p := r.byKey[ir.Place]; p != nil && (p.typ == "aws_vpc" || p.typ == "aws_subnet") {
			continue
		}
		for g, n := ir.Group, 0; g != "" && !used[g] && n <= model.MaxNesting+10; g, n = parent[g], n+1 {
			used[g] = true
		}
	}
	kept := r.g.Groups[:0]
	for _, g := range r.g.Groups {
		if used[g.Key] {
			kept = append(kept, g)
		}
	}
	r.g.Groups = kept
}

func elem(list []any, i int) map[string]any {
	if i < len(list) {
		m, _ := list[i].(map[string]any)
		return m
	}
	return nil
}

// link adds an AWS API flow from every resource of from to every resource
// of to.
func (r *tfReader) link(from, to []string, label, reason string) {
	for _, a := range from {
		for _, b := range to {
			r.g.Links = append(r.g.Links, iac.Link{From: a, To: b, Protocol: "AWS-API", Port: 443, Label: label, Reason: reason})
		}
	}
}

// tgFlows turns the links into and out of target group res into load
// balancer → target flows.
func (r *tfReader) tgFlows(res *tfRes, proto string, port int) {
	tg := "tg:" + res.key
	var lbs []iac.Link
	for _, l := range r.g.Links {
		if l.To == tg {
			lbs = append(lbs, l)
		}
	}
	n := len(r.g.Links)
	for i := range n {
		l := r.g.Links[i]
		if l.From != tg {
			continue
		}
		p := port
		if l.Port != 0 {
			p = l.Port
		}
		for _, lb := range lbs {
			r.g.Links = append(r.g.Links, iac.Link{From: lb.From, To: l.To, Protocol: proto, Port: p, Label: "target group " + res.local,
				Reason: lb.Reason + " → " + res.addr + " → " + l.Reason})
		}
	}
}

// listener links a load balancer to the target groups it forwards to, and
// the internet to an internet-facing load balancer.
func (r *tfReader) listener(res *tfRes) {
	lbs := r.refsAt(res, "load_balancer_arn")
	port := iac.Num(attr(res, "port"))
	proto := catalog.ListenerProtocol(iac.Str(attr(res, "protocol")), port)
	tgs := append(r.refsAt(res, "default_action", "*", "target_group_arn"), r.refsAt(res, "default_action", "*", "forward", "*", "target_group", "*", "arn")...)
	for _, lb := range lbs {
		if l := r.byKey[lb]; l != nil && !boolOf(attr(l, "internal")) {
			r.g.Links = append(r.g.Links, iac.Link{From: iac.InternetKey, To: lb, Protocol: proto, Port: port, Label: "listener", Reason: res.addr + " (the load balancer is not internal)"})
		}
		for _, t := range tgs {
			r.g.Links = append(r.g.Links, iac.Link{From: lb, To: "tg:" + t, Reason: res.addr + " (default_action)"})
		}
	}
}

// listenerRule links the load balancer of the rule's listener to the target
// groups the rule forwards to.
func (r *tfReader) listenerRule(res *tfRes) {
	tgs := append(r.refsAt(res, "action", "*", "target_group_arn"), r.refsAt(res, "action", "*", "forward", "*", "target_group", "*", "arn")...)
	for _, lk := range r.refsAt(res, "listener_arn") {
		l := r.byKey[lk]
		if l == nil {
			continue
		}
		for _, lb := range r.refsAt(l, "load_balancer_arn") {
			for _, t := range tgs {
				r.g.Links = append(r.g.Links, iac.Link{From: lb, To: "tg:" + t, Reason: res.addr + " (action)"})
			}
		}
	}
}

// inlineIngress reads the ingress blocks of a security group. Ingress is a
// set, so the planned rules are matched to the configuration's blocks by
// port and protocol rather than by position.
func (r *tfReader) inlineIngress(res *tfRes) {
	vals, _ := res.values["ingress"].([]any)
	exprs, _ := res.exprs["ingress"].([]any)
	used := make([]bool, len(exprs))
	match := func(v map[string]any, i int) map[string]any {
		for j := range exprs {
			e := elem(exprs, j)
			if !used[j] && iac.Num(blockAttr(nil, e, "from_port")) == iac.Num(v["from_port"]) && iac.Str(blockAttr(nil, e, "protocol")) == iac.Str(v["protocol"]) {
				used[j] = true
				return e
			}
		}
		if i < len(exprs) && !used[i] {
			used[i] = true
			return elem(exprs, i)
		}
		return nil
	}
	type rule struct{ v, e map[string]any }
	var rules []rule
	for i := range vals {
		v := elem(vals, i)
		rules = append(rules, rule{v, match(v, i)})
	}
	if len(vals) == 0 {
		for i := range exprs {
			rules = append(rules, rule{nil, elem(exprs, i)})
		}
	}
	for i, rl := range rules {
		at := fmt.Sprintf("%s: %s ingress[%d]", r.file, res.addr, i)
		base := iac.Ingress{SG: res.key, IPProtocol: iac.Str(blockAttr(rl.v, rl.e, "protocol")), Port: max(iac.Num(blockAttr(rl.v, rl.e, "from_port")), 0)}
		drawn := false
		for _, c := range append(tfStrings(iac.Get(blockAttr(rl.v, rl.e, "cidr_blocks"))), tfStrings(iac.Get(blockAttr(rl.v, rl.e, "ipv6_cidr_blocks")))...) {
			in := base
			in.CIDR = c
			r.g.Ingress = append(r.g.Ingress, in)
			drawn = true
		}
		if boolOf(blockAttr(rl.v, rl.e, "self")) {
			in := base
			in.FromSG = res.key
			r.g.Ingress = append(r.g.Ingress, in)
			drawn = true
		}
		if rl.v["security_groups"] != nil || rl.e["security_groups"] != nil {
			for _, sg := range r.refsOf(res, iac.Get(rl.v, "security_groups"), iac.Get(rl.e, "security_groups"), unknownAt(res.unknown, []string{"ingress"}), at+" security_groups") {
				in := base
				in.FromSG = sg
				r.g.Ingress = append(r.g.Ingress, in)
			}
			drawn = true
		}
		if !drawn {
			r.w.Add("%s: an ingress rule without a source security group or CIDR; not drawn", at)
		}
	}
}

// ruleIngress reads an aws_security_group_rule of type ingress.
func (r *tfReader) ruleIngress(res *tfRes, sgs []string) {
	base := iac.Ingress{IPProtocol: iac.Str(attr(res, "protocol")), Port: max(iac.Num(attr(res, "from_port")), 0)}
	for _, sg := range sgs {
		in := base
		in.SG = sg
		switch {
		case boolOf(attr(res, "self")):
			in.FromSG = sg
			r.g.Ingress = append(r.g.Ingress, in)
		case r.present(res, []string{"source_security_group_id"}):
			for _, from := range r.refsAt(res, "source_security_group_id") {
				in.FromSG = from
				r.g.Ingress = append(r.g.Ingress, in)
			}
		default:
			cidrs := append(tfStrings(iac.Get(attr(res, "cidr_blocks"))), tfStrings(iac.Get(attr(res, "ipv6_cidr_blocks")))...)
			if len(cidrs) == 0 {
				r.w.Add("%s: %s: an ingress rule without a source security group or known CIDR; not drawn", r.file, res.addr)
			}
			for _, c := range cidrs {
				in.CIDR = c
				r.g.Ingress = append(r.g.Ingress, in)
			}
		}
	}
}

// vpcIngress reads an aws_vpc_security_group_ingress_rule.
func (r *tfReader) vpcIngress(res *tfRes) {
	base := iac.Ingress{IPProtocol: iac.Str(attr(res, "ip_protocol")), Port: max(iac.Num(attr(res, "from_port")), 0)}
	for _, sg := range r.refsAt(res, "security_group_id") {
		in := base
		in.SG = sg
		switch {
		case r.present(res, []string{"referenced_security_group_id"}):
			for _, from := range r.refsAt(res, "referenced_security_group_id") {
				in.FromSG = from
				r.g.Ingress = append(r.g.Ingress, in)
			}
		case iac.Str(attr(res, "cidr_ipv4")) != "" || iac.Str(attr(res, "cidr_ipv6")) != "":
			in.CIDR = convert.OrDefault(iac.Str(attr(res, "cidr_ipv4")), iac.Str(attr(res, "cidr_ipv6")))
			r.g.Ingress = append(r.g.Ingress, in)
		default:
			r.w.Add("%s: %s: an ingress rule without a source security group or known CIDR; not drawn", r.file, res.addr)
		}
	}
}

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
// calls as data (see iac.DataTypes).
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
			r.g.Links = append(r.g.Links, iac.Link{From: iac.InternetKey, To: res.key, Protocol: catalog.ListenerProtocol(iac.Str(blockAttr(v, e, "lb_protocol")), port), Port: port, Label: "listener",
				Reason: res.addr + " (listener; the load balancer is not internal)"})
		}
		iport := iac.Num(blockAttr(v, e, "instance_port"))
		for _, in := range iac.Dedupe(instances) {
			r.g.Links = append(r.g.Links, iac.Link{From: res.key, To: in, Protocol: catalog.ListenerProtocol(iac.Str(blockAttr(v, e, "instance_protocol")), iport), Port: iport, Label: "listener",
				Reason: reasons[in]})
		}
	}
}
