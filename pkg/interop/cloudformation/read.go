package cloudformation

import (
	"fmt"
	"slices"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/iac"
)

// Relationship properties of CloudFormation resources.
var (
	cfnSubnetPaths = [][]string{{"SubnetId"}, {"SubnetIds", "*"}, {"Subnets", "*"}, {"VPCZoneIdentifier", "*"}, {"VpcConfig", "SubnetIds", "*"},
		{"NetworkInterfaces", "*", "SubnetId"}, {"NetworkConfiguration", "AwsvpcConfiguration", "Subnets", "*"}, {"SubnetMappings", "*", "SubnetId"},
		{"VpcOptions", "SubnetIds", "*"}, {"VPCOptions", "SubnetIds", "*"}}
	cfnVPCPaths = [][]string{{"VpcId"}, {"VPCId"}}
	cfnSGPaths  = [][]string{{"SecurityGroupIds", "*"}, {"SecurityGroups", "*"}, {"VpcSecurityGroupIds", "*"}, {"VpcConfig", "SecurityGroupIds", "*"},
		{"NetworkInterfaces", "*", "GroupSet", "*"}, {"NetworkConfiguration", "AwsvpcConfiguration", "SecurityGroups", "*"}, {"VPCSecurityGroups", "*"},
		{"VpcOptions", "SecurityGroupIds", "*"}}
	// cfnConsumed are read for relationships and not drawn.
	cfnConsumed = map[string]bool{
		"AWS::EC2::SecurityGroupIngress": true, "AWS::EC2::SecurityGroupEgress": true, "AWS::ElasticLoadBalancingV2::Listener": true,
		"AWS::ElasticLoadBalancingV2::ListenerRule": true, "AWS::ElasticLoadBalancingV2::TargetGroup": true, "AWS::ElasticLoadBalancingV2::ListenerCertificate": true,
		"AWS::Lambda::EventSourceMapping": true, "AWS::SNS::Subscription": true, "AWS::Lambda::Permission": true, "AWS::EC2::Route": true,
		"AWS::EC2::RouteTable": true, "AWS::EC2::SubnetRouteTableAssociation": true, "AWS::EC2::VPCGatewayAttachment": true, "AWS::EC2::EIP": true,
		"AWS::ApiGateway::Method": true, "AWS::ApiGateway::Resource": true, "AWS::ApiGateway::Deployment": true, "AWS::ApiGatewayV2::Integration": true,
		"AWS::IAM::InstanceProfile": true, "AWS::CDK::Metadata": true, "AWS::EC2::FlowLog": true, "AWS::S3::BucketPolicy": true,
		"AWS::RDS::DBSubnetGroup": true, "AWS::ElastiCache::SubnetGroup": true, "AWS::Lambda::Url": true,
	}
)

// read adds the resources of stack st to the graph.
func (r *cfnReader) read(st *cfnStack) {
	for _, lid := range st.t.order {
		res := st.t.resources[lid]
		typ := res["Type"].(string)
		props, _ := res["Properties"].(map[string]any)
		if st.nested[lid] != nil || cfnNestedURL(res) != "" {
			continue
		}
		key := st.prefix + lid
		r.byKey[key] = cfnRes{st: st, lid: lid, typ: typ, props: props}
		if cfnConsumed[typ] {
			r.g.Skip(typ)
			continue
		}
		at := fmt.Sprintf("%s: resource %s", st.t.file, lid)
		ir := &iac.Resource{Key: key, Name: lid, AWSType: typ, Group: st.group}
		if alias, ok := cfnSAM[typ]; ok {
			ir.AWSType, ir.Source = alias, typ
		}
		for _, p := range cfnSubnetPaths {
			if vals := iac.Get(props, p...); len(vals) > 0 && ir.Place == "" {
				if ks := r.refs(st, vals, fmt.Sprintf("%s %s", at, strings.Join(p, "/"))); len(ks) > 0 {
					ir.Place = ks[0]
				}
			}
		}
		for _, p := range []string{"DBSubnetGroupName", "CacheSubnetGroupName"} {
			if props[p] != nil && ir.Place == "" {
				for _, k := range r.refs(st, props[p], at+" "+p) {
					if sg, ok := r.lookup(k); ok {
						if ks := r.refs(sg.st, iac.Get(sg.props, "SubnetIds", "*"), at+" "+p+" SubnetIds"); len(ks) > 0 {
							ir.Place = ks[0]
						}
					}
				}
			}
		}
		if ir.Place == "" {
			for _, p := range cfnVPCPaths {
				if vals := iac.Get(props, p...); len(vals) > 0 && ir.Place == "" {
					ir.Place = r.ref(st, vals[0], at+" "+p[0])
				}
			}
		}
		for _, p := range cfnSGPaths {
			ir.SGs = append(ir.SGs, r.refs(st, iac.Get(props, p...), fmt.Sprintf("%s %s", at, strings.Join(p, "/")))...)
		}
		r.g.Resources = append(r.g.Resources, ir)
	}
}

// link adds a flow from every resource of from to every resource of to.
func (r *cfnReader) link(from, to []string, proto string, port int, label, reason string) {
	for _, a := range from {
		for _, b := range to {
			r.g.Links = append(r.g.Links, iac.Link{From: a, To: b, Protocol: proto, Port: port, Label: label, Reason: reason})
		}
	}
}

// relate reads the relationships of stack st's resources into links and
// ingress rules.
func (r *cfnReader) relate(st *cfnStack) {
	for _, lid := range st.t.order {
		res := st.t.resources[lid]
		typ, _ := res["Type"].(string)
		props, _ := res["Properties"].(map[string]any)
		if st.nested[lid] != nil || cfnNestedURL(res) != "" {
			continue
		}
		key := st.prefix + lid
		at := fmt.Sprintf("%s: resource %s", st.t.file, lid)
		why := func(what string) string { return fmt.Sprintf("%s %s (%s)", typ, lid, what) }
		self := []string{key}
		switch typ {
		case "AWS::EC2::SecurityGroupIngress":
			r.ingress(st, r.ref(st, props["GroupId"], at+" GroupId"), props, at, why("ingress rule"))
		case "AWS::EC2::SecurityGroup":
			for i, rule := range iac.Get(props, "SecurityGroupIngress", "*") {
				rm, _ := rule.(map[string]any)
				r.ingress(st, key, rm, fmt.Sprintf("%s SecurityGroupIngress/%d", at, i), why(fmt.Sprintf("SecurityGroupIngress %d", i)))
			}
		case "AWS::ElasticLoadBalancingV2::Listener":
			r.listener(st, lid, props, at)
		case "AWS::ElasticLoadBalancingV2::ListenerRule":
			r.listenerRule(st, lid, props, at)
		case "AWS::ElasticLoadBalancingV2::TargetGroup":
			port := iac.Num(props["Port"])
			proto := catalog.ListenerProtocol(iac.Str(props["Protocol"]), port)
			if iac.Str(props["TargetType"]) == "lambda" {
				proto = "AWS-API"
			}
			r.tgs = append(r.tgs, cfnTG{key: key, name: lid, proto: proto, port: port})
			for _, t := range r.refs(st, iac.Get(props, "Targets", "*", "Id"), at+" Targets") {
				r.g.Links = append(r.g.Links, iac.Link{From: "tg:" + key, To: t, Reason: why("Targets")})
			}
		case "AWS::ElasticLoadBalancing::LoadBalancer":
			internal := iac.Str(props["Scheme"]) == "internal"
			for _, l := range iac.Get(props, "Listeners", "*") {
				port := iac.Num(iac.Get1(l, "LoadBalancerPort"))
				if !internal {
					r.g.Links = append(r.g.Links, iac.Link{From: iac.InternetKey, To: key, Protocol: catalog.ListenerProtocol(iac.Str(iac.Get1(l, "Protocol")), port), Port: port, Label: "listener", Reason: why("Listeners; Scheme is not internal")})
				}
				iport := iac.Num(iac.Get1(l, "InstancePort"))
				r.link(self, r.refs(st, props["Instances"], at+" Instances"), catalog.ListenerProtocol(convert.OrDefault(iac.Str(iac.Get1(l, "InstanceProtocol")), iac.Str(iac.Get1(l, "Protocol"))), iport), iport, "listener", why("Instances"))
			}
		case "AWS::Lambda::EventSourceMapping":
			r.link(r.refs(st, props["EventSourceArn"], at+" EventSourceArn"), r.refs(st, props["FunctionName"], at+" FunctionName"), "AWS-API", 443, "event source", why("EventSourceArn → FunctionName"))
		case "AWS::SNS::Subscription":
			r.link(r.refs(st, props["TopicArn"], at+" TopicArn"), r.quiet(st, props["Endpoint"]), "AWS-API", 443, "subscription", why("TopicArn → Endpoint"))
		case "AWS::SNS::Topic":
			r.link(self, r.quiet(st, iac.Get(props, "Subscription", "*", "Endpoint")), "AWS-API", 443, "subscription", why("Subscription"))
		case "AWS::Lambda::Permission":
			if props["SourceArn"] != nil {
				r.link(r.quiet(st, props["SourceArn"]), r.refs(st, props["FunctionName"], at+" FunctionName"), "AWS-API", 443, "invoke", why("SourceArn may invoke FunctionName"))
			}
		case "AWS::ApiGateway::Method":
			for _, uri := range iac.Get(props, "Integration", "Uri") {
				r.link(r.refs(st, props["RestApiId"], at+" RestApiId"), r.quiet(st, uri), "AWS-API", 443, "integration", why("Integration Uri"))
			}
		case "AWS::ApiGateway::Authorizer", "AWS::ApiGatewayV2::Authorizer":
			r.link(r.refs(st, orAny(props["RestApiId"], props["ApiId"]), at+" RestApiId"), r.quiet(st, props["AuthorizerUri"]), "AWS-API", 443, "authorizer", why("AuthorizerUri"))
		case "AWS::ApiGatewayV2::Integration":
			r.link(r.refs(st, props["ApiId"], at+" ApiId"), r.quiet(st, props["IntegrationUri"]), "AWS-API", 443, "integration", why("IntegrationUri"))
		case "AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api", "AWS::Serverless::Api", "AWS::Serverless::HttpApi":
			for _, uri := range findKey(props["Body"], "x-amazon-apigateway-integration", 0) {
				r.link(self, r.quiet(st, iac.Get1(uri, "uri")), "AWS-API", 443, "integration", why("x-amazon-apigateway-integration in the OpenAPI Body"))
			}
			for _, uri := range findKey(iac.Get1(props, "DefinitionBody"), "x-amazon-apigateway-integration", 0) {
				r.link(self, r.quiet(st, iac.Get1(uri, "uri")), "AWS-API", 443, "integration", why("x-amazon-apigateway-integration in the OpenAPI DefinitionBody"))
			}
		case "AWS::Events::Rule":
			r.link(self, r.quiet(st, iac.Get(props, "Targets", "*", "Arn")), "AWS-API", 443, "event", why("Targets"))
		case "AWS::S3::Bucket":
			for _, p := range [][]string{{"LambdaConfigurations", "*", "Function"}, {"QueueConfigurations", "*", "Queue"}, {"TopicConfigurations", "*", "Topic"}} {
				r.link(self, r.quiet(st, iac.Get(props, append([]string{"NotificationConfiguration"}, p...)...)), "AWS-API", 443, "notification", why("NotificationConfiguration "+p[0]))
			}
		case "AWS::ECS::Service":
			for _, lb := range iac.Get(props, "LoadBalancers", "*") {
				if lm, _ := lb.(map[string]any); lm["TargetGroupArn"] != nil {
					for _, tg := range r.refs(st, lm["TargetGroupArn"], at+" LoadBalancers TargetGroupArn") {
						r.g.Links = append(r.g.Links, iac.Link{From: "tg:" + tg, To: key, Port: iac.Num(lm["ContainerPort"]), Reason: why("LoadBalancers TargetGroupArn")})
					}
				} else if lm["LoadBalancerName"] != nil {
					r.link(r.refs(st, lm["LoadBalancerName"], at+" LoadBalancers LoadBalancerName"), self, "HTTP", iac.Num(lm["ContainerPort"]), "load balancer", why("LoadBalancers LoadBalancerName"))
				}
			}
		case "AWS::AutoScaling::AutoScalingGroup":
			for _, tg := range r.refs(st, iac.Get(props, "TargetGroupARNs", "*"), at+" TargetGroupARNs") {
				r.g.Links = append(r.g.Links, iac.Link{From: "tg:" + tg, To: key, Reason: why("TargetGroupARNs")})
			}
			r.link(r.refs(st, iac.Get(props, "LoadBalancerNames", "*"), at+" LoadBalancerNames"), self, "HTTP", 0, "load balancer", why("LoadBalancerNames"))
		case "AWS::CloudFront::Distribution":
			for i, o := range iac.Get(props, "DistributionConfig", "Origins", "*") {
				proto, port := "HTTPS", 443
				if iac.Str(iac.Get1(o, "CustomOriginConfig", "OriginProtocolPolicy")) == "http-only" {
					proto, port = "HTTP", orInt(iac.Num(iac.Get1(o, "CustomOriginConfig", "HTTPPort")), 80)
				}
				r.link(self, r.quiet(st, iac.Get1(o, "DomainName")), proto, port, "origin", why(fmt.Sprintf("DistributionConfig Origins %d DomainName", i)))
			}
		case "AWS::Lambda::Function", "AWS::Serverless::Function":
			r.function(st, key, lid, typ, props, at)
		}
	}
}

func orInt(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

// findKey returns the values of every map entry named name inside v.
func findKey(v any, name string, depth int) []any {
	if depth > 30 {
		return nil
	}
	var out []any
	switch x := v.(type) {
	case map[string]any:
		for _, k := range iac.SortedKeys(x) {
			if k == name {
				out = append(out, x[k])
				continue
			}
			out = append(out, findKey(x[k], name, depth+1)...)
		}
	case []any:
		for _, e := range x {
			out = append(out, findKey(e, name, depth+1)...)
		}
	}
	return out
}

// function draws the flows of a Lambda function: to the data resources its
// environment variables and its role's (or SAM Policies') statements name,
// and from the event sources SAM Events name.
func (r *cfnReader) function(st *cfnStack, key, lid, typ string, props map[string]any, at string) {
	self := []string{key}
	data := func(keys []string) []string {
		var out []string
		for _, k := range keys {
			if k != key && iac.DataTypes[r.typeOf(k)] {
				out = append(out, k)
			}
		}
		return out
	}
	vars, _ := iac.Get1(props, "Environment", "Variables").(map[string]any)
	for _, name := range iac.SortedKeys(vars) {
		r.link(self, data(r.quiet(st, vars[name])), "AWS-API", 443, "", fmt.Sprintf("%s %s (environment variable %s)", typ, lid, name))
	}
	// The role's inline policies and the policies attached to it.
	for _, role := range r.quiet(st, props["Role"]) {
		rr, ok := r.lookup(role)
		if !ok || rr.typ != "AWS::IAM::Role" {
			continue
		}
		for i, stmt := range iac.Get(rr.props, "Policies", "*", "PolicyDocument", "Statement", "*") {
			if iac.Str(iac.Get1(stmt, "Effect")) == "Allow" {
				r.link(self, data(r.quiet(rr.st, iac.Get1(stmt, "Resource"))), "AWS-API", 443, "", fmt.Sprintf("%s %s (role %s, inline policy statement %d)", typ, lid, rr.lid, i))
			}
		}
		for _, pk := range iac.SortedKeys(r.byKey) {
			p := r.byKey[pk]
			if p.typ != "AWS::IAM::Policy" && p.typ != "AWS::IAM::ManagedPolicy" {
				continue
			}
			if !slices.Contains(r.quiet(p.st, iac.Get1(p.props, "Roles")), role) {
				continue
			}
			for i, stmt := range iac.Get(p.props, "PolicyDocument", "Statement", "*") {
				if iac.Str(iac.Get1(stmt, "Effect")) == "Allow" {
					r.link(self, data(r.quiet(p.st, iac.Get1(stmt, "Resource"))), "AWS-API", 443, "", fmt.Sprintf("%s %s (role %s, policy %s statement %d)", typ, lid, rr.lid, p.lid, i))
				}
			}
		}
	}
	if typ != "AWS::Serverless::Function" {
		return
	}
	// SAM: policy templates and statements, and event sources.
	pol := props["Policies"]
	if _, isList := pol.([]any); !isList && pol != nil {
		pol = []any{pol}
	}
	for i, p := range iac.Get(pol, "*") {
		pm, _ := p.(map[string]any)
		for _, name := range iac.SortedKeys(pm) {
			if name == "Statement" {
				for j, stmt := range iac.Get(pm[name], "*") {
					r.link(self, data(r.quiet(st, iac.Get1(stmt, "Resource"))), "AWS-API", 443, "", fmt.Sprintf("%s %s (Policies %d statement %d)", typ, lid, i, j))
				}
				continue
			}
			if args, ok := pm[name].(map[string]any); ok {
				var targets []string
				for _, a := range iac.SortedKeys(args) {
					targets = append(targets, r.quiet(st, args[a])...)
				}
				r.link(self, data(targets), "AWS-API", 443, "", fmt.Sprintf("%s %s (policy template %s)", typ, lid, name))
			}
		}
	}
	events, _ := props["Events"].(map[string]any)
	for _, name := range iac.SortedKeys(events) {
		ev := events[name]
		ep := iac.Get1(ev, "Properties")
		why := fmt.Sprintf("%s %s (event %s of type %s)", typ, lid, name, iac.Str(iac.Get1(ev, "Type")))
		var from []string
		switch iac.Str(iac.Get1(ev, "Type")) {
		case "Api":
			from = r.quiet(st, iac.Get1(ep, "RestApiId"))
			if iac.Get1(ep, "RestApiId") == nil {
				from = []string{r.implicitAPI(st, "ServerlessRestApi", "AWS::ApiGateway::RestApi")}
			}
		case "HttpApi":
			from = r.quiet(st, iac.Get1(ep, "ApiId"))
			if iac.Get1(ep, "ApiId") == nil {
				from = []string{r.implicitAPI(st, "ServerlessHttpApi", "AWS::ApiGatewayV2::Api")}
			}
		case "S3":
			from = r.quiet(st, iac.Get1(ep, "Bucket"))
		case "SQS", "Kinesis", "DynamoDB", "MSK", "MQ", "DocumentDB":
			from = r.quiet(st, orAny(iac.Get1(ep, "Queue"), iac.Get1(ep, "Stream"), iac.Get1(ep, "Broker"), iac.Get1(ep, "Cluster")))
		case "SNS":
			from = r.quiet(st, iac.Get1(ep, "Topic"))
		case "EventBridgeRule", "CloudWatchEvent":
			from = r.quiet(st, iac.Get1(ep, "EventBusName"))
		}
		r.link(from, self, "AWS-API", 443, "event source", why)
	}
}

func orAny(vals ...any) any {
	for _, v := range vals {
		if v != nil {
			return v
		}
	}
	return nil
}

// implicitAPI adds (once per stack) the API that AWS SAM creates for
// functions whose Api or HttpApi events name none.
func (r *cfnReader) implicitAPI(st *cfnStack, name, typ string) string {
	key := st.prefix + name
	if _, ok := r.byKey[key]; ok {
		return key
	}
	r.byKey[key] = cfnRes{st: st, lid: name, typ: typ}
	r.g.Resources = append(r.g.Resources, &iac.Resource{Key: key, Name: name, AWSType: typ, Group: st.group})
	r.w.Add("%s: AWS SAM creates the API %s for functions whose events name no API; it is drawn as a component", st.t.file, name)
	return key
}

// targetGroups turns the links into and out of every target group into
// load balancer → target flows.
func (r *cfnReader) targetGroups() {
	for _, tg := range r.tgs {
		var in []iac.Link
		for _, l := range r.g.Links {
			if l.To == "tg:"+tg.key {
				in = append(in, l)
			}
		}
		n := len(r.g.Links)
		for i := range n {
			l := r.g.Links[i]
			if l.From != "tg:"+tg.key {
				continue
			}
			p := tg.port
			if l.Port != 0 {
				p = l.Port
			}
			for _, lb := range in {
				r.g.Links = append(r.g.Links, iac.Link{From: lb.From, To: l.To, Protocol: tg.proto, Port: p, Label: "target group " + tg.name,
					Reason: lb.Reason + " → target group " + tg.name + " → " + l.Reason})
			}
		}
	}
}

func (r *cfnReader) ingress(st *cfnStack, sg string, rule map[string]any, at, reason string) {
	if sg == "" || rule == nil {
		return
	}
	in := iac.Ingress{SG: sg, IPProtocol: iac.Str(rule["IpProtocol"]), Port: iac.Num(rule["FromPort"]), Reason: reason}
	if in.Port < 0 {
		in.Port = 0
	}
	switch {
	case rule["SourceSecurityGroupId"] != nil:
		in.FromSG = r.ref(st, rule["SourceSecurityGroupId"], at+" SourceSecurityGroupId")
		if in.FromSG == "" {
			return
		}
	case iac.Str(rule["CidrIp"]) != "":
		in.CIDR = iac.Str(rule["CidrIp"])
	case iac.Str(rule["CidrIpv6"]) != "":
		in.CIDR = iac.Str(rule["CidrIpv6"])
	default:
		r.w.Add("%s: an ingress rule without a source security group or CIDR; not drawn", at)
		return
	}
	r.g.Ingress = append(r.g.Ingress, in)
}

// internal reports whether the load balancer with key is internal.
func (r *cfnReader) internal(key string) bool {
	res, ok := r.lookup(key)
	return ok && iac.Str(res.props["Scheme"]) == "internal"
}

// listener links a load balancer to the target groups it forwards to, and
// the internet to an internet-facing load balancer.
func (r *cfnReader) listener(st *cfnStack, lid string, props map[string]any, at string) {
	port := iac.Num(props["Port"])
	proto := catalog.ListenerProtocol(iac.Str(props["Protocol"]), port)
	why := func(what string) string {
		return fmt.Sprintf("AWS::ElasticLoadBalancingV2::Listener %s (%s)", lid, what)
	}
	for _, lb := range r.refs(st, props["LoadBalancerArn"], at+" LoadBalancerArn") {
		if !r.internal(lb) {
			r.g.Links = append(r.g.Links, iac.Link{From: iac.InternetKey, To: lb, Protocol: proto, Port: port, Label: "listener", Reason: why("the load balancer's Scheme is not internal")})
		}
		for _, tg := range r.quiet(st, append(iac.Get(props, "DefaultActions", "*", "TargetGroupArn"), iac.Get(props, "DefaultActions", "*", "ForwardConfig", "TargetGroups", "*", "TargetGroupArn")...)) {
			r.g.Links = append(r.g.Links, iac.Link{From: lb, To: "tg:" + tg, Reason: why("DefaultActions")})
		}
	}
}

func (r *cfnReader) listenerRule(st *cfnStack, lid string, props map[string]any, at string) {
	for _, lk := range r.refs(st, props["ListenerArn"], at+" ListenerArn") {
		l, ok := r.lookup(lk)
		if !ok {
			continue
		}
		for _, lb := range r.quiet(l.st, l.props["LoadBalancerArn"]) {
			for _, tg := range r.quiet(st, append(iac.Get(props, "Actions", "*", "TargetGroupArn"), iac.Get(props, "Actions", "*", "ForwardConfig", "TargetGroups", "*", "TargetGroupArn")...)) {
				r.g.Links = append(r.g.Links, iac.Link{From: lb, To: "tg:" + tg, Reason: fmt.Sprintf("AWS::ElasticLoadBalancingV2::ListenerRule %s (Actions)", lid)})
			}
		}
	}
}
