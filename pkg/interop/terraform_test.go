package interop

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// TestTerraformImportGolden imports plans written in the shape of terraform
// show -json for each supported format version and compares the preview
// (model and warnings) with a golden file.
func TestTerraformImportGolden(t *testing.T) {
	cat := testCatalog(t)
	tests := []struct {
		name, file, golden string
		warnings           []string // substrings that must appear among the warnings
	}{
		{"format 1.2 with a child module", "terraform/web-app.plan.json", "terraform/web-app.import.golden.json", []string{
			"aws_security_group_rule.db_from_admin source_security_group_id: unknown until apply, and local.admin_security_group_id is a local value",
			`"sg-0b0a57100000example" is not the id, ARN or name of a resource in the plan`,
			"1 resources of type aws_glue_catalog_database have no Bulwark catalog type",
			"1 resources of type random_password create no infrastructure",
			"1 resources are planned for destruction",
		}},
		{"format 0.1 with a network load balancer", "terraform/network.v0.1.plan.json", "terraform/network.v0.1.import.golden.json", nil},
		{"format 0.2 with counted and for_each modules", "terraform/serverless.v0.2.plan.json", "terraform/serverless.v0.2.import.golden.json", []string{
			"aws_vpc_endpoint.dynamodb vpc_id: data.aws_vpc.shared is a data source (infrastructure outside this plan); not resolved",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Import(Terraform, readFiles(t, tt.file), cat)
			if err != nil {
				t.Fatal(err)
			}
			if err := res.Model.Validate(); err != nil {
				t.Fatalf("imported model is invalid: %v", err)
			}
			b, err := json.MarshalIndent(res, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tt.golden, append(b, '\n'))
			all := strings.Join(res.Warnings, "\n")
			for _, w := range tt.warnings {
				if !strings.Contains(all, w) {
					t.Errorf("warnings lack %q:\n%s", w, all)
				}
			}
		})
	}
}

// TestTerraformImportErrors checks that documents that are not plans, or
// plans in an unsupported format version, get a clear error of the right
// kind.
func TestTerraformImportErrors(t *testing.T) {
	cat := testCatalog(t)
	tests := []struct {
		name  string
		files []File
		kind  errs.Kind
		msg   string
	}{
		{"malformed json", readFiles(t, "terraform/malformed.json"), errs.Malformed, "terraform/malformed.json: malformed JSON at line 8"},
		{"empty", []File{{Name: "plan.json", Data: []byte("\n")}}, errs.Malformed, "plan.json is empty"},
		{"wrong field type", readFiles(t, "terraform/wrong-type.json"), errs.Malformed, "/planned_values/root_module/resources"},
		{"binary plan file", []File{{Name: "tfplan", Data: []byte("PK\x03\x04\x14\x00\x08\x00")}}, errs.Invalid, "binary Terraform plan file; convert it with terraform show -json tfplan"},
		{"state file", readFiles(t, "terraform/terraform.tfstate"), errs.Invalid, "is a Terraform state file, not a plan"},
		{"state json", readFiles(t, "terraform/state.json"), errs.Invalid, "is the JSON form of a Terraform state"},
		{"cloudformation template", readFiles(t, "terraform/not-a-plan.json"), errs.Invalid, "is not a Terraform plan: it has neither planned_values nor resource_changes"},
		{"json array", []File{{Name: "list.json", Data: []byte(`[{"format_version": "1.2"}]`)}}, errs.Invalid, "list.json is not a Terraform plan: the document is not a JSON object"},
		{"no format version", []File{{Name: "plan.json", Data: []byte(`{"planned_values": {"root_module": {}}}`)}}, errs.Invalid, "it has no format_version"},
		{"format version 2.0", readFiles(t, "terraform/format-2.0.json"), errs.Invalid, `plan JSON format version "2.0" is not supported; this importer reads format versions 0.1 to 1.x`},
		{"format version 0.3", []File{{Name: "plan.json", Data: []byte(`{"format_version": "0.3", "planned_values": {}}`)}}, errs.Invalid, `format version "0.3" is not supported`},
		{"format version not a string", []File{{Name: "plan.json", Data: []byte(`{"format_version": 1.2, "planned_values": {}}`)}}, errs.Malformed, "/format_version"},
		{"two files", readFiles(t, "terraform/web-app.plan.json", "terraform/state.json"), errs.Invalid, "reads one plan document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Import(Terraform, tt.files, cat)
			if err == nil {
				t.Fatal("no error")
			}
			if k := errs.KindOf(err); k != tt.kind {
				t.Errorf("kind = %v, want %v (%v)", k, tt.kind, err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q lacks %q", err, tt.msg)
			}
		})
	}
}

// TestTerraformSupportedVersion checks the format versions accepted.
func TestTerraformSupportedVersion(t *testing.T) {
	for v, want := range map[string]bool{"0.1": true, "0.2": true, "1.0": true, "1.2": true, "1.17": true,
		"0.0": false, "0.3": false, "2.0": false, "1": false, "1.x": false, "": false, "v1.0": false} {
		if got := tfSupportedVersion(v); got != want {
			t.Errorf("tfSupportedVersion(%q) = %v, want %v", v, got, want)
		}
	}
}

// TestTerraformAddresses checks how addresses and references are split
// and turned into graph keys and module configuration paths.
func TestTerraformAddresses(t *testing.T) {
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

// FuzzTerraformImport checks that no plan, however odd, crashes the
// importer or yields an invalid model: it returns a model or an error. The
// real plans of the corpus are its seeds (those up to maxSeed bytes).
func FuzzTerraformImport(f *testing.F) {
	seeds := append(realSeeds(f, "terraform"), filepath.Join("testdata", "terraform", "state.json"))
	for _, name := range append(seeds, filepath.Join("testdata", "terraform", "network.v0.1.plan.json")) {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		if len(b) <= maxSeed {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"format_version":"1.0","resource_changes":[{"address":"x","module_address":"foo","mode":"managed","type":"aws_instance","name":"x","change":{"actions":["create"],"after":{"subnet_id":"s"}}}]}`))
	cat, err := catalog.Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Import(Terraform, []File{{Name: "plan.json", Data: data}}, cat)
		if err != nil {
			if strings.Contains(err.Error(), "the imported model is not valid") {
				t.Fatalf("the importer built an invalid model: %v", err)
			}
			return
		}
		if err := res.Model.Validate(); err != nil {
			t.Fatalf("imported model is invalid: %v", err)
		}
	})
}
