package terraform

import (
	"os"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/interoptest"
)

// TestImportGolden imports plans written in the shape of terraform show
// -json for each supported format version and compares the preview (model
// and warnings) with a golden file.
func TestImportGolden(t *testing.T) {
	interoptest.ImportGolden(t, Format,
		interoptest.GoldenImport{Name: "format 1.2 with a child module", Files: []string{"terraform/web-app.plan.json"}, Golden: "terraform/web-app.import.golden.json", Warnings: []string{
			"aws_security_group_rule.db_from_admin source_security_group_id: unknown until apply, and local.admin_security_group_id is a local value",
			`"sg-0b0a57100000example" is not the id, ARN or name of a resource in the plan`,
			"1 resources of type aws_glue_catalog_database have no Bulwark catalog type",
			"1 resources of type random_password create no infrastructure",
			"1 resources are planned for destruction",
		}},
		interoptest.GoldenImport{Name: "format 0.1 with a network load balancer", Files: []string{"terraform/network.v0.1.plan.json"}, Golden: "terraform/network.v0.1.import.golden.json"},
		interoptest.GoldenImport{Name: "format 0.2 with counted and for_each modules", Files: []string{"terraform/serverless.v0.2.plan.json"}, Golden: "terraform/serverless.v0.2.import.golden.json", Warnings: []string{
			"aws_vpc_endpoint.dynamodb vpc_id: data.aws_vpc.shared is a data source (infrastructure outside this plan); not resolved",
		}},
	)
}

// TestImportErrors checks that documents that are not plans, or plans in
// an unsupported format version, get a clear error of the right kind.
func TestImportErrors(t *testing.T) {
	file := func(name, data string) []convert.File { return []convert.File{{Name: name, Data: []byte(data)}} }
	read := func(names ...string) []convert.File { return interoptest.ReadFiles(t, names...) }
	interoptest.ImportErrors(t, Format,
		interoptest.BadInput{Name: "malformed json", Files: read("terraform/malformed.json"), Kind: errs.Malformed, Msg: "terraform/malformed.json: malformed JSON at line 8"},
		interoptest.BadInput{Name: "empty", Files: file("plan.json", "\n"), Kind: errs.Malformed, Msg: "plan.json is empty"},
		interoptest.BadInput{Name: "wrong field type", Files: read("terraform/wrong-type.json"), Kind: errs.Malformed, Msg: "/planned_values/root_module/resources"},
		interoptest.BadInput{Name: "binary plan file", Files: file("tfplan", "PK\x03\x04\x14\x00\x08\x00"), Kind: errs.Invalid, Msg: "binary Terraform plan file; convert it with terraform show -json tfplan"},
		interoptest.BadInput{Name: "state file", Files: read("terraform/terraform.tfstate"), Kind: errs.Invalid, Msg: "is a Terraform state file, not a plan"},
		interoptest.BadInput{Name: "state json", Files: read("terraform/state.json"), Kind: errs.Invalid, Msg: "is the JSON form of a Terraform state"},
		interoptest.BadInput{Name: "cloudformation template", Files: read("terraform/not-a-plan.json"), Kind: errs.Invalid, Msg: "is not a Terraform plan: it has neither planned_values nor resource_changes"},
		interoptest.BadInput{Name: "json array", Files: file("list.json", `[{"format_version": "1.2"}]`), Kind: errs.Invalid, Msg: "list.json is not a Terraform plan: the document is not a JSON object"},
		interoptest.BadInput{Name: "no format version", Files: file("plan.json", `{"planned_values": {"root_module": {}}}`), Kind: errs.Invalid, Msg: "it has no format_version"},
		interoptest.BadInput{Name: "format version 2.0", Files: read("terraform/format-2.0.json"), Kind: errs.Invalid, Msg: `plan JSON format version "2.0" is not supported; this importer reads format versions 0.1 to 1.x`},
		interoptest.BadInput{Name: "format version 0.3", Files: file("plan.json", `{"format_version": "0.3", "planned_values": {}}`), Kind: errs.Invalid, Msg: `format version "0.3" is not supported`},
		interoptest.BadInput{Name: "format version not a string", Files: file("plan.json", `{"format_version": 1.2, "planned_values": {}}`), Kind: errs.Malformed, Msg: "/format_version"},
		interoptest.BadInput{Name: "two files", Files: read("terraform/web-app.plan.json", "terraform/state.json"), Kind: errs.Invalid, Msg: "reads one plan document"},
	)
}

// TestSupportedVersion checks the format versions accepted.
func TestSupportedVersion(t *testing.T) {
	for v, want := range map[string]bool{"0.1": true, "0.2": true, "1.0": true, "1.2": true, "1.17": true,
		"0.0": false, "0.3": false, "2.0": false, "1": false, "1.x": false, "": false, "v1.0": false} {
		if got := tfSupportedVersion(v); got != want {
			t.Errorf("tfSupportedVersion(%q) = %v, want %v", v, got, want)
		}
	}
}

// TestAddresses checks how addresses and references are split and turned
// into graph keys and module configuration paths.
func TestAddresses(t *testing.T) {
	tests := []struct {
		addr, joined, key, module, configPath string
	}{
		{"aws_vpc.main", "aws_vpc.main", "aws_vpc.main", "", ""},
		{"aws_subnet.private[0].id", "aws_subnet.private[0].id", "aws_subnet.private-0.id", "", ""},
		{"module.app.aws_instance.web[1]", "module.app.aws_instance.web[1]", "module.app.aws_instance.web-1", "module.app", "module.app"},
		{`module.q["a.b"].aws_sqs_queue.this["orders"]`, `module.q["a.b"].aws_sqs_queue.this["orders"]`, "module.q-a.b.aws_sqs_queue.this-orders", `module.q["a.b"]`, "module.q"},
		{"module.api[0].module.db.aws_db_instance.main", "module.api[0].module.db.aws_db_instance.main", "module.api-0.module.db.aws_db_instance.main", "module.api[0].module.db", "module.api.module.db"},
		{"data.aws_vpc.shared.id", "data.aws_vpc.shared.id", "data.aws_vpc.shared.id", "", ""},
		{"weird[", "weird[]", "weird-", "", ""},
		{"", "", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			if got := tfJoin(tfSplit(tt.addr)); got != tt.joined {
				t.Errorf("tfJoin(tfSplit) = %q, want %q", got, tt.joined)
			}
			if got := tfGraphKey(tt.addr); got != tt.key {
				t.Errorf("tfGraphKey = %q, want %q", got, tt.key)
			}
			m := tfModuleOf(tt.addr)
			if m != tt.module {
				t.Errorf("tfModuleOf = %q, want %q", m, tt.module)
			}
			if got := tfConfigPath(m); got != tt.configPath {
				t.Errorf("tfConfigPath(%q) = %q, want %q", m, got, tt.configPath)
			}
		})
	}
}

// TestSecurityProperties checks that attributes deciding threats are
// carried into catalog properties, on real plans, and that analysis then
// finds the threats they decide.
func TestSecurityProperties(t *testing.T) {
	interoptest.CheckProperties(t, Format,
		interoptest.Properties{File: "terraform/terraform-compliance-test_issue_401.plan.json", ID: "aws_db_instance.default",
			Props:   map[string]any{"publiclyAccessible": true, "encrypted": false, "deletionProtection": false, "engine": "mysql"},
			Threats: []string{"aws.rds.public-endpoint", "aws.common.data-disclosure-at-rest", "aws.rds.accidental-deletion"}},
		interoptest.Properties{File: "terraform/trivy-tfjson-plan.json", ID: "aws_s3_bucket.planbucket",
			Props:     map[string]any{"versioning": true, "logging": true, "encrypted": true, "kmsEncrypted": false, "publiclyAccessible": false},
			NoThreats: []string{"aws.s3.public-access-confirmed"}},
		interoptest.Properties{File: "terraform/terraform-compliance-test_issue-127.plan.json", ID: "aws_elb.example",
			Props: map[string]any{"internetFacing": true, "httpsOnly": false}, Threats: []string{"aws.elb.plaintext-listener", "aws.elb.web-attacks"}},
		interoptest.Properties{File: "terraform/terraform-compliance-test_issue-127.plan.json", ID: "aws_instance.web-0",
			Props: map[string]any{"imdsv2Required": false}, Threats: []string{"aws.ec2.metadata-credential-theft"}},
	)
}

// TestFlows checks a flow drawn from a reference other than a security
// group, on a real plan, and that it says which reference made it.
func TestFlows(t *testing.T) {
	interoptest.CheckFlows(t, Format,
		interoptest.Flow{File: "terraform/terraform-compliance-test_issue-127.plan.json", Source: "aws_elb.example", Target: "aws_autoscaling_group.example", Reason: "aws_autoscaling_group.example (load_balancers)"},
	)
}

// TestEveryFlowHasReason imports every real plan and checks that each flow
// records the reference that made it.
func TestEveryFlowHasReason(t *testing.T) {
	interoptest.EveryFlowHasReason(t, Format, "terraform")
}

// TestFunctionFlows: a function's flows to the resources its environment
// variables and its role's policies name (an inline jsonencode policy, and
// a policy document data source attached through a managed policy), each
// with its reason.
func TestFunctionFlows(t *testing.T) {
	m := interoptest.MustImport(t, Format, interoptest.ReadFiles(t, "terraform/lambda-policy.plan.json")).Model
	for _, want := range []struct{ to, reason string }{
		{"aws_dynamodb_table.orders", "aws_lambda_function.worker (role aws_iam_role.worker, policy aws_iam_role_policy.tables)"},
		{"aws_sqs_queue.jobs", "aws_lambda_function.worker (role aws_iam_role.worker, policy aws_iam_policy.queues)"},
		{"aws_s3_bucket.unrelated", "aws_lambda_function.worker (environment variables)"},
	} {
		fs := interoptest.FlowsBetween(m, "aws_lambda_function.worker", want.to)
		if len(fs) != 1 || fs[0].Protocol != "AWS-API" || interoptest.Reason(fs[0]) != want.reason {
			t.Errorf("flows to %s = %+v, want one with reason %q", want.to, fs, want.reason)
		}
	}
	if got := interoptest.Prop(t, m, "aws_dynamodb_table.orders", "pointInTimeRecovery"); got != true {
		t.Errorf("pointInTimeRecovery = %v", got)
	}
}

// FuzzTerraformImport checks that no plan, however odd, crashes the
// importer or yields an invalid model: it returns a model or an error. The
// real plans of the corpus are its seeds (those up to MaxSeed bytes).
func FuzzTerraformImport(f *testing.F) {
	seeds := append(interoptest.RealSeeds(f, "terraform"), interoptest.Path("terraform", "state.json"))
	for _, name := range append(seeds, interoptest.Path("terraform", "network.v0.1.plan.json")) {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		if len(b) <= interoptest.MaxSeed {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"format_version":"1.0","resource_changes":[{"address":"x","module_address":"foo","mode":"managed","type":"aws_instance","name":"x","change":{"actions":["create"],"after":{"subnet_id":"s"}}}]}`))
	cat := interoptest.Catalog(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		interoptest.ImportsValidOrFails(t, Format, []convert.File{{Name: "plan.json", Data: data}}, cat)
	})
}
