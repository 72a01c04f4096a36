package interop

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/iac"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// This file reads the JSON form of a Terraform plan (`terraform show -json
// PLANFILE`, format versions 0.1 to 1.x) into an iacGraph, for the shared
// assembler in iac.go.
//
// Resources come from planned_values (the root module and its child
// modules, recursively), and from resource_changes for those planned_values
// lacks. Module instances become groups, as nested stacks do for
// CloudFormation. Relationships (subnet, VPC, security groups, listener
// targets, event sources) are read from the configuration's expressions
// first, because a plan does not know the ids of resources it creates
// (after_unknown): a reference such as aws_subnet.private[0].id names the
// resource whatever its id will be. References through input variables
// (var.x) and module outputs (module.m.x) are followed across modules. When
// the configuration names no resource, a known value is matched against the
// ids, ARNs and names of the plan's resources. What stays unresolved is a
// warning, never an error.

// ModuleProperty is the component property that keeps the address of the
// Terraform module instance a resource comes from.
const ModuleProperty = "terraformModule"

// tfPlan is the part of a plan representation the importer reads. The
// state fields (values, version, lineage, serial) only serve to recognize
// a state given instead of a plan.
type tfPlan struct {
	FormatVersion    string `json:"format_version"`
	TerraformVersion string `json:"terraform_version"`
	PlannedValues    *struct {
		RootModule *tfModule `json:"root_module"`
	} `json:"planned_values"`
	ResourceChanges []tfChange `json:"resource_changes"`
	Configuration   *struct {
		RootModule *tfConfigModule `json:"root_module"`
	} `json:"configuration"`

	Values  json.RawMessage `json:"values"`
	Version json.RawMessage `json:"version"`
	Lineage json.RawMessage `json:"lineage"`
}

// tfModule is a module instance of planned_values.
type tfModule struct {
	Address      string       `json:"address"`
	Resources    []tfResource `json:"resources"`
	ChildModules []tfModule   `json:"child_modules"`
}

// tfResource is a resource instance of planned_values. Values lacks the
// attributes that are unknown until apply.
type tfResource struct {
	Address string         `json:"address"`
	Mode    string         `json:"mode"`
	Type    string         `json:"type"`
	Name    string         `json:"name"`
	Index   any            `json:"index"`
	Values  map[string]any `json:"values"`
}

// tfChange is one entry of resource_changes.
type tfChange struct {
	Address       string `json:"address"`
	ModuleAddress string `json:"module_address"`
	Mode          string `json:"mode"`
	Type          string `json:"type"`
	Name          string `json:"name"`
	Index         any    `json:"index"`
	Change        struct {
		Actions      []string `json:"actions"`
		After        any      `json:"after"`
		AfterUnknown any      `json:"after_unknown"`
	} `json:"change"`
}

// tfConfigModule is a module of the configuration: its resources' argument
// expressions, the modules it calls and its outputs.
type tfConfigModule struct {
	Resources   []tfConfigResource      `json:"resources"`
	ModuleCalls map[string]tfModuleCall `json:"module_calls"`
	Outputs     map[string]struct {
		Expression map[string]any `json:"expression"`
	} `json:"outputs"`
}

// tfConfigResource is a resource block; its address is relative to its
// module.
type tfConfigResource struct {
	Address     string         `json:"address"`
	Mode        string         `json:"mode"`
	Type        string         `json:"type"`
	Name        string         `json:"name"`
	Expressions map[string]any `json:"expressions"`
}

// tfModuleCall is a module block: the expressions of the arguments it
// passes (the child's input variables) and the child's configuration.
type tfModuleCall struct {
	Source      string          `json:"source"`
	Expressions map[string]any  `json:"expressions"`
	Module      *tfConfigModule `json:"module"`
}

// tfTypes maps Terraform AWS provider resource types to the CloudFormation
// resource types the catalog knows. Types not listed here (and not in
// tfConsumed) are imported as generic components keeping their Terraform
// type.
var tfTypes = map[string]string{
	"aws_instance": "AWS::EC2::Instance", "aws_ebs_volume": "AWS::EC2::Volume",
	"aws_vpc": "AWS::EC2::VPC", "aws_subnet": "AWS::EC2::Subnet", "aws_security_group": "AWS::EC2::SecurityGroup",
	"aws_default_security_group": "AWS::EC2::SecurityGroup", "aws_internet_gateway": "AWS::EC2::InternetGateway",
	"aws_nat_gateway": "AWS::EC2::NatGateway", "aws_vpc_endpoint": "AWS::EC2::VPCEndpoint", "aws_network_acl": "AWS::EC2::NetworkAcl",
	"aws_ec2_transit_gateway": "AWS::EC2::TransitGateway", "aws_ec2_transit_gateway_vpc_attachment": "AWS::EC2::TransitGatewayAttachment",
	"aws_lb": "AWS::ElasticLoadBalancingV2::LoadBalancer", "aws_alb": "AWS::ElasticLoadBalancingV2::LoadBalancer",
	"aws_elb": "AWS::ElasticLoadBalancing::LoadBalancer", "aws_autoscaling_group": "AWS::AutoScaling::AutoScalingGroup",
	"aws_launch_configuration": "AWS::AutoScaling::LaunchConfiguration", "aws_db_instance": "AWS::RDS::DBInstance",
	"aws_rds_cluster":    "AWS::RDS::DBCluster",
	"aws_dynamodb_table": "AWS::DynamoDB::Table", "aws_dax_cluster": "AWS::DAX::Cluster",
	"aws_elasticache_cluster": "AWS::ElastiCache::CacheCluster", "aws_elasticache_replication_group": "AWS::ElastiCache::ReplicationGroup",
	"aws_redshift_cluster": "AWS::Redshift::Cluster", "aws_opensearch_domain": "AWS::OpenSearch::Domain",
	"aws_elasticsearch_domain": "AWS::Elasticsearch::Domain", "aws_efs_file_system": "AWS::EFS::FileSystem",
	"aws_efs_access_point": "AWS::EFS::AccessPoint", "aws_s3_bucket": "AWS::S3::Bucket",
	"aws_lambda_function": "AWS::Lambda::Function", "aws_sqs_queue": "AWS::SQS::Queue", "aws_sns_topic": "AWS::SNS::Topic",
	"aws_kinesis_stream": "AWS::Kinesis::Stream", "aws_sfn_state_machine": "AWS::StepFunctions::StateMachine",
	"aws_cloudwatch_event_bus": "AWS::Events::EventBus", "aws_cloudwatch_event_rule": "AWS::Events::Rule",
	"aws_ecs_cluster": "AWS::ECS::Cluster", "aws_ecs_service": "AWS::ECS::Service", "aws_ecs_task_definition": "AWS::ECS::TaskDefinition",
	"aws_ecr_repository": "AWS::ECR::Repository", "aws_eks_cluster": "AWS::EKS::Cluster",
	"aws_cloudfront_distribution": "AWS::CloudFront::Distribution", "aws_api_gateway_rest_api": "AWS::ApiGateway::RestApi",
	"aws_apigatewayv2_api": "AWS::ApiGatewayV2::Api", "aws_route53_zone": "AWS::Route53::HostedZone",
	"aws_acm_certificate": "AWS::ACM::Certificate", "aws_kms_key": "AWS::KMS::Key", "aws_secretsmanager_secret": "AWS::SecretsManager::Secret",
	"aws_ssm_parameter": "AWS::SSM::Parameter", "aws_ssm_document": "AWS::SSM::Document",
	"aws_cognito_user_pool": "AWS::Cognito::UserPool", "aws_cognito_identity_pool": "AWS::Cognito::IdentityPool",
	"aws_iam_role": "AWS::IAM::Role", "aws_iam_user": "AWS::IAM::User", "aws_iam_group": "AWS::IAM::Group", "aws_iam_policy": "AWS::IAM::Policy",
	"aws_cloudwatch_log_group": "AWS::Logs::LogGroup", "aws_cloudwatch_metric_alarm": "AWS::CloudWatch::Alarm",
	"aws_cloudtrail": "AWS::CloudTrail::Trail", "aws_config_configuration_recorder": "AWS::Config::ConfigurationRecorder",
	"aws_config_config_rule": "AWS::Config::ConfigRule", "aws_guardduty_detector": "AWS::GuardDuty::Detector",
	"aws_securityhub_account": "AWS::SecurityHub::Hub", "aws_shield_protection": "AWS::Shield::Protection",
	"aws_wafv2_web_acl": "AWS::WAFv2::WebACL", "aws_wafv2_rule_group": "AWS::WAFv2::RuleGroup", "aws_waf_web_acl": "AWS::WAF::WebACL",
	"aws_wafregional_web_acl": "AWS::WAFRegional::WebACL", "aws_backup_vault": "AWS::Backup::BackupVault", "aws_backup_plan": "AWS::Backup::BackupPlan",
	"aws_glue_crawler": "AWS::Glue::Crawler", "aws_glue_job": "AWS::Glue::Job", "aws_athena_workgroup": "AWS::Athena::WorkGroup",
	"aws_msk_cluster": "AWS::MSK::Cluster", "aws_mq_broker": "AWS::AmazonMQ::Broker", "aws_docdb_cluster": "AWS::DocDB::DBCluster",
	"aws_neptune_cluster": "AWS::Neptune::DBCluster", "aws_appsync_graphql_api": "AWS::AppSync::GraphQLApi",
}

// tfConsumed are resource types read for relationships (or configuration
// of another resource) and not drawn, as cfnConsumed is for CloudFormation.
var tfConsumed = map[string]bool{
	"aws_security_group_rule": true, "aws_vpc_security_group_ingress_rule": true, "aws_vpc_security_group_egress_rule": true,
	"aws_lb_listener": true, "aws_alb_listener": true, "aws_lb_listener_rule": true, "aws_alb_listener_rule": true,
	"aws_lb_listener_certificate": true, "aws_lb_target_group": true, "aws_alb_target_group": true,
	"aws_lb_target_group_attachment": true, "aws_alb_target_group_attachment": true, "aws_autoscaling_attachment": true,
	"aws_lambda_event_source_mapping": true, "aws_lambda_permission": true, "aws_sns_topic_subscription": true,
	"aws_s3_bucket_notification": true, "aws_cloudwatch_event_target": true,
	"aws_api_gateway_integration": true, "aws_api_gateway_method": true, "aws_api_gateway_resource": true,
	"aws_api_gateway_deployment": true, "aws_api_gateway_stage": true, "aws_apigatewayv2_integration": true,
	"aws_apigatewayv2_route": true, "aws_apigatewayv2_stage": true,
	"aws_route": true, "aws_route_table": true, "aws_route_table_association": true, "aws_eip": true,
	"aws_internet_gateway_attachment": true, "aws_db_subnet_group": true, "aws_elasticache_subnet_group": true,
	"aws_rds_cluster_instance": true, "aws_efs_mount_target": true, "aws_iam_instance_profile": true,
	"aws_iam_role_policy": true, "aws_iam_role_policy_attachment": true, "aws_kms_alias": true, "aws_launch_template": true,
	"aws_s3_bucket_versioning": true, "aws_s3_bucket_server_side_encryption_configuration": true,
	"aws_s3_bucket_public_access_block": true, "aws_s3_bucket_policy": true, "aws_s3_bucket_acl": true,
	"aws_s3_bucket_ownership_controls": true, "aws_s3_bucket_lifecycle_configuration": true, "aws_s3_bucket_logging": true,
	"aws_s3_bucket_website_configuration": true, "aws_flow_log": true, "aws_lambda_function_url": true, "aws_elb_attachment": true,
	"aws_secretsmanager_secret_rotation": true, "aws_iam_policy_attachment": true,
}

// tfUtilityPrefixes are the resource types of providers that create no
// infrastructure (random values, keys in state, local files, timers).
var tfUtilityPrefixes = []string{"random_", "null_", "time_", "tls_", "local_", "archive_", "terraform_data"}

// Relationship arguments of Terraform resources; "*" steps into every
// element of a nested block.
var (
	tfSubnetPaths = [][]string{{"subnet_id"}, {"subnet_ids"}, {"subnets"}, {"vpc_zone_identifier"}, {"vpc_config", "*", "subnet_ids"},
		{"network_configuration", "*", "subnets"}, {"subnet_mapping", "*", "subnet_id"}, {"vpc_options", "*", "subnet_ids"}}
	tfSGPaths = [][]string{{"vpc_security_group_ids"}, {"security_groups"}, {"security_group_ids"}, {"vpc_config", "*", "security_group_ids"},
		{"network_configuration", "*", "security_groups"}, {"vpc_options", "*", "security_group_ids"}}
	// tfSubnetGroups: argument naming a subnet group → the group's type.
	tfSubnetGroups = map[string]string{"db_subnet_group_name": "aws_db_subnet_group", "subnet_group_name": "aws_elasticache_subnet_group"}
	// tfIDAttrs are the attributes whose known values other resources use
	// to point at a resource.
	tfIDAttrs = []string{"id", "arn", "invoke_arn", "execution_arn", "url", "function_name", "bucket"}
	// tfNamed are types whose name attribute is how others point at them.
	tfNamed = map[string]bool{"aws_db_subnet_group": true, "aws_elasticache_subnet_group": true, "aws_autoscaling_group": true,
		"aws_cloudwatch_event_rule": true, "aws_ecs_cluster": true, "aws_sqs_queue": true, "aws_dynamodb_table": true,
		"aws_sns_topic": true, "aws_kinesis_stream": true, "aws_secretsmanager_secret": true, "aws_elb": true}
)

// tfRes is one managed resource instance of the plan, with the expressions
// of its configuration.
type tfRes struct {
	addr    string // the full address
	key     string // the graph key: the address with instance keys as -KEY (tfGraphKey)
	index   any    // count index or for_each key, if any
	module  string // module instance address, "" for the root module
	local   string // address inside its module
	typ     string
	values  map[string]any
	unknown any // after_unknown
	exprs   map[string]any
}

// tfStep is one step of an address or reference: a name with an optional
// index key (the bracket's text, quotes included).
type tfStep struct {
	name, key string
	indexed   bool
}

func (s tfStep) String() string {
	if s.indexed {
		return s.name + "[" + s.key + "]"
	}
	return s.name
}

// tfSplit splits an address or reference ("module.app[\"a.b\"].aws_x.y[0].id")
// into steps.
func tfSplit(addr string) []tfStep {
	var steps []tfStep
	var cur strings.Builder
	for i := 0; i < len(addr); i++ {
		switch ch := addr[i]; ch {
		case '.':
			if cur.Len() > 0 {
				steps = append(steps, tfStep{name: cur.String()})
				cur.Reset()
			}
		case '[':
			j, inQuote := i+1, false
			for ; j < len(addr); j++ {
				if addr[j] == '\\' && inQuote {
					j++
					continue
				}
				if addr[j] == '"' {
					inQuote = !inQuote
				}
				if addr[j] == ']' && !inQuote {
					break
				}
			}
			steps = append(steps, tfStep{name: cur.String(), key: addr[i+1 : min(j, len(addr))], indexed: true})
			cur.Reset()
			i = j
		default:
			cur.WriteByte(ch)
		}
	}
	if cur.Len() > 0 {
		steps = append(steps, tfStep{name: cur.String()})
	}
	return steps
}

func tfJoin(steps []tfStep) string {
	parts := make([]string, len(steps))
	for i, s := range steps {
		parts[i] = s.String()
	}
	return strings.Join(parts, ".")
}

// tfGraphKey turns an address into the key of its element in the graph,
// from which the element id derives: instance keys become "-KEY" steps
// (aws_subnet.private[0] → aws_subnet.private-0), brackets and quotes being
// no id characters. Components keep the address as their resource id.
func tfGraphKey(addr string) string {
	steps := tfSplit(addr)
	parts := make([]string, len(steps))
	for i, s := range steps {
		parts[i] = s.name
		if s.indexed {
			k := s.key
			if u, err := strconv.Unquote(k); err == nil {
				k = u
			}
			parts[i] += "-" + k
		}
	}
	return strings.Join(parts, ".")
}

// tfConfigPath is the configuration path of a module instance address: its
// address without instance keys.
func tfConfigPath(module string) string {
	steps := tfSplit(module)
	for i := range steps {
		steps[i].indexed, steps[i].key = false, ""
	}
	return tfJoin(steps)
}

// tfIndexKey is the text of an instance key as it appears in brackets.
func tfIndexKey(index any) (string, bool) {
	switch x := index.(type) {
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case string:
		return strconv.Quote(x), true
	}
	return "", false
}

// sameKey compares two instance keys, tolerating quoting differences.
func sameKey(a, b string) bool {
	unq := func(s string) string {
		if u, err := strconv.Unquote(s); err == nil {
			return u
		}
		return s
	}
	return unq(a) == unq(b)
}

// tfModuleOf returns the module instance part of a resource address.
func tfModuleOf(addr string) string {
	steps := tfSplit(addr)
	n := 0
	for n+1 < len(steps) && steps[n].name == "module" && !steps[n].indexed {
		n += 2
	}
	return tfJoin(steps[:n])
}

// tfReader reads one plan into an iacGraph.
type tfReader struct {
	file    string
	g       *iac.Graph
	w       *convert.Warnings
	res     []*tfRes
	byKey   map[string]*tfRes
	byName  map[string][]*tfRes // module instance + "|" + type.name → instances
	modules map[string]bool     // module instance addresses
	cfg     map[string]*tfConfigModule
	byValue map[string]string // known id, ARN or name → resource key
	data    int               // data sources seen
	deleted int               // resources planned for destruction
	utility map[string]int    // utility provider types → count
	lbKind  map[string]string // load balancer key → load_balancer_type
}

// importTerraform imports the JSON form of one Terraform plan.
func importTerraform(files []File, cat *catalog.Catalog) (*Imported, error) {
	if len(files) != 1 {
		return nil, errs.E(errs.Invalid, "Terraform import reads one plan document (terraform show -json PLANFILE), got %d files", len(files))
	}
	f := files[0]
	plan, err := parseTerraformPlan(f)
	if err != nil {
		return nil, err
	}
	var w convert.Warnings
	r := &tfReader{file: f.Name, g: &iac.Graph{}, w: &w, byKey: map[string]*tfRes{}, byName: map[string][]*tfRes{},
		modules: map[string]bool{}, cfg: map[string]*tfConfigModule{}, byValue: map[string]string{}, utility: map[string]int{},
		lbKind: map[string]string{}}
	if plan.Configuration != nil && plan.Configuration.RootModule != nil {
		r.indexConfig("", plan.Configuration.RootModule, 0)
	} else {
		w.Add("%s has no configuration section; relationships whose values are unknown until apply cannot be resolved", f.Name)
	}
	r.collect(plan)
	r.read()
	name := strings.TrimSuffix(path.Base(f.Name), path.Ext(f.Name))
	name = strings.TrimSuffix(name, ".plan")
	desc := fmt.Sprintf("Terraform plan (JSON format %s)", plan.FormatVersion)
	if plan.TerraformVersion != "" {
		desc = fmt.Sprintf("Terraform %s plan (JSON format %s)", plan.TerraformVersion, plan.FormatVersion)
	}
	m := iac.Assemble("Imported from "+name, desc, r.g, cat, &w)
	r.finish(m, &w)
	return &Imported{Model: m, Warnings: w.List()}, nil
}

// parseTerraformPlan decodes f and checks that it is a plan in a format
// version this importer reads.
func parseTerraformPlan(f File) (*tfPlan, error) {
	data := bytes.TrimSpace(f.Data)
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return nil, errs.E(errs.Invalid, "%s is a binary Terraform plan file; convert it with terraform show -json %s", f.Name, f.Name)
	}
	var doc any
	if err := convert.DecodeJSON(f.Name, f.Data, &doc); err != nil {
		return nil, err
	}
	if _, ok := doc.(map[string]any); !ok {
		return nil, errs.E(errs.Invalid, "%s is not a Terraform plan: the document is not a JSON object", f.Name)
	}
	var p tfPlan
	if err := convert.DecodeJSON(f.Name, f.Data, &p); err != nil {
		return nil, err
	}
	isPlan := p.PlannedValues != nil || p.ResourceChanges != nil
	switch {
	case !isPlan && p.FormatVersion == "" && (p.Lineage != nil || p.Version != nil):
		return nil, &errs.Error{Kind: errs.Invalid, Message: fmt.Sprintf("%s is a Terraform state file, not a plan; import the output of terraform plan -out=PLANFILE && terraform show -json PLANFILE", f.Name)}
	case !isPlan && p.FormatVersion != "" && p.Values != nil:
		return nil, &errs.Error{Kind: errs.Invalid, Field: "/values", Message: fmt.Sprintf("%s is the JSON form of a Terraform state (it has values, not planned_values), not of a plan; run terraform show -json on a plan file", f.Name)}
	case !isPlan:
		return nil, &errs.Error{Kind: errs.Invalid, Field: "/planned_values", Message: fmt.Sprintf("%s is not a Terraform plan: it has neither planned_values nor resource_changes (want the output of terraform show -json PLANFILE)", f.Name)}
	case p.FormatVersion == "":
		return nil, &errs.Error{Kind: errs.Invalid, Field: "/format_version", Message: fmt.Sprintf("%s is not a Terraform plan: it has no format_version", f.Name)}
	}
	if !tfSupportedVersion(p.FormatVersion) {
		return nil, &errs.Error{Kind: errs.Invalid, Field: "/format_version", Message: fmt.Sprintf("%s: plan JSON format version %q is not supported; this importer reads format versions 0.1 to 1.x", f.Name, p.FormatVersion)}
	}
	return &p, nil
}

// tfSupportedVersion reports whether v is 0.1, 0.2 or 1.x.
func tfSupportedVersion(v string) bool {
	major, minor, ok := strings.Cut(v, ".")
	if !ok {
		return false
	}
	mi, err := strconv.Atoi(minor)
	if err != nil || mi < 0 {
		return false
	}
	switch major {
	case "0":
		return mi == 1 || mi == 2
	case "1":
		return true
	}
	return false
}

// indexConfig records the configuration modules by path.
func (r *tfReader) indexConfig(p string, m *tfConfigModule, depth int) {
	if m == nil || depth > model.MaxNesting+10 {
		return
	}
	r.cfg[p] = m
	for _, name := range iac.SortedKeys(m.ModuleCalls) {
		child := "module." + name
		if p != "" {
			child = p + "." + child
		}
		r.indexConfig(child, m.ModuleCalls[name].Module, depth+1)
	}
}

// configOf returns the expressions of the resource type.name in the module
// instance module.
func (r *tfReader) configOf(module, mode, typ, name string) map[string]any {
	m := r.cfg[tfConfigPath(module)]
	if m == nil {
		return nil
	}
	for _, c := range m.Resources {
		if c.Type == typ && c.Name == name && (c.Mode == mode || c.Mode == "") {
			return c.Expressions
		}
	}
	return nil
}

// collect gathers the managed resource instances: planned_values first,
// then resource_changes for what planned_values lacks.
func (r *tfReader) collect(p *tfPlan) {
	changes := map[string]*tfChange{}
	for i := range p.ResourceChanges {
		changes[p.ResourceChanges[i].Address] = &p.ResourceChanges[i]
	}
	seen := map[string]bool{}
	add := func(addr, module, mode, typ, name string, index any, values map[string]any) {
		if strings.TrimSpace(addr) == "" || typ == "" {
			r.w.Add("%s: a resource without an address or a type; not imported", r.file)
			return
		}
		if seen[addr] {
			return
		}
		seen[addr] = true
		if mode == "data" {
			r.data++
			return
		}
		for _, pre := range tfUtilityPrefixes {
			if strings.HasPrefix(typ, pre) {
				r.utility[typ]++
				return
			}
		}
		res := &tfRes{addr: addr, key: tfGraphKey(addr), index: index, module: module, typ: typ, values: values, exprs: r.configOf(module, "managed", typ, name)}
		if r.byKey[res.key] != nil {
			res.key = addr // two addresses with the same graph key: keep the address
		}
		res.local = strings.TrimPrefix(strings.TrimPrefix(addr, module), ".")
		if ch := changes[addr]; ch != nil {
			res.unknown = ch.Change.AfterUnknown
		}
		r.res = append(r.res, res)
		r.byKey[res.key] = res
		base := typ + "." + name
		r.byName[module+"|"+base] = append(r.byName[module+"|"+base], res)
		r.addModule(module)
	}
	var walk func(m *tfModule, depth int)
	walk = func(m *tfModule, depth int) {
		if m == nil || depth > model.MaxNesting+10 {
			return
		}
		for _, res := range m.Resources {
			add(res.Address, m.Address, res.Mode, res.Type, res.Name, res.Index, res.Values)
		}
		for i := range m.ChildModules {
			walk(&m.ChildModules[i], depth+1)
		}
	}
	if p.PlannedValues != nil {
		walk(p.PlannedValues.RootModule, 0)
	}
	for i := range p.ResourceChanges {
		ch := &p.ResourceChanges[i]
		if seen[ch.Address] {
			continue
		}
		if actions := strings.Join(ch.Change.Actions, ","); (actions == "delete" || actions == "forget") && ch.Mode != "data" {
			seen[ch.Address] = true
			r.deleted++
			continue
		}
		module := ch.ModuleAddress
		if module == "" {
			module = tfModuleOf(ch.Address)
		}
		after, _ := ch.Change.After.(map[string]any)
		add(ch.Address, module, ch.Mode, ch.Type, ch.Name, ch.Index, after)
	}
	for _, res := range r.res {
		for _, a := range tfIDAttrs {
			r.indexValue(res.values[a], res.key)
		}
		if tfNamed[res.typ] {
			r.indexValue(res.values["name"], res.key)
		}
	}
}

func (r *tfReader) indexValue(v any, key string) {
	if s, ok := v.(string); ok && s != "" && r.byValue[s] == "" {
		r.byValue[s] = key
	}
}

// addModule notes a module instance and its ancestors, and makes each a
// group.
func (r *tfReader) addModule(module string) {
	if module == "" || r.modules[module] {
		return
	}
	steps := tfSplit(module)
	parent := ""
	if len(steps) >= 2 {
		parent = tfJoin(steps[:len(steps)-2])
	}
	r.addModule(parent)
	r.modules[module] = true
	r.g.Groups = append(r.g.Groups, iac.Group{Key: tfModuleKey(module), Name: tfJoin(steps[max(len(steps)-2, 0):]), Parent: tfModuleKey(parent)})
}

// tfRefRoots are the first steps of references that do not name a managed
// resource.
var tfRefRoots = map[string]bool{"var": true, "local": true, "data": true, "module": true, "count": true, "each": true,
	"path": true, "terraform": true, "self": true}

// tfModuleKey is the graph key of a module instance's group ("" for the
// root module, which has none).
func tfModuleKey(module string) string {
	if module == "" {
		return ""
	}
	return tfGraphKey(module)
}

// resolve returns the keys of the managed resources that the reference ref,
// made in module instance module, names, or why it names none.
func (r *tfReader) resolve(ref, module string, depth int) (keys []string, why string) {
	steps := tfSplit(ref)
	if len(steps) == 0 || depth > 20 {
		return nil, ""
	}
	switch steps[0].name {
	case "count", "each", "path", "terraform", "self":
		return nil, ""
	case "local":
		return nil, tfJoin(steps[:min(2, len(steps))]) + " is a local value, which the plan does not record"
	case "data":
		return nil, tfJoin(steps[:min(3, len(steps))]) + " is a data source (infrastructure outside this plan)"
	case "var":
		if len(steps) < 2 {
			return nil, ""
		}
		return r.resolveVar(steps[1].name, module, depth)
	case "module":
		if len(steps) < 3 {
			return nil, ""
		}
		return r.resolveOutput(steps[1], steps[2].name, module, depth)
	}
	if len(steps) < 2 {
		return nil, ""
	}
	base := steps[0].name + "." + steps[1].name
	inst := r.byName[module+"|"+base]
	if len(inst) == 0 {
		return nil, base + " is not a resource of the plan"
	}
	for _, res := range inst {
		if steps[1].indexed {
			k := strings.TrimPrefix(res.local, base)
			if !strings.HasPrefix(k, "[") || !sameKey(strings.TrimSuffix(strings.TrimPrefix(k, "["), "]"), steps[1].key) {
				continue
			}
		}
		keys = append(keys, res.key)
	}
	if len(keys) == 0 {
		return nil, steps[1].String() + " is not an instance of " + base + " in the plan"
	}
	return keys, ""
}

// resolveVar follows an input variable of module to the expression its
// caller passes.
func (r *tfReader) resolveVar(name, module string, depth int) ([]string, string) {
	if module == "" {
		return nil, "var." + name + " is an input variable of the root module"
	}
	steps := tfSplit(module)
	if len(steps) < 2 {
		return nil, fmt.Sprintf("%q is not a module address", module)
	}
	parent := tfJoin(steps[:len(steps)-2])
	call := steps[len(steps)-1].name
	pc := r.cfg[tfConfigPath(parent)]
	if pc == nil {
		return nil, "the configuration of " + module + " is not in the plan"
	}
	expr, _ := pc.ModuleCalls[call].Expressions[name].(map[string]any)
	if expr == nil {
		return nil, fmt.Sprintf("var.%s of %s is not set by its caller", name, module)
	}
	return r.resolveExpr(expr, parent, depth+1)
}

// resolveOutput follows an output of a child module of module.
func (r *tfReader) resolveOutput(call tfStep, output, module string, depth int) ([]string, string) {
	prefix := "module." + call.name
	if module != "" {
		prefix = module + "." + prefix
	}
	var instances []string
	for _, m := range iac.SortedKeys(r.modules) {
		if m == prefix {
			instances = append(instances, m)
			continue
		}
		if rest, ok := strings.CutPrefix(m, prefix+"["); ok && len(tfSplit(m)) == len(tfSplit(prefix)) {
			if !call.indexed || sameKey(strings.TrimSuffix(rest, "]"), call.key) {
				instances = append(instances, m)
			}
		}
	}
	cm := r.cfg[tfConfigPath(prefix)]
	if cm == nil || len(instances) == 0 {
		return nil, fmt.Sprintf("module.%s has no resources in the plan", call.name)
	}
	out, ok := cm.Outputs[output]
	if !ok {
		return nil, fmt.Sprintf("module.%s has no output %s", call.name, output)
	}
	var keys []string
	var whys []string
	for _, inst := range instances {
		k, why := r.resolveExpr(out.Expression, inst, depth+1)
		keys = append(keys, k...)
		if why != "" {
			whys = append(whys, why)
		}
	}
	return keys, strings.Join(whys, "; ")
}

// resolveExpr resolves the references of one expression made in module.
// Terraform lists a reference once per traversal step (aws_x.y[0].id,
// aws_x.y[0], aws_x.y); the longest one of each resource counts.
func (r *tfReader) resolveExpr(expr map[string]any, module string, depth int) ([]string, string) {
	refs, _ := expr["references"].([]any)
	var keys, whys []string
	seen := map[string]bool{}
	indexed := map[string]bool{} // resource bases referenced with an instance key
	base := func(ref string) (string, bool) {
		steps := tfSplit(ref)
		if len(steps) < 2 || tfRefRoots[steps[0].name] {
			return "", false
		}
		return steps[0].name + "." + steps[1].name, steps[1].indexed
	}
	for _, x := range refs {
		ref, _ := x.(string)
		if b, ok := base(ref); ok {
			indexed[b] = true
		}
	}
	for _, x := range refs {
		ref, _ := x.(string)
		if b, ok := base(ref); b != "" && !ok && indexed[b] {
			continue
		}
		ks, why := r.resolve(ref, module, depth)
		for _, k := range ks {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
		if why != "" && !slices.Contains(whys, why) {
			whys = append(whys, why)
		}
	}
	return keys, strings.Join(whys, "; ")
}

// at names an argument of a resource in messages.
func (r *tfReader) at(res *tfRes, p []string) string {
	var parts []string
	for _, s := range p {
		if s != "*" {
			parts = append(parts, s)
		}
	}
	return fmt.Sprintf("%s: %s %s", r.file, res.addr, strings.Join(parts, "."))
}

// present reports whether the argument at p is set, in the values, the
// configuration, or as an unknown value.
func (r *tfReader) present(res *tfRes, p []string) bool {
	return len(iac.Get(res.values, p...)) > 0 || len(iac.Get(res.exprs, p...)) > 0 || unknownAt(res.unknown, p)
}

// unknownAt reports whether after_unknown marks the value at p (or one of
// its enclosing values, or any element of it) unknown.
func unknownAt(u any, p []string) bool {
	switch x := u.(type) {
	case bool:
		return x
	case map[string]any:
		if len(p) > 0 && p[0] == "*" {
			p = p[1:]
		}
		if len(p) == 0 {
			for _, v := range x {
				if unknownAt(v, nil) {
					return true
				}
			}
			return false
		}
		return unknownAt(x[p[0]], p[1:])
	case []any:
		if len(p) > 0 && p[0] == "*" {
			p = p[1:]
		}
		for _, v := range x {
			if unknownAt(v, p) {
				return true
			}
		}
	}
	return false
}

// tfStrings returns the strings of values that may be strings or lists that may be one string or a list.
func tfStrings(vals []any) []string {
	var out []string
	for _, v := range vals {
		switch x := v.(type) {
		case string:
			if x != "" {
				out = append(out, x)
			}
		case []any:
			out = append(out, tfStrings(x)...)
		}
	}
	return out
}

// refsAt returns the resources the argument at p of res points at: from
// the references of its configuration expression, else from its known
// value. It warns when the argument is set and nothing resolves.
func (r *tfReader) refsAt(res *tfRes, p ...string) []string {
	if !r.present(res, p) {
		return nil
	}
	return r.refsOf(res, iac.Get(res.values, p...), iac.Get(res.exprs, p...), unknownAt(res.unknown, p), r.at(res, p))
}

// quietAt is refsAt without warnings, for arguments that may name
// something outside the plan (an event target, an endpoint, a URI).
func (r *tfReader) quietAt(res *tfRes, p ...string) []string {
	var keys []string
	for _, e := range iac.Get(res.exprs, p...) {
		em, _ := e.(map[string]any)
		ks, _ := r.resolveExpr(em, res.module, 0)
		keys = append(keys, ks...)
	}
	if len(keys) == 0 {
		for _, s := range tfStrings(mapValues(iac.Get(res.values, p...))) {
			if k := r.byValue[s]; k != "" {
				keys = append(keys, k)
			}
		}
	}
	return iac.Dedupe(keys)
}

// refsOf resolves expressions (configuration) or else values, for the
// argument named at.
func (r *tfReader) refsOf(res *tfRes, values, exprs []any, unknown bool, at string) []string {
	var keys, whys []string
	for _, e := range exprs {
		em, _ := e.(map[string]any)
		ks, why := r.resolveExpr(em, res.module, 0)
		// x[count.index] in the configuration: instance i of res points at
		// element i of what x names.
		if i, isNum := res.index.(float64); isNum && len(ks) > 1 && slices.Contains(tfStrings(iac.Get(em, "references")), "count.index") {
			ks = ks[int(i)%len(ks) : int(i)%len(ks)+1]
		}
		keys = append(keys, ks...)
		if why != "" {
			whys = append(whys, why)
		}
	}
	if len(keys) > 0 {
		return iac.Dedupe(keys)
	}
	var literal []string
	for _, s := range tfStrings(values) {
		if k := r.byValue[s]; k != "" {
			keys = append(keys, k)
		} else {
			literal = append(literal, s)
		}
	}
	if len(keys) > 0 {
		return iac.Dedupe(keys)
	}
	switch {
	case len(whys) > 0 && unknown:
		r.w.Add("%s: unknown until apply, and %s; not resolved", at, strings.Join(whys, "; "))
	case len(whys) > 0:
		r.w.Add("%s: %s; not resolved", at, strings.Join(whys, "; "))
	case unknown && len(exprs) > 0:
		// an argument the configuration sets; an unknown value the
		// configuration does not set is computed by the provider
		r.w.Add("%s: unknown until apply, and the configuration names no resource; not resolved", at)
	case len(literal) > 0:
		r.w.Add("%s: %q is not the id, ARN or name of a resource in the plan; not resolved", at, literal[0])
	}
	return nil
}

// attr returns the known value of a scalar argument, from the planned
// values or else the configuration's constant.
func attr(res *tfRes, name string) any {
	if v, ok := res.values[name]; ok && v != nil {
		return v
	}
	if e, ok := res.exprs[name].(map[string]any); ok {
		return e["constant_value"]
	}
	return nil
}

// blockAttr is attr for an element of a nested block: value first, then
// the element's expressions.
func blockAttr(val, expr map[string]any, name string) any {
	if v, ok := val[name]; ok && v != nil {
		return v
	}
	if e, ok := expr[name].(map[string]any); ok {
		return e["constant_value"]
	}
	return nil
}

func boolOf(v any) bool { b, _ := v.(bool); return b }

// read turns the resources into the graph.
func (r *tfReader) read() {
	type tg struct {
		res   *tfRes
		proto string
		port  int
	}
	var tgs []tg
	for _, res := range r.res {
		key := res.key
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
			proto := iac.ListenerProtocol(iac.Str(attr(res, "protocol")), port)
			if iac.Str(attr(res, "target_type")) == "lambda" {
				proto = "AWS-API"
			}
			tgs = append(tgs, tg{res, proto, port})
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
		if tfConsumed[res.typ] {
			r.g.Skip(res.typ)
			continue
		}
		ir := &iac.Resource{Key: key, Name: res.local, AWSType: tfTypes[res.typ], Source: res.typ, Group: tfModuleKey(res.module), Props: map[string]any{}}
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
		r.g.Resources = append(r.g.Resources, ir)
	}
	for _, t := range tgs {
		r.tgFlows(t.res, t.proto, t.port)
	}
	r.attributes()
	r.pruneGroups()
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
	proto := iac.ListenerProtocol(iac.Str(attr(res, "protocol")), port)
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

// finish sets what the shared assembler cannot: the catalog type of
// network and gateway load balancers, and ARNs known at plan time; and
// notes what was left out.
func (r *tfReader) finish(m *model.ThreatModel, w *convert.Warnings) {
	gateways := 0
	for i := range m.Diagram.Components {
		c := &m.Diagram.Components[i]
		if c.Resource == nil {
			continue
		}
		res := r.byKey[c.Resource.ResourceID]
		if res == nil {
			continue
		}
		c.Resource.ResourceID = res.addr
		if arn, ok := res.values["arn"].(string); ok && strings.HasPrefix(arn, "arn:") {
			c.Resource.ARN = arn
		}
		switch r.lbKind[res.key] {
		case "network":
			c.Type = "aws.nlb"
		case "gateway":
			gateways++
			c.Type = convert.GenericType
			c.Properties = model.Properties{convert.SourceTypeProperty: convert.RawJSON(res.typ), "loadBalancerType": convert.RawJSON("gateway")}
		}
	}
	for i := range m.Diagram.Groups {
		g := &m.Diagram.Groups[i]
		if g.Resource == nil {
			continue
		}
		if res := r.byKey[g.Resource.ResourceID]; res != nil {
			g.Resource.ResourceID = res.addr
			if arn, ok := res.values["arn"].(string); ok && strings.HasPrefix(arn, "arn:") {
				g.Resource.ARN = arn
			}
		}
	}
	if gateways > 0 {
		w.Add("%d gateway load balancers (aws_lb with load_balancer_type gateway) have no Bulwark catalog type; imported as %s", gateways, convert.GenericType)
	}
	for _, t := range iac.SortedKeys(r.utility) {
		w.Add("%d resources of type %s create no infrastructure; not imported", r.utility[t], t)
	}
	if r.data > 0 {
		w.Add("%d data sources read existing infrastructure outside the plan; not imported", r.data)
	}
	if r.deleted > 0 {
		w.Add("%d resources are planned for destruction; not imported", r.deleted)
	}
}
