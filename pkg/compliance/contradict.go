package compliance

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// A fact is what a check's result says about one boolean property of the
// resource it checked: a FAILED "RDS.2" says the database is publicly
// accessible, a PASSED one that it is not.
type fact struct {
	Types    []string // component types the property belongs to
	Property string
	// Failing is the property's value when the check fails.
	Failing bool
	// True and False are the words for the two values ("public",
	// "private").
	True, False string
}

// facts maps Security Hub controls and AWS Config managed rules to the
// property their result reveals.
var facts = map[string]fact{
	"control:RDS.2":                             {[]string{"aws.rds", "aws.aurora"}, "publiclyAccessible", true, "public", "private"},
	"rule:rds-instance-public-access-check":     {[]string{"aws.rds", "aws.aurora"}, "publiclyAccessible", true, "public", "private"},
	"control:RDS.3":                             {[]string{"aws.rds", "aws.aurora"}, "encrypted", false, "encrypted", "unencrypted"},
	"rule:rds-storage-encrypted":                {[]string{"aws.rds", "aws.aurora"}, "encrypted", false, "encrypted", "unencrypted"},
	"control:RDS.5":                             {[]string{"aws.rds", "aws.aurora"}, "multiAZ", false, "Multi-AZ", "single-AZ"},
	"rule:rds-multi-az-support":                 {[]string{"aws.rds", "aws.aurora"}, "multiAZ", false, "Multi-AZ", "single-AZ"},
	"control:EC2.8":                             {[]string{"aws.ec2"}, "imdsv2Required", false, "IMDSv2-only", "open to IMDSv1"},
	"rule:ec2-imdsv2-check":                     {[]string{"aws.ec2"}, "imdsv2Required", false, "IMDSv2-only", "open to IMDSv1"},
	"control:Redshift.1":                        {[]string{"aws.redshift"}, "publiclyAccessible", true, "public", "private"},
	"rule:redshift-cluster-public-access-check": {[]string{"aws.redshift"}, "publiclyAccessible", true, "public", "private"},
}

// Contradiction is a property of an element that current evidence about
// its own resource contradicts: the model says the database is private,
// Security Hub says it is public.
type Contradiction struct {
	Element     string `json:"element"`
	ElementKind string `json:"elementKind"` // component or group
	ElementName string `json:"elementName,omitempty"`
	Property    string `json:"property"`
	// Model and Evidence are the property's value in the model (its
	// default when unset) and the value the evidence shows.
	Model    bool `json:"model"`
	Evidence bool `json:"evidence"`
	// Message says it in words: "Security Hub says public, the model says
	// private".
	Message string `json:"message"`
	// Observation is the evidence that shows it (the newest of the check).
	Observation Evidence `json:"observation"`
}

// Contradictions compares every element's boolean properties with the
// current (active) evidence about its own resource, and returns those the
// evidence contradicts, ordered by element and property. When several
// checks speak about one property, the newest observation decides.
func Contradictions(cat *catalog.Catalog, m *model.ThreatModel, evidence []Evidence) []Contradiction {
	accounts := Accounts(m)
	byKey := map[string][]int{}
	for i := range evidence {
		if e := &evidence[i]; !e.AccountLevel && e.Active && e.Status != NotAvailable {
			for _, k := range evidenceKeys(e) {
				byKey[k] = append(byKey[k], i)
			}
		}
	}
	sc := scopes(m, accounts)
	var out []Contradiction
	check := func(id, kind, typ, name string, r *model.AWSResource, props model.Properties) {
		if r == nil {
			return
		}
		s := sc[id]
		newest := map[string]*Evidence{}
		for _, k := range resourceKeys(r.ARN, r.ResourceType, r.ResourceID, s.Account, s.Region) {
			for _, i := range byKey[k] {
				e := &evidence[i]
				f, ok := factOf(e)
				if !ok || !slices.Contains(f.Types, typ) {
					continue
				}
				if cur := newest[f.Property]; cur == nil || Newer(cur, e) {
					newest[f.Property] = e
				}
			}
		}
		for prop, e := range newest {
			f, _ := factOf(e)
			shown := f.Failing
			if e.Status == Compliant {
				shown = !f.Failing
			}
			have := propertyBool(cat, typ, props, prop)
			if have == shown {
				continue
			}
			word := func(b bool) string {
				if b {
					return f.True
				}
				return f.False
			}
			source := "Security Hub"
			if e.Source == SourceConfig {
				source = "AWS Config"
			}
			out = append(out, Contradiction{Element: id, ElementKind: kind, ElementName: name, Property: prop,
				Model: have, Evidence: shown, Observation: *e,
				Message: fmt.Sprintf("%s says %s, the model says %s", source, word(shown), word(have))})
		}
	}
	for i := range m.Diagram.Components {
		c := &m.Diagram.Components[i]
		check(c.ID, "component", c.Type, c.Name, c.Resource, c.Properties)
	}
	for i := range m.Diagram.Groups {
		g := &m.Diagram.Groups[i]
		check(g.ID, "group", g.Type, g.Name, g.Resource, g.Properties)
	}
	slices.SortFunc(out, func(a, b Contradiction) int {
		return strings.Compare(a.Element+"\x00"+a.Property, b.Element+"\x00"+b.Property)
	})
	return out
}

func factOf(e *Evidence) (fact, bool) {
	if f, ok := facts["control:"+e.Control]; ok && e.Control != "" {
		return f, true
	}
	rule := e.ConfigRule
	if rule == "" && e.Source == SourceConfig {
		rule = e.Check
	}
	f, ok := facts["rule:"+rule]
	return f, ok && rule != ""
}

// propertyBool is a boolean property's value on an element: its own, else
// the catalog's default for its type, else false.
func propertyBool(cat *catalog.Catalog, typ string, props model.Properties, name string) bool {
	if raw, ok := props[name]; ok {
		var b bool
		if json.Unmarshal(raw, &b) == nil {
			return b
		}
	}
	if t := cat.Type(typ); t != nil {
		if p := t.Property(name); p != nil {
			b, _ := p.Default.(bool)
			return b
		}
	}
	return false
}

// Evidenced returns a copy of m with every contradicted property set to
// what the evidence shows: the model as the evidence sees it.
func Evidenced(m *model.ThreatModel, cs []Contradiction) *model.ThreatModel {
	c := *m
	c.Diagram.Components = slices.Clone(m.Diagram.Components)
	c.Diagram.Groups = slices.Clone(m.Diagram.Groups)
	set := func(props model.Properties, name string, v bool) model.Properties {
		out := model.Properties{}
		for k, x := range props {
			out[k] = x
		}
		out[name] = json.RawMessage(fmt.Sprint(v))
		return out
	}
	for _, x := range cs {
		for i := range c.Diagram.Components {
			if p := &c.Diagram.Components[i]; p.ID == x.Element {
				p.Properties = set(p.Properties, x.Property, x.Evidence)
			}
		}
		for i := range c.Diagram.Groups {
			if p := &c.Diagram.Groups[i]; p.ID == x.Element {
				p.Properties = set(p.Properties, x.Property, x.Evidence)
			}
		}
	}
	return &c
}

// Evaluate is BuildView that also lets evidence correct the model's view:
// it finds the contradictions between the model and the evidence, and
// evaluates, from the evidence, the requirements that apply to a
// contradicted element only as the evidence sees it (the model says the
// database is private, so "no public access" is not among its
// requirements; Security Hub says it is public, so that requirement is
// evaluated and marked OnlyByEvidence, listed but not in Counts). res is
// the analysis of m.
func Evaluate(cat *catalog.Catalog, m *model.ThreatModel, res *analysis.Result, evidence []Evidence) *View {
	v := BuildView(m, res, evidence, cat.Controls)
	v.Contradictions = Contradictions(cat, m, evidence)
	if len(v.Contradictions) == 0 {
		return v
	}
	elements := map[string]bool{}
	for _, c := range v.Contradictions {
		elements[c.Element] = true
	}
	have := map[string]bool{}
	for _, it := range v.Items {
		have[it.Requirement] = true
	}
	alt := Evidenced(m, v.Contradictions)
	altRes := analysis.Analyze(cat, alt, nil)
	extra := &analysis.Result{}
	for _, rq := range altRes.Requirements {
		if elements[rq.Element] && !have[rq.ID] {
			extra.Requirements = append(extra.Requirements, rq)
		}
	}
	if len(extra.Requirements) == 0 {
		return v
	}
	// Listed, not counted: Counts stay those of the model's own
	// requirement items, which the requirement lists show.
	for _, it := range BuildView(alt, extra, evidence, cat.Controls).Items {
		it.OnlyByEvidence = true
		v.Items = append(v.Items, it)
	}
	return v
}
