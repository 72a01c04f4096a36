package workflow

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/drift"
)

// clbEvent is the EventBridge "Config Configuration Item Change" event of
// a classic load balancer in the demo VPC, as AWS Config sends it: the
// configuration gives availabilityZones as plain strings and "vpcid" in
// lower case; a deletion carries no configuration and no relationships.
func clbEvent(t *testing.T, status, capture string, subnets []string, instance, group string) []byte {
	t.Helper()
	var conf any
	rels := []map[string]string{}
	changeType := "DELETE"
	if status != "ResourceDeleted" {
		changeType = "CREATE"
		conf = map[string]any{
			"loadBalancerName": "shop-eu-classic", "dnsname": "shop-eu-classic-1234567890.eu-west-1.elb.amazonaws.com",
			"scheme": "internet-facing", "vpcid": demoVPC, "subnets": subnets, "availabilityZones": []string{"eu-west-1a", "eu-west-1b"},
			"securityGroups": []string{group}, "instances": []map[string]string{{"instanceId": instance}},
			"listenerDescriptions": []map[string]any{{"listener": map[string]any{"protocol": "HTTP", "loadBalancerPort": 80, "instanceProtocol": "HTTP", "instancePort": 80}, "policyNames": []string{}}},
			"healthCheck":          map[string]any{"target": "HTTP:80/", "interval": 30, "timeout": 5, "unhealthyThreshold": 2, "healthyThreshold": 10},
		}
		rels = []map[string]string{
			{"resourceType": "AWS::EC2::VPC", "resourceId": demoVPC, "name": "Is attached to Vpc"},
			{"resourceType": "AWS::EC2::Instance", "resourceId": instance, "name": "Is associated with Instance"},
			{"resourceType": "AWS::EC2::SecurityGroup", "resourceId": group, "name": "Is associated with SecurityGroup"},
		}
	}
	ev := map[string]any{
		"version": "0", "id": "7d3c1a2e-0000-4000-8000-00000000c1b" + changeType[:1], "detail-type": "Config Configuration Item Change", "source": "aws.config",
		"account": demoAccount, "time": capture, "region": demoRegion, "resources": []string{"arn:aws:elasticloadbalancing:eu-west-1:" + demoAccount + ":loadbalancer/shop-eu-classic"},
		"detail": map[string]any{
			"recordVersion": "1.3", "messageType": "ConfigurationItemChangeNotification", "notificationCreationTime": capture,
			"configurationItemDiff": map[string]any{"changeType": changeType, "changedProperties": map[string]any{}},
			"configurationItem": map[string]any{
				"configurationItemVersion": "1.3", "configurationItemCaptureTime": capture, "configurationItemStatus": status,
				"awsAccountId": demoAccount, "awsRegion": demoRegion, "resourceType": "AWS::ElasticLoadBalancing::LoadBalancer",
				"resourceId": "shop-eu-classic", "resourceName": "shop-eu-classic", "ARN": "arn:aws:elasticloadbalancing:eu-west-1:" + demoAccount + ":loadbalancer/shop-eu-classic",
				"availabilityZone": "Multiple Availability Zones", "tags": map[string]string{}, "relationships": rels, "configuration": conf,
				"supplementaryConfiguration": map[string]any{},
			},
		},
	}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestClassicLoadBalancerEvents: a classic load balancer's creation and
// deletion, posted as change events in files mode, mark the demo VPC's
// model out of sync and the next check names the load balancer (only in
// the VPC, then, after a sync, only in the model).
func TestClassicLoadBalancerEvents(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	run, _ := f.build(t, Request{AccountID: demoAccount, Region: demoRegion, VPC: demoVPC})

	all, err := f.e.inventory(ctx, "acme", demoAccount, demoRegion)
	if err != nil {
		t.Fatal(err)
	}
	var subnets []string
	var instance, group string
	for _, r := range all.Resources() {
		if !json.Valid(r.Configuration) || !slices.Contains([]string{"AWS::EC2::Subnet", "AWS::EC2::Instance", "AWS::EC2::SecurityGroup"}, r.Type) {
			continue
		}
		var c struct {
			VpcID    string `json:"vpcId"`
			SubnetID string `json:"subnetId"`
		}
		if json.Unmarshal(r.Configuration, &c) != nil || c.VpcID != demoVPC {
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
	if len(subnets) < 2 || instance == "" || group == "" {
		t.Fatalf("demo VPC: subnets %v, instance %q, group %q", subnets, instance, group)
	}

	steps := []struct {
		name, status, capture string
		want                  drift.Kind
	}{
		{"created", "ResourceDiscovered", "2026-10-03T09:00:00.000Z", drift.OnlyInVPC},
		{"deleted", "ResourceDeleted", "2026-10-03T10:00:00.000Z", drift.OnlyInModel},
	}
	for _, s := range steps {
		res, err := f.e.ReceiveEvent(ctx, clbEvent(t, s.status, s.capture, subnets[:2], instance, group), "acme")
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if len(res.Marked) != 1 || res.Marked[0].ModelID != run.ModelID {
			t.Errorf("%s: marked %+v, want the demo VPC's model", s.name, res.Marked)
		}
		l, err := f.e.Check(ctx, "acme", run.ModelID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(l.Drift.Changes, func(c drift.Change) bool {
			return c.Kind == s.want && c.ResourceType == "AWS::ElasticLoadBalancing::LoadBalancer" && c.ID == "clb:shop-eu-classic"
		}) || len(l.Pending) != 0 {
			t.Errorf("%s: the check does not show %s clb:shop-eu-classic: %+v (pending %v)", s.name, s.want, l.Drift.Changes, l.Pending)
		}
		m, err := f.e.models().Get(ctx, "acme", run.ModelID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.e.Sync(ctx, "acme", run.ModelID, m.Revision); err != nil {
			t.Fatal(err)
		}
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
