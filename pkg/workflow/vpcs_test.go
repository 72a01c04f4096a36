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
// table read each account's VPCs from AWS Config once, then from the store;
// a change event about a VPC makes the next reader list them again, and
// so does the scheduled check. An account that cannot be read is
// unreachable, and nothing is stored for it.
func TestDashboardReadsStoredVPCLists(t *testing.T) {
	f := newFixture(t)
	src := &countingSource{Source: f.e.Source}
	f.e.Source = src
	ctx := context.Background()

	sum, err := f.e.Summarize(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if sum.Accounts != 3 || sum.VPCs != 7 || len(sum.Unreachable) != 0 {
		t.Fatalf("summary %+v", sum)
	}
	first := src.vpcLists
	if first != 3 {
		t.Errorf("first summary listed VPCs %d times, want once per account", first)
	}
	acct, err := f.e.Accounts.Usable(ctx, "acme", demoAccount)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := f.e.Summarize(ctx, "acme"); err != nil {
			t.Fatal(err)
		}
		rows, err := f.e.VPCRows(ctx, "acme", acct)
		if err != nil || !slices.ContainsFunc(rows, func(r VPCRow) bool { return r.ID == demoVPC && r.SyncStatus == "none" && r.CIDR != "" }) {
			t.Fatalf("rows %+v %v", rows, err)
		}
	}
	if src.vpcLists != first {
		t.Errorf("later requests listed VPCs again: %d listings", src.vpcLists-first)
	}

	// A VPC event forgets the account's list; the next reader lists it again.
	if _, err := f.e.HandleEvent(ctx, vpcEvent(t, "vpc-0new", "ResourceDiscovered"), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.e.VPCRows(ctx, "acme", acct); err != nil {
		t.Fatal(err)
	}
	if src.vpcLists != first+1 {
		t.Errorf("after a VPC event: %d listings, want %d", src.vpcLists, first+1)
	}

	// The scheduled check lists every account again; a failing one keeps
	// its stored list and the check goes on.
	src.fail = true
	if _, err := f.e.CheckAll(ctx); err != nil {
		t.Fatal(err)
	}
	if src.vpcLists != first+1+3 {
		t.Errorf("the check listed VPCs %d times, want once per account", src.vpcLists-first-1)
	}
	if sum, err := f.e.Summarize(ctx, "acme"); err != nil || sum.VPCs != 7 || len(sum.Unreachable) != 0 {
		t.Errorf("stored lists kept through a failed refresh: %+v %v", sum, err)
	}

	// Without a stored list, an unreadable account is unreachable and its
	// table answers the source's error.
	if err := f.e.forgetVPCs(ctx, "acme", demoAccount); err != nil {
		t.Fatal(err)
	}
	sum, err = f.e.Summarize(ctx, "acme")
	if err != nil || !slices.Equal(sum.Unreachable, []string{demoAccount}) || sum.VPCs != 4 {
		t.Errorf("summary with an unreadable account %+v %v", sum, err)
	}
	if _, err := f.e.VPCRows(ctx, "acme", acct); err == nil {
		t.Error("the VPC table of an unreadable account has no error")
	}
}
