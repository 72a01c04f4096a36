package infra

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"
)

// definition returns the state machine's Amazon States Language document,
// with every CloudFormation token (the function's ARN) replaced by "TOKEN".
func definition(t *testing.T, f *fixture) map[string]interface{} {
	t.Helper()
	w := f.platform.Workflow
	sm := props(resources(f.template(w.Stack), "AWS::StepFunctions::StateMachine")[f.logicalID(w.StateMachine.Node().DefaultChild())])
	var text string
	switch d := sm["DefinitionString"].(type) {
	case string:
		text = d
	case map[string]interface{}:
		join := d["Fn::Join"].([]interface{})
		var b strings.Builder
		for _, p := range join[1].([]interface{}) {
			if s, ok := p.(string); ok {
				b.WriteString(s)
			} else {
				b.WriteString("TOKEN")
			}
		}
		text = b.String()
	default:
		t.Fatalf("DefinitionString is %T", sm["DefinitionString"])
	}
	var def map[string]interface{}
	if err := json.Unmarshal([]byte(text), &def); err != nil {
		t.Fatalf("definition %s: %v", text, err)
	}
	return def
}

// TestStateMachineDefinition: the steps of workflow_steps.json in order,
// each a Lambda task of vpcbuild with its step name, retries with backoff
// for Lambda service errors, throttling and the retryable step errors, and
// a Catch to the fail task, which records the failure and fails.
func TestStateMachineDefinition(t *testing.T) {
	f := getFixture(t)
	def := definition(t, f)
	steps, err := WorkflowSteps()
	if err != nil {
		t.Fatal(err)
	}
	states := def["States"].(map[string]interface{})
	// The first state chooses the mode; a build is the default.
	choice := states[def["StartAt"].(string)].(map[string]interface{})
	if def["StartAt"] != ModeChoice || choice["Type"] != "Choice" {
		t.Fatalf("the state machine starts at %v (%v), want the %q Choice", def["StartAt"], choice["Type"], ModeChoice)
	}
	var order []string
	for name := choice["Default"].(string); ; {
		st := states[name].(map[string]interface{})
		if st["Type"] != "Task" {
			if st["Type"] != "Succeed" {
				t.Errorf("the steps end in a %v state, want Succeed", st["Type"])
			}
			break
		}
		order = append(order, name)
		next, _ := st["Next"].(string)
		if next == "" {
			t.Fatalf("state %s has no Next", name)
		}
		name = next
	}
	var want []string
	for _, s := range steps {
		want = append(want, s.Name)
	}
	if d := cmp.Diff(want, order); d != "" {
		t.Fatalf("task order (-workflow_steps.json +state machine):\n%s", d)
	}

	for _, s := range steps {
		t.Run(s.Name, func(t *testing.T) {
			st := states[s.Name].(map[string]interface{})
			p := st["Parameters"].(map[string]interface{})
			if st["Resource"] != "arn:TOKEN:states:::lambda:invoke" || p["FunctionName"] != "TOKEN" {
				t.Errorf("resource %v, function %v: want a lambda:invoke task", st["Resource"], p["FunctionName"])
			}
			if d := cmp.Diff(map[string]interface{}{"step": s.Name, "state.$": "$"}, p["Payload"]); d != "" {
				t.Errorf("payload (-want +got):\n%s", d)
			}
			if st["OutputPath"] != "$.Payload" || st["TimeoutSeconds"] != float64(s.TimeoutSeconds+30) {
				t.Errorf("output %v, timeout %v", st["OutputPath"], st["TimeoutSeconds"])
			}
			retries := st["Retry"].([]interface{})
			if len(retries) != 2 {
				t.Fatalf("%d retriers, want 2", len(retries))
			}
			r0, r1 := retries[0].(map[string]interface{}), retries[1].(map[string]interface{})
			if !cmp.Equal(strs(r0["ErrorEquals"]), LambdaServiceErrors) || r0["BackoffRate"] != float64(2) || r0["MaxAttempts"] != float64(6) {
				t.Errorf("Lambda service retrier %v", r0)
			}
			if !cmp.Equal(strs(r1["ErrorEquals"]), RetryableStepErrors) || r1["BackoffRate"] != float64(2) || r1["MaxAttempts"] != float64(s.RetryAttempts) {
				t.Errorf("step retrier %v, want %d attempts", r1, s.RetryAttempts)
			}
			want := []interface{}{map[string]interface{}{"ErrorEquals": []interface{}{"States.ALL"}, "ResultPath": "$.error", "Next": FailStep}}
			if d := cmp.Diff(want, st["Catch"]); d != "" {
				t.Errorf("catch (-want +got):\n%s", d)
			}
		})
	}

	fail := states[FailStep].(map[string]interface{})
	p := fail["Parameters"].(map[string]interface{})
	checkStateMachineModes(t, states, choice)
	if d := cmp.Diff(map[string]interface{}{"step": FailStep, "state.$": "$", "error.$": "$.error"}, p["Payload"]); d != "" {
		t.Errorf("fail task payload (-want +got):\n%s", d)
	}
	if fail["Catch"] != nil || fail["ResultPath"] != nil && fail["ResultPath"] != "null" {
		t.Errorf("fail task: catch %v, result path %v", fail["Catch"], fail["ResultPath"])
	}
	if end := states[fail["Next"].(string)].(map[string]interface{}); end["Type"] != "Fail" || end["CausePath"] != "$.error.Cause" {
		t.Errorf("after the fail task: %v, want a Fail state with the caught cause", end)
	}
}

// checkStateMachineModes: drift checks and syncs run on the state machine
// too (issue 13: the API only starts them), chosen by the input's "mode"
// (present and equal, so that a build's input without one is no error),
// each a vpcbuild task with its step name that retries like a build step,
// is caught by the fail task and ends in success.
func checkStateMachineModes(t *testing.T, states, choice map[string]interface{}) {
	t.Helper()
	modes, err := WorkflowModes()
	if err != nil {
		t.Fatal(err)
	}
	if len(modes) != 2 || len(modes["check"]) != 1 || len(modes["sync"]) != 1 {
		t.Fatalf("modes %v, want check and sync", modes)
	}
	rules := choice["Choices"].([]interface{})
	if len(rules) != len(modes) {
		t.Fatalf("%d choices, want one per mode (%d)", len(rules), len(modes))
	}
	for _, r := range rules {
		rule := r.(map[string]interface{})
		and := rule["And"].([]interface{})
		present, equals := and[0].(map[string]interface{}), and[1].(map[string]interface{})
		mode, _ := equals["StringEquals"].(string)
		steps := modes[mode]
		if present["Variable"] != "$.mode" || present["IsPresent"] != true || equals["Variable"] != "$.mode" || steps == nil {
			t.Errorf("choice %v", rule)
			continue
		}
		name := rule["Next"].(string)
		for _, s := range steps {
			if name != s.Name {
				t.Errorf("mode %s runs %s, want %s", mode, name, s.Name)
			}
			st := states[name].(map[string]interface{})
			p := st["Parameters"].(map[string]interface{})
			if d := cmp.Diff(map[string]interface{}{"step": s.Name, "state.$": "$"}, p["Payload"]); d != "" {
				t.Errorf("%s payload (-want +got):\n%s", s.Name, d)
			}
			if st["TimeoutSeconds"] != float64(s.TimeoutSeconds+30) || len(st["Retry"].([]interface{})) != 2 {
				t.Errorf("%s: timeout %v, retriers %v", s.Name, st["TimeoutSeconds"], st["Retry"])
			}
			want := []interface{}{map[string]interface{}{"ErrorEquals": []interface{}{"States.ALL"}, "ResultPath": "$.error", "Next": FailStep}}
			if d := cmp.Diff(want, st["Catch"]); d != "" {
				t.Errorf("%s catch (-want +got):\n%s", s.Name, d)
			}
			name = st["Next"].(string)
		}
		if end := states[name].(map[string]interface{}); end["Type"] != "Succeed" {
			t.Errorf("mode %s ends in %v, want Succeed", mode, end["Type"])
		}
	}
}

// TestStateMachineResource: a Standard state machine, traced, logging
// everything to its own log group encrypted with a rotated key that only
// CloudWatch Logs of this account may use.
func TestStateMachineResource(t *testing.T) {
	f := getFixture(t)
	w := f.platform.Workflow
	tp := f.template(w.Stack)
	logs := f.logicalID(w.Logs.Node().DefaultChild())
	key := f.logicalID(w.LogKey.Node().DefaultChild())
	tp.HasResourceProperties(jsii.String("AWS::StepFunctions::StateMachine"), obj(map[string]interface{}{
		"StateMachineType":     "STANDARD",
		"TracingConfiguration": map[string]interface{}{"Enabled": true},
		"LoggingConfiguration": obj(map[string]interface{}{
			"Level":                "ALL",
			"IncludeExecutionData": true,
			"Destinations": []interface{}{map[string]interface{}{"CloudWatchLogsLogGroup": map[string]interface{}{
				"LogGroupArn": map[string]interface{}{"Fn::GetAtt": []interface{}{logs, "Arn"}}}}},
		}),
	}))
	tp.HasResourceProperties(jsii.String("AWS::Logs::LogGroup"), obj(map[string]interface{}{
		"KmsKeyId": map[string]interface{}{"Fn::GetAtt": []interface{}{key, "Arn"}},
	}))
	tp.HasResourceProperties(jsii.String("AWS::KMS::Key"), obj(map[string]interface{}{
		"EnableKeyRotation": true,
		"KeyPolicy": obj(map[string]interface{}{"Statement": arr(obj(map[string]interface{}{
			"Principal": map[string]interface{}{"Service": map[string]interface{}{"Fn::Sub": "logs.${AWS::Region}.amazonaws.com"}},
			"Condition": obj(map[string]interface{}{"ArnLike": assertions.Match_AnyValue()}),
		}))}),
	}))
	// The task function is synchronous (Step Functions reports its errors).
	fn := w.Functions["vpcbuild"]
	if fn == nil || fn.DeadLetterQueue != nil {
		t.Errorf("vpcbuild function %v: want one, without a dead-letter queue", fn)
	}
}

// TestStateMachineRole: the state machine may invoke the vpcbuild function
// and nothing else beyond log delivery and tracing.
func TestStateMachineRole(t *testing.T) {
	f := getFixture(t)
	w := f.platform.Workflow
	got := roleActions(t, f.template(w.Stack), f.logicalID(w.StateMachine.Role().Node().DefaultChild()))
	var others []string
	for a, res := range got {
		switch {
		case a == "lambda:InvokeFunction":
			fn := f.logicalID(w.Functions["vpcbuild"].Function.Node().DefaultChild())
			for _, r := range res {
				if !strings.Contains(r, fn) {
					t.Errorf("lambda:InvokeFunction on %s", r)
				}
			}
		case strings.HasPrefix(a, "logs:"), strings.HasPrefix(a, "xray:"):
		default:
			others = append(others, a)
		}
	}
	sort.Strings(others)
	if len(others) > 0 {
		t.Errorf("the state machine may also %v", others)
	}
}

// TestAPIStartsBuilds: the api function knows the state machine and may
// start executions of it and of nothing else.
func TestAPIStartsBuilds(t *testing.T) {
	f := getFixture(t)
	tp := f.template(f.platform.API.Stack)
	tp.HasResourceProperties(jsii.String("AWS::Lambda::Function"), obj(map[string]interface{}{
		"Environment": obj(map[string]interface{}{"Variables": obj(map[string]interface{}{
			"BULWARK_STATE_MACHINE_ARN":  obj(map[string]interface{}{"Fn::ImportValue": assertions.Match_StringLikeRegexp(jsii.String("^BulwarkWorkflow:.*VpcBuild"))}),
			"BULWARK_ACCELERATOR_SOURCE": "aws",
		})}),
	}))
	got := roleActions(t, tp, f.logicalID(f.platform.API.Functions["api"].Role.Node().DefaultChild()))
	var states []string
	for a := range got {
		if strings.HasPrefix(a, "states:") {
			states = append(states, a)
		}
	}
	if !cmp.Equal(states, []string{"states:StartExecution"}) {
		t.Fatalf("state machine actions of the api: %v, want only states:StartExecution", states)
	}
	res := got["states:StartExecution"]
	if len(res) != 1 || !strings.Contains(res[0], "BulwarkWorkflow:") || !strings.Contains(res[0], "VpcBuild") {
		t.Errorf("states:StartExecution on %v, want the VPC build state machine only", res)
	}
}

func TestWorkflowSteps(t *testing.T) {
	steps, err := WorkflowSteps()
	if err != nil {
		t.Fatal(err)
	}
	modes, err := WorkflowModes()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range modes {
		steps = append(steps, m...)
	}
	names := map[string]bool{}
	for _, s := range steps {
		if names[s.Name] {
			t.Errorf("step %s twice", s.Name)
		}
		names[s.Name] = true
	}
	for _, spec := range FunctionsFor(TriggerWorkflowTask) {
		for _, s := range steps {
			if spec.Timeout.Seconds() < float64(s.TimeoutSeconds) {
				t.Errorf("%s times out before step %s may end", spec.Name, s.Name)
			}
		}
	}
}
