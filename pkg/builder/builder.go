// Package builder turns the inventory of one VPC into a threat model
// diagram: containment VPC › Availability Zone › subnet (public or private,
// from the route tables) › resources, with security groups as properties of
// what they protect, data flows derived from security-group rules, load
// balancer listeners and target groups and internet routes, and the regional
// services the VPC reaches through endpoints. What links the VPC to other
// networks is drawn too: peerings (with the peer VPC outside), site-to-site
// VPNs (with the customer gateway outside), transit gateway attachments
// (with what the gateway's other attachments connect). Associations, subnet
// groups and snapshots are folded into what they belong to (Result.Folded);
// a resource whose configuration cannot be read is drawn from its item's
// name and relationships, with a note. Nothing of the VPC is dropped
// without a note.
//
// The result is deterministic: the same inventory gives the same document,
// byte for byte. Element ids derive from the resources (an instance is
// "i-0abc…", a Lambda function "lambda:orders"), so that a rebuild or a
// sync (pkg/drift) keeps the statuses and notes users gave to threats and
// requirements. The layout is computed here, on the server: a grid inside
// every subnet, subnets stacked inside their zone, zones side by side, and
// containers sized to their content, so that nothing overlaps at any size.
//
// Every AWS resource type is drawn by its mapper: the registry in
// mappers.go names, by CloudFormation type, the mappers that the files
// map_SERVICE.go hold, one file per AWS service, each with a table test in
// map_SERVICE_test.go. To draw a new type, add its configuration shape and
// mapper to the file of its service (or a new one), register it, and add
// rows to the service's table; a type without a mapper is drawn as a
// generic component wherever its configuration or relationships place it.
//
// Every element the builder derives either carries the AWS resource it
// stands for (Component.Resource, Group.Resource) or the property
// PropAccelerator; pkg/drift treats everything else as drawn by hand.
package builder

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/inventory"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// GenericType is the component type of resources whose AWS type the catalog
// does not know; the component keeps the AWS type in its Resource and in
// the type's property "sourceType".
const GenericType = "generic.component"

// InternetType is the component type of the "Internet users" component that
// internet-facing flows start from.
const InternetType = "generic.browser"

// PropAccelerator is the property that marks an element the builder derived
// without an AWS resource of its own (availability zones, the internet,
// regional services, flows). Its value says what it was derived from.
const PropAccelerator = "accelerator"

// Model properties that record which VPC a model was built from.
const (
	PropVPC     = "aws.vpcId"
	PropAccount = "aws.accountId"
	PropRegion  = "aws.region"
)

// MaxPairs bounds the flows one security-group rule draws: when the source
// and target groups have more member pairs than this, each member is drawn
// in one flow (a round-robin matching) instead of every pair, and the flows
// say so in the property "aggregated".
const MaxPairs = 64

// Options selects the VPC to build.
type Options struct {
	VPC     string // VPC id, required
	Account string // account id, needed only when several accounts have the VPC id
	Region  string // region, likewise
	ModelID string // id of the model; default "aws-ACCOUNT-REGION-VPC"
}

// Stats counts what a build produced.
type Stats struct {
	Resources  int            `json:"resources"`  // resources of the VPC's account and region considered
	Components int            `json:"components"` // including the internet and regional services
	Groups     int            `json:"groups"`
	Flows      int            `json:"flows"`
	Folded     int            `json:"folded"`            // ENIs, route tables, security groups, listeners, … folded into others
	Generic    map[string]int `json:"generic,omitempty"` // AWS types drawn as GenericType, with counts
	Notes      []string       `json:"notes,omitempty"`
}

// Result is a built model and what went into it.
type Result struct {
	Model *model.ThreatModel
	Stats Stats
	// Folded maps the id of every resource of the VPC that is not drawn
	// as an element of its own to what it was folded into (a component or
	// group id, or a phrase such as "its subnets").
	Folded map[string]string
}

// VPCs lists the VPCs of an inventory, in key order.
func VPCs(inv *inventory.Inventory) []*inventory.Resource {
	var out []*inventory.Resource
	for _, r := range inv.Resources() {
		if r.Type == "AWS::EC2::VPC" {
			out = append(out, r)
		}
	}
	return out
}

// Build draws the VPC opts.VPC of inv. It fails with errs.NotFound when the
// inventory has no such VPC and errs.Invalid when several accounts or
// regions have it and opts does not say which.
func Build(cat *catalog.Catalog, inv *inventory.Inventory, opts Options) (*Result, error) {
	if opts.VPC == "" {
		return nil, errs.Field("vpc", "a VPC id is required")
	}
	var found []*inventory.Resource
	for _, r := range VPCs(inv) {
		if r.ID == opts.VPC && (opts.Account == "" || r.AccountID == opts.Account) && (opts.Region == "" || r.Region == opts.Region) {
			found = append(found, r)
		}
	}
	switch len(found) {
	case 0:
		var refs []VPCRef
		for _, ref := range MissingVPCs(inv) {
			if ref.ID == opts.VPC && (opts.Account == "" || ref.AccountID == opts.Account) && (opts.Region == "" || ref.Region == opts.Region) {
				refs = append(refs, ref)
			}
		}
		if len(refs) > 0 {
			return nil, errs.E(errs.NotFound, "build VPC %s: the AWS Config data has no configuration item of this VPC, though %d items refer to it; get it with: %s", opts.VPC, refs[0].Items, HowToGetVPC(refs[0]))
		}
		return nil, errs.E(errs.NotFound, "build VPC %s: the AWS Config data has no such VPC%s", opts.VPC, scopeText(opts))
	case 1:
	default:
		var where []string
		for _, r := range found {
			where = append(where, r.AccountID+"/"+r.Region)
		}
		return nil, errs.E(errs.Invalid, "build VPC %s: found in %s; choose one with the account (and region)", opts.VPC, strings.Join(where, ", "))
	}
	b := newBuild(cat, found[0])
	b.collect(inv)
	b.place()
	b.deriveFlows()
	m := b.assemble(opts)
	return &Result{Model: m, Stats: b.stats, Folded: b.folded}, nil
}

func scopeText(o Options) string {
	switch {
	case o.Account != "" && o.Region != "":
		return " in account " + o.Account + " region " + o.Region
	case o.Account != "":
		return " in account " + o.Account
	case o.Region != "":
		return " in region " + o.Region
	}
	return ""
}

// node is a component to draw.
type node struct {
	id     string
	res    *inventory.Resource
	typ    string
	name   string
	subnet string // subnet id; "" for the VPC level; "-" for outside the VPC
	sgs    []string
	props  model.Properties
	rank   int  // drawing order within its container
	public bool // reachable from the internet (public IP or internet-facing)
}

type subnetInfo struct {
	res    *inventory.Resource
	cfg    subnetConfig
	public bool
	nodes  []*node
}

type build struct {
	cat     *catalog.Catalog
	vpc     *inventory.Resource
	vpcCfg  vpcConfig
	account string
	region  string

	subnets     map[string]*subnetInfo
	routeTables []routeTableConfig
	sgs         map[string]*securityGroupConfig
	igw         *node
	nodes       []*node
	byResource  map[string]*node // resource id → node
	enis        []eniConfig
	listeners   []listenerConfig
	targetGroup map[string]targetGroupConfig
	asgs        []asgConfig
	lbCfg       map[*node]loadBalancerConfig
	ecsCfg      map[string]ecsServiceConfig
	nacls       map[string][]string // subnet → NACL ids
	services    map[string]*node    // regional services by endpoint service
	internet    *node
	flows       map[string]*model.Flow
	stats       Stats
	flowState   // security-group flow inference (flows.go)
	network     // links to other networks, folds, unread configurations (network.go)
}

func newBuild(cat *catalog.Catalog, vpc *inventory.Resource) *build {
	b := &build{
		cat: cat, vpc: vpc, account: vpc.AccountID, region: vpc.Region,
		subnets: map[string]*subnetInfo{}, sgs: map[string]*securityGroupConfig{},
		byResource: map[string]*node{}, targetGroup: map[string]targetGroupConfig{},
		lbCfg: map[*node]loadBalancerConfig{}, ecsCfg: map[string]ecsServiceConfig{},
		nacls: map[string][]string{}, services: map[string]*node{}, flows: map[string]*model.Flow{},
	}
	decode(vpc, &b.vpcCfg)
	return b
}

func decode(r *inventory.Resource, v any) bool {
	if len(r.Configuration) == 0 {
		return false
	}
	return json.Unmarshal(r.Configuration, v) == nil
}

// collect reads the resources of the VPC's account and region: first the
// network (subnets, route tables, groups), then everything placed in it.
func (b *build) collect(inv *inventory.Inventory) {
	var scope []*inventory.Resource
	for _, r := range inv.Resources() {
		if r.AccountID == b.account && r.Region == b.region {
			scope = append(scope, r)
		}
	}
	b.stats.Resources = len(scope)
	b.inv, b.scope = inv, scope
	vpcID := b.vpc.ID
	for _, r := range scope {
		switch r.Type {
		case "AWS::EC2::Subnet":
			var c subnetConfig
			if decode(r, &c) && c.VpcID == vpcID {
				c.SubnetID = cmp.Or(c.SubnetID, r.ID)
				c.AvailabilityZone = cmp.Or(c.AvailabilityZone, r.AvailabilityZone)
				b.subnets[r.ID] = &subnetInfo{res: r, cfg: c}
			}
		case "AWS::EC2::RouteTable":
			var c routeTableConfig
			if b.read(r, &c) && c.VpcID == vpcID {
				c.RouteTableID = cmp.Or(c.RouteTableID, r.ID)
				b.routeTables = append(b.routeTables, c)
				b.fold(r, vpcID)
			}
		case "AWS::EC2::SecurityGroup":
			var c securityGroupConfig
			if b.read(r, &c) && c.VpcID == vpcID {
				c.GroupID = cmp.Or(c.GroupID, r.ID)
				b.sgs[r.ID] = &c
				b.fold(r, "the resources it protects")
			}
		case "AWS::EC2::NetworkAcl":
			var c struct {
				VpcID        string `json:"vpcId"`
				Associations []struct {
					SubnetID string `json:"subnetId"`
				} `json:"associations"`
			}
			if b.read(r, &c) && c.VpcID == vpcID {
				for _, a := range c.Associations {
					b.nacls[a.SubnetID] = append(b.nacls[a.SubnetID], r.ID)
				}
				b.fold(r, "its subnets")
			}
		}
	}
	b.collectNetwork(scope)
	for _, a := range b.rtAssoc {
		for i := range b.routeTables {
			if b.routeTables[i].RouteTableID == a[0] {
				b.routeTables[i].Associations = append(b.routeTables[i].Associations, struct {
					Main     bool   `json:"main"`
					SubnetID string `json:"subnetId"`
				}{SubnetID: a[1]})
			}
		}
	}
	for _, r := range scope {
		b.resource(r)
	}
	b.finishNetwork()
}

// related reports whether r has a relationship to the VPC or one of its
// subnets.
func (b *build) related(r *inventory.Resource) bool {
	for _, rel := range r.Relationships {
		if (rel.Type == "AWS::EC2::VPC" && rel.ID == b.vpc.ID) || (rel.Type == "AWS::EC2::Subnet" && b.subnets[rel.ID] != nil) {
			return true
		}
	}
	return false
}

func (b *build) anySubnet(ids []string) bool {
	for _, id := range ids {
		if b.subnets[id] != nil {
			return true
		}
	}
	return false
}

// firstSubnet returns the first of ids (by zone, then id) that belongs to
// the VPC, or "".
func (b *build) firstSubnet(ids []string) string {
	best := ""
	for _, id := range ids {
		s := b.subnets[id]
		if s == nil {
			continue
		}
		if best == "" || subnetLess(s, b.subnets[best]) {
			best = id
		}
	}
	return best
}

// zoneSubnet returns the first of ids that is a subnet of the VPC in zone,
// else firstSubnet(ids).
func (b *build) zoneSubnet(ids []string, zone string) string {
	for _, id := range ids {
		if s := b.subnets[id]; s != nil && s.cfg.AvailabilityZone == zone {
			return id
		}
	}
	return b.firstSubnet(ids)
}

func subnetLess(a, c *subnetInfo) bool {
	return cmp.Or(cmp.Compare(a.cfg.AvailabilityZone, c.cfg.AvailabilityZone), cmp.Compare(a.res.ID, c.res.ID)) < 0
}

// add creates the node of r in subnet ("" for the VPC level).
func (b *build) add(r *inventory.Resource, subnet string, rank int) *node {
	if subnet != "-" && b.subnets[subnet] == nil {
		subnet = ""
	}
	typ := GenericType
	if t := b.cat.TypeForResource(r.Type); t != nil {
		typ = t.ID
	}
	n := &node{id: ComponentID(r), res: r, typ: typ, name: r.DisplayName(), subnet: subnet, rank: rank, props: model.Properties{}}
	if typ == GenericType {
		if b.stats.Generic == nil {
			b.stats.Generic = map[string]int{}
		}
		b.stats.Generic[r.Type]++
		n.set("sourceType", r.Type)
	}
	b.nodes = append(b.nodes, n)
	b.byResource[r.ID] = n
	if r.ARN != "" {
		b.byResource[r.ARN] = n
	}
	return n
}

func (n *node) set(k string, v any) {
	raw, err := json.Marshal(v)
	if err != nil {
		panic("builder: property " + k + ": " + err.Error()) // only plain values are set
	}
	n.props[k] = raw
}

func (n *node) setNonEmpty(k, v string) {
	if v != "" {
		n.set(k, v)
	}
}

var (
	awsIDPattern = regexp.MustCompile(`^[a-z]+(-[a-z]+)*-[0-9a-f]{8,17}$`)
	unsafeID     = regexp.MustCompile(`[^A-Za-z0-9._:@/-]+`)
	typeSlug     = map[string]string{
		"AWS::Lambda::Function": "lambda", "AWS::RDS::DBInstance": "rds", "AWS::RDS::DBCluster": "rds-cluster",
		"AWS::ElasticLoadBalancingV2::LoadBalancer": "elb", "AWS::ElasticLoadBalancing::LoadBalancer": "clb",
		"AWS::ECS::Service": "ecs-service", "AWS::EKS::Cluster": "eks",
	}
)

// ComponentID returns the deterministic id of the element that stands for
// r: the resource id itself for EC2-style ids ("i-0abc…", "subnet-…"),
// else a short type slug and the resource id ("lambda:orders"), hashed when
// it would be longer than model.MaxIDLen.
func ComponentID(r *inventory.Resource) string {
	if awsIDPattern.MatchString(r.ID) {
		return r.ID
	}
	slug := typeSlug[r.Type]
	if slug == "" {
		slug = strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(r.Type, "AWS::"), "::", "-"))
	}
	id := r.ID
	if strings.HasPrefix(id, "arn:") { // ELB and ECS ids are ARNs: keep the part after the service
		if i := strings.Index(id, ":"+r.AccountID+":"); i >= 0 {
			id = id[i+len(r.AccountID)+2:]
		}
	}
	out := slug + ":" + sanitize(id)
	if len(out) > model.MaxIDLen {
		sum := sha256.Sum256([]byte(r.Type + "\x00" + r.ID))
		out = out[:model.MaxIDLen-17] + "-" + hex.EncodeToString(sum[:8])
	}
	return out
}

func sanitize(s string) string {
	s = unsafeID.ReplaceAllString(s, "_")
	return strings.TrimLeft(s, "._:@/-")
}

// truncate shortens a name to the model's limit.
func truncate(s string) string { return model.Clip(s, model.MaxNameLen) }

// assemble writes the model.
func (b *build) assemble(opts Options) *model.ThreatModel {
	vpcName := b.vpc.DisplayName()
	id := cmp.Or(opts.ModelID, sanitize("aws-"+b.account+"-"+b.region+"-"+b.vpc.ID))
	m := &model.ThreatModel{
		SchemaVersion: model.SchemaVersion,
		ID:            id,
		Name:          truncate(fmt.Sprintf("%s (%s)", vpcName, b.vpc.ID)),
		Description:   fmt.Sprintf("Built from AWS Config data of VPC %s in account %s, region %s.", b.vpc.ID, b.account, b.region),
		ProjectType:   "AWS Cloud Application",
		Priority:      model.PriorityMedium,
		Facing:        model.FacingInternal,
		Labels:        []string{"aws-accelerator"},
		Properties:    map[string]string{PropVPC: b.vpc.ID, PropAccount: b.account, PropRegion: b.region},
	}
	if b.internet != nil {
		m.Facing = model.FacingPublic
	}
	m.Diagram = b.layout()
	m.Normalize()
	b.stats.Components = len(m.Diagram.Components)
	b.stats.Groups = len(m.Diagram.Groups)
	b.stats.Flows = len(m.Diagram.Flows)
	return m
}

func resourceOf(r *inventory.Resource) *model.AWSResource {
	return &model.AWSResource{ARN: r.ARN, ResourceType: r.Type, ResourceID: r.ID, AccountID: r.AccountID, Region: r.Region}
}
