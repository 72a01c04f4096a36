package infra

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"
)

// SecretsPrefix is the Secrets Manager name prefix under which Bulwark keeps
// integration secrets (Jira tokens and webhook secrets), one secret per
// instance, created at run time by the api function.
const SecretsPrefix = "bulwark/"

// SecretsURL is the BULWARK_SECRETS setting of functions that use them.
const SecretsURL = "secretsmanager://" + SecretsPrefix

// Secret actions: the api function manages integration secrets; the
// webhook only reads them.
var (
	SecretManageActions = []string{"secretsmanager:CreateSecret", "secretsmanager:DeleteSecret", "secretsmanager:GetSecretValue",
		"secretsmanager:PutSecretValue", "secretsmanager:TagResource"}
	SecretReadActions = []string{"secretsmanager:GetSecretValue"}
)

// GrantSecrets allows fn the given Secrets Manager actions on Bulwark's
// integration secrets only (names under [SecretsPrefix]jira/).
func GrantSecrets(fn awsiam.IGrantable, actions ...string) {
	awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee: fn,
		Actions: jsii.Strings(actions...),
		ResourceArns: jsii.Strings(*awscdk.Fn_Sub(jsii.String(
			"arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:"+SecretsPrefix+"jira/*"), nil)),
	})
}

// SecretGrantSuppressions explain the cdk-nag finding of [GrantSecrets]:
// secrets are created at run time, one per Jira instance, so the grant names
// their prefix.
var SecretGrantSuppressions = []Suppression{{
	ID:        "AwsSolutions-IAM5",
	AppliesTo: []string{`/^Resource::arn:<AWS::Partition>:secretsmanager:.*:secret:bulwark\/jira\/\*$/`},
	Reason:    "Integration secrets are created at run time, one per Jira instance; the grant is limited to the bulwark/jira/ name prefix",
}}

// MemberRolePath is the IAM path of every member account's read-only role
// ([NewMemberStack]); the platform may assume roles under it only.
const MemberRolePath = "/bulwark/"

// GrantAssumeMemberRoles allows fn to assume the read-only roles of the
// member stacks (sts:AssumeRole on arn:PARTITION:iam::*:role/bulwark/*).
// Each role trusts the platform account only with its account's
// ExternalId, which Bulwark keeps with the registered account.
func GrantAssumeMemberRoles(fn awsiam.IGrantable) {
	awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee: fn,
		Actions: jsii.Strings("sts:AssumeRole"),
		ResourceArns: jsii.Strings(*awscdk.Fn_Sub(jsii.String(
			"arn:${AWS::Partition}:iam::*:role"+MemberRolePath+"*"), nil)),
	})
}

// GrantReadAggregator lets fn query the account's AWS Config aggregators
// (resources and rule compliance), read-only, when d names one.
func GrantReadAggregator(d Deps, fn awsiam.IGrantable) {
	if d.ConfigAggregator == "" {
		return
	}
	awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee:      fn,
		Actions:      jsii.Strings(AggregatorReadActions...),
		ResourceArns: jsii.Strings(*awscdk.Fn_Sub(jsii.String("arn:${AWS::Partition}:config:${AWS::Region}:${AWS::AccountId}:config-aggregator/*"), nil)),
	})
}

// AggregatorReadActions are the AWS Config aggregator calls Bulwark makes.
var AggregatorReadActions = []string{
	"config:SelectAggregateResourceConfig",
	"config:DescribeAggregateComplianceByConfigRules",
	"config:GetAggregateComplianceDetailsByConfigRule",
	// An oversized Config change notification is read back by id
	// (functions/configevents).
	"config:GetAggregateResourceConfig",
}

// AggregatorGrantSuppressions explain the cdk-nag finding of
// [GrantReadAggregator]: an aggregator's ARN ends in an id AWS generates.
var AggregatorGrantSuppressions = []Suppression{{
	ID:        "AwsSolutions-IAM5",
	AppliesTo: []string{`/^Resource::arn:<AWS::Partition>:config:<AWS::Region>:<AWS::AccountId>:config-aggregator\/\*$/`},
	Reason:    "An aggregator's ARN ends in an id AWS generates; the grant is read-only and limited to the platform account's aggregators in its region",
}}

// MemberRoleGrantSuppressions explain the cdk-nag finding of
// [GrantAssumeMemberRoles]: member accounts are registered at run time.
var MemberRoleGrantSuppressions = []Suppression{{
	ID:        "AwsSolutions-IAM5",
	AppliesTo: []string{`/^Resource::arn:<AWS::Partition>:iam::\*:role\/bulwark\/\*$/`},
	Reason:    "Member accounts are registered at run time; the grant is limited to the member stacks' read-only roles (path /bulwark/), each of which also requires its account's ExternalId",
}}

// OrganizationReadActions read the AWS Organizations tree (root, OUs,
// accounts), which the Accelerator shows when the platform account is the
// organization's management or delegated-administrator account.
var OrganizationReadActions = []string{"organizations:DescribeOrganization", "organizations:ListRoots",
	"organizations:ListOrganizationalUnitsForParent", "organizations:ListAccountsForParent", "organizations:ListAccounts"}

// GrantReadOrganization allows fn to read the Organizations tree. These
// actions have no resource-level permissions for the whole tree, so the
// grant names every resource; they only read.
func GrantReadOrganization(fn awsiam.IGrantable) {
	awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee: fn, Actions: jsii.Strings(OrganizationReadActions...), ResourceArns: jsii.Strings("*"),
	})
}

// OrganizationGrantSuppressions explain the cdk-nag finding of
// [GrantReadOrganization].
var OrganizationGrantSuppressions = []Suppression{{
	ID:        "AwsSolutions-IAM5",
	AppliesTo: []string{"Resource::*"},
	Reason:    "Listing roots, OUs and accounts of the organization has no narrower resource; the actions are read-only",
}}
