package compliance_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/accounts"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/compliance"
	"github.com/bulwark-tm/bulwark/pkg/store"
	"github.com/bulwark-tm/bulwark/pkg/store/bolt"
)

// newHandler returns an EventHandler over a bolt store in t.TempDir() where
// the tenant "acme" registered and verified account 111111111111, the
// account of the fixture events, and "globex" registered 222222222222
// without verifying it.
func newHandler(t *testing.T) (compliance.EventHandler, store.Store) {
	t.Helper()
	st, err := bolt.Open(filepath.Join(t.TempDir(), "bulwark.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	reg := &accounts.Registry{Store: st}
	ctx := context.Background()
	for tenant, id := range map[string]string{"acme": "111111111111", "globex": "222222222222"} {
		if err := reg.Register(ctx, tenant, &accounts.Account{ID: id, Name: "Shop", Access: accounts.AccessRole}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := reg.Verify(ctx, "acme", "111111111111", accounts.AllowList{"acme": {"111111111111"}}); err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	return compliance.EventHandler{Controls: cat.Controls, Distributor: compliance.Distributor{Owners: reg, Repo: compliance.Repo{Store: st}}, Logger: logger}, st
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("../../events/aws", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ocsfFixture reads an OCSF event of testdata/ocsf about
// account 111111111111 instead of the documentation's 123456789012.
func ocsfFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata/ocsf", name))
	if err != nil {
		t.Fatal(err)
	}
	return bytes.ReplaceAll(b, []byte("123456789012"), []byte("111111111111"))
}

// TestEventHandler feeds the fixture events in order to one handler: new
// evidence is stored for the account's tenant, a replay or an older observation
// changes nothing, a newer one updates, and unreadable events are dropped.
func TestEventHandler(t *testing.T) {
	h, _ := newHandler(t)
	ctx := context.Background()
	acmeOnly := func(tl compliance.Tally) map[string]compliance.Tally {
		return map[string]compliance.Tally{"acme": tl}
	}
	tests := []struct {
		name             string
		event            []byte
		wantDropped      bool
		wantStored       map[string]compliance.Tally
		wantSkipped      int
		wantUnregistered []string
	}{
		{name: "a failed Security Hub control", event: fixture(t, "securityhub/consolidated-ec2-8-failed.json"),
			wantStored: acmeOnly(compliance.Tally{Created: 1})},
		{name: "a replay changes nothing", event: fixture(t, "securityhub/consolidated-ec2-8-failed.json"),
			wantStored: acmeOnly(compliance.Tally{Unchanged: 1})},
		{name: "a later pass updates", event: fixture(t, "securityhub/consolidated-ec2-8-passed-later.json"),
			wantStored: acmeOnly(compliance.Tally{Updated: 1})},
		{name: "the older failure delivered late changes nothing", event: fixture(t, "securityhub/consolidated-ec2-8-failed.json"),
			wantStored: acmeOnly(compliance.Tally{Unchanged: 1})},
		{name: "a Config rule compliance change", event: fixture(t, "config-rules/s3-ssl-noncompliant.json"),
			wantStored: acmeOnly(compliance.Tally{Created: 1})},
		{name: "a GuardDuty finding is not evidence", event: fixture(t, "securityhub/guardduty-not-evidence.json"),
			wantStored: map[string]compliance.Tally{}, wantSkipped: 1},
		{name: "an account no tenant registered",
			event:      bytes.ReplaceAll(fixture(t, "config-rules/s3-ssl-noncompliant.json"), []byte("111111111111"), []byte("999999999999")),
			wantStored: map[string]compliance.Tally{}, wantUnregistered: []string{"999999999999"}},
		{name: "an account whose registration is not verified",
			event:      bytes.ReplaceAll(fixture(t, "config-rules/s3-ssl-noncompliant.json"), []byte("111111111111"), []byte("222222222222")),
			wantStored: map[string]compliance.Tally{}, wantUnregistered: []string{"222222222222"}},
		// Security Hub's OCSF form ("Findings Imported V2"), a real finding
		// (pkg/compliance/testdata/ocsf) moved to the registered account.
		{name: "an OCSF finding (Findings Imported V2)", event: ocsfFixture(t, "event-sqs1-fail.json"),
			wantStored: acmeOnly(compliance.Tally{Created: 1})},
		{name: "its replay changes nothing", event: ocsfFixture(t, "event-sqs1-fail.json"),
			wantStored: acmeOnly(compliance.Tally{Unchanged: 1})},
		{name: "malformed JSON", event: []byte(`{"detail-type": "Security Hub Findings - Imported", "detail": {`), wantDropped: true},
		{name: "a finding without an account", event: []byte(`{"id":"x","detail-type":"Security Hub Findings - Imported","source":"aws.securityhub","time":"2026-10-02T09:00:00Z","detail":{"findings":[{"Id":"f"}]}}`), wantDropped: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := h.Handle(ctx, tc.event)
			if err != nil {
				t.Fatalf("Handle: %v", err)
			}
			if (out.Dropped != "") != tc.wantDropped {
				t.Fatalf("dropped = %q, want dropped %v", out.Dropped, tc.wantDropped)
			}
			if tc.wantDropped {
				return
			}
			if len(out.Stored) != len(tc.wantStored) {
				t.Errorf("stored %v, want %v", out.Stored, tc.wantStored)
			}
			for tenant, want := range tc.wantStored {
				if got := out.Stored[tenant]; got != want {
					t.Errorf("tenant %s: %+v, want %+v", tenant, got, want)
				}
			}
			if out.Skipped != tc.wantSkipped || !slices.Equal(out.Unregistered, tc.wantUnregistered) {
				t.Errorf("skipped %d, unregistered %v; want %d, %v", out.Skipped, out.Unregistered, tc.wantSkipped, tc.wantUnregistered)
			}
		})
	}
	if evs, err := h.Distributor.Repo.ForAccounts(ctx, "acme", []string{"111111111111"}); err != nil || len(evs) != 3 {
		t.Errorf("acme: %d evidence (%v), want 3", len(evs), err)
	}
	for _, tenant := range []string{"globex", "other"} {
		if evs, _ := h.Distributor.Repo.ForAccounts(ctx, tenant, []string{"111111111111", "222222222222"}); len(evs) != 0 {
			t.Errorf("%s, which owns no verified account, got %d evidence", tenant, len(evs))
		}
	}
}

// TestEventHandlerStoreFailure: a store error is returned so that Lambda retries
// the event.
func TestEventHandlerStoreFailure(t *testing.T) {
	h, st := newHandler(t)
	st.Close()
	out, err := h.Handle(context.Background(), fixture(t, "securityhub/consolidated-ec2-8-failed.json"))
	if err == nil || out.Dropped != "" {
		t.Fatalf("Handle on a closed store: %+v %v, want an error", out, err)
	}
}
