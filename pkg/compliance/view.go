package compliance

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// Checks are the automated checks whose results count as evidence for a
// requirement: the catalog's evidence, widened through the control catalog
// (a CIS item's Security Hub controls, a control's Config rule).
type Checks struct {
	SecurityHub []string `json:"securityHub"`
	Config      []string `json:"config"`
	CIS         []string `json:"cis"`
}

// Empty reports whether no automated check covers the requirement.
func (c *Checks) Empty() bool {
	return len(c.SecurityHub) == 0 && len(c.Config) == 0 && len(c.CIS) == 0
}

// Matches reports whether e is a result of one of the checks.
func (c *Checks) Matches(e *Evidence) bool {
	return (e.Control != "" && slices.Contains(c.SecurityHub, e.Control)) ||
		(e.ConfigRule != "" && slices.Contains(c.Config, e.ConfigRule)) ||
		(e.Source == SourceConfig && slices.Contains(c.Config, e.Check)) ||
		(e.CIS != "" && slices.Contains(c.CIS, e.CIS)) ||
		slices.ContainsFunc(e.CISItems, func(k string) bool { return slices.Contains(c.CIS, k) })
}

// ChecksFor returns the checks of a catalog evidence block, widened through
// ctl (which may be nil).
func ChecksFor(ev catalog.Evidence, ctl *catalog.Controls) Checks {
	c := Checks{SecurityHub: slices.Clone(ev.SecurityHub), Config: slices.Clone(ev.Config), CIS: slices.Clone(ev.CIS)}
	if ctl != nil {
		for _, k := range ev.CIS {
			if it := ctl.CIS[k]; it != nil {
				c.SecurityHub = append(c.SecurityHub, it.SecurityHub...)
			}
		}
		// A control's Config rule counts too, unless the rule serves several
		// controls with different parameters (iam-password-policy): its
		// result does not say which of them failed.
		shared := map[string]int{}
		for _, sc := range ctl.SecurityHub {
			shared[sc.ConfigRule]++
		}
		for _, id := range c.SecurityHub {
			if sc := ctl.SecurityHub[id]; sc != nil && sc.ConfigRule != "" && shared[sc.ConfigRule] == 1 {
				c.Config = append(c.Config, sc.ConfigRule)
			}
		}
	}
	for _, l := range []*[]string{&c.SecurityHub, &c.Config, &c.CIS} {
		slices.Sort(*l)
		*l = slices.Compact(*l)
		if *l == nil {
			*l = []string{}
		}
	}
	return c
}

// Item is the compliance of one requirement item of a model.
type Item struct {
	Requirement string `json:"requirement"` // the item id, "rule@element"
	Rule        string `json:"rule"`
	Title       string `json:"title"`
	Epic        string `json:"epic"`
	Severity    string `json:"severity"`
	Element     string `json:"element"`
	ElementKind string `json:"elementKind"`
	ElementName string `json:"elementName,omitempty"`
	Component   string `json:"component"`
	// Implementation is the requirement's status as people set it (Open,
	// Implemented, ...), beside the status the evidence shows.
	Implementation string `json:"implementation"`
	Status         Status `json:"status"`
	// SourceName names the AWS resource the evidence is about: the
	// element's resource, or the account for account-level evidence only.
	SourceName string             `json:"sourceName,omitempty"`
	Resource   *model.AWSResource `json:"resource,omitempty"`
	Checks     Checks             `json:"checks"`
	// Evidence lists every observation of the item's checks on its
	// resource or account, the ones that decide the status first, then
	// newest first.
	Evidence []Observation `json:"evidence"`
	// OnlyByEvidence marks a requirement that applies to the element only
	// as the evidence sees it (Security Hub says the database is public,
	// the model says private): evaluated anyway, see View.Contradictions.
	OnlyByEvidence bool `json:"onlyByEvidence,omitempty"`
}

// Observation is evidence as it counts for one requirement or CIS item.
type Observation struct {
	Evidence
	// Superseded is set when a newer observation of the same underlying
	// check (the same Config rule, whether run by Security Hub or by
	// Config directly) on the same resource exists; it then does not count.
	Superseded bool `json:"superseded,omitempty"`
	// Via names the related resource the evidence is about when it is not
	// the element's own: "security group sg-0123 (bastion)", "subnet
	// subnet-0a1b (data a)".
	Via string `json:"via,omitempty"`
}

// View is the compliance of a model's requirements.
type View struct {
	Model    string         `json:"model"`
	Accounts []string       `json:"accounts"` // the accounts of the model's resources
	Counts   map[Status]int `json:"counts"`
	Items    []Item         `json:"items"`
	// Contradictions are the element properties that current evidence
	// contradicts (set by Evaluate).
	Contradictions []Contradiction `json:"contradictions,omitempty"`
}

// Accounts returns the AWS accounts of the resources of m's components and
// groups, sorted.
func Accounts(m *model.ThreatModel) []string {
	var out []string
	for i := range m.Diagram.Components {
		if r := m.Diagram.Components[i].Resource; r != nil && ValidAccount(r.AccountID) {
			out = append(out, r.AccountID)
		}
	}
	for i := range m.Diagram.Groups {
		if r := m.Diagram.Groups[i].Resource; r != nil && ValidAccount(r.AccountID) {
			out = append(out, r.AccountID)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// BuildView joins the requirement items of res (the analysis of m) with the
// evidence: an observation counts for an item when it comes from one of the
// item's checks and is about the item's resource (a component's or
// container's resource, or a flow target's, matched by ARN or by account,
// region, type and id), about a resource it depends on (its security
// groups, the subnet or VPC it is drawn in), or about its account as a
// whole (only within that account, and within the region for regional
// checks). ctl may be nil.
func BuildView(m *model.ThreatModel, res *analysis.Result, evidence []Evidence, ctl *catalog.Controls) *View {
	accounts := Accounts(m)
	v := &View{Model: m.ID, Accounts: accounts, Counts: map[Status]int{}, Items: make([]Item, 0, len(res.Requirements))}
	if v.Accounts == nil {
		v.Accounts = []string{}
	}
	for _, s := range Statuses {
		v.Counts[s] = 0
	}
	byKey := map[string][]int{}
	accountLevel := map[string][]int{}
	for i := range evidence {
		e := &evidence[i]
		if e.AccountLevel {
			accountLevel[e.AccountID] = append(accountLevel[e.AccountID], i)
			continue
		}
		for _, k := range evidenceKeys(e) {
			byKey[k] = append(byKey[k], i)
		}
	}
	elements := scopes(m, accounts)
	checks := map[string]Checks{}
	for _, rq := range res.Requirements {
		c, ok := checks[rq.Rule]
		if !ok {
			c = ChecksFor(rq.Evidence, ctl)
			checks[rq.Rule] = c
		}
		it := Item{
			Requirement: rq.ID, Rule: rq.Rule, Title: rq.Title, Epic: rq.Epic, Severity: rq.Severity,
			Element: rq.Element, ElementKind: rq.ElementKind, ElementName: rq.ElementName, Component: rq.Component,
			Implementation: rq.Status, Checks: c, Evidence: []Observation{},
		}
		sc := elements[rq.Element]
		if sc == nil {
			sc = &scope{}
			if len(accounts) == 1 {
				sc.Account = accounts[0]
			}
		}
		seen := map[string]bool{}
		consider := func(i int, through string) {
			e := &evidence[i]
			if seen[e.ID] || !c.Matches(e) {
				return
			}
			seen[e.ID] = true
			it.Evidence = append(it.Evidence, Observation{Evidence: *e, Via: through})
		}
		lookup := func(keys []string, through string) {
			for _, k := range keys {
				for _, i := range byKey[k] {
					consider(i, through)
				}
			}
		}
		if r := sc.Resource; r != nil {
			it.Resource = r
			it.SourceName = ResourceName(r.ARN, r.ResourceID)
			if r.ResourceType != "AWS::::Account" {
				lookup(resourceKeys(r.ARN, r.ResourceType, r.ResourceID, sc.Account, sc.Region), "")
			}
		}
		for _, w := range sc.Via {
			lookup(w.Keys, w.Name)
		}
		for _, i := range accountLevel[sc.Account] {
			e := &evidence[i]
			if sc.Region != "" && e.Region != "" && e.Region != sc.Region && !globalCheck(e) {
				continue // a regional check about another region
			}
			consider(i, "")
		}
		// An observation is about the element's resource, a related
		// resource, or the account as a whole.
		supersede(it.Evidence, func(o *Observation) string {
			switch {
			case o.AccountLevel && globalCheck(&o.Evidence):
				return "account:" + o.AccountID
			case o.AccountLevel:
				return "account:" + o.AccountID + "|" + o.Region
			}
			return "resource:" + o.Via
		})
		it.Status = Decide(it.Evidence)
		SortEvidence(it.Evidence)
		if it.SourceName == "" && len(it.Evidence) > 0 {
			it.SourceName = it.Evidence[0].ResourceName()
		}
		v.Counts[it.Status]++
		v.Items = append(v.Items, it)
	}
	return v
}

// underlyingCheck names what an observation really checks, so that a
// Security Hub control and the Config rule behind it compare as one.
func underlyingCheck(e *Evidence) string {
	switch {
	case e.ConfigRule != "":
		return "rule:" + e.ConfigRule
	case e.Control != "":
		return "control:" + e.Control
	case e.CIS != "":
		return "cis:" + e.CIS
	}
	return e.Source + ":" + e.Check
}

// supersede marks every observation for which a newer one (by Newer) of the
// same underlying check on the same resource (as resource names it) exists.
func supersede(obs []Observation, resource func(*Observation) string) {
	newest := map[string]int{}
	for i := range obs {
		k := resource(&obs[i]) + "|" + underlyingCheck(&obs[i].Evidence)
		j, ok := newest[k]
		switch {
		case !ok:
			newest[k] = i
		case Newer(&obs[j].Evidence, &obs[i].Evidence):
			obs[j].Superseded = true
			newest[k] = i
		default:
			obs[i].Superseded = true
		}
	}
}

// Decide is the status a set of observations shows, ignoring superseded
// ones: NonCompliant if any active one fails, else Compliant if any active
// one passes, else NotAvailable.
func Decide(obs []Observation) Status {
	st := NotAvailable
	for i := range obs {
		if obs[i].Superseded {
			continue
		}
		switch obs[i].Effective() {
		case NonCompliant:
			return NonCompliant
		case Compliant:
			st = Compliant
		}
	}
	return st
}

// SortEvidence orders observations: counting ones before superseded ones,
// then by effective status (failing first), newest first, and id.
func SortEvidence(obs []Observation) {
	rank := func(o *Observation) int {
		if o.Superseded {
			return len(Statuses)
		}
		return slices.Index(Statuses, o.Effective())
	}
	slices.SortFunc(obs, func(a, b Observation) int {
		return cmp.Or(
			cmp.Compare(rank(&a), rank(&b)),
			b.ObservedAt.Compare(a.ObservedAt),
			cmp.Compare(a.ID, b.ID))
	})
}

// CISRow is the result of one CIS AWS Foundations Benchmark item.
type CISRow struct {
	Key       string   `json:"key"` // "version/item"
	Version   string   `json:"version"`
	Item      string   `json:"item"`
	Title     string   `json:"title"`
	Level     string   `json:"level,omitempty"`
	Automated bool     `json:"automated"`
	Controls  []string `json:"controls"` // the Security Hub controls that check it
	Status    Status   `json:"status"`
	// Failing and Passing count the resources whose active evidence fails
	// or passes the item.
	Failing  int           `json:"failing"`
	Passing  int           `json:"passing"`
	Evidence []Observation `json:"evidence"`
}

// CISVersions lists the benchmark versions in ctl, oldest first.
func CISVersions(ctl *catalog.Controls) []string {
	var vs []string
	for _, it := range ctl.CIS {
		vs = append(vs, it.Version)
	}
	slices.SortFunc(vs, compareDotted)
	return slices.Compact(vs)
}

// CIS evaluates every item of one benchmark version against the evidence.
// An item passes when its checks' active evidence all passes, fails when any
// fails, and is NotAvailable without evidence (manual items, or items no
// finding names). Evidence counts for an item through the catalog's
// control mapping or through the CIS items its finding names
// (Evidence.CISItems), which covers versions the catalog does not map.
func CIS(ctl *catalog.Controls, version string, evidence []Evidence) ([]CISRow, error) {
	if ctl == nil {
		return nil, errs.E(errs.Other, "CIS report: no control catalog")
	}
	versions := CISVersions(ctl)
	if !slices.Contains(versions, version) {
		return nil, errs.Field("cis", "%s", "unknown CIS AWS Foundations Benchmark version "+strconv.Quote(version)+"; use one of "+strings.Join(versions, ", "))
	}
	var rows []CISRow
	for _, it := range ctl.CIS {
		if it.Version != version {
			continue
		}
		c := ChecksFor(catalog.Evidence{CIS: []string{it.Key()}}, ctl)
		row := CISRow{Key: it.Key(), Version: it.Version, Item: it.ID, Title: it.Title, Level: it.Level,
			Automated: it.Automated, Controls: c.SecurityHub, Evidence: []Observation{}}
		for i := range evidence {
			if e := &evidence[i]; c.Matches(e) {
				row.Evidence = append(row.Evidence, Observation{Evidence: *e})
				// A control the finding maps to the item, which the catalog
				// may not know (CIS versions without a mapping).
				if e.Control != "" && !slices.Contains(row.Controls, e.Control) {
					row.Controls = append(row.Controls, e.Control)
				}
			}
		}
		slices.Sort(row.Controls)
		resource := func(e *Evidence) string { return e.AccountID + "|" + e.ResourceName() }
		supersede(row.Evidence, func(o *Observation) string { return resource(&o.Evidence) })
		failing, passing := map[string]bool{}, map[string]bool{}
		for i := range row.Evidence {
			o := &row.Evidence[i]
			if o.Superseded {
				continue
			}
			switch o.Effective() {
			case NonCompliant:
				failing[resource(&o.Evidence)] = true
			case Compliant:
				passing[resource(&o.Evidence)] = true
			}
		}
		row.Failing, row.Passing = len(failing), len(passing)
		row.Status = Decide(row.Evidence)
		SortEvidence(row.Evidence)
		rows = append(rows, row)
	}
	slices.SortFunc(rows, func(a, b CISRow) int { return compareDotted(a.Item, b.Item) })
	return rows, nil
}

// compareDotted orders "1.10" after "1.9".
func compareDotted(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, errx := strconv.Atoi(as[i])
		y, erry := strconv.Atoi(bs[i])
		if errx != nil || erry != nil {
			if c := strings.Compare(as[i], bs[i]); c != 0 {
				return c
			}
			continue
		}
		if x != y {
			return cmp.Compare(x, y)
		}
	}
	return cmp.Compare(len(as), len(bs))
}
