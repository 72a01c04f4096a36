package infra

import (
	"sort"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"
)

// TestEventRules: one rule per event function on the default bus, whose
// pattern is the function's sources and detail types and whose target is
// the function, with retries and the function's dead-letter queue.
func TestEventRules(t *testing.T) {
	f := getFixture(t)
	ev := f.platform.Events
	tp := f.template(ev.Stack)
	want := map[string][2][]interface{}{
		"configevents": {{"aws.config"}, {"Config Configuration Item Change"}},
		// "Findings Imported V2": Security Hub's OCSF findings.
		"findings": {{"aws.securityhub", "aws.config"}, {"Security Hub Findings - Imported", "Findings Imported V2", "Config Rules Compliance Change"}},
	}
	for name, pattern := range want {
		t.Run(name, func(t *testing.T) {
			fn := ev.Functions[name]
			if fn == nil {
				t.Fatalf("no %s function in the events stack", name)
			}
			rule := props(resources(tp, "AWS::Events::Rule")[f.logicalID(ev.Rules[name].Node().DefaultChild())])
			if d := cmp.Diff(map[string]interface{}{"source": pattern[0], "detail-type": pattern[1]}, rule["EventPattern"]); d != "" {
				t.Errorf("event pattern (-want +got):\n%s", d)
			}
			if rule["EventBusName"] != "default" || rule["State"] != "ENABLED" {
				t.Errorf("rule on bus %v, state %v; want the default bus, enabled", rule["EventBusName"], rule["State"])
			}
			checkTarget(t, f, rule, fn)
		})
	}
}

// checkTarget: the rule's only target is fn, retried, with fn's
// dead-letter queue.
func checkTarget(t *testing.T, f *fixture, rule map[string]interface{}, fn *GoFunction) {
	t.Helper()
	targets, _ := rule["Targets"].([]interface{})
	if len(targets) != 1 {
		t.Fatalf("%d targets, want 1", len(targets))
	}
	tg := targets[0].(map[string]interface{})
	wantArn := map[string]interface{}{"Fn::GetAtt": []interface{}{f.logicalID(fn.Function.Node().DefaultChild()), "Arn"}}
	if d := cmp.Diff(wantArn, tg["Arn"]); d != "" {
		t.Errorf("target (-want +got):\n%s", d)
	}
	dlq := map[string]interface{}{"Fn::GetAtt": []interface{}{f.logicalID(fn.DeadLetterQueue.Node().DefaultChild()), "Arn"}}
	if d := cmp.Diff(map[string]interface{}{"Arn": dlq}, tg["DeadLetterConfig"]); d != "" {
		t.Errorf("target dead-letter queue (-want +got):\n%s", d)
	}
	if d := cmp.Diff(map[string]interface{}{"MaximumRetryAttempts": float64(8), "MaximumEventAgeInSeconds": float64(21600)}, tg["RetryPolicy"]); d != "" {
		t.Errorf("target retry policy (-want +got):\n%s", d)
	}
}

// TestDriftSchedule: the drift function runs every 15 minutes.
func TestDriftSchedule(t *testing.T) {
	f := getFixture(t)
	ev := f.platform.Events
	fn := ev.Functions["drift"]
	if fn == nil {
		t.Fatal("no drift function in the events stack")
	}
	rule := props(resources(f.template(ev.Stack), "AWS::Events::Rule")[f.logicalID(ev.Rules["drift"].Node().DefaultChild())])
	if rule["ScheduleExpression"] != "rate(15 minutes)" || rule["EventPattern"] != nil {
		t.Errorf("drift rule: schedule %v, pattern %v; want rate(15 minutes) and no pattern", rule["ScheduleExpression"], rule["EventPattern"])
	}
	checkTarget(t, f, rule, fn)
}

// TestBusPolicy: the accounts of the organization (and no one else) may
// put events on the platform's default bus; the policy exists only when
// OrganizationId is not empty.
func TestBusPolicy(t *testing.T) {
	f := getFixture(t)
	ev := f.platform.Events
	tp := f.template(ev.Stack)
	param := f.logicalID(ev.OrganizationID)
	tp.HasParameter(jsii.String(param), obj(map[string]interface{}{
		"Type": "String", "Default": testOrganizationID, "AllowedPattern": OrganizationIDParameterPattern,
	}))
	cond := f.logicalID(ev.HasOrganization)
	tp.HasCondition(jsii.String(cond), map[string]interface{}{
		"Fn::Not": []interface{}{map[string]interface{}{"Fn::Equals": []interface{}{map[string]interface{}{"Ref": param}, ""}}},
	})
	tp.HasResource(jsii.String("AWS::Events::EventBusPolicy"), obj(map[string]interface{}{
		"Condition": cond,
		"Properties": obj(map[string]interface{}{
			"EventBusName": "default",
			"Statement": obj(map[string]interface{}{
				"Effect":    "Allow",
				"Principal": "*",
				"Action":    "events:PutEvents",
				"Condition": map[string]interface{}{"StringEquals": map[string]interface{}{"aws:PrincipalOrgID": map[string]interface{}{"Ref": param}}},
			}),
		}),
	}))
	tp.ResourceCountIs(jsii.String("AWS::Events::EventBusPolicy"), jsii.Number(1))
}

// TestAsyncFunctionsHaveDLQAndAlarms: every asynchronous function of the
// registry is in the events stack with an encrypted, TLS-only dead-letter
// queue, bounded retries, and alarms on errors, throttles and the queue's
// depth.
func TestAsyncFunctionsHaveDLQAndAlarms(t *testing.T) {
	f := getFixture(t)
	ev := f.platform.Events
	tp := f.template(ev.Stack)
	var async []string
	for _, spec := range Functions {
		if spec.Trigger.Async() {
			async = append(async, spec.Name)
		}
	}
	var hosted []string
	for name := range ev.Functions {
		hosted = append(hosted, name)
	}
	sort.Strings(async)
	sort.Strings(hosted)
	if d := cmp.Diff(async, hosted); d != "" {
		t.Errorf("functions of the events stack (-async +hosted):\n%s", d)
	}
	policies := resources(tp, "AWS::SQS::QueuePolicy")
	for _, name := range async {
		fn := ev.Functions[name]
		if fn == nil || fn.DeadLetterQueue == nil {
			t.Errorf("%s: no dead-letter queue", name)
			continue
		}
		q := f.logicalID(fn.DeadLetterQueue.Node().DefaultChild())
		tp.HasResourceProperties(jsii.String("AWS::SQS::Queue"), obj(map[string]interface{}{"SqsManagedSseEnabled": true}))
		tlsOnly := false
		for _, p := range policies {
			pp := props(p)
			if !cmp.Equal(pp["Queues"], []interface{}{map[string]interface{}{"Ref": q}}) {
				continue
			}
			for _, s := range pp["PolicyDocument"].(map[string]interface{})["Statement"].([]interface{}) {
				st := s.(map[string]interface{})
				if st["Effect"] == "Deny" && cmp.Equal(st["Condition"], map[string]interface{}{"Bool": map[string]interface{}{"aws:SecureTransport": "false"}}) {
					tlsOnly = true
				}
			}
		}
		if !tlsOnly {
			t.Errorf("%s: the dead-letter queue does not deny requests without TLS", name)
		}
		fnID := f.logicalID(fn.Function.Node().DefaultChild())
		tp.HasResourceProperties(jsii.String("AWS::Lambda::EventInvokeConfig"), obj(map[string]interface{}{
			"FunctionName": map[string]interface{}{"Ref": fnID}, "MaximumRetryAttempts": 2,
		}))
		for _, metric := range []string{"Errors", "Throttles"} {
			tp.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), obj(map[string]interface{}{
				"MetricName": metric,
				"Dimensions": []interface{}{map[string]interface{}{"Name": "FunctionName", "Value": map[string]interface{}{"Ref": fnID}}},
			}))
		}
		tp.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), obj(map[string]interface{}{
			"MetricName": "ApproximateNumberOfMessagesVisible",
			"Dimensions": []interface{}{map[string]interface{}{"Name": "QueueName",
				"Value": map[string]interface{}{"Fn::GetAtt": []interface{}{q, "QueueName"}}}},
			"AlarmActions": arr(obj(map[string]interface{}{"Fn::ImportValue": assertions.Match_StringLikeRegexp(jsii.String("^BulwarkMonitoring:.*AlarmTopic"))})),
		}))
	}
}

// TestEventFunctionPolicies: the event functions touch only the table (and
// its key), their logs and traces, and what their grants add: the drift
// check assumes member roles and reads Jira secrets; configevents assumes
// member roles or reads the aggregator (oversized items); findings calls no
// other AWS API.
func TestEventFunctionPolicies(t *testing.T) {
	f := getFixture(t)
	ev := f.platform.Events
	tp := f.template(ev.Stack)
	for name, extra := range map[string][]string{
		"configevents": {"config:DescribeAggregateComplianceByConfigRules", "config:GetAggregateComplianceDetailsByConfigRule",
			"config:GetAggregateResourceConfig", "config:SelectAggregateResourceConfig", "sts:AssumeRole"},
		"findings": nil,
		// The test platform names a Config aggregator (TestAggregator).
		"drift": {"config:DescribeAggregateComplianceByConfigRules", "config:GetAggregateComplianceDetailsByConfigRule",
			"config:GetAggregateResourceConfig", "config:SelectAggregateResourceConfig", "secretsmanager:GetSecretValue", "sts:AssumeRole"},
	} {
		got := roleActions(t, tp, f.logicalID(ev.Functions[name].Role.Node().DefaultChild()))
		var others []string
		for a := range got {
			switch a[:min(len(a), 4)] {
			case "dyna", "kms:", "logs", "xray", "sqs:":
				continue
			}
			others = append(others, a)
		}
		sort.Strings(others)
		if d := cmp.Diff(extra, others); d != "" {
			t.Errorf("%s: actions beyond table, logs, traces and its queue (-want +got):\n%s", name, d)
		}
		for _, a := range []string{"dynamodb:PutItem", "sqs:SendMessage"} {
			if _, ok := got[a]; !ok {
				t.Errorf("%s cannot %s", name, a)
			}
		}
	}
}
