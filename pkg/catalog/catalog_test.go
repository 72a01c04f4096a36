package catalog_test

import (
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/rules"
)

var update = flag.Bool("update", false, "rewrite golden files")

func mustDefault(t testing.TB) *catalog.Catalog {
	t.Helper()
	c, err := catalog.Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	return c
}

func TestDefaultIsCached(t *testing.T) {
	a, b := mustDefault(t), mustDefault(t)
	if a != b {
		t.Error("Default returned two different catalogs")
	}
}

// requiredTypes is the coverage the knowledge base promises (issue 4).
var requiredTypes = []string{
	"aws.ec2", "aws.autoscaling", "aws.ecs", "aws.eks", "aws.fargate", "aws.lambda", "aws.ecr",
	"aws.s3", "aws.ebs", "aws.efs", "aws.rds", "aws.aurora", "aws.dynamodb", "aws.elasticache",
	"aws.redshift", "aws.opensearch", "aws.alb", "aws.nlb", "aws.apigateway", "aws.cloudfront",
	"aws.route53", "aws.waf", "aws.shield", "aws.vpc", "aws.subnet", "aws.internet-gateway",
	"aws.nat-gateway", "aws.security-group", "aws.network-acl", "aws.vpc-endpoint",
	"aws.transit-gateway", "aws.iam", "aws.cognito", "aws.kms", "aws.secrets-manager", "aws.acm",
	"aws.cloudtrail", "aws.cloudwatch", "aws.config", "aws.guardduty", "aws.security-hub",
	"aws.inspector", "aws.trusted-advisor", "aws.systems-manager", "aws.sqs", "aws.sns",
	"aws.eventbridge", "aws.kinesis", "aws.step-functions", "aws.backup",
	"generic.browser", "generic.mobile-app", "generic.external-service", "generic.on-premises",
	"generic.web-server", "generic.database", "generic.message-queue", "generic.identity-provider",
}

func TestCoverage(t *testing.T) {
	c := mustDefault(t)
	for _, id := range requiredTypes {
		ty := c.Type(id)
		if ty == nil {
			t.Errorf("type %s is missing", id)
			continue
		}
		if !ty.AWS() {
			continue
		}
		if n := len(c.ThreatsFor(id)); n < 4 {
			t.Errorf("%s has %d threats, want at least 4", id, n)
		}
		var reqs []*catalog.Requirement
		for _, r := range c.RequirementsFor(id) {
			if r.AppliesToType(id) {
				reqs = append(reqs, r)
			}
		}
		if len(reqs) < 6 {
			t.Errorf("%s has %d requirements, want at least 6", id, len(reqs))
		}
		own := 0
		for _, r := range reqs {
			if len(r.For) > 0 {
				own++
			}
		}
		if own == 0 {
			t.Errorf("%s has no requirement of its own (only cross-cutting ones)", id)
		}
	}
	for _, id := range []string{"aws.security-group", "aws.subnet", "aws.vpc"} {
		if ty := c.Type(id); ty == nil || !ty.CanContain {
			t.Errorf("%s must exist and be a container type", id)
		}
	}
}

// TestEC2Baseline checks the twelve EC2 requirements the issue names.
func TestEC2Baseline(t *testing.T) {
	c := mustDefault(t)
	want := map[string]string{
		"aws.ec2.restrict-admin-access":      "Infrastructure Security",
		"aws.ec2.automated-snapshots":        "Resilience",
		"aws.ec2.ingress-from-load-balancer": "Infrastructure Security",
		"aws.ec2.cross-region-snapshots":     "Resilience",
		"aws.ec2.vulnerability-management":   "Infrastructure Security",
		"aws.ec2.encrypt-at-rest":            "Data Protection",
		"aws.ec2.encrypt-in-transit":         "Data Protection",
		"aws.ec2.central-logging":            "Incident Response",
		"aws.ec2.approved-amis":              "Infrastructure Security",
		"aws.ec2.private-subnet":             "Infrastructure Security",
		"aws.ec2.health-and-availability":    "Resilience",
		"aws.ec2.termination-protection":     "Resilience",
	}
	applies := c.RequirementsFor("aws.ec2")
	for id, epic := range want {
		r := c.Requirement(id)
		if r == nil {
			t.Errorf("requirement %s is missing", id)
			continue
		}
		if r.Epic != epic {
			t.Errorf("%s: epic %q, want %q", id, r.Epic, epic)
		}
		if !slices.Contains(applies, r) {
			t.Errorf("%s does not apply to aws.ec2", id)
		}
	}
}

func TestRequirementContent(t *testing.T) {
	c := mustDefault(t)
	for _, r := range c.Requirements {
		if !slices.Contains(catalog.Epics, r.Epic) {
			t.Errorf("%s: epic %q is not one of %v", r.ID, r.Epic, catalog.Epics)
		}
		if !strings.Contains(r.Description, "1. ") {
			t.Errorf("%s: description has no numbered implementation steps", r.ID)
		}
		if strings.HasPrefix(r.Title, "AWS - ") && !strings.Contains(r.Description, "https://docs.aws.amazon.com/") {
			t.Errorf("%s: an AWS requirement must link AWS documentation", r.ID)
		}
	}
	for _, th := range c.Threats {
		if len(th.Mitigations()) == 0 {
			t.Errorf("threat %s has no mitigation", th.ID)
		}
	}
}

// TestSecurityHubCoverage checks that every Security Hub control about a
// resource type the catalog models (or about the account) is named as
// evidence by some requirement.
func TestSecurityHubCoverage(t *testing.T) {
	c := mustDefault(t)
	named := map[string]bool{}
	for _, r := range c.Requirements {
		for _, id := range r.Evidence.SecurityHub {
			named[id] = true
		}
	}
	for id, ctl := range c.Controls.SecurityHub {
		if named[id] {
			continue
		}
		for _, rt := range ctl.ResourceTypes {
			if ty := c.TypeForResource(rt); ty != nil || rt == "AWS::::Account" {
				t.Errorf("Security Hub control %s (%s) is about %s but no requirement names it", id, ctl.Title, rt)
				break
			}
		}
	}
}

func TestLookups(t *testing.T) {
	c := mustDefault(t)
	tests := []struct {
		name, got, want string
	}{
		{"resource instance", typeID(c.TypeForResource("AWS::EC2::Instance")), "aws.ec2"},
		{"resource security group", typeID(c.TypeForResource("AWS::EC2::SecurityGroup")), "aws.security-group"},
		{"resource subnet", typeID(c.TypeForResource("AWS::EC2::Subnet")), "aws.subnet"},
		{"resource vpc", typeID(c.TypeForResource("AWS::EC2::VPC")), "aws.vpc"},
		{"resource aurora", typeID(c.TypeForResource("AWS::RDS::DBCluster")), "aws.aurora"},
		{"resource unknown", typeID(c.TypeForResource("AWS::Nope::Thing")), ""},
		{"type", typeID(c.Type("aws.s3")), "aws.s3"},
		{"protocol alias", c.Protocol(" postgres ").ID, "PostgreSQL"},
		{"protocol case", c.Protocol("https").ID, "HTTPS"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
	if c.Protocol("gopher") != nil {
		t.Error("unknown protocol found")
	}
	if p := c.Protocol("HTTP"); p.Encrypted || p.DefaultPort != 80 {
		t.Errorf("HTTP = %+v, want plaintext on 80", p)
	}
	if p := c.Protocol("SSH"); !p.Encrypted || p.DefaultPort != 22 {
		t.Errorf("SSH = %+v, want encrypted on 22", p)
	}
	for _, th := range c.ThreatsFor("aws.s3") {
		if !slices.Contains(th.AppliesTo.Types, "aws.s3") {
			t.Errorf("ThreatsFor(aws.s3) returned %s, which does not apply to it", th.ID)
		}
	}
	if got := c.Threat("aws.common.unlogged-activity"); got == nil || len(got.AppliesTo.Types) < 50 {
		t.Error("aws.* pattern did not expand to every AWS type")
	}
}

func typeID(t *catalog.ComponentType) string {
	if t == nil {
		return ""
	}
	return t.ID
}

func TestToolboxGolden(t *testing.T) {
	c := mustDefault(t)
	got, err := json.MarshalIndent(c.Toolbox(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "toolbox.golden.json")
	if *update {
		if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)+"\n"); diff != "" {
		t.Errorf("toolbox changed (-golden +got); run go test ./pkg/catalog -update if intended:\n%s", diff)
	}
	var tb struct {
		ComponentTypes []map[string]any `json:"componentTypes"`
		Protocols      []map[string]any `json:"protocols"`
	}
	if err := json.Unmarshal(got, &tb); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "name", "category", "icon", "canContain", "dataStore", "resourceTypes", "properties"} {
		if _, ok := tb.ComponentTypes[0][k]; !ok {
			t.Errorf("toolbox component type lacks %q", k)
		}
	}
	for _, k := range []string{"id", "name", "encrypted"} {
		if _, ok := tb.Protocols[0][k]; !ok {
			t.Errorf("toolbox protocol lacks %q", k)
		}
	}
}

// fixture builds a rules FS from the real schema, catalogs and icon list
// plus the given YAML files.
func fixture(t *testing.T, files map[string]string) fs.FS {
	t.Helper()
	m := fstest.MapFS{}
	for _, name := range []string{catalog.SchemaPath, "icons.txt", "catalogs/securityhub-controls.csv",
		"catalogs/config-managed-rules.csv", "catalogs/cis-aws-foundations.csv"} {
		b, err := fs.ReadFile(rules.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		m[name] = &fstest.MapFile{Data: b}
	}
	for name, body := range files {
		m[name] = &fstest.MapFile{Data: []byte(body)}
	}
	return m
}

const baseTypes = `
componentTypes:
  - {id: aws.ec2, name: EC2, category: Compute, icon: architecture-service/AmazonEC2, resourceTypes: [AWS::EC2::Instance],
     properties: [{name: publicIp, type: boolean, default: false, description: d}]}
  - {id: aws.subnet, name: Subnet, category: Networking, icon: architecture-group/Privatesubnet, resourceTypes: [AWS::EC2::Subnet], canContain: true}
protocols:
  - {id: HTTPS, name: HTTPS, defaultPort: 443, encrypted: true}
`

const baseThreat = `
threats:
  - {id: t.one, title: T, stride: Tampering, description: d, likelihood: 3, impact: 3, appliesTo: {types: [aws.ec2]}}
`

func TestLoadValid(t *testing.T) {
	c, err := catalog.Load(fixture(t, map[string]string{
		"a.yaml": baseTypes + baseThreat + `
requirements:
  - {id: r.one, title: AWS - Do it, epic: IAM, severity: High, description: "1. x", mitigates: [t.one],
     evidence: {securityHub: [EC2.8], config: [ec2-imdsv2-check], cis: [3.0.0/5.6]}}
assist:
  - {id: a.one, for: [aws.ec2], task: Put it in a subnet, needs: {inside: [aws.subnet]}, fix: {place: aws.subnet, as: parent}}
`}))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got := c.RequirementsFor("aws.ec2"); len(got) != 1 || got[0].ID != "r.one" {
		t.Errorf("RequirementsFor(aws.ec2) = %v", got)
	}
	if got := c.AssistFor("aws.ec2"); len(got) != 1 {
		t.Errorf("AssistFor(aws.ec2) = %v", got)
	}
}

func TestLoadRejects(t *testing.T) {
	req := func(evidence string) string {
		return baseTypes + baseThreat + "requirements:\n  - {id: r.one, title: AWS - Do it, epic: IAM, severity: High, description: d, mitigates: [t.one]" + evidence + "}\n"
	}
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"unknown Security Hub control", map[string]string{"a.yaml": req(", evidence: {securityHub: [EC2.999]}")}, `Security Hub control "EC2.999" is not in`},
		{"unknown Config rule", map[string]string{"a.yaml": req(", evidence: {config: [no-such-rule]}")}, `AWS Config rule "no-such-rule" is not in`},
		{"unknown CIS item", map[string]string{"a.yaml": req(", evidence: {cis: [1.4.0/9.9]}")}, `CIS item "1.4.0/9.9" is not in`},
		{"unknown mitigated threat", map[string]string{"a.yaml": baseTypes + baseThreat +
			"requirements:\n  - {id: r.one, title: AWS - X, epic: IAM, severity: High, description: d, mitigates: [t.one, t.nope]}\n"}, `mitigates unknown threat "t.nope"`},
		{"unmitigated threat", map[string]string{"a.yaml": baseTypes + baseThreat}, "no requirement mitigates it"},
		{"threat on unknown type", map[string]string{"a.yaml": req("") +
			"  - {id: r.two, title: AWS - X, epic: IAM, severity: High, description: d, mitigates: [t.two]}\n" +
			"", "b.yaml": "threats:\n  - {id: t.two, title: T, stride: Tampering, description: d, likelihood: 1, impact: 1, appliesTo: {types: [aws.nope]}}\n"}, `applies to unknown component type "aws.nope"`},
		{"duplicate id", map[string]string{"a.yaml": req(""), "b.yaml": "threats:\n  - {id: t.one, title: T, stride: Tampering, description: d, likelihood: 1, impact: 1, appliesTo: {types: [aws.ec2]}}\n"}, `threat id "t.one" is already used in a.yaml`},
		{"rule id equal to type id", map[string]string{"a.yaml": req("") + "assist:\n  - {id: aws.ec2, for: [aws.ec2], task: x, needs: {present: [aws.subnet]}, fix: {place: aws.subnet, as: anywhere}}\n"}, `assist rule id "aws.ec2" is already used`},
		{"icon not in aws-icons", map[string]string{"a.yaml": strings.Replace(req(""), "architecture-service/AmazonEC2", "architecture-service/AmazonEC3", 1)}, `icon "architecture-service/AmazonEC3" is not in icons.txt`},
		{"schema: bad stride", map[string]string{"a.yaml": strings.Replace(req(""), "stride: Tampering", "stride: Tampered", 1)}, "does not match schema/rules.schema.json"},
		{"schema: unknown field", map[string]string{"a.yaml": req(", owner: me")}, "additional properties 'owner' not allowed"},
		{"condition on missing property", map[string]string{"a.yaml": strings.Replace(req(""), "appliesTo: {types: [aws.ec2]}", "appliesTo: {types: [aws.ec2], when: [encrypted == false]}", 1)}, `aws.ec2 has no property "encrypted"`},
		{"condition value of wrong kind", map[string]string{"a.yaml": strings.Replace(req(""), "appliesTo: {types: [aws.ec2]}", "appliesTo: {types: [aws.ec2], when: [publicIp == yes]}", 1)}, "is not true or false"},
		{"fix does not complete the task", map[string]string{"a.yaml": req("") + "assist:\n  - {id: a.one, for: [aws.ec2], task: x, needs: {inside: [aws.subnet]}, fix: {place: aws.subnet, as: connected, protocol: HTTPS}}\n"}, "an inside need is fixed by placing one of"},
		{"property fix that does not satisfy", map[string]string{"a.yaml": req("") + "assist:\n  - {id: a.one, for: [aws.ec2], task: x, needs: {property: [publicIp == false]}, fix: {set: {publicIp: true}}}\n"}, `fix does not make "publicIp == false" true`},
		{"inside a non-container", map[string]string{"a.yaml": req("") + "assist:\n  - {id: a.one, for: [aws.subnet], task: x, needs: {inside: [aws.ec2]}}\n"}, "cannot contain components"},
		{"unknown protocol in flow threat", map[string]string{"a.yaml": req("") + "  - {id: r.two, title: AWS - X, epic: IAM, severity: High, description: d, mitigates: [t.f]}\n",
			"b.yaml": "threats:\n  - {id: t.f, title: T, stride: Tampering, description: d, likelihood: 1, impact: 1, appliesTo: {flows: {protocols: [GOPHER]}}}\n"}, `unknown protocol "GOPHER"`},
		{"pattern matching nothing", map[string]string{"a.yaml": strings.Replace(req(""), "types: [aws.ec2]}", `types: ["gcp.*"]}`, 1)}, `pattern "gcp.*" matches no component type`},
		{"requirement for unknown type", map[string]string{"a.yaml": req(", for: [aws.nope]")}, `for unknown component type "aws.nope"`},
		{"no rules files", map[string]string{}, "no rules files"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := catalog.Load(fixture(t, tt.files))
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			if !errs.Is(err, errs.Invalid) {
				t.Errorf("error kind = %v, want invalid: %v", errs.KindOf(err), err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
		})
	}
}
