package compliance

import (
	"context"
	"fmt"
	"slices"
)

// Owners tells which tenants may receive evidence about an account: those
// that registered it and proved they own it (accounts.Registry.Tenants).
type Owners interface {
	Tenants(ctx context.Context, accountID string) ([]string, error)
}

// Distribution is what Distribute stored.
type Distribution struct {
	// Stored is what was stored, by tenant.
	Stored map[string]Tally `json:"stored"`
	// Unregistered lists the accounts no tenant owns; their evidence is
	// not kept.
	Unregistered []string `json:"unregistered,omitempty"`
}

// Distributor stores evidence from the platform's event bus for every
// tenant that owns the account it is about, and for no other: evidence
// arrives from AWS without a tenant, so the account decides.
type Distributor struct {
	Owners Owners
	Repo   Repo
}

// Distribute stores evs, account by account (in account id order), for
// the account's owners. Storing is idempotent, so after an error the whole
// batch may be distributed again.
func (d Distributor) Distribute(ctx context.Context, evs []Evidence) (Distribution, error) {
	out := Distribution{Stored: map[string]Tally{}}
	byAccount := map[string][]Evidence{}
	for _, e := range evs {
		byAccount[e.AccountID] = append(byAccount[e.AccountID], e)
	}
	ids := make([]string, 0, len(byAccount))
	for id := range byAccount {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		tenants, err := d.Owners.Tenants(ctx, id)
		if err != nil {
			return out, fmt.Errorf("owners of account %s: %w", id, err)
		}
		if len(tenants) == 0 {
			out.Unregistered = append(out.Unregistered, id)
			continue
		}
		for _, t := range tenants {
			tally, err := d.Repo.PutAll(ctx, t, byAccount[id])
			sum := out.Stored[t]
			sum.Created, sum.Updated, sum.Unchanged = sum.Created+tally.Created, sum.Updated+tally.Updated, sum.Unchanged+tally.Unchanged
			out.Stored[t] = sum
			if err != nil {
				return out, fmt.Errorf("store account %s for tenant %s: %w", id, t, err)
			}
		}
	}
	return out, nil
}
