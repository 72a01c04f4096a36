package otm

import (
	"slices"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/interoptest"
)

// TestExportGolden exports the reference model; what OTM cannot hold is
// reported.
func TestExportGolden(t *testing.T) {
	interoptest.ExportGolden(t, Format, "otm.schema.json", "model.otm.golden.json", "1 threat notes are not exported")
}

// TestImportGolden imports a YAML document written in OTM's documented
// shape.
func TestImportGolden(t *testing.T) {
	interoptest.ImportGolden(t, Format, interoptest.GoldenImport{Name: "otm yaml", Files: []string{"otm-shop.yaml"},
		Schema: "otm.schema.json", Golden: "otm-shop.import.golden.json", Warnings: []string{"bidirectional"}})
}

// TestImportErrors: bad documents get a clear error of the right kind.
func TestImportErrors(t *testing.T) {
	interoptest.ImportErrors(t, Format,
		interoptest.BadInput{Name: "otm malformed json", Files: interoptest.ReadFiles(t, "otm-malformed.json"), Kind: errs.Malformed, Msg: "otm-malformed.json: malformed JSON at line 2"},
		interoptest.BadInput{Name: "otm not otm", Files: interoptest.ReadFiles(t, "otm-no-version.json"), Kind: errs.Invalid, Msg: "not an Open Threat Model document"},
		interoptest.BadInput{Name: "otm wrong type", Files: interoptest.ReadFiles(t, "otm-wrong-type.json"), Kind: errs.Malformed, Msg: "/components"},
		interoptest.BadInput{Name: "otm empty", Files: []convert.File{{Name: "empty.json", Data: []byte("  ")}}, Kind: errs.Malformed, Msg: "empty.json is empty"},
		interoptest.BadInput{Name: "otm bad yaml", Files: []convert.File{{Name: "bad.yaml", Data: []byte("otmVersion: [\n")}}, Kind: errs.Malformed, Msg: "malformed YAML"},
	)
}

// TestRoundTrip: the reference model exported and imported again comes
// back as it was, but for the notes of item states (OTM threat instances
// have none; reported on export).
func TestRoundTrip(t *testing.T) {
	interoptest.RoundTrip(t, Format, true, nil)
}

// TestSharedIDs: a threat and a mitigation with the same id (as StartLeft
// writes Microsoft Threat Modeling Tool exports) import as two entries
// with namespaced ids, one per definition with every element.
func TestSharedIDs(t *testing.T) {
	res := interoptest.MustImport(t, Format, interoptest.ReadFiles(t, "otm-shared-ids.json"))
	got := map[string][]string{}
	for _, c := range res.Model.Custom {
		got[c.Kind+" "+c.ID] = c.Elements
	}
	want := map[string][]string{
		"threat threat:1": {"c1", "c2"}, "mitigation mitigation:1": {"c1", "c2"},
		"threat threat:2": {"c2"}, "mitigation mitigation:2": {"c2"},
	}
	for k, els := range want {
		if !slices.Equal(got[k], els) {
			t.Errorf("%s on %v, want %v (all: %v)", k, got[k], els, got)
		}
	}
	if len(res.Model.Custom) != 4 {
		t.Errorf("%d custom entries, want 4", len(res.Model.Custom))
	}
	if !slices.ContainsFunc(res.Warnings, func(w string) bool { return strings.Contains(w, "threat:1 has different states") }) {
		t.Errorf("no warning for the differing states: %q", res.Warnings)
	}
}

// TestComponentTypes: OTM and StartLeft type names and their common
// spellings map to catalog types; unknown names stay generic with a
// warning that names them.
func TestComponentTypes(t *testing.T) {
	cat := interoptest.Catalog(t)
	for in, want := range map[string]string{
		"ec2": "aws.ec2", "rds": "aws.rds", "s3": "aws.s3", "dynamodb": "aws.dynamodb", "vpc": "aws.vpc",
		"load-balancer": "aws.alb", "api-gateway": "aws.apigateway", "cloudtrail": "aws.cloudtrail",
		"Amazon S3": "aws.s3", "AWS Lambda": "aws.lambda", "aws_lambda_function": "aws.lambda", "AWS::SQS::Queue": "aws.sqs",
		"elastic-load-balancing": "aws.alb", "Amazon RDS": "aws.rds", "generic-client": "generic.browser",
		"web-service": "generic.web-server", "database": "generic.database", "empty-component": convert.GenericType,
		// IriusRisk component definitions, as its OTM exports name them.
		"CD-V2-AWS-RDS": "aws.rds", "CD-V2-AWS-ECS-CLUSTER": "aws.ecs", "CD-V2-AWS-APPLICATION-LOAD-BALANCER": "aws.alb",
		"CD-V2-AWS-S3": "aws.s3", "CD-V2-AWS-ELASTICACHE-FOR-REDIS": "aws.elasticache", "CD-V2-WEB-APPLICATION-SERVER-SIDE": "generic.web-server",
		"CD-V2-AWS-WAF-WEB-APPLICATION-FIREWALL": "aws.waf", "CD-V2-3RD-PARTY-API-SERVICE": "generic.external-service",
	} {
		if got, ok := catalogTypeFor(cat, in); !ok || got != want {
			t.Errorf("%q → %q (%v), want %q", in, got, ok, want)
		}
	}
	res := interoptest.MustImport(t, Format, interoptest.ReadFiles(t, "otm-shared-ids.json"))
	types := map[string]string{}
	for _, c := range res.Model.Diagram.Components {
		types[c.ID] = c.Type
	}
	if types["c1"] != "aws.ec2" || types["c2"] != "aws.rds" || types["c3"] != convert.GenericType {
		t.Errorf("types %v", types)
	}
	if !slices.ContainsFunc(res.Warnings, func(w string) bool { return strings.Contains(w, `"as400-mainframe"`) }) {
		t.Errorf("no warning names the unknown type: %q", res.Warnings)
	}
	// The real OTM specification example: its web-client, web-service and
	// database components get catalog types; code-class stays generic.
	res = interoptest.MustImport(t, Format, interoptest.RealFiles(t, "otm/otm-spec-example.yaml"))
	for _, c := range res.Model.Diagram.Components {
		types[c.ID] = c.Type
	}
	if types["web-client"] != "generic.browser" || types["web-service"] != "generic.web-server" || types["customer-database"] != "generic.database" {
		t.Errorf("spec example types %v", types)
	}
	if !slices.ContainsFunc(res.Warnings, func(w string) bool { return strings.Contains(w, `"code-class"`) }) {
		t.Errorf("no warning names code-class: %q", res.Warnings)
	}
}
