// Package demo seeds a fresh Bulwark with sample threat models so that a
// newcomer who runs `make run` has something to open.
package demo

import (
	"context"
	_ "embed"
	"fmt"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/model"
	"github.com/bulwark-tm/bulwark/pkg/store"
)

//go:embed shop.json
var shopJSON []byte

// Models returns the demo threat models, decoded and validated.
func Models() ([]*model.ThreatModel, error) {
	m, err := model.Decode(shopJSON)
	if err != nil {
		return nil, fmt.Errorf("demo model: %w", err)
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("demo model: %w", err)
	}
	return []*model.ThreatModel{m}, nil
}

// Seed stores the demo models for tenant unless the tenant already has
// models. It is idempotent: a second call, or a concurrent one, adds
// nothing. It returns how many models it created.
func Seed(ctx context.Context, s store.Store, tenant, owner string) (int, error) {
	models := store.Models{Store: s}
	existing, err := models.List(ctx, tenant)
	if err != nil {
		return 0, err
	}
	if len(existing) > 0 {
		return 0, nil
	}
	ms, err := Models()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range ms {
		m.Tenant, m.Owner = tenant, owner
		m.CreatedAt = m.CreatedAt.UTC()
		if err := models.Create(ctx, m); err != nil {
			if errs.Is(err, errs.Conflict) {
				continue
			}
			return n, err
		}
		n++
	}
	return n, nil
}
