package builder

import (
	"slices"
	"strings"
)

// place decides which subnets are public, folds ENIs into their instances
// and ECS task ENIs into their services, and records security groups as
// properties.
func (b *build) place() {
	// A subnet is public when its route table (explicit, else the VPC's
	// main one) routes to an internet gateway.
	explicit := map[string]bool{}
	mainPublic := false
	for _, rt := range b.routeTables {
		toIGW := false
		for _, r := range rt.Routes {
			if strings.HasPrefix(r.GatewayID, "igw-") {
				toIGW = true
			}
		}
		for _, a := range rt.Associations {
			if a.Main {
				mainPublic = toIGW
			}
			if a.SubnetID != "" {
				explicit[a.SubnetID] = true
				if s := b.subnets[a.SubnetID]; s != nil {
					s.public = toIGW
				}
			}
		}
	}
	for id, s := range b.subnets {
		if !explicit[id] {
			s.public = mainPublic
		}
	}

	// ENIs: attached to an instance → the instance's; an ECS task ENI
	// (description "arn:aws:ecs:…:attachment/…") → a service with the same
	// groups in that subnet, counted as a task.
	services := map[string][]*node{}
	for _, n := range b.nodes {
		if n.res != nil && n.res.Type == "AWS::ECS::Service" {
			for _, s := range b.ecsCfg[n.id].NetworkConfiguration.AwsvpcConfiguration.Subnets {
				services[s] = append(services[s], n)
			}
		}
	}
	enis := map[*node][]string{}
	tasks := map[*node]int{}
	for _, e := range b.enis {
		if inst := b.byResource[e.Attachment.InstanceID]; inst != nil && e.Attachment.InstanceID != "" {
			enis[inst] = append(enis[inst], e.NetworkInterfaceID)
			for _, g := range e.Groups {
				inst.sgs = append(inst.sgs, g.GroupID)
			}
			if e.Association.PublicIP != "" {
				inst.public = true
				inst.set("publicIp", true)
			}
			continue
		}
		if strings.Contains(e.Description, ":attachment/") && strings.HasPrefix(e.Description, "arn:aws:ecs:") {
			var groups []string
			for _, g := range e.Groups {
				groups = append(groups, g.GroupID)
			}
			slices.Sort(groups)
			for _, svc := range services[e.SubnetID] {
				sg := slices.Clone(svc.sgs)
				slices.Sort(sg)
				if slices.Equal(sg, groups) {
					tasks[svc]++
					break
				}
			}
		}
	}
	for n, ids := range enis {
		slices.Sort(ids)
		n.set("networkInterfaces", ids)
	}
	for n, c := range tasks {
		n.set("runningTasks", c)
	}

	for _, n := range b.nodes {
		if len(n.sgs) == 0 {
			continue
		}
		slices.Sort(n.sgs)
		n.sgs = slices.Compact(n.sgs)
		labels := make([]string, 0, len(n.sgs))
		for _, id := range n.sgs {
			if g := b.sgs[id]; g != nil && g.GroupName != "" {
				labels = append(labels, id+" ("+g.GroupName+")")
			} else {
				labels = append(labels, id)
			}
		}
		n.set("securityGroups", labels)
	}
	for _, n := range b.nodes {
		if s := b.subnets[n.subnet]; s != nil {
			s.nodes = append(s.nodes, n)
		}
	}
}
