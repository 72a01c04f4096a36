package accounts

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

// Scope selects what to collect: one account, optionally one region and
// some resource types.
type Scope struct {
	Account *Account
	// Region limits the collection to one region; empty means the
	// account's regions (or every region the source knows).
	Region string
	// Types limits the collection to these AWS resource types
	// (AWS::EC2::VPC, ...); empty means every type.
	Types []string
}

// Source collects the inventory of an account. Implementations: DirSource
// (snapshot files), awsclient.ConfigSource (AWS Config through an
// aggregator or the member role). Errors carry an errs.Kind: Unavailable
// for AWS outages and throttling that outlasted retries, Forbidden when the
// role cannot be assumed or lacks permissions.
type Source interface {
	Collect(ctx context.Context, s Scope) (*inventory.Inventory, error)
}

// The kinds of node in an organization tree.
const (
	NodeRoot    = "root"
	NodeOU      = "ou"
	NodeAccount = "account"
)

// OrgNode is one node of an AWS Organizations tree: the root, an
// organizational unit or an account.
type OrgNode struct {
	ID   string `json:"id"` // r-…, ou-…, or the 12-digit account id
	Name string `json:"name"`
	Type string `json:"type"` // NodeRoot, NodeOU or NodeAccount
	// Email and Status are set for accounts (ACTIVE, SUSPENDED, …).
	Email    string     `json:"email,omitempty"`
	Status   string     `json:"status,omitempty"`
	Children []*OrgNode `json:"children,omitempty"`
}

// Walk calls fn for n and every node below it, depth first.
func (n *OrgNode) Walk(fn func(*OrgNode)) {
	fn(n)
	for _, c := range n.Children {
		c.Walk(fn)
	}
}

// OrgReader reads the organization tree (from the management or a
// delegated administrator account).
type OrgReader interface {
	Organization(ctx context.Context) (*OrgNode, error)
}

// DirSource reads AWS Config files (snapshots, history files, API outputs,
// change events) under a directory, such as events/demo/aws. It re-reads the files
// when any of them changed, so that an event file dropped into the
// directory is seen by the next collection. It is safe for concurrent use.
type DirSource struct {
	Dir string

	mu   sync.Mutex
	sig  string
	inv  *inventory.Inventory
	read time.Time
}

var _ Source = (*DirSource)(nil)
var _ OrgReader = (*DirSource)(nil)

// signature sums up the files' names, sizes and times.
func (d *DirSource) signature() (string, error) {
	var b strings.Builder
	err := filepath.WalkDir(d.Dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() {
			return nil
		}
		info, err := e.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s %d %d\n", p, info.Size(), info.ModTime().UnixNano())
		return nil
	})
	if err != nil {
		return "", errs.E(errs.Unavailable, "list AWS Config files in %s: %w", d.Dir, err)
	}
	return b.String(), nil
}

// Inventory returns everything under the directory, re-reading it when the
// files changed. A directory with a file or item that cannot be read is an
// error (Invalid) that names them, never a smaller inventory.
func (d *DirSource) Inventory(ctx context.Context) (*inventory.Inventory, error) {
	sig, err := d.signature()
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.inv != nil && sig == d.sig {
		return d.inv, nil
	}
	r := inventory.NewReader(nil)
	// ReadPaths' error joins what the report's Lost list names; it is
	// reported from there, with skipped items too.
	_ = r.ReadPaths(ctx, d.Dir)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if lost := r.Report.Lost(); len(lost) > 0 {
		// A resource in an unread file would look deleted: drift would list
		// it as only in the threat model and Sync would remove it. Refuse
		// the whole read instead, naming what to fix.
		return nil, errs.E(errs.Invalid, "read AWS Config files in %s: %s; nothing is built, checked or synced from this directory until they are fixed or removed", d.Dir, fmt.Sprintf("%d file(s) or item(s) could not be read: %s", len(lost), inventory.Sample(lost, 5)))
	}
	d.inv, d.sig, d.read = r.Inventory, sig, time.Now()
	return d.inv, nil
}

// Collect returns the scope's resources from the files.
func (d *DirSource) Collect(ctx context.Context, s Scope) (*inventory.Inventory, error) {
	if s.Account == nil {
		return nil, errs.E(errs.Invalid, "collect: no account")
	}
	all, err := d.Inventory(ctx)
	if err != nil {
		return nil, err
	}
	return Filter(all, s), nil
}

// Filter returns the resources of inv within scope s (and the tombstones of
// deleted ones), as a new inventory with relationships resolved.
func Filter(inv *inventory.Inventory, s Scope) *inventory.Inventory {
	out := inventory.New()
	for _, r := range append(inv.Resources(), inv.Deleted()...) {
		if s.Account != nil && r.AccountID != s.Account.ID {
			continue
		}
		if s.Region != "" && r.Region != s.Region {
			continue
		}
		if s.Region == "" && s.Account != nil && len(s.Account.Regions) > 0 && !slices.Contains(s.Account.Regions, r.Region) {
			continue
		}
		if len(s.Types) > 0 && !slices.Contains(s.Types, r.Type) {
			continue
		}
		out.Add(r)
	}
	out.Resolve()
	return out
}

// Accounts lists the account ids in the files, with their regions.
func (d *DirSource) Accounts(ctx context.Context) (map[string][]string, error) {
	inv, err := d.Inventory(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, r := range inv.Resources() {
		if !slices.Contains(out[r.AccountID], r.Region) {
			out[r.AccountID] = append(out[r.AccountID], r.Region)
		}
	}
	return out, nil
}

// Organization returns a demo organization: a root with one
// organizational unit holding every account in the files.
func (d *DirSource) Organization(ctx context.Context) (*OrgNode, error) {
	accts, err := d.Accounts(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(accts))
	for id := range accts {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	ou := &OrgNode{ID: "ou-demo-workloads", Name: "Workloads", Type: NodeOU}
	for _, id := range ids {
		ou.Children = append(ou.Children, &OrgNode{ID: id, Name: DemoAccountName(id), Type: NodeAccount, Status: "ACTIVE"})
	}
	return &OrgNode{ID: "r-demo", Name: "Root", Type: NodeRoot, Children: []*OrgNode{ou}}, nil
}

// DemoAccountName names an account found in files.
func DemoAccountName(id string) string { return "Demo account " + id }

// RegisterDir registers every account in d's files for tenant, with
// AccessFiles, unless already registered. It is idempotent and returns how
// many accounts it added.
func (g *Registry) RegisterDir(ctx context.Context, tenant string, d *DirSource) (int, error) {
	accts, err := d.Accounts(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for id, regions := range accts {
		if !ValidAccountID(id) {
			continue
		}
		slices.Sort(regions)
		created, err := g.Ensure(ctx, tenant, &Account{ID: id, Name: DemoAccountName(id), Access: AccessFiles, Regions: regions})
		if err != nil {
			return n, err
		}
		if created {
			n++
		}
	}
	return n, nil
}

// DirExists reports whether dir is a readable directory.
func DirExists(dir string) bool {
	st, err := os.Stat(dir)
	return err == nil && st.IsDir()
}

// VPCTypes are the AWS resource types a VPC's diagram is built from (and
// its drift computed from): builds, checks and syncs collect these only,
// never an account's whole inventory.
var VPCTypes = []string{
	"AWS::EC2::VPC", "AWS::EC2::Subnet", "AWS::EC2::RouteTable", "AWS::EC2::InternetGateway", "AWS::EC2::NatGateway",
	"AWS::EC2::SecurityGroup", "AWS::EC2::NetworkInterface", "AWS::EC2::Instance", "AWS::EC2::VPCEndpoint",
	"AWS::EC2::EIP", "AWS::EC2::NetworkAcl", "AWS::EC2::VPCPeeringConnection", "AWS::EC2::TransitGatewayAttachment",
	"AWS::EC2::Volume", "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ElasticLoadBalancingV2::Listener",
	"AWS::ElasticLoadBalancingV2::TargetGroup", "AWS::ElasticLoadBalancing::LoadBalancer", "AWS::AutoScaling::AutoScalingGroup",
	"AWS::ECS::Service", "AWS::EKS::Cluster", "AWS::Lambda::Function", "AWS::RDS::DBInstance", "AWS::RDS::DBCluster",
}
