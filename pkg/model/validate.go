package model

import (
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strconv"
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

// validID reports whether id matches ^[A-Za-z0-9][A-Za-z0-9._:@/-]*$, the
// form of element ids (read byte by byte: a diagram has thousands).
func validID(id string) bool {
	if id == "" || !alnum(id[0]) {
		return false
	}
	for i := 1; i < len(id); i++ {
		if b := id[i]; !alnum(b) && strings.IndexByte("._:@/-", b) < 0 {
			return false
		}
	}
	return true
}

// validType reports whether t matches ^[a-z][a-z0-9]*(\.[a-z0-9][a-z0-9-]*)+$,
// the form of catalog type ids.
func validType(t string) bool {
	if t == "" || !lower(t[0]) {
		return false
	}
	i := 1
	for i < len(t) && (lower(t[i]) || digit(t[i])) {
		i++
	}
	parts := 0
	for ; i < len(t); parts++ {
		if t[i] != '.' || i+1 >= len(t) || !lower(t[i+1]) && !digit(t[i+1]) {
			return false
		}
		for i += 2; i < len(t) && (lower(t[i]) || digit(t[i]) || t[i] == '-'); i++ {
		}
	}
	return parts > 0
}

// validAccount reports whether s is an AWS account id: 12 digits.
func validAccount(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !digit(s[i]) {
			return false
		}
	}
	return true
}

func lower(b byte) bool { return b >= 'a' && b <= 'z' }
func digit(b byte) bool { return b >= '0' && b <= '9' }
func alnum(b byte) bool { return lower(b) || digit(b) || b >= 'A' && b <= 'Z' }

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
	checkText(&p, root, "/name", m.Name, MaxNameLen, true)
	checkText(&p, root, "/version", m.Version, MaxNameLen, false)
	checkText(&p, root, "/projectType", m.ProjectType, MaxNameLen, true)
	checkText(&p, root, "/owner", m.Owner, MaxNameLen, false)
	checkText(&p, root, "/description", m.Description, MaxDescLen, false)
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
		checkText(&p, at(f), "", l, MaxLabelLen, true)
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
		checkText(&p, at(f), "/status", st.Status, MaxLabelLen, false)
		checkText(&p, at(f), "/notes", st.Notes, MaxDescLen, false)
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
		checkText(p, at(f), "/title", c.Title, MaxNameLen*2, true)
		checkText(p, at(f), "/description", c.Description, MaxDescLen, false)
		checkText(p, at(f), "/notes", c.Notes, MaxDescLen, false)
		checkText(p, at(f), "/status", c.Status, MaxLabelLen, false)
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
	seen := make(map[string]ptr, len(d.Components)+len(d.Flows)+len(d.Groups))
	checkID := func(f ptr, id string) {
		switch {
		case id == "":
			p.add(f.field("/id"), "is required")
		case len(id) > MaxIDLen:
			p.add(f.field("/id"), "longer than %d characters", MaxIDLen)
		case !validID(id):
			p.add(f.field("/id"), "%q may contain only letters, digits and . _ : @ / - and must start with a letter or digit", id)
		default:
			if first, dup := seen[id]; dup {
				p.add(f.field("/id"), "duplicate id %q (first used at %s)", id, first.field(""))
				return
			}
			seen[id] = f
		}
	}
	groups := make(map[string]*Group, len(d.Groups))
	for i := range d.Groups {
		g := &d.Groups[i]
		f := elem("/diagram/groups", i)
		checkID(f, g.ID)
		groups[g.ID] = g
		checkText(p, f, "/name", g.Name, MaxNameLen, false)
		switch g.Kind {
		case KindGroup, KindBoundary:
			if g.Type != "" {
				p.add(f.field("/type"), "only a container carries a component type; this group is a %q", g.Kind)
			}
		case KindContainer:
			if g.Type == "" {
				p.add(f.field("/type"), "a container needs the component type it stands for (e.g. \"aws.ec2\")")
			} else {
				checkType(p, f, "/type", g.Type)
			}
		default:
			p.add(f.field("/kind"), "unknown group kind %q (want one of %s)", g.Kind, quoteList(GroupKinds))
		}
		checkPoint(p, f, "/position", g.Position)
		checkSize(p, f, "/size", &g.Size)
		checkProps(p, f, "/properties", g.Properties)
		checkResource(p, f, "/resource", g.Resource)
	}
	comps := make(map[string]bool, len(d.Components))
	for i := range d.Components {
		c := &d.Components[i]
		f := elem("/diagram/components", i)
		checkID(f, c.ID)
		comps[c.ID] = true
		checkType(p, f, "/type", c.Type)
		checkText(p, f, "/name", c.Name, MaxNameLen, false)
		checkPoint(p, f, "/position", c.Position)
		if c.Size != nil {
			checkSize(p, f, "/size", c.Size)
		}
		checkProps(p, f, "/properties", c.Properties)
		checkResource(p, f, "/resource", c.Resource)
		if c.NestedModel != nil && c.NestedModel.ModelID == "" {
			p.add(f.field("/nestedModel/modelId"), "is required")
		}
		if c.Parent != "" {
			if _, ok := groups[c.Parent]; !ok {
				p.add(f.field("/parent"), "refers to %q, which is not a group of this diagram", c.Parent)
			}
		}
	}
	for i := range d.Groups {
		g := &d.Groups[i]
		if g.Parent == "" {
			continue
		}
		f := elem("/diagram/groups", i)
		if _, ok := groups[g.Parent]; !ok {
			p.add(f.field("/parent"), "refers to %q, which is not a group of this diagram", g.Parent)
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
				p.add(f.field("/parent"), "group %q is its own ancestor (parent cycle)", g.ID)
				break
			}
			if depth > MaxNesting {
				p.add(f.field("/parent"), "groups nested deeper than %d levels", MaxNesting)
				break
			}
			cur = next
		}
	}
	for i := range d.Flows {
		fl := &d.Flows[i]
		f := elem("/diagram/flows", i)
		checkID(f, fl.ID)
		for _, end := range []struct{ name, id string }{{"source", fl.Source}, {"target", fl.Target}} {
			switch {
			case end.id == "":
				p.add(f.field("/"+end.name), "is required")
			case !comps[end.id] && groups[end.id] == nil:
				p.add(f.field("/"+end.name), "refers to %q, which is not a component or group of this diagram", end.id)
			case !comps[end.id] && groups[end.id].Kind != KindContainer:
				p.add(f.field("/"+end.name), "refers to %s %q; a flow connects components or containers", groups[end.id].Kind, end.id)
			}
		}
		checkText(p, f, "/protocol", fl.Protocol, MaxProtocolLen, true)
		if fl.Port < 0 || fl.Port > 65535 {
			p.add(f.field("/port"), "must be between 0 and 65535, got %d", fl.Port)
		}
		checkText(p, f, "/label", fl.Label, MaxNameLen, false)
		checkProps(p, f, "/properties", fl.Properties)
	}
}

func checkText(p *problems, f ptr, suffix, s string, max int, required bool) {
	switch {
	case required && strings.TrimSpace(s) == "":
		p.add(f.field(suffix), "is required")
	case TextProblem(s) != "":
		p.add(f.field(suffix), "%s", TextProblem(s))
	case utf8.RuneCountInString(s) > max:
		p.add(f.field(suffix), "longer than %d characters", max)
	}
}

func checkType(p *problems, f ptr, suffix, t string) {
	switch {
	case t == "":
		p.add(f.field(suffix), "is required (a catalog type such as \"aws.ec2\")")
	case len(t) > MaxNameLen || !validType(t):
		p.add(f.field(suffix), "%q is not a catalog type id (lower-case words joined by dots, e.g. \"aws.ec2\")", t)
	}
}

func checkPoint(p *problems, f ptr, suffix string, pt Point) {
	const lim = 1e7
	if bad(pt.X, lim) || bad(pt.Y, lim) {
		p.add(f.field(suffix), "coordinates must be finite and within ±%g", lim)
	}
}

func checkSize(p *problems, f ptr, suffix string, s *Size) {
	const lim = 1e7
	if bad(s.Width, lim) || bad(s.Height, lim) || s.Width < 0 || s.Height < 0 {
		p.add(f.field(suffix), "width and height must be finite, not negative and at most %g", lim)
	}
}

func bad(v, lim float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > lim }

func checkProps(p *problems, f ptr, suffix string, props Properties) {
	if len(props) > MaxProperties {
		p.add(f.field(suffix), "at most %d properties, got %d", MaxProperties, len(props))
		return
	}
	for k, v := range props {
		switch {
		case k == "" || len(k) > MaxPropertyKey:
			p.add(f.field(suffix), "property names must have 1 to %d characters, got %q", MaxPropertyKey, k)
		case len(v) > MaxPropertyBytes:
			p.add(f.field(suffix)+"/"+escapePointer(k), "value larger than %d bytes", MaxPropertyBytes)
		}
	}
}

func checkResource(p *problems, f ptr, suffix string, r *AWSResource) {
	if r == nil {
		return
	}
	if r.ARN == "" && r.ResourceID == "" {
		p.add(f.field(suffix), "needs an arn or a resourceId")
	}
	if r.ARN != "" && !strings.HasPrefix(r.ARN, "arn:") {
		p.add(f.field(suffix)+"/arn", "%q is not an ARN", r.ARN)
	}
	if r.AccountID != "" && !validAccount(r.AccountID) {
		p.add(f.field(suffix)+"/accountId", "must be 12 digits, got %q", r.AccountID)
	}
}

// ptr is a JSON Pointer, built into a string only when a problem names
// it: validation reads thousands of fields, most without problems.
type ptr struct {
	base  string
	index int // appended to base after a slash, unless negative
}

// root is the pointer of the whole document.
var root = ptr{index: -1}

// at returns the pointer base.
func at(base string) ptr { return ptr{base: base, index: -1} }

// elem returns the pointer of element i of the list at base.
func elem(base string, i int) ptr { return ptr{base: base, index: i} }

// field returns the pointer as a string, with suffix appended.
func (f ptr) field(suffix string) string {
	if f.index < 0 {
		return f.base + suffix
	}
	return f.base + "/" + strconv.Itoa(f.index) + suffix
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
	checkText(p, at(f), "/instance", l.Instance, MaxIDLen, false)
	checkText(p, at(f), "/status", l.Status, MaxLabelLen, false)
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
