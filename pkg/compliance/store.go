package compliance

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/store"
)

// KindPrefix starts the store kind of evidence records; one kind per AWS
// account ("evidence@111111111111"), so that a model's evidence is read
// without scanning other accounts'.
const KindPrefix = "evidence@"

// Kind is the store kind holding the evidence of account.
func Kind(account string) store.Kind { return store.Kind(KindPrefix + account) }

// Outcome says what a Put did.
type Outcome string

// The outcomes of a Put.
const (
	Created   Outcome = "created"
	Updated   Outcome = "updated"
	Unchanged Outcome = "unchanged" // the same or an older observation
)

// Tally counts the outcomes of PutAll.
type Tally struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// Repo keeps evidence in a Store, one record per Evidence.ID. It is safe for
// concurrent use (writes are conditional and retried on conflict), so many
// Lambda invocations and an import may write at once.
type Repo struct {
	Store store.Store
}

// maxAttempts bounds retries of a write that keeps losing races.
const maxAttempts = 8

// Put stores e unless the stored observation is the same or newer (see
// Newer). Replaying an observation, or delivering an older one late,
// changes nothing.
func (r Repo) Put(ctx context.Context, tenant string, e *Evidence) (Outcome, error) {
	if !ValidAccount(e.AccountID) || e.ID == "" {
		return "", errs.E(errs.Invalid, "evidence %q: needs an id and a 12-digit account id, got account %q", e.ID, e.AccountID)
	}
	body, err := json.Marshal(e)
	if err != nil {
		return "", errs.Wrap(errs.Other, err, "encode evidence %s", e.ID)
	}
	kind := Kind(e.AccountID)
	for range maxAttempts {
		cur, err := r.Store.Get(ctx, tenant, kind, e.ID)
		if errs.Is(err, errs.NotFound) {
			err = r.Store.Create(ctx, &store.Record{Tenant: tenant, Kind: kind, ID: e.ID, Summary: body, Body: body})
			if errs.Is(err, errs.Conflict) {
				continue // created meanwhile: compare with it
			}
			if err != nil {
				return "", fmt.Errorf("store evidence %s: %w", e.ID, err)
			}
			return Created, nil
		}
		if err != nil {
			return "", fmt.Errorf("read evidence %s: %w", e.ID, err)
		}
		var old Evidence
		if err := json.Unmarshal(cur.Body, &old); err != nil {
			return "", errs.Wrap(errs.Other, err, "decode stored evidence %s", e.ID)
		}
		if !Newer(&old, e) {
			return Unchanged, nil
		}
		err = r.Store.Update(ctx, &store.Record{Tenant: tenant, Kind: kind, ID: e.ID, Summary: body, Body: body}, cur.Revision)
		if errs.Is(err, errs.Conflict) || errs.Is(err, errs.NotFound) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("store evidence %s: %w", e.ID, err)
		}
		return Updated, nil
	}
	return "", errs.E(errs.Unavailable, "store evidence %s: lost %d races in a row; retry", e.ID, maxAttempts)
}

// PutAll stores each observation with Put, in order, and counts the
// outcomes. It stops at the first error; what was stored before it stays
// (each record is whole, and putting the rest again later is safe).
func (r Repo) PutAll(ctx context.Context, tenant string, evs []Evidence) (Tally, error) {
	var t Tally
	for i := range evs {
		o, err := r.Put(ctx, tenant, &evs[i])
		if err != nil {
			return t, err
		}
		switch o {
		case Created:
			t.Created++
		case Updated:
			t.Updated++
		default:
			t.Unchanged++
		}
	}
	return t, nil
}

// ForAccounts returns the tenant's evidence about the given accounts,
// ordered by account, then id.
func (r Repo) ForAccounts(ctx context.Context, tenant string, accounts []string) ([]Evidence, error) {
	accounts = slices.Clone(accounts)
	slices.Sort(accounts)
	var out []Evidence
	for _, a := range slices.Compact(accounts) {
		if !ValidAccount(a) {
			continue
		}
		recs, err := store.ListAll(ctx, r.Store, tenant, Kind(a))
		if err != nil {
			return nil, fmt.Errorf("list evidence of account %s: %w", a, err)
		}
		for _, rec := range recs {
			var e Evidence
			if err := json.Unmarshal(rec.Summary, &e); err != nil {
				return nil, errs.Wrap(errs.Other, err, "decode stored evidence %s", rec.ID)
			}
			out = append(out, e)
		}
	}
	return out, nil
}
