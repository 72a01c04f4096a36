package awsclient

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/configservice"
	"github.com/aws/aws-sdk-go-v2/service/configservice/types"

	"github.com/bulwark-tm/bulwark/pkg/accounts"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

// SelectFields are the configuration item fields every query selects: all
// that pkg/inventory reads.
var SelectFields = []string{
	"resourceId", "resourceName", "resourceType", "arn", "accountId", "awsRegion", "availabilityZone",
	"configurationItemCaptureTime", "configurationItemStatus", "configurationStateId",
	"tags", "relationships", "configuration", "supplementaryConfiguration",
}

// ListTypes are the resource types ListDiscoveredResources enumerates when
// a scope names none: those the VPC builder draws.
var ListTypes = accounts.VPCTypes

// Limits of the AWS Config APIs.
const (
	selectPageLimit = 100 // SelectResourceConfig's Limit maximum
	batchGetLimit   = 100 // BatchGetResourceConfig's key maximum
	// MaxItems bounds one collection.
	MaxItems = 200000
)

// ConfigSource collects inventories from AWS Config. With an Aggregator it
// asks the organization's aggregator (in the platform or delegated
// administrator account, with the platform's credentials) and assumes no
// role; otherwise it assumes each member account's role (Roles) and queries
// that account's recorder in each region, with SelectResourceConfig or,
// when UseList is set (advanced queries unavailable), with
// ListDiscoveredResources and BatchGetResourceConfig.
type ConfigSource struct {
	// Base is the platform's configuration (aggregator calls, STS).
	Base aws.Config
	// Aggregator names the configuration aggregator to prefer; empty
	// queries each account through its role.
	Aggregator string
	// Roles assumes member roles; default one over Base.
	Roles *Roles
	// UseList selects ListDiscoveredResources + BatchGetResourceConfig.
	UseList bool
}

var _ accounts.Source = (*ConfigSource)(nil)

var (
	regionRe = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]$`)
	typeRe   = regexp.MustCompile(`^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$`)
)

// Expression returns the SQL of an advanced query selecting the scope's
// configuration items. Values are checked before they are quoted, so no
// input can change the query's shape.
func Expression(s accounts.Scope, withAccount bool) (string, error) {
	var where []string
	if withAccount {
		if s.Account == nil || !accounts.ValidAccountID(s.Account.ID) {
			return "", errs.E(errs.Invalid, "query: no valid account id")
		}
		where = append(where, "accountId = '"+s.Account.ID+"'")
	}
	if s.Region != "" {
		if !regionRe.MatchString(s.Region) {
			return "", errs.Field("/region", "not an AWS region: %q", s.Region)
		}
		where = append(where, "awsRegion = '"+s.Region+"'")
	}
	if len(s.Types) > 0 {
		quoted := make([]string, len(s.Types))
		for i, t := range s.Types {
			if !typeRe.MatchString(t) {
				return "", errs.Field("/types", "not an AWS resource type: %q", t)
			}
			quoted[i] = "'" + t + "'"
		}
		where = append(where, "resourceType IN ("+strings.Join(quoted, ", ")+")")
	}
	q := "SELECT " + strings.Join(SelectFields, ", ")
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	return q, nil
}

// Collect reads the scope's configuration items into an inventory.
func (c *ConfigSource) Collect(ctx context.Context, s accounts.Scope) (*inventory.Inventory, error) {
	if s.Account == nil {
		return nil, errs.E(errs.Invalid, "collect: no account")
	}
	r := inventory.NewReader(nil)
	if c.Aggregator != "" {
		if err := c.selectAggregate(ctx, r, s); err != nil {
			return nil, err
		}
		r.Inventory.Resolve()
		return r.Inventory, nil
	}
	if c.Roles == nil {
		c.Roles = &Roles{Base: c.Base}
	}
	regions := []string{s.Region}
	if s.Region == "" {
		regions = s.Account.Regions
		if len(regions) == 0 {
			regions = []string{c.Base.Region}
		}
	}
	for _, region := range regions {
		cfg, err := c.Roles.Config(s.Account, region)
		if err != nil {
			return nil, err
		}
		client := configservice.NewFromConfig(cfg)
		rs := s
		rs.Region = region
		if c.UseList {
			err = listAndGet(ctx, client, r, rs)
		} else {
			err = selectAccount(ctx, client, r, rs)
		}
		if err != nil {
			return nil, err
		}
	}
	r.Inventory.Resolve()
	return r.Inventory, nil
}

// parsePage adds one page of results to r, failing on a page that was not
// AWS Config data at all.
func parsePage(ctx context.Context, r *inventory.Reader, name string, doc []byte) error {
	res := r.Parse(ctx, name, doc)
	if res.Err != nil {
		return errs.E(errs.Unavailable, "read %s: %w", name, res.Err)
	}
	return nil
}

func resultsDoc(results []string) ([]byte, error) {
	doc, err := json.Marshal(map[string][]string{"Results": results})
	if err != nil {
		return nil, fmt.Errorf("encode query results: %w", err)
	}
	return doc, nil
}

func (c *ConfigSource) selectAggregate(ctx context.Context, r *inventory.Reader, s accounts.Scope) error {
	expr, err := Expression(s, true)
	if err != nil {
		return err
	}
	client := configservice.NewFromConfig(c.Base)
	p := configservice.NewSelectAggregateResourceConfigPaginator(client, &configservice.SelectAggregateResourceConfigInput{
		ConfigurationAggregatorName: aws.String(c.Aggregator), Expression: aws.String(expr), Limit: selectPageLimit,
	})
	n := 0
	for page := 1; p.HasMorePages(); page++ {
		out, err := p.NextPage(ctx)
		if err != nil {
			return wrap(err, "config SelectAggregateResourceConfig on aggregator %s for account %s", c.Aggregator, s.Account.ID)
		}
		if n += len(out.Results); n > MaxItems {
			return errs.E(errs.TooLarge, "account %s has more than %d configuration items", s.Account.ID, MaxItems)
		}
		doc, err := resultsDoc(out.Results)
		if err != nil {
			return err
		}
		if err := parsePage(ctx, r, fmt.Sprintf("aggregator %s page %d", c.Aggregator, page), doc); err != nil {
			return err
		}
	}
	return nil
}

func selectAccount(ctx context.Context, client *configservice.Client, r *inventory.Reader, s accounts.Scope) error {
	// The account's own recorder: the account filter is implied.
	expr, err := Expression(accounts.Scope{Types: s.Types}, false)
	if err != nil {
		return err
	}
	p := configservice.NewSelectResourceConfigPaginator(client, &configservice.SelectResourceConfigInput{
		Expression: aws.String(expr), Limit: selectPageLimit,
	})
	n := 0
	for page := 1; p.HasMorePages(); page++ {
		out, err := p.NextPage(ctx)
		if err != nil {
			return wrap(err, "config SelectResourceConfig in account %s region %s", s.Account.ID, s.Region)
		}
		if n += len(out.Results); n > MaxItems {
			return errs.E(errs.TooLarge, "account %s has more than %d configuration items", s.Account.ID, MaxItems)
		}
		doc, err := resultsDoc(out.Results)
		if err != nil {
			return err
		}
		if err := parsePage(ctx, r, fmt.Sprintf("account %s %s page %d", s.Account.ID, s.Region, page), doc); err != nil {
			return err
		}
	}
	return nil
}

func listAndGet(ctx context.Context, client *configservice.Client, r *inventory.Reader, s accounts.Scope) error {
	typesToList := s.Types
	if len(typesToList) == 0 {
		typesToList = ListTypes
	}
	var keys []types.ResourceKey
	for _, t := range typesToList {
		p := configservice.NewListDiscoveredResourcesPaginator(client, &configservice.ListDiscoveredResourcesInput{ResourceType: types.ResourceType(t)})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				return wrap(err, "config ListDiscoveredResources %s in account %s region %s", t, s.Account.ID, s.Region)
			}
			for _, id := range out.ResourceIdentifiers {
				if id.ResourceDeletionTime != nil {
					continue
				}
				keys = append(keys, types.ResourceKey{ResourceType: id.ResourceType, ResourceId: id.ResourceId})
			}
			if len(keys) > MaxItems {
				return errs.E(errs.TooLarge, "account %s has more than %d resources", s.Account.ID, MaxItems)
			}
		}
	}
	for batch := range slices.Chunk(keys, batchGetLimit) {
		pending := batch
		for attempt := 0; len(pending) > 0; attempt++ {
			if attempt == 5 {
				return errs.E(errs.Unavailable, "config BatchGetResourceConfig in account %s: %d keys still unprocessed", s.Account.ID, len(pending))
			}
			out, err := client.BatchGetResourceConfig(ctx, &configservice.BatchGetResourceConfigInput{ResourceKeys: pending})
			if err != nil {
				return wrap(err, "config BatchGetResourceConfig in account %s region %s", s.Account.ID, s.Region)
			}
			items := make([]map[string]any, 0, len(out.BaseConfigurationItems))
			for _, it := range out.BaseConfigurationItems {
				items = append(items, baseItem(it))
			}
			doc, err := json.Marshal(map[string]any{"baseConfigurationItems": items})
			if err != nil {
				return fmt.Errorf("encode configuration items: %w", err)
			}
			if err := parsePage(ctx, r, fmt.Sprintf("account %s %s batch", s.Account.ID, s.Region), doc); err != nil {
				return err
			}
			pending = out.UnprocessedResourceKeys
		}
	}
	return nil
}

// baseItem renders an SDK item in the API's JSON dialect, which
// pkg/inventory reads.
func baseItem(it types.BaseConfigurationItem) map[string]any {
	m := map[string]any{
		"version":                 aws.ToString(it.Version),
		"accountId":               aws.ToString(it.AccountId),
		"configurationItemStatus": string(it.ConfigurationItemStatus),
		"configurationStateId":    aws.ToString(it.ConfigurationStateId),
		"arn":                     aws.ToString(it.Arn),
		"resourceType":            string(it.ResourceType),
		"resourceId":              aws.ToString(it.ResourceId),
		"awsRegion":               aws.ToString(it.AwsRegion),
		"availabilityZone":        aws.ToString(it.AvailabilityZone),
	}
	if it.ResourceName != nil {
		m["resourceName"] = *it.ResourceName
	}
	if it.ConfigurationItemCaptureTime != nil {
		m["configurationItemCaptureTime"] = it.ConfigurationItemCaptureTime.UTC().Format(time.RFC3339Nano)
	}
	if it.Configuration != nil {
		m["configuration"] = *it.Configuration
	}
	if len(it.SupplementaryConfiguration) > 0 {
		m["supplementaryConfiguration"] = it.SupplementaryConfiguration
	}
	return m
}

// CollectOwn reads the configuration items of the account whose
// credentials Base holds, in region (Base's region when empty), with
// SelectResourceConfig: `bulwark scan` with the user's own credentials,
// no role and no aggregator.
func (c *ConfigSource) CollectOwn(ctx context.Context, region string, typesFilter []string) (*inventory.Inventory, error) {
	cfg := c.Base.Copy()
	if region != "" {
		cfg.Region = region
	}
	r := inventory.NewReader(nil)
	own := &accounts.Account{ID: "own account"}
	if err := selectAccount(ctx, configservice.NewFromConfig(cfg), r, accounts.Scope{Account: own, Region: cfg.Region, Types: typesFilter}); err != nil {
		return nil, err
	}
	r.Inventory.Resolve()
	return r.Inventory, nil
}
