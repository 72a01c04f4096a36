package builder

import (
	"cmp"

	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

// The mappers of EC2 compute and gateways: instances, network interfaces,
// NAT gateways and internet gateways.

// mapInstance draws an instance in its subnet, with the groups of the
// instance and of its network interfaces.
func (b *build) mapInstance(r *inventory.Resource, c *instanceConfig) {
	if c.VpcID != b.vpc.ID && b.subnets[c.SubnetID] == nil {
		return
	}
	n := b.add(r, c.SubnetID, 10)
	for _, g := range c.SecurityGroups {
		n.sgs = append(n.sgs, g.GroupID)
	}
	for _, ni := range c.NetworkInterfaces {
		for _, g := range ni.Groups {
			n.sgs = append(n.sgs, g.GroupID)
		}
	}
	n.public = c.PublicIPAddress != ""
	n.set("publicIp", c.PublicIPAddress != "")
	n.set("imdsv2Required", c.MetadataOptions.HTTPTokens == "required")
	if c.Platform == "windows" || c.Platform == "Windows" {
		n.set("os", "windows")
	}
	n.set("terminationProtection", c.DisableAPITermination)
	n.setNonEmpty("instanceType", c.InstanceType)
	n.setNonEmpty("privateIp", c.PrivateIPAddress)
}

// mapNetworkInterface folds a network interface of the VPC into its
// instance (or its subnet) and keeps it for place, which gives its groups
// and public address to its instance and counts ECS task interfaces.
func (b *build) mapNetworkInterface(r *inventory.Resource, c *eniConfig) {
	if c.VpcID == b.vpc.ID {
		c.NetworkInterfaceID = cmp.Or(c.NetworkInterfaceID, r.ID)
		b.enis = append(b.enis, *c)
		b.fold(r, cmp.Or(c.Attachment.InstanceID, "its subnet"))
	}
}

// mapNatGateway draws a NAT gateway in its subnet.
func (b *build) mapNatGateway(r *inventory.Resource, c *natConfig) {
	if c.VpcID != b.vpc.ID {
		return
	}
	b.add(r, c.SubnetID, 5)
}

// mapInternetGateway draws the internet gateway attached to the VPC at the
// VPC level.
func (b *build) mapInternetGateway(r *inventory.Resource, c *igwConfig) {
	for _, a := range c.Attachments {
		if a.VpcID == b.vpc.ID {
			b.igw = b.add(r, "", 0)
			return
		}
	}
}

// The configuration shapes of EC2 compute and gateways.

type instanceConfig struct {
	InstanceID       string     `json:"instanceId"`
	InstanceType     string     `json:"instanceType"`
	SubnetID         string     `json:"subnetId"`
	VpcID            string     `json:"vpcId"`
	PrivateIPAddress string     `json:"privateIpAddress"`
	PublicIPAddress  string     `json:"publicIpAddress"`
	Platform         string     `json:"platform"`
	SecurityGroups   []groupRef `json:"securityGroups"`
	Placement        struct {
		AvailabilityZone string `json:"availabilityZone"`
	} `json:"placement"`
	MetadataOptions struct {
		HTTPTokens string `json:"httpTokens"`
	} `json:"metadataOptions"`
	NetworkInterfaces []struct {
		NetworkInterfaceID string     `json:"networkInterfaceId"`
		Groups             []groupRef `json:"groups"`
	} `json:"networkInterfaces"`
	DisableAPITermination bool `json:"disableApiTermination"`
}

type eniConfig struct {
	NetworkInterfaceID string     `json:"networkInterfaceId"`
	SubnetID           string     `json:"subnetId"`
	VpcID              string     `json:"vpcId"`
	InterfaceType      string     `json:"interfaceType"`
	Description        string     `json:"description"`
	PrivateIPAddress   string     `json:"privateIpAddress"`
	Groups             []groupRef `json:"groups"`
	Attachment         struct {
		InstanceID string `json:"instanceId"`
	} `json:"attachment"`
	Association struct {
		PublicIP string `json:"publicIp"`
	} `json:"association"`
}

type natConfig struct {
	SubnetID string `json:"subnetId"`
	VpcID    string `json:"vpcId"`
}

type igwConfig struct {
	Attachments []struct {
		VpcID string `json:"vpcId"`
		State string `json:"state"`
	} `json:"attachments"`
}
