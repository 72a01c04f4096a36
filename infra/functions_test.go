package infra

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"
)

// TestRegistryMatchesFunctionsDir: every registered function has a
// functions/<name> directory, and every directory under functions/ except
// local (the laptop binary) is registered, so no Lambda is forgotten.
func TestRegistryMatchesFunctionsDir(t *testing.T) {
	dirs, err := os.ReadDir(filepath.Join("..", "functions"))
	if err != nil {
		t.Fatal(err)
	}
	onDisk := map[string]bool{}
	for _, d := range dirs {
		if d.IsDir() && d.Name() != "local" {
			onDisk[d.Name()] = true
		}
	}
	seen := map[string]bool{}
	for _, f := range Functions {
		if seen[f.Name] {
			t.Errorf("function %s registered twice", f.Name)
		}
		seen[f.Name] = true
		if !onDisk[f.Name] {
			t.Errorf("function %s is registered but functions/%s does not exist", f.Name, f.Name)
		}
		if f.Description == "" || f.MemoryMB == 0 || f.Timeout == 0 || f.Grant == nil {
			t.Errorf("function %s: description, memory, timeout and grants are required", f.Name)
		}
	}
	for name := range onDisk {
		if !seen[name] {
			t.Errorf("functions/%s has no entry in the Functions registry (infra/functions.go)", name)
		}
	}
}

// TestAsyncFunction: an asynchronously invoked function (EventBridge rule or
// schedule) gets a dead-letter queue, bounded retries and an alarm on the
// queue's depth, besides its error and throttle alarms.
func TestAsyncFunction(t *testing.T) {
	dir := t.TempDir()
	if err := writeZip(filepath.Join(dir, "sample.zip"), "bootstrap", "x"); err != nil {
		t.Fatal(err)
	}
	app := newTestApp()
	stack := awscdk.NewStack(app, jsii.String("AsyncTest"), nil)
	spec := Function{
		Name: "sample", Description: "asynchronous test function",
		Trigger:  Trigger{Kind: TriggerSchedule, Every: time.Hour},
		MemoryMB: 128, Timeout: time.Minute,
		Grant: func(Deps, awsiam.IGrantable) {},
	}
	g, err := NewGoFunction(stack, "Fn", GoFunctionProps{Spec: spec, LambdaDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	ApplyNag(app)
	tp := assertions.Template_FromStack(stack, nil)
	dlq := *stack.GetLogicalId(g.DeadLetterQueue.Node().DefaultChild().(awscdk.CfnElement))

	tp.HasResourceProperties(jsii.String("AWS::Lambda::Function"), obj(map[string]interface{}{
		"DeadLetterConfig": map[string]interface{}{"TargetArn": map[string]interface{}{"Fn::GetAtt": []interface{}{dlq, "Arn"}}},
	}))
	tp.HasResourceProperties(jsii.String("AWS::Lambda::EventInvokeConfig"), obj(map[string]interface{}{
		"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 21600,
	}))
	tp.HasResourceProperties(jsii.String("AWS::SQS::Queue"), obj(map[string]interface{}{
		"SqsManagedSseEnabled": true, "MessageRetentionPeriod": 1209600,
	}))
	for _, metric := range []string{"Errors", "Throttles", "ApproximateNumberOfMessagesVisible"} {
		tp.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), obj(map[string]interface{}{"MetricName": metric}))
	}
	tp.ResourceCountIs(jsii.String("AWS::CloudWatch::Alarm"), jsii.Number(3))
	an := assertions.Annotations_FromStack(stack)
	for _, m := range *an.FindError(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-.*"))) {
		t.Errorf("cdk-nag error at %s: %v", *m.Id, m.Entry.Data)
	}

	// Every asynchronous function of the registry is built the same way.
	for _, f := range Functions {
		if f.Trigger.Async() && f.Trigger.Kind != TriggerEvent && f.Trigger.Kind != TriggerSchedule {
			t.Errorf("function %s: asynchronous trigger %s", f.Name, f.Trigger.Kind)
		}
	}
}

// TestSyncFunctionHasNoDLQ: a function called synchronously (HTTP) reports
// failures to its caller; a dead-letter queue would never receive anything.
func TestSyncFunctionHasNoDLQ(t *testing.T) {
	f := getFixture(t)
	if q := f.platform.API.Functions["api"].DeadLetterQueue; q != nil {
		t.Error("the api function has a dead-letter queue")
	}
	f.template(f.platform.API.Stack).ResourceCountIs(jsii.String("AWS::SQS::Queue"), jsii.Number(0))
}

func TestLambdaZipMissing(t *testing.T) {
	if _, err := LambdaZip(t.TempDir(), "api"); err == nil {
		t.Error("LambdaZip of a missing zip: no error")
	}
}

// TestNagIsActive guards TestNag against passing vacuously: an unencrypted,
// unlogged bucket must be reported.
func TestNagIsActive(t *testing.T) {
	app := newTestApp()
	stack := awscdk.NewStack(app, jsii.String("NagProbe"), nil)
	awss3.NewCfnBucket(stack, jsii.String("Bare"), &awss3.CfnBucketProps{})
	ApplyNag(app)
	an := assertions.Annotations_FromStack(stack)
	if got := *an.FindError(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-S1"))); len(got) == 0 {
		t.Error("cdk-nag did not report a bucket without access logs")
	}
}

func TestSuppressRequiresReason(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Suppress without a reason did not panic")
		}
	}()
	app := newTestApp()
	Suppress(awscdk.NewStack(app, jsii.String("S"), nil), Suppression{ID: "AwsSolutions-S1"})
}
