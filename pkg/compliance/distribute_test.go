package compliance

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// owners is an Owners over a fixed map.
type owners map[string][]string

func (o owners) Tenants(_ context.Context, id string) ([]string, error) {
	if id == "broken" {
		return nil, errors.New("index unreadable")
	}
	return o[id], nil
}

// TestDistribute: evidence reaches every tenant that owns its account and
// no other; an account nobody owns is reported, not stored; a replay
// changes nothing; an owner lookup error stops with the account named.
func TestDistribute(t *testing.T) {
	ctx := context.Background()
	e := parseFile(t, filepath.Join(eventsDir, "config-rules/s3-ssl-noncompliant.json")).Evidence[0]
	other := e
	other.ID, other.AccountID = e.ID+"-other", "333333333333"
	d := Distributor{Owners: owners{e.AccountID: {"acme", "globex"}}, Repo: Repo{Store: newMemStore()}}

	got, err := d.Distribute(ctx, []Evidence{e, other})
	if err != nil {
		t.Fatal(err)
	}
	if got.Stored["acme"].Created != 1 || got.Stored["globex"].Created != 1 || len(got.Stored) != 2 {
		t.Errorf("stored %+v", got.Stored)
	}
	if !slices.Equal(got.Unregistered, []string{"333333333333"}) {
		t.Errorf("unregistered %v", got.Unregistered)
	}
	for tenant, want := range map[string]int{"acme": 1, "globex": 1, "initech": 0} {
		evs, err := d.Repo.ForAccounts(ctx, tenant, []string{e.AccountID, "333333333333"})
		if err != nil || len(evs) != want {
			t.Errorf("%s holds %d (%v), want %d", tenant, len(evs), err, want)
		}
	}
	again, err := d.Distribute(ctx, []Evidence{e})
	if err != nil || again.Stored["acme"].Unchanged != 1 || again.Stored["acme"].Created != 0 {
		t.Errorf("replay %+v %v", again, err)
	}
	broken := e
	broken.AccountID = "broken"
	if _, err := d.Distribute(ctx, []Evidence{broken}); err == nil || !strings.Contains(err.Error(), "account broken") {
		t.Errorf("owner error %v", err)
	}
}
