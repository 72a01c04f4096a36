package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/accounts"
	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

// countingSource counts VPC listings and can fail them.
type countingSource struct {
	accounts.Source
	vpcLists int
	fail     bool
}

func (c *countingSource) Collect(ctx context.Context, s accounts.Scope) (*inventory.Inventory, error) {
	if slices.Equal(s.Types, []string{"AWS::EC2::VPC"}) {
		c.vpcLists++
		if c.fail {
			return nil, errors.New("AccessDenied")
		}
	}
	return c.Source.Collect(ctx, s)
}

// vpcEvent is a Config item change of a VPC of the demo account.
func vpcEvent(t *testing.T, id, status string) []byte {
	t.Helper()
	ev := map[string]any{
		"version": "0", "id": "e-" + id, "detail-type": "Config Configuration Item Change", "source": "aws.config",
		"account": demoAccount, "time": "2026-10-05T10:00:00Z", "region": demoRegion,
		"detail": map[string]any{
			"messageType": "ConfigurationItemChangeNotification", "notificationCreationTime": "2026-10-05T10:00:00.000Z", "recordVersion": "1.3",
			"configurationItem": map[string]any{
				"configurationItemVersion": "1.3", "configurationItemCaptureTime": "2026-10-05T10:00:00.000Z", "configurationItemStatus": status,
				"awsAccountId": demoAccount, "awsRegion": demoRegion, "resourceType": "AWS::EC2::VPC", "resourceId": id,
				"ARN": "arn:aws:ec2:" + demoRegion + ":" + demoAccount + ":vpc/" + id, "configuration": map[string]any{"vpcId": id, "cidrBlock": "10.9.0.0/16"},
				"relationships": []any{}, "tags": map[string]string{"Name": "new-vpc"},
			},
		},
	}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDashboardReadsStoredVPCLists (#18.3): the dashboard's summary and VPC
// table only read the VPC lists stored when accounts are registered from
// files or verified, after a change event about a VPC, and by the
// scheduled check; they never list VPCs in AWS Config, not even for an
// account whose VPCs were not listed yet, which they show as such. An
// account that could never be listed is unreachable.
func TestDashboardReadsStoredVPCLists(t *testing.T) {
	f := newFixture(t)
	src := &countingSource{Source: f.e.Source}
	f.e.Source = src
	ctx := context.Background()
	acct, err := f.e.Accounts.Usable(ctx, "acme", demoAccount)
	if err != nil {
		t.Fatal(err)
	}
	// reads runs what the dashboard's GETs run and checks that they listed
	// nothing.
	reads := func(wantVPCs int, unlisted, unreachable []string) {
		t.Helper()
		before := src.vpcLists
		sum, err := f.e.Summarize(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		if sum.Accounts != 3 || sum.VPCs != wantVPCs || !slices.Equal(sum.Unlisted, unlisted) || !slices.Equal(sum.Unreachable, unreachable) {
			t.Errorf("summary %+v, want %d VPCs, unlisted %v, unreachable %v", sum, wantVPCs, unlisted, unreachable)
		}
		table, err := f.e.VPCRows(ctx, "acme", acct)
		switch {
		case slices.Contains(unreachable, demoAccount):
			if err == nil {
				t.Error("the VPC table of an unreachable account has no error")
			}
		case err != nil:
			t.Fatal(err)
		case slices.Contains(unlisted, demoAccount):
			if table.Listed || len(table.VPCs) != 0 {
				t.Errorf("table of an unlisted account %+v", table)
			}
		case !table.Listed || !slices.ContainsFunc(table.VPCs, func(r VPCRow) bool { return r.ID == demoVPC && r.SyncStatus == "none" && r.CIDR != "" }):
			t.Errorf("table %+v", table)
		}
		if src.vpcLists != before {
			t.Errorf("the dashboard's reads listed VPCs %d times", src.vpcLists-before)
		}
	}
	listed := func(want int) {
		t.Helper()
		if src.vpcLists != want {
			t.Errorf("%d VPC listings so far, want %d", src.vpcLists, want)
		}
		src.vpcLists = 0
	}
	all := []string{"111111111111", "222222222222", "333333333333"}

	// Registration listed every account.
	for range 3 {
		reads(7, nil, nil)
	}
	listed(0)

	// Without stored lists the dashboard says so, and lists nothing;
	// registering the files again lists the accounts without one.
	for _, a := range all {
		if err := f.e.forgetVPCs(ctx, "acme", a); err != nil {
			t.Fatal(err)
		}
	}
	reads(0, all, nil)
	if _, err := f.e.RegisterDir(ctx, "acme", src.Source.(*accounts.DirSource)); err != nil {
		t.Fatal(err)
	}
	listed(3)
	reads(7, nil, nil)

	// Verifying lists the account's VPCs.
	if err := f.e.forgetVPCs(ctx, "acme", demoAccount); err != nil {
		t.Fatal(err)
	}
	reads(4, []string{demoAccount}, nil)
	if _, err := f.e.VerifyAccount(ctx, "acme", demoAccount, nil); err != nil {
		t.Fatal(err)
	}
	listed(1)
	reads(7, nil, nil)

	// A VPC event lists the account's VPCs again, in the handler.
	if _, err := f.e.HandleEvent(ctx, vpcEvent(t, "vpc-0new", "ResourceDiscovered"), ""); err != nil {
		t.Fatal(err)
	}
	listed(1)
	reads(7, nil, nil)

	// The scheduled check lists every account again; a failing one keeps
	// its stored list and the check goes on.
	src.fail = true
	if _, err := f.e.CheckAll(ctx); err != nil {
		t.Fatal(err)
	}
	listed(3)
	reads(7, nil, nil)

	// A VPC event when AWS Config cannot be read: the list, out of date,
	// is dropped, and the account is unreachable.
	if _, err := f.e.HandleEvent(ctx, vpcEvent(t, "vpc-0new", "ResourceDeleted"), ""); err != nil {
		t.Fatal(err)
	}
	listed(1)
	reads(4, nil, []string{demoAccount})

	// A listing that works again clears it.
	src.fail = false
	if _, err := f.e.CheckAll(ctx); err != nil {
		t.Fatal(err)
	}
	listed(3)
	reads(7, nil, nil)
}
