package compliance

import (
	"cmp"
	"slices"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
)

// UnmappedCheck is a check that evidence carries and no requirement of the
// catalog uses, so its results decide nothing: the import summaries list it
// instead of ignoring it.
type UnmappedCheck struct {
	// Check is the Security Hub control (EC2.22), else the CIS item
	// ("1.2.0/3.8"), else the AWS Config rule.
	Check        string `json:"check"`
	Source       string `json:"source"`
	Title        string `json:"title,omitempty"`
	Observations int    `json:"observations"`
}

// Unmapped returns the checks of evs that no requirement of cat uses
// (through the control catalog too), most observed first.
func Unmapped(cat *catalog.Catalog, evs []Evidence) []UnmappedCheck {
	all := Checks{}
	for _, rq := range cat.Requirements {
		c := ChecksFor(rq.Evidence, cat.Controls)
		all.SecurityHub = append(all.SecurityHub, c.SecurityHub...)
		all.Config = append(all.Config, c.Config...)
		all.CIS = append(all.CIS, c.CIS...)
	}
	slices.Sort(all.SecurityHub)
	slices.Sort(all.Config)
	slices.Sort(all.CIS)
	has := func(list []string, v string) bool { _, ok := slices.BinarySearch(list, v); return ok }
	mapped := func(e *Evidence) bool {
		return (e.Control != "" && has(all.SecurityHub, e.Control)) ||
			(e.ConfigRule != "" && has(all.Config, e.ConfigRule)) ||
			(e.Source == SourceConfig && has(all.Config, e.Check)) ||
			(e.CIS != "" && has(all.CIS, e.CIS)) ||
			slices.ContainsFunc(e.CISItems, func(k string) bool { return has(all.CIS, k) })
	}
	byCheck := map[string]*UnmappedCheck{}
	for i := range evs {
		e := &evs[i]
		if mapped(e) {
			continue
		}
		name := e.Control
		switch {
		case name != "":
		case e.CIS != "":
			name = "CIS " + e.CIS
		case e.ConfigRule != "":
			name = e.ConfigRule
		default:
			name = e.Check
		}
		u := byCheck[name]
		if u == nil {
			u = &UnmappedCheck{Check: name, Source: e.Source, Title: e.Title}
			byCheck[name] = u
		}
		u.Observations++
	}
	out := make([]UnmappedCheck, 0, len(byCheck))
	for _, u := range byCheck {
		out = append(out, *u)
	}
	slices.SortFunc(out, func(a, b UnmappedCheck) int {
		return cmp.Or(cmp.Compare(b.Observations, a.Observations), cmp.Compare(a.Check, b.Check))
	})
	return out
}
