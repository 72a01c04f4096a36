package builder

import "encoding/json"

// The configuration shapes of the network, which collect reads before the
// mappers run, and the shapes that several mappers share; the shapes of
// one service live in its map_SERVICE.go. AWS Config records EC2
// resources in the EC2 Describe* shapes (camelCase) and some others (ECS,
// EKS, Transit Gateway attachments) in CloudFormation shapes (PascalCase);
// encoding/json matches field names case-insensitively, so one struct reads
// both.

type groupRef struct {
	GroupID string `json:"groupId"`
}

type vpcConfig struct {
	CidrBlock string `json:"cidrBlock"`
	IsDefault bool   `json:"isDefault"`
}

type subnetConfig struct {
	SubnetID            string `json:"subnetId"`
	VpcID               string `json:"vpcId"`
	AvailabilityZone    string `json:"availabilityZone"`
	CidrBlock           string `json:"cidrBlock"`
	MapPublicIPOnLaunch bool   `json:"mapPublicIpOnLaunch"`
}

type routeTableConfig struct {
	RouteTableID string `json:"routeTableId"`
	VpcID        string `json:"vpcId"`
	Routes       []struct {
		DestinationCidrBlock     string `json:"destinationCidrBlock"`
		DestinationIpv6CidrBlock string `json:"destinationIpv6CidrBlock"`
		GatewayID                string `json:"gatewayId"`
		NatGatewayID             string `json:"natGatewayId"`
		TransitGatewayID         string `json:"transitGatewayId"`
	} `json:"routes"`
	Associations []struct {
		Main     bool   `json:"main"`
		SubnetID string `json:"subnetId"`
	} `json:"associations"`
}

type securityGroupConfig struct {
	GroupID       string       `json:"groupId"`
	GroupName     string       `json:"groupName"`
	VpcID         string       `json:"vpcId"`
	IPPermissions []permission `json:"ipPermissions"`
}

type permission struct {
	IPProtocol       string            `json:"ipProtocol"`
	FromPort         *int              `json:"fromPort"`
	ToPort           *int              `json:"toPort"`
	UserIDGroupPairs []groupRef        `json:"userIdGroupPairs"`
	IPRanges         []json.RawMessage `json:"ipRanges"` // strings in Config, {cidrIp} in EC2
	IPv4Ranges       []struct {
		CidrIP string `json:"cidrIp"`
	} `json:"ipv4Ranges"`
	IPv6Ranges []struct {
		CidrIpv6 string `json:"cidrIpv6"`
	} `json:"ipv6Ranges"`
}

// cidrs returns every address range of the permission.
func (p *permission) cidrs() []string {
	var out []string
	for _, raw := range p.IPRanges {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			out = append(out, s)
			continue
		}
		var o struct {
			CidrIP string `json:"cidrIp"`
		}
		if json.Unmarshal(raw, &o) == nil && o.CidrIP != "" {
			out = append(out, o.CidrIP)
		}
	}
	for _, r := range p.IPv4Ranges {
		out = append(out, r.CidrIP)
	}
	for _, r := range p.IPv6Ranges {
		out = append(out, r.CidrIpv6)
	}
	return out
}

// vpcPlacement is where a Lambda function, EKS cluster or OpenSearch
// domain sits in a VPC: its vpcConfig, resourcesVpcConfig or vpcOptions.
type vpcPlacement struct {
	SubnetIDs        []string `json:"subnetIds"`
	SecurityGroupIDs []string `json:"securityGroupIds"`
	VpcID            string   `json:"vpcId"`
}

// genericConfig is what the builder looks for in a configuration it has no
// shape for: where the resource sits and which groups protect it.
type genericConfig struct {
	VpcID               string            `json:"vpcId"`
	SubnetID            string            `json:"subnetId"`
	SubnetIDs           []string          `json:"subnetIds"`
	SecurityGroups      []json.RawMessage `json:"securityGroups"`
	SecurityGroupIDs    []string          `json:"securityGroupIds"`
	VpcSecurityGroupIDs []string          `json:"vpcSecurityGroupIds"`
}

// groupIDs returns security group ids from a list of strings or of
// {groupId} objects.
func (g *genericConfig) groupIDs() []string {
	out := append(append([]string(nil), g.SecurityGroupIDs...), g.VpcSecurityGroupIDs...)
	for _, raw := range g.SecurityGroups {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			out = append(out, s)
			continue
		}
		var o groupRef
		if json.Unmarshal(raw, &o) == nil && o.GroupID != "" {
			out = append(out, o.GroupID)
		}
	}
	return out
}
