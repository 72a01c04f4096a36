package accounts

import (
	"context"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

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
	ok := Account{ID: "222222222222", Name: "shop", Access: AccessRole, RoleARN: "arn:aws:iam::222222222222:role/BulwarkRead", Regions: []string{"eu-west-1"}}
	tests := []struct {
		name      string
		change    func(*Account)
		wantField string
	}{
		{"valid", func(*Account) {}, ""},
		{"valid gov partition", func(a *Account) { a.RoleARN = "arn:aws-us-gov:iam::222222222222:role/path/BulwarkRead" }, ""},
		{"short id", func(a *Account) { a.ID = "12345" }, "/id"},
		{"letters in id", func(a *Account) { a.ID = "22222222222a" }, "/id"},
		{"empty name", func(a *Account) { a.Name = " " }, "/name"},
		{"role of another account", func(a *Account) { a.RoleARN = "arn:aws:iam::333333333333:role/BulwarkRead" }, "/roleArn"},
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
	cmd := DeployCommand("111111111111", a, "bulwark-platform")
	for _, want := range []string{"PlatformAccountId=111111111111", "ExternalId=" + a, "PlatformEventBusName=bulwark-platform", "CAPABILITY_IAM"} {
		if !strings.Contains(cmd, want) {
			t.Errorf("command %q lacks %q", cmd, want)
		}
	}
	if cmd := DeployCommand("", a, ""); !strings.Contains(cmd, "PlatformAccountId=PLATFORM_ACCOUNT_ID") || !strings.Contains(cmd, "PlatformEventBusName=default") {
		t.Errorf("defaults: %q", cmd)
	}
}

func TestRegistry(t *testing.T) {
	ctx := context.Background()
	g := &Registry{Store: testStore(t)}
	a := &Account{ID: "222222222222", Name: "shop", Access: AccessRole, RoleARN: "arn:aws:iam::222222222222:role/BulwarkRead", ExternalID: "chosen-by-caller"}
	if err := g.Register(ctx, "acme", a); err != nil {
		t.Fatal(err)
	}
	if a.ExternalID == "chosen-by-caller" || a.Revision != 1 {
		t.Errorf("registered %+v", a)
	}
	if err := g.Register(ctx, "acme", &Account{ID: "222222222222", Name: "again", Access: AccessFiles}); !errs.Is(err, errs.Conflict) {
		t.Errorf("second registration: %v", err)
	}
	// Another tenant may register the same account.
	if err := g.Register(ctx, "globex", &Account{ID: "222222222222", Name: "theirs", Access: AccessFiles}); err != nil {
		t.Fatal(err)
	}
	got, err := g.Get(ctx, "acme", "222222222222")
	if err != nil || got.ExternalID != a.ExternalID || got.Name != "shop" {
		t.Fatalf("get: %+v %v", got, err)
	}
	if _, err := g.Get(ctx, "initech", "222222222222"); !errs.Is(err, errs.NotFound) {
		t.Errorf("other tenant: %v", err)
	}
	tenants, err := g.Tenants(ctx, "222222222222")
	if err != nil || !slices.Equal(tenants, []string{"acme", "globex"}) {
		t.Errorf("tenants %v %v", tenants, err)
	}
	if err := g.Delete(ctx, "acme", "222222222222", 1); err != nil {
		t.Fatal(err)
	}
	if tenants, _ := g.Tenants(ctx, "222222222222"); !slices.Equal(tenants, []string{"globex"}) {
		t.Errorf("after delete: %v", tenants)
	}
	all, err := g.AllTenants(ctx)
	if err != nil || !slices.Equal(all, []string{"globex"}) {
		t.Errorf("all tenants %v %v", all, err)
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
