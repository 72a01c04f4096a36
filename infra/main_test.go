package infra

import (
	"archive/zip"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

func TestMain(m *testing.M) {
	os.Setenv("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

// testOrganizationID is the organization the test platform's bus admits.
const testOrganizationID = "o-a1b2c3d4e5"

// fixture is one synthesized app holding every stack, shared by the tests
// because synthesis through jsii is slow.
type fixture struct {
	app      awscdk.App
	platform *Platform
	member   *MemberStack
	tmpl     map[string]assertions.Template // by stack id
}

var (
	fixtureOnce sync.Once
	theFixture  *fixture
	fixtureErr  error
)

// testAssets makes a Lambda dir with a tiny zip per registered function and
// a web dir with an index.html. BULWARK_TEST_LAMBDA_DIR and
// BULWARK_TEST_WEB_DIR use real builds instead.
func testAssets() (lambdaDir, webDir string, err error) {
	tmp, err := os.MkdirTemp("", "bulwark-infra-test-")
	if err != nil {
		return "", "", err
	}
	lambdaDir = os.Getenv("BULWARK_TEST_LAMBDA_DIR")
	if lambdaDir == "" {
		lambdaDir = filepath.Join(tmp, "lambda")
		if err := os.MkdirAll(lambdaDir, 0o755); err != nil {
			return "", "", err
		}
		for _, f := range Functions {
			if err := writeZip(filepath.Join(lambdaDir, f.Name+".zip"), "bootstrap", "#!/bin/sh\n"); err != nil {
				return "", "", err
			}
		}
	}
	webDir = os.Getenv("BULWARK_TEST_WEB_DIR")
	if webDir == "" {
		webDir = filepath.Join(tmp, "web")
		if err := os.MkdirAll(webDir, 0o755); err != nil {
			return "", "", err
		}
		if err := os.WriteFile(filepath.Join(webDir, "index.html"), []byte("<!doctype html><title>Bulwark</title>"), 0o644); err != nil {
			return "", "", err
		}
	}
	return lambdaDir, webDir, nil
}

func writeZip(path, name, content string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	z := zip.NewWriter(f)
	w, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
	if err == nil {
		_, err = w.Write([]byte(content))
	}
	if cerr := z.Close(); err == nil {
		err = cerr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func getFixture(t *testing.T) *fixture {
	t.Helper()
	fixtureOnce.Do(func() {
		lambdaDir, webDir, err := testAssets()
		if err != nil {
			fixtureErr = err
			return
		}
		ctx := FeatureFlags
		app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx})
		p, err := NewPlatform(app, PlatformProps{LambdaDir: lambdaDir, WebDir: webDir, OrganizationID: testOrganizationID, ConfigAggregator: testAggregator, AggregatorAccounts: testAggregatorAccounts})
		if err != nil {
			fixtureErr = err
			return
		}
		m := NewMemberStack(app, "BulwarkMember", &MemberStackProps{PlatformAccountID: "111111111111"})
		ApplyNag(app)
		f := &fixture{app: app, platform: p, member: m, tmpl: map[string]assertions.Template{}}
		for _, s := range f.stacks() {
			f.tmpl[*s.StackName()] = assertions.Template_FromStack(s, nil)
		}
		theFixture = f
	})
	if fixtureErr != nil {
		t.Fatal(fixtureErr)
	}
	return theFixture
}

func (f *fixture) stacks() []awscdk.Stack {
	p := f.platform
	return []awscdk.Stack{p.Monitoring.Stack, p.Data.Stack, p.Web.Stack, p.Workflow.Stack, p.API.Stack, p.Events.Stack, p.WebConfig, f.member.Stack}
}

// template returns the synthesized template of stack.
func (f *fixture) template(stack awscdk.Stack) assertions.Template {
	return f.tmpl[*stack.StackName()]
}

// resources returns the resources of template t of type typ, by logical id.
func resources(t assertions.Template, typ string) map[string]map[string]interface{} {
	out := map[string]map[string]interface{}{}
	for id, r := range *t.FindResources(jsii.String(typ), nil) {
		out[id] = *r
	}
	return out
}

// props returns a resource's Properties.
func props(r map[string]interface{}) map[string]interface{} {
	p, _ := r["Properties"].(map[string]interface{})
	return p
}

// strs turns a policy's string-or-list field into a list.
func strs(v interface{}) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []interface{}:
		var out []string
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			} else {
				b, _ := json.Marshal(e)
				out = append(out, string(b))
			}
		}
		return out
	case nil:
		return nil
	default:
		b, _ := json.Marshal(v)
		return []string{string(b)}
	}
}

func sorted(set map[string]bool) []string {
	var out []string
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// obj and arr shorten matcher patterns.
func obj(m map[string]interface{}) assertions.Matcher { return assertions.Match_ObjectLike(&m) }
func arr(v ...interface{}) assertions.Matcher         { return assertions.Match_ArrayWith(&v) }

func mustContain(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%s: %q does not contain %q", what, s, sub)
		}
	}
}

// logicalID returns the logical id of a CloudFormation element.
func (f *fixture) logicalID(c interface{}) string {
	el := c.(awscdk.CfnElement)
	return *awscdk.Stack_Of(el).GetLogicalId(el)
}

// newTestApp returns an app with the platform's feature flags.
func newTestApp() awscdk.App {
	ctx := FeatureFlags
	return awscdk.NewApp(&awscdk.AppProps{Context: &ctx})
}
