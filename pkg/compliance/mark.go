package compliance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/store"
)

// An account's evidence mark is a small record (store.KindEvidenceMark,
// by account id) whose revision grows after every write that changes the
// account's evidence (Put, PutAll). What is computed from an account's
// evidence, such as a model's contradictions, keeps the marks it read
// before reading the evidence: while they are the same, no observation
// was stored since, and the result is current without reading the
// evidence again.

// Marks returns the evidence mark of each of the tenant's accounts: 0 for
// an account whose evidence never changed. Read the marks before the
// evidence they stand for: a write between the two reads leaves a mark
// older than the evidence read, never the other way round.
func (r Repo) Marks(ctx context.Context, tenant string, accounts []string) (map[string]int64, error) {
	accounts = slices.Compact(slices.Sorted(slices.Values(accounts)))
	out := make(map[string]int64, len(accounts))
	if len(accounts) == 0 {
		return out, nil
	}
	recs, err := store.GetMany(ctx, r.Store, tenant, store.KindEvidenceMark, accounts)
	if err != nil {
		return nil, fmt.Errorf("read evidence marks: %w", err)
	}
	for i, a := range accounts {
		out[a] = 0
		if recs[i] != nil {
			out[a] = recs[i].Revision
		}
	}
	return out, nil
}

// bump raises the evidence marks of accounts, after their evidence was
// written. A write that loses a race to another bump is done: that bump
// came after this write's evidence, which is all a mark promises.
func (r Repo) bump(ctx context.Context, tenant string, accounts []string) error {
	var failed error
	for _, a := range slices.Compact(slices.Sorted(slices.Values(accounts))) {
		rec := &store.Record{Tenant: tenant, Kind: store.KindEvidenceMark, ID: a, Summary: json.RawMessage(`{}`)}
		cur, err := r.Store.Get(ctx, tenant, store.KindEvidenceMark, a)
		switch {
		case errs.Is(err, errs.NotFound):
			err = r.Store.Create(ctx, rec)
		case err == nil:
			err = r.Store.Update(ctx, rec, cur.Revision)
		}
		if err != nil && !errs.Is(err, errs.Conflict) && !errs.Is(err, errs.NotFound) {
			failed = errors.Join(failed, fmt.Errorf("mark evidence of account %s changed: %w", a, err))
		}
	}
	return failed
}
