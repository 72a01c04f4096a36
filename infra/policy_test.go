package infra

import (
	"strings"
	"testing"
)

// TestNoWildcardActions: no IAM policy of any stack allows "*" or a whole
// service ("dynamodb:*"), and no role carries a FullAccess managed policy.
func TestNoWildcardActions(t *testing.T) {
	f := getFixture(t)
	for _, s := range f.stacks() {
		tp := f.template(s)
		for id, p := range resources(tp, "AWS::IAM::Policy") {
			for _, st := range props(p)["PolicyDocument"].(map[string]interface{})["Statement"].([]interface{}) {
				st := st.(map[string]interface{})
				for _, a := range strs(st["Action"]) {
					if st["Effect"] == "Allow" && (a == "*" || strings.HasSuffix(a, ":*")) {
						t.Errorf("%s/%s allows %s", *s.StackName(), id, a)
					}
				}
			}
		}
		for id, r := range resources(tp, "AWS::IAM::Role") {
			for _, m := range strs(props(r)["ManagedPolicyArns"]) {
				if strings.Contains(m, "FullAccess") {
					t.Errorf("%s/%s has managed policy %s", *s.StackName(), id, m)
				}
			}
		}
	}
}

// TestNoPhysicalNames: CloudFormation names every resource, so stacks can
// be deployed twice in one account and replaced without conflicts. The one
// exception is the member role, named [MemberRoleName] so that Bulwark
// knows its ARN from the account id when the account is registered.
func TestNoPhysicalNames(t *testing.T) {
	names := map[string]string{
		"AWS::DynamoDB::Table":             "TableName",
		"AWS::S3::Bucket":                  "BucketName",
		"AWS::Lambda::Function":            "FunctionName",
		"AWS::IAM::Role":                   "RoleName",
		"AWS::SQS::Queue":                  "QueueName",
		"AWS::SNS::Topic":                  "TopicName",
		"AWS::Logs::LogGroup":              "LogGroupName",
		"AWS::Cognito::UserPool":           "UserPoolName",
		"AWS::KMS::Key":                    "KeyId",
		"AWS::Events::Rule":                "Name",
		"AWS::CloudWatch::Alarm":           "AlarmName",
		"AWS::StepFunctions::StateMachine": "StateMachineName",
	}
	f := getFixture(t)
	memberRole := f.logicalID(f.member.ReadRole.Node().DefaultChild())
	for _, s := range f.stacks() {
		tp := f.template(s)
		for typ, prop := range names {
			for id, r := range resources(tp, typ) {
				if s == f.member.Stack && id == memberRole && props(r)[prop] == MemberRoleName {
					continue
				}
				if v, ok := props(r)[prop]; ok {
					t.Errorf("%s/%s (%s) has physical name %s = %v", *s.StackName(), id, typ, prop, v)
				}
			}
		}
	}
}
