package builder

import (
	"encoding/json"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/inventory"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// drawing is what the mappers made of one configuration item: where its
// component is placed (Subnet "" for the VPC level, "-" outside the VPC),
// its type, name, properties (as JSON) and security groups, or what it was
// folded into; and the notes of the build.
type drawing struct {
	Drawn  bool
	Subnet string
	Type   string
	Name   string
	Public bool
	SGs    []string
	Props  map[string]string
	Folded string
	Notes  []string
}

// mapOne runs the mappers over the small VPC of netInventory (subnets
// subnet-15aaab61 in us-west-2a and subnet-25bbbc72 in us-west-2b), extra
// and item, and returns what they made of item.
func mapOne(t *testing.T, item *inventory.Resource, extra ...*inventory.Resource) drawing {
	t.Helper()
	inv := netInventory(t, append(extra, item)...)
	b := newBuild(catalogT(t), VPCs(inv)[0])
	b.collect(inv)
	d := drawing{Folded: b.folded[item.ID], Notes: b.stats.Notes}
	if n := b.byResource[item.ID]; n != nil {
		d.Drawn, d.Subnet, d.Type, d.Name, d.Public, d.SGs = true, n.subnet, n.typ, n.name, n.public, n.sgs
		d.Props = map[string]string{}
		for k, v := range n.props {
			d.Props[k] = string(v)
		}
	}
	return d
}

// mapperCase is one row of a mapper's table: a configuration item, the
// items it needs beside the VPC (a subnet group, say), and what the
// mappers should make of it.
type mapperCase struct {
	name  string
	item  *inventory.Resource
	extra []*inventory.Resource
	want  drawing
}

// folded is a row whose item is folded into into, not drawn.
func folded(name string, item *inventory.Resource, into string, extra ...*inventory.Resource) mapperCase {
	return mapperCase{name: name, item: item, extra: extra, want: drawing{Folded: into}}
}

// absent is a row whose item is neither drawn nor folded: it is not of
// this VPC.
func absent(name string, item *inventory.Resource) mapperCase {
	return mapperCase{name: name, item: item}
}

// testMappers runs a mapper's table.
func testMappers(t *testing.T, tests []mapperCase) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := mapOne(t, tc.item, tc.extra...)
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s %s (-want +got):\n%s", tc.item.Type, tc.item.ID, diff)
			}
		})
	}
}

func TestMapDispatch(t *testing.T) {
	subnet := []inventory.Relationship{{Type: "AWS::EC2::Subnet", ID: "subnet-25bbbc72"}}
	testMappers(t, []mapperCase{
		{
			name: "configuration that does not parse, drawn from the item with a note",
			item: &inventory.Resource{Type: "AWS::EC2::Instance", ID: "i-0123456789abcdef0", Configuration: json.RawMessage(`{"vpcId":"vpc-a01106c2",`), Relationships: subnet},
			want: drawing{Drawn: true, Subnet: "subnet-25bbbc72", Type: "aws.ec2", Name: "i-0123456789abcdef0",
				Props: map[string]string{"configurationUnread": "true"},
				Notes: []string{"AWS::EC2::Instance i-0123456789abcdef0: its configuration could not be read (unexpected end of JSON input); drawn from the item's name and relationships, without its properties"}},
		},
		{
			name: "item without a configuration, drawn from its relationships with a note",
			item: &inventory.Resource{Type: "AWS::OpenSearch::Domain", ID: "search", Relationships: subnet},
			want: drawing{Drawn: true, Subnet: "subnet-25bbbc72", Type: "aws.opensearch", Name: "search",
				Props: map[string]string{"configurationUnread": "true"},
				Notes: []string{"AWS::OpenSearch::Domain search: its configuration could not be read (the item has no configuration); drawn from the item's name and relationships, without its properties"}},
		},
		{
			name: "type recorded with what it serves",
			item: &inventory.Resource{Type: "AWS::EC2::EIP", ID: "eipalloc-0123456789abcdef0", Configuration: json.RawMessage(`{"domain":"vpc"}`), Relationships: subnet},
			want: drawing{Folded: "not drawn (AWS::EC2::EIP is recorded with what it serves)"},
		},
		{
			name: "type without a mapper, placed by its configuration and drawn as a generic component",
			item: raw(t, "AWS::EFS::MountTarget", "fsmt-0123456789abcdef0", `{"subnetId":"subnet-25bbbc72","securityGroups":["sg-11111111"]}`),
			want: drawing{Drawn: true, Subnet: "subnet-25bbbc72", Type: GenericType, Name: "fsmt-0123456789abcdef0", SGs: []string{"sg-11111111"},
				Props: map[string]string{"sourceType": `"AWS::EFS::MountTarget"`}},
		},
		{
			name: "type without a mapper, of another VPC",
			item: raw(t, "AWS::EFS::MountTarget", "fsmt-0123456789abcdef1", `{"subnetId":"subnet-99999999","vpcId":"vpc-99999999"}`),
		},
	})
}

func TestRegistry(t *testing.T) {
	for typ, m := range mappers {
		if m == nil {
			t.Errorf("%s: nil mapper", typ)
		}
	}
	for _, typ := range []string{"AWS::EC2::VPC", "AWS::EC2::Instance", "AWS::RDS::DBSnapshot", "AWS::EC2::SubnetCidrBlock", "AWS::EC2::FlowLog"} {
		if mappers[typ] == nil {
			t.Errorf("%s has no mapper", typ)
		}
	}
}
