// Package terraform reads the JSON form of a Terraform plan (`terraform
// show -json PLANFILE`, format versions 0.1 to 1.x) into an iac.Graph,
// which iac.Assemble turns into a model.
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
package terraform

import (
	"fmt"
	"path"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/iac"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// Name is the format's name.
const Name = "terraform"

// Format is Terraform for the registry of pkg/interop.
var Format = convert.Format{Name: Name, Description: "Terraform plan JSON (terraform show -json PLANFILE, format 0.1 to 1.x), with child modules", Import: importPlan}

// ModuleProperty is the component property that keeps the address of the
// Terraform module instance a resource comes from.
const ModuleProperty = "terraformModule"

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

// tfReader reads one plan into an iac.Graph.
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

// importPlan reads one plan document: its configuration first (to follow
// references), then its resources, their relationships and attributes.
func importPlan(files []convert.File, cat *catalog.Catalog) (*convert.Imported, error) {
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
	return &convert.Imported{Model: m, Warnings: w.List()}, nil
}

// finish sets what the shared assembler cannot: the catalog type of
// network and gateway load balancers, and ARNs known at plan time; and
// notes what was left out.
// finish gives the model's elements their Terraform addresses and ARNs,
// draws gateway load balancers as generic components, and warns of what
// the plan holds that is not imported.
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
