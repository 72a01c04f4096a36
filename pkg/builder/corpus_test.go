package builder

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/inventory"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// corpusSource says how the records of one real example become AWS Config
// configuration items: the AWS type, the key of the records in the
// response and the field that is the resource id.
type corpusSource struct {
	file, resourceType, key, idField string
}

var corpusSources = []corpusSource{
	{"aws-cli/elb/describe-load-balancers.rst", "AWS::ElasticLoadBalancing::LoadBalancer", "LoadBalancerDescriptions", "LoadBalancerName"},
	{"aws-cli/ec2/describe-vpc-peering-connections.rst", "AWS::EC2::VPCPeeringConnection", "VpcPeeringConnections", "VpcPeeringConnectionId"},
	{"aws-cli/ec2/describe-vpn-connections.rst", "AWS::EC2::VPNConnection", "VpnConnections", "VpnConnectionId"},
	{"aws-cli/ec2/describe-vpn-connections-4f25e3a.rst", "AWS::EC2::VPNConnection", "VpnConnections", "VpnConnectionId"},
	{"aws-cli/ec2/describe-vpn-gateways.rst", "AWS::EC2::VPNGateway", "VpnGateways", "VpnGatewayId"},
	{"aws-cli/ec2/describe-customer-gateways.rst", "AWS::EC2::CustomerGateway", "CustomerGateways", "CustomerGatewayId"},
	{"aws-cli/ec2/describe-transit-gateway-attachments.rst", "AWS::EC2::TransitGatewayAttachment", "TransitGatewayAttachments", "TransitGatewayAttachmentId"},
	{"aws-cli/rds/describe-db-snapshots.rst", "AWS::RDS::DBSnapshot", "DBSnapshots", "DBSnapshotIdentifier"},
	{"aws-cli/rds/describe-db-subnet-groups.rst", "AWS::RDS::DBSubnetGroup", "DBSubnetGroups", "DBSubnetGroupName"},
	{"aws-cli/eks/describe-cluster.rst", "AWS::EKS::Cluster", "cluster", "name"},
	{"aws-cli/es/create-elasticsearch-domain.rst", "AWS::Elasticsearch::Domain", "DomainStatus", "DomainName"},
	{"aws-cli/elasticache/describe-cache-clusters.rst", "AWS::ElastiCache::CacheCluster", "CacheClusters", "CacheClusterId"},
	{"aws-cli/elasticache/describe-cache-subnet-groups.rst", "AWS::ElastiCache::SubnetGroup", "CacheSubnetGroups", "CacheSubnetGroupName"},
	{"aws-cli/redshift/describe-cluster-subnet-groups.rst", "AWS::Redshift::ClusterSubnetGroup", "ClusterSubnetGroups", "ClusterSubnetGroupName"},
	{"aws-cli/route53resolver/get-resolver-endpoint.rst", "AWS::Route53Resolver::ResolverEndpoint", "ResolverEndpoint", "Id"},
}

// corpusAccount and corpusRegion are given to items whose example names
// neither (describe outputs carry no account or region).
const (
	corpusAccount = "111122223333"
	corpusRegion  = "us-west-2"
)

// jsonBlocks returns every JSON object that follows an "Output::" or
// "Result::" (AWS CLI examples) or opens a fenced block (AWS
// documentation) in text.
func jsonBlocks(t *testing.T, text string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, marker := range []string{"Output::", "Result::", "```\n{"} {
		rest := text
		for {
			i := strings.Index(rest, marker)
			if i < 0 {
				break
			}
			rest = rest[i+len(marker)-1:]
			j := strings.Index(rest, "{")
			if j < 0 {
				break
			}
			var v map[string]any
			dec := json.NewDecoder(strings.NewReader(rest[j:]))
			if err := dec.Decode(&v); err == nil {
				out = append(out, v)
			}
			rest = rest[j+1:]
		}
	}
	return out
}

// lowerCamel renames the keys of v the way AWS Config records describe
// outputs ("DBInstanceIdentifier" → "dBInstanceIdentifier").
func lowerCamel(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := map[string]any{}
		for k, e := range x {
			r := []rune(k)
			r[0] = unicode.ToLower(r[0])
			m[string(r)] = lowerCamel(e)
		}
		return m
	case []any:
		for i := range x {
			x[i] = lowerCamel(x[i])
		}
	}
	return v
}

type corpusItem struct {
	Version       string           `json:"configurationItemVersion"`
	Status        string           `json:"configurationItemStatus"`
	CaptureTime   string           `json:"configurationItemCaptureTime"`
	Account       string           `json:"awsAccountId"`
	Region        string           `json:"awsRegion"`
	Type          string           `json:"resourceType"`
	ID            string           `json:"resourceId"`
	Name          string           `json:"resourceName,omitempty"`
	Relationships []map[string]any `json:"relationships"`
	Configuration any              `json:"configuration"`
}

// corpusItems turns the real examples into configuration items.
func corpusItems(t *testing.T) []corpusItem {
	t.Helper()
	var items []corpusItem
	for _, src := range corpusSources {
		data, err := os.ReadFile(filepath.Join("testdata", "real", src.file))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, block := range jsonBlocks(t, string(data)) {
			var records []any
			switch v := block[src.key].(type) {
			case []any:
				records = v
			case map[string]any:
				records = []any{v}
			default:
				continue
			}
			for _, rec := range records {
				m, _ := rec.(map[string]any)
				id, _ := m[src.idField].(string)
				if id == "" {
					t.Fatalf("%s: a record without %s", src.file, src.idField)
				}
				items = append(items, corpusItem{Version: "1.3", Status: "OK", CaptureTime: "2024-01-01T00:00:00.000Z",
					Account: corpusAccount, Region: corpusRegion, Type: src.resourceType, ID: id, Name: id, Configuration: lowerCamel(m)})
				n++
			}
		}
		if n == 0 {
			t.Fatalf("%s: no %s records found", src.file, src.key)
		}
	}
	return items
}

// writeSnapshot writes items as an AWS Config snapshot file.
func writeSnapshot(t *testing.T, path string, items any) {
	t.Helper()
	data, err := json.MarshalIndent(map[string]any{"fileVersion": "1.0", "configurationItems": items}, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// corpusPaths writes the corpus (examples turned into items, and the AWS
// Config example snapshot as published) to a temporary directory.
func corpusPaths(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	cli := filepath.Join(dir, "aws-cli-examples.json")
	writeSnapshot(t, cli, corpusItems(t))
	md, err := os.ReadFile("testdata/real/aws-config-developer-guide/deliver-snapshot-cli.md")
	if err != nil {
		t.Fatal(err)
	}
	var snapshot map[string]any
	for _, b := range jsonBlocks(t, string(md)) {
		if _, ok := b["configurationItems"]; ok {
			snapshot = b
		}
	}
	if snapshot == nil {
		t.Fatal("deliver-snapshot-cli.md: no example snapshot")
	}
	doc := filepath.Join(dir, "aws-config-example-snapshot.json")
	writeSnapshot(t, doc, snapshot["configurationItems"])
	paths := []string{cli, doc}
	// The AWS Config example change notifications, as SNS delivers them.
	md, err = os.ReadFile("testdata/real/aws-config-developer-guide/example-sns-notification.md")
	if err != nil {
		t.Fatal(err)
	}
	for i, b := range jsonBlocks(t, string(md)) {
		if b["Type"] != "Notification" {
			continue
		}
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, fmt.Sprintf("aws-config-example-notification-%d.json", i))
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	if len(paths) < 5 {
		t.Fatalf("example-sns-notification.md: %d notifications, want 3", len(paths)-2)
	}
	return paths
}

var accountID = regexp.MustCompile(`^[0-9]{12}$`)

var anyVPCID = regexp.MustCompile(`"(vpc-[0-9a-zA-Z]{4,17})"`)

// rawVPCs counts, independently of the builder, the resources whose raw
// configuration names each VPC: VPC id → resource ids.
func rawVPCs(inv *inventory.Inventory) map[string][]*inventory.Resource {
	out := map[string][]*inventory.Resource{}
	for _, r := range inv.Resources() {
		if r.Type == "AWS::EC2::VPC" {
			continue
		}
		seen := map[string]bool{}
		for _, m := range anyVPCID.FindAllSubmatch(r.Configuration, -1) {
			if id := string(m[1]); !seen[id] && strings.ContainsAny(id, "0123456789") {
				seen[id] = true
				out[id] = append(out[id], r)
			}
		}
	}
	return out
}

// TestRealCorpus builds every VPC the real examples name and fails when a
// resource of a VPC is neither drawn, nor folded into something drawn, nor
// named in a note.
func TestRealCorpus(t *testing.T) {
	cat := catalogT(t)
	paths := corpusPaths(t)
	inv := readInventory(t, paths...)
	byVPC := rawVPCs(inv)
	if len(byVPC) < 6 {
		t.Fatalf("the corpus names %d VPCs, want at least 6: %v", len(byVPC), slices.Sorted(maps.Keys(byVPC)))
	}

	// Without VPC items, Build says which items refer to the VPC and how to
	// get its item (#16.5).
	missing := MissingVPCs(inv)
	if len(missing) != len(byVPC) {
		t.Errorf("MissingVPCs found %d VPCs, the raw items name %d: %v", len(missing), len(byVPC), missing)
	}
	for _, ref := range missing {
		_, err := Build(cat, inv, Options{VPC: ref.ID, Account: ref.AccountID, Region: ref.Region})
		if !errs.Is(err, errs.NotFound) || !strings.Contains(err.Error(), "get-resource-config-history --resource-type AWS::EC2::VPC --resource-id "+ref.ID) {
			t.Errorf("Build(%s) without its VPC item: %v, want NotFound with how to get the item", ref.ID, err)
		}
	}

	// With a bare VPC item per VPC, every VPC builds and accounts for all
	// its resources.
	var stubs []corpusItem
	for _, ref := range missing {
		stubs = append(stubs, corpusItem{Version: "1.3", Status: "OK", CaptureTime: "2024-01-01T00:00:00.000Z", Account: ref.AccountID,
			Region: ref.Region, Type: "AWS::EC2::VPC", ID: ref.ID, Configuration: map[string]any{"vpcId": ref.ID}})
	}
	stubPath := filepath.Join(t.TempDir(), "vpcs.json")
	writeSnapshot(t, stubPath, stubs)
	inv = readInventory(t, append(paths, stubPath)...)
	results := map[string]*Result{}
	var report bytes.Buffer
	for _, v := range VPCs(inv) {
		res, err := Build(cat, inv, Options{VPC: v.ID, Account: v.AccountID, Region: v.Region})
		if err != nil {
			t.Errorf("build %s: %v", v.ID, err)
			continue
		}
		if err := res.Model.Validate(); err != nil {
			if accountID.MatchString(v.AccountID) {
				t.Errorf("build %s: invalid model: %v", v.ID, err)
			} else { // the AWS Config example snapshot has an 11-digit account id
				t.Logf("build %s: the model is invalid because the data's account id %q is: %v", v.ID, v.AccountID, err)
			}
		}
		results[v.ID] = res
		printVPC(&report, v, res)
		checkAccounted(t, v.ID, byVPC[v.ID], res)
	}
	t.Logf("real corpus, per VPC:\n%s", report.String())

	// What the examples hold, drawn as an architect expects.
	checks := []struct {
		vpc, component, typ, prop, value string
	}{
		// #16.1: a classic load balancer (zones as strings) is drawn.
		{"vpc-a01106c2", "clb:my-load-balancer", "aws.alb", "loadBalancerType", `"classic"`},
		{"vpc-a01106c2", "clb:my-load-balancer", "aws.alb", "internetFacing", `true`},
		// #16.3: the site-to-site VPN and its customer gateway outside.
		{"vpc-a01106c2", "vpn-40f41529", GenericType, "customerGatewayId", `"cgw-0e11f167"`},
		{"vpc-a01106c2", "cgw-0e11f167", "generic.on-premises", "ipAddress", `"12.1.2.3"`},
		// #16.3: peering, both sides.
		{"vpc-1a2b3c4d", "pcx-11122233", GenericType, "peerVpcId", `"vpc-123abc45"`},
		{"vpc-1a2b3c4d", "pcx-11122233", GenericType, "crossAccount", `true`},
		{"vpc-123abc45", "pcx-11122233", GenericType, "peerVpcId", `"vpc-1a2b3c4d"`},
		{"vpc-1a2b3c4d", "peer:vpc-123abc45", "generic.external-service", "accountId", `"444455556666"`},
		// Real AWS Config items (change notifications): an instance with
		// its security groups.
		{"vpc-14400670", "i-007d374c8912e3e90", "aws.ec2", "privateIp", ""},
		// #16.3: resources whose only VPC link is their configuration.
		{"vpc-0012b8e1cc0abb17d", "eks:my-eks-cluster", "aws.eks", "publicEndpoint", ""},
		{"vpc-3a4a5a6a", "elasticsearch-domain:vpc-cli-example", "aws.opensearch", "inVpc", "true"},
		{"vpc-a3e97cdb", "elasticache-cachecluster:my-cluster-003", "aws.elasticache", "subnetGroup", `"kxkxk"`},
		// #16.3: a Resolver endpoint and a transit gateway's far side.
		{"vpc-304bexam", "route53resolver-resolverendpoint:rslvr-out-d5e5920e37example", GenericType, "direction", `"OUTBOUND"`},
		{"vpc-3EXAMPLE", "tgw:tgw-02f776b1a7EXAMPLE", "aws.transit-gateway", PropAccelerator, ""},
		{"vpc-3EXAMPLE", "tgw-peer:vpc-0065acced4EXAMPLE", "generic.external-service", "attachmentType", `"vpc"`},
	}
	for _, c := range checks {
		res := results[c.vpc]
		if res == nil {
			t.Errorf("%s was not built", c.vpc)
			continue
		}
		comp := findComponent(res.Model, c.component)
		if comp == nil {
			t.Errorf("%s: no component %s; have %v", c.vpc, c.component, componentIDs(res.Model))
			continue
		}
		if comp.Type != c.typ {
			t.Errorf("%s: %s has type %s, want %s", c.vpc, c.component, comp.Type, c.typ)
		}
		if got, ok := comp.Properties[c.prop]; !ok || (c.value != "" && string(got) != c.value) {
			t.Errorf("%s: %s.%s = %s, want %s", c.vpc, c.component, c.prop, got, c.value)
		}
	}
	// #16.3: the VPN gateway is folded into the VPN and a flow joins the
	// customer gateway to it.
	if res := results["vpc-a01106c2"]; res != nil {
		if res.Folded["vgw-9a4cacf3"] != "vpn-40f41529" {
			t.Errorf("vgw-9a4cacf3 folded into %q, want the VPN connection", res.Folded["vgw-9a4cacf3"])
		}
		if !hasFlow(res.Model, "cgw-0e11f167", "vpn-40f41529", "IPsec") {
			t.Errorf("no IPsec flow from the customer gateway to the VPN")
		}
	}
	// #16.2: a DB snapshot is not drawn; with its database absent it is
	// named in a note. A DB subnet group is folded into the VPC.
	if res := results["vpc-6594f31c"]; res != nil {
		if findByResource(res.Model, "mydbsnapshot") != nil {
			t.Errorf("the DB snapshot mydbsnapshot is drawn")
		}
		if !slices.ContainsFunc(res.Stats.Notes, func(n string) bool { return strings.Contains(n, "mydbsnapshot") }) {
			t.Errorf("no note names the DB snapshot: %v", res.Stats.Notes)
		}
	}
	if res := results["vpc-971c12ee"]; res != nil {
		if findByResource(res.Model, "mydbsubnetgroup") != nil || res.Folded["mydbsubnetgroup"] == "" {
			t.Errorf("the DB subnet group is drawn or not folded (folded into %q)", res.Folded["mydbsubnetgroup"])
		}
	}
}

func printVPC(w io.Writer, v *inventory.Resource, res *Result) {
	types := map[string]int{}
	inferred := 0
	for _, c := range res.Model.Diagram.Components {
		types[c.Type]++
	}
	for _, f := range res.Model.Diagram.Flows {
		if _, ok := f.Properties[PropInferred]; ok {
			inferred++
		}
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(types)) {
		parts = append(parts, fmt.Sprintf("%s×%d", k, types[k]))
	}
	fmt.Fprintf(w, "%s (%s/%s): components %s; generic %v; flows %d (%d inferred); folded %d\n", v.ID, v.AccountID, v.Region,
		strings.Join(parts, " "), res.Stats.Generic, len(res.Model.Diagram.Flows), inferred, len(res.Folded))
	for _, n := range res.Stats.Notes {
		fmt.Fprintf(w, "    warning: %s\n", n)
	}
}

// checkAccounted fails for every resource naming vpc that the result
// neither draws, nor folds, nor names in a note.
func checkAccounted(t *testing.T, vpc string, rs []*inventory.Resource, res *Result) {
	t.Helper()
	for _, r := range rs {
		if findByResource(res.Model, r.ID) != nil || res.Folded[r.ID] != "" {
			continue
		}
		if slices.ContainsFunc(res.Stats.Notes, func(n string) bool { return strings.Contains(n, r.ID) }) {
			continue
		}
		t.Errorf("VPC %s: %s %s disappeared without a warning", vpc, r.Type, r.ID)
	}
}

func findComponent(m *model.ThreatModel, id string) *model.Component {
	for i := range m.Diagram.Components {
		if m.Diagram.Components[i].ID == id {
			return &m.Diagram.Components[i]
		}
	}
	return nil
}

func findByResource(m *model.ThreatModel, id string) any {
	for i, c := range m.Diagram.Components {
		if c.Resource != nil && c.Resource.ResourceID == id {
			return &m.Diagram.Components[i]
		}
	}
	for i, g := range m.Diagram.Groups {
		if g.Resource != nil && g.Resource.ResourceID == id {
			return &m.Diagram.Groups[i]
		}
	}
	return nil
}

func componentIDs(m *model.ThreatModel) []string {
	var out []string
	for _, c := range m.Diagram.Components {
		out = append(out, c.ID)
	}
	return out
}

func hasFlow(m *model.ThreatModel, src, dst, proto string) bool {
	return slices.ContainsFunc(m.Diagram.Flows, func(f model.Flow) bool {
		return f.Source == src && f.Target == dst && f.Protocol == proto
	})
}
