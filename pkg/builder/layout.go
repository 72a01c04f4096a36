package builder

import (
	"cmp"
	"encoding/json"
	"maps"
	"math"
	"slices"

	"github.com/bulwark-tm/bulwark/pkg/model"
)

// Layout metrics, in canvas units.
const (
	compW    = 160.0 // component width
	compH    = 80.0  // component height
	cellW    = 200.0 // grid cell: a component and the gap to the next
	cellH    = 120.0
	pad      = 30.0 // inner margin of a container
	header   = 40.0 // room for a container's title
	gap      = 30.0 // between sibling containers
	minBoxW  = 260.0
	minBoxH  = 140.0
	outsideX = 240.0 // the VPC's left edge; the internet sits left of it
)

func jsonString(s string) (json.RawMessage, error) { return json.Marshal(s) }

// grid places nodes in rows of cols cells from (x0, y0) and returns the
// components and the size the grid needs.
func grid(nodes []*node, parent string, x0, y0 float64, cols int) ([]model.Component, float64, float64) {
	if len(nodes) == 0 {
		return nil, 0, 0
	}
	cols = max(1, min(cols, len(nodes)))
	out := make([]model.Component, 0, len(nodes))
	for i, n := range nodes {
		c := model.Component{
			ID: n.id, Type: n.typ, Name: truncate(n.name), Parent: parent,
			Position:   model.Point{X: x0 + float64(i%cols)*cellW, Y: y0 + float64(i/cols)*cellH},
			Size:       &model.Size{Width: compW, Height: compH},
			Properties: n.props,
		}
		if n.res != nil {
			c.Resource = resourceOf(n.res)
		}
		if len(c.Properties) == 0 {
			c.Properties = nil
		}
		out = append(out, c)
	}
	rows := (len(nodes) + cols - 1) / cols
	return out, float64(cols-1)*cellW + compW, float64(rows-1)*cellH + compH
}

func squareCols(n int) int { return max(1, int(math.Ceil(math.Sqrt(float64(n))))) }

func sortNodes(ns []*node) {
	slices.SortFunc(ns, func(a, b *node) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.name, b.name), cmp.Compare(a.id, b.id))
	})
}

// layout arranges the diagram: the VPC's own components in a band at its
// top, then its zones side by side, each with its subnets stacked (public
// first), each subnet a square grid of its resources. The internet sits
// left of the VPC and regional services in a column right of it.
func (b *build) layout() model.Diagram {
	var d model.Diagram
	vpcID := b.vpc.ID

	// Zones and their subnets.
	zones := map[string][]*subnetInfo{}
	for _, s := range b.subnets {
		zones[s.cfg.AvailabilityZone] = append(zones[s.cfg.AvailabilityZone], s)
	}
	zoneNames := make([]string, 0, len(zones))
	for z := range zones {
		zoneNames = append(zoneNames, z)
	}
	slices.Sort(zoneNames)

	type box struct {
		g    model.Group
		w, h float64
	}
	var azBoxes []box
	var subnetGroups []model.Group
	x := pad
	azTop := 0.0 // set after the band is measured; zones are shifted then
	rowH := 0.0
	for _, z := range zoneNames {
		subs := zones[z]
		slices.SortFunc(subs, func(a, c *subnetInfo) int {
			if a.public != c.public {
				if a.public {
					return -1
				}
				return 1
			}
			return cmp.Or(cmp.Compare(a.cfg.CidrBlock, c.cfg.CidrBlock), cmp.Compare(a.res.ID, c.res.ID))
		})
		azID := sanitize("az:" + vpcID + ":" + cmp.Or(z, "unknown"))
		y := header
		w := minBoxW
		for _, s := range subs {
			sortNodes(s.nodes)
			comps, gw, gh := grid(s.nodes, s.res.ID, pad, header, squareCols(len(s.nodes)))
			d.Components = append(d.Components, comps...)
			sw, sh := max(minBoxW, gw+2*pad), max(minBoxH, header+gh+pad)
			g := model.Group{
				ID: s.res.ID, Kind: model.KindContainer, Type: "aws.subnet", Name: truncate(subnetName(s)), Parent: azID,
				Position: model.Point{X: pad, Y: y}, Size: model.Size{Width: sw, Height: sh},
				Resource: resourceOf(s.res), Properties: model.Properties{},
			}
			setGroup(&g, "public", s.public)
			setGroup(&g, "autoAssignPublicIp", s.cfg.MapPublicIPOnLaunch)
			setGroup(&g, "availabilityZone", s.cfg.AvailabilityZone)
			setGroup(&g, "cidr", s.cfg.CidrBlock)
			if acls := b.nacls[s.res.ID]; len(acls) > 0 {
				setGroup(&g, "networkAcls", acls)
			}
			subnetGroups = append(subnetGroups, g)
			y += sh + gap
			w = max(w, sw+2*pad)
		}
		h := max(minBoxH, y-gap+pad)
		g := model.Group{ID: azID, Kind: model.KindGroup, Name: cmp.Or(z, "unknown zone"), Parent: vpcID,
			Position: model.Point{X: x, Y: azTop}, Size: model.Size{Width: w, Height: h}, Properties: model.Properties{}}
		setGroup(&g, PropAccelerator, "availability zone "+z)
		azBoxes = append(azBoxes, box{g, w, h})
		x += w + gap
		rowH = max(rowH, h)
	}
	azRowW := max(0, x-gap-pad)

	// The VPC's own components, in a band above the zones.
	var band []*node
	var outside []*node
	for _, n := range b.nodes {
		switch {
		case n.subnet == "-":
			outside = append(outside, n)
		case n.subnet == "":
			band = append(band, n)
		}
	}
	sortNodes(band)
	bandCols := max(squareCols(len(band)), int((azRowW+cellW-compW)/cellW))
	bandComps, bandW, bandH := grid(band, vpcID, pad, header, bandCols)
	d.Components = append(d.Components, bandComps...)
	azTop = header
	if len(band) > 0 {
		azTop = header + bandH + gap
	}
	vpcW := max(minBoxW, max(azRowW, bandW)+2*pad)
	vpcH := max(minBoxH, azTop+rowH+pad)
	vpcGroup := model.Group{ID: vpcID, Kind: model.KindContainer, Type: "aws.vpc", Name: truncate(b.vpc.DisplayName()),
		Position: model.Point{X: outsideX, Y: 0}, Size: model.Size{Width: vpcW, Height: vpcH}, Resource: resourceOf(b.vpc), Properties: model.Properties{}}
	setGroup(&vpcGroup, "cidr", b.vpcCfg.CidrBlock)
	for _, k := range slices.Sorted(maps.Keys(b.vpcProps)) {
		v := slices.Sorted(slices.Values(b.vpcProps[k]))
		setGroup(&vpcGroup, k, v)
	}
	if len(vpcGroup.Properties) == 0 {
		vpcGroup.Properties = nil
	}
	d.Groups = append(d.Groups, vpcGroup)
	for _, a := range azBoxes {
		a.g.Position.Y = azTop
		d.Groups = append(d.Groups, a.g)
	}
	d.Groups = append(d.Groups, subnetGroups...)

	// Outside the VPC: the internet on the left, services on the right.
	sortNodes(outside)
	y := 0.0
	for _, n := range outside {
		var comps []model.Component
		if n == b.internet {
			comps, _, _ = grid([]*node{n}, "", 0, vpcH/2-compH/2, 1)
		} else {
			comps, _, _ = grid([]*node{n}, "", outsideX+vpcW+2*gap, y, 1)
			y += cellH
		}
		d.Components = append(d.Components, comps...)
	}

	d.Flows = make([]model.Flow, 0, len(b.flows))
	for _, f := range b.flows {
		d.Flows = append(d.Flows, *f)
	}
	slices.SortFunc(d.Flows, func(a, c model.Flow) int {
		return cmp.Or(cmp.Compare(a.Source, c.Source), cmp.Compare(a.Target, c.Target), cmp.Compare(a.Port, c.Port), cmp.Compare(a.Protocol, c.Protocol))
	})
	return d
}

func subnetName(s *subnetInfo) string {
	kind := "private"
	if s.public {
		kind = "public"
	}
	name := s.res.DisplayName()
	if name == s.res.ID {
		return kind + " subnet " + s.cfg.CidrBlock
	}
	return name + " (" + kind + ")"
}

func setGroup(g *model.Group, k string, v any) {
	if s, ok := v.(string); ok && s == "" {
		return
	}
	raw, err := json.Marshal(v)
	if err != nil {
		panic("builder: property " + k + ": " + err.Error())
	}
	g.Properties[k] = raw
}
