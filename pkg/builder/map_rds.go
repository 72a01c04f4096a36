package builder

import (
	"cmp"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

// The mappers of RDS: database instances and clusters. Their subnet groups
// are folded into them (foldSubnetGroup) and their snapshots become their
// property "snapshots" (foldSnapshots).

// mapDBInstance draws a database instance whose subnet group is in the VPC,
// in the group's subnet of the instance's zone.
func (b *build) mapDBInstance(r *inventory.Resource, c *dbInstanceConfig) {
	if c.DBSubnetGroup.VpcID != b.vpc.ID {
		return
	}
	subnet := ""
	var ids []string
	for _, s := range c.DBSubnetGroup.Subnets {
		ids = append(ids, s.SubnetIdentifier)
		if s.SubnetAvailabilityZone.Name == c.AvailabilityZone && subnet == "" {
			subnet = s.SubnetIdentifier
		}
	}
	n := b.add(r, cmp.Or(subnet, b.firstSubnet(ids)), 30)
	n.name = cmp.Or(c.DBInstanceIdentifier, n.name)
	for _, g := range c.VpcSecurityGroups {
		n.sgs = append(n.sgs, g.VpcSecurityGroupID)
	}
	b.dbProps(n, c.Engine, c.StorageEncrypted, c.PubliclyAccessible, c.MultiAZ, c.BackupRetentionPeriod, c.DeletionProtection)
	n.public = c.PubliclyAccessible
	if c.Endpoint.Port != 0 {
		n.set("port", c.Endpoint.Port)
	}
	n.setNonEmpty("cluster", c.DBClusterIdentifier)
	b.foldSubnetGroup(n, "AWS::RDS::DBSubnetGroup", c.DBSubnetGroup.DBSubnetGroupName, b.scope)
}

// mapDBCluster draws a database cluster whose security groups, subnet group
// or relationships are in the VPC, in the first subnet of its group.
func (b *build) mapDBCluster(r *inventory.Resource, c *dbClusterConfig) {
	var sgs []string
	inVPC := false
	for _, g := range c.VpcSecurityGroups {
		sgs = append(sgs, g.VpcSecurityGroupID)
		inVPC = inVPC || b.sgs[g.VpcSecurityGroupID] != nil
	}
	subnets, grouped := b.subnetGroup("AWS::RDS::DBSubnetGroup", c.DBSubnetGroup)
	if !inVPC && !grouped && !b.related(r) {
		return
	}
	n := b.add(r, b.firstSubnet(subnets), 30)
	n.name = cmp.Or(c.DBClusterIdentifier, n.name)
	b.foldSubnetGroup(n, "AWS::RDS::DBSubnetGroup", c.DBSubnetGroup, b.scope)
	n.sgs = sgs
	b.dbProps(n, c.Engine, c.StorageEncrypted, c.PubliclyAccessible, c.MultiAZ, c.BackupRetentionPeriod, c.DeletionProtection)
	if c.Port != 0 {
		n.set("port", c.Port)
	}
}

// dbProps sets the properties that RDS instances and clusters share.
func (b *build) dbProps(n *node, engine string, encrypted, public, multiAZ bool, retention int, deletionProtection bool) {
	e := strings.ToLower(engine)
	switch {
	case strings.Contains(e, "postgres"):
		e = "postgres"
	case strings.Contains(e, "mysql"):
		e = "mysql"
	case strings.Contains(e, "mariadb"):
		e = "mariadb"
	case strings.HasPrefix(e, "oracle"):
		e = "oracle"
	case strings.HasPrefix(e, "sqlserver"):
		e = "sqlserver"
	default:
		n.setNonEmpty("engineName", engine)
		e = ""
	}
	if e != "" {
		n.set("engine", e)
	}
	n.set("encrypted", encrypted)
	n.set("publiclyAccessible", public)
	n.set("multiAZ", multiAZ)
	n.set("automatedBackups", retention >= 7)
	n.set("deletionProtection", deletionProtection)
}

// The configuration shapes of RDS.

type dbInstanceConfig struct {
	DBInstanceIdentifier  string `json:"dBInstanceIdentifier"`
	DBClusterIdentifier   string `json:"dBClusterIdentifier"`
	Engine                string `json:"engine"`
	AvailabilityZone      string `json:"availabilityZone"`
	MultiAZ               bool   `json:"multiAZ"`
	PubliclyAccessible    bool   `json:"publiclyAccessible"`
	StorageEncrypted      bool   `json:"storageEncrypted"`
	DeletionProtection    bool   `json:"deletionProtection"`
	BackupRetentionPeriod int    `json:"backupRetentionPeriod"`
	Endpoint              struct {
		Port int `json:"port"`
	} `json:"endpoint"`
	VpcSecurityGroups []struct {
		VpcSecurityGroupID string `json:"vpcSecurityGroupId"`
	} `json:"vpcSecurityGroups"`
	DBSubnetGroup struct {
		DBSubnetGroupName string `json:"dBSubnetGroupName"`
		VpcID             string `json:"vpcId"`
		Subnets           []struct {
			SubnetIdentifier       string `json:"subnetIdentifier"`
			SubnetAvailabilityZone struct {
				Name string `json:"name"`
			} `json:"subnetAvailabilityZone"`
		} `json:"subnets"`
	} `json:"dBSubnetGroup"`
}

type dbClusterConfig struct {
	DBClusterIdentifier   string `json:"dBClusterIdentifier"`
	DBSubnetGroup         string `json:"dBSubnetGroup"` // the group's name`
	Engine                string `json:"engine"`
	Port                  int    `json:"port"`
	MultiAZ               bool   `json:"multiAZ"`
	PubliclyAccessible    bool   `json:"publiclyAccessible"`
	StorageEncrypted      bool   `json:"storageEncrypted"`
	DeletionProtection    bool   `json:"deletionProtection"`
	BackupRetentionPeriod int    `json:"backupRetentionPeriod"`
	VpcSecurityGroups     []struct {
		VpcSecurityGroupID string `json:"vpcSecurityGroupId"`
	} `json:"vpcSecurityGroups"`
}
