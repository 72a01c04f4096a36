package model

import (
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// Size limits of a document. They bound memory and storage per model; the
// API also bounds the request body (see pkg/api).
const (
	MaxComponents    = 25000
	MaxFlows         = 50000
	MaxGroups        = 10000
	MaxNameLen       = 200
	MaxIDLen         = 128
	MaxLabels        = 50
	MaxLabelLen      = 64
	MaxDescLen       = 64 << 10
	MaxProperties    = 200
	MaxPropertyKey   = 128
	MaxPropertyBytes = 64 << 10
	MaxNesting       = 64 // depth of group parents
	MaxProtocolLen   = 64
	MaxStates        = 200000
)

var (
	idPattern      = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:@/-]*$`)
	typePattern    = regexp.MustCompile(`^[a-z][a-z0-9]*(\.[a-z0-9][a-z0-9-]*)+$`)
	accountPattern = regexp.MustCompile(`^\d{12}$`)
)

// maxProblems caps how many problems one validation reports.
const maxProblems = 50

// problems collects validation failures.
type problems []errs.Problem

func (p *problems) add(field, format string, args ...any) {
	if len(*p) < maxProblems {
		*p = append(*p, errs.Problem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	msg := p[0].Message
	if len(p) > 1 {
		msg = fmt.Sprintf("%s (and %d more problems)", msg, len(p)-1)
	}
	return &errs.Error{Kind: errs.Invalid, Field: p[0].Field, Message: msg, Problems: p}
}

// Validate checks m and returns an errs.Invalid error listing every problem
// (up to 50), each naming its field as a JSON Pointer, or nil when m is valid.
// It checks metadata, size limits, ids (present, well-formed, unique across
// components, flows and groups), kinds, references (parents are groups, flow
// ends exist), parent cycles and nesting depth.
func (m *ThreatModel) Validate() error {
	var p problems
	if m.SchemaVersion != SchemaVersion {
		p.add("/schemaVersion", "must be %d, got %d", SchemaVersion, m.SchemaVersion)
	}
	checkText(&p, "/name", m.Name, MaxNameLen, true)
	checkText(&p, "/version", m.Version, MaxNameLen, false)
	checkText(&p, "/projectType", m.ProjectType, MaxNameLen, true)
	checkText(&p, "/owner", m.Owner, MaxNameLen, false)
	checkText(&p, "/description", m.Description, MaxDescLen, false)
	if !slices.Contains(Priorities, m.Priority) {
		p.add("/priority", "must be one of %s, got %q", quoteList(Priorities), m.Priority)
	}
	if m.Facing != FacingInternal && m.Facing != FacingPublic {
		p.add("/facing", "must be %q or %q, got %q", FacingInternal, FacingPublic, m.Facing)
	}
	if len(m.Labels) > MaxLabels {
		p.add("/labels", "at most %d labels, got %d", MaxLabels, len(m.Labels))
	}
	seenLabel := map[string]bool{}
	for i, l := range m.Labels {
		f := fmt.Sprintf("/labels/%d", i)
		checkText(&p, f, l, MaxLabelLen, true)
		if seenLabel[l] {
			p.add(f, "duplicate label %q", l)
		}
		seenLabel[l] = true
	}
	if len(m.Properties) > MaxProperties {
		p.add("/properties", "at most %d properties, got %d", MaxProperties, len(m.Properties))
	}
	if len(m.States) > MaxStates {
		p.add("/states", "at most %d item states, got %d", MaxStates, len(m.States))
	}
	for k, st := range m.States {
		f := "/states/" + escapePointer(k)
		if k == "" || len(k) > 2*MaxIDLen+MaxNameLen {
			p.add("/states", "item ids must have 1 to %d characters", 2*MaxIDLen+MaxNameLen)
		}
		checkText(&p, f+"/status", st.Status, MaxLabelLen, false)
		checkText(&p, f+"/notes", st.Notes, MaxDescLen, false)
		if st.Issue != nil {
			st.Issue.validate(&p, f+"/issue")
		}
	}
	m.Diagram.validate(&p)
	m.validateCustom(&p)
	return p.err()
}

// MaxCustom bounds the custom threats and mitigations of a model.
const MaxCustom = 5000

func (m *ThreatModel) validateCustom(p *problems) {
	if len(m.Custom) == 0 {
		return
	}
	if len(m.Custom) > MaxCustom {
		p.add("/custom", "at most %d custom items, got %d", MaxCustom, len(m.Custom))
		return
	}
	elements := make(map[string]bool, len(m.Diagram.Components)+len(m.Diagram.Groups)+len(m.Diagram.Flows))
	for _, c := range m.Diagram.Components {
		elements[c.ID] = true
	}
	for _, g := range m.Diagram.Groups {
		elements[g.ID] = true
	}
	for _, f := range m.Diagram.Flows {
		elements[f.ID] = true
	}
	kinds := make(map[string]string, len(m.Custom))
	for i, c := range m.Custom {
		f := fmt.Sprintf("/custom/%d", i)
		if c.Kind != CustomThreat && c.Kind != CustomMitigation {
			p.add(f+"/kind", "must be %q or %q, got %q", CustomThreat, CustomMitigation, c.Kind)
		}
		switch {
		case c.ID == "" || len(c.ID) > MaxIDLen:
			p.add(f+"/id", "must have 1 to %d characters", MaxIDLen)
		case kinds[c.ID] != "":
			p.add(f+"/id", "duplicate custom item id %q", c.ID)
		}
		kinds[c.ID] = c.Kind
		checkText(p, f+"/title", c.Title, MaxNameLen*2, true)
		checkText(p, f+"/description", c.Description, MaxDescLen, false)
		checkText(p, f+"/notes", c.Notes, MaxDescLen, false)
		checkText(p, f+"/status", c.Status, MaxLabelLen, false)
		for j, e := range c.Elements {
			if !elements[e] {
				p.add(fmt.Sprintf("%s/elements/%d", f, j), "refers to %q, which is not an element of this diagram", e)
			}
		}
	}
	for i, c := range m.Custom {
		for j, l := range c.Links {
			k := kinds[l]
			switch {
			case k == "":
				p.add(fmt.Sprintf("/custom/%d/links/%d", i, j), "refers to %q, which is not a custom item", l)
			case k == c.Kind:
				p.add(fmt.Sprintf("/custom/%d/links/%d", i, j), "links a %s to another %s; links join threats and mitigations", c.Kind, k)
			}
		}
	}
}

// Validate checks d alone, as Validate does for a model's diagram.
func (d *Diagram) Validate() error {
	var p problems
	d.validate(&p)
	return p.err()
}

func (d *Diagram) validate(p *problems) {
	if len(d.Components) > MaxComponents {
		p.add("/diagram/components", "at most %d components, got %d", MaxComponents, len(d.Components))
		return
	}
	if len(d.Flows) > MaxFlows {
		p.add("/diagram/flows", "at most %d flows, got %d", MaxFlows, len(d.Flows))
		return
	}
	if len(d.Groups) > MaxGroups {
		p.add("/diagram/groups", "at most %d groups, got %d", MaxGroups, len(d.Groups))
		return
	}

	// ids: where each id was first seen, to name duplicates precisely.
	seen := make(map[string]string, len(d.Components)+len(d.Flows)+len(d.Groups))
	checkID := func(field, id string) {
		switch {
		case id == "":
			p.add(field+"/id", "is required")
		case len(id) > MaxIDLen:
			p.add(field+"/id", "longer than %d characters", MaxIDLen)
		case !idPattern.MatchString(id):
			p.add(field+"/id", "%q may contain only letters, digits and . _ : @ / - and must start with a letter or digit", id)
		default:
			if first, dup := seen[id]; dup {
				p.add(field+"/id", "duplicate id %q (first used at %s)", id, first)
				return
			}
			seen[id] = field
		}
	}
	groups := make(map[string]*Group, len(d.Groups))
	for i := range d.Groups {
		g := &d.Groups[i]
		f := fmt.Sprintf("/diagram/groups/%d", i)
		checkID(f, g.ID)
		groups[g.ID] = g
		checkText(p, f+"/name", g.Name, MaxNameLen, false)
		switch g.Kind {
		case KindGroup, KindBoundary:
			if g.Type != "" {
				p.add(f+"/type", "only a container carries a component type; this group is a %q", g.Kind)
			}
		case KindContainer:
			if g.Type == "" {
				p.add(f+"/type", "a container needs the component type it stands for (e.g. \"aws.ec2\")")
			} else {
				checkType(p, f+"/type", g.Type)
			}
		default:
			p.add(f+"/kind", "unknown group kind %q (want one of %s)", g.Kind, quoteList(GroupKinds))
		}
		checkPoint(p, f+"/position", g.Position)
		checkSize(p, f+"/size", &g.Size)
		checkProps(p, f+"/properties", g.Properties)
		checkResource(p, f+"/resource", g.Resource)
	}
	comps := make(map[string]bool, len(d.Components))
	for i := range d.Components {
		c := &d.Components[i]
		f := fmt.Sprintf("/diagram/components/%d", i)
		checkID(f, c.ID)
		comps[c.ID] = true
		checkType(p, f+"/type", c.Type)
		checkText(p, f+"/name", c.Name, MaxNameLen, false)
		checkPoint(p, f+"/position", c.Position)
		if c.Size != nil {
			checkSize(p, f+"/size", c.Size)
		}
		checkProps(p, f+"/properties", c.Properties)
		checkResource(p, f+"/resource", c.Resource)
		if c.NestedModel != nil && c.NestedModel.ModelID == "" {
			p.add(f+"/nestedModel/modelId", "is required")
		}
		if c.Parent != "" {
			if _, ok := groups[c.Parent]; !ok {
				p.add(f+"/parent", "refers to %q, which is not a group of this diagram", c.Parent)
			}
		}
	}
	for i := range d.Groups {
		g := &d.Groups[i]
		if g.Parent == "" {
			continue
		}
		f := fmt.Sprintf("/diagram/groups/%d/parent", i)
		if _, ok := groups[g.Parent]; !ok {
			p.add(f, "refers to %q, which is not a group of this diagram", g.Parent)
			continue
		}
		// Walk up; a walk longer than the group count is a cycle.
		depth, cur := 0, g
		for cur.Parent != "" {
			next, ok := groups[cur.Parent]
			if !ok {
				break // reported on that group
			}
			depth++
			if next.ID == g.ID || depth > len(groups) {
				p.add(f, "group %q is its own ancestor (parent cycle)", g.ID)
				break
			}
			if depth > MaxNesting {
				p.add(f, "groups nested deeper than %d levels", MaxNesting)
				break
			}
			cur = next
		}
	}
	for i := range d.Flows {
		fl := &d.Flows[i]
		f := fmt.Sprintf("/diagram/flows/%d", i)
		checkID(f, fl.ID)
		for _, end := range []struct{ name, id string }{{"source", fl.Source}, {"target", fl.Target}} {
			switch {
			case end.id == "":
				p.add(f+"/"+end.name, "is required")
			case !comps[end.id] && groups[end.id] == nil:
				p.add(f+"/"+end.name, "refers to %q, which is not a component or group of this diagram", end.id)
			case !comps[end.id] && groups[end.id].Kind != KindContainer:
				p.add(f+"/"+end.name, "refers to %s %q; a flow connects components or containers", groups[end.id].Kind, end.id)
			}
		}
		checkText(p, f+"/protocol", fl.Protocol, MaxProtocolLen, true)
		if fl.Port < 0 || fl.Port > 65535 {
			p.add(f+"/port", "must be between 0 and 65535, got %d", fl.Port)
		}
		checkText(p, f+"/label", fl.Label, MaxNameLen, false)
		checkProps(p, f+"/properties", fl.Properties)
	}
}

func checkText(p *problems, field, s string, max int, required bool) {
	switch {
	case required && strings.TrimSpace(s) == "":
		p.add(field, "is required")
	case TextProblem(s) != "":
		p.add(field, "%s", TextProblem(s))
	case utf8.RuneCountInString(s) > max:
		p.add(field, "longer than %d characters", max)
	}
}

func checkType(p *problems, field, t string) {
	switch {
	case t == "":
		p.add(field, "is required (a catalog type such as \"aws.ec2\")")
	case len(t) > MaxNameLen || !typePattern.MatchString(t):
		p.add(field, "%q is not a catalog type id (lower-case words joined by dots, e.g. \"aws.ec2\")", t)
	}
}

func checkPoint(p *problems, field string, pt Point) {
	const lim = 1e7
	if bad(pt.X, lim) || bad(pt.Y, lim) {
		p.add(field, "coordinates must be finite and within ±%g", lim)
	}
}

func checkSize(p *problems, field string, s *Size) {
	const lim = 1e7
	if bad(s.Width, lim) || bad(s.Height, lim) || s.Width < 0 || s.Height < 0 {
		p.add(field, "width and height must be finite, not negative and at most %g", lim)
	}
}

func bad(v, lim float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > lim }

func checkProps(p *problems, field string, props Properties) {
	if len(props) > MaxProperties {
		p.add(field, "at most %d properties, got %d", MaxProperties, len(props))
		return
	}
	for k, v := range props {
		switch {
		case k == "" || len(k) > MaxPropertyKey:
			p.add(field, "property names must have 1 to %d characters, got %q", MaxPropertyKey, k)
		case len(v) > MaxPropertyBytes:
			p.add(field+"/"+escapePointer(k), "value larger than %d bytes", MaxPropertyBytes)
		}
	}
}

func checkResource(p *problems, field string, r *AWSResource) {
	if r == nil {
		return
	}
	if r.ARN == "" && r.ResourceID == "" {
		p.add(field, "needs an arn or a resourceId")
	}
	if r.ARN != "" && !strings.HasPrefix(r.ARN, "arn:") {
		p.add(field+"/arn", "%q is not an ARN", r.ARN)
	}
	if r.AccountID != "" && !accountPattern.MatchString(r.AccountID) {
		p.add(field+"/accountId", "must be 12 digits, got %q", r.AccountID)
	}
}

// escapePointer escapes a JSON Pointer reference token (RFC 6901).
// pointerEscaper escapes a JSON Pointer reference token (RFC 6901); built
// once, because validation escapes every key of large documents.
var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

func escapePointer(s string) string {
	return pointerEscaper.Replace(s)
}

func quoteList[T ~string](vs []T) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}

// issueKeyPattern is a Jira issue key: the project key, a dash, a number.
var issueKeyPattern = regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,254}-[1-9][0-9]{0,17}$`)

// validate checks an issue link: the web app renders its URL as a link, so
// it must be an http(s) address of that issue (…/browse/KEY) without
// credentials, never a javascript: or data: URL or another issue's page.
func (l *IssueLink) validate(p *problems, f string) {
	checkText(p, f+"/instance", l.Instance, MaxIDLen, false)
	checkText(p, f+"/status", l.Status, MaxLabelLen, false)
	if !issueKeyPattern.MatchString(l.Key) {
		p.add(f+"/key", "an issue key such as SEC-123 is required, got %q", l.Key[:min(len(l.Key), 40)])
		return
	}
	if l.URL == "" {
		return
	}
	u, err := url.Parse(l.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
		!strings.HasSuffix(u.Path, "/browse/"+l.Key) || len(l.URL) > 2048 {
		p.add(f+"/url", "must be the http(s) address of issue %s (…/browse/%s)", l.Key, l.Key)
	}
}
