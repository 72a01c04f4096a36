package storetest

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/rand/v2"

	"github.com/bulwark-tm/bulwark/pkg/model"
)

// componentTypes are the catalog types GenerateModel draws from, with the
// AWS Config resource type each stands for.
var componentTypes = []struct{ typ, resourceType, service string }{
	{"aws.ec2", "AWS::EC2::Instance", "ec2"},
	{"aws.lambda", "AWS::Lambda::Function", "lambda"},
	{"aws.rds", "AWS::RDS::DBInstance", "rds"},
	{"aws.dynamodb", "AWS::DynamoDB::Table", "dynamodb"},
	{"aws.s3", "AWS::S3::Bucket", "s3"},
	{"aws.sqs", "AWS::SQS::Queue", "sqs"},
	{"aws.elbv2", "AWS::ElasticLoadBalancingV2::LoadBalancer", "elasticloadbalancing"},
	{"aws.ecs-service", "AWS::ECS::Service", "ecs"},
	{"aws.elasticache", "AWS::ElastiCache::CacheCluster", "elasticache"},
	{"aws.kms", "AWS::KMS::Key", "kms"},
}

var protocols = []struct {
	name string
	port int
}{{"HTTPS", 443}, {"HTTP", 80}, {"TCP", 5432}, {"TCP", 6379}, {"gRPC", 50051}, {"AMQP", 5671}}

// exampleAccount is the account id AWS documentation uses in examples.
const exampleAccount = "123456789012"

// GenerateModel returns a valid, realistic threat model of the given tenant
// and id with n components, the same for the same arguments. The diagram is
// laid out as an AWS account would be: a VPC (a trust boundary) holding
// availability zones holding subnets (about 40 components each), some EC2
// hosts drawn as containers, components with catalog properties and AWS
// resources, and about 1.5 flows per component. It leaves CreatedAt,
// UpdatedAt and Revision zero for the store to set.
//
// Other packages use it for benchmarks and load tests (API, analysis).
func GenerateModel(tenant, id string, n int) *model.ThreatModel {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s/%s/%d", tenant, id, n)
	rng := rand.New(rand.NewPCG(h.Sum64(), uint64(n)))

	m := &model.ThreatModel{
		SchemaVersion: model.SchemaVersion,
		ID:            id,
		Tenant:        tenant,
		Name:          fmt.Sprintf("Payments platform %s", id),
		Description:   "Card payments: public API, workers, ledger database and reporting.",
		Version:       "2.3",
		ProjectType:   "AWS Cloud Application",
		Priority:      model.PriorityHigh,
		Facing:        model.FacingPublic,
		Labels:        []string{"pci", "payments", "production"},
		Owner:         "platform-team@example.com",
		Properties:    map[string]string{"costCenter": "CC-1042", "dataClassification": "confidential"},
		States: map[string]model.ItemState{
			"t-sqli@c0000": {Status: "mitigated", Notes: "Parameterized queries everywhere.", UpdatedBy: "alice"},
		},
	}
	d := &m.Diagram

	d.Groups = append(d.Groups, model.Group{
		ID: "vpc-main", Kind: model.KindBoundary, Name: "vpc-main (10.0.0.0/16)",
		Position: model.Point{X: 0, Y: 0}, Size: model.Size{Width: 20000, Height: 20000},
		Properties: model.Properties{"cidr": raw("10.0.0.0/16")},
		Resource:   &model.AWSResource{ResourceType: "AWS::EC2::VPC", ResourceID: "vpc-0a1b2c3d", AccountID: exampleAccount, Region: "eu-west-1"},
	})
	const perSubnet = 40
	subnets := max(1, (n+perSubnet-1)/perSubnet)
	azs := []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}
	for i, az := range azs[:min(len(azs), subnets)] {
		d.Groups = append(d.Groups, model.Group{
			ID: "az-" + az, Kind: model.KindGroup, Name: az, Parent: "vpc-main",
			Position: model.Point{X: 50 + float64(i)*6500, Y: 50}, Size: model.Size{Width: 6400, Height: 19000},
		})
	}
	subnetIDs := make([]string, subnets)
	for i := range subnets {
		az := azs[i%len(azs)]
		sid := fmt.Sprintf("subnet-%05d", i)
		subnetIDs[i] = sid
		public := i%4 == 0
		d.Groups = append(d.Groups, model.Group{
			ID: sid, Kind: model.KindGroup, Name: fmt.Sprintf("%s (%s)", sid, map[bool]string{true: "public", false: "private"}[public]),
			Parent: "az-" + az, Position: model.Point{X: 20, Y: 40 + float64(i/len(azs))*420}, Size: model.Size{Width: 6300, Height: 400},
			Properties: model.Properties{"cidr": raw(fmt.Sprintf("10.0.%d.0/24", i%256)), "public": raw(public)},
			Resource:   &model.AWSResource{ResourceType: "AWS::EC2::Subnet", ResourceID: fmt.Sprintf("subnet-%08x", i), AccountID: exampleAccount, Region: "eu-west-1"},
		})
	}
	// One EC2 host per subnet drawn as a container of some of its components.
	for i, sid := range subnetIDs {
		if i%2 == 1 {
			continue
		}
		d.Groups = append(d.Groups, model.Group{
			ID: fmt.Sprintf("host-%05d", i), Kind: model.KindContainer, Type: "aws.ec2", Name: fmt.Sprintf("ecs-host-%d", i),
			Parent: sid, Position: model.Point{X: 5000, Y: 20}, Size: model.Size{Width: 1200, Height: 360},
			Properties: model.Properties{"instanceType": raw("m7g.large"), "imdsV2Required": raw(true)},
			Resource:   &model.AWSResource{ARN: fmt.Sprintf("arn:aws:ec2:eu-west-1:%s:instance/i-%017x", exampleAccount, i), ResourceType: "AWS::EC2::Instance", AccountID: exampleAccount, Region: "eu-west-1"},
		})
	}

	d.Components = make([]model.Component, n)
	for i := range n {
		ct := componentTypes[rng.IntN(len(componentTypes))]
		subnet := i / perSubnet
		c := model.Component{
			ID:       fmt.Sprintf("c%05d", i),
			Type:     ct.typ,
			Name:     fmt.Sprintf("%s-%s-%d", ct.service, []string{"api", "worker", "ledger", "reports", "auth"}[rng.IntN(5)], i),
			Parent:   subnetIDs[subnet],
			Position: model.Point{X: float64(20 + (i%perSubnet)*120), Y: float64(40 + rng.IntN(300))},
			Size:     &model.Size{Width: 100, Height: 60},
			Properties: model.Properties{
				"encryptedAtRest":    raw(rng.IntN(4) != 0),
				"encryptionKey":      raw(fmt.Sprintf("alias/%s-key", ct.service)),
				"loggingEnabled":     raw(rng.IntN(3) != 0),
				"dataClassification": raw([]string{"public", "internal", "confidential", "restricted"}[rng.IntN(4)]),
				"tags":               raw(map[string]string{"env": "prod", "team": "payments", "service": ct.service}),
				"allowedCidrs":       raw([]string{"10.0.0.0/16", fmt.Sprintf("10.1.%d.0/24", rng.IntN(256))}),
			},
			Resource: &model.AWSResource{
				ARN:          fmt.Sprintf("arn:aws:%s:eu-west-1:%s:%s/%s-%06d", ct.service, exampleAccount, ct.service, ct.service, i),
				ResourceType: ct.resourceType,
				ResourceID:   fmt.Sprintf("%s-%06d", ct.service, i),
				AccountID:    exampleAccount,
				Region:       "eu-west-1",
			},
		}
		if i%20 == 7 && subnet%2 == 0 {
			c.Parent = fmt.Sprintf("host-%05d", subnet)
		}
		if i%500 == 499 {
			c.Type, c.Resource = "bulwark.model", nil
			c.NestedModel = &model.NestedRef{ModelID: fmt.Sprintf("shared-%d", i/500), ImportThreats: true}
		}
		d.Components[i] = c
	}

	flows := n * 3 / 2
	if n < 2 {
		flows = 0
	}
	d.Flows = make([]model.Flow, flows)
	for i := range flows {
		src := rng.IntN(n)
		dst := (src + 1 + rng.IntN(n-1)) % n
		p := protocols[rng.IntN(len(protocols))]
		d.Flows[i] = model.Flow{
			ID: fmt.Sprintf("f%05d", i), Source: d.Components[src].ID, Target: d.Components[dst].ID,
			Protocol: p.name, Port: p.port, Label: fmt.Sprintf("%s %d", p.name, p.port),
			Properties: model.Properties{"encryptedInTransit": raw(p.name != "HTTP"), "authenticated": raw(rng.IntN(2) == 0)},
		}
	}
	m.Normalize()
	return m
}

func raw(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic("storetest: " + err.Error())
	}
	return b
}
