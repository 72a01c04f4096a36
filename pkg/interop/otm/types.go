package otm

import (
	"strings"
	"unicode"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
)

// otmTypeNames maps the component type names that OTM producers write
// (StartLeft's and IriusRisk's ids such as "ec2", "load-balancer",
// "api-gateway", "generic-client", Microsoft Threat Modeling Tool names, and
// their common spellings) to catalog types. Keys are normalized by
// normTypeName: lower case, letters and digits only, without a leading
// "aws" or "amazon".
var otmTypeNames = map[string]string{
	// Compute.
	"ec2": "aws.ec2", "ec2instance": "aws.ec2", "instance": "aws.ec2", "virtualmachine": "aws.ec2", "vm": "aws.ec2", "elasticcomputecloud": "aws.ec2",
	"lambda": "aws.lambda", "lambdafunction": "aws.lambda", "serverlessfunction": "aws.lambda", "function": "aws.lambda",
	"ecs": "aws.ecs", "ecscluster": "aws.ecs", "ecsservice": "aws.ecs", "ecstask": "aws.ecs", "elasticcontainerservice": "aws.ecs",
	"fargate": "aws.fargate", "ecr": "aws.ecr", "elasticcontainerregistry": "aws.ecr",
	"eks": "aws.eks", "elastickubernetesservice": "aws.eks",
	"autoscaling": "aws.autoscaling", "autoscalinggroup": "aws.autoscaling", "asg": "aws.autoscaling",
	// Storage and data.
	"s3": "aws.s3", "s3bucket": "aws.s3", "simplestorageservice": "aws.s3", "bucket": "aws.s3",
	"dynamodb": "aws.dynamodb", "dynamodbtable": "aws.dynamodb", "dynamo": "aws.dynamodb",
	"rds": "aws.rds", "rdsinstance": "aws.rds", "rdsdatabase": "aws.rds", "relationaldatabaseservice": "aws.rds", "dbinstance": "aws.rds",
	"aurora": "aws.aurora", "rdsaurora": "aws.aurora", "auroracluster": "aws.aurora", "dbcluster": "aws.aurora",
	"elasticache": "aws.elasticache", "redis": "aws.elasticache", "memcached": "aws.elasticache",
	"efs": "aws.efs", "elasticfilesystem": "aws.efs", "ebs": "aws.ebs", "ebsvolume": "aws.ebs", "elasticblockstore": "aws.ebs",
	"redshift": "aws.redshift", "opensearch": "aws.opensearch", "opensearchservice": "aws.opensearch", "elasticsearch": "aws.opensearch", "elasticsearchservice": "aws.opensearch",
	"kinesis": "aws.kinesis", "kinesisdatastreams": "aws.kinesis", "kinesisstream": "aws.kinesis", "kinesisfirehose": "aws.kinesis", "kinesisdatafirehose": "aws.kinesis",
	"backup":      "aws.backup",
	"sqldatabase": "generic.database", "database": "generic.database", "mysql": "generic.database", "postgresql": "generic.database", "postgres": "generic.database",
	"mongodb": "generic.database", "nosqldatabase": "generic.database", "sqlserver": "generic.database", "oracle": "generic.database", "mariadb": "generic.database",
	"datastore": "generic.database", "store": "generic.database", "filesystem": "generic.database", "azuresql": "generic.database", "sqlazure": "generic.database",
	// Networking.
	"vpc": "aws.vpc", "virtualprivatecloud": "aws.vpc",
	"subnet": "aws.subnet", "privatesubnet": "aws.subnet", "publicsubnet": "aws.subnet",
	"loadbalancer": "aws.alb", "elb": "aws.alb", "elasticloadbalancing": "aws.alb", "elasticloadbalancingv2": "aws.alb", "elbv2": "aws.alb",
	"alb": "aws.alb", "applicationloadbalancer": "aws.alb", "elasticloadbalancer": "aws.alb",
	"nlb": "aws.nlb", "networkloadbalancer": "aws.nlb",
	"apigateway": "aws.apigateway", "apigatewayv2": "aws.apigateway", "restapi": "aws.apigateway", "httpapi": "aws.apigateway", "apigw": "aws.apigateway",
	"cloudfront": "aws.cloudfront", "cloudfrontdistribution": "aws.cloudfront", "cdn": "aws.cloudfront",
	"route53": "aws.route53", "route53hostedzone": "aws.route53", "dns": "aws.route53",
	"transitgateway": "aws.transit-gateway", "internetgateway": "aws.internet-gateway", "igw": "aws.internet-gateway",
	"natgateway": "aws.nat-gateway", "nat": "aws.nat-gateway", "securitygroup": "aws.security-group",
	"networkacl": "aws.network-acl", "nacl": "aws.network-acl", "vpcendpoint": "aws.vpc-endpoint", "privatelink": "aws.vpc-endpoint",
	"waf": "aws.waf", "wafv2": "aws.waf", "webapplicationfirewall": "aws.waf", "shield": "aws.shield",
	// Integration.
	"sqs": "aws.sqs", "sqsqueue": "aws.sqs", "simplequeueservice": "aws.sqs",
	"sns": "aws.sns", "snstopic": "aws.sns", "simplenotificationservice": "aws.sns",
	"eventbridge": "aws.eventbridge", "cloudwatchevents": "aws.eventbridge", "eventbus": "aws.eventbridge",
	"stepfunctions": "aws.step-functions", "statemachine": "aws.step-functions", "sfn": "aws.step-functions",
	"messagequeue": "generic.message-queue", "queue": "generic.message-queue", "messagebroker": "generic.message-queue", "rabbitmq": "generic.message-queue",
	"kafka": "generic.message-queue", "activemq": "generic.message-queue", "servicebus": "generic.message-queue", "azureservicebus": "generic.message-queue",
	// Security and management.
	"cloudtrail": "aws.cloudtrail", "cloudwatch": "aws.cloudwatch", "cloudwatchlogs": "aws.cloudwatch", "cloudwatchalarm": "aws.cloudwatch",
	"cognito": "aws.cognito", "cognitouserpool": "aws.cognito", "kms": "aws.kms", "keymanagementservice": "aws.kms", "kmskey": "aws.kms",
	"iam": "aws.iam", "iamrole": "aws.iam", "iamuser": "aws.iam", "iampolicy": "aws.iam", "identityandaccessmanagement": "aws.iam",
	"secretsmanager": "aws.secrets-manager", "secret": "aws.secrets-manager", "acm": "aws.acm", "certificatemanager": "aws.acm",
	"config": "aws.config", "guardduty": "aws.guardduty", "inspector": "aws.inspector", "securityhub": "aws.security-hub",
	"systemsmanager": "aws.systems-manager", "ssm": "aws.systems-manager", "trustedadvisor": "aws.trusted-advisor",
	// Generic elements.
	"genericclient": "generic.browser", "webclient": "generic.browser", "browser": "generic.browser", "webbrowser": "generic.browser",
	"client": "generic.browser", "user": "generic.browser", "humanuser": "generic.browser", "actor": "generic.browser", "externalinteractor": "generic.browser",
	"mobileclient": "generic.mobile-app", "mobileapp": "generic.mobile-app", "mobileapplication": "generic.mobile-app", "androidclient": "generic.mobile-app", "iosclient": "generic.mobile-app",
	"webapplication": "generic.web-server", "webserver": "generic.web-server", "webservice": "generic.web-server", "webapp": "generic.web-server",
	"webapi": "generic.web-server", "restservice": "generic.web-server", "microservice": "generic.web-server", "backendservice": "generic.web-server",
	"application": "generic.web-server", "process": "generic.web-server", "genericprocess": "generic.web-server", "server": "generic.web-server",
	"dockercontainer": "generic.web-server", "container": "generic.web-server", "webappservice": "generic.web-server",
	"externalservice": "generic.external-service", "thirdpartyservice": "generic.external-service", "externalsystem": "generic.external-service",
	"externalapi": "generic.external-service", "thirdpartyapi": "generic.external-service", "saas": "generic.external-service", "externalwebservice": "generic.external-service",
	"onpremises": "generic.on-premises", "datacenter": "generic.on-premises", "onprem": "generic.on-premises",
	"identityprovider": "generic.identity-provider", "idp": "generic.identity-provider", "oauthserver": "generic.identity-provider",
	"sso": "generic.identity-provider", "okta": "generic.identity-provider", "auth0": "generic.identity-provider", "azureactivedirectory": "generic.identity-provider",
	// IriusRisk names (after "CD-V2-" and "AWS-").
	"wafwebapplicationfirewall": "aws.waf", "waffirewall": "aws.waf", "elasticacheforredis": "aws.elasticache",
	"fargateservice": "aws.fargate", "containerservice": "aws.ecs", "containerplatform": "aws.ecs", "redisserver": "aws.elasticache",
	"webapplicationserverside": "generic.web-server", "webapplicationclientside": "generic.browser", "apiservice": "generic.web-server",
	"restfulwebservice": "generic.web-server", "pythonflask": "generic.web-server", "azurewebapps": "generic.web-server",
	"postgresqldatabase": "generic.database", "relationaldatabasemanagementsystem": "generic.database", "documentdatabase": "generic.database",
	"3rdpartyapiservice": "generic.external-service", "thirdpartyapiservice": "generic.external-service",
	"emptycomponent": convert.GenericType, "genericcomponent": convert.GenericType, "component": convert.GenericType, "generic": convert.GenericType,
}

// normTypeName normalizes a type name for otmTypeNames.
func normTypeName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	n := b.String()
	// IriusRisk's component definitions: "CD-V2-AWS-RDS", "CD-AWS-S3".
	for _, p := range []string{"cdv2", "cd"} {
		if rest, ok := strings.CutPrefix(n, p); ok && len(rest) > 2 {
			n = rest
			break
		}
	}
	for _, p := range []string{"amazon", "aws"} {
		if rest, ok := strings.CutPrefix(n, p); ok && rest != "" {
			n = rest
		}
	}
	return n
}

// catalogTypeFor returns the catalog type for a source type name: a
// catalog id, an AWS resource type ("AWS::S3::Bucket", "aws_s3_bucket"), or
// a name from otmTypeNames; ok is false when none matches.
func catalogTypeFor(cat *catalog.Catalog, t string) (string, bool) {
	if cat.Type(t) != nil {
		return t, true
	}
	if ct := cat.TypeForResource(t); ct != nil {
		return ct.ID, true
	}
	if id, ok := otmTypeNames[normTypeName(t)]; ok && cat.Type(id) != nil {
		return id, true
	}
	return "", false
}
