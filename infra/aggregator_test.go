package infra

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
)

// testAggregator is the AWS Config aggregator the test platform names.
const testAggregator = "org-aggregator"

// testAggregatorAccounts is the test platform's aggregator allow list.
const testAggregatorAccounts = "acme=111111111111,222222222222;beta=333333333333"

// TestAggregator: with bulwark:configAggregator set, the functions that
// read member accounts' AWS Config (configevents too: it reads oversized
// items back) get its name and its tenant allow list and may query
// aggregators (read-only, the platform account's only); the others get
// neither.
func TestAggregator(t *testing.T) {
	f := getFixture(t)
	type fn struct {
		stack assertions.Template
		fn    *GoFunction
	}
	readers := map[string]fn{
		"api":          {f.template(f.platform.API.Stack), f.platform.API.Functions["api"]},
		"vpcbuild":     {f.template(f.platform.Workflow.Stack), f.platform.Workflow.Functions["vpcbuild"]},
		"drift":        {f.template(f.platform.Events.Stack), f.platform.Events.Functions["drift"]},
		"configevents": {f.template(f.platform.Events.Stack), f.platform.Events.Functions["configevents"]},
	}
	others := map[string]fn{
		"findings":    {f.template(f.platform.Events.Stack), f.platform.Events.Functions["findings"]},
		"jirawebhook": {f.template(f.platform.API.Stack), f.platform.API.Functions["jirawebhook"]},
	}
	for name, r := range readers {
		if r.fn == nil {
			t.Fatalf("no %s function", name)
		}
		env := functionEnv(t, r.stack, f.logicalID(r.fn.Function.Node().DefaultChild()))
		if env["BULWARK_CONFIG_AGGREGATOR"] != testAggregator || env["BULWARK_ACCELERATOR_SOURCE"] != "aws" ||
			env["BULWARK_AGGREGATOR_ACCOUNTS"] != testAggregatorAccounts {
			t.Errorf("%s: environment %v, want the aggregator and its allow list in aws mode", name, env)
		}
		got := roleActions(t, r.stack, f.logicalID(r.fn.Role.Node().DefaultChild()))
		for _, a := range AggregatorReadActions {
			res := fmt.Sprint(got[a])
			if len(got[a]) != 1 || !strings.Contains(res, ":config-aggregator/*") || !strings.Contains(res, "AWS::AccountId") {
				t.Errorf("%s: %s on %v, want the platform account's aggregators", name, a, got[a])
			}
		}
		for a := range got {
			if strings.HasPrefix(a, "config:") && !slices.Contains(AggregatorReadActions, a) {
				t.Errorf("%s may also %s", name, a)
			}
		}
	}
	for name, o := range others {
		if o.fn == nil {
			t.Fatalf("no %s function", name)
		}
		if env := functionEnv(t, o.stack, f.logicalID(o.fn.Function.Node().DefaultChild())); env["BULWARK_CONFIG_AGGREGATOR"] != nil || env["BULWARK_AGGREGATOR_ACCOUNTS"] != nil {
			t.Errorf("%s has the aggregator: %v", name, env)
		}
		for a := range roleActions(t, o.stack, f.logicalID(o.fn.Role.Node().DefaultChild())) {
			if strings.HasPrefix(a, "config:") {
				t.Errorf("%s may %s", name, a)
			}
		}
	}
}

func TestAcceleratorEnvWithoutAggregator(t *testing.T) {
	env := acceleratorEnv(Deps{}, map[string]string{"BULWARK_STORE": "dynamodb://t"})
	_, list := env["BULWARK_AGGREGATOR_ACCOUNTS"]
	if _, ok := env["BULWARK_CONFIG_AGGREGATOR"]; ok || list || env["BULWARK_ACCELERATOR_SOURCE"] != "aws" || env["BULWARK_STORE"] != "dynamodb://t" {
		t.Errorf("environment %v", env)
	}
}

// functionEnv returns the environment variables of the Lambda function with
// the given logical id.
func functionEnv(t *testing.T, tp assertions.Template, id string) map[string]interface{} {
	t.Helper()
	r, ok := resources(tp, "AWS::Lambda::Function")[id]
	if !ok {
		t.Fatalf("no function %s", id)
	}
	env, _ := props(r)["Environment"].(map[string]interface{})
	vars, _ := env["Variables"].(map[string]interface{})
	return vars
}
