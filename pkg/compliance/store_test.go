package compliance

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/store"
	"github.com/bulwark-tm/bulwark/pkg/store/bolt"
)

// memStore is a small, thread-safe in-memory store.Store for the property
// test, where a file store's fsyncs would dominate.
type memStore struct {
	mu   sync.Mutex
	recs map[string]store.Record
}

func newMemStore() *memStore { return &memStore{recs: map[string]store.Record{}} }

func memKey(tenant string, kind store.Kind, id string) string {
	return tenant + "\x00" + string(kind) + "\x00" + id
}

func (m *memStore) Create(_ context.Context, r *store.Record) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := memKey(r.Tenant, r.Kind, r.ID)
	if cur, ok := m.recs[k]; ok {
		return errs.ConflictAt(cur.Revision, "exists")
	}
	r.Revision, r.UpdatedAt = 1, time.Now().UTC()
	m.recs[k] = *r
	return nil
}

func (m *memStore) Get(_ context.Context, tenant string, kind store.Kind, id string) (*store.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.recs[memKey(tenant, kind, id)]
	if !ok {
		return nil, errs.E(errs.NotFound, "no %s", id)
	}
	return &r, nil
}

func (m *memStore) Update(_ context.Context, r *store.Record, expected int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := memKey(r.Tenant, r.Kind, r.ID)
	cur, ok := m.recs[k]
	if !ok {
		return errs.E(errs.NotFound, "no %s", r.ID)
	}
	if cur.Revision != expected {
		return errs.ConflictAt(cur.Revision, "stale")
	}
	r.Revision, r.UpdatedAt = expected+1, time.Now().UTC()
	m.recs[k] = *r
	return nil
}

func (m *memStore) Delete(context.Context, string, store.Kind, string, int64) error {
	return errs.E(errs.Other, "not used")
}

func (m *memStore) List(_ context.Context, tenant string, kind store.Kind, _ store.ListOptions) (*store.Page, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p := &store.Page{}
	for _, r := range m.recs {
		if r.Tenant == tenant && r.Kind == kind {
			r.Body = nil
			p.Records = append(p.Records, &r)
		}
	}
	slices.SortFunc(p.Records, func(a, b *store.Record) int { return cmpString(a.ID, b.ID) })
	return p, nil
}

func (m *memStore) Close() error { return nil }

var _ store.Store = (*memStore)(nil)

// TestRepoPut checks each outcome on the bolt driver: a first observation
// is created, a replay and an older one change nothing, a newer one
// replaces it, and tenants do not see each other's evidence.
func TestRepoPut(t *testing.T) {
	st, err := bolt.Open(filepath.Join(t.TempDir(), "ev.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	repo := Repo{Store: st}
	ctx := context.Background()
	older := parseFile(t, filepath.Join(eventsDir, "config-rules/s3-ssl-noncompliant.json")).Evidence[0]
	newer := parseFile(t, filepath.Join(eventsDir, "config-rules/s3-ssl-compliant-later.json")).Evidence[0]
	steps := []struct {
		name string
		e    Evidence
		want Outcome
	}{
		{"first", older, Created},
		{"replay", older, Unchanged},
		{"newer", newer, Updated},
		{"replay newer", newer, Unchanged},
		{"older late", older, Unchanged},
	}
	for _, s := range steps {
		got, err := repo.Put(ctx, "acme", &s.e)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got != s.want {
			t.Errorf("%s: %s, want %s", s.name, got, s.want)
		}
	}
	evs, err := repo.ForAccounts(ctx, "acme", []string{"111111111111", "111111111111", "not-an-account"})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].Status != Compliant {
		t.Errorf("stored %+v, want the newer compliant evaluation", evs)
	}
	if other, _ := repo.ForAccounts(ctx, "globex", []string{"111111111111"}); len(other) != 0 {
		t.Errorf("another tenant sees %d observations", len(other))
	}
	bad := older
	bad.AccountID = "1"
	if _, err := repo.Put(ctx, "acme", &bad); !errs.Is(err, errs.Invalid) {
		t.Errorf("bad account: %v", err)
	}
}

// TestNewerTotalOrder checks that Newer orders any two different
// observations of the same check one way, and equal ones neither way.
func TestNewerTotalOrder(t *testing.T) {
	var evs []Evidence
	for _, b := range allEvidence(t) {
		evs = append(evs, b...)
	}
	// Same id and time, different content: a tie broken by content.
	tie := evs[0]
	tie.Title = "a different annotation"
	evs = append(evs, tie)
	for i := range evs {
		if Newer(&evs[i], &evs[i]) {
			t.Errorf("observation %d is newer than itself", i)
		}
		for j := range evs {
			if i != j && !Same(&evs[i], &evs[j]) && Newer(&evs[i], &evs[j]) == Newer(&evs[j], &evs[i]) {
				t.Errorf("observations %d and %d are not ordered one way", i, j)
			}
		}
	}
}

// TestAnyOrderAnyReplays is the property test of the issue: delivering the
// sample events in any order, each any number of times, and concurrently,
// stores the same evidence and gives every requirement the same status.
func TestAnyOrderAnyReplays(t *testing.T) {
	deliveries := allEvidence(t)
	// Two more observations of one check at one time that differ only in
	// content: a tie that must not depend on order either.
	tie := deliveries[0][0]
	tie.Title = "tie-breaker"
	deliveries = append(deliveries, []Evidence{tie})

	m, res, cat := loadShop(t)
	run := func(seq [][]Evidence, concurrent bool) (map[string]Status, []Evidence) {
		t.Helper()
		repo := Repo{Store: newMemStore()}
		ctx := context.Background()
		var wg sync.WaitGroup
		errc := make(chan error, len(seq))
		for _, batch := range seq {
			put := func() {
				if _, err := repo.PutAll(ctx, "acme", slices.Clone(batch)); err != nil {
					errc <- err
				}
			}
			if concurrent {
				wg.Go(put)
			} else {
				put()
			}
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Fatal(err)
		}
		evs, err := repo.ForAccounts(ctx, "acme", Accounts(m))
		if err != nil {
			t.Fatal(err)
		}
		statuses := map[string]Status{}
		for _, it := range BuildView(m, res, evs, cat.Controls).Items {
			statuses[it.Requirement] = it.Status
		}
		return statuses, evs
	}
	wantStatus, wantEvidence := run(deliveries, false)
	if len(wantEvidence) == 0 || len(wantStatus) == 0 {
		t.Fatal("nothing stored")
	}
	rng := rand.New(rand.NewPCG(7, 11))
	for iter := range 60 {
		var seq [][]Evidence
		for _, d := range deliveries {
			for range 1 + rng.IntN(3) {
				seq = append(seq, d)
			}
		}
		rng.Shuffle(len(seq), func(i, j int) { seq[i], seq[j] = seq[j], seq[i] })
		gotStatus, gotEvidence := run(seq, iter%3 == 0)
		if diff := cmp.Diff(wantStatus, gotStatus); diff != "" {
			t.Fatalf("iteration %d: statuses differ (-in order +shuffled):\n%s", iter, diff)
		}
		if diff := cmp.Diff(wantEvidence, gotEvidence); diff != "" {
			t.Fatalf("iteration %d: stored evidence differs:\n%s", iter, diff)
		}
	}
	// And the newest really won: the Config rule that failed and later
	// passed is stored as passing.
	for _, e := range wantEvidence {
		if e.Check == "s3-bucket-ssl-requests-only" && e.Status != Compliant {
			t.Errorf("stored %s, want the later COMPLIANT", e.Status)
		}
	}
}
