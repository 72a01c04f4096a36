package builder

import "github.com/bulwark-tm/bulwark/pkg/inventory"

// A mapper draws the resources of one AWS resource type: it decides whether
// r belongs to the VPC and, if it does, draws it (b.add, with its placement,
// properties and security groups) or folds it into what it belongs to
// (b.fold). Most mappers are written against the decoded configuration and
// registered through typed, which reads it with b.read, so that a
// configuration that does not parse is still drawn from the item with a
// note (drawUnread). The mappers of one AWS service live in one file,
// map_SERVICE.go, each with its own test, map_SERVICE_test.go.
type mapper func(b *build, r *inventory.Resource)

// mappers is the registry of mappers by CloudFormation resource type. A
// type that is not in it is drawn by drawGeneric wherever its
// configuration or relationships name the VPC or one of its subnets.
var mappers = registry()

// registry builds mappers: the mappers of the map_*.go files and of the
// type lists of folded types. It panics when a type has two mappers.
func registry() map[string]mapper {
	m := map[string]mapper{
		// Read in collect, before any mapper runs.
		"AWS::EC2::VPC": skip, "AWS::EC2::Subnet": skip, "AWS::EC2::RouteTable": skip,
		"AWS::EC2::SecurityGroup": skip, "AWS::EC2::NetworkAcl": skip,

		// map_ec2.go
		"AWS::EC2::Instance":         typed((*build).mapInstance),
		"AWS::EC2::NetworkInterface": typed((*build).mapNetworkInterface),
		"AWS::EC2::NatGateway":       typed((*build).mapNatGateway),
		"AWS::EC2::InternetGateway":  typed((*build).mapInternetGateway),

		// map_elb.go
		"AWS::ElasticLoadBalancingV2::LoadBalancer": typed((*build).mapLoadBalancer),
		"AWS::ElasticLoadBalancing::LoadBalancer":   typed((*build).mapLoadBalancer),
		"AWS::ElasticLoadBalancingV2::Listener":     typed((*build).mapListener),
		"AWS::ElasticLoadBalancingV2::TargetGroup":  typed((*build).mapTargetGroup),

		// Compute: map_lambda.go, map_ecs.go, map_eks.go
		"AWS::Lambda::Function": typed((*build).mapLambdaFunction),
		"AWS::ECS::Service":     typed((*build).mapECSService),
		"AWS::EKS::Cluster":     typed((*build).mapEKSCluster),

		// Data stores: map_rds.go, map_elasticache.go, map_opensearch.go, map_redshift.go
		"AWS::RDS::DBInstance":               typed((*build).mapDBInstance),
		"AWS::RDS::DBCluster":                typed((*build).mapDBCluster),
		"AWS::ElastiCache::CacheCluster":     typed((*build).mapCacheCluster),
		"AWS::ElastiCache::ReplicationGroup": (*build).mapReplicationGroup,
		"AWS::OpenSearch::Domain":            typed((*build).mapSearchDomain),
		"AWS::Elasticsearch::Domain":         typed((*build).mapSearchDomain),
		"AWS::Redshift::Cluster":             typed((*build).mapRedshiftCluster),

		// Links to other networks: map_vpcendpoint.go, map_transitgateway.go,
		// map_peering.go, map_vpn.go, map_route53resolver.go
		"AWS::EC2::VPCEndpoint":                  typed((*build).mapVPCEndpoint),
		"AWS::EC2::TransitGatewayAttachment":     typed((*build).mapTransitGatewayAttachment),
		"AWS::EC2::VPCPeeringConnection":         typed((*build).mapPeeringConnection),
		"AWS::EC2::VPNConnection":                typed((*build).mapVPNConnection),
		"AWS::EC2::CustomerGateway":              skip, // drawn with its VPN connections
		"AWS::EC2::VPNGateway":                   skip, // folded into its VPN connections
		"AWS::Route53Resolver::ResolverEndpoint": typed((*build).mapResolverEndpoint),

		// map_autoscaling.go
		"AWS::AutoScaling::AutoScalingGroup": typed((*build).mapAutoScalingGroup),
	}
	add := func(types map[string]bool, f mapper) {
		for t := range types {
			if _, dup := m[t]; dup {
				panic("builder: two mappers for " + t)
			}
			m[t] = f
		}
	}
	add(recordedWithOthers, (*build).foldRecorded)
	add(associationTypes, skip) // folded in collectNetwork
	add(subnetGroupTypes, typed((*build).mapSubnetGroup))
	add(snapshotTypes, (*build).mapSnapshot)
	return m
}

// typed makes a mapper of m, which draws a resource from its decoded
// configuration: the mapper reads r's configuration as a C and calls m only
// when it parses (b.read keeps one that does not for drawUnread).
func typed[C any](m func(b *build, r *inventory.Resource, c *C)) mapper {
	return func(b *build, r *inventory.Resource) {
		var c C
		if b.read(r, &c) {
			m(b, r, &c)
		}
	}
}

// skip is the mapper of types that are read before the mappers run, or
// drawn and folded with others.
func skip(*build, *inventory.Resource) {}

// recordedWithOthers are types that are never drawn: they are recorded with
// what they serve (an address, a volume, a flow log).
var recordedWithOthers = map[string]bool{
	"AWS::EC2::EIP": true, "AWS::EC2::FlowLog": true, "AWS::EC2::Volume": true, "AWS::EC2::VPCEndpointService": true,
}

// foldRecorded folds a type of recordedWithOthers when it names the VPC.
func (b *build) foldRecorded(r *inventory.Resource) {
	if b.mentions(r) {
		b.fold(r, "not drawn ("+r.Type+" is recorded with what it serves)")
	}
}

// resource draws r with the mapper of its type.
func (b *build) resource(r *inventory.Resource) {
	if m, ok := mappers[r.Type]; ok {
		m(b, r)
		return
	}
	b.drawGeneric(r)
}

// drawGeneric draws a resource of a type without a mapper when its
// configuration or relationships place it in the VPC: in the first of its
// subnets, with the security groups its configuration or relationships
// name. A resource whose configuration does not parse is drawn here when
// its relationships place it; else drawUnread draws it, with a note, when
// its configuration names the VPC or a subnet.
func (b *build) drawGeneric(r *inventory.Resource) {
	var c genericConfig
	b.read(r, &c)
	subnets := append([]string{c.SubnetID}, c.SubnetIDs...)
	if c.VpcID != b.vpc.ID && !b.anySubnet(subnets) && !b.related(r) {
		return
	}
	n := b.add(r, b.firstSubnet(subnets), 60)
	n.sgs = c.groupIDs()
	for _, rel := range r.Relationships {
		if rel.Type == "AWS::EC2::SecurityGroup" && b.sgs[rel.ID] != nil {
			n.sgs = append(n.sgs, rel.ID)
		}
	}
}
