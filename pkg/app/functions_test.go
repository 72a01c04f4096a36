package app

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/accounts"
	"github.com/bulwark-tm/bulwark/pkg/compliance"
)

// newTestLambda returns the Lambda a function starts from, configured by
// env over a bolt store in t.TempDir(), logging to a buffer.
func newTestLambda(t *testing.T, env map[string]string) (*Lambda, *bytes.Buffer) {
	t.Helper()
	all := map[string]string{"BULWARK_STORE": "bolt://" + filepath.Join(t.TempDir(), "l.db")}
	for k, v := range env {
		all[k] = v
	}
	var logs bytes.Buffer
	l, err := NewLambda(context.Background(), func(k string) string { return all[k] }, &logs)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Store.Close() })
	return l, &logs
}

func readEvent(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "events", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestFindingsHandler: the findings function's handler stores an event's
// evidence in the Lambda's store for the tenant that registered and
// verified the account, and drops an event it cannot read.
func TestFindingsHandler(t *testing.T) {
	ctx := context.Background()
	l, logs := newTestLambda(t, nil)
	reg := &accounts.Registry{Store: l.Store}
	if err := reg.Register(ctx, "acme", &accounts.Account{ID: "111111111111", Name: "Shop", Access: accounts.AccessRole}); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Verify(ctx, "acme", "111111111111", accounts.AllowList{"acme": {"111111111111"}}); err != nil {
		t.Fatal(err)
	}
	h := FindingsHandler(l)

	out, err := h(ctx, readEvent(t, "aws/securityhub/consolidated-ec2-8-failed.json"))
	if err != nil || out.Dropped != "" || out.Stored["acme"] != (compliance.Tally{Created: 1}) {
		t.Fatalf("a failed control: %+v %v", out, err)
	}
	if evs, err := (compliance.Repo{Store: l.Store}).ForAccounts(ctx, "acme", []string{"111111111111"}); err != nil || len(evs) != 1 {
		t.Errorf("acme holds %d evidence (%v), want 1", len(evs), err)
	}
	out, err = h(ctx, []byte(`{"detail-type": "Security Hub Findings - Imported", "detail": {`))
	if err != nil || out.Dropped == "" {
		t.Errorf("malformed JSON: %+v %v, want dropped", out, err)
	}
	if !bytes.Contains(logs.Bytes(), []byte(`"msg":"evidence event dropped"`)) {
		t.Errorf("the drop is not logged with the Lambda's logger: %s", logs)
	}
}
