package accounts

import (
	"context"
	"slices"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// AllowList maps tenants to the account ids they may read through an AWS
// Config aggregator. With an aggregator Bulwark assumes no member role, so
// nothing proves that a tenant owns an account: the operator decides, with
// --aggregator-accounts "TENANT=ID,ID;TENANT2=ID".
type AllowList map[string][]string

var _ Verifier = AllowList(nil)

// ParseAllowList reads "TENANT=ID,ID;TENANT2=ID" (spaces around the parts
// are ignored; an empty string is an empty list). An account may be listed
// for one tenant only.
func ParseAllowList(s string) (AllowList, error) {
	out := AllowList{}
	owner := map[string]string{}
	for part := range strings.SplitSeq(s, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		tenant, ids, ok := strings.Cut(part, "=")
		tenant = strings.TrimSpace(tenant)
		if !ok || tenant == "" {
			return nil, errs.E(errs.Invalid, "aggregator accounts: %q is not TENANT=ID,ID", part)
		}
		for id := range strings.SplitSeq(ids, ",") {
			id = strings.TrimSpace(id)
			if !ValidAccountID(id) {
				return nil, errs.E(errs.Invalid, "aggregator accounts: %q (tenant %s) is not a 12-digit account id", id, tenant)
			}
			if o, dup := owner[id]; dup && o != tenant {
				return nil, errs.E(errs.Invalid, "aggregator accounts: account %s is listed for tenants %s and %s; an account belongs to one tenant", id, o, tenant)
			}
			owner[id] = tenant
			if !slices.Contains(out[tenant], id) {
				out[tenant] = append(out[tenant], id)
			}
		}
	}
	return out, nil
}

// Allows reports whether the list gives account id to tenant.
func (l AllowList) Allows(tenant, id string) bool { return slices.Contains(l[tenant], id) }

// Verify succeeds when the list gives the account to tenant.
func (l AllowList) Verify(_ context.Context, tenant string, a *Account) error {
	if !l.Allows(tenant, a.ID) {
		return errs.E(errs.Forbidden, "account %s is not in the operator's allow list for this tenant (--aggregator-accounts)", a.ID)
	}
	return nil
}
