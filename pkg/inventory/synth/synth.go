// Package synth generates realistic, deterministic AWS Config data for
// demos, tests and benchmarks: organizations of accounts whose VPCs follow
// common architectures (three-tier web applications, ECS microservices,
// data platforms, shared network hubs), written as ConfigSnapshot files in
// the layout AWS Config delivers to S3. The same spec always gives the same
// bytes. Account ids are documentation-style (111111111111, …).
package synth

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// The VPC architectures Generate knows.
const (
	ThreeTier     = "three-tier"
	Microservices = "microservices"
	DataPlatform  = "data"
	SharedNetwork = "shared"
)

// VPC describes one VPC to generate.
type VPC struct {
	Account string
	Region  string
	Name    string
	CIDR    string // /16, e.g. "10.1.0.0/16"
	Kind    string // ThreeTier, Microservices, DataPlatform or SharedNetwork
	Zones   int    // Availability Zones (1–6), default 3
	Scale   int    // workload multiplier, default 1

	// Demo extras, generated after everything else.
	Legacy   bool   // three-tier: a classic load balancer before the web tier, and DB snapshots
	VPN      bool   // a site-to-site VPN from a data centre to the transit gateway
	PeerWith string // name of another VPC of the same generation this one requests a peering with
}

// Demo is the demo organization: three accounts, seven VPCs, a little over
// 500 resources, with a classic load balancer, DB snapshots, a cross-account
// VPC peering and a site-to-site VPN.
func Demo() []VPC {
	return []VPC{
		{Account: "111111111111", Region: "us-east-1", Name: "shop-prod", CIDR: "10.10.0.0/16", Kind: ThreeTier, Zones: 3, Scale: 2, Legacy: true, PeerWith: "analytics"},
		{Account: "111111111111", Region: "us-east-1", Name: "shop-microservices", CIDR: "10.11.0.0/16", Kind: Microservices, Zones: 3, Scale: 2},
		{Account: "111111111111", Region: "eu-west-1", Name: "shop-eu", CIDR: "10.12.0.0/16", Kind: ThreeTier, Zones: 2, Scale: 1},
		{Account: "222222222222", Region: "us-east-1", Name: "analytics", CIDR: "10.20.0.0/16", Kind: DataPlatform, Zones: 2, Scale: 2},
		{Account: "222222222222", Region: "us-east-1", Name: "payments", CIDR: "10.21.0.0/16", Kind: Microservices, Zones: 2, Scale: 1},
		{Account: "333333333333", Region: "us-east-1", Name: "network-hub", CIDR: "10.0.0.0/16", Kind: SharedNetwork, Zones: 2, Scale: 1, VPN: true},
		{Account: "333333333333", Region: "us-east-1", Name: "shared-services", CIDR: "10.1.0.0/16", Kind: DataPlatform, Zones: 2, Scale: 1},
	}
}

// ThreeTierOfSize returns a three-tier VPC with about n resources.
func ThreeTierOfSize(account, name string, octet, n int) VPC {
	// The network and tiers take about 37 resources; a scale unit adds 54
	// (nine instances and their ENIs in each of three zones).
	scale := max(1, (n-37+27)/54)
	return VPC{Account: account, Region: "us-east-1", Name: name, CIDR: fmt.Sprintf("10.%d.0.0/16", octet), Kind: ThreeTier, Zones: 3, Scale: scale}
}

// Item is one configuration item in the S3 snapshot dialect.
type Item map[string]any

// Snapshot is one ConfigSnapshot file: the items of an account and region.
type Snapshot struct {
	Account, Region string
	Items           []Item
}

// Path is where AWS Config would deliver the snapshot, relative to the
// bucket: AWSLogs/ACCOUNT/Config/REGION/2026/10/1/ConfigSnapshot/….json.
func (s *Snapshot) Path() string {
	return filepath.Join("AWSLogs", s.Account, "Config", s.Region, "2026", "10", "1", "ConfigSnapshot",
		fmt.Sprintf("%s_Config_%s_ConfigSnapshot_20261001T080000Z_%s.json", s.Account, s.Region, hexID(s.Account+s.Region, 0)[:8]))
}

// JSON renders the snapshot file.
func (s *Snapshot) JSON() ([]byte, error) {
	doc := map[string]any{"fileVersion": "1.0", "configSnapshotId": uuid(s.Account + s.Region), "configurationItems": s.Items}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("encode snapshot %s/%s: %w", s.Account, s.Region, err)
	}
	// One item per line keeps the files readable and diffable.
	return []byte(strings.ReplaceAll(string(b), `},{"ARN"`, "},\n{\"ARN\"")), nil
}

// Generate returns one snapshot per account and region, in order.
func Generate(vpcs []VPC) []*Snapshot {
	var out []*Snapshot
	find := func(a, r string) *Snapshot {
		for _, s := range out {
			if s.Account == a && s.Region == r {
				return s
			}
		}
		s := &Snapshot{Account: a, Region: r}
		out = append(out, s)
		return s
	}
	for _, v := range vpcs {
		s := find(v.Account, v.Region)
		g := &gen{vpc: v, zones: min(max(v.Zones, 1), 6), scale: max(v.Scale, 1), all: vpcs}
		g.run()
		s.Items = append(s.Items, g.items...)
	}
	slices.SortStableFunc(out, func(a, b *Snapshot) int { return strings.Compare(a.Account+a.Region, b.Account+b.Region) })
	return out
}

// Write generates vpcs into dir and returns the files written.
func Write(dir string, vpcs []VPC) ([]string, error) {
	var files []string
	for _, s := range Generate(vpcs) {
		data, err := s.JSON()
		if err != nil {
			return nil, err
		}
		p := filepath.Join(dir, s.Path())
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, fmt.Errorf("write demo data: %w", err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return nil, fmt.Errorf("write demo data: %w", err)
		}
		files = append(files, p)
	}
	return files, nil
}

func hexID(seed string, n int) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s#%d", seed, n)
	return fmt.Sprintf("%016x", h.Sum64())
}

func uuid(seed string) string {
	a, b := hexID(seed, 1), hexID(seed, 2)
	return a[:8] + "-" + a[8:12] + "-4" + a[13:16] + "-8" + b[1:4] + "-" + b[4:16]
}
