package builder

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/model"
)

// The VPC of the shared-security-group case the issue measured: one group
// (sg-data) protects a MySQL database, a Redshift cluster and a Redis
// cache and opens all three ports to the application group (sg-app),
// which the instance, the Lambda function and the interface endpoints
// share; an administration group (sg-admin) of a bastion may reach
// sg-data on every port; the endpoints' own group opens 443 to sg-app.
const (
	fxAccount = "111111111111"
	fxRegion  = "eu-west-1"
	fxVPC     = "vpc-0f10a0b0c0d0e0f01"
	fxSubnetA = "subnet-0f10a0b0c0d0e0a01"
	fxSubnetB = "subnet-0f10a0b0c0d0e0b01"
	fxApp     = "sg-0f10a0b0c0d0e0a99"
	fxData    = "sg-0f10a0b0c0d0e0d99"
	fxAdmin   = "sg-0f10a0b0c0d0e0c99"
	fxEPs     = "sg-0f10a0b0c0d0e0e99"
)

type fxItem struct {
	typ, id, arn string
	conf         any
	rels         [][2]string // resource type, id
	name         string
}

func (i fxItem) json() map[string]any {
	rels := []map[string]any{}
	for _, r := range i.rels {
		rels = append(rels, map[string]any{"resourceType": r[0], "resourceId": r[1], "name": "Is associated with " + strings.TrimPrefix(r[0], "AWS::EC2::")})
	}
	tags := map[string]string{}
	if i.name != "" {
		tags["Name"] = i.name
	}
	return map[string]any{
		"configurationItemVersion": "1.3", "configurationItemCaptureTime": "2026-10-01T08:00:00.000Z", "configurationItemStatus": "OK",
		"awsAccountId": fxAccount, "awsRegion": fxRegion, "resourceType": i.typ, "resourceId": i.id, "ARN": i.arn, "resourceName": i.name,
		"availabilityZone": "eu-west-1a", "relationships": rels, "configuration": i.conf, "supplementaryConfiguration": map[string]any{}, "tags": tags,
	}
}

func tcp(port int, from ...string) map[string]any {
	return perm("tcp", port, port, from...)
}

func perm(proto string, fromPort, toPort int, from ...string) map[string]any {
	pairs := []map[string]any{}
	for _, g := range from {
		pairs = append(pairs, map[string]any{"groupId": g, "userId": fxAccount})
	}
	p := map[string]any{"ipProtocol": proto, "ipv4Ranges": []any{}, "ipRanges": []any{}, "userIdGroupPairs": pairs}
	if proto != "-1" {
		p["fromPort"], p["toPort"] = fromPort, toPort
	}
	return p
}

func sg(id, name string, perms ...map[string]any) fxItem {
	return fxItem{typ: "AWS::EC2::SecurityGroup", id: id, name: name, conf: map[string]any{"groupId": id, "groupName": name, "vpcId": fxVPC, "ipPermissions": perms}}
}

// sharedGroupVPC writes the snapshot and returns its folder.
func sharedGroupVPC(t *testing.T) string {
	t.Helper()
	inVPC := [2]string{"AWS::EC2::VPC", fxVPC}
	items := []fxItem{
		{typ: "AWS::EC2::VPC", id: fxVPC, name: "shared", conf: map[string]any{"vpcId": fxVPC, "cidrBlock": "10.20.0.0/16"}},
		{typ: "AWS::EC2::Subnet", id: fxSubnetA, conf: map[string]any{"subnetId": fxSubnetA, "vpcId": fxVPC, "availabilityZone": "eu-west-1a", "cidrBlock": "10.20.1.0/24"}, rels: [][2]string{inVPC}},
		{typ: "AWS::EC2::Subnet", id: fxSubnetB, conf: map[string]any{"subnetId": fxSubnetB, "vpcId": fxVPC, "availabilityZone": "eu-west-1b", "cidrBlock": "10.20.2.0/24"}, rels: [][2]string{inVPC}},
		sg(fxApp, "app"),
		sg(fxAdmin, "admin"),
		sg(fxData, "data", tcp(3306, fxApp), tcp(5439, fxApp), tcp(6379, fxApp), perm("-1", 0, 0, fxAdmin)),
		sg(fxEPs, "endpoints", tcp(443, fxApp)),
		{typ: "AWS::EC2::Instance", id: "i-0f10a0b0c0d0e0f11", name: "app", conf: map[string]any{"instanceId": "i-0f10a0b0c0d0e0f11", "subnetId": fxSubnetA, "vpcId": fxVPC,
			"securityGroups": []map[string]string{{"groupId": fxApp, "groupName": "app"}}}},
		{typ: "AWS::EC2::Instance", id: "i-0f10a0b0c0d0e0f12", name: "bastion", conf: map[string]any{"instanceId": "i-0f10a0b0c0d0e0f12", "subnetId": fxSubnetA, "vpcId": fxVPC,
			"securityGroups": []map[string]string{{"groupId": fxAdmin, "groupName": "admin"}}}},
		{typ: "AWS::Lambda::Function", id: "orders", arn: "arn:aws:lambda:eu-west-1:111111111111:function:orders", conf: map[string]any{"functionName": "orders", "runtime": "python3.12",
			"vpcConfig": map[string]any{"subnetIds": []string{fxSubnetA, fxSubnetB}, "securityGroupIds": []string{fxApp}}}},
		// Interface endpoints carrying both the application group and their own.
		{typ: "AWS::EC2::VPCEndpoint", id: "vpce-0f10a0b0c0d0e0f21", conf: map[string]any{"vpcEndpointId": "vpce-0f10a0b0c0d0e0f21", "vpcEndpointType": "Interface", "vpcId": fxVPC,
			"serviceName": "com.amazonaws.eu-west-1.secretsmanager", "subnetIds": []string{fxSubnetA}, "groups": []map[string]string{{"groupId": fxApp}, {"groupId": fxEPs}}}},
		{typ: "AWS::EC2::VPCEndpoint", id: "vpce-0f10a0b0c0d0e0f22", conf: map[string]any{"vpcEndpointId": "vpce-0f10a0b0c0d0e0f22", "vpcEndpointType": "Interface", "vpcId": fxVPC,
			"serviceName": "com.amazonaws.eu-west-1.logs", "subnetIds": []string{fxSubnetB}, "groups": []map[string]string{{"groupId": fxApp}, {"groupId": fxEPs}}}},
		{typ: "AWS::RDS::DBInstance", id: "db-ABCDEFGHIJKLMNOPQRSTUVWXY1", name: "orders-db", arn: "arn:aws:rds:eu-west-1:111111111111:db:orders-db", conf: map[string]any{
			"dBInstanceIdentifier": "orders-db", "engine": "mysql", "availabilityZone": "eu-west-1a", "endpoint": map[string]any{"address": "orders-db.example.eu-west-1.rds.amazonaws.com", "port": 3306},
			"dBSubnetGroup":     map[string]any{"vpcId": fxVPC, "subnets": []map[string]any{{"subnetIdentifier": fxSubnetA, "subnetAvailabilityZone": map[string]string{"name": "eu-west-1a"}}}},
			"vpcSecurityGroups": []map[string]string{{"vpcSecurityGroupId": fxData, "status": "active"}}}},
		{typ: "AWS::Redshift::Cluster", id: "warehouse", name: "warehouse", arn: "arn:aws:redshift:eu-west-1:111111111111:cluster:warehouse", conf: map[string]any{
			"clusterIdentifier": "warehouse", "vpcId": fxVPC, "endpoint": map[string]any{"port": 5439}, "vpcSecurityGroups": []map[string]string{{"vpcSecurityGroupId": fxData}}},
			rels: [][2]string{inVPC, {"AWS::EC2::SecurityGroup", fxData}}},
		{typ: "AWS::ElastiCache::CacheCluster", id: "sessions-001", name: "sessions-001", arn: "arn:aws:elasticache:eu-west-1:111111111111:cluster:sessions-001", conf: map[string]any{
			"cacheClusterId": "sessions-001", "engine": "redis", "cacheNodes": []map[string]any{{"endpoint": map[string]any{"address": "sessions-001.example.cache.amazonaws.com", "port": 6379}}},
			"securityGroups": []map[string]string{{"securityGroupId": fxData, "status": "active"}}},
			rels: [][2]string{inVPC, {"AWS::EC2::SecurityGroup", fxData}}},
	}
	var out []map[string]any
	for _, i := range items {
		out = append(out, i.json())
	}
	data, err := json.Marshal(map[string]any{"fileVersion": "1.0", "configSnapshotId": "00000000-0000-4000-8000-000000000016", "configurationItems": out})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "111111111111_Config_eu-west-1_ConfigSnapshot_20261001T080000Z_shared.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// flowLine names a flow by its ends' names, protocol and port.
func flowLine(m *model.ThreatModel, f model.Flow) string {
	name := map[string]string{}
	for _, c := range m.Diagram.Components {
		name[c.ID] = c.Name
	}
	return name[f.Source] + " → " + name[f.Target] + " " + f.Protocol + " " + itoa(f.Port)
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// TestSecurityGroupFlowsPlausible builds the shared-group VPC: only flows
// whose source can open the connection and whose target listens on the
// port are drawn, every one marked inferred with its rule, and the pairs
// left out are counted in a note.
func TestSecurityGroupFlowsPlausible(t *testing.T) {
	inv := readInventory(t, sharedGroupVPC(t))
	res, err := Build(catalogT(t), inv, Options{VPC: fxVPC})
	if err != nil {
		t.Fatal(err)
	}
	m := res.Model
	var got []string
	for _, f := range m.Diagram.Flows {
		if _, fromSG := f.Properties[PropInferred]; !fromSG {
			continue
		}
		got = append(got, flowLine(m, f))
		if string(f.Properties[PropInferred]) != "true" || !strings.Contains(string(f.Properties[PropInferredBy]), "sg-rule:") || !strings.Contains(string(f.Properties[PropInferredBy]), "security group sg-") {
			t.Errorf("%s: inferred %s, inferredBy %s", flowLine(m, f), f.Properties[PropInferred], f.Properties[PropInferredBy])
		}
	}
	slices.Sort(got)
	want := []string{
		// The application's clients reach each data store on its own port.
		"app → orders-db MySQL 3306",
		"app → secretsmanager endpoint HTTPS 443",
		"app → logs endpoint HTTPS 443",
		"app → sessions-001 Redis 6379",
		"app → warehouse TCP 5439",
		"orders → orders-db MySQL 3306",
		"orders → secretsmanager endpoint HTTPS 443",
		"orders → logs endpoint HTTPS 443",
		"orders → sessions-001 Redis 6379",
		"orders → warehouse TCP 5439",
		// "All traffic" from the bastion becomes the ports the stores listen on.
		"bastion → orders-db MySQL 3306",
		"bastion → sessions-001 Redis 6379",
		"bastion → warehouse TCP 5439",
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("inferred flows:\n  got  %s\n  want %s", strings.Join(got, "\n       "), strings.Join(want, "\n       "))
	}
	for _, f := range m.Diagram.Flows {
		line := flowLine(m, f)
		switch {
		case strings.Contains(line, "endpoint →") && !strings.Contains(line, "(eu-west-1)"):
			t.Errorf("an endpoint is the source of %s", line)
		case strings.Contains(line, "orders-db") && !strings.HasSuffix(line, " 3306"),
			strings.Contains(line, "warehouse") && !strings.HasSuffix(line, " 5439"),
			strings.Contains(line, "sessions-001") && !strings.HasSuffix(line, " 6379"):
			t.Errorf("a flow on a port its target does not listen on: %s", line)
		case strings.HasPrefix(line, "orders-db →"), strings.HasPrefix(line, "warehouse →"), strings.HasPrefix(line, "sessions-001 →"), strings.Contains(line, "→ orders "):
			t.Errorf("a flow a data store or a function cannot take part in: %s", line)
		}
	}
	// Endpoint → regional service flows are not inferred.
	services := 0
	for _, f := range m.Diagram.Flows {
		if strings.HasPrefix(f.Source, "vpce-") {
			services++
			if _, inferred := f.Properties[PropInferred]; inferred {
				t.Errorf("endpoint flow %s is marked inferred", flowLine(m, f))
			}
		}
	}
	if services != 2 {
		t.Errorf("%d endpoint → service flows, want 2", services)
	}
	// What was left out is said: each endpoint (in sg-app) × 3 rules × 3
	// stores, and × the other endpoint (sg-endpoints); the two clients ×
	// the two ports of sg-data each store does not listen on.
	note := ""
	for _, n := range res.Stats.Notes {
		if strings.Contains(n, "not drawn as flows") {
			note = n
		}
	}
	for _, want := range []string{"an endpoint does not initiate connections: 20", "a database does not listen on the port: 8", "a cache does not listen on the port: 4"} {
		if !strings.Contains(note, want) {
			t.Errorf("note %q lacks %q", note, want)
		}
	}
}

func TestPlausible(t *testing.T) {
	compute := role{kind: "compute", initiates: true, anyPort: true}
	lb := role{kind: "load balancer", initiates: true, ports: []int{443}}
	mysql := role{kind: "database", ports: []int{3306}}
	redis := role{kind: "cache", ports: []int{6379}}
	endpoint := role{kind: "endpoint", ports: []int{443, 80}}
	function := role{kind: "function", initiates: true}
	single := func(p int) sgRule { return sgRule{proto: "TCP", port: p, from: p, to: p} }
	all := sgRule{proto: "TCP", label: "all traffic", from: 0, to: 65535}
	tests := []struct {
		name      string
		src, dst  role
		rule      sgRule
		wantPorts []int
		wantOK    bool
		reason    string
	}{
		{"client to its database port", compute, mysql, single(3306), []int{3306}, true, ""},
		{"Redis port into MySQL", compute, mysql, single(6379), nil, false, "a database does not listen on the port"},
		{"MySQL port into Redis", compute, redis, single(3306), nil, false, "a cache does not listen on the port"},
		{"all traffic narrows to the listening port", compute, redis, all, []int{6379}, true, ""},
		{"a range holding the port", compute, mysql, sgRule{proto: "TCP", port: 3000, label: "TCP 3000-3999", from: 3000, to: 3999}, []int{3306}, true, ""},
		{"UDP into a database", compute, mysql, sgRule{proto: "UDP", port: 3306, from: 3306, to: 3306, udp: true}, nil, false, "a database does not listen on UDP"},
		{"an endpoint as a source", endpoint, mysql, single(3306), nil, false, "an endpoint does not initiate connections"},
		{"a database as a source", mysql, compute, single(22), nil, false, "a database does not initiate connections"},
		{"a load balancer into a database", lb, mysql, single(3306), nil, false, "a load balancer sends to its targets, not to a database"},
		{"a load balancer to an instance", lb, compute, single(8080), nil, true, ""},
		{"into a function", compute, function, single(443), nil, false, "a function accepts no connections"},
		{"a function to an endpoint", function, endpoint, single(443), []int{443}, true, ""},
		{"a client to an instance, ports unknown", compute, compute, single(8443), nil, true, ""},
		{"DNS over UDP to a resolver endpoint", compute, role{kind: "DNS resolver endpoint", ports: []int{53}, udp: []int{53}}, sgRule{proto: "DNS", port: 53, from: 53, to: 53, udp: true}, []int{53}, true, ""},
		{"UDP 161 to a resolver endpoint", compute, role{kind: "DNS resolver endpoint", ports: []int{53}, udp: []int{53}}, sgRule{proto: "UDP", port: 161, from: 161, to: 161, udp: true}, nil, false, "a DNS resolver endpoint does not listen on the port"},
		{"all traffic to a service narrows to its container port", compute, role{kind: "compute", initiates: true, anyPort: true, ports: []int{8080}}, all, []int{8080}, true, ""},
		{"another port of a service stands", compute, role{kind: "compute", initiates: true, anyPort: true, ports: []int{8080}}, single(9000), nil, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ports, by, ok, reason := plausible(tt.src, tt.dst, tt.rule)
			if ok != tt.wantOK || !slices.Equal(ports, tt.wantPorts) || reason != tt.reason || (ok && by == "") {
				t.Errorf("plausible = %v %q %v %q, want %v %v %q", ports, by, ok, reason, tt.wantPorts, tt.wantOK, tt.reason)
			}
		})
	}
}

// TestInferredMarks: in the fixture VPCs every flow a security-group rule
// produced (internet ones included) is marked inferred, and no flow a
// listener, target group, route or endpoint produced is.
func TestInferredMarks(t *testing.T) {
	inv := fixture(t)
	cat := catalogT(t)
	for _, name := range []string{"web", "svc", "lake"} {
		res, err := Build(cat, inv, Options{VPC: vpcByName(t, inv, name)})
		if err != nil {
			t.Fatal(err)
		}
		counts := map[bool]int{}
		for _, f := range res.Model.Diagram.Flows {
			var why string
			_ = json.Unmarshal(f.Properties[PropAccelerator], &why)
			_, inferred := f.Properties[PropInferred]
			fromSG := strings.HasPrefix(why, "security group ")
			if f.Source == "internet" && inferred {
				// Internet → gateway on a port only a security-group rule opens.
				fromSG = strings.Contains(string(f.Properties[PropInferredBy]), "allows") && strings.Contains(string(f.Properties[PropInferredBy]), "from the internet")
			}
			counts[inferred]++
			if fromSG != inferred {
				t.Errorf("%s: %s (from %q) inferred=%v", name, flowLine(res.Model, f), why, inferred)
			}
		}
		if counts[true] == 0 || counts[false] == 0 {
			t.Errorf("%s: %d inferred and %d other flows; the fixture should have both", name, counts[true], counts[false])
		}
	}
}
