package builder

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/inventory"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// This file draws what links a VPC to other networks (peering, site-to-site
// VPN, transit gateways, Route 53 Resolver endpoints), places resources
// whose only VPC link is in their configuration (OpenSearch domains,
// ElastiCache clusters, Redshift clusters through their subnet groups),
// folds associations and subnet groups into what they associate, keeps
// database snapshots as properties of their database, and draws any
// resource whose configuration cannot be read from its item's top-level
// fields, with a note.

// The configuration shapes of the types this file reads.

type peeringConfig struct {
	VpcPeeringConnectionID string  `json:"vpcPeeringConnectionId"`
	AccepterVpcInfo        peerVPC `json:"accepterVpcInfo"`
	RequesterVpcInfo       peerVPC `json:"requesterVpcInfo"`
	Status                 struct {
		Code string `json:"code"`
	} `json:"status"`
}

type peerVPC struct {
	OwnerID   string `json:"ownerId"`
	VpcID     string `json:"vpcId"`
	CidrBlock string `json:"cidrBlock"`
	Region    string `json:"region"`
}

type vpnConnectionConfig struct {
	VpnConnectionID   string `json:"vpnConnectionId"`
	CustomerGatewayID string `json:"customerGatewayId"`
	VpnGatewayID      string `json:"vpnGatewayId"`
	TransitGatewayID  string `json:"transitGatewayId"`
	Type              string `json:"type"`
	Category          string `json:"category"`
	Options           struct {
		StaticRoutesOnly bool `json:"staticRoutesOnly"`
	} `json:"options"`
	VgwTelemetry []struct {
		Status string `json:"status"`
	} `json:"vgwTelemetry"`
}

type vpnGatewayConfig struct {
	VpnGatewayID   string `json:"vpnGatewayId"`
	VpcAttachments []struct {
		VpcID string `json:"vpcId"`
		State string `json:"state"`
	} `json:"vpcAttachments"`
}

type customerGatewayConfig struct {
	CustomerGatewayID string `json:"customerGatewayId"`
	IPAddress         string `json:"ipAddress"`
	BgpAsn            string `json:"bgpAsn"`
}

type resolverEndpointConfig struct {
	ID               string   `json:"id"`
	Name             string   `json:"name"`
	Direction        string   `json:"direction"`
	HostVPCID        string   `json:"hostVPCId"`
	SecurityGroupIDs []string `json:"securityGroupIds"`
	IPAddresses      []struct {
		SubnetID string `json:"subnetId"`
		IP       string `json:"ip"`
	} `json:"ipAddresses"`
}

// subnetGroupConfig reads RDS, ElastiCache and Redshift subnet groups.
type subnetGroupConfig struct {
	DBSubnetGroupName      string `json:"dBSubnetGroupName"`
	CacheSubnetGroupName   string `json:"cacheSubnetGroupName"`
	ClusterSubnetGroupName string `json:"clusterSubnetGroupName"`
	VpcID                  string `json:"vpcId"`
	Subnets                []struct {
		SubnetIdentifier string `json:"subnetIdentifier"`
	} `json:"subnets"`
	SubnetIDs []string `json:"subnetIds"`
}

func (c subnetGroupConfig) name() string {
	return cmp.Or(c.DBSubnetGroupName, c.CacheSubnetGroupName, c.ClusterSubnetGroupName)
}

func (c subnetGroupConfig) subnets() []string {
	out := slices.Clone(c.SubnetIDs)
	for _, s := range c.Subnets {
		out = append(out, s.SubnetIdentifier)
	}
	return out
}

type snapshotConfig struct {
	DBSnapshotIdentifier        string `json:"dBSnapshotIdentifier"`
	DBInstanceIdentifier        string `json:"dBInstanceIdentifier"`
	DBClusterSnapshotIdentifier string `json:"dBClusterSnapshotIdentifier"`
	DBClusterIdentifier         string `json:"dBClusterIdentifier"`
	SnapshotIdentifier          string `json:"snapshotIdentifier"`
	ClusterIdentifier           string `json:"clusterIdentifier"`
	Encrypted                   *bool  `json:"encrypted"`
	StorageEncrypted            *bool  `json:"storageEncrypted"`
}

// associationTypes are folded into what they associate: the subnet, the
// VPC or the gateway they name. They are never drawn.
var associationTypes = map[string]bool{
	"AWS::EC2::SubnetRouteTableAssociation": true, "AWS::EC2::SubnetNetworkAclAssociation": true,
	"AWS::EC2::VPCGatewayAttachment": true, "AWS::EC2::GatewayRouteTableAssociation": true,
	"AWS::EC2::VPCDHCPOptionsAssociation": true, "AWS::EC2::SubnetCidrBlock": true, "AWS::EC2::VPCCidrBlock": true,
	"AWS::Route53Resolver::ResolverRuleAssociation": true, "AWS::EC2::TransitGatewayRouteTableAssociation": true,
	"AWS::EC2::TransitGatewayRouteTablePropagation": true, "AWS::EC2::VPNGatewayRoutePropagation": true,
	"AWS::EC2::VPNConnectionRoute": true,
}

// subnetGroupTypes are folded into the databases and caches that use them.
var subnetGroupTypes = map[string]bool{
	"AWS::RDS::DBSubnetGroup": true, "AWS::ElastiCache::SubnetGroup": true, "AWS::Redshift::ClusterSubnetGroup": true,
	"AWS::DocDB::DBSubnetGroup": true, "AWS::Neptune::DBSubnetGroup": true,
}

// snapshotTypes are point-in-time copies, not architecture: they become the
// property "snapshots" of their database.
var snapshotTypes = map[string]bool{
	"AWS::RDS::DBSnapshot": true, "AWS::RDS::DBClusterSnapshot": true, "AWS::Redshift::ClusterSnapshot": true,
}

// network holds what the first pass learns about the VPC's links.
type network struct {
	vgws         map[string]bool              // VPN gateways attached to the VPC
	subnetGroups map[string]subnetGroupConfig // subnet group name → group of this VPC
	vpcProps     map[string][]string          // properties of the VPC group from folded items
	unread       map[*inventory.Resource]error
	folded       map[string]string // resource id → what it was folded into

	inv             *inventory.Inventory
	scope           []*inventory.Resource // the resources of the VPC's account and region
	tgws            map[string]bool       // transit gateways the VPC is attached to
	rtAssoc         [][2]string           // route table, subnet from association items
	igwAttached     bool
	vpnFolded       [][2]string // VPN gateway id, VPN connection component id
	subnetGroupLeft []*inventory.Resource
	snapshots       []*inventory.Resource
}

// fold records that r is shown as part of into.
func (b *build) fold(r *inventory.Resource, into string) {
	if b.folded == nil {
		b.folded = map[string]string{}
	}
	if _, ok := b.folded[r.ID]; !ok {
		b.stats.Folded++
	}
	b.folded[r.ID] = into
}

var errNoConfiguration = errors.New("the item has no configuration")

// read decodes r's configuration into v and remembers a configuration that
// does not parse, so that the resource is still drawn (see drawUnread).
func (b *build) read(r *inventory.Resource, v any) bool {
	err := errNoConfiguration
	if len(r.Configuration) > 0 {
		err = json.Unmarshal(r.Configuration, v)
	}
	if err != nil {
		if b.unread == nil {
			b.unread = map[*inventory.Resource]error{}
		}
		b.unread[r] = err
		return false
	}
	return true
}

// mentions reports whether r's configuration or relationships name the VPC
// or one of its subnets: the test for resources whose configuration does
// not parse, and for associations.
func (b *build) mentions(r *inventory.Resource) bool {
	if b.related(r) {
		return true
	}
	if len(r.Configuration) == 0 {
		return false
	}
	if bytes.Contains(r.Configuration, []byte(`"`+b.vpc.ID+`"`)) {
		return true
	}
	for id := range b.subnets {
		if bytes.Contains(r.Configuration, []byte(`"`+id+`"`)) {
			return true
		}
	}
	return false
}

// collectNetwork is the first pass over the types that others refer to:
// VPN gateways, subnet groups and associations.
func (b *build) collectNetwork(scope []*inventory.Resource) {
	b.vgws = map[string]bool{}
	b.subnetGroups = map[string]subnetGroupConfig{}
	b.vpcProps = map[string][]string{}
	b.tgws = map[string]bool{}
	for _, r := range scope {
		switch {
		case r.Type == "AWS::EC2::TransitGatewayAttachment":
			var c tgwAttachmentConfig
			if decode(r, &c) && (c.VpcID == b.vpc.ID || (strings.EqualFold(c.ResourceType, "vpc") && c.ResourceID == b.vpc.ID)) {
				b.tgws[c.TransitGatewayID] = true
			}
		case r.Type == "AWS::EC2::VPNGateway":
			var c vpnGatewayConfig
			if b.read(r, &c) {
				for _, a := range c.VpcAttachments {
					if a.VpcID == b.vpc.ID && a.State != "detached" {
						b.vgws[cmp.Or(c.VpnGatewayID, r.ID)] = true
					}
				}
			}
		case subnetGroupTypes[r.Type]:
			var c subnetGroupConfig
			if b.read(r, &c) && (c.VpcID == b.vpc.ID || b.anySubnet(c.subnets())) {
				b.subnetGroups[r.Type+"\x00"+cmp.Or(c.name(), r.Name, r.ID)] = c
			}
		case associationTypes[r.Type]:
			b.association(r)
		}
	}
}

// association folds an association item into the subnet, route table or
// VPC it names.
func (b *build) association(r *inventory.Resource) {
	var c struct {
		SubnetID         string `json:"subnetId"`
		RouteTableID     string `json:"routeTableId"`
		NetworkAclID     string `json:"networkAclId"`
		VpcID            string `json:"vpcId"`
		InternetGateway  string `json:"internetGatewayId"`
		VpnGatewayID     string `json:"vpnGatewayId"`
		ResolverRuleID   string `json:"resolverRuleId"`
		DhcpOptionsID    string `json:"dhcpOptionsId"`
		TransitGatewayID string `json:"transitGatewayAttachmentId"`
	}
	b.read(r, &c)
	if c.VpcID != b.vpc.ID && b.subnets[c.SubnetID] == nil && !b.mentions(r) {
		return
	}
	switch r.Type {
	case "AWS::EC2::SubnetRouteTableAssociation":
		if c.SubnetID != "" && c.RouteTableID != "" {
			b.rtAssoc = append(b.rtAssoc, [2]string{c.RouteTableID, c.SubnetID})
		}
		b.fold(r, cmp.Or(c.SubnetID, b.vpc.ID))
	case "AWS::EC2::SubnetNetworkAclAssociation":
		if c.SubnetID != "" && c.NetworkAclID != "" && !slices.Contains(b.nacls[c.SubnetID], c.NetworkAclID) {
			b.nacls[c.SubnetID] = append(b.nacls[c.SubnetID], c.NetworkAclID)
		}
		b.fold(r, cmp.Or(c.SubnetID, b.vpc.ID))
	case "AWS::EC2::VPCGatewayAttachment":
		if c.VpnGatewayID != "" {
			b.vgws[c.VpnGatewayID] = true
		}
		b.igwAttached = b.igwAttached || c.InternetGateway != ""
		b.addVPCProp("gatewayAttachments", cmp.Or(c.InternetGateway, c.VpnGatewayID, r.ID))
		b.fold(r, b.vpc.ID)
	case "AWS::Route53Resolver::ResolverRuleAssociation":
		b.addVPCProp("resolverRules", cmp.Or(c.ResolverRuleID, r.ID))
		b.fold(r, b.vpc.ID)
	default:
		b.fold(r, cmp.Or(c.SubnetID, b.vpc.ID))
	}
}

func (b *build) addVPCProp(k, v string) {
	if !slices.Contains(b.vpcProps[k], v) {
		b.vpcProps[k] = append(b.vpcProps[k], v)
	}
}

// subnetGroup returns the subnets of the named subnet group of type typ in
// this VPC, and whether there is one.
func (b *build) subnetGroup(typ, name string) ([]string, bool) {
	c, ok := b.subnetGroups[typ+"\x00"+name]
	if !ok {
		return nil, false
	}
	return c.subnets(), true
}

// foldSubnetGroup records the subnet group named name as part of n.
func (b *build) foldSubnetGroup(n *node, typ, name string, scope []*inventory.Resource) {
	if name == "" {
		return
	}
	n.set("subnetGroup", name)
	for _, r := range scope {
		if r.Type == typ && (r.ID == name || r.Name == name) {
			b.fold(r, n.id)
		}
	}
}

// networkResource draws the types of this file. It reports whether r was
// one of them.
func (b *build) networkResource(r *inventory.Resource) bool {
	vpcID := b.vpc.ID
	switch r.Type {
	case "AWS::EC2::VPCPeeringConnection":
		var c peeringConfig
		if !b.read(r, &c) {
			return true
		}
		var there peerVPC
		switch vpcID {
		case c.RequesterVpcInfo.VpcID:
			there = c.AccepterVpcInfo
		case c.AccepterVpcInfo.VpcID:
			there = c.RequesterVpcInfo
		default:
			return true
		}
		n := b.add(r, "", 45)
		n.setNonEmpty("status", c.Status.Code)
		n.setNonEmpty("peerVpcId", there.VpcID)
		n.setNonEmpty("peerAccountId", there.OwnerID)
		n.setNonEmpty("peerCidr", there.CidrBlock)
		crossAccount := there.OwnerID != "" && there.OwnerID != b.account
		n.set("crossAccount", crossAccount)
		peer := b.external("peer:"+there.VpcID, "generic.external-service", b.vpcLabel("Peer VPC", there.VpcID, there.OwnerID), "peer VPC of "+r.ID)
		peer.setNonEmpty("vpcId", there.VpcID)
		peer.setNonEmpty("accountId", there.OwnerID)
		peer.setNonEmpty("cidr", there.CidrBlock)
		peer.setNonEmpty("region", there.Region)
		b.flow(n, peer, "TCP", 0, "VPC peering", "peering connection "+r.ID)
		b.flow(peer, n, "TCP", 0, "VPC peering", "peering connection "+r.ID)
	case "AWS::EC2::VPNConnection":
		var c vpnConnectionConfig
		if !b.read(r, &c) {
			return true
		}
		attached := b.vgws[c.VpnGatewayID] || (c.TransitGatewayID != "" && b.tgws[c.TransitGatewayID])
		if !attached && !b.related(r) {
			return true
		}
		n := b.add(r, "", 46)
		n.setNonEmpty("vpnGatewayId", c.VpnGatewayID)
		n.setNonEmpty("transitGatewayId", c.TransitGatewayID)
		n.setNonEmpty("customerGatewayId", c.CustomerGatewayID)
		n.set("staticRoutesOnly", c.Options.StaticRoutesOnly)
		up := 0
		for _, t := range c.VgwTelemetry {
			if strings.EqualFold(t.Status, "UP") {
				up++
			}
		}
		if len(c.VgwTelemetry) > 0 {
			n.set("tunnelsUp", up)
		}
		if c.VpnGatewayID != "" {
			b.vpnFolded = append(b.vpnFolded, [2]string{c.VpnGatewayID, n.id})
		}
		cgw := b.customerGateway(c.CustomerGatewayID)
		b.flow(cgw, n, "IPsec", 500, "site-to-site VPN", "VPN connection "+r.ID)
	case "AWS::EC2::CustomerGateway", "AWS::EC2::VPNGateway":
		// Drawn (customer gateway) or folded (VPN gateway) with their VPN
		// connections; see customerGateway and foldVPN.
	case "AWS::Route53Resolver::ResolverEndpoint":
		var c resolverEndpointConfig
		if !b.read(r, &c) {
			return true
		}
		var subnets []string
		for _, a := range c.IPAddresses {
			subnets = append(subnets, a.SubnetID)
		}
		if c.HostVPCID != vpcID && !b.anySubnet(subnets) {
			return true
		}
		n := b.add(r, b.firstSubnet(subnets), 41)
		n.name = cmp.Or(c.Name, r.Tags["Name"], n.name)
		n.sgs = c.SecurityGroupIDs
		n.setNonEmpty("direction", c.Direction)
		n.set("ipAddresses", len(c.IPAddresses))
		if len(subnets) > 1 {
			n.set("subnets", subnets)
		}
	default:
		switch {
		case associationTypes[r.Type]:
			// folded in collectNetwork
		case subnetGroupTypes[r.Type]:
			var c subnetGroupConfig
			if b.read(r, &c) && (c.VpcID == vpcID || b.anySubnet(c.subnets())) {
				b.subnetGroupLeft = append(b.subnetGroupLeft, r)
			}
		case snapshotTypes[r.Type]:
			b.snapshots = append(b.snapshots, r)
		default:
			return false
		}
	}
	return true
}

// vpcLabel names another VPC: "VPC analytics (vpc-…, account …)" when
// the inventory has its item, else by id.
func (b *build) vpcLabel(prefix, id, account string) string {
	name := ""
	for _, r := range VPCs(b.inv) {
		if r.ID == id && (account == "" || r.AccountID == account) {
			if n := r.Tags["Name"]; n != "" {
				name = n
			}
			account = cmp.Or(account, r.AccountID)
		}
	}
	label := prefix + " " + cmp.Or(id, "(unknown)")
	if name != "" {
		label = prefix + " " + name + " (" + id
		if account != "" && account != b.account {
			label += ", account " + account
		}
		return label + ")"
	}
	if account != "" && account != b.account {
		label += " (account " + account + ")"
	}
	return label
}

// external adds (once) a component outside the VPC that stands for
// something Bulwark has no item of: a peer VPC, a customer gateway, the far
// side of a transit gateway.
func (b *build) external(id, typ, name, why string) *node {
	id = sanitize(id)
	for _, n := range b.nodes {
		if n.id == id {
			return n
		}
	}
	if b.cat.Type(typ) == nil {
		typ = GenericType
	}
	n := &node{id: id, typ: typ, name: name, subnet: "-", rank: 90, props: model.Properties{}}
	n.set(PropAccelerator, why)
	b.nodes = append(b.nodes, n)
	return n
}

// customerGateway returns the external component of a customer gateway: its
// own item when the inventory has it, else one derived from the VPN.
func (b *build) customerGateway(id string) *node {
	if id == "" {
		return b.external("cgw:unknown", "generic.on-premises", "Customer gateway", "VPN connection without a customer gateway id")
	}
	if n := b.byResource[id]; n != nil {
		return n
	}
	for _, r := range b.scope {
		if r.Type == "AWS::EC2::CustomerGateway" && r.ID == id {
			n := b.add(r, "-", 90)
			if n.typ == GenericType && b.cat.Type("generic.on-premises") != nil {
				n.typ = "generic.on-premises"
				delete(n.props, "sourceType")
				if b.stats.Generic[r.Type]--; b.stats.Generic[r.Type] <= 0 {
					delete(b.stats.Generic, r.Type)
				}
			}
			var c customerGatewayConfig
			if b.read(r, &c) {
				n.setNonEmpty("ipAddress", c.IPAddress)
				n.setNonEmpty("bgpAsn", c.BgpAsn)
			}
			n.set(PropAccelerator, "customer gateway (the network at the far end of a site-to-site VPN)")
			return n
		}
	}
	n := b.external(id, "generic.on-premises", "Customer gateway "+id, "customer gateway named by a VPN connection")
	n.set("customerGatewayId", id)
	return n
}

// transitFarSide draws, for the VPC's transit gateway attachment n, the
// transit gateway and what its other attachments connect (VPCs, VPNs,
// peerings, Direct Connect gateways), from the whole inventory.
func (b *build) transitFarSide(n *node, tgwID string, inv *inventory.Inventory) {
	if tgwID == "" {
		return
	}
	tgw := b.byResource[tgwID]
	if tgw == nil {
		for _, r := range inv.Resources() {
			if r.Type == "AWS::EC2::TransitGateway" && r.ID == tgwID {
				tgw = b.add(r, "-", 80)
				break
			}
		}
	}
	if tgw == nil {
		tgw = b.external("tgw:"+tgwID, "aws.transit-gateway", "Transit gateway "+tgwID, "transit gateway of attachment "+n.res.ID)
	}
	b.flow(n, tgw, "TCP", 0, "transit gateway", "attachment "+n.res.ID)
	for _, r := range inv.Resources() {
		if r.Type != "AWS::EC2::TransitGatewayAttachment" || r.ID == n.res.ID {
			continue
		}
		var c tgwAttachmentConfig
		if !decode(r, &c) || c.TransitGatewayID != tgwID {
			continue
		}
		kind := strings.ToLower(cmp.Or(c.ResourceType, "vpc"))
		far := cmp.Or(c.ResourceID, c.VpcID)
		if far == "" || far == b.vpc.ID {
			continue
		}
		var name string
		if kind == "vpc" {
			name = b.vpcLabel("VPC", far, r.AccountID)
		} else {
			name = fmt.Sprintf("%s %s", strings.ToUpper(kind[:1])+kind[1:], far)
			if r.AccountID != "" && r.AccountID != b.account {
				name += " (account " + r.AccountID + ")"
			}
		}
		f := b.external("tgw-peer:"+far, "generic.external-service", name, "attached to transit gateway "+tgwID+" by "+r.ID)
		f.set("attachmentId", r.ID)
		f.set("attachmentType", kind)
		b.flow(tgw, f, "TCP", 0, "transit gateway", "attachment "+r.ID)
	}
}

// finishNetwork folds VPN gateways into their VPN connections, subnet groups
// nobody drew into the VPC, and snapshots into their databases; it then
// draws the resources whose configuration could not be read.
func (b *build) finishNetwork() {
	for _, v := range b.vpnFolded {
		for _, r := range b.scope {
			if r.Type == "AWS::EC2::VPNGateway" && r.ID == v[0] {
				b.fold(r, v[1])
			}
		}
	}
	for _, r := range b.scope {
		if r.Type == "AWS::EC2::VPNGateway" && b.vgws[r.ID] {
			if _, ok := b.folded[r.ID]; !ok {
				b.addVPCProp("vpnGateways", r.ID)
				b.fold(r, b.vpc.ID)
			}
		}
	}
	for _, r := range b.subnetGroupLeft {
		if _, ok := b.folded[r.ID]; ok {
			continue
		}
		// An RDS subnet group is named by its instances' configuration;
		// fold it into the first one that uses it.
		into := b.vpc.ID
		for _, n := range b.nodes {
			if n.res != nil && n.res.Type == "AWS::RDS::DBInstance" {
				var c struct {
					DBSubnetGroup struct {
						DBSubnetGroupName string `json:"dBSubnetGroupName"`
					} `json:"dBSubnetGroup"`
				}
				if decode(n.res, &c) && (c.DBSubnetGroup.DBSubnetGroupName == r.ID || c.DBSubnetGroup.DBSubnetGroupName == r.Name) {
					into = n.id
					n.set("subnetGroup", c.DBSubnetGroup.DBSubnetGroupName)
					break
				}
			}
		}
		if into == b.vpc.ID {
			b.addVPCProp("subnetGroups", cmp.Or(r.Name, r.ID))
		}
		b.fold(r, into)
	}
	b.foldSnapshots()
	b.drawUnread()
}

// foldSnapshots lists each snapshot in the property "snapshots" of the
// database or cluster it was taken of, when that is drawn here; a snapshot
// whose database is not in the VPC but whose configuration names the VPC
// is noted.
func (b *build) foldSnapshots() {
	type dbKey struct{ typ, id string }
	dbs := map[dbKey]*node{}
	for _, n := range b.nodes {
		if n.res == nil {
			continue
		}
		switch n.res.Type {
		case "AWS::RDS::DBInstance", "AWS::RDS::DBCluster", "AWS::Redshift::Cluster":
			dbs[dbKey{n.res.Type, n.res.ID}] = n
			if n.res.Name != "" {
				dbs[dbKey{n.res.Type, n.res.Name}] = n
			}
			dbs[dbKey{n.res.Type, n.name}] = n
		}
	}
	snaps := map[*node][]string{}
	unencrypted := map[*node]bool{}
	var orphans []string
	for _, r := range b.snapshots {
		var c snapshotConfig
		b.read(r, &c)
		var owner *node
		switch r.Type {
		case "AWS::RDS::DBSnapshot":
			owner = dbs[dbKey{"AWS::RDS::DBInstance", c.DBInstanceIdentifier}]
		case "AWS::RDS::DBClusterSnapshot":
			owner = dbs[dbKey{"AWS::RDS::DBCluster", c.DBClusterIdentifier}]
		case "AWS::Redshift::ClusterSnapshot":
			owner = dbs[dbKey{"AWS::Redshift::Cluster", c.ClusterIdentifier}]
		}
		if owner == nil {
			if b.mentions(r) {
				orphans = append(orphans, r.ID)
				b.fold(r, b.vpc.ID)
			}
			continue
		}
		snaps[owner] = append(snaps[owner], r.ID)
		if (c.Encrypted != nil && !*c.Encrypted) || (c.StorageEncrypted != nil && !*c.StorageEncrypted) {
			unencrypted[owner] = true
		}
		b.fold(r, owner.id)
	}
	for n, ids := range snaps {
		slices.Sort(ids)
		n.set("snapshots", ids)
		if unencrypted[n] {
			n.set("unencryptedSnapshots", true)
		}
	}
	if len(orphans) > 0 {
		slices.Sort(orphans)
		b.stats.Notes = append(b.stats.Notes, fmt.Sprintf("snapshots of databases not in this VPC are not drawn (snapshots are not architecture): %s", strings.Join(orphans, ", ")))
	}
}

// drawUnread draws every resource of the VPC whose configuration could not
// be read, from its item's top-level fields, with a note that names it.
func (b *build) drawUnread() {
	var rs []*inventory.Resource
	for r := range b.unread {
		if b.byResource[r.ID] == nil && b.mentions(r) {
			if _, ok := b.folded[r.ID]; !ok {
				rs = append(rs, r)
			}
		}
	}
	slices.SortFunc(rs, func(x, y *inventory.Resource) int {
		return cmp.Or(cmp.Compare(x.Type, y.Type), cmp.Compare(x.ID, y.ID))
	})
	for _, r := range rs {
		subnet := ""
		for _, rel := range r.Relationships {
			if rel.Type == "AWS::EC2::Subnet" && b.subnets[rel.ID] != nil {
				subnet = b.firstSubnet([]string{subnet, rel.ID})
			}
		}
		n := b.add(r, subnet, 60)
		n.set("configurationUnread", true)
		for _, rel := range r.Relationships {
			if rel.Type == "AWS::EC2::SecurityGroup" && b.sgs[rel.ID] != nil {
				n.sgs = append(n.sgs, rel.ID)
			}
		}
		b.stats.Notes = append(b.stats.Notes, fmt.Sprintf("%s %s: its configuration could not be read (%v); drawn from the item's name and relationships, without its properties", r.Type, r.ID, b.unread[r]))
	}
}
