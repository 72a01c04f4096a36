package jira

import (
	"context"

	"github.com/bulwark-tm/bulwark/pkg/model"
)

// The Service's tests are in package jira_test: they run it against the
// go-jira adapter (pkg/jira/gojira), which imports this package. These
// are the internals they reach.

// SecretName is secretName.
var SecretName = secretName

// Intent is intent.
type Intent = intent

// InstanceSecret is instanceSecret.
type InstanceSecret = instanceSecret

// Secret is secret.
func (s *Service) Secret(ctx context.Context, tenant, id string) (InstanceSecret, error) {
	return s.secret(ctx, tenant, id)
}

// Acquire is acquire.
func (s *Service) Acquire(ctx context.Context, tenant, modelID, itemID string, in Intent) (func(), error) {
	return s.acquire(ctx, tenant, modelID, itemID, in)
}

// UpdateModel is updateModel.
func (s *Service) UpdateModel(ctx context.Context, tenant, modelID string, change func(*model.ThreatModel) (bool, error)) (bool, error) {
	return s.updateModel(ctx, tenant, modelID, "jira test", change)
}

// PullSafely is pullSafely.
func (s *Service) PullSafely(ctx context.Context, tenant string) error {
	return s.pullSafely(ctx, tenant)
}

// ItemKinds returns the kind (ItemThreat or ItemRequirement) of every item
// of the model's analysis, by item id.
func (s *Service) ItemKinds(ctx context.Context, tenant, modelID string) (map[string]string, error) {
	_, items, err := s.analyzed(ctx, tenant, modelID)
	if err != nil {
		return nil, err
	}
	kinds := make(map[string]string, len(items))
	for id, it := range items {
		kinds[id] = it.kind
	}
	return kinds, nil
}
