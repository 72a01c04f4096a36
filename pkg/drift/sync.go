package drift

import (
	"slices"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/model"
)

// SyncResult is a synced model and what the sync did.
type SyncResult struct {
	Model  *model.ThreatModel
	Report *Report // the drift that was applied
	// Dropped lists the States keys removed because their element left the
	// VPC; Reopened the keys whose status was cleared because their
	// element's type or properties changed.
	Dropped  []string
	Reopened []string
}

// Sync applies built (builder.Build of m's VPC) to a copy of m; m is not
// changed. See the package documentation for what is kept.
func Sync(m, built *model.ThreatModel) *SyncResult {
	rep := Diff(m, built)
	out := m.Clone()
	old := &m.Diagram
	oldComps := make(map[string]*model.Component, len(old.Components))
	for i := range old.Components {
		oldComps[old.Components[i].ID] = &old.Components[i]
	}
	oldGroups := make(map[string]*model.Group, len(old.Groups))
	for i := range old.Groups {
		oldGroups[old.Groups[i].ID] = &old.Groups[i]
	}

	var d model.Diagram
	ids := map[string]bool{}
	for _, g := range built.Diagram.Groups {
		if o := oldGroups[g.ID]; o != nil {
			g.Properties = mergeProps(o.Properties, g.Properties)
		}
		d.Groups = append(d.Groups, g)
		ids[g.ID] = true
	}
	for _, c := range built.Diagram.Components {
		if o := oldComps[c.ID]; o != nil {
			c.Properties = mergeProps(o.Properties, c.Properties)
			c.NestedModel = o.NestedModel
		}
		d.Components = append(d.Components, c)
		ids[c.ID] = true
	}
	// Hand-drawn elements stay, attached to the root when their parent left.
	groupIDs := map[string]bool{}
	for _, g := range d.Groups {
		groupIDs[g.ID] = true
	}
	var handGroups []model.Group
	for _, g := range old.Groups {
		if !Managed(g.Properties, g.Resource) && !ids[g.ID] {
			handGroups = append(handGroups, g)
			groupIDs[g.ID] = true
			ids[g.ID] = true
		}
	}
	for _, g := range handGroups {
		if g.Parent != "" && !groupIDs[g.Parent] {
			g.Parent = ""
		}
		d.Groups = append(d.Groups, g)
	}
	for _, c := range old.Components {
		if !Managed(c.Properties, c.Resource) && !ids[c.ID] {
			if c.Parent != "" && !groupIDs[c.Parent] {
				c.Parent = ""
			}
			d.Components = append(d.Components, c)
			ids[c.ID] = true
		}
	}
	d.Flows = append(d.Flows, built.Diagram.Flows...)
	flowIDs := map[string]bool{}
	for _, f := range d.Flows {
		flowIDs[f.ID] = true
	}
	for _, f := range old.Flows {
		if !Managed(f.Properties, nil) && !flowIDs[f.ID] && ids[f.Source] && ids[f.Target] {
			d.Flows = append(d.Flows, f)
			ids[f.ID] = true
		}
	}
	d.Normalize()
	out.Diagram = d
	for k, v := range built.Properties {
		if out.Properties == nil {
			out.Properties = map[string]string{}
		}
		out.Properties[k] = v
	}

	// States: drop those of elements that left; reopen those of elements
	// whose type or properties changed.
	res := &SyncResult{Model: out, Report: rep}
	gone := map[string]bool{}
	reopen := map[string]bool{}
	for _, c := range rep.Changes {
		switch c.Kind {
		case OnlyInModel:
			gone[c.ID] = true
		case Changed:
			for _, a := range c.Attributes {
				if a.Name == "type" || strings.HasPrefix(a.Name, "properties.") {
					reopen[c.ID] = true
				}
			}
		}
	}
	for key, st := range out.States {
		el := stateElement(key)
		switch {
		case gone[el] && !ids[el]:
			delete(out.States, key)
			res.Dropped = append(res.Dropped, key)
		case reopen[el] && st.Status != "":
			st.Status = ""
			out.States[key] = st
			res.Reopened = append(res.Reopened, key)
		}
	}
	slices.Sort(res.Dropped)
	slices.Sort(res.Reopened)
	return res
}

// stateElement returns the element of a States key ("rule@element" or
// "rule@element@component"); rule ids never contain '@'.
func stateElement(key string) string {
	_, rest, ok := strings.Cut(key, "@")
	if !ok {
		return key
	}
	if i := strings.LastIndexByte(rest, '@'); i >= 0 {
		// rule@element@component: the threat belongs to the component that
		// imported it.
		return rest[i+1:]
	}
	return rest
}

// mergeProps returns the built properties plus those only the model has (a
// user's additions, such as dataElements).
func mergeProps(old, built model.Properties) model.Properties {
	if len(old) == 0 {
		return built
	}
	out := make(model.Properties, len(old)+len(built))
	for k, v := range old {
		out[k] = v
	}
	for k, v := range built {
		out[k] = v
	}
	return out
}
