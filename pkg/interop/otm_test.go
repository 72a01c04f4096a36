package interop

import (
	"slices"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
)

// TestOTMSharedIDs: a threat and a mitigation with the same id (as
// StartLeft writes Microsoft Threat Modeling Tool exports) import as two
// entries with namespaced ids, one per definition with every element.
func TestOTMSharedIDs(t *testing.T) {
	res, err := Import(OTM, readFiles(t, "otm-shared-ids.json"), testCatalog(t))
	if err != nil {
		t.Fatal(err)
	}
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

// TestOTMComponentTypes: OTM and StartLeft type names and their common
// spellings map to catalog types; unknown names stay generic with a
// warning that names them.
func TestOTMComponentTypes(t *testing.T) {
	cat := testCatalog(t)
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
	res, err := Import(OTM, readFiles(t, "otm-shared-ids.json"), cat)
	if err != nil {
		t.Fatal(err)
	}
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
	res = importReal(t, OTM, realFile(t, "otm/otm-spec-example.yaml"))
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

// TestTMBOMListed: TMBOM is listed among the formats (GET /interop/formats
// answers from this list) and described as not supported yet.
func TestTMBOMListed(t *testing.T) {
	for _, f := range Formats() {
		if f.Name == TMBOM {
			if !strings.Contains(f.Description, "not supported yet") {
				t.Errorf("description %q", f.Description)
			}
			return
		}
	}
	t.Error("tmbom is not listed")
}
