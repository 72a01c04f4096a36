package builder

import (
	"cmp"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/inventory"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// The mapper of VPC endpoints and the regional services they reach.

// mapVPCEndpoint draws an endpoint of the VPC (an interface endpoint in the
// first of its subnets, a gateway endpoint at the VPC level) and, once per
// service, the regional service it reaches, outside the VPC.
func (b *build) mapVPCEndpoint(r *inventory.Resource, c *endpointConfig) {
	if c.VpcID != b.vpc.ID {
		return
	}
	subnet := ""
	if !strings.EqualFold(c.VpcEndpointType, "Gateway") {
		subnet = b.firstSubnet(c.SubnetIDs)
	}
	n := b.add(r, subnet, 40)
	n.name = cmp.Or(r.Tags["Name"], shortService(c.ServiceName)+" endpoint")
	for _, g := range c.Groups {
		n.sgs = append(n.sgs, g.GroupID)
	}
	if t := c.VpcEndpointType; t != "" {
		n.set("endpointType", t)
	}
	policy := strings.Join(strings.Fields(c.PolicyDocument), "")
	n.set("restrictivePolicy", policy != "" && !strings.Contains(policy, `"Resource":"*"`))
	n.setNonEmpty("serviceName", c.ServiceName)
	b.service(n, c.ServiceName)
}

// shortService returns the service part of an endpoint service name
// ("com.amazonaws.us-east-1.s3" → "s3").
func shortService(name string) string {
	parts := strings.SplitN(name, ".", 4) // com.amazonaws.REGION.SERVICE
	if len(parts) == 4 {
		return parts[3]
	}
	return name
}

// service adds (once) the regional service an endpoint reaches and a flow
// from the endpoint to it.
func (b *build) service(ep *node, serviceName string) {
	short := shortService(serviceName)
	if short == "" {
		return
	}
	s := b.services[short]
	if s == nil {
		typ := GenericType
		if t, ok := serviceTypes[short]; ok && b.cat.Type(t) != nil {
			typ = t
		}
		s = &node{id: "service:" + sanitize(short), typ: typ, name: serviceTitle(b.cat, typ, short) + " (" + b.region + ")", subnet: "-", props: model.Properties{}}
		s.set(PropAccelerator, "regional service "+serviceName)
		b.services[short] = s
		b.nodes = append(b.nodes, s)
	}
	b.flow(ep, s, "HTTPS", 443, "", "endpoint "+ep.res.ID+" → "+serviceName)
}

// serviceTitle names a regional service by its catalog type, else by its
// short name.
func serviceTitle(cat *catalog.Catalog, typ, short string) string {
	if t := cat.Type(typ); t != nil && typ != GenericType {
		return t.Name
	}
	return short
}

// The service types and configuration shape of VPC endpoints.

// serviceTypes maps the service part of an endpoint service name
// ("com.amazonaws.us-east-1.s3") to a catalog type.
var serviceTypes = map[string]string{
	"s3": "aws.s3", "dynamodb": "aws.dynamodb", "sqs": "aws.sqs", "sns": "aws.sns", "kms": "aws.kms",
	"secretsmanager": "aws.secrets-manager", "ecr.api": "aws.ecr", "ecr.dkr": "aws.ecr", "logs": "aws.cloudwatch",
	"monitoring": "aws.cloudwatch", "execute-api": "aws.apigateway", "ssm": "aws.systems-manager",
	"ssmmessages": "aws.systems-manager", "ec2messages": "aws.systems-manager", "sts": "aws.iam",
	"kinesis-streams": "aws.kinesis", "events": "aws.eventbridge", "states": "aws.step-functions",
	"elasticache": "aws.elasticache", "rds": "aws.rds", "lambda": "aws.lambda", "ecs": "aws.ecs", "eks": "aws.eks",
}

type endpointConfig struct {
	VpcEndpointType string     `json:"vpcEndpointType"`
	ServiceName     string     `json:"serviceName"`
	VpcID           string     `json:"vpcId"`
	SubnetIDs       []string   `json:"subnetIds"`
	Groups          []groupRef `json:"groups"`
	PolicyDocument  string     `json:"policyDocument"`
}
