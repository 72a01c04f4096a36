package infra

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// MemberReadActions are the only actions the member role allows: reads of
// AWS Config, Security Hub and Organizations. pkg/awsclient must need no
// other.
var MemberReadActions = []string{
	// AWS Config: inventory, configuration history and rule compliance.
	"config:BatchGetResourceConfig",
	"config:DescribeComplianceByConfigRule",
	"config:DescribeComplianceByResource",
	"config:DescribeConfigRules",
	"config:DescribeConfigurationRecorderStatus",
	"config:DescribeConfigurationRecorders",
	"config:GetComplianceDetailsByConfigRule",
	"config:GetComplianceDetailsByResource",
	"config:GetDiscoveredResourceCounts",
	"config:GetResourceConfigHistory",
	"config:ListDiscoveredResources",
	"config:SelectResourceConfig",
	// Security Hub: findings and the enabled standards and controls.
	"securityhub:DescribeHub",
	"securityhub:DescribeStandards",
	"securityhub:DescribeStandardsControls",
	"securityhub:GetEnabledStandards",
	"securityhub:GetFindings",
	"securityhub:ListSecurityControlDefinitions",
	// Organizations: which account this is and its place in the organization.
	"organizations:DescribeAccount",
	"organizations:DescribeOrganization",
	"organizations:ListAccounts",
	"organizations:ListParents",
}

// ForwardedDetailTypes are the EventBridge detail types a member account
// forwards to the platform bus.
var ForwardedDetailTypes = []string{
	"Config Configuration Item Change",
	"Config Rules Compliance Change",
	"Security Hub Findings - Imported",
	// Security Hub's OCSF findings (source aws.securityhub, see
	// "EventBridge event formats" in the Security Hub user guide).
	"Findings Imported V2",
}

// MemberRoleName is the fixed name of the member account's read-only role,
// under [MemberRolePath]: its ARN is
// arn:PARTITION:iam::ACCOUNT:role/bulwark/BulwarkReadOnly, so Bulwark knows
// it from the account id alone when an account is registered, before the
// member stack exists. One member stack per account (IAM names are global
// to the account).
const MemberRoleName = "BulwarkReadOnly"

// MemberStackProps configures [NewMemberStack].
type MemberStackProps struct {
	awscdk.StackProps
	// PlatformAccountID is the default of the PlatformAccountId parameter.
	PlatformAccountID string
	// PlatformRegion is the default of the PlatformRegion parameter; empty
	// means the region the member stack is deployed in.
	PlatformRegion string
}

// MemberStack is deployed in every member account (by hand, or by a
// StackSet across an organization). Its parameters are PlatformAccountId,
// ExternalId, PlatformEventBusName and PlatformRegion (the platform's
// region, when it is not the member stack's: events are forwarded across
// regions). It makes no use of CDK assets or
// bootstrap resources, so its template deploys as it is.
type MemberStack struct {
	awscdk.Stack
	// PlatformAccountID, ExternalID, EventBusName and PlatformRegion are
	// the stack parameters.
	PlatformAccountID, ExternalID, EventBusName, PlatformRegion awscdk.CfnParameter
	// PlatformBusArn is the ARN of the platform bus the rule forwards to.
	PlatformBusArn *string
	// ReadRole is the read-only role the platform assumes.
	ReadRole awsiam.Role
	// Forward sends Config and Security Hub events to the platform bus.
	Forward awsevents.Rule
	// ForwardDeadLetters holds events the platform bus did not accept.
	ForwardDeadLetters awssqs.Queue
}

// NewMemberStack creates the member-account stack.
func NewMemberStack(scope constructs.Construct, id string, props *MemberStackProps) *MemberStack {
	if props == nil {
		props = &MemberStackProps{}
	}
	sp := props.StackProps
	if sp.Synthesizer == nil {
		// No bootstrap version check: StackSets deploy into accounts that
		// were never bootstrapped for CDK.
		sp.Synthesizer = awscdk.NewBootstraplessSynthesizer(&awscdk.BootstraplessSynthesizerProps{})
	}
	if sp.Description == nil {
		sp.Description = jsii.String("Bulwark member account: read-only role for the platform and event forwarding")
	}
	stack := awscdk.NewStack(scope, jsii.String(id), &sp)
	s := &MemberStack{Stack: stack}

	pap := &awscdk.CfnParameterProps{
		Type:                  jsii.String("String"),
		Description:           jsii.String("Id of the AWS account running the Bulwark platform"),
		AllowedPattern:        jsii.String(`^\d{12}$`),
		ConstraintDescription: jsii.String("a 12-digit AWS account id"),
	}
	if props.PlatformAccountID != "" {
		pap.Default = jsii.String(props.PlatformAccountID)
	}
	s.PlatformAccountID = awscdk.NewCfnParameter(stack, jsii.String("PlatformAccountId"), pap)
	s.ExternalID = awscdk.NewCfnParameter(stack, jsii.String("ExternalId"), &awscdk.CfnParameterProps{
		Type:                  jsii.String("String"),
		Description:           jsii.String("ExternalId the platform must present to assume the read-only role (given by Bulwark when the account is added)"),
		MinLength:             jsii.Number(16),
		MaxLength:             jsii.Number(1224),
		AllowedPattern:        jsii.String(`^[\w+=,.@:/-]+$`),
		ConstraintDescription: jsii.String("16 to 1224 characters of letters, digits and +=,.@:/-"),
		NoEcho:                jsii.Bool(true),
	})
	s.EventBusName = awscdk.NewCfnParameter(stack, jsii.String("PlatformEventBusName"), &awscdk.CfnParameterProps{
		Type:        jsii.String("String"),
		Description: jsii.String("Name of the platform's event bus, in the platform account and region"),
		Default:     jsii.String("default"),
	})
	s.PlatformRegion = awscdk.NewCfnParameter(stack, jsii.String("PlatformRegion"), &awscdk.CfnParameterProps{
		Type:                  jsii.String("String"),
		Description:           jsii.String("Region of the Bulwark platform's event bus; empty for this stack's region"),
		Default:               jsii.String(props.PlatformRegion),
		AllowedPattern:        jsii.String(`^([a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d)?$`),
		ConstraintDescription: jsii.String("empty, or an AWS region such as eu-west-1"),
	})
	sameRegion := awscdk.NewCfnCondition(stack, jsii.String("PlatformInThisRegion"), &awscdk.CfnConditionProps{
		Expression: awscdk.Fn_ConditionEquals(s.PlatformRegion.ValueAsString(), jsii.String("")),
	})

	s.ReadRole = awsiam.NewRole(stack, jsii.String("ReadRole"), &awsiam.RoleProps{
		// The path lets the platform's grant name member roles only:
		// sts:AssumeRole on role/bulwark/* ([GrantAssumeMemberRoles]). The
		// fixed name lets Bulwark derive the ARN at registration.
		RoleName:    jsii.String(MemberRoleName),
		Path:        jsii.String(MemberRolePath),
		Description: jsii.String("Bulwark platform: read-only access to AWS Config, Security Hub and Organizations"),
		AssumedBy: awsiam.NewAccountPrincipal(s.PlatformAccountID.ValueAsString()).WithConditions(&map[string]interface{}{
			"StringEquals": map[string]interface{}{"sts:ExternalId": s.ExternalID.ValueAsString()},
		}),
		MaxSessionDuration: awscdk.Duration_Hours(jsii.Number(1)),
		InlinePolicies: &map[string]awsiam.PolicyDocument{
			"ReadOnly": awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{
				Statements: &[]awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
					Actions:   jsii.Strings(MemberReadActions...),
					Resources: jsii.Strings("*"),
				})},
			}),
		},
	})
	Suppress(s.ReadRole, Suppression{ID: "AwsSolutions-IAM5", AppliesTo: []string{"Resource::*"},
		Reason: "Read-only Config, Security Hub and Organizations list/describe actions over the whole account; most support no resource-level permissions"})

	// The platform bus may be in another region: EventBridge delivers to an
	// event bus in another account or region when the rule's target has an
	// IAM role that EventBridge assumes to call events:PutEvents on that bus
	// (CDK's EventBus target creates the role and grants exactly this).
	s.PlatformBusArn = awscdk.Fn_Sub(jsii.String("arn:${AWS::Partition}:events:${BusRegion}:${PlatformAccountId}:event-bus/${PlatformEventBusName}"),
		&map[string]*string{"BusRegion": awscdk.Fn_ConditionIf(sameRegion.LogicalId(), awscdk.Aws_REGION(), s.PlatformRegion.ValueAsString()).ToString()})
	platformBus := awsevents.EventBus_FromEventBusArn(stack, jsii.String("PlatformBus"), s.PlatformBusArn)
	s.ForwardDeadLetters = awssqs.NewQueue(stack, jsii.String("ForwardDeadLetters"), &awssqs.QueueProps{
		Encryption:      awssqs.QueueEncryption_SQS_MANAGED,
		EnforceSSL:      jsii.Bool(true),
		RetentionPeriod: awscdk.Duration_Days(jsii.Number(14)),
	})
	Suppress(s.ForwardDeadLetters, Suppression{ID: "AwsSolutions-SQS3",
		Reason: "This queue is the dead-letter queue of the forwarding rule's target"})
	s.Forward = awsevents.NewRule(stack, jsii.String("ForwardToPlatform"), &awsevents.RuleProps{
		Description: jsii.String("Forwards AWS Config and Security Hub events to the Bulwark platform bus (in its account and region)"),
		EventPattern: &awsevents.EventPattern{
			Source:     jsii.Strings("aws.config", "aws.securityhub"),
			DetailType: jsii.Strings(ForwardedDetailTypes...),
		},
		Targets: &[]awsevents.IRuleTarget{awseventstargets.NewEventBus(platformBus, &awseventstargets.EventBusProps{
			DeadLetterQueue: s.ForwardDeadLetters,
		})},
	})
	awscdk.Validations_Of(s.Forward).Acknowledge(&awscdk.Acknowledgment{
		Id: jsii.String("CloudFormation-Validate::W1030"),
		Reason: jsii.String("The target ARN's region is Fn::If(PlatformInThisRegion, AWS::Region, PlatformRegion): " +
			"the empty default of PlatformRegion is never substituted into the ARN"),
	})
	awscloudwatch.NewAlarm(stack, jsii.String("ForwardDeadLettersAlarm"), &awscloudwatch.AlarmProps{
		AlarmDescription: jsii.String("Bulwark: Config or Security Hub events could not be forwarded to the platform bus"),
		Metric: s.ForwardDeadLetters.MetricApproximateNumberOfMessagesVisible(&awscloudwatch.MetricOptions{
			Period: awscdk.Duration_Minutes(jsii.Number(5)), Statistic: jsii.String("Maximum"),
		}),
		Threshold:          jsii.Number(1),
		EvaluationPeriods:  jsii.Number(1),
		ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
		TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
	})

	awscdk.NewCfnOutput(stack, jsii.String("ReadRoleArn"), &awscdk.CfnOutputProps{
		Value: s.ReadRole.RoleArn(), Description: jsii.String("The read-only role Bulwark assumes with the ExternalId (its name is fixed, so Bulwark derives it from the account id; Verify in Accelerator → Add account checks it)"),
	})
	return s
}
