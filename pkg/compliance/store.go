package compliance

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/jsonfast"
	"github.com/bulwark-tm/bulwark/pkg/store"
)

// KindPrefix starts the store kind of evidence records; one kind per AWS
// account ("evidence@111111111111"), so that a model's evidence is read
// without scanning other accounts'.
const KindPrefix = store.KindEvidencePrefix

// Kind is the store kind holding the evidence of account.
func Kind(account string) store.Kind { return store.EvidenceKind(account) }

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

// Repo keeps evidence in a Store, one record per Evidence.ID, whose summary
// is the whole Evidence (List returns it; the body stays empty, so that
// each observation is written once). It is safe for
// concurrent use (writes are conditional and retried on conflict), so many
// Lambda invocations and an import may write at once.
type Repo struct {
	Store store.Store
}

// maxAttempts bounds retries of a write that keeps losing races.
const maxAttempts = 8

// Put stores e unless the stored observation is the same or newer (see
// Newer). Replaying an observation, or delivering an older one late,
// changes nothing. A stored observation raises its account's mark (Marks).
func (r Repo) Put(ctx context.Context, tenant string, e *Evidence) (Outcome, error) {
	o, err := r.put(ctx, tenant, e)
	if err == nil && o != Unchanged {
		err = r.bump(ctx, tenant, []string{e.AccountID})
	}
	return o, err
}

// put is Put without the mark.
func (r Repo) put(ctx context.Context, tenant string, e *Evidence) (Outcome, error) {
	if !ValidAccount(e.AccountID) || e.ID == "" {
		return "", errs.E(errs.Invalid, "evidence %q: needs an id and a 12-digit account id, got account %q", e.ID, e.AccountID)
	}
	body, err := jsonfast.Marshal(e)
	if err != nil {
		return "", fmt.Errorf("encode evidence %s: %w", e.ID, err)
	}
	kind := Kind(e.AccountID)
	for range maxAttempts {
		cur, err := r.Store.Get(ctx, tenant, kind, e.ID)
		if errs.Is(err, errs.NotFound) {
			err = r.Store.Create(ctx, &store.Record{Tenant: tenant, Kind: kind, ID: e.ID, Summary: body})
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
		if err := jsonfast.UnmarshalValid(cur.Summary, &old); err != nil {
			return "", fmt.Errorf("decode stored evidence %s: %w", e.ID, err)
		}
		if !Newer(&old, e) {
			return Unchanged, nil
		}
		err = r.Store.Update(ctx, &store.Record{Tenant: tenant, Kind: kind, ID: e.ID, Summary: body}, cur.Revision)
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

// PutAll stores each observation as Put would, and counts the outcomes.
// It works in chunks: it reads the stored records of a chunk, decides each
// write as Put does, and applies the chunk's writes together
// (store.WriteBatch: one transaction on the embedded store); a write that
// lost a race is redone with Put. The outcomes are those of putting the
// observations one by one, in order. It stops at the first error; what was
// stored before it stays (each record is whole, and putting the rest again
// later is safe). The marks of the accounts whose evidence changed are
// raised (Marks), after an error too.
func (r Repo) PutAll(ctx context.Context, tenant string, evs []Evidence) (t Tally, err error) {
	var changed []string
	defer func() {
		if len(changed) == 0 {
			return
		}
		if berr := r.bump(ctx, tenant, changed); berr != nil {
			err = errors.Join(err, berr)
		}
	}()
	count := func(o Outcome, account string) {
		switch o {
		case Created:
			t.Created++
		case Updated:
			t.Updated++
		default:
			t.Unchanged++
			return
		}
		if !slices.Contains(changed, account) {
			changed = append(changed, account)
		}
	}
	for start := 0; start < len(evs); {
		// A chunk holds each id once, so that its reads see every earlier
		// write of the same evidence.
		seen := map[string]bool{}
		end := start
		for end < len(evs) && end-start < batchSize && !seen[evs[end].ID] {
			seen[evs[end].ID] = true
			end++
		}
		outcomes, err := r.putChunk(ctx, tenant, evs[start:end])
		if err != nil {
			// Some of the chunk may be stored.
			for _, e := range evs[start:end] {
				if ValidAccount(e.AccountID) && !slices.Contains(changed, e.AccountID) {
					changed = append(changed, e.AccountID)
				}
			}
			return t, err
		}
		for i, o := range outcomes {
			count(o, evs[start+i].AccountID)
		}
		start = end
	}
	return t, nil
}

// batchSize bounds the writes PutAll applies together.
const batchSize = 5000

// putChunk puts evidence with distinct ids.
func (r Repo) putChunk(ctx context.Context, tenant string, evs []Evidence) ([]Outcome, error) {
	// What is stored of the chunk, read an account (a kind) at a time.
	byKind := map[store.Kind][]int{}
	for i := range evs {
		e := &evs[i]
		if !ValidAccount(e.AccountID) || e.ID == "" {
			return nil, errs.E(errs.Invalid, "evidence %q: needs an id and a 12-digit account id, got account %q", e.ID, e.AccountID)
		}
		k := Kind(e.AccountID)
		byKind[k] = append(byKind[k], i)
	}
	stored := make([]*store.Record, len(evs))
	for k, is := range byKind {
		ids := make([]string, len(is))
		for j, i := range is {
			ids[j] = evs[i].ID
		}
		recs, err := store.GetMany(ctx, r.Store, tenant, k, ids)
		if err != nil {
			return nil, fmt.Errorf("read evidence of %s: %w", k, err)
		}
		for j, i := range is {
			stored[i] = recs[j]
		}
	}

	out := make([]Outcome, len(evs))
	var writes []store.Write
	var idx []int
	for i := range evs {
		e := &evs[i]
		body, err := jsonfast.Marshal(e)
		if err != nil {
			return nil, fmt.Errorf("encode evidence %s: %w", e.ID, err)
		}
		rec := &store.Record{Tenant: tenant, Kind: Kind(e.AccountID), ID: e.ID, Summary: body}
		cur := stored[i]
		if cur == nil {
			writes, idx, out[i] = append(writes, store.Write{Record: rec}), append(idx, i), Created
			continue
		}
		var old Evidence
		if err := jsonfast.UnmarshalValid(cur.Summary, &old); err != nil {
			return nil, fmt.Errorf("decode stored evidence %s: %w", e.ID, err)
		}
		if !Newer(&old, e) {
			out[i] = Unchanged
			continue
		}
		writes, idx, out[i] = append(writes, store.Write{Record: rec, Expected: cur.Revision}), append(idx, i), Updated
	}
	if len(writes) == 0 {
		return out, nil
	}
	werrs, err := store.WriteBatch(ctx, r.Store, writes)
	if err != nil {
		return nil, fmt.Errorf("store evidence: %w", err)
	}
	for j, werr := range werrs {
		if werr == nil {
			continue
		}
		i := idx[j]
		if !errs.Is(werr, errs.Conflict) && !errs.Is(werr, errs.NotFound) {
			return nil, fmt.Errorf("store evidence %s: %w", evs[i].ID, werr)
		}
		o, err := r.put(ctx, tenant, &evs[i]) // lost a race: compare again
		if err != nil {
			return nil, err
		}
		out[i] = o
	}
	return out, nil
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
			if err := jsonfast.UnmarshalValid(rec.Summary, &e); err != nil {
				return nil, fmt.Errorf("decode stored evidence %s: %w", rec.ID, err)
			}
			out = append(out, e)
		}
	}
	return out, nil
}
