package accounts

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/inventory/synth"
	"github.com/bulwark-tm/bulwark/pkg/store"
	"github.com/bulwark-tm/bulwark/pkg/store/bolt"
)

func testStore(t *testing.T) store.Store {
	t.Helper()
	st, err := bolt.Open(filepath.Join(t.TempDir(), "accounts.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestValidate(t *testing.T) {
	ok := Account{ID: "222222222222", Name: "shop", Access: AccessRole, RoleARN: RoleARNFor("222222222222"), Regions: []string{"eu-west-1"}}
	tests := []struct {
		name      string
		change    func(*Account)
		wantField string
	}{
		{"valid", func(*Account) {}, ""},
		{"valid gov partition", func(a *Account) { a.RoleARN = "arn:aws-us-gov:iam::222222222222:role/bulwark/BulwarkReadOnly" }, ""},
		{"another role of the account", func(a *Account) { a.RoleARN = "arn:aws:iam::222222222222:role/Admin" }, "/roleArn"},
		{"short id", func(a *Account) { a.ID = "12345" }, "/id"},
		{"letters in id", func(a *Account) { a.ID = "22222222222a" }, "/id"},
		{"empty name", func(a *Account) { a.Name = " " }, "/name"},
		{"role of another account", func(a *Account) { a.RoleARN = RoleARNFor("333333333333") }, "/roleArn"},
		{"not a role", func(a *Account) { a.RoleARN = "arn:aws:iam::222222222222:user/alice" }, "/roleArn"},
		{"files with a role", func(a *Account) { a.Access = AccessFiles }, "/roleArn"},
		{"unknown access", func(a *Account) { a.Access = "keys" }, "/access"},
		{"bad region", func(a *Account) { a.Regions = []string{"eu-west-1", "mars"} }, "/regions/1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ok
			tt.change(&a)
			err := a.Validate()
			if tt.wantField == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			e, isErr := errs.As(err)
			if !isErr || e.Kind != errs.Invalid || e.Field != tt.wantField {
				t.Errorf("err = %v, want Invalid at %s", err, tt.wantField)
			}
		})
	}
}

func TestExternalIDAndDeployCommand(t *testing.T) {
	a, b := NewExternalID(), NewExternalID()
	if a == b || len(a) != ExternalIDLen || !regexp.MustCompile(`^bulwark-[a-z2-7]{26}$`).MatchString(a) {
		t.Errorf("external ids %q %q", a, b)
	}
	cmd := DeployCommand("111111111111", a, "bulwark-platform", "eu-central-1")
	for _, want := range []string{"PlatformAccountId=111111111111", "ExternalId=" + a, "PlatformEventBusName=bulwark-platform", "--capabilities CAPABILITY_NAMED_IAM ", " PlatformRegion=eu-central-1"} {
		if !strings.Contains(cmd, want) {
			t.Errorf("command %q lacks %q", cmd, want)
		}
	}
	if cmd := DeployCommand("", a, "", ""); !strings.Contains(cmd, "PlatformAccountId=PLATFORM_ACCOUNT_ID") || !strings.Contains(cmd, "PlatformEventBusName=default") || strings.Contains(cmd, "PlatformRegion") {
		t.Errorf("defaults: %q", cmd)
	}
}

func TestRegistry(t *testing.T) {
	ctx := context.Background()
	g := &Registry{Store: testStore(t)}
	a := &Account{ID: "222222222222", Name: "shop", Access: AccessRole, RoleARN: "arn:aws:iam::222222222222:role/Chosen", ExternalID: "chosen-by-caller", Verified: true}
	if err := g.Register(ctx, "acme", a); err != nil {
		t.Fatal(err)
	}
	if a.ExternalID == "chosen-by-caller" || a.Revision != 1 || a.Verified || a.RoleARN != "arn:aws:iam::222222222222:role/bulwark/BulwarkReadOnly" {
		t.Errorf("registered %+v: Bulwark chooses the ExternalId and role, and the account starts unverified", a)
	}
	got, err := g.Get(ctx, "acme", "222222222222")
	if err != nil || got.ExternalID != a.ExternalID || got.Name != "shop" {
		t.Fatalf("get: %+v %v", got, err)
	}
	if _, err := g.Get(ctx, "initech", "222222222222"); !errs.Is(err, errs.NotFound) {
		t.Errorf("other tenant: %v", err)
	}
	if err := g.Delete(ctx, "acme", "222222222222", 1); err != nil {
		t.Fatal(err)
	}
	if tenants, _ := g.Tenants(ctx, "222222222222"); len(tenants) != 0 {
		t.Errorf("after delete: %v", tenants)
	}
	// Once the owner deleted it, another tenant may register the account.
	if err := g.Register(ctx, "globex", &Account{ID: "222222222222", Name: "theirs", Access: AccessRole}); err != nil {
		t.Fatal(err)
	}
	all, err := g.AllTenants(ctx)
	if err != nil || !slices.Equal(all, []string{"globex"}) {
		t.Errorf("all tenants %v %v", all, err)
	}
}

// fakeVerifier accepts the accounts whose id is in ok.
type fakeVerifier struct {
	ok    map[string]bool
	calls int
}

func (f *fakeVerifier) Verify(_ context.Context, _ string, a *Account) error {
	f.calls++
	if !f.ok[a.ID] {
		return errs.E(errs.Forbidden, "AccessDenied: not authorized to perform sts:AssumeRole on %s", a.RoleARN)
	}
	return nil
}

// TestOwnership: an account id belongs to one tenant, which can use it
// only after a verification.
func TestOwnership(t *testing.T) {
	ctx := context.Background()
	g := &Registry{Store: testStore(t)}
	const id = "222222222222"
	if err := g.Register(ctx, "acme", &Account{ID: id, Name: "shop", Access: AccessRole}); err != nil {
		t.Fatal(err)
	}
	// The same answer for the owner registering again and for anyone else.
	var msgs []string
	for _, tenant := range []string{"acme", "globex"} {
		err := g.Register(ctx, tenant, &Account{ID: id, Name: "again", Access: AccessRole})
		if !errs.Is(err, errs.Conflict) {
			t.Fatalf("%s registering a taken account: %v", tenant, err)
		}
		msgs = append(msgs, err.Error())
	}
	if msgs[0] != msgs[1] || strings.Contains(msgs[1], "acme") {
		t.Errorf("the refusals differ or name the owner: %q", msgs)
	}
	if _, err := g.Ensure(ctx, "globex", &Account{ID: id, Name: DemoAccountName(id), Access: AccessFiles}); err != nil {
		t.Fatal(err)
	}
	if _, err := g.Get(ctx, "globex", id); !errs.Is(err, errs.NotFound) {
		t.Errorf("Ensure gave a taken account to another tenant: %v", err)
	}

	// Unverified: not usable, and events go nowhere.
	if _, err := g.Usable(ctx, "acme", id); !errs.Is(err, errs.Forbidden) {
		t.Errorf("unverified account usable: %v", err)
	}
	if _, err := g.Usable(ctx, "globex", id); !errs.Is(err, errs.NotFound) {
		t.Errorf("another tenant's account: %v", err)
	}
	if tenants, err := g.Tenants(ctx, id); err != nil || len(tenants) != 0 {
		t.Errorf("tenants of an unverified account: %v %v", tenants, err)
	}

	v := &fakeVerifier{ok: map[string]bool{}}
	a, err := g.Verify(ctx, "acme", id, v)
	if !errs.Is(err, errs.Forbidden) || a == nil || a.Verified || !strings.Contains(a.VerifyError, "AccessDenied") {
		t.Fatalf("failed verification: %+v %v", a, err)
	}
	if stored, _ := g.Get(ctx, "acme", id); stored.VerifyError == "" || stored.LastVerify.IsZero() {
		t.Errorf("the failure is not recorded: %+v", stored)
	}
	if _, err := g.Verify(ctx, "globex", id, v); !errs.Is(err, errs.NotFound) || v.calls != 1 {
		t.Errorf("another tenant verifying: %v (%d calls)", err, v.calls)
	}
	v.ok[id] = true
	if a, err = g.Verify(ctx, "acme", id, v); err != nil || !a.Verified || a.VerifyError != "" {
		t.Fatalf("verification: %+v %v", a, err)
	}
	if _, err := g.Usable(ctx, "acme", id); err != nil {
		t.Errorf("verified account: %v", err)
	}
	if tenants, _ := g.Tenants(ctx, id); !slices.Equal(tenants, []string{"acme"}) {
		t.Errorf("tenants %v", tenants)
	}
	if _, err := g.Verify(ctx, "acme", id, nil); !errs.Is(err, errs.Unavailable) {
		t.Errorf("no verifier: %v", err)
	}
	if _, err := g.Usable(ctx, "acme", id); err != nil {
		t.Errorf("a transient failure disconnects the account: %v", err)
	}
}

func TestAllowList(t *testing.T) {
	l, err := ParseAllowList(" acme=222222222222, 333333333333 ; globex=444444444444;")
	if err != nil {
		t.Fatal(err)
	}
	if !l.Allows("acme", "333333333333") || l.Allows("globex", "222222222222") || l.Allows("initech", "444444444444") {
		t.Errorf("list %v", l)
	}
	for _, bad := range []string{"acme", "=222222222222", "acme=12", "acme=222222222222;globex=222222222222"} {
		if _, err := ParseAllowList(bad); !errs.Is(err, errs.Invalid) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	ctx := context.Background()
	g := &Registry{Store: testStore(t), Allowed: l.Allows}
	if err := g.Register(ctx, "globex", &Account{ID: "222222222222", Name: "not theirs", Access: AccessRole}); !errs.Is(err, errs.Forbidden) {
		t.Errorf("registering an account the list does not give: %v", err)
	}
	if err := g.Register(ctx, "acme", &Account{ID: "222222222222", Name: "shop", Access: AccessRole}); err != nil {
		t.Fatal(err)
	}
	if a, err := g.Verify(ctx, "acme", "222222222222", l); err != nil || !a.Verified {
		t.Fatalf("verify: %+v %v", a, err)
	}
	// The operator removes the entry: the account is refused at once.
	delete(l, "acme")
	if _, err := g.Usable(ctx, "acme", "222222222222"); !errs.Is(err, errs.Forbidden) {
		t.Errorf("account removed from the list: %v", err)
	}
}

func TestDirSource(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := synth.Write(dir, synth.Demo()); err != nil {
		t.Fatal(err)
	}
	d := &DirSource{Dir: dir}
	accts, err := d.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(accts) != 3 {
		t.Fatalf("accounts %v", accts)
	}
	g := &Registry{Store: testStore(t)}
	n, err := g.RegisterDir(ctx, "local", d)
	if err != nil || n != 3 {
		t.Fatalf("registered %d: %v", n, err)
	}
	if n, err := g.RegisterDir(ctx, "local", d); err != nil || n != 0 {
		t.Fatalf("second registration %d: %v", n, err)
	}
	list, err := g.List(ctx, "local")
	if err != nil || len(list) != 3 {
		t.Fatalf("list %v %v", list, err)
	}
	org, err := d.Organization(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	org.Walk(func(n *OrgNode) {
		if n.Type == NodeAccount {
			ids = append(ids, n.ID)
		}
	})
	if len(ids) != 3 || ids[0] != list[0].ID {
		t.Errorf("tree accounts %v", ids)
	}
	inv, err := d.Collect(ctx, Scope{Account: list[0], Types: []string{"AWS::EC2::VPC"}})
	if err != nil {
		t.Fatal(err)
	}
	if inv.Len() == 0 {
		t.Fatal("no VPCs")
	}
	for _, r := range inv.Resources() {
		if r.AccountID != list[0].ID || r.Type != "AWS::EC2::VPC" {
			t.Errorf("out of scope: %v", r.Key())
		}
	}
	if _, err := d.Collect(ctx, Scope{}); !errs.Is(err, errs.Invalid) {
		t.Errorf("no account: %v", err)
	}
}

// TestPendingClaimLapses: a tenant that registers an account it cannot
// verify keeps it from its owner for PendingClaim at most; a verified
// registration never lapses.
func TestPendingClaimLapses(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	g := &Registry{Store: testStore(t), Now: func() time.Time { return now }}
	if err := g.Register(ctx, "squatter", &Account{ID: "222222222222", Name: "not mine", Access: AccessRole}); err != nil {
		t.Fatal(err)
	}
	now = now.Add(PendingClaim - time.Minute)
	if err := g.Register(ctx, "acme", &Account{ID: "222222222222", Name: "shop", Access: AccessRole}); !errs.Is(err, errs.Conflict) {
		t.Fatalf("before the claim lapsed: %v", err)
	}
	now = now.Add(2 * time.Minute)
	if err := g.Register(ctx, "acme", &Account{ID: "222222222222", Name: "shop", Access: AccessRole}); err != nil {
		t.Fatalf("after the claim lapsed: %v", err)
	}
	if _, err := g.Get(ctx, "squatter", "222222222222"); !errs.Is(err, errs.NotFound) {
		t.Errorf("the lapsed registration is still there: %v", err)
	}
	if _, err := g.Verify(ctx, "acme", "222222222222", AllowList{"acme": {"222222222222"}}); err != nil {
		t.Fatal(err)
	}
	now = now.Add(10 * PendingClaim)
	if err := g.Register(ctx, "squatter", &Account{ID: "222222222222", Name: "again", Access: AccessRole}); !errs.Is(err, errs.Conflict) {
		t.Errorf("a verified registration lapsed: %v", err)
	}
}

// TestDirSourceRefusesAPartialRead: a file that cannot be read would make
// its resources look deleted (drift lists them as only in the threat model,
// Sync removes them), so the whole read is refused with the file named, and
// it works again once the file is fixed.
func TestDirSourceRefusesAPartialRead(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := synth.Write(dir, synth.Demo()); err != nil {
		t.Fatal(err)
	}
	d := &DirSource{Dir: dir}
	whole, err := d.Inventory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "truncated-event.json")
	if err := os.WriteFile(bad, []byte(`{"configurationItem": {"resourceType": "AWS::EC2::Instance"`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = d.Inventory(ctx)
	if !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), "truncated-event.json") {
		t.Fatalf("partly unreadable directory: err = %v, want Invalid naming the file", err)
	}
	if _, err := d.Collect(ctx, Scope{Account: &Account{ID: "111111111111"}}); err == nil {
		t.Fatal("Collect read a partial directory")
	}
	if err := os.Remove(bad); err != nil {
		t.Fatal(err)
	}
	again, err := d.Inventory(ctx)
	if err != nil {
		t.Fatalf("after removing the file: %v", err)
	}
	if again.Len() != whole.Len() {
		t.Errorf("after removing the file: %d resources, want %d", again.Len(), whole.Len())
	}
}
