package awsclient

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/accounts"
	"github.com/bulwark-tm/bulwark/pkg/errs"
)

var member = &accounts.Account{ID: "222222222222", Name: "shop-prod", Access: accounts.AccessRole,
	RoleARN: memberRole, ExternalID: externalID, Regions: []string{"us-east-1"}}

// selectResults returns the testdata items as SELECT results: one JSON
// string per item.
func selectResults(t *testing.T) []string {
	var items []json.RawMessage
	readTestdata(t, "items.json", &items)
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = string(it)
	}
	return out
}

func TestExpression(t *testing.T) {
	tests := []struct {
		name        string
		scope       accounts.Scope
		withAccount bool
		wantWhere   string
		wantErr     errs.Kind
	}{
		{"account and region", accounts.Scope{Account: member, Region: "eu-west-1"}, true, " WHERE accountId = '222222222222' AND awsRegion = 'eu-west-1'", 0},
		{"types", accounts.Scope{Types: []string{"AWS::EC2::VPC", "AWS::EC2::Subnet"}}, false, " WHERE resourceType IN ('AWS::EC2::VPC', 'AWS::EC2::Subnet')", 0},
		{"everything", accounts.Scope{}, false, "", 0},
		{"injected region", accounts.Scope{Account: member, Region: "us-east-1' OR '1'='1"}, true, "", errs.Invalid},
		{"injected type", accounts.Scope{Types: []string{"AWS::EC2::VPC') OR ('x"}}, false, "", errs.Invalid},
		{"no account", accounts.Scope{}, true, "", errs.Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Expression(tt.scope, tt.withAccount)
			if tt.wantErr != 0 {
				if !errs.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want kind %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := "SELECT " + strings.Join(SelectFields, ", ") + tt.wantWhere
			if got != want {
				t.Errorf("got  %s\nwant %s", got, want)
			}
		})
	}
}

func TestCollect(t *testing.T) {
	tests := []struct {
		name       string
		aggregator string
		useList    bool
		externalID string
		throttle   map[string]int
		wantErr    errs.Kind
		// wantCalls are operations and how often each was called.
		wantCalls map[string]int
		// wantKey is the access key the Config calls must be signed with.
		wantKey string
	}{
		{
			name: "aggregator, paginated, throttled once", aggregator: "org-aggregator",
			throttle:  map[string]int{"SelectAggregateResourceConfig": 1},
			wantCalls: map[string]int{"SelectAggregateResourceConfig": 3, "AssumeRole": 0},
			wantKey:   platformKey,
		},
		{
			name: "member role with ExternalId, select", externalID: externalID,
			throttle:  map[string]int{"SelectResourceConfig": 1, "AssumeRole": 1},
			wantCalls: map[string]int{"AssumeRole": 2, "SelectResourceConfig": 3},
			wantKey:   sessionKey,
		},
		{
			name: "member role, list and batch get", externalID: externalID, useList: true,
			throttle:  map[string]int{"BatchGetResourceConfig": 1},
			wantCalls: map[string]int{"AssumeRole": 1, "ListDiscoveredResources": 3, "BatchGetResourceConfig": 3},
			wantKey:   sessionKey,
		},
		{
			name: "wrong ExternalId is refused", externalID: "bulwark-someoneelse",
			wantErr: errs.Forbidden,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, srv := newFake(t)
			for k, v := range tt.throttle {
				f.throttle[k] = v
			}
			results := selectResults(t)
			f.targets["StarlingDoveService.SelectAggregateResourceConfig"] = func(in map[string]any) (any, *apiError) {
				if in["ConfigurationAggregatorName"] != "org-aggregator" {
					return nil, &apiError{400, "NoSuchConfigurationAggregatorException", "no such aggregator"}
				}
				if want := "accountId = '222222222222' AND awsRegion = 'us-east-1'"; !strings.Contains(in["Expression"].(string), want) {
					t.Errorf("Expression %q lacks %q", in["Expression"], want)
				}
				page, next := pages(results, 2, in)
				return map[string]any{"Results": page, "NextToken": next, "QueryInfo": map[string]any{"SelectFields": []any{}}}, nil
			}
			f.targets["StarlingDoveService.SelectResourceConfig"] = func(in map[string]any) (any, *apiError) {
				if strings.Contains(in["Expression"].(string), "accountId =") {
					t.Errorf("member query filters on accountId: %q", in["Expression"])
				}
				page, next := pages(results, 2, in)
				return map[string]any{"Results": page, "NextToken": next}, nil
			}
			var items []map[string]any
			readTestdata(t, "items.json", &items)
			f.targets["StarlingDoveService.ListDiscoveredResources"] = func(in map[string]any) (any, *apiError) {
				var ids []map[string]any
				for _, it := range items {
					if it["resourceType"] == in["resourceType"] {
						ids = append(ids, map[string]any{"resourceType": it["resourceType"], "resourceId": it["resourceId"]})
					}
				}
				page, next := pages(ids, 1, in)
				return map[string]any{"resourceIdentifiers": page, "nextToken": next}, nil
			}
			f.targets["StarlingDoveService.BatchGetResourceConfig"] = func(in map[string]any) (any, *apiError) {
				keys := in["resourceKeys"].([]any)
				var out []map[string]any
				var unprocessed []any
				for i, k := range keys {
					if i == 2 { // the service leaves some keys for the next call
						unprocessed = keys[i:]
						break
					}
					km := k.(map[string]any)
					for _, it := range items {
						if it["resourceId"] == km["resourceId"] {
							conf, _ := json.Marshal(it["configuration"])
							out = append(out, map[string]any{
								"version": "1.3", "accountId": it["accountId"], "awsRegion": it["awsRegion"],
								"resourceType": it["resourceType"], "resourceId": it["resourceId"],
								"configurationItemCaptureTime": 1790762400, "configurationItemStatus": "OK",
								"configuration": string(conf),
							})
						}
					}
				}
				return map[string]any{"baseConfigurationItems": out, "unprocessedResourceKeys": unprocessed}, nil
			}
			// ListDiscoveredResources pages through the types it is asked for;
			// the test asks for the three in items.json.
			acct := *member
			acct.ExternalID = tt.externalID
			src := &ConfigSource{Base: testConfig(t, srv), Aggregator: tt.aggregator, UseList: tt.useList}
			scope := accounts.Scope{Account: &acct, Region: "us-east-1"}
			if tt.useList {
				scope.Types = []string{"AWS::EC2::VPC", "AWS::EC2::Subnet", "AWS::EC2::Instance"}
			}
			inv, err := src.Collect(context.Background(), scope)
			if tt.wantErr != 0 {
				if !errs.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want kind %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, r := range inv.Resources() {
				ids = append(ids, r.ID)
				if r.AccountID != "222222222222" || r.Region != "us-east-1" {
					t.Errorf("%s: account %q region %q", r.ID, r.AccountID, r.Region)
				}
				if len(r.Configuration) == 0 || r.Configuration[0] != '{' {
					t.Errorf("%s: configuration %s", r.ID, r.Configuration)
				}
			}
			slices.Sort(ids)
			if want := []string{"i-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60001", "vpc-0a1b2c3d4e5f60001"}; !slices.Equal(ids, want) {
				t.Errorf("resources %v, want %v", ids, want)
			}
			for op, n := range tt.wantCalls {
				if f.calls[op] != n {
					t.Errorf("%s called %d times, want %d", op, f.calls[op], n)
				}
				if strings.Contains(op, "Resource") {
					for _, k := range f.keys[op] {
						if k != tt.wantKey {
							t.Errorf("%s signed with %q, want %q", op, k, tt.wantKey)
						}
					}
				}
			}
		})
	}
}

func TestRolesCheck(t *testing.T) {
	f, srv := newFake(t)
	roles := &Roles{Base: testConfig(t, srv)}
	arn, err := roles.Check(context.Background(), member)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(arn, "arn:aws:sts::222222222222:assumed-role/BulwarkReadOnly/") {
		t.Errorf("arn %q", arn)
	}
	// A second check reuses the cached session.
	if _, err := roles.Check(context.Background(), member); err != nil {
		t.Fatal(err)
	}
	if f.calls["AssumeRole"] != 1 || f.calls["GetCallerIdentity"] != 2 {
		t.Errorf("calls %v", f.calls)
	}
	if got := f.keys["GetCallerIdentity"]; got[0] != sessionKey {
		t.Errorf("GetCallerIdentity signed with %v", got)
	}
	if _, err := roles.Config(&accounts.Account{ID: "222222222222", Access: accounts.AccessFiles}, ""); !errs.Is(err, errs.Invalid) {
		t.Errorf("files account: %v", err)
	}
}
