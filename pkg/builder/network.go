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

// This file holds what the mappers share about the VPC's network: the first
// pass over the types that others refer to (VPN gateways, subnet groups,
// associations), folding, reading configurations, the components outside
// the VPC that links lead to, and the last pass that folds VPN gateways,
// subnet groups and snapshots and draws, with a note, every resource whose
// configuration cannot be read.

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

func (b *build) addVPCProp(k, v string) {
	if !slices.Contains(b.vpcProps[k], v) {
		b.vpcProps[k] = append(b.vpcProps[k], v)
	}
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
