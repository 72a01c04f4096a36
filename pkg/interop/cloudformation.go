package interop

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// cfnShortTags maps the YAML short-form intrinsic tags to their long form.
var cfnShortTags = map[string]string{
	"!Ref": "Ref", "!Condition": "Condition", "!GetAtt": "Fn::GetAtt", "!Sub": "Fn::Sub", "!Join": "Fn::Join",
	"!Select": "Fn::Select", "!Split": "Fn::Split", "!If": "Fn::If", "!Equals": "Fn::Equals", "!And": "Fn::And",
	"!Or": "Fn::Or", "!Not": "Fn::Not", "!FindInMap": "Fn::FindInMap", "!Base64": "Fn::Base64", "!Cidr": "Fn::Cidr",
	"!ImportValue": "Fn::ImportValue", "!GetAZs": "Fn::GetAZs", "!Transform": "Fn::Transform", "!Length": "Fn::Length",
	"!ToJsonString": "Fn::ToJsonString",
}

// cfnValue turns a YAML (or JSON) node into plain values, short-form tags
// into their long form ({"Ref": "X"}, {"Fn::GetAtt": ["X", "Arn"]}).
func cfnValue(n *yaml.Node, depth int) (any, error) {
	if depth > 100 {
		return nil, fmt.Errorf("line %d: nested more than 100 levels", n.Line)
	}
	var v any
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return cfnValue(n.Content[0], depth+1)
	case yaml.AliasNode:
		return cfnValue(n.Alias, depth+1)
	case yaml.MappingNode:
		mp := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			val, err := cfnValue(n.Content[i+1], depth+1)
			if err != nil {
				return nil, err
			}
			mp[n.Content[i].Value] = val
		}
		v = mp
	case yaml.SequenceNode:
		list := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			val, err := cfnValue(c, depth+1)
			if err != nil {
				return nil, err
			}
			list = append(list, val)
		}
		v = list
	case yaml.ScalarNode:
		if long, ok := cfnShortTags[n.Tag]; ok {
			if long == "Fn::GetAtt" {
				parts := strings.SplitN(n.Value, ".", 2)
				return map[string]any{long: []any{parts[0], strings.Join(parts[1:], "")}}, nil
			}
			return map[string]any{long: n.Value}, nil
		}
		if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
			return nil, fmt.Errorf("line %d: unknown tag %s", n.Line, n.Tag)
		}
		if err := n.Decode(&v); err != nil {
			return nil, fmt.Errorf("line %d: %v", n.Line, err)
		}
		return v, nil
	}
	if long, ok := cfnShortTags[n.Tag]; ok {
		return map[string]any{long: v}, nil
	}
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		return nil, fmt.Errorf("line %d: unknown tag %s", n.Line, n.Tag)
	}
	return v, nil
}

// cfnTemplate is one parsed template.
type cfnTemplate struct {
	file        string
	description string
	params      map[string]bool
	resources   map[string]map[string]any // logical id → resource
	order       []string                  // logical ids in file order
}

func parseCFN(f File) (*cfnTemplate, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(f.Data, &root); err != nil {
		return nil, &errs.Error{Kind: errs.Malformed, Message: fmt.Sprintf("%s: malformed template: %v", f.Name, err)}
	}
	doc := &root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		doc = doc.Content[0]
	}
	if doc.Kind != yaml.MappingNode {
		return nil, &errs.Error{Kind: errs.Invalid, Message: fmt.Sprintf("%s is not a CloudFormation template: the document is not a mapping", f.Name)}
	}
	t := &cfnTemplate{file: f.Name, params: map[string]bool{}, resources: map[string]map[string]any{}}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		key, val := doc.Content[i].Value, doc.Content[i+1]
		switch key {
		case "Description":
			t.description = val.Value
		case "Parameters":
			for j := 0; j+1 < len(val.Content); j += 2 {
				t.params[val.Content[j].Value] = true
			}
		case "Resources":
			if val.Kind != yaml.MappingNode {
				return nil, &errs.Error{Kind: errs.Invalid, Field: "/Resources", Message: fmt.Sprintf("%s: Resources must be a mapping of logical ids to resources", f.Name)}
			}
			for j := 0; j+1 < len(val.Content); j += 2 {
				lid := val.Content[j].Value
				v, err := cfnValue(val.Content[j+1], 0)
				if err != nil {
					return nil, &errs.Error{Kind: errs.Malformed, Field: "/Resources/" + lid, Message: fmt.Sprintf("%s: %v", f.Name, err)}
				}
				res, ok := v.(map[string]any)
				typ, _ := res["Type"].(string)
				if !ok || typ == "" {
					return nil, &errs.Error{Kind: errs.Invalid, Field: "/Resources/" + lid + "/Type", Message: fmt.Sprintf("%s: resource %s needs a Type such as AWS::EC2::Instance (line %d)", f.Name, lid, val.Content[j].Line)}
				}
				t.resources[lid] = res
				t.order = append(t.order, lid)
			}
		}
	}
	if len(t.resources) == 0 {
		return nil, &errs.Error{Kind: errs.Invalid, Field: "/Resources", Message: fmt.Sprintf("%s is not a CloudFormation template: it has no Resources", f.Name)}
	}
	return t, nil
}

var subVar = regexp.MustCompile(`\$\{([A-Za-z0-9]+)(\.[A-Za-z0-9.]+)?\}`)

// cfnReader reads one template (and its nested stacks) into an iacGraph.
type cfnReader struct {
	g      *iacGraph
	w      *warnings
	files  map[string]File // by base name
	used   map[string]bool
	cat    *catalog.Catalog
	depth  int
	prefix string            // key prefix of this (nested) stack
	group  string            // group key of this stack
	t      *cfnTemplate      // current template
	params map[string]string // parameter → resolved key in the parent stack
}

// ref returns the key of the resource v refers to (Ref, GetAtt, or a Sub
// naming one resource), or "" with a warning when it cannot be resolved.
func (c *cfnReader) ref(v any, at string) string {
	mp, ok := v.(map[string]any)
	if !ok {
		if s, isStr := v.(string); isStr && s != "" {
			c.w.add("%s: %q is a literal id, not a reference to a resource of the template; not resolved", at, s)
		}
		return ""
	}
	var target string
	switch {
	case mp["Ref"] != nil:
		target, _ = mp["Ref"].(string)
	case mp["Fn::GetAtt"] != nil:
		switch a := mp["Fn::GetAtt"].(type) {
		case []any:
			if len(a) > 0 {
				target, _ = a[0].(string)
			}
		case string:
			target, _, _ = strings.Cut(a, ".")
		}
	case mp["Fn::Sub"] != nil:
		s, _ := mp["Fn::Sub"].(string)
		if l, isList := mp["Fn::Sub"].([]any); isList && len(l) > 0 {
			s, _ = l[0].(string)
		}
		for _, mt := range subVar.FindAllStringSubmatch(s, -1) {
			if _, ok := c.t.resources[mt[1]]; ok {
				target = mt[1]
				break
			}
		}
		if target == "" {
			c.w.add("%s: Fn::Sub %q names no resource of the template; not resolved", at, s)
			return ""
		}
	case mp["Fn::ImportValue"] != nil:
		c.w.add("%s: Fn::ImportValue refers to another stack's export; not resolved", at)
		return ""
	default:
		c.w.add("%s: an intrinsic function that does not name one resource; not resolved", at)
		return ""
	}
	if _, ok := c.t.resources[target]; ok {
		return c.prefix + target
	}
	if key, ok := c.params[target]; ok && key != "" {
		return key
	}
	switch {
	case strings.HasPrefix(target, "AWS::"):
		c.w.add("%s: pseudo parameter %s; not resolved", at, target)
	case c.t.params[target]:
		c.w.add("%s: parameter %s is only known at deploy time; not resolved", at, target)
	default:
		c.w.add("%s: %q is not a resource or parameter of %s; not resolved", at, target, c.t.file)
	}
	return ""
}

func (c *cfnReader) refs(v any, at string) []string {
	var out []string
	if list, ok := v.([]any); ok {
		for i, x := range list {
			if k := c.ref(x, fmt.Sprintf("%s/%d", at, i)); k != "" {
				out = append(out, k)
			}
		}
		return out
	}
	if v != nil {
		if k := c.ref(v, at); k != "" {
			out = append(out, k)
		}
	}
	return out
}

// get walks a path of map keys and list indexes ("*" means every element
// of a list) and returns the values found.
func get(v any, path ...string) []any {
	if len(path) == 0 {
		if v == nil {
			return nil
		}
		return []any{v}
	}
	if path[0] == "*" {
		if _, isList := v.([]any); !isList {
			return get(v, path[1:]...) // a single value where a list may be
		}
	}
	switch x := v.(type) {
	case map[string]any:
		return get(x[path[0]], path[1:]...)
	case []any:
		if path[0] == "*" {
			var out []any
			for _, e := range x {
				out = append(out, get(e, path[1:]...)...)
			}
			return out
		}
	}
	return nil
}

func num(v any) int {
	switch x := v.(type) {
	case int:
		return x
	case float64:
		return int(x)
	case string:
		n, _ := strconv.Atoi(x)
		return n
	}
	return 0
}

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int, float64, bool:
		return fmt.Sprint(x)
	}
	return ""
}

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
		"AWS::IAM::InstanceProfile": true, "AWS::CDK::Metadata": true,
		"AWS::RDS::DBSubnetGroup": true, "AWS::ElastiCache::SubnetGroup": true,
	}
)

func importCloudFormation(files []File, cat *catalog.Catalog) (*Imported, error) {
	var w warnings
	g := &iacGraph{}
	byName := map[string]File{}
	for _, f := range files[1:] {
		byName[path.Base(f.Name)] = f
	}
	root, err := parseCFN(files[0])
	if err != nil {
		return nil, err
	}
	r := &cfnReader{g: g, w: &w, files: byName, used: map[string]bool{}, cat: cat}
	if err := r.read(root, "", "", nil); err != nil {
		return nil, err
	}
	for _, name := range sortedKeys(byName) {
		if !r.used[name] {
			w.add("%s is not the template of any nested stack (AWS::CloudFormation::Stack TemplateURL); it is ignored", name)
		}
	}
	name := strings.TrimSuffix(path.Base(files[0].Name), path.Ext(files[0].Name))
	m := assemble("Imported from "+name, root.description, g, cat, &w)
	return &Imported{Model: m, Warnings: w.list}, nil
}

// read adds the resources of t, a stack whose keys start with prefix and
// whose elements go into group.
func (c *cfnReader) read(t *cfnTemplate, prefix, group string, params map[string]string) error {
	c.t, c.prefix, c.group, c.params = t, prefix, group, params
	for _, lid := range t.order {
		res := t.resources[lid]
		typ := res["Type"].(string)
		props, _ := res["Properties"].(map[string]any)
		key := prefix + lid
		at := fmt.Sprintf("%s: resource %s", t.file, lid)
		switch typ {
		case "AWS::CloudFormation::Stack":
			if err := c.nested(lid, props, at); err != nil {
				return err
			}
			continue
		case "AWS::EC2::SecurityGroupIngress":
			c.ingress(c.ref(props["GroupId"], at+" GroupId"), props, at)
			c.g.skip(typ)
			continue
		case "AWS::ElasticLoadBalancingV2::Listener":
			c.listener(props, at)
		case "AWS::ElasticLoadBalancingV2::ListenerRule":
			c.listenerRule(props, at)
		case "AWS::Lambda::EventSourceMapping":
			c.link(props["EventSourceArn"], props["FunctionName"], "AWS-API", 443, "event source", at)
		case "AWS::SNS::Subscription":
			c.link(props["TopicArn"], props["Endpoint"], "AWS-API", 443, "subscription", at)
		case "AWS::Lambda::Permission":
			if props["SourceArn"] != nil {
				c.link(props["SourceArn"], props["FunctionName"], "AWS-API", 443, "invoke", at)
			}
		case "AWS::ApiGateway::Method":
			for _, uri := range get(props, "Integration", "Uri") {
				c.link(props["RestApiId"], uri, "AWS-API", 443, "integration", at)
			}
		case "AWS::ApiGatewayV2::Integration":
			c.link(props["ApiId"], props["IntegrationUri"], "AWS-API", 443, "integration", at)
		}
		if cfnConsumed[typ] {
			c.g.skip(typ)
			continue
		}
		r := &iacResource{Key: key, Name: lid, AWSType: typ, Group: group}
		for _, p := range cfnSubnetPaths {
			if vals := get(props, p...); len(vals) > 0 && r.Place == "" {
				if ks := c.refs(vals, fmt.Sprintf("%s %s", at, strings.Join(p, "/"))); len(ks) > 0 {
					r.Place = ks[0]
				}
			}
		}
		for _, p := range []string{"DBSubnetGroupName", "CacheSubnetGroupName"} {
			if props[p] != nil && r.Place == "" {
				if sg := t.resources[strings.TrimPrefix(c.ref(props[p], at+" "+p), prefix)]; sg != nil {
					if ks := c.refs(get(sg, "Properties", "SubnetIds", "*"), at+" "+p+" SubnetIds"); len(ks) > 0 {
						r.Place = ks[0]
					}
				}
			}
		}
		if r.Place == "" {
			for _, p := range cfnVPCPaths {
				if vals := get(props, p...); len(vals) > 0 && r.Place == "" {
					r.Place = c.ref(vals[0], at+" "+p[0])
				}
			}
		}
		for _, p := range cfnSGPaths {
			r.SGs = append(r.SGs, c.refs(get(props, p...), fmt.Sprintf("%s %s", at, strings.Join(p, "/")))...)
		}
		switch typ {
		case "AWS::EC2::SecurityGroup":
			for i, rule := range get(props, "SecurityGroupIngress", "*") {
				rm, _ := rule.(map[string]any)
				c.ingress(key, rm, fmt.Sprintf("%s SecurityGroupIngress/%d", at, i))
			}
		case "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ElasticLoadBalancing::LoadBalancer":
			if s := str(props["Scheme"]); s != "internal" {
				r.Props = map[string]any{"internetFacing": true}
			}
		case "AWS::SNS::Topic":
			for _, sub := range get(props, "Subscription", "*", "Endpoint") {
				c.link(map[string]any{"Ref": lid}, sub, "AWS-API", 443, "subscription", at)
			}
		case "AWS::Events::Rule":
			for _, arn := range get(props, "Targets", "*", "Arn") {
				c.link(map[string]any{"Ref": lid}, arn, "AWS-API", 443, "event", at)
			}
		case "AWS::S3::Bucket":
			for _, p := range [][]string{{"LambdaConfigurations", "*", "Function"}, {"QueueConfigurations", "*", "Queue"}, {"TopicConfigurations", "*", "Topic"}} {
				for _, target := range get(props, append([]string{"NotificationConfiguration"}, p...)...) {
					c.link(map[string]any{"Ref": lid}, target, "AWS-API", 443, "notification", at)
				}
			}
		case "AWS::ECS::Service":
			for _, lb := range get(props, "LoadBalancers", "*") {
				lm, _ := lb.(map[string]any)
				if tg := c.ref(lm["TargetGroupArn"], at+" LoadBalancers"); tg != "" {
					c.g.links = append(c.g.links, iacLink{From: "tg:" + tg, To: key, Port: num(lm["ContainerPort"])})
				}
			}
		case "AWS::AutoScaling::AutoScalingGroup":
			for _, tg := range c.refs(get(props, "TargetGroupARNs", "*"), at+" TargetGroupARNs") {
				c.g.links = append(c.g.links, iacLink{From: "tg:" + tg, To: key})
			}
		}
		c.g.resources = append(c.g.resources, r)
	}
	// Target groups: their targets, then the load balancers forwarding to them.
	for _, lid := range t.order {
		res := t.resources[lid]
		if res["Type"] != "AWS::ElasticLoadBalancingV2::TargetGroup" {
			continue
		}
		props, _ := res["Properties"].(map[string]any)
		key := prefix + lid
		for _, target := range c.refs(get(props, "Targets", "*", "Id"), fmt.Sprintf("%s: target group %s Targets", t.file, lid)) {
			c.g.links = append(c.g.links, iacLink{From: "tg:" + key, To: target})
		}
		proto := listenerProtocol(str(props["Protocol"]), num(props["Port"]))
		if str(props["TargetType"]) == "lambda" {
			proto = "AWS-API"
		}
		c.tgProto(key, proto, num(props["Port"]))
	}
	return nil
}

// tgProto fills protocol and port into the links from target group key and
// resolves links into load balancer → target flows.
func (c *cfnReader) tgProto(tg, proto string, port int) {
	var lbs []string
	for _, l := range c.g.links {
		if l.To == "tg:"+tg {
			lbs = append(lbs, l.From)
		}
	}
	for i := range c.g.links {
		l := &c.g.links[i]
		if l.From != "tg:"+tg {
			continue
		}
		p := port
		if l.Port != 0 {
			p = l.Port
		}
		for _, lb := range lbs {
			c.g.links = append(c.g.links, iacLink{From: lb, To: l.To, Protocol: proto, Port: p, Label: "target group " + strings.TrimPrefix(tg, c.prefix)})
		}
	}
}

func (c *cfnReader) link(from, to any, proto string, port int, label, at string) {
	a, b := c.ref(from, at), c.ref(to, at)
	if a != "" && b != "" {
		c.g.links = append(c.g.links, iacLink{From: a, To: b, Protocol: proto, Port: port, Label: label})
	}
}

func (c *cfnReader) ingress(sg string, rule map[string]any, at string) {
	if sg == "" || rule == nil {
		return
	}
	in := iacIngress{SG: sg, IPProtocol: str(rule["IpProtocol"]), Port: num(rule["FromPort"])}
	if in.Port < 0 {
		in.Port = 0
	}
	switch {
	case rule["SourceSecurityGroupId"] != nil:
		in.FromSG = c.ref(rule["SourceSecurityGroupId"], at+" SourceSecurityGroupId")
		if in.FromSG == "" {
			return
		}
	case str(rule["CidrIp"]) != "":
		in.CIDR = str(rule["CidrIp"])
	case str(rule["CidrIpv6"]) != "":
		in.CIDR = str(rule["CidrIpv6"])
	default:
		c.w.add("%s: an ingress rule without a source security group or CIDR; not drawn", at)
		return
	}
	c.g.ingress = append(c.g.ingress, in)
}

// listener links a load balancer to the target groups it forwards to, and
// the internet to an internet-facing load balancer.
func (c *cfnReader) listener(props map[string]any, at string) {
	lb := c.ref(props["LoadBalancerArn"], at+" LoadBalancerArn")
	if lb == "" {
		return
	}
	port := num(props["Port"])
	proto := listenerProtocol(str(props["Protocol"]), port)
	if res := c.t.resources[strings.TrimPrefix(lb, c.prefix)]; res != nil && str(get(res, "Properties", "Scheme")) != "internal" {
		c.g.links = append(c.g.links, iacLink{From: internetKey, To: lb, Protocol: proto, Port: port, Label: "listener"})
	}
	for _, tg := range append(get(props, "DefaultActions", "*", "TargetGroupArn"), get(props, "DefaultActions", "*", "ForwardConfig", "TargetGroups", "*", "TargetGroupArn")...) {
		if k := c.ref(tg, at+" DefaultActions"); k != "" {
			c.g.links = append(c.g.links, iacLink{From: lb, To: "tg:" + k})
		}
	}
}

func (c *cfnReader) listenerRule(props map[string]any, at string) {
	lk := c.ref(props["ListenerArn"], at+" ListenerArn")
	res := c.t.resources[strings.TrimPrefix(lk, c.prefix)]
	if res == nil {
		return
	}
	lb := c.ref(get(res, "Properties", "LoadBalancerArn"), at+" listener LoadBalancerArn")
	for _, tg := range append(get(props, "Actions", "*", "TargetGroupArn"), get(props, "Actions", "*", "ForwardConfig", "TargetGroups", "*", "TargetGroupArn")...) {
		if k := c.ref(tg, at+" Actions"); k != "" && lb != "" {
			c.g.links = append(c.g.links, iacLink{From: lb, To: "tg:" + k})
		}
	}
}

func get1(v any, p ...string) any {
	if vals := get(v, p...); len(vals) > 0 {
		return vals[0]
	}
	return nil
}

// nested reads the template of a nested stack when it was given.
func (c *cfnReader) nested(lid string, props map[string]any, at string) error {
	url := str(props["TemplateURL"])
	if url == "" {
		if s, ok := get1(props, "TemplateURL", "Fn::Sub").(string); ok {
			url = s
		}
	}
	base := path.Base(url)
	f, ok := c.files[base]
	if url == "" || !ok {
		c.w.add("%s: nested stack template %q was not given; its resources are not imported (pass it as another file)", at, url)
		return nil
	}
	if c.depth >= 5 || c.used[base] {
		c.w.add("%s: nested stack template %s is used twice or nested deeper than 5 levels; not imported again", at, base)
		return nil
	}
	c.used[base] = true
	nt, err := parseCFN(f)
	if err != nil {
		return err
	}
	// Parameters passed to the nested stack resolve its Refs to them.
	params := map[string]string{}
	if pm, ok := props["Parameters"].(map[string]any); ok {
		for p, v := range pm {
			if _, isRef := v.(map[string]any); isRef {
				params[p] = c.ref(v, fmt.Sprintf("%s Parameters/%s", at, p))
			}
		}
	}
	gkey := c.prefix + lid
	c.g.groups = append(c.g.groups, iacGroup{Key: gkey, Name: lid, Parent: c.group})
	saved := *c
	c.depth++
	err = c.read(nt, gkey+"/", gkey, params)
	c.t, c.prefix, c.group, c.params, c.depth = saved.t, saved.prefix, saved.group, saved.params, saved.depth
	return err
}
