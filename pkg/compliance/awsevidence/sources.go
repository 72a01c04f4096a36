package awsevidence

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/configservice"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"
	shtypes "github.com/aws/aws-sdk-go-v2/service/securityhub/types"

	"github.com/bulwark-tm/bulwark/pkg/accounts"
	"github.com/bulwark-tm/bulwark/pkg/awsclient"
	"github.com/bulwark-tm/bulwark/pkg/compliance"
	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// Sources opens the evidence sources of one registered member account in
// one region: it is the workflow.EvidenceSources of aws mode. Opening
// calls no AWS API; the first page read does (and assumes the role then).
// It is safe for concurrent use.
type Sources struct {
	// Base is the platform's configuration: its region is the one read
	// when none is given, and aggregator calls use its credentials.
	Base aws.Config
	// Roles assumes the member roles with their ExternalIds; share the
	// inventory source's (awsclient.ConfigSource.Roles) so that both use
	// one session per account. Nil makes one over Base.
	Roles *awsclient.Roles
	// Aggregator, when set, reads the account's AWS Config rule
	// evaluations through this aggregator (in Base's account and region)
	// and assumes no member role, as the inventory does in aggregator
	// mode. Security Hub findings are then not pulled: they keep arriving
	// as events, and the platform account need not be Security Hub's
	// administrator.
	Aggregator string

	once sync.Once
}

// Open returns the account's sources in region (Base's region when
// empty): Security Hub GetFindings limited to the account's and region's
// findings, and the evaluations of the account's Config rules in the
// region, both signed with the member role's credentials in that region;
// or, with an Aggregator, no findings and the aggregator's evaluations of
// the account in the region. An account without a role (read from files)
// is Invalid.
func (s *Sources) Open(_ context.Context, a *accounts.Account, region string) (compliance.FindingsSource, compliance.EvaluationsSource, error) {
	if a == nil || !accounts.ValidAccountID(a.ID) {
		return nil, nil, errs.E(errs.Invalid, "evidence sources: no valid account")
	}
	if region == "" {
		region = s.Base.Region
	}
	if region == "" {
		return nil, nil, errs.E(errs.Invalid, "evidence sources of account %s: no region", a.ID)
	}
	if s.Aggregator != "" {
		return nil, Aggregator{Client: configservice.NewFromConfig(s.Base), Name: s.Aggregator, AccountID: a.ID, Region: region}, nil
	}
	s.once.Do(func() {
		if s.Roles == nil {
			s.Roles = &awsclient.Roles{Base: s.Base}
		}
	})
	cfg, err := s.Roles.Config(a, region)
	if err != nil {
		return nil, nil, err
	}
	return SecurityHub{Client: securityhub.NewFromConfig(cfg), Filters: AccountFilters(a.ID, region)},
		Config{Client: configservice.NewFromConfig(cfg), AccountID: a.ID, Region: region}, nil
}

// AccountFilters are DefaultFilters limited to one account's findings in
// one region: a member account that is Security Hub's administrator, or a
// region that aggregates others, also returns other accounts' or regions'
// findings, which are read from their own account and region instead.
func AccountFilters(account, region string) *shtypes.AwsSecurityFindingFilters {
	f := DefaultFilters()
	f.AwsAccountId = []shtypes.StringFilter{{Comparison: shtypes.StringFilterComparisonEquals, Value: aws.String(account)}}
	f.Region = []shtypes.StringFilter{{Comparison: shtypes.StringFilterComparisonEquals, Value: aws.String(region)}}
	return f
}
