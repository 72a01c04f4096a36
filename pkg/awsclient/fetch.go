package awsclient

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/configservice"
	"github.com/aws/aws-sdk-go-v2/service/configservice/types"

	"github.com/bulwark-tm/bulwark/pkg/accounts"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

// ConfigFetcher fetches the full configuration item that an AWS Config
// OversizedConfigurationItemChangeNotification only summarizes (events
// over EventBridge's 256 KB carry no item): with an Aggregator it asks the
// aggregator (GetAggregateResourceConfig, the platform's credentials),
// otherwise the item's account through its member role
// (GetResourceConfigHistory, the item at the notified capture time). It is
// the inventory.Fetcher of the configevents function.
type ConfigFetcher struct {
	// Base is the platform's configuration.
	Base aws.Config
	// Aggregator names the configuration aggregator; empty reads through
	// member roles.
	Aggregator string
	// Roles assumes member roles; default one over Base.
	Roles *Roles
	// Account returns the registered account id may be read through (its
	// role and ExternalId), failing when no tenant may use it
	// (accounts.Registry.Owned).
	Account func(ctx context.Context, id string) (*accounts.Account, error)
}

var _ inventory.Fetcher = (*ConfigFetcher)(nil)

// FetchItem returns the item ref names as get-resource-config-history
// output ({"configurationItems": [ITEM]}), which pkg/inventory reads.
func (f *ConfigFetcher) FetchItem(ctx context.Context, ref inventory.OversizedItem) ([]byte, error) {
	if !accounts.ValidAccountID(ref.AccountID) || ref.Region == "" || ref.Type == "" || ref.ID == "" {
		return nil, errs.E(errs.Invalid, "oversized item %s %s: no account, region, type or id", ref.Type, ref.ID)
	}
	var item types.ConfigurationItem
	if f.Aggregator != "" {
		out, err := configservice.NewFromConfig(f.Base).GetAggregateResourceConfig(ctx, &configservice.GetAggregateResourceConfigInput{
			ConfigurationAggregatorName: aws.String(f.Aggregator),
			ResourceIdentifier: &types.AggregateResourceIdentifier{
				SourceAccountId: aws.String(ref.AccountID), SourceRegion: aws.String(ref.Region),
				ResourceId: aws.String(ref.ID), ResourceType: types.ResourceType(ref.Type),
			},
		})
		if err != nil {
			return nil, wrap(err, "config GetAggregateResourceConfig %s %s of account %s on aggregator %s", ref.Type, ref.ID, ref.AccountID, f.Aggregator)
		}
		if out.ConfigurationItem == nil {
			return nil, errs.E(errs.NotFound, "aggregator %s has no item %s %s", f.Aggregator, ref.Type, ref.ID)
		}
		item = *out.ConfigurationItem
	} else {
		if f.Account == nil {
			return nil, errs.E(errs.Invalid, "oversized item %s: no account lookup configured", ref.ID)
		}
		acct, err := f.Account(ctx, ref.AccountID)
		if err != nil {
			return nil, err
		}
		if f.Roles == nil {
			f.Roles = &Roles{Base: f.Base}
		}
		cfg, err := f.Roles.Config(acct, ref.Region)
		if err != nil {
			return nil, err
		}
		in := &configservice.GetResourceConfigHistoryInput{ResourceType: types.ResourceType(ref.Type), ResourceId: aws.String(ref.ID), Limit: 1}
		if !ref.CaptureTime.IsZero() {
			in.LaterTime = aws.Time(ref.CaptureTime)
		}
		out, err := configservice.NewFromConfig(cfg).GetResourceConfigHistory(ctx, in)
		if err != nil {
			return nil, wrap(err, "config GetResourceConfigHistory %s %s in account %s region %s", ref.Type, ref.ID, ref.AccountID, ref.Region)
		}
		if len(out.ConfigurationItems) == 0 {
			return nil, errs.E(errs.NotFound, "account %s has no history of %s %s", ref.AccountID, ref.Type, ref.ID)
		}
		item = out.ConfigurationItems[0]
	}
	doc, err := json.Marshal(map[string]any{"configurationItems": []map[string]any{historyItem(item)}})
	if err != nil {
		return nil, fmt.Errorf("encode configuration item %s: %w", ref.ID, err)
	}
	return doc, nil
}

// historyItem renders an SDK configuration item in the API's JSON dialect.
func historyItem(it types.ConfigurationItem) map[string]any {
	m := baseItem(types.BaseConfigurationItem{
		Version: it.Version, AccountId: it.AccountId, ConfigurationItemStatus: it.ConfigurationItemStatus,
		ConfigurationStateId: it.ConfigurationStateId, Arn: it.Arn, ResourceType: it.ResourceType, ResourceId: it.ResourceId,
		ResourceName: it.ResourceName, AwsRegion: it.AwsRegion, AvailabilityZone: it.AvailabilityZone,
		ConfigurationItemCaptureTime: it.ConfigurationItemCaptureTime, Configuration: it.Configuration,
		SupplementaryConfiguration: it.SupplementaryConfiguration, ResourceCreationTime: it.ResourceCreationTime,
	})
	if len(it.Tags) > 0 {
		m["tags"] = it.Tags
	}
	rels := make([]map[string]any, 0, len(it.Relationships))
	for _, r := range it.Relationships {
		rel := map[string]any{"resourceType": string(r.ResourceType), "relationshipName": aws.ToString(r.RelationshipName)}
		if r.ResourceId != nil {
			rel["resourceId"] = *r.ResourceId
		}
		if r.ResourceName != nil {
			rel["resourceName"] = *r.ResourceName
		}
		rels = append(rels, rel)
	}
	m["relationships"] = rels
	if it.ResourceCreationTime != nil {
		m["resourceCreationTime"] = it.ResourceCreationTime.UTC().Format(time.RFC3339Nano)
	}
	return m
}
