package awsclient

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwark-tm/bulwark/pkg/accounts"
	"github.com/bulwark-tm/bulwark/pkg/errs"
)

func TestOrganization(t *testing.T) {
	var org struct {
		Roots    []map[string]any
		OUs      map[string][]map[string]any
		Accounts map[string][]map[string]any
	}
	readTestdata(t, "organization.json", &org)
	f, srv := newFake(t)
	f.throttle["ListAccountsForParent"] = 1
	f.targets["AWSOrganizationsV20161128.ListRoots"] = func(in map[string]any) (any, *apiError) {
		return map[string]any{"Roots": org.Roots}, nil
	}
	f.targets["AWSOrganizationsV20161128.ListOrganizationalUnitsForParent"] = func(in map[string]any) (any, *apiError) {
		page, next := pages(org.OUs[in["ParentId"].(string)], 1, in)
		return map[string]any{"OrganizationalUnits": page, "NextToken": next}, nil
	}
	f.targets["AWSOrganizationsV20161128.ListAccountsForParent"] = func(in map[string]any) (any, *apiError) {
		page, next := pages(org.Accounts[in["ParentId"].(string)], 1, in)
		return map[string]any{"Accounts": page, "NextToken": next}, nil
	}
	got, err := NewOrgReader(testConfig(t, srv)).Organization(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	acct := func(id, name, email, status string) *accounts.OrgNode {
		return &accounts.OrgNode{ID: id, Name: name, Type: accounts.NodeAccount, Email: email, Status: status}
	}
	want := &accounts.OrgNode{ID: "r-ab12", Name: "Root", Type: accounts.NodeRoot, Children: []*accounts.OrgNode{
		{ID: "ou-ab12-11111111", Name: "Workloads", Type: accounts.NodeOU, Children: []*accounts.OrgNode{
			{ID: "ou-ab12-33333333", Name: "Production", Type: accounts.NodeOU, Children: []*accounts.OrgNode{
				acct("222222222222", "shop-prod", "aws-shop-prod@example.com", "ACTIVE"),
				acct("333333333333", "data-prod", "aws-data-prod@example.com", "SUSPENDED"),
			}},
		}},
		{ID: "ou-ab12-22222222", Name: "Security", Type: accounts.NodeOU, Children: []*accounts.OrgNode{
			acct("444444444444", "audit", "aws-audit@example.com", "ACTIVE"),
		}},
		acct("111111111111", "management", "aws-management@example.com", "ACTIVE"),
	}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("tree (-want +got):\n%s", d)
	}
	for _, k := range f.keys["ListRoots"] {
		if k != platformKey {
			t.Errorf("ListRoots signed with %q", k)
		}
	}
}

func TestOrganizationErrors(t *testing.T) {
	tests := []struct {
		name     string
		code     string
		wantKind errs.Kind
	}{
		{"not the management account", "AccessDeniedException", errs.Forbidden},
		{"no organization", "AWSOrganizationsNotInUseException", errs.Forbidden},
		{"service down", "ServiceException", errs.Unavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, srv := newFake(t)
			f.targets["AWSOrganizationsV20161128.ListRoots"] = func(map[string]any) (any, *apiError) {
				return nil, &apiError{400, tt.code, "refused"}
			}
			_, err := NewOrgReader(testConfig(t, srv)).Organization(context.Background())
			if !errs.Is(err, tt.wantKind) || !strings.Contains(err.Error(), "ListRoots") {
				t.Errorf("err = %v, want kind %v naming ListRoots", err, tt.wantKind)
			}
		})
	}
}
