package drift

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/builder"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/inventory"
	"github.com/bulwark-tm/bulwark/pkg/inventory/synth"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// drawnTypes are the AWS types the builder draws as an element of its own
// (pkg/builder: builder.go's resource, with the generic path represented
// by SageMaker and ElastiCache). Every one must have a create and a delete
// case below; a type added to the builder belongs here.
var drawnTypes = []string{
	"AWS::EC2::Subnet",
	"AWS::EC2::Instance",
	"AWS::EC2::InternetGateway",
	"AWS::EC2::NatGateway",
	"AWS::EC2::TransitGatewayAttachment",
	"AWS::EC2::VPCEndpoint",
	"AWS::ECS::Service",
	"AWS::EKS::Cluster",
	"AWS::ElasticLoadBalancingV2::LoadBalancer",
	"AWS::ElasticLoadBalancing::LoadBalancer",
	"AWS::Lambda::Function",
	"AWS::RDS::DBInstance",
	"AWS::RDS::DBCluster",
	"AWS::Redshift::Cluster",
	"AWS::SageMaker::NotebookInstance",
	"AWS::ElastiCache::CacheCluster",
	"AWS::OpenSearch::Domain",
	"AWS::Route53Resolver::ResolverEndpoint",
	"AWS::EC2::VPCPeeringConnection",
	"AWS::EC2::VPNConnection", // with its customer gateway, drawn only beside it (AWS refuses to delete one a VPN uses)
}

// alsoDrawn lists elements drawn only with a resource of the type: they
// come and go with it.
var alsoDrawn = map[string][]string{
	"AWS::EC2::VPNConnection": {"cgw-0f10a0b0c0d0e0f01"},
}

// extraItems writes, beside the synthetic organization, configuration
// items of types it lacks, as AWS Config records them, in the VPC
// vpc: a classic load balancer (availability zones as plain strings, as
// real snapshots give them) in front of an instance, a Redis cache, an
// OpenSearch domain, an inbound Resolver endpoint, a peering connection to
// another account's VPC, and a site-to-site VPN with its customer gateway.
func extraItems(t testing.TB, dir string, inv *inventory.Inventory, vpc string) {
	t.Helper()
	var subnets []string
	var instance, group string
	for _, r := range inv.Resources() {
		if !strings.Contains(string(r.Configuration), vpc) {
			continue
		}
		switch r.Type {
		case "AWS::EC2::Subnet":
			subnets = append(subnets, r.ID)
		case "AWS::EC2::Instance":
			instance = cmpOr(instance, r.ID)
		case "AWS::EC2::SecurityGroup":
			group = cmpOr(group, r.ID)
		}
	}
	slices.Sort(subnets)
	item := func(typ, id, arn string, conf any, rels ...map[string]string) map[string]any {
		return map[string]any{
			"configurationItemVersion": "1.3", "configurationItemCaptureTime": "2026-10-01T08:00:00.000Z", "configurationItemStatus": "OK",
			"awsAccountId": account, "awsRegion": "us-east-1", "resourceType": typ, "resourceId": id, "resourceName": id, "ARN": arn,
			"availabilityZone": "Multiple Availability Zones", "relationships": rels, "configuration": conf, "supplementaryConfiguration": map[string]any{}, "tags": map[string]string{"Name": id},
		}
	}
	rel := func(typ, id, name string) map[string]string {
		return map[string]string{"resourceType": typ, "resourceId": id, "name": name}
	}
	items := []map[string]any{
		item("AWS::ElasticLoadBalancing::LoadBalancer", "web-classic", "arn:aws:elasticloadbalancing:us-east-1:"+account+":loadbalancer/web-classic", map[string]any{
			"loadBalancerName": "web-classic", "dnsname": "web-classic-1234567890.us-east-1.elb.amazonaws.com", "scheme": "internet-facing",
			"vpcid": vpc, "subnets": subnets[:2], "availabilityZones": []string{"us-east-1a", "us-east-1b"}, "securityGroups": []string{group},
			"listenerDescriptions": []map[string]any{{"listener": map[string]any{"protocol": "HTTP", "loadBalancerPort": 80, "instanceProtocol": "HTTP", "instancePort": 80}, "policyNames": []string{}}},
			"instances":            []map[string]string{{"instanceId": instance}}, "backendServerDescriptions": []any{},
			"healthCheck": map[string]any{"target": "HTTP:80/", "interval": 30, "timeout": 5, "unhealthyThreshold": 2, "healthyThreshold": 10},
		}, rel("AWS::EC2::VPC", vpc, "Is attached to Vpc"), rel("AWS::EC2::Subnet", subnets[0], "Is attached to Subnet"), rel("AWS::EC2::Instance", instance, "Is associated with Instance"), rel("AWS::EC2::SecurityGroup", group, "Is associated with SecurityGroup")),
		item("AWS::ElastiCache::CacheCluster", "web-sessions-001", "arn:aws:elasticache:us-east-1:"+account+":cluster:web-sessions-001", map[string]any{
			"cacheClusterId": "web-sessions-001", "engine": "redis", "cacheNodeType": "cache.t4g.small", "numCacheNodes": 1, "cacheSubnetGroupName": "web-sessions",
			"cacheNodes":     []map[string]any{{"cacheNodeId": "0001", "endpoint": map[string]any{"address": "web-sessions-001.abcdef.0001.use1.cache.amazonaws.com", "port": 6379}}},
			"securityGroups": []map[string]string{{"securityGroupId": group, "status": "active"}},
		}, rel("AWS::EC2::VPC", vpc, "Is contained in Vpc"), rel("AWS::EC2::SecurityGroup", group, "Is associated with SecurityGroup")),
	}
	items = append(items,
		item("AWS::OpenSearch::Domain", account+"/web-search", "arn:aws:es:us-east-1:"+account+":domain/web-search", map[string]any{
			"domainName": "web-search", "engineVersion": "OpenSearch_2.11", "domainId": account + "/web-search",
			"vpcOptions":              map[string]any{"subnetIds": subnets[:1], "securityGroupIds": []string{group}, "vpcId": vpc, "availabilityZones": []string{"us-east-1a"}},
			"encryptionAtRestOptions": map[string]any{"enabled": true}, "nodeToNodeEncryptionOptions": map[string]any{"enabled": true},
		}),
		item("AWS::Route53Resolver::ResolverEndpoint", "rslvr-in-0f10a0b0c0d0e0f01", "arn:aws:route53resolver:us-east-1:"+account+":resolver-endpoint/rslvr-in-0f10a0b0c0d0e0f01", map[string]any{
			"id": "rslvr-in-0f10a0b0c0d0e0f01", "name": "web-inbound", "direction": "INBOUND", "hostVPCId": vpc, "securityGroupIds": []string{group},
			"ipAddressCount": 2, "status": "OPERATIONAL",
			"ipAddresses": []map[string]string{{"subnetId": subnets[0], "ip": "10.1.0.53"}, {"subnetId": subnets[1], "ip": "10.1.1.53"}},
		}),
		item("AWS::EC2::VPCPeeringConnection", "pcx-0f10a0b0c0d0e0f01", "arn:aws:ec2:us-east-1:"+account+":vpc-peering-connection/pcx-0f10a0b0c0d0e0f01", map[string]any{
			"vpcPeeringConnectionId": "pcx-0f10a0b0c0d0e0f01", "status": map[string]string{"code": "active", "message": "Active"},
			"requesterVpcInfo": map[string]string{"ownerId": account, "vpcId": vpc, "cidrBlock": "10.1.0.0/16", "region": "us-east-1"},
			"accepterVpcInfo":  map[string]string{"ownerId": "222222222222", "vpcId": "vpc-0f20a0b0c0d0e0f01", "cidrBlock": "10.50.0.0/16", "region": "us-east-1"},
		}, rel("AWS::EC2::VPC", vpc, "Is associated with Vpc")),
		item("AWS::EC2::VPNGateway", "vgw-0f10a0b0c0d0e0f01", "arn:aws:ec2:us-east-1:"+account+":vpn-gateway/vgw-0f10a0b0c0d0e0f01", map[string]any{
			"vpnGatewayId": "vgw-0f10a0b0c0d0e0f01", "state": "available", "type": "ipsec.1", "amazonSideAsn": 64512,
			"vpcAttachments": []map[string]string{{"state": "attached", "vpcId": vpc}},
		}, rel("AWS::EC2::VPC", vpc, "Is attached to Vpc")),
		item("AWS::EC2::CustomerGateway", "cgw-0f10a0b0c0d0e0f01", "arn:aws:ec2:us-east-1:"+account+":customer-gateway/cgw-0f10a0b0c0d0e0f01", map[string]any{
			"customerGatewayId": "cgw-0f10a0b0c0d0e0f01", "bgpAsn": "65000", "ipAddress": "203.0.113.12", "state": "available", "type": "ipsec.1",
		}),
		item("AWS::EC2::VPNConnection", "vpn-0f10a0b0c0d0e0f01", "arn:aws:ec2:us-east-1:"+account+":vpn-connection/vpn-0f10a0b0c0d0e0f01", map[string]any{
			"vpnConnectionId": "vpn-0f10a0b0c0d0e0f01", "customerGatewayId": "cgw-0f10a0b0c0d0e0f01", "vpnGatewayId": "vgw-0f10a0b0c0d0e0f01",
			"type": "ipsec.1", "category": "VPN", "state": "available", "options": map[string]any{"staticRoutesOnly": true},
			"vgwTelemetry": []map[string]any{{"status": "UP", "outsideIpAddress": "198.51.100.10"}, {"status": "DOWN", "outsideIpAddress": "198.51.100.11"}},
		}, rel("AWS::EC2::CustomerGateway", "cgw-0f10a0b0c0d0e0f01", "Is attached to CustomerGateway"), rel("AWS::EC2::VPNGateway", "vgw-0f10a0b0c0d0e0f01", "Is attached to VPNGateway")),
	)
	data, err := json.Marshal(map[string]any{"fileVersion": "1.0", "configSnapshotId": "00000000-0000-4000-8000-000000000008", "configurationItems": items})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, account+"_Config_us-east-1_ConfigSnapshot_20261001T080000Z_extra.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// notification returns the ConfigurationItemChangeNotification AWS Config
// sends when r changes to status, after r's capture time: a deletion
// carries no configuration.
func notification(t testing.TB, r *inventory.Resource, status string, after time.Duration) []byte {
	t.Helper()
	rels := []map[string]string{}
	for _, rel := range r.Relationships {
		m := map[string]string{"resourceType": rel.Type, "name": rel.Relation}
		if rel.ID != "" {
			m["resourceId"] = rel.ID
		}
		if rel.Name != "" {
			m["resourceName"] = rel.Name
		}
		rels = append(rels, m)
	}
	item := map[string]any{
		"configurationItemVersion": "1.3", "configurationItemCaptureTime": r.CaptureTime.Add(after).UTC().Format("2006-01-02T15:04:05.000Z"),
		"configurationItemStatus": status, "awsAccountId": r.AccountID, "awsRegion": r.Region, "resourceType": r.Type, "resourceId": r.ID,
		"resourceName": r.Name, "ARN": r.ARN, "availabilityZone": r.AvailabilityZone, "tags": r.Tags, "relationships": rels,
		"configuration": nil, "supplementaryConfiguration": map[string]any{},
	}
	changeType := "DELETE"
	if status != inventory.StatusDeleted {
		item["configuration"] = r.Configuration
		changeType = "CREATE"
	}
	data, err := json.Marshal(map[string]any{"messageType": "ConfigurationItemChangeNotification", "recordVersion": "1.3",
		"notificationCreationTime": r.CaptureTime.Add(after).UTC().Format(time.RFC3339), "configurationItemDiff": map[string]any{"changeType": changeType, "changedProperties": map[string]any{}},
		"configurationItem": item})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// TestDriftEveryDrawnType deletes and creates one resource of every type
// the builder draws, as AWS Config reports it (a ResourceDeleted item
// captured later; a resource absent when the model was built), and
// requires the drift to name that element: only in the model after a
// deletion, only in the VPC after a creation.
func TestDriftEveryDrawnType(t *testing.T) {
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	vpcs := append(slices.Clone(testVPCs), synth.VPC{Account: account, Region: "us-east-1", Name: "lake", CIDR: "10.3.0.0/16", Kind: synth.DataPlatform, Zones: 1, Scale: 1})
	if _, err := synth.Write(dir, vpcs); err != nil {
		t.Fatal(err)
	}
	read := func() *inventory.Inventory {
		r := inventory.NewReader(nil)
		if err := r.ReadPaths(context.Background(), dir); err != nil {
			t.Fatal(err)
		}
		return r.Inventory
	}
	extraItems(t, dir, read(), vpcNamed(t, read(), "web"))
	inv := read()

	// One drawn resource of each type, with its VPC and element id.
	type sample struct {
		vpc string
		res *inventory.Resource
		id  string
	}
	samples := map[string]sample{}
	for _, name := range []string{"web", "svc", "lake"} {
		vpc := vpcNamed(t, inv, name)
		m := build(t, cat, inv, vpc)
		note := func(id string, res *model.AWSResource) {
			if res == nil {
				return
			}
			if _, seen := samples[res.ResourceType]; seen {
				return
			}
			if r := inv.Get(inventory.Key{AccountID: res.AccountID, Region: res.Region, Type: res.ResourceType, ID: res.ResourceID}); r != nil {
				samples[res.ResourceType] = sample{vpc, r, id}
			}
		}
		for _, c := range m.Diagram.Components {
			note(c.ID, c.Resource)
		}
		for _, g := range m.Diagram.Groups {
			note(g.ID, g.Resource)
		}
	}
	for _, typ := range drawnTypes {
		s, ok := samples[typ]
		if !ok {
			t.Errorf("%s: the test data draws no resource of this type", typ)
			continue
		}
		if s.id != builder.ComponentID(s.res) {
			t.Errorf("%s: element %s, ComponentID %s", typ, s.id, builder.ComponentID(s.res))
		}
		// The change notifications AWS Config sends: the deletion an hour
		// after the snapshot, the resource back (created again) an hour
		// later.
		deletion := notification(t, s.res, inventory.StatusDeleted, time.Hour)
		creation := notification(t, s.res, "ResourceDiscovered", 2*time.Hour)
		withNotes := func(t *testing.T, notes ...[]byte) *inventory.Inventory {
			r := inventory.NewReader(nil)
			if err := r.ReadPaths(context.Background(), dir); err != nil {
				t.Fatal(err)
			}
			for i, n := range notes {
				if res := r.Parse(context.Background(), fmt.Sprintf("notification-%d.json", i), n); res.Err != nil || res.Items != 1 {
					t.Fatalf("notification %d: %v, %d items, skipped %v", i, res.Err, res.Items, res.Skipped)
				}
			}
			r.Inventory.Resolve()
			return r.Inventory
		}
		want := func(t *testing.T, rep *Report, kind Kind) {
			t.Helper()
			for _, id := range append([]string{s.id}, alsoDrawn[typ]...) {
				if !slices.ContainsFunc(rep.Changes, func(c Change) bool { return c.Kind == kind && c.ID == id && c.ResourceType != "" }) {
					var got []string
					for _, c := range rep.Changes {
						got = append(got, string(c.Kind)+" "+c.Element+" "+c.ID)
					}
					t.Errorf("no %s change for %s (deleting or creating %s %s); the drift is:\n  %s", kind, id, typ, s.id, strings.Join(got, "\n  "))
				}
			}
		}
		t.Run(typ+"/delete", func(t *testing.T) {
			m := build(t, cat, read(), s.vpc)
			rep, _, err := Compare(cat, m, withNotes(t, deletion))
			if err != nil {
				t.Fatal(err)
			}
			want(t, rep, OnlyInModel)
		})
		t.Run(typ+"/create", func(t *testing.T) {
			m := build(t, cat, withNotes(t, deletion), s.vpc)
			if hasID(&m.Diagram, s.id) {
				t.Fatalf("%s is drawn although deleted", s.id)
			}
			rep, _, err := Compare(cat, m, withNotes(t, deletion, creation))
			if err != nil {
				t.Fatal(err)
			}
			want(t, rep, OnlyInVPC)
		})
	}
}
