package infra

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
)

// deployCommand returns the `cdk deploy` command `make deploy` runs with
// the make variables vars, as printed by `make -n` (nothing is run).
func deployCommand(t *testing.T, vars ...string) string {
	t.Helper()
	if _, err := exec.LookPath("make"); err != nil {
		t.Fatalf("make is needed to read the deploy target: %v", err)
	}
	out, err := exec.Command("make", append([]string{"-n", "-C", "..", "deploy"}, vars...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("make -n deploy %v: %v\n%s", vars, err, out)
	}
	joined := strings.ReplaceAll(string(out), "\\\n", " ")
	for _, line := range strings.Split(joined, "\n") {
		if strings.Contains(line, "cdk deploy") {
			return line
		}
	}
	t.Fatalf("make -n deploy %v runs no cdk deploy:\n%s", vars, out)
	return ""
}

// deployArgs returns the stack parameters (--parameters STACK:KEY=VALUE)
// and the context values (-c KEY=VALUE) of a cdk deploy command.
func deployArgs(cmd string) (params map[string]map[string]string, context map[string]string) {
	params, context = map[string]map[string]string{}, map[string]string{}
	f := strings.Fields(cmd)
	for i := 0; i+1 < len(f); i++ {
		switch f[i] {
		case "--parameters":
			stackKey, v, _ := strings.Cut(f[i+1], "=")
			stack, key, _ := strings.Cut(stackKey, ":")
			if params[stack] == nil {
				params[stack] = map[string]string{}
			}
			params[stack][key] = v
		case "-c", "--context":
			k, v, _ := strings.Cut(f[i+1], "=")
			context[k] = v
		}
	}
	return params, context
}

// TestMakeDeploy: `make deploy` deploys every platform stack with values
// for all their parameters (CloudFormation rejects a deployment that leaves
// a parameter without a default unset), for a single account without AWS
// Organizations (no bus policy) and, with ORG_ID, for an organization
// (the bus policy admits it). Both synthesize the app as cdk deploy would.
func TestMakeDeploy(t *testing.T) {
	lambdaDir, webDir, err := testAssets()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		vars      []string
		busPolicy bool
	}{
		{"single account", nil, false},
		{"organization", []string{"ORG_ID=" + testOrganizationID}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			cmd := deployCommand(t, c.vars...)
			params, context := deployArgs(cmd)
			if context["bulwark:stacks"] != "platform" || !strings.Contains(cmd, " --all") {
				t.Errorf("make deploy does not deploy all platform stacks: %s", cmd)
			}
			app := newTestApp()
			p, err := NewPlatform(app, PlatformProps{LambdaDir: lambdaDir, WebDir: webDir,
				OrganizationID: context["bulwark:organizationId"], ConfigAggregator: context["bulwark:configAggregator"]})
			if err != nil {
				t.Fatal(err)
			}
			type stackTemplate struct {
				name string
				tp   assertions.Template
			}
			var stacks []stackTemplate
			for _, st := range []awscdk.Stack{p.Monitoring.Stack, p.Data.Stack, p.Web.Stack, p.Workflow.Stack, p.API.Stack, p.Events.Stack, p.WebConfig} {
				stacks = append(stacks, stackTemplate{*st.StackName(), assertions.Template_FromStack(st, nil)})
			}
			known := map[string]bool{}
			for _, s := range stacks {
				known[s.name] = true
				env := newCfnEnv(s.tp, params[s.name])
				for name, def := range *s.tp.ToJSON() {
					if name != "Parameters" {
						continue
					}
					for param, pv := range def.(map[string]interface{}) {
						if strings.HasPrefix(param, "BootstrapVersion") {
							continue // an SSM parameter with a default
						}
						v, err := env.ref(param)
						if err != nil {
							t.Errorf("%s: %v", s.name, err)
							continue
						}
						if pat, ok := pv.(map[string]interface{})["AllowedPattern"].(string); ok && !regexp.MustCompile(pat).MatchString(v) {
							t.Errorf("%s: parameter %s = %q does not match its AllowedPattern %s", s.name, param, v, pat)
						}
					}
				}
				if s.name == *p.Events.StackName() {
					if got := env.isTrue(t, *p.Events.GetLogicalId(p.Events.HasOrganization)); got != c.busPolicy {
						t.Errorf("bus policy deployed = %v, want %v", got, c.busPolicy)
					}
					if c.busPolicy {
						if got, _ := env.ref(*p.Events.GetLogicalId(p.Events.OrganizationID)); got != testOrganizationID {
							t.Errorf("OrganizationId = %q, want %q", got, testOrganizationID)
						}
					}
				}
			}
			for stack := range params {
				if !known[stack] {
					t.Errorf("make deploy passes parameters to %s, which is no platform stack", stack)
				}
			}
		})
	}
}
