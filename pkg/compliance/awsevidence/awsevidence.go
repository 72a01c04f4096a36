// Package awsevidence reads compliance evidence from AWS with
// aws-sdk-go-v2: Security Hub findings (GetFindings) and AWS Config rule
// evaluations, from one account (DescribeConfigRules and
// GetComplianceDetailsByConfigRule) or from an aggregator
// (DescribeAggregateComplianceByConfigRules and
// GetAggregateComplianceDetailsByConfigRule). Every call is paginated.
//
// The types implement compliance.FindingsSource and
// compliance.EvaluationsSource. Sources opens them for one registered
// member account and region, with the credentials of the account's
// read-only member role (awsclient.Roles) or through the aggregator; it is
// the workflow.EvidenceSources that the composition root (pkg/app, in aws
// mode) gives the scheduled run (functions/drift, bulwark serve), which
// pulls each verified account's evidence when it is new and then daily.
// Events (functions/findings) keep the evidence current in between; they
// do not use this package.
package awsevidence

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/configservice"
	cfgtypes "github.com/aws/aws-sdk-go-v2/service/configservice/types"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"
	shtypes "github.com/aws/aws-sdk-go-v2/service/securityhub/types"

	"github.com/bulwark-tm/bulwark/pkg/compliance"
	"github.com/bulwark-tm/bulwark/pkg/errs"
)

var (
	_ compliance.FindingsSource    = SecurityHub{}
	_ compliance.EvaluationsSource = Config{}
	_ compliance.EvaluationsSource = Aggregator{}
)

// SecurityHub reads findings with GetFindings.
type SecurityHub struct {
	Client *securityhub.Client
	// Filters selects findings; nil reads every active compliance finding
	// (RecordState ACTIVE, ProductName "Security Hub").
	Filters *shtypes.AwsSecurityFindingFilters
	// PageSize is the page size (1–100); 0 means 100.
	PageSize int32
}

// DefaultFilters selects the findings of Security Hub's own controls.
func DefaultFilters() *shtypes.AwsSecurityFindingFilters {
	return &shtypes.AwsSecurityFindingFilters{
		ProductName: []shtypes.StringFilter{{Comparison: shtypes.StringFilterComparisonEquals, Value: aws.String("Security Hub")}},
	}
}

// Findings pages through the findings.
func (s SecurityHub) Findings(ctx context.Context, page func([]compliance.Finding) error) error {
	in := &securityhub.GetFindingsInput{Filters: s.Filters, MaxResults: aws.Int32(100)}
	if in.Filters == nil {
		in.Filters = DefaultFilters()
	}
	if s.PageSize > 0 {
		in.MaxResults = aws.Int32(s.PageSize)
	}
	p := securityhub.NewGetFindingsPaginator(s.Client, in)
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return errs.E(errs.Unavailable, "Security Hub GetFindings: %w", err)
		}
		fs := make([]compliance.Finding, 0, len(out.Findings))
		for i := range out.Findings {
			fs = append(fs, finding(&out.Findings[i]))
		}
		if err := page(fs); err != nil {
			return err
		}
	}
	return nil
}

// finding converts the SDK's finding to the fields evidence reads.
func finding(f *shtypes.AwsSecurityFinding) compliance.Finding {
	out := compliance.Finding{
		SchemaVersion: aws.ToString(f.SchemaVersion), ID: aws.ToString(f.Id), ProductArn: aws.ToString(f.ProductArn),
		GeneratorID: aws.ToString(f.GeneratorId), AwsAccountID: aws.ToString(f.AwsAccountId), Region: aws.ToString(f.Region),
		Title: aws.ToString(f.Title), CreatedAt: aws.ToString(f.CreatedAt), UpdatedAt: aws.ToString(f.UpdatedAt),
		ProductFields: f.ProductFields, WorkflowState: string(f.WorkflowState), RecordState: string(f.RecordState),
	}
	if f.Severity != nil {
		out.Severity = &compliance.FindingSeverity{Label: string(f.Severity.Label)}
	}
	if c := f.Compliance; c != nil {
		out.Compliance = &compliance.FindingCompliance{Status: string(c.Status), SecurityControlID: aws.ToString(c.SecurityControlId),
			RelatedRequirements: c.RelatedRequirements}
		for _, s := range c.AssociatedStandards {
			out.Compliance.AssociatedStandards = append(out.Compliance.AssociatedStandards, compliance.AssociatedStandard{StandardsID: aws.ToString(s.StandardsId)})
		}
	}
	for _, r := range f.Resources {
		out.Resources = append(out.Resources, compliance.FindingResource{Type: aws.ToString(r.Type), ID: aws.ToString(r.Id),
			Partition: string(r.Partition), Region: aws.ToString(r.Region)})
	}
	if f.Workflow != nil {
		out.Workflow = &compliance.FindingWorkflow{Status: string(f.Workflow.Status)}
	}
	return out
}

// Config reads the evaluations of one account's Config rules.
type Config struct {
	Client *configservice.Client
	// AccountID and Region are the account and region the client reads
	// (GetComplianceDetailsByConfigRule does not say them).
	AccountID, Region string
	// Rules names the rules to read; empty reads every rule
	// (DescribeConfigRules).
	Rules []string
}

// Evaluations pages through the rules' evaluations.
func (c Config) Evaluations(ctx context.Context, page func([]compliance.Evaluation) error) error {
	rules := c.Rules
	if len(rules) == 0 {
		p := configservice.NewDescribeConfigRulesPaginator(c.Client, &configservice.DescribeConfigRulesInput{})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				return errs.E(errs.Unavailable, "AWS Config DescribeConfigRules: %w", err)
			}
			for _, r := range out.ConfigRules {
				rules = append(rules, aws.ToString(r.ConfigRuleName))
			}
		}
	}
	for _, rule := range rules {
		p := configservice.NewGetComplianceDetailsByConfigRulePaginator(c.Client, &configservice.GetComplianceDetailsByConfigRuleInput{
			ConfigRuleName: aws.String(rule), Limit: 100})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				return errs.E(errs.Unavailable, "AWS Config GetComplianceDetailsByConfigRule %s: %w", rule, err)
			}
			evs := make([]compliance.Evaluation, 0, len(out.EvaluationResults))
			for _, r := range out.EvaluationResults {
				evs = append(evs, evaluation(r.EvaluationResultIdentifier, r.ComplianceType, r.Annotation, r.ResultRecordedTime, c.AccountID, c.Region))
			}
			if err := page(evs); err != nil {
				return err
			}
		}
	}
	return nil
}

// Aggregator reads the evaluations of every account and region of a Config
// aggregator, or of one account or region.
type Aggregator struct {
	Client *configservice.Client
	Name   string // the configuration aggregator's name
	// AccountID and Region, when set, limit the evaluations to that
	// account and region.
	AccountID, Region string
}

// Evaluations pages through every (rule, account, region) the aggregator
// knows.
func (a Aggregator) Evaluations(ctx context.Context, page func([]compliance.Evaluation) error) error {
	if a.Name == "" {
		return errs.E(errs.Invalid, "AWS Config aggregator: no aggregator name")
	}
	type key struct{ rule, account, region string }
	var keys []key
	in := &configservice.DescribeAggregateComplianceByConfigRulesInput{ConfigurationAggregatorName: aws.String(a.Name)}
	if a.AccountID != "" || a.Region != "" {
		in.Filters = &cfgtypes.ConfigRuleComplianceFilters{AccountId: nonEmpty(a.AccountID), AwsRegion: nonEmpty(a.Region)}
	}
	p := configservice.NewDescribeAggregateComplianceByConfigRulesPaginator(a.Client, in)
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return errs.E(errs.Unavailable, "AWS Config DescribeAggregateComplianceByConfigRules %s: %w", a.Name, err)
		}
		for _, r := range out.AggregateComplianceByConfigRules {
			k := key{aws.ToString(r.ConfigRuleName), aws.ToString(r.AccountId), aws.ToString(r.AwsRegion)}
			if (a.AccountID != "" && k.account != a.AccountID) || (a.Region != "" && k.region != a.Region) {
				continue // outside the filter: never read
			}
			keys = append(keys, k)
		}
	}
	for _, k := range keys {
		p := configservice.NewGetAggregateComplianceDetailsByConfigRulePaginator(a.Client, &configservice.GetAggregateComplianceDetailsByConfigRuleInput{
			ConfigurationAggregatorName: aws.String(a.Name), ConfigRuleName: aws.String(k.rule),
			AccountId: aws.String(k.account), AwsRegion: aws.String(k.region), Limit: 100})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				return errs.E(errs.Unavailable, "AWS Config GetAggregateComplianceDetailsByConfigRule %s in %s/%s: %w", k.rule, k.account, k.region, err)
			}
			evs := make([]compliance.Evaluation, 0, len(out.AggregateEvaluationResults))
			for _, r := range out.AggregateEvaluationResults {
				evs = append(evs, evaluation(r.EvaluationResultIdentifier, r.ComplianceType, r.Annotation, r.ResultRecordedTime,
					cmpOr(aws.ToString(r.AccountId), k.account), cmpOr(aws.ToString(r.AwsRegion), k.region)))
			}
			if err := page(evs); err != nil {
				return err
			}
		}
	}
	return nil
}

// nonEmpty is aws.String for a set value, nil for an empty one.
func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func evaluation(id *cfgtypes.EvaluationResultIdentifier, ct cfgtypes.ComplianceType, annotation *string, recorded *time.Time, account, region string) compliance.Evaluation {
	ev := compliance.Evaluation{ComplianceType: string(ct), Annotation: aws.ToString(annotation), AccountID: account, Region: region,
		ResultRecordedTime: aws.ToTime(recorded)}
	if id != nil {
		ev.OrderingTimestamp = aws.ToTime(id.OrderingTimestamp)
		if q := id.EvaluationResultQualifier; q != nil {
			ev.ConfigRuleName, ev.ResourceType, ev.ResourceID = aws.ToString(q.ConfigRuleName), aws.ToString(q.ResourceType), aws.ToString(q.ResourceId)
		}
	}
	return ev
}

// String names the source in logs.
func (c Config) String() string { return fmt.Sprintf("AWS Config %s/%s", c.AccountID, c.Region) }
