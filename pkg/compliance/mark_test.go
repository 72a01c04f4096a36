package compliance

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/store/bolt"
)

// TestEvidenceMarks: an account's mark moves when its evidence changes
// (Put or PutAll, created or updated), and only then: a replay, an older
// observation, or evidence of another account or tenant leaves it.
func TestEvidenceMarks(t *testing.T) {
	st, err := bolt.Open(filepath.Join(t.TempDir(), "ev.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	repo := Repo{Store: st}
	ctx := context.Background()
	older := parseFile(t, filepath.Join(eventsDir, "config-rules/s3-ssl-noncompliant.json")).Evidence[0]
	newer := parseFile(t, filepath.Join(eventsDir, "config-rules/s3-ssl-compliant-later.json")).Evidence[0]
	acct := older.AccountID
	other := older
	other.AccountID, other.ID = "222222222222", older.ID+"-other"

	mark := func(tenant, account string) int64 {
		t.Helper()
		m, err := repo.Marks(ctx, tenant, []string{account, account})
		if err != nil {
			t.Fatal(err)
		}
		if len(m) != 1 {
			t.Fatalf("marks %v, want one per account", m)
		}
		return m[account]
	}
	if got := mark("acme", acct); got != 0 {
		t.Fatalf("mark before any evidence: %d", got)
	}
	steps := []struct {
		name  string
		put   func() error
		moves bool
	}{
		{"first (Put)", func() error { _, err := repo.Put(ctx, "acme", &older); return err }, true},
		{"replay (Put)", func() error { _, err := repo.Put(ctx, "acme", &older); return err }, false},
		{"replay (PutAll)", func() error { _, err := repo.PutAll(ctx, "acme", []Evidence{older}); return err }, false},
		{"another account", func() error { _, err := repo.PutAll(ctx, "acme", []Evidence{other}); return err }, false},
		{"another tenant", func() error { _, err := repo.PutAll(ctx, "globex", []Evidence{newer}); return err }, false},
		{"newer (PutAll)", func() error { _, err := repo.PutAll(ctx, "acme", []Evidence{other, newer}); return err }, true},
		{"older late", func() error { _, err := repo.PutAll(ctx, "acme", []Evidence{older}); return err }, false},
	}
	for _, s := range steps {
		before := mark("acme", acct)
		if err := s.put(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if after := mark("acme", acct); (after != before) != s.moves {
			t.Errorf("%s: mark %d → %d, want moved=%v", s.name, before, after, s.moves)
		}
	}
	if mark("acme", "222222222222") == 0 || mark("globex", acct) == 0 {
		t.Error("the other account's or tenant's mark did not move with its evidence")
	}
}
