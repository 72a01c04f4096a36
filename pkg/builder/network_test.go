package builder

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

// netInventory is a small VPC (one subnet, public through an internet
// gateway) plus extra resources.
func netInventory(t *testing.T, extra ...*inventory.Resource) *inventory.Inventory {
	t.Helper()
	inv := inventory.New()
	res := func(typ, id string, conf any) *inventory.Resource {
		raw, err := json.Marshal(conf)
		if err != nil {
			t.Fatal(err)
		}
		return &inventory.Resource{Type: typ, ID: id, AccountID: "111111111111", Region: "us-west-2", Configuration: raw}
	}
	for _, r := range []*inventory.Resource{
		res("AWS::EC2::VPC", "vpc-a01106c2", map[string]any{"vpcId": "vpc-a01106c2", "cidrBlock": "10.0.0.0/16"}),
		res("AWS::EC2::Subnet", "subnet-15aaab61", map[string]any{"subnetId": "subnet-15aaab61", "vpcId": "vpc-a01106c2", "availabilityZone": "us-west-2a", "cidrBlock": "10.0.0.0/24"}),
		res("AWS::EC2::Subnet", "subnet-25bbbc72", map[string]any{"subnetId": "subnet-25bbbc72", "vpcId": "vpc-a01106c2", "availabilityZone": "us-west-2b", "cidrBlock": "10.0.1.0/24"}),
		res("AWS::EC2::RouteTable", "rtb-11111111", map[string]any{"routeTableId": "rtb-11111111", "vpcId": "vpc-a01106c2",
			"routes": []any{map[string]any{"destinationCidrBlock": "0.0.0.0/0", "gatewayId": "igw-11111111"}}}),
		res("AWS::EC2::InternetGateway", "igw-11111111", map[string]any{"attachments": []any{map[string]any{"vpcId": "vpc-a01106c2", "state": "available"}}}),
	} {
		inv.Add(r)
	}
	for _, r := range extra {
		if r.AccountID == "" {
			r.AccountID, r.Region = "111111111111", "us-west-2"
		}
		inv.Add(r)
	}
	return inv
}

// realELB returns the classic load balancer of the AWS CLI example as a
// configuration item, its configuration changed by change.
func realELB(t *testing.T, change func(map[string]any)) *inventory.Resource {
	t.Helper()
	for _, it := range corpusItems(t) {
		if it.Type == "AWS::ElasticLoadBalancing::LoadBalancer" {
			conf := it.Configuration.(map[string]any)
			change(conf)
			raw, err := json.Marshal(conf)
			if err != nil {
				t.Fatal(err)
			}
			if len(conf) == 0 { // an item without configuration
				raw = nil
			}
			return &inventory.Resource{Type: it.Type, ID: it.ID, Name: it.ID, Configuration: raw,
				Relationships: []inventory.Relationship{{Type: "AWS::EC2::Subnet", ID: "subnet-15aaab61", Relation: "Is attached to Subnet"}}}
		}
	}
	t.Fatal("no classic load balancer in the corpus")
	return nil
}

func raw(t *testing.T, typ, id string, conf string) *inventory.Resource {
	t.Helper()
	if !json.Valid([]byte(conf)) {
		t.Fatalf("%s: invalid JSON", id)
	}
	return &inventory.Resource{Type: typ, ID: id, Configuration: json.RawMessage(conf)}
}

func TestClassicLoadBalancer(t *testing.T) {
	tests := []struct {
		name     string
		change   func(map[string]any)
		wantNote bool
		wantFlow bool // internet → IGW → load balancer on its listeners
	}{
		{name: "real item (zones as strings)", change: func(map[string]any) {}, wantFlow: true},
		{name: "configuration that does not parse", change: func(c map[string]any) { c["subnets"] = "subnet-15aaab61" }, wantNote: true},
		{name: "no configuration", change: func(c map[string]any) { clear(c) }, wantNote: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inv := netInventory(t, realELB(t, tc.change),
				raw(t, "AWS::EC2::SubnetRouteTableAssociation", "rtbassoc-1", `{"SubnetId":"subnet-15aaab61","RouteTableId":"rtb-11111111"}`))
			res, err := Build(catalogT(t), inv, Options{VPC: "vpc-a01106c2"})
			if err != nil {
				t.Fatal(err)
			}
			c := findComponent(res.Model, "clb:my-load-balancer")
			if c == nil {
				t.Fatalf("the classic load balancer is not drawn: %v (notes %v)", componentIDs(res.Model), res.Stats.Notes)
			}
			if c.Parent != "subnet-15aaab61" {
				t.Errorf("parent %s, want subnet-15aaab61", c.Parent)
			}
			noted := slices.ContainsFunc(res.Stats.Notes, func(n string) bool {
				return strings.Contains(n, "AWS::ElasticLoadBalancing::LoadBalancer my-load-balancer") && strings.Contains(n, "could not be read")
			})
			if noted != tc.wantNote {
				t.Errorf("note naming it: %v, want %v (%v)", noted, tc.wantNote, res.Stats.Notes)
			}
			if got := string(c.Properties["configurationUnread"]); (got == "true") != tc.wantNote {
				t.Errorf("configurationUnread = %q", got)
			}
			if got := hasFlow(res.Model, "igw-11111111", "clb:my-load-balancer", "HTTPS"); got != tc.wantFlow {
				t.Errorf("internet HTTPS flow to the load balancer: %v, want %v", got, tc.wantFlow)
			}
		})
	}
}

func TestFoldsAndLinks(t *testing.T) {
	inv := netInventory(t,
		// Associations as CloudFormation-shaped Config items.
		raw(t, "AWS::EC2::SubnetRouteTableAssociation", "rtbassoc-2dbd114d", `{"SubnetId":"subnet-15aaab61","RouteTableId":"rtb-11111111","Id":"rtbassoc-2dbd114d"}`),
		raw(t, "AWS::EC2::SubnetNetworkAclAssociation", "aclassoc-5aac153d", `{"SubnetId":"subnet-25bbbc72","NetworkAclId":"acl-22222222"}`),
		raw(t, "AWS::EC2::VPCGatewayAttachment", "IGW|vpc-a01106c2", `{"VpcId":"vpc-a01106c2","InternetGatewayId":"igw-11111111"}`),
		raw(t, "AWS::Route53Resolver::ResolverRuleAssociation", "rslvr-rrassoc-1", `{"VPCId":"vpc-a01106c2","ResolverRuleId":"rslvr-rr-1","Name":"corp"}`),
		// A database, its subnet group and two snapshots.
		raw(t, "AWS::RDS::DBSubnetGroup", "orders-subnets", `{"dBSubnetGroupName":"orders-subnets","vpcId":"vpc-a01106c2","subnets":[{"subnetIdentifier":"subnet-25bbbc72"}]}`),
		raw(t, "AWS::RDS::DBInstance", "db-ORDERS", `{"dBInstanceIdentifier":"orders","engine":"postgres","availabilityZone":"us-west-2b","dBSubnetGroup":{"dBSubnetGroupName":"orders-subnets","vpcId":"vpc-a01106c2","subnets":[{"subnetIdentifier":"subnet-25bbbc72","subnetAvailabilityZone":{"name":"us-west-2b"}}]}}`),
		raw(t, "AWS::RDS::DBSnapshot", "rds:orders-2024-01-01", `{"dBSnapshotIdentifier":"rds:orders-2024-01-01","dBInstanceIdentifier":"orders","vpcId":"vpc-a01106c2","encrypted":false}`),
		raw(t, "AWS::RDS::DBSnapshot", "orders-manual", `{"dBSnapshotIdentifier":"orders-manual","dBInstanceIdentifier":"orders","vpcId":"vpc-a01106c2","encrypted":true}`),
		// Resources whose only VPC link is their configuration.
		raw(t, "AWS::OpenSearch::Domain", "search", `{"DomainName":"search","VPCOptions":{"SubnetIds":["subnet-25bbbc72"],"SecurityGroupIds":[]}}`),
		raw(t, "AWS::ElastiCache::SubnetGroup", "cache-subnets", `{"cacheSubnetGroupName":"cache-subnets","vpcId":"vpc-a01106c2","subnets":[{"subnetIdentifier":"subnet-15aaab61"}]}`),
		raw(t, "AWS::ElastiCache::CacheCluster", "sessions", `{"cacheClusterId":"sessions","engine":"redis","cacheSubnetGroupName":"cache-subnets"}`),
		raw(t, "AWS::ElastiCache::ReplicationGroup", "sessions-group", `{"replicationGroupId":"sessions-group","memberClusters":["sessions"]}`),
		raw(t, "AWS::Route53Resolver::ResolverEndpoint", "rslvr-in-1", `{"Id":"rslvr-in-1","Direction":"INBOUND","HostVPCId":"vpc-a01106c2","IpAddresses":[{"SubnetId":"subnet-25bbbc72","Ip":"10.0.1.10"},{"SubnetId":"subnet-15aaab61"}]}`),
	)
	res, err := Build(catalogT(t), inv, Options{VPC: "vpc-a01106c2"})
	if err != nil {
		t.Fatal(err)
	}
	if err := res.Model.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"rtbassoc-2dbd114d", "aclassoc-5aac153d", "IGW|vpc-a01106c2", "rslvr-rrassoc-1", "orders-subnets", "rds:orders-2024-01-01", "orders-manual", "cache-subnets", "sessions-group"} {
		if findByResource(res.Model, id) != nil {
			t.Errorf("%s is drawn; it should be folded", id)
		}
		if res.Folded[id] == "" {
			t.Errorf("%s is not recorded as folded", id)
		}
	}
	if g := res.Stats.Generic; len(g) != 0 && (g["AWS::EC2::SubnetRouteTableAssociation"] > 0 || g["AWS::RDS::DBSnapshot"] > 0) {
		t.Errorf("associations or snapshots drawn as generic components: %v", g)
	}
	db := findComponent(res.Model, "rds:db-ORDERS")
	if db == nil {
		t.Fatalf("no database: %v", componentIDs(res.Model))
	}
	for k, want := range map[string]string{"snapshots": `["orders-manual","rds:orders-2024-01-01"]`, "unencryptedSnapshots": "true", "subnetGroup": `"orders-subnets"`} {
		if got := string(db.Properties[k]); got != want {
			t.Errorf("database %s = %s, want %s", k, got, want)
		}
	}
	// The association's route table makes subnet-15aaab61 public; the
	// ACL association lands on its subnet; the rule association on the VPC.
	for _, g := range res.Model.Diagram.Groups {
		switch g.ID {
		case "subnet-15aaab61":
			if string(g.Properties["public"]) != "true" {
				t.Errorf("subnet-15aaab61 public = %s, want true (route table association)", g.Properties["public"])
			}
		case "subnet-25bbbc72":
			if string(g.Properties["networkAcls"]) != `["acl-22222222"]` {
				t.Errorf("subnet-25bbbc72 networkAcls = %s", g.Properties["networkAcls"])
			}
		case "vpc-a01106c2":
			if string(g.Properties["resolverRules"]) != `["rslvr-rr-1"]` {
				t.Errorf("VPC resolverRules = %s", g.Properties["resolverRules"])
			}
		}
	}
	for id, parent := range map[string]string{
		"opensearch-domain:search":                    "subnet-25bbbc72",
		"elasticache-cachecluster:sessions":           "subnet-15aaab61",
		"route53resolver-resolverendpoint:rslvr-in-1": "subnet-15aaab61",
	} {
		c := findComponent(res.Model, id)
		if c == nil {
			t.Errorf("%s not drawn: %v", id, componentIDs(res.Model))
			continue
		}
		if c.Parent != parent {
			t.Errorf("%s in %s, want %s", id, c.Parent, parent)
		}
	}
}
