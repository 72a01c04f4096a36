package cloudformation

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/interoptest"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// TestUnknownTags imports real templates that use Rain's
// directives: a value under an unknown tag is unresolved with a warning
// that names the tag and line, and a resource whose Type is such a
// directive is skipped with a warning, instead of refusing the template.
func TestUnknownTags(t *testing.T) {
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
			res := interoptest.MustImport(t, Format, interoptest.RealFiles(t, tt.file))
			for _, w := range tt.warnings {
				if !interoptest.HasWarning(res.Warnings, w...) {
					t.Errorf("no warning with %q in:\n%s", w, strings.Join(res.Warnings, "\n"))
				}
			}
			for _, id := range tt.has {
				if _, _, _, ok := interoptest.Element(res.Model, id); !ok {
					t.Errorf("resource %s was not imported", id)
				}
			}
		})
	}
	// A made-up tag in a small fixture: same treatment.
	res := interoptest.MustImport(t, Format, interoptest.ReadFiles(t, "cloudformation/bad-tag.yaml"))
	if !interoptest.HasWarning(res.Warnings, "line 5: unknown tag !Nope") {
		t.Errorf("warnings lack the unknown tag: %q", res.Warnings)
	}
}

// TestInternalLoadBalancer: of a real template's two load
// balancers, only the internet-facing one gets a flow from the Internet.
func TestInternalLoadBalancer(t *testing.T) {
	m := interoptest.MustImport(t, Format, interoptest.RealFiles(t, "cloudformation/awesome-foundation-awesome-web.yml")).Model
	if fs := interoptest.FlowsBetween(m, "internet", "LoadBalancerPrivate"); len(fs) > 0 {
		t.Errorf("the internal load balancer has flows from the Internet: %+v", fs)
	}
	if fs := interoptest.FlowsBetween(m, "internet", "LoadBalancerPublic"); len(fs) != 2 {
		t.Errorf("the public load balancer has %d flows from the Internet, want its 2 listeners", len(fs))
	}
	if got := interoptest.Prop(t, m, "LoadBalancerPrivate", "internetFacing"); got != false {
		t.Errorf("internal load balancer internetFacing = %v", got)
	}
	if got := interoptest.Prop(t, m, "LoadBalancerPublic", "internetFacing"); got != true {
		t.Errorf("public load balancer internetFacing = %v", got)
	}

	// An internal ALB whose security group admits 0.0.0.0/0 (reached
	// through an API Gateway VPC link): no Internet component, no flow from
	// it, and a warning that says why.
	res := interoptest.MustImport(t, Format, interoptest.RealFiles(t, "cloudformation/serverless-patterns-apigw-rest-vpclink-pvt-alb-sam.yaml"))
	if _, _, _, ok := interoptest.Element(res.Model, "internet"); ok {
		t.Errorf("an Internet component was drawn for the internal load balancer")
	}
	if !interoptest.HasWarning(res.Warnings, "admits 0.0.0.0/0 to PrivateALB, an internal load balancer") {
		t.Errorf("no warning about the internal load balancer's open security group:\n%s", strings.Join(res.Warnings, "\n"))
	}
	if got := interoptest.Prop(t, res.Model, "PrivateALB", "internetFacing"); got != false {
		t.Errorf("PrivateALB internetFacing = %v", got)
	}
}

// TestNestedStacks imports a real nested-stack ECS reference
// architecture: templates matched by their TemplateURL path, parameters
// resolved through other stacks' outputs (!GetAtt VPC.Outputs.Subnets), so
// the ALB sits in the VPC's subnet and forwards to the services, whatever
// the order of the files.
func TestNestedStacks(t *testing.T) {
	files := interoptest.RealFiles(t, "cloudformation/ecs-refarch-continuous-deployment")
	reversed := slices.Clone(files)
	slices.Reverse(reversed)
	for name, fs := range map[string][]convert.File{"root first": files, "root last": reversed} {
		t.Run(name, func(t *testing.T) {
			res := interoptest.MustImport(t, Format, fs)
			m := res.Model
			if interoptest.HasWarning(res.Warnings, "was not given") || interoptest.HasWarning(res.Warnings, "is ignored") || interoptest.HasWarning(res.Warnings, "not resolved") {
				t.Errorf("unexpected warnings:\n%s", strings.Join(res.Warnings, "\n"))
			}
			for _, id := range []string{"LoadBalancer/LoadBalancer", "Service/FargateService", "Cluster/AutoScalingGroup"} {
				if !slices.Contains(interoptest.Ancestors(m, id), "VPC/VPC") {
					t.Errorf("%s is not inside the VPC (ancestors %v)", id, interoptest.Ancestors(m, id))
				}
			}
			for _, svc := range []string{"Service/FargateService", "Service/EC2Service"} {
				fs := interoptest.FlowsBetween(m, "LoadBalancer/LoadBalancer", svc)
				if len(fs) != 1 || fs[0].Port != 80 || !strings.Contains(interoptest.Reason(fs[0]), "target group TargetGroup") {
					t.Errorf("flows ALB → %s = %+v", svc, fs)
				}
			}
			if fs := interoptest.FlowsBetween(m, "internet", "LoadBalancer/LoadBalancer"); len(fs) != 1 {
				t.Errorf("flows Internet → ALB = %+v", fs)
			}
		})
	}
}

// TestSameNamedNestedTemplates: two nested stacks whose
// templates have the same file name in different folders each get their
// own template.
func TestSameNamedNestedTemplates(t *testing.T) {
	files := interoptest.ReadFiles(t, "cloudformation/two-services/root.yaml", "cloudformation/two-services/web/service.yaml", "cloudformation/two-services/api/service.yaml")
	for i := range files {
		files[i].Name = strings.TrimPrefix(files[i].Name, "cloudformation/two-services/")
	}
	res := interoptest.MustImport(t, Format, files)
	for _, id := range []string{"Web/Queue", "Api/Table"} {
		if _, _, _, ok := interoptest.Element(res.Model, id); !ok {
			t.Errorf("%s missing; warnings:\n%s", id, strings.Join(res.Warnings, "\n"))
		}
	}
	if interoptest.HasWarning(res.Warnings, "is ignored") || interoptest.HasWarning(res.Warnings, "used twice") {
		t.Errorf("a template was dropped:\n%s", strings.Join(res.Warnings, "\n"))
	}

	// Given without their folders (as a browser upload names them), both
	// templates are still used, each by one stack, with a warning.
	for i := range files {
		files[i].Name = filepath.Base(files[i].Name)
	}
	res = interoptest.MustImport(t, Format, files)
	for _, id := range []string{"Web/Queue", "Api/Table"} {
		if _, _, _, ok := interoptest.Element(res.Model, id); !ok {
			t.Errorf("flat names: %s missing; warnings:\n%s", id, strings.Join(res.Warnings, "\n"))
		}
	}
	// The root is found wherever it is in the list.
	if m := interoptest.MustImport(t, Format, []convert.File{files[1], files[2], files[0]}).Model; len(m.Diagram.Groups) != 2 {
		t.Errorf("root given last: groups %+v", m.Diagram.Groups)
	}
	if !interoptest.HasWarning(res.Warnings, "matches 2 given files") {
		t.Errorf("flat names: no warning about the ambiguous match:\n%s", strings.Join(res.Warnings, "\n"))
	}
}

func TestMatchTemplate(t *testing.T) {
	files := []convert.File{{Name: "root.yaml"}, {Name: "services/web/service.yaml"}, {Name: "services/api/service.yaml"}, {Name: "vpc.yaml"}, {Name: "nested/child.yaml"}, {Name: "nested/db.yaml"}}
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

// TestLoadBalancerTargets: a classic load balancer's
// Instances and a target group's Targets become flows from the load
// balancer, with the instance port and a reason.
func TestLoadBalancerTargets(t *testing.T) {
	m := interoptest.MustImport(t, Format, interoptest.ReadFiles(t, "cloudformation/classic-elb.yaml")).Model
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
		fs := interoptest.FlowsBetween(m, want.from, want.to)
		if len(fs) != 1 || fs[0].Protocol != want.proto || fs[0].Port != want.port || !strings.Contains(interoptest.Reason(fs[0]), want.reason) {
			t.Errorf("flows %s → %s = %+v, want one %s:%d because %q", want.from, want.to, fs, want.proto, want.port, want.reason)
		}
	}
	if fs := interoptest.FlowsBetween(m, "internet", "Alb"); len(fs) != 0 {
		t.Errorf("the internal ALB has Internet flows: %+v", fs)
	}
	if got := interoptest.Prop(t, m, "Web1", "imdsv2Required"); got != true {
		t.Errorf("Web1 imdsv2Required = %v", got)
	}
	if got := interoptest.Prop(t, m, "Web2", "imdsv2Required"); got != false {
		t.Errorf("Web2 imdsv2Required = %v", got)
	}
}

// TestForEach: templates of the AWS::LanguageExtensions
// transform get one resource per element of each Fn::ForEach (nested
// loops too; a collection given by a parameter uses its default, with a
// warning), instead of a refusal.
func TestForEach(t *testing.T) {
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
			res := interoptest.MustImport(t, Format, interoptest.RealFiles(t, tt.file))
			for _, id := range tt.has {
				if _, _, _, ok := interoptest.Element(res.Model, id); !ok {
					t.Errorf("%s missing; warnings:\n%s", id, strings.Join(res.Warnings, "\n"))
				}
			}
			if tt.warning != "" && !interoptest.HasWarning(res.Warnings, tt.warning) {
				t.Errorf("no warning %q in:\n%s", tt.warning, strings.Join(res.Warnings, "\n"))
			}
		})
	}
	m := interoptest.MustImport(t, Format, interoptest.RealFiles(t, "cloudformation/rain-test-foreach-vpc.yaml")).Model
	if _, parent, _, _ := interoptest.Element(m, "SubnetTwoPublic"); parent != "VPC" {
		t.Errorf("SubnetTwoPublic is in %q, want the VPC", parent)
	}
}

// FuzzCloudFormationImport checks that no template, however odd, crashes
// the importer or yields an invalid model: it returns a model or an error.
// An input holds up to three documents separated by NUL bytes (which YAML
// text cannot hold): the root template and the templates of nested stacks,
// named by their first line's comment ("# path"), else nested-N.yaml. The
// real templates of the corpus (up to interoptest.MaxSeed bytes) are the seeds, each a
// root with the next one as a possible nested template.
func FuzzCloudFormationImport(f *testing.F) {
	seeds := interoptest.RealSeeds(f, "cloudformation")
	for _, n := range []string{"web-app.yaml", "monitoring.yaml", "queue.json", "bad-tag.yaml"} {
		seeds = append(seeds, interoptest.Path("cloudformation", n))
	}
	read := func(p string) []byte {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		return b
	}
	var small []string
	for _, p := range seeds {
		if len(read(p)) <= interoptest.MaxSeed/2 {
			small = append(small, p)
		}
	}
	for i, p := range small {
		next := small[(i+1)%len(small)]
		rel, _ := filepath.Rel(filepath.Dir(p), next)
		f.Add(append(append(read(p), "\x00# "+filepath.ToSlash(rel)+"\n"...), read(next)...))
	}
	f.Add([]byte("Resources:\n  S:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ./c.yaml\n      Parameters: {P: !GetAtt S.Outputs.X}\nOutputs:\n  X: {Value: !Ref S}\n" +
		"\x00# c.yaml\nParameters: {P: {Type: String}}\nResources:\n  Q: {Type: AWS::SQS::Queue, Properties: {QueueName: !Ref P}}\nOutputs:\n  X: {Value: !GetAtt Q.Arn}\n"))
	cat := interoptest.Catalog(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var files []convert.File
		for i, doc := range bytes.SplitN(data, []byte{0}, 3) {
			name := fmt.Sprintf("nested-%d.yaml", i)
			if i == 0 {
				name = "root.yaml"
			} else if first, _, _ := bytes.Cut(doc, []byte("\n")); bytes.HasPrefix(first, []byte("# ")) {
				name = string(first[2:])
			}
			files = append(files, convert.File{Name: name, Data: doc})
		}
		interoptest.ImportsValidOrFails(t, Format, files, cat)
	})
}

// TestBounds: YAML aliases that expand to billions of values
// are refused quickly, and parameters and outputs that refer to each other
// in a cycle resolve to nothing with a warning instead of looping.
func TestBounds(t *testing.T) {
	bomb := "a: &a [x, x, x, x, x, x, x, x, x]\n"
	for i, n := range "bcdefgh" {
		prev := string("abcdefg"[i])
		bomb += string(n) + ": &" + string(n) + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n"
	}
	bomb += "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      Tags: *h\n"
	_, err := convert.Import(Format, []convert.File{{Name: "bomb.yaml", Data: []byte(bomb)}}, interoptest.Catalog(t))
	if err == nil || !strings.Contains(err.Error(), "YAML aliases expand to too much") {
		t.Errorf("alias bomb: err = %v", err)
	}

	root := "Resources:\n  S:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ./c.yaml\n      Parameters: {P: !GetAtt S.Outputs.X}\n"
	child := "Parameters: {P: {Type: String}}\nResources:\n  Fn: {Type: AWS::Lambda::Function, Properties: {VpcConfig: {SubnetIds: [!Ref P]}}}\nOutputs:\n  X: {Value: !Ref P}\n"
	res, err := convert.Import(Format, []convert.File{{Name: "root.yaml", Data: []byte(root)}, {Name: "c.yaml", Data: []byte(child)}}, interoptest.Catalog(t))
	if err != nil {
		t.Fatal(err)
	}
	if !interoptest.HasWarning(res.Warnings, "S/Fn", "not resolved") && !interoptest.HasWarning(res.Warnings, "resource Fn", "not resolved") {
		t.Errorf("the cycle is not reported: %q", res.Warnings)
	}

	// A logical id of 250 characters (CloudFormation allows 255) and a port
	// out of range: imported, the name cut to the model's limit.
	long := strings.Repeat("Q", 250)
	res, err = convert.Import(Format, []convert.File{{Name: "long.yaml", Data: []byte("Resources:\n  " + long + ": {Type: AWS::SQS::Queue}\n")}}, interoptest.Catalog(t))
	if err != nil {
		t.Fatalf("long logical id: %v", err)
	}
	if n := len([]rune(res.Model.Diagram.Components[0].Name)); n != model.MaxNameLen {
		t.Errorf("long logical id: name of %d characters", n)
	}

	// Subnets placed in each other: imported, one drawn outside the other.
	loop := "Resources:\n  A: {Type: AWS::EC2::Subnet, Properties: {SubnetId: !Ref B}}\n  B: {Type: AWS::EC2::Subnet, Properties: {SubnetId: !Ref A}}\n"
	res, err = convert.Import(Format, []convert.File{{Name: "loop.yaml", Data: []byte(loop)}}, interoptest.Catalog(t))
	if err != nil {
		t.Fatal(err)
	}
	if !interoptest.HasWarning(res.Warnings, "is placed inside itself") {
		t.Errorf("the placement cycle is not reported: %q", res.Warnings)
	}
}

// TestImportGolden imports templates and compares the preview (model and
// warnings) with a golden file.
func TestImportGolden(t *testing.T) {
	interoptest.ImportGolden(t, Format,
		interoptest.GoldenImport{Name: "cloudformation yaml with nested stacks", Files: []string{"cloudformation/web-app.yaml", "cloudformation/monitoring.yaml"}, Golden: "cloudformation/web-app.import.golden.json",
			Warnings: []string{"parameter PrivateSubnetIds is only known at deploy time", `nested stack template "https://example-templates.s3.amazonaws.com/stacks/reporting.yaml" was not given`,
				"Fn::ImportValue", "resources of type AWS::Glue::Crawler have no Bulwark catalog type"}},
		interoptest.GoldenImport{Name: "cloudformation json", Files: []string{"cloudformation/queue.json"}, Golden: "cloudformation/queue.import.golden.json"},
	)
}

// TestImportErrors: templates that cannot be read get a clear error of the
// right kind.
func TestImportErrors(t *testing.T) {
	interoptest.ImportErrors(t, Format,
		interoptest.BadInput{Name: "cloudformation resource without type", Files: interoptest.ReadFiles(t, "cloudformation/no-type.yaml"), Kind: errs.Invalid, Msg: "resource Queue needs a Type"},
		interoptest.BadInput{Name: "cloudformation malformed", Files: interoptest.ReadFiles(t, "cloudformation/malformed.yaml"), Kind: errs.Malformed, Msg: "malformed template"},
		interoptest.BadInput{Name: "cloudformation no resources", Files: interoptest.ReadFiles(t, "cloudformation/no-resources.yaml"), Kind: errs.Invalid, Msg: "has no Resources"},
	)
}

// TestSecurityProperties checks that attributes deciding threats are
// carried into catalog properties, on real templates, and that analysis
// then finds the threats they decide.
func TestSecurityProperties(t *testing.T) {
	interoptest.CheckProperties(t, Format,
		interoptest.Properties{File: "cloudformation/ecs-refarch-continuous-deployment", ID: "VPC/Subnet1",
			Props: map[string]any{"autoAssignPublicIp": true, "public": true}, Threats: []string{"aws.subnet.public-by-default"}},
		interoptest.Properties{File: "cloudformation/ecs-refarch-continuous-deployment", ID: "Cluster/AutoScalingGroup",
			Props: map[string]any{"assignsPublicIp": true, "multiAZ": true, "usesLaunchTemplate": false}, NoThreats: []string{"aws.autoscaling.single-az"}},
		interoptest.Properties{File: "cloudformation/ecs-refarch-continuous-deployment", ID: "Service/FargateService",
			Props: map[string]any{"assignsPublicIp": true, "launchType": "FARGATE"}},
		interoptest.Properties{File: "cloudformation/ecs-refarch-continuous-deployment", ID: "LoadBalancer/LoadBalancer",
			Props: map[string]any{"internetFacing": true, "httpsOnly": false}, Threats: []string{"aws.elb.plaintext-listener"}},
		interoptest.Properties{File: "cloudformation/awesome-foundation-awesome-web.yml", ID: "LoadBalancerPublic",
			Props: map[string]any{"internetFacing": true, "httpsOnly": true}, NoThreats: []string{"aws.elb.plaintext-listener"}},
		interoptest.Properties{File: "cloudformation/serverless-patterns-cloudfront-s3-oac-sam.yaml", ID: "CloudFrontDistribution",
			Props: map[string]any{"originAccessControl": true}},
		interoptest.Properties{File: "cloudformation/serverless-patterns-apigw-lambda-dynamodb-stream-lambda.yaml", ID: "DynamoDBTable",
			Props: map[string]any{"pointInTimeRecovery": false, "kmsEncrypted": false}},
		interoptest.Properties{File: "cloudformation/quickstart-aws-vpc.template.yaml", ID: "PublicSubnet1",
			Props: map[string]any{"public": true, "autoAssignPublicIp": true}},
	)
}

// TestFlows checks the flows drawn from references other than security
// groups, on real templates, and that each says which reference made it.
func TestFlows(t *testing.T) {
	interoptest.CheckFlows(t, Format,
		interoptest.Flow{File: "cloudformation/cloudfront-secure-static-site", Source: "CloudFrontStack/CloudFrontDistribution", Target: "CustomResourceStack/S3BucketRoot", Reason: "Origins 0 DomainName"},
		interoptest.Flow{File: "cloudformation/serverless-patterns-cloudfront-s3-oac-sam.yaml", Source: "CloudFrontDistribution", Target: "Bucket", Reason: "Origins 0 DomainName"},
		interoptest.Flow{File: "cloudformation/cloudfront-secure-static-site", Source: "CustomResourceStack/CopyFunction", Target: "CustomResourceStack/S3BucketRoot", Reason: "environment variable BUCKET"},
		interoptest.Flow{File: "cloudformation/serverless-patterns-apigw-lambda-dynamodb.yaml", Source: "LambdaFunction", Target: "DynamoDBTable", Reason: "policy template DynamoDBCrudPolicy"},
		interoptest.Flow{File: "cloudformation/serverless-patterns-apigw-lambda-dynamodb.yaml", Source: "ServerlessRestApi", Target: "LambdaFunction", Reason: "event ApiEvent of type Api"},
		interoptest.Flow{File: "cloudformation/serverless-patterns-apigw-lambda-dynamodb-stream-lambda.yaml", Source: "DynamoDBTable", Target: "ConsumerFunction", Reason: "event Stream of type DynamoDB"},
		interoptest.Flow{File: "cloudformation/serverless-patterns-apigw-lambda-authorizer.yaml", Source: "AppApi", Target: "AppFunction", Reason: "AWS::ApiGateway::Method RootMethodGet (Integration Uri)"},
		interoptest.Flow{File: "cloudformation/serverless-patterns-apigw-lambda-authorizer.yaml", Source: "AppApi", Target: "TokenAuthorizerFunction", Reason: "AuthorizerUri"},
		interoptest.Flow{File: "cloudformation/serverless-patterns-apigw-websocket-api-connection-dynamodb.yaml", Source: "WebSocketApi", Target: "DefaultRouteFunction", Reason: "IntegrationUri"},
		interoptest.Flow{File: "cloudformation/awesome-foundation-awesome-cloudflare-sg.yml", Source: "ScheduleRule", Target: "SyncFunction", Reason: "Targets"},
	)
}

// TestEveryFlowHasReason imports every real template and checks that each
// flow records the reference that made it.
func TestEveryFlowHasReason(t *testing.T) {
	interoptest.EveryFlowHasReason(t, Format, "cloudformation")
}
