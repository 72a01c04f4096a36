package awsclient

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/accounts"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

// wireItem is the instance of testdata/items.json as AWS Config's JSON 1.1
// protocol sends a ConfigurationItem (capture time in epoch seconds,
// configuration as a string).
func wireItem() map[string]any {
	return map[string]any{
		"version": "1.3", "accountId": "222222222222", "awsRegion": "us-east-1", "availabilityZone": "us-east-1a",
		"resourceType": "AWS::EC2::Instance", "resourceId": "i-0a1b2c3d4e5f60001", "resourceName": "shop-app-1",
		"arn":                          "arn:aws:ec2:us-east-1:222222222222:instance/i-0a1b2c3d4e5f60001",
		"configurationItemCaptureTime": 1790931600, "configurationItemStatus": "OK", "configurationStateId": "1790931600000",
		"tags": map[string]any{"Name": "shop-app-1"},
		"relationships": []any{
			map[string]any{"resourceType": "AWS::EC2::Subnet", "resourceId": "subnet-0a1b2c3d4e5f60001", "relationshipName": "Is contained in Subnet"},
			map[string]any{"resourceType": "AWS::EC2::VPC", "resourceId": "vpc-0a1b2c3d4e5f60001", "relationshipName": "Is contained in Vpc"},
		},
		"configuration": `{"instanceId":"i-0a1b2c3d4e5f60001","instanceType":"t3.large","subnetId":"subnet-0a1b2c3d4e5f60001","vpcId":"vpc-0a1b2c3d4e5f60001"}`,
	}
}

// TestConfigFetcher reads an oversized change notification (EventBridge
// carries no item over 256 KB) with the fetcher: the full item comes from
// GetResourceConfigHistory through the member role, or from the
// aggregator with the platform's credentials.
func TestConfigFetcher(t *testing.T) {
	event, err := os.ReadFile("testdata/oversized-event.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		aggregator string
		externalID string
		wantOp     string
		wantKey    string
		wantSkip   string
	}{
		{name: "member role", externalID: externalID, wantOp: "GetResourceConfigHistory", wantKey: sessionKey},
		{name: "aggregator", aggregator: "org-aggregator", wantOp: "GetAggregateResourceConfig", wantKey: platformKey},
		{name: "role refused", externalID: "bulwark-wrongexternalid000000000", wantSkip: "AccessDenied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, srv := newFake(t)
			f.targets["StarlingDoveService.GetResourceConfigHistory"] = func(in map[string]any) (any, *apiError) {
				if in["resourceType"] != "AWS::EC2::Instance" || in["resourceId"] != "i-0a1b2c3d4e5f60001" || in["limit"] != float64(1) || in["laterTime"] != float64(1790931600) {
					t.Errorf("GetResourceConfigHistory input %v", in)
				}
				return map[string]any{"configurationItems": []any{wireItem()}}, nil
			}
			f.targets["StarlingDoveService.GetAggregateResourceConfig"] = func(in map[string]any) (any, *apiError) {
				id, _ := in["ResourceIdentifier"].(map[string]any)
				if in["ConfigurationAggregatorName"] != "org-aggregator" || id["SourceAccountId"] != "222222222222" || id["SourceRegion"] != "us-east-1" ||
					id["ResourceType"] != "AWS::EC2::Instance" || id["ResourceId"] != "i-0a1b2c3d4e5f60001" {
					t.Errorf("GetAggregateResourceConfig input %v", in)
				}
				return map[string]any{"ConfigurationItem": wireItem()}, nil
			}
			acct := *member
			acct.ExternalID = tt.externalID
			fetcher := &ConfigFetcher{Base: testConfig(t, srv), Aggregator: tt.aggregator,
				Account: func(_ context.Context, id string) (*accounts.Account, error) {
					if id != acct.ID {
						return nil, errs.E(errs.NotFound, "no tenant uses account %s", id)
					}
					return &acct, nil
				}}
			r := inventory.NewReader(fetcher)
			res := r.Parse(context.Background(), "oversized-event.json", event)
			if tt.wantSkip != "" {
				if res.Items != 0 || len(res.Skipped) != 1 || !strings.Contains(res.Skipped[0].Message, tt.wantSkip) {
					t.Fatalf("result %+v", res)
				}
				return
			}
			if res.Err != nil || res.Items != 1 || len(res.Skipped) != 0 {
				t.Fatalf("result %+v", res)
			}
			r.Inventory.Resolve()
			got := r.Inventory.Resources()
			if len(got) != 1 || got[0].ID != "i-0a1b2c3d4e5f60001" || got[0].AccountID != "222222222222" || !strings.Contains(string(got[0].Configuration), "t3.large") {
				t.Fatalf("resources %+v", got)
			}
			var vpc bool
			for _, rel := range got[0].Relationships {
				vpc = vpc || rel.ID == "vpc-0a1b2c3d4e5f60001"
			}
			if !vpc || got[0].Tags["Name"] != "shop-app-1" {
				t.Errorf("item %+v", got[0])
			}
			if f.calls[tt.wantOp] != 1 || f.keys[tt.wantOp][0] != tt.wantKey {
				t.Errorf("%s: %d calls signed with %v", tt.wantOp, f.calls[tt.wantOp], f.keys[tt.wantOp])
			}
		})
	}
}

// TestRoleVerifier: an account is verified by assuming its role with its
// ExternalId; a wrong ExternalId (another tenant's, or a stack deployed
// with an older one) is refused.
func TestRoleVerifier(t *testing.T) {
	_, srv := newFake(t)
	v := RoleVerifier{Roles: &Roles{Base: testConfig(t, srv)}}
	if err := v.Verify(context.Background(), "acme", member); err != nil {
		t.Fatal(err)
	}
	wrong := *member
	wrong.ExternalID = "bulwark-wrongexternalid000000000"
	if err := v.Verify(context.Background(), "acme", &wrong); !errs.Is(err, errs.Forbidden) {
		t.Errorf("wrong ExternalId: %v", err)
	}
	other := *member
	other.ID, other.RoleARN = "333333333333", accounts.RoleARNFor("333333333333")
	if err := v.Verify(context.Background(), "acme", &other); !errs.Is(err, errs.Forbidden) {
		t.Errorf("role of another account: %v", err)
	}
}
