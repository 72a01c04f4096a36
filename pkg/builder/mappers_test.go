package builder

import (
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
