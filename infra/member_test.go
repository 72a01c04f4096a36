package infra

import (
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"
)

func TestMemberStackParameters(t *testing.T) {
	f := getFixture(t)
	tp := f.template(f.member.Stack)
	tp.HasParameter(jsii.String("PlatformAccountId"), obj(map[string]interface{}{
		"Type": "String", "Default": "111111111111", "AllowedPattern": `^\d{12}$`,
	}))
	tp.HasParameter(jsii.String("ExternalId"), obj(map[string]interface{}{
		"Type": "String", "NoEcho": true, "MinLength": 16, "Default": assertions.Match_Absent(),
	}))
	tp.HasParameter(jsii.String("PlatformEventBusName"), obj(map[string]interface{}{"Default": "default"}))
	// Optional: empty forwards to the platform bus in the member's region.
	tp.HasParameter(jsii.String("PlatformRegion"), obj(map[string]interface{}{"Type": "String", "Default": ""}))
	// Deployable by StackSets into accounts never bootstrapped for CDK.
	if ps := *tp.FindParameters(jsii.String("BootstrapVersion"), nil); len(ps) != 0 {
		t.Errorf("member template needs the CDK bootstrap: %v", ps)
	}
	if a := resources(tp, "AWS::Lambda::Function"); len(a) != 0 {
		t.Errorf("member stack has Lambda functions (assets): %v", a)
	}
}

// TestMemberRoleTrust: only the platform account may assume the role, and
// only with the ExternalId.
func TestMemberRoleTrust(t *testing.T) {
	f := getFixture(t)
	tp := f.template(f.member.Stack)
	roles := resources(tp, "AWS::IAM::Role")
	read := f.logicalID(f.member.ReadRole.Node().DefaultChild())
	r, ok := roles[read]
	if !ok {
		t.Fatalf("no read role %s", read)
	}
	trust := props(r)["AssumeRolePolicyDocument"].(map[string]interface{})["Statement"].([]interface{})
	if len(trust) != 1 {
		t.Fatalf("want one trust statement, got %v", trust)
	}
	want := map[string]interface{}{
		"Action":    "sts:AssumeRole",
		"Effect":    "Allow",
		"Condition": map[string]interface{}{"StringEquals": map[string]interface{}{"sts:ExternalId": map[string]interface{}{"Ref": "ExternalId"}}},
		"Principal": map[string]interface{}{"AWS": map[string]interface{}{"Fn::Join": []interface{}{"", []interface{}{
			"arn:", map[string]interface{}{"Ref": "AWS::Partition"}, ":iam::", map[string]interface{}{"Ref": "PlatformAccountId"}, ":root",
		}}}},
	}
	if d := cmp.Diff(want, trust[0]); d != "" {
		t.Errorf("trust policy (-want +got):\n%s", d)
	}
	if got := props(r)["MaxSessionDuration"]; got != float64(3600) {
		t.Errorf("MaxSessionDuration = %v, want 3600", got)
	}
	if props(r)["ManagedPolicyArns"] != nil {
		t.Errorf("read role has managed policies: %v", props(r)["ManagedPolicyArns"])
	}
	// The platform's functions may assume roles under this path only
	// (GrantAssumeMemberRoles).
	if got := props(r)["Path"]; got != MemberRolePath {
		t.Errorf("Path = %v, want %s", got, MemberRolePath)
	}
	// pkg/accounts derives arn:aws:iam::ACCOUNT:role/bulwark/BulwarkReadOnly
	// from the account id at registration.
	if got := props(r)["RoleName"]; got != "BulwarkReadOnly" {
		t.Errorf("RoleName = %v, want BulwarkReadOnly", got)
	}
}

// TestMemberRoleReadOnly: the role allows exactly the read actions of
// Config, Security Hub and Organizations.
func TestMemberRoleReadOnly(t *testing.T) {
	f := getFixture(t)
	tp := f.template(f.member.Stack)
	read := f.logicalID(f.member.ReadRole.Node().DefaultChild())
	r := resources(tp, "AWS::IAM::Role")[read]
	var got []string
	for _, p := range props(r)["Policies"].([]interface{}) {
		for _, s := range p.(map[string]interface{})["PolicyDocument"].(map[string]interface{})["Statement"].([]interface{}) {
			st := s.(map[string]interface{})
			if st["Effect"] != "Allow" {
				t.Errorf("unexpected statement %v", st)
			}
			got = append(got, strs(st["Action"])...)
		}
	}
	if len(resources(tp, "AWS::IAM::Policy")) != 1 { // the forwarding rule's role only
		t.Errorf("member stack has %d IAM::Policy resources, want 1 (events role)", len(resources(tp, "AWS::IAM::Policy")))
	}
	want := append([]string(nil), MemberReadActions...)
	sort.Strings(got)
	sort.Strings(want)
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("read role actions (-want +got):\n%s", d)
	}
	readVerbs := []string{"Get", "List", "Describe", "BatchGet", "Select"}
	for _, a := range got {
		svc, verb, _ := strings.Cut(a, ":")
		if svc != "config" && svc != "securityhub" && svc != "organizations" {
			t.Errorf("%s: service %s is not Config, Security Hub or Organizations", a, svc)
		}
		ok := false
		for _, v := range readVerbs {
			ok = ok || strings.HasPrefix(verb, v)
		}
		if !ok || strings.Contains(verb, "*") {
			t.Errorf("%s is not a read action", a)
		}
	}
}

// platformBusArn is the target of the forwarding rule: the platform bus in
// the platform account and in PlatformRegion, or in the member's region
// when PlatformRegion is empty.
var platformBusArn = map[string]interface{}{"Fn::Sub": []interface{}{
	"arn:${AWS::Partition}:events:${BusRegion}:${PlatformAccountId}:event-bus/${PlatformEventBusName}",
	map[string]interface{}{"BusRegion": map[string]interface{}{"Fn::If": []interface{}{
		"PlatformInThisRegion", map[string]interface{}{"Ref": "AWS::Region"}, map[string]interface{}{"Ref": "PlatformRegion"},
	}}},
}}

func TestMemberForwardRule(t *testing.T) {
	f := getFixture(t)
	tp := f.template(f.member.Stack)
	dlq := f.logicalID(f.member.ForwardDeadLetters.Node().DefaultChild())
	tp.HasCondition(jsii.String("PlatformInThisRegion"), map[string]interface{}{
		"Fn::Equals": []interface{}{map[string]interface{}{"Ref": "PlatformRegion"}, ""},
	})
	rules := resources(tp, "AWS::Events::Rule")
	if len(rules) != 1 {
		t.Fatalf("want 1 rule, got %d", len(rules))
	}
	for _, r := range rules {
		p := props(r)
		want := map[string]interface{}{
			"source": []interface{}{"aws.config", "aws.securityhub"},
			"detail-type": []interface{}{"Config Configuration Item Change", "Config Rules Compliance Change",
				"Security Hub Findings - Imported", "Findings Imported V2"},
		}
		if d := cmp.Diff(want, p["EventPattern"]); d != "" {
			t.Errorf("event pattern (-want +got):\n%s", d)
		}
		targets := p["Targets"].([]interface{})
		if len(targets) != 1 {
			t.Fatalf("want 1 target, got %v", targets)
		}
		tg := targets[0].(map[string]interface{})
		if d := cmp.Diff(platformBusArn, tg["Arn"]); d != "" {
			t.Errorf("target (-want +got):\n%s", d)
		}
		if d := cmp.Diff(map[string]interface{}{"Arn": map[string]interface{}{"Fn::GetAtt": []interface{}{dlq, "Arn"}}}, tg["DeadLetterConfig"]); d != "" {
			t.Errorf("dead-letter queue (-want +got):\n%s", d)
		}
		// EventBridge delivers to a bus in another account or region only
		// with a role it assumes to call PutEvents on that bus.
		role, ok := tg["RoleArn"].(map[string]interface{})["Fn::GetAtt"].([]interface{})
		if !ok {
			t.Fatalf("the target has no role: %v", tg["RoleArn"])
		}
		roleID := role[0].(string)
		trust := props(resources(tp, "AWS::IAM::Role")[roleID])["AssumeRolePolicyDocument"].(map[string]interface{})["Statement"].([]interface{})
		if d := cmp.Diff([]interface{}{map[string]interface{}{"Action": "sts:AssumeRole", "Effect": "Allow",
			"Principal": map[string]interface{}{"Service": "events.amazonaws.com"}}}, trust); d != "" {
			t.Errorf("the target's role trust (-want +got):\n%s", d)
		}
		got := roleActions(t, tp, roleID)
		if d := cmp.Diff(map[string][]string{"events:PutEvents": strs(platformBusArn)}, got); d != "" {
			t.Errorf("the target's role may (-want +got):\n%s", d)
		}
	}
	tp.HasResourceProperties(jsii.String("AWS::SQS::Queue"), obj(map[string]interface{}{"SqsManagedSseEnabled": true}))
	tp.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), obj(map[string]interface{}{
		"MetricName": "ApproximateNumberOfMessagesVisible",
		"Dimensions": []interface{}{map[string]interface{}{"Name": "QueueName", "Value": map[string]interface{}{"Fn::GetAtt": []interface{}{dlq, "QueueName"}}}},
	}))
}

// TestMemberForwardsAcrossRegions: a member stack whose PlatformRegion is
// set forwards to the bus in that region; without it, to its own region's.
func TestMemberForwardsAcrossRegions(t *testing.T) {
	f := getFixture(t)
	tp := f.template(f.member.Stack)
	for _, c := range []struct {
		name, platformRegion, want string
	}{
		{"same region", "", "arn:aws:events:eu-central-1:111111111111:event-bus/default"},
		{"platform elsewhere", "us-east-1", "arn:aws:events:us-east-1:111111111111:event-bus/default"},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := newCfnEnv(tp, map[string]string{"AWS::Region": "eu-central-1", "PlatformRegion": c.platformRegion})
			if got := env.str(t, platformBusArn); got != c.want {
				t.Errorf("forwarding to %s, want %s", got, c.want)
			}
		})
	}
}
