package architecture

import (
	"bufio"
	"bytes"
	"os/exec"
	"sort"
	"strings"
	"testing"
)

const module = "github.com/bulwark-tm/bulwark/"

// Dependency groups a rule can forbid. A dependency matches a group when it
// equals one of its entries or starts with an entry that ends in "/".
var (
	awsSDK  = []string{"github.com/aws/aws-sdk-go-v2/service/", "github.com/aws/aws-sdk-go-v2/config"}
	goJira  = []string{"github.com/andygrunwald/go-jira"}
	bolt    = []string{"go.etcd.io/bbolt"}
	drivers = []string{module + "pkg/store/bolt", module + "pkg/store/dynamo", module + "pkg/awsclient", module + "pkg/compliance/awsevidence"}
	roots   = []string{module + "pkg/app", module + "pkg/cli", module + "functions/"}
	httpAPI = []string{module + "pkg/api"}
)

func join(groups ...[]string) []string {
	var all []string
	for _, g := range groups {
		all = append(all, g...)
	}
	return all
}

// infrastructure is what no domain package may depend on, even indirectly.
var infrastructure = join(awsSDK, goJira, bolt, drivers, roots, httpAPI)

func pkgs(names ...string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = module + "pkg/" + n
	}
	return out
}

// rule: the packages matching pkg must not depend (transitively) on any of
// forbidden.
type rule struct {
	pkg       string
	forbidden []string
	why       string
}

var rules = []rule{
	// The domain: pure logic over the model, drivers injected from outside.
	{"pkg/model", join(infrastructure, pkgs("catalog", "store", "analysis")), "the document types are the bottom layer"},
	{"pkg/errs", join(infrastructure, pkgs("model")), "error kinds are below everything"},
	{"pkg/gctune", join(infrastructure, pkgs("model", "errs")), "the server's collector settings are a leaf"},
	{"pkg/jsonfast", join(infrastructure, pkgs("model")), "the codec is below the model"},
	{"pkg/catalog", join(infrastructure, pkgs("store", "analysis", "assist")), "the knowledge base reads rules/, nothing else"},
	{"pkg/assist", join(infrastructure, pkgs("store", "builder", "drift", "compliance", "workflow")), "Assist is model + catalog"},
	{"pkg/analysis", join(infrastructure, pkgs("store", "builder", "drift", "compliance", "workflow")), "analysis is model + catalog"},
	{"pkg/inventory", join(infrastructure, pkgs("model", "store", "builder")), "inventory normalizes AWS data; it knows no diagram"},
	{"pkg/builder", join(infrastructure, pkgs("store", "drift", "compliance", "workflow")), "the builder is inventory → diagram"},
	{"pkg/drift", join(infrastructure, pkgs("store", "compliance", "workflow")), "drift compares a model with an inventory"},
	{"pkg/compliance", join(infrastructure, pkgs("workflow")), "evidence → requirement status; AWS readers live in compliance/awsevidence"},
	{"pkg/report", join(infrastructure, pkgs("workflow")), "reports render what analysis and compliance computed"},
	{"pkg/interop", join(infrastructure, pkgs("store", "workflow")), "import/export is file ↔ model"},
	{"pkg/interop/internal/convert", join(infrastructure, pkgs("store", "workflow")), "what every interop format shares"},
	{"pkg/interop/internal/interoptest", join(infrastructure, pkgs("store", "workflow")), "what the interop tests share"},
	{"pkg/interop/tmbom", join(infrastructure, pkgs("store", "workflow")), "TMBOM is listed and refused"},
	{"pkg/interop/threatcomposer", join(infrastructure, pkgs("store", "workflow")), "Threat Composer documents ↔ model"},
	{"pkg/interop/threatdragon", join(infrastructure, pkgs("store", "workflow")), "Threat Dragon documents ↔ model"},
	{"pkg/interop/otm", join(infrastructure, pkgs("store", "workflow")), "Open Threat Model documents ↔ model"},
	{"pkg/interop/internal/iac", join(infrastructure, pkgs("store", "workflow")), "what the CloudFormation and Terraform importers share"},
	{"pkg/interop/terraform", join(infrastructure, pkgs("store", "workflow")), "Terraform plans → model"},
	{"pkg/interop/cloudformation", join(infrastructure, pkgs("store", "workflow")), "CloudFormation templates → model"},
	{"pkg/template", join(infrastructure, pkgs("workflow")), "templates are models in the store"},
	{"pkg/diff", join(infrastructure, pkgs("workflow", "interop")), "the threat-level diff of two models and their analyses"},
	{"pkg/gate", join(infrastructure, pkgs("workflow")), "the CI gate: an imported change diffed against a baseline"},
	{"pkg/accounts", join(infrastructure, pkgs("workflow")), "member accounts are records in the store"},
	{"pkg/store", infrastructure, "the Store interface; drivers are its subpackages"},
	{"pkg/auth", join(infrastructure, pkgs("store")), "who is calling"},
	{"pkg/outbound", join(infrastructure, pkgs("model")), "the guarded HTTP client"},
	{"pkg/webapp", join(infrastructure, pkgs("model")), "serves the built web app"},
	{"pkg/demo", infrastructure, "demo data"},
	{"pkg/jira", join(awsSDK, goJira, bolt, drivers, roots, httpAPI), "the Jira service; go-jira is its adapter (pkg/jira/gojira)"},
	{"pkg/secrets", join(awsSDK, bolt, drivers, roots, httpAPI), "the secrets interface; Secrets Manager is an adapter"},
	{"pkg/users", join(awsSDK, bolt, drivers, roots, httpAPI), "the user directory; Cognito is an adapter"},
	{"pkg/workflow", join(awsSDK, bolt, drivers, roots, httpAPI), "the build steps; Step Functions is an adapter"},
	// The HTTP layer sees interfaces only.
	{"pkg/api", join(awsSDK, goJira, bolt, drivers, roots), "api.Deps holds interfaces; drivers are wired in pkg/app"},
}

// pending lists the violations known today, each removed by the named step
// of the restructuring. The test fails when one of them no longer holds, so
// the list only shrinks.
var pending = map[string][]string{}

func matches(dep string, group []string) bool {
	for _, g := range group {
		if dep == g || (strings.HasSuffix(g, "/") && strings.HasPrefix(dep, g)) || strings.HasPrefix(dep, g+"/") {
			return true
		}
	}
	return false
}

type listed struct {
	imports []string // direct
	deps    []string // transitive
}

// list runs go list over the module once and returns every package's direct
// imports and transitive dependencies (tests excluded).
func list(t *testing.T) map[string]listed {
	t.Helper()
	cmd := exec.Command("go", "list", "-f", "{{.ImportPath}}|{{join .Imports \" \"}}|{{join .Deps \" \"}}", "github.com/bulwark-tm/bulwark/...")
	cmd.Dir = "../../.."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	got := map[string]listed{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		parts := strings.SplitN(sc.Text(), "|", 3)
		if len(parts) != 3 {
			continue
		}
		got[strings.TrimPrefix(parts[0], module)] = listed{imports: strings.Fields(parts[1]), deps: strings.Fields(parts[2])}
	}
	if len(got) < 20 {
		t.Fatalf("go list found only %d packages; is the test run from inside the module?", len(got))
	}
	return got
}

func TestDependencyDirection(t *testing.T) {
	all := list(t)
	for _, r := range rules {
		l, ok := all[r.pkg]
		if !ok {
			t.Errorf("%s: the rule names a package that does not exist; keep the rules and README's package table true", r.pkg)
			continue
		}
		bad := map[string]bool{}
		for _, d := range l.deps {
			if matches(d, r.forbidden) {
				bad[d] = true
			}
		}
		known := pending[r.pkg]
		var unexplained, explained []string
		for d := range bad {
			if matches(d, known) {
				explained = append(explained, d)
			} else {
				unexplained = append(unexplained, d)
			}
		}
		sort.Strings(unexplained)
		if len(unexplained) > 0 {
			t.Errorf("%s must not depend on %s (%s)", r.pkg, strings.Join(unexplained, ", "), r.why)
		}
		for _, k := range known {
			found := false
			for _, d := range explained {
				if strings.HasPrefix(d, k) {
					found = true
				}
			}
			if !found {
				t.Errorf("%s no longer depends on %s: remove it from the pending list", r.pkg, k)
			}
		}
	}
}

// TestEveryPackageHasARule makes a new package choose its layer.
func TestEveryPackageHasARule(t *testing.T) {
	ruled := map[string]bool{}
	for _, r := range rules {
		ruled[r.pkg] = true
	}
	// Composition roots, drivers and adapters may depend on anything.
	free := []string{"pkg/app", "pkg/cli", "pkg/store/", "pkg/awsclient", "pkg/compliance/awsevidence", "pkg/workflow/sfn", "pkg/users/cognito", "pkg/secrets/secretsmanager", "pkg/jira/gojira", "pkg/internal/", "functions/"}
	for p := range list(t) {
		if ruled[p] || strings.Contains(p, "/internal/") || strings.Contains(p, "/testdata") || strings.HasSuffix(p, "test") {
			continue
		}
		isFree := false
		for _, f := range free {
			if p == strings.TrimSuffix(f, "/") || (strings.HasSuffix(f, "/") && strings.HasPrefix(p, f)) {
				isFree = true
			}
		}
		if !isFree && strings.HasPrefix(p, "pkg/") && strings.Count(p, "/") == 1 {
			t.Errorf("%s has no rule in architecture_test.go: say which layer it is in", p)
		}
	}
}

// TestEntryPointsAreThin: functions/* import only the composition root.
func TestEntryPointsAreThin(t *testing.T) {
	entries := 0
	for p, l := range list(t) {
		if !strings.HasPrefix(p, "functions/") {
			continue
		}
		entries++
		var extra []string
		for _, imp := range l.imports {
			if !strings.HasPrefix(imp, module) {
				continue
			}
			rel := strings.TrimPrefix(imp, module)
			if rel == "pkg/app" || (p == "functions/local" && rel == "pkg/cli") {
				continue
			}
			extra = append(extra, rel)
		}
		sort.Strings(extra)
		if len(extra) > 0 {
			t.Errorf("%s imports %v besides the composition root (entry points stay thin: the logic goes to pkg/, the wiring to pkg/app)", p, extra)
		}
	}
	if entries == 0 {
		t.Error("go list found no functions/* packages")
	}
}
