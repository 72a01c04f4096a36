package awsclient

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"

	"github.com/bulwark-tm/bulwark/pkg/accounts"
	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// MaxOrgNodes bounds the tree OrgReader reads (AWS allows 10,000 accounts
// and 2,000 OUs per organization by default).
const MaxOrgNodes = 20000

// OrgReader reads the AWS Organizations tree with the platform's
// credentials, which must belong to the management account or a delegated
// administrator (organizations:List* and Describe* read actions only).
type OrgReader struct {
	Client *organizations.Client
}

var _ accounts.OrgReader = OrgReader{}

// NewOrgReader returns an OrgReader using cfg.
func NewOrgReader(cfg aws.Config) OrgReader {
	return OrgReader{Client: organizations.NewFromConfig(cfg)}
}

// Organization reads the root, its organizational units (recursively) and
// their accounts. Children are in the order AWS lists them: OUs first,
// then accounts.
func (o OrgReader) Organization(ctx context.Context) (*accounts.OrgNode, error) {
	var roots []*accounts.OrgNode
	p := organizations.NewListRootsPaginator(o.Client, &organizations.ListRootsInput{})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return nil, wrap(err, "organizations ListRoots")
		}
		for _, r := range out.Roots {
			roots = append(roots, &accounts.OrgNode{ID: aws.ToString(r.Id), Name: aws.ToString(r.Name), Type: accounts.NodeRoot})
		}
	}
	if len(roots) == 0 {
		return nil, errs.E(errs.NotFound, "the organization has no root")
	}
	n := 0
	if err := o.fill(ctx, roots[0], &n); err != nil {
		return nil, err
	}
	return roots[0], nil
}

func (o OrgReader) fill(ctx context.Context, parent *accounts.OrgNode, n *int) error {
	ous := organizations.NewListOrganizationalUnitsForParentPaginator(o.Client, &organizations.ListOrganizationalUnitsForParentInput{ParentId: &parent.ID})
	for ous.HasMorePages() {
		out, err := ous.NextPage(ctx)
		if err != nil {
			return wrap(err, "organizations ListOrganizationalUnitsForParent %s", parent.ID)
		}
		for _, u := range out.OrganizationalUnits {
			if *n++; *n > MaxOrgNodes {
				return errs.E(errs.TooLarge, "the organization has more than %d nodes", MaxOrgNodes)
			}
			child := &accounts.OrgNode{ID: aws.ToString(u.Id), Name: aws.ToString(u.Name), Type: accounts.NodeOU}
			parent.Children = append(parent.Children, child)
			if err := o.fill(ctx, child, n); err != nil {
				return err
			}
		}
	}
	accts := organizations.NewListAccountsForParentPaginator(o.Client, &organizations.ListAccountsForParentInput{ParentId: &parent.ID})
	for accts.HasMorePages() {
		out, err := accts.NextPage(ctx)
		if err != nil {
			return wrap(err, "organizations ListAccountsForParent %s", parent.ID)
		}
		for _, a := range out.Accounts {
			if *n++; *n > MaxOrgNodes {
				return errs.E(errs.TooLarge, "the organization has more than %d nodes", MaxOrgNodes)
			}
			status := string(a.State)
			if status == "" {
				status = string(a.Status)
			}
			parent.Children = append(parent.Children, &accounts.OrgNode{ID: aws.ToString(a.Id), Name: aws.ToString(a.Name),
				Type: accounts.NodeAccount, Email: aws.ToString(a.Email), Status: status})
		}
	}
	return nil
}
