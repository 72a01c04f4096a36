package interop

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/iac"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// realFiles reads an entry of the real-file corpus (testdata/real/rel): one
// file, or a folder whose files are one import, named by their path in it.
func realFiles(t *testing.T, rel string) []File {
	t.Helper()
	root := filepath.Join("testdata", "real", rel)
	st, err := os.Stat(root)
	if err != nil {
		t.Fatal(err)
	}
	if !st.IsDir() {
		b, err := os.ReadFile(root)
		if err != nil {
			t.Fatal(err)
		}
		return []File{{Name: filepath.Base(rel), Data: b}}
	}
	var files []File
	err = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		name, _ := filepath.Rel(root, p)
		files = append(files, File{Name: filepath.ToSlash(name), Data: b})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func mustImport(t *testing.T, from string, files []File) *Imported {
	t.Helper()
	res, err := Import(from, files, testCatalog(t))
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return res
}

// element returns the component or container with id.
func element(m *model.ThreatModel, id string) (typ, parent string, props model.Properties, ok bool) {
	for _, c := range m.Diagram.Components {
		if c.ID == id {
			return c.Type, c.Parent, c.Properties, true
		}
	}
	for _, g := range m.Diagram.Groups {
		if g.ID == id {
			return g.Type, g.Parent, g.Properties, true
		}
	}
	return "", "", nil, false
}

// ancestors lists the groups enclosing id, innermost first.
func ancestors(m *model.ThreatModel, id string) []string {
	var out []string
	for _, p, _, ok := element(m, id); ok && p != "" && len(out) < 20; _, p, _, ok = element(m, p) {
		out = append(out, p)
	}
	return out
}

// flowsBetween returns the flows from source to target.
func flowsBetween(m *model.ThreatModel, source, target string) []model.Flow {
	var out []model.Flow
	for _, f := range m.Diagram.Flows {
		if f.Source == source && f.Target == target {
			out = append(out, f)
		}
	}
	return out
}

func reason(f model.Flow) string {
	var s string
	_ = json.Unmarshal(f.Properties[iac.FlowReasonProperty], &s)
	return s
}

// prop decodes a property of element id.
func prop(t *testing.T, m *model.ThreatModel, id, name string) any {
	t.Helper()
	_, _, props, ok := element(m, id)
	if !ok {
		t.Fatalf("no element %q", id)
	}
	raw, ok := props[name]
	if !ok {
		return nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func hasWarning(ws []string, parts ...string) bool {
	return slices.ContainsFunc(ws, func(w string) bool {
		for _, p := range parts {
			if !strings.Contains(w, p) {
				return false
			}
		}
		return true
	})
}

// threatRules lists the catalog threat rules analysis finds on element id.
func threatRules(t *testing.T, m *model.ThreatModel, id string) []string {
	t.Helper()
	res := analysis.Analyze(testCatalog(t), m, nil)
	var out []string
	for _, th := range res.Threats {
		if th.Element == id {
			out = append(out, th.Rule)
		}
	}
	return out
}

// TestCloudFormationUnknownTags imports real templates that use Rain's
// directives: a value under an unknown tag is unresolved with a warning
// that names the tag and line, and a resource whose Type is such a
// directive is skipped with a warning, instead of refusing the template.
func TestCloudFormationUnknownTags(t *testing.T) {
	tests := []struct {
		file     string
		warnings [][]string
		has      []string // components that must be imported
	}{
		{"cloudformation/awesome-foundation-awesome-web.yml", [][]string{{"line 415: unknown tag !Rain::Embed"}, {"line 434: unknown tag !Rain::Embed"}},
			[]string{"LambdaALBRulePriorityFixerPublic", "LambdaALBRulePriorityFixerPrivate", "LoadBalancerPublic"}},
		{"cloudformation/awesome-foundation-awesome-cloudflare-sg.yml", [][]string{{"line 134: unknown tag !Rain::Embed"}}, []string{"SyncFunction"}},
		{"cloudformation/rain-build-ecs-cluster.yaml", [][]string{{"resource Network has its Type given by !Rain::Module (line 21)", "not imported"}}, []string{"Cluster"}},
		{"cloudformation/rain-build-bucket-website.yaml", [][]string{{"resource Content has its Type given by !Rain::Module"}}, []string{"Distribution"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			res := mustImport(t, CloudFormation, realFiles(t, tt.file))
			for _, w := range tt.warnings {
				if !hasWarning(res.Warnings, w...) {
					t.Errorf("no warning with %q in:\n%s", w, strings.Join(res.Warnings, "\n"))
				}
			}
			for _, id := range tt.has {
				if _, _, _, ok := element(res.Model, id); !ok {
					t.Errorf("resource %s was not imported", id)
				}
			}
		})
	}
	// A made-up tag in a small fixture: same treatment.
	res := mustImport(t, CloudFormation, readFiles(t, "cloudformation/bad-tag.yaml"))
	if !hasWarning(res.Warnings, "line 5: unknown tag !Nope") {
		t.Errorf("warnings lack the unknown tag: %q", res.Warnings)
	}
}

// TestCloudFormationInternalLoadBalancer: of a real template's two load
// balancers, only the internet-facing one gets a flow from the Internet.
func TestCloudFormationInternalLoadBalancer(t *testing.T) {
	m := mustImport(t, CloudFormation, realFiles(t, "cloudformation/awesome-foundation-awesome-web.yml")).Model
	if fs := flowsBetween(m, "internet", "LoadBalancerPrivate"); len(fs) > 0 {
		t.Errorf("the internal load balancer has flows from the Internet: %+v", fs)
	}
	if fs := flowsBetween(m, "internet", "LoadBalancerPublic"); len(fs) != 2 {
		t.Errorf("the public load balancer has %d flows from the Internet, want its 2 listeners", len(fs))
	}
	if got := prop(t, m, "LoadBalancerPrivate", "internetFacing"); got != false {
		t.Errorf("internal load balancer internetFacing = %v", got)
	}
	if got := prop(t, m, "LoadBalancerPublic", "internetFacing"); got != true {
		t.Errorf("public load balancer internetFacing = %v", got)
	}

	// An internal ALB whose security group admits 0.0.0.0/0 (reached
	// through an API Gateway VPC link): no Internet component, no flow from
	// it, and a warning that says why.
	res := mustImport(t, CloudFormation, realFiles(t, "cloudformation/serverless-patterns-apigw-rest-vpclink-pvt-alb-sam.yaml"))
	if _, _, _, ok := element(res.Model, "internet"); ok {
		t.Errorf("an Internet component was drawn for the internal load balancer")
	}
	if !hasWarning(res.Warnings, "admits 0.0.0.0/0 to PrivateALB, an internal load balancer") {
		t.Errorf("no warning about the internal load balancer's open security group:\n%s", strings.Join(res.Warnings, "\n"))
	}
	if got := prop(t, res.Model, "PrivateALB", "internetFacing"); got != false {
		t.Errorf("PrivateALB internetFacing = %v", got)
	}
}

// TestCloudFormationNestedStacks imports a real nested-stack ECS reference
// architecture: templates matched by their TemplateURL path, parameters
// resolved through other stacks' outputs (!GetAtt VPC.Outputs.Subnets), so
// the ALB sits in the VPC's subnet and forwards to the services, whatever
// the order of the files.
func TestCloudFormationNestedStacks(t *testing.T) {
	files := realFiles(t, "cloudformation/ecs-refarch-continuous-deployment")
	reversed := slices.Clone(files)
	slices.Reverse(reversed)
	for name, fs := range map[string][]File{"root first": files, "root last": reversed} {
		t.Run(name, func(t *testing.T) {
			res := mustImport(t, CloudFormation, fs)
			m := res.Model
			if hasWarning(res.Warnings, "was not given") || hasWarning(res.Warnings, "is ignored") || hasWarning(res.Warnings, "not resolved") {
				t.Errorf("unexpected warnings:\n%s", strings.Join(res.Warnings, "\n"))
			}
			for _, id := range []string{"LoadBalancer/LoadBalancer", "Service/FargateService", "Cluster/AutoScalingGroup"} {
				if !slices.Contains(ancestors(m, id), "VPC/VPC") {
					t.Errorf("%s is not inside the VPC (ancestors %v)", id, ancestors(m, id))
				}
			}
			for _, svc := range []string{"Service/FargateService", "Service/EC2Service"} {
				fs := flowsBetween(m, "LoadBalancer/LoadBalancer", svc)
				if len(fs) != 1 || fs[0].Port != 80 || !strings.Contains(reason(fs[0]), "target group TargetGroup") {
					t.Errorf("flows ALB → %s = %+v", svc, fs)
				}
			}
			if fs := flowsBetween(m, "internet", "LoadBalancer/LoadBalancer"); len(fs) != 1 {
				t.Errorf("flows Internet → ALB = %+v", fs)
			}
		})
	}
}

// TestCloudFormationSameNamedNestedTemplates: two nested stacks whose
// templates have the same file name in different folders each get their
// own template.
func TestCloudFormationSameNamedNestedTemplates(t *testing.T) {
	files := readFiles(t, "cloudformation/two-services/root.yaml", "cloudformation/two-services/web/service.yaml", "cloudformation/two-services/api/service.yaml")
	for i := range files {
		files[i].Name = strings.TrimPrefix(files[i].Name, "cloudformation/two-services/")
	}
	res := mustImport(t, CloudFormation, files)
	for _, id := range []string{"Web/Queue", "Api/Table"} {
		if _, _, _, ok := element(res.Model, id); !ok {
			t.Errorf("%s missing; warnings:\n%s", id, strings.Join(res.Warnings, "\n"))
		}
	}
	if hasWarning(res.Warnings, "is ignored") || hasWarning(res.Warnings, "used twice") {
		t.Errorf("a template was dropped:\n%s", strings.Join(res.Warnings, "\n"))
	}

	// Given without their folders (as a browser upload names them), both
	// templates are still used, each by one stack, with a warning.
	for i := range files {
		files[i].Name = filepath.Base(files[i].Name)
	}
	res = mustImport(t, CloudFormation, files)
	for _, id := range []string{"Web/Queue", "Api/Table"} {
		if _, _, _, ok := element(res.Model, id); !ok {
			t.Errorf("flat names: %s missing; warnings:\n%s", id, strings.Join(res.Warnings, "\n"))
		}
	}
	// The root is found wherever it is in the list.
	if m := mustImport(t, CloudFormation, []File{files[1], files[2], files[0]}).Model; len(m.Diagram.Groups) != 2 {
		t.Errorf("root given last: groups %+v", m.Diagram.Groups)
	}
	if !hasWarning(res.Warnings, "matches 2 given files") {
		t.Errorf("flat names: no warning about the ambiguous match:\n%s", strings.Join(res.Warnings, "\n"))
	}
}

func TestMatchTemplate(t *testing.T) {
	files := []File{{Name: "root.yaml"}, {Name: "services/web/service.yaml"}, {Name: "services/api/service.yaml"}, {Name: "vpc.yaml"}, {Name: "nested/child.yaml"}, {Name: "nested/db.yaml"}}
	tests := []struct {
		parent int
		url    string
		want   int
		ties   int
	}{
		{0, "https://s3.amazonaws.com/${Bucket}/services/api/service.yaml", 2, 0},
		{0, "https://bucket.s3.eu-west-1.amazonaws.com/prefix/services/web/service.yaml?versionId=1", 1, 0},
		{0, "./vpc.yaml", 3, 0},
		{0, "nested/child.yaml", 4, 0},
		{4, "db.yaml", 5, 0},
		{4, "../vpc.yaml", 3, 0},
		{0, "s3://bucket/templates/vpc.yaml", 3, 0},
		{0, "https://bucket.s3.amazonaws.com/service.yaml", 1, 1},
		{0, "https://bucket.s3.amazonaws.com/other.yaml", -1, 0},
	}
	for _, tt := range tests {
		got, ties := matchTemplate(files, tt.parent, tt.url)
		if got != tt.want || len(ties) != tt.ties {
			t.Errorf("matchTemplate(%s, %q) = %d %v, want %d with %d ties", files[tt.parent].Name, tt.url, got, ties, tt.want, tt.ties)
		}
	}
}

// TestIaCSecurityProperties checks that attributes deciding threats are
// carried into catalog properties, on real templates and plans, and that
// analysis then finds the threats they decide.
func TestIaCSecurityProperties(t *testing.T) {
	tests := []struct {
		from, file string
		id         string
		props      map[string]any
		threats    []string // threat rules analysis must find on the element
		noThreats  []string
	}{
		{CloudFormation, "cloudformation/ecs-refarch-continuous-deployment", "VPC/Subnet1",
			map[string]any{"autoAssignPublicIp": true, "public": true}, []string{"aws.subnet.public-by-default"}, nil},
		{CloudFormation, "cloudformation/ecs-refarch-continuous-deployment", "Cluster/AutoScalingGroup",
			map[string]any{"assignsPublicIp": true, "multiAZ": true, "usesLaunchTemplate": false}, nil, []string{"aws.autoscaling.single-az"}},
		{CloudFormation, "cloudformation/ecs-refarch-continuous-deployment", "Service/FargateService",
			map[string]any{"assignsPublicIp": true, "launchType": "FARGATE"}, nil, nil},
		{CloudFormation, "cloudformation/ecs-refarch-continuous-deployment", "LoadBalancer/LoadBalancer",
			map[string]any{"internetFacing": true, "httpsOnly": false}, []string{"aws.elb.plaintext-listener"}, nil},
		{CloudFormation, "cloudformation/awesome-foundation-awesome-web.yml", "LoadBalancerPublic",
			map[string]any{"internetFacing": true, "httpsOnly": true}, nil, []string{"aws.elb.plaintext-listener"}},
		{CloudFormation, "cloudformation/serverless-patterns-cloudfront-s3-oac-sam.yaml", "CloudFrontDistribution",
			map[string]any{"originAccessControl": true}, nil, nil},
		{CloudFormation, "cloudformation/serverless-patterns-apigw-lambda-dynamodb-stream-lambda.yaml", "DynamoDBTable",
			map[string]any{"pointInTimeRecovery": false, "kmsEncrypted": false}, nil, nil},
		{CloudFormation, "cloudformation/quickstart-aws-vpc.template.yaml", "PublicSubnet1",
			map[string]any{"public": true, "autoAssignPublicIp": true}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.file+" "+tt.id, func(t *testing.T) {
			m := mustImport(t, tt.from, realFiles(t, tt.file)).Model
			for k, want := range tt.props {
				if got := prop(t, m, tt.id, k); got != want {
					t.Errorf("%s = %v, want %v", k, got, want)
				}
			}
			rules := threatRules(t, m, tt.id)
			for _, r := range tt.threats {
				if !slices.Contains(rules, r) {
					t.Errorf("threat %s missing; threats: %v", r, rules)
				}
			}
			for _, r := range tt.noThreats {
				if slices.Contains(rules, r) {
					t.Errorf("threat %s should not apply", r)
				}
			}
		})
	}
}

// TestIaCFlows checks the flows drawn from references other than security
// groups, on real files, and that each says which reference made it.
func TestIaCFlows(t *testing.T) {
	tests := []struct {
		from, file     string
		source, target string
		reason         string
	}{
		{CloudFormation, "cloudformation/cloudfront-secure-static-site", "CloudFrontStack/CloudFrontDistribution", "CustomResourceStack/S3BucketRoot", "Origins 0 DomainName"},
		{CloudFormation, "cloudformation/serverless-patterns-cloudfront-s3-oac-sam.yaml", "CloudFrontDistribution", "Bucket", "Origins 0 DomainName"},
		{CloudFormation, "cloudformation/cloudfront-secure-static-site", "CustomResourceStack/CopyFunction", "CustomResourceStack/S3BucketRoot", "environment variable BUCKET"},
		{CloudFormation, "cloudformation/serverless-patterns-apigw-lambda-dynamodb.yaml", "LambdaFunction", "DynamoDBTable", "policy template DynamoDBCrudPolicy"},
		{CloudFormation, "cloudformation/serverless-patterns-apigw-lambda-dynamodb.yaml", "ServerlessRestApi", "LambdaFunction", "event ApiEvent of type Api"},
		{CloudFormation, "cloudformation/serverless-patterns-apigw-lambda-dynamodb-stream-lambda.yaml", "DynamoDBTable", "ConsumerFunction", "event Stream of type DynamoDB"},
		{CloudFormation, "cloudformation/serverless-patterns-apigw-lambda-authorizer.yaml", "AppApi", "AppFunction", "AWS::ApiGateway::Method RootMethodGet (Integration Uri)"},
		{CloudFormation, "cloudformation/serverless-patterns-apigw-lambda-authorizer.yaml", "AppApi", "TokenAuthorizerFunction", "AuthorizerUri"},
		{CloudFormation, "cloudformation/serverless-patterns-apigw-websocket-api-connection-dynamodb.yaml", "WebSocketApi", "DefaultRouteFunction", "IntegrationUri"},
		{CloudFormation, "cloudformation/awesome-foundation-awesome-cloudflare-sg.yml", "ScheduleRule", "SyncFunction", "Targets"},
	}
	for _, tt := range tests {
		t.Run(tt.file+" "+tt.source+" "+tt.target, func(t *testing.T) {
			m := mustImport(t, tt.from, realFiles(t, tt.file)).Model
			fs := flowsBetween(m, tt.source, tt.target)
			if len(fs) == 0 {
				var all []string
				for _, f := range m.Diagram.Flows {
					all = append(all, f.Source+" → "+f.Target)
				}
				t.Fatalf("no flow %s → %s; flows: %v", tt.source, tt.target, all)
			}
			if !strings.Contains(reason(fs[0]), tt.reason) {
				t.Errorf("reason %q lacks %q", reason(fs[0]), tt.reason)
			}
		})
	}
}

// TestIaCEveryFlowHasReason imports every real template and plan and
// checks that each flow records the reference that made it.
func TestIaCEveryFlowHasReason(t *testing.T) {
	for _, e := range corpusEntries(t) {
		if e.format != CloudFormation && e.format != Terraform {
			continue
		}
		res, err := Import(e.format, e.files, testCatalog(t))
		if err != nil {
			t.Errorf("%s: %v", e.path, err)
			continue
		}
		for _, f := range res.Model.Diagram.Flows {
			if reason(f) == "" {
				t.Errorf("%s: flow %s → %s has no reason", e.path, f.Source, f.Target)
			}
		}
	}
}

// TestCloudFormationLoadBalancerTargets: a classic load balancer's
// Instances and a target group's Targets become flows from the load
// balancer, with the instance port and a reason.
func TestCloudFormationLoadBalancerTargets(t *testing.T) {
	m := mustImport(t, CloudFormation, readFiles(t, "cloudformation/classic-elb.yaml")).Model
	for _, want := range []struct {
		from, to, proto string
		port            int
		reason          string
	}{
		{"internet", "Elb", "HTTPS", 443, "Listeners; Scheme is not internal"},
		{"Elb", "Web1", "HTTP", 8080, "AWS::ElasticLoadBalancing::LoadBalancer Elb (Instances)"},
		{"Elb", "Web2", "HTTP", 8080, "AWS::ElasticLoadBalancing::LoadBalancer Elb (Instances)"},
		{"Alb", "Web2", "HTTP", 9000, "Listener (DefaultActions) → target group Targets → AWS::ElasticLoadBalancingV2::TargetGroup Targets (Targets)"},
	} {
		fs := flowsBetween(m, want.from, want.to)
		if len(fs) != 1 || fs[0].Protocol != want.proto || fs[0].Port != want.port || !strings.Contains(reason(fs[0]), want.reason) {
			t.Errorf("flows %s → %s = %+v, want one %s:%d because %q", want.from, want.to, fs, want.proto, want.port, want.reason)
		}
	}
	if fs := flowsBetween(m, "internet", "Alb"); len(fs) != 0 {
		t.Errorf("the internal ALB has Internet flows: %+v", fs)
	}
	if got := prop(t, m, "Web1", "imdsv2Required"); got != true {
		t.Errorf("Web1 imdsv2Required = %v", got)
	}
	if got := prop(t, m, "Web2", "imdsv2Required"); got != false {
		t.Errorf("Web2 imdsv2Required = %v", got)
	}
}

// TestCloudFormationForEach: templates of the AWS::LanguageExtensions
// transform get one resource per element of each Fn::ForEach (nested
// loops too; a collection given by a parameter uses its default, with a
// warning), instead of a refusal.
func TestCloudFormationForEach(t *testing.T) {
	tests := []struct {
		file    string
		has     []string
		warning string
	}{
		{"cloudformation/rain-test-foreach-ec2.yaml", []string{"FirstInstance", "SecondInstance", "ThirdInstance"}, ""},
		{"cloudformation/rain-test-foreach-vpc.yaml", []string{"SubnetOnePublic", "SubnetOnePrivate", "SubnetThreePrivate"},
			"iterates over parameter AvailabilityTypes, known at deploy time; its default (Public,Private) is used"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			res := mustImport(t, CloudFormation, realFiles(t, tt.file))
			for _, id := range tt.has {
				if _, _, _, ok := element(res.Model, id); !ok {
					t.Errorf("%s missing; warnings:\n%s", id, strings.Join(res.Warnings, "\n"))
				}
			}
			if tt.warning != "" && !hasWarning(res.Warnings, tt.warning) {
				t.Errorf("no warning %q in:\n%s", tt.warning, strings.Join(res.Warnings, "\n"))
			}
		})
	}
	m := mustImport(t, CloudFormation, realFiles(t, "cloudformation/rain-test-foreach-vpc.yaml")).Model
	if _, parent, _, _ := element(m, "SubnetTwoPublic"); parent != "VPC" {
		t.Errorf("SubnetTwoPublic is in %q, want the VPC", parent)
	}
}
