package interop

import (
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

type tcDoc struct {
	Schema          int                `json:"schema"`
	ApplicationInfo *tcInfo            `json:"applicationInfo,omitempty"`
	Architecture    *tcInfo            `json:"architecture,omitempty"`
	Dataflow        *tcInfo            `json:"dataflow,omitempty"`
	Assumptions     []tcAssumption     `json:"assumptions"`
	AssumptionLinks []tcAssumptionLink `json:"assumptionLinks"`
	Mitigations     []tcMitigation     `json:"mitigations"`
	MitigationLinks []tcLink           `json:"mitigationLinks"`
	Threats         []tcThreat         `json:"threats"`
}

type tcInfo struct {
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
}

type tcMeta struct {
	Key   string `json:"key"`
	Value any    `json:"value"`
}

type tcMitigation struct {
	ID           string   `json:"id"`
	NumericID    int      `json:"numericId"`
	DisplayOrder int      `json:"displayOrder,omitempty"`
	Content      string   `json:"content"`
	Status       string   `json:"status,omitempty"`
	Tags         []string `json:"tags,omitempty"`
	Metadata     []tcMeta `json:"metadata,omitempty"`
}

type tcLink struct {
	MitigationID string `json:"mitigationId"`
	LinkedID     string `json:"linkedId"`
}

type tcThreat struct {
	ID             string   `json:"id"`
	NumericID      int      `json:"numericId"`
	DisplayOrder   int      `json:"displayOrder,omitempty"`
	Statement      string   `json:"statement,omitempty"`
	ThreatSource   string   `json:"threatSource,omitempty"`
	Prerequisites  string   `json:"prerequisites,omitempty"`
	ThreatAction   string   `json:"threatAction,omitempty"`
	ThreatImpact   string   `json:"threatImpact,omitempty"`
	ImpactedGoal   []string `json:"impactedGoal,omitempty"`
	ImpactedAssets []string `json:"impactedAssets,omitempty"`
	Status         string   `json:"status,omitempty"`
	Tags           []string `json:"tags,omitempty"`
	Metadata       []tcMeta `json:"metadata,omitempty"`
}

// Threat Composer's statuses.
const (
	tcThreatIdentified  = "threatIdentified"
	tcThreatResolved    = "threatResolved"
	tcThreatNotUseful   = "threatResolvedNotUseful"
	tcMitIdentified     = "mitigationIdentified"
	tcMitInProgress     = "mitigationInProgress"
	tcMitResolved       = "mitigationResolved"
	tcMitWillNotAction  = "mitigationResolvedWillNotAction"
	tcMaxContent        = 1000
	tcMetaBulwarkID     = "bulwark:id"
	tcMetaBulwarkTarget = "bulwark:element"
)

func tcThreatStatus(s string) (string, bool) {
	switch s {
	case analysis.Mitigated:
		return tcThreatResolved, false
	case analysis.NotApplicable:
		return tcThreatNotUseful, false
	case analysis.RiskAccepted:
		return tcThreatResolved, true
	case analysis.InProgress:
		return tcThreatIdentified, true
	}
	return tcThreatIdentified, false
}

func tcMitigationStatus(s string) (string, bool) {
	switch s {
	case analysis.InProgress:
		return tcMitInProgress, false
	case analysis.Implemented, analysis.Mitigated:
		return tcMitResolved, false
	case analysis.NotApplicable:
		return tcMitWillNotAction, false
	case analysis.RiskAccepted:
		return tcMitWillNotAction, true
	}
	return tcMitIdentified, false
}

// tcUUID derives a stable UUID (version 5 layout) for an item of a model,
// since Threat Composer ids are UUIDs.
func tcUUID(modelID, item string) string {
	h := sha1.Sum([]byte("bulwark/" + modelID + "/" + item))
	h[6] = (h[6] & 0x0f) | 0x50
	h[8] = (h[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

func exportThreatComposer(m *model.ThreatModel, cat *catalog.Catalog) (*Exported, error) {
	var w convert.Warnings
	d := convert.Prepare(m, cat, &w, "Threat Composer")
	doc := tcDoc{Schema: 1, ApplicationInfo: &tcInfo{Name: m.Name, Description: m.Description},
		Assumptions: []tcAssumption{}, AssumptionLinks: []tcAssumptionLink{}, Mitigations: []tcMitigation{}, MitigationLinks: []tcLink{}, Threats: []tcThreat{}}
	lossy := 0
	meta := func(itemID, element, notes string, extra ...tcMeta) []tcMeta {
		md := append([]tcMeta{}, extra...)
		if notes != "" {
			md = append(md, tcMeta{Key: "Comments", Value: notes})
		}
		md = append(md, tcMeta{Key: tcMetaBulwarkID, Value: itemID})
		if element != "" {
			md = append(md, tcMeta{Key: tcMetaBulwarkTarget, Value: element})
		}
		return md
	}
	for i := range d.Analysis.Threats {
		t := &d.Analysis.Threats[i]
		if t.Imported != nil || strings.HasPrefix(t.Rule, "custom:") {
			continue // nested models' threats are noted by prepare; custom ones are written from d.custom
		}
		impact := ""
		if ct := cat.Threat(t.Rule); ct != nil {
			impact = ct.Description
		}
		st, lost := tcThreatStatus(t.Status)
		if lost {
			lossy++
		}
		n := len(doc.Threats) + 1
		where := convert.OrDefault(t.ElementName, t.Element)
		doc.Threats = append(doc.Threats, tcThreat{ID: tcUUID(m.ID, t.ID), NumericID: n, DisplayOrder: n,
			Statement: convert.Clip(fmt.Sprintf("%s (%s)", t.Title, where), tcMaxContent), ThreatAction: convert.Clip(t.Title, tcMaxContent),
			ThreatImpact: convert.Clip(impact, tcMaxContent), ImpactedAssets: []string{convert.Clip(where, 200)}, Status: st,
			Metadata: meta(t.ID, t.Element, t.Notes, tcMeta{Key: "STRIDE", Value: []string{convert.StrideLetters[t.STRIDE]}}, tcMeta{Key: "Priority", Value: tcPriority(t.Severity)})})
	}
	for i := range d.Analysis.Requirements {
		r := &d.Analysis.Requirements[i]
		if strings.HasPrefix(r.Rule, "custom:") {
			continue // written from d.custom
		}
		st, lost := tcMitigationStatus(r.Status)
		if lost {
			lossy++
		}
		n := len(doc.Mitigations) + 1
		id := tcUUID(m.ID, r.ID)
		doc.Mitigations = append(doc.Mitigations, tcMitigation{ID: id, NumericID: n, DisplayOrder: n,
			Content: convert.Clip(fmt.Sprintf("%s (%s)", r.Title, convert.OrDefault(r.ElementName, r.Element)), tcMaxContent), Status: st, Metadata: meta(r.ID, r.Element, r.Notes)})
		for _, tid := range r.Threats {
			doc.MitigationLinks = append(doc.MitigationLinks, tcLink{MitigationID: id, LinkedID: tcUUID(m.ID, tid)})
		}
	}
	for _, c := range d.Custom {
		id := tcUUID(m.ID, c.Kind+"/"+c.ID)
		el := strings.Join(c.Elements, ",")
		if c.Kind == convert.CustomMitigation {
			st, lost := tcMitigationStatus(c.Status)
			if lost {
				lossy++
			}
			n := len(doc.Mitigations) + 1
			doc.Mitigations = append(doc.Mitigations, tcMitigation{ID: id, NumericID: n, DisplayOrder: n, Content: convert.Clip(c.Title, tcMaxContent), Status: st, Metadata: meta(c.ID, el, c.Notes)})
			for _, l := range c.Links {
				doc.MitigationLinks = append(doc.MitigationLinks, tcLink{MitigationID: id, LinkedID: tcUUID(m.ID, convert.CustomThreat+"/"+l)})
			}
			continue
		}
		st, lost := tcThreatStatus(c.Status)
		if lost {
			lossy++
		}
		var letters []string
		for _, s := range c.STRIDE {
			letters = append(letters, convert.StrideLetters[s])
		}
		n := len(doc.Threats) + 1
		md := []tcMeta{}
		if len(letters) > 0 {
			md = append(md, tcMeta{Key: "STRIDE", Value: letters})
		}
		if c.Severity != "" {
			md = append(md, tcMeta{Key: "Priority", Value: tcPriority(c.Severity)})
		}
		doc.Threats = append(doc.Threats, tcThreat{ID: id, NumericID: n, DisplayOrder: n, Statement: convert.Clip(c.Title, tcMaxContent), ThreatAction: convert.Clip(c.Title, tcMaxContent),
			ThreatImpact: convert.Clip(c.Description, tcMaxContent), Status: st, Metadata: meta(c.ID, el, c.Notes, md...)})
	}
	if raw := m.Properties[TCAssumptionsProperty]; raw != "" {
		var kept []keptAssumption
		if err := json.Unmarshal([]byte(raw), &kept); err != nil {
			w.Add("model property %s is not a list of assumptions; the assumptions are not exported", TCAssumptionsProperty)
		}
		for i, a := range kept {
			id := tcUUID(m.ID, fmt.Sprintf("assumption/%d", i+1))
			doc.Assumptions = append(doc.Assumptions, tcAssumption{ID: id, NumericID: i + 1, Content: convert.Clip(a.Content, tcMaxContent), Tags: a.Tags})
			for _, l := range a.Links {
				kind, _, _ := strings.Cut(l, "/")
				doc.AssumptionLinks = append(doc.AssumptionLinks, tcAssumptionLink{Type: map[string]string{convert.CustomThreat: "Threat", convert.CustomMitigation: "Mitigation"}[kind], AssumptionID: id, LinkedID: tcUUID(m.ID, l)})
			}
		}
	}
	if lossy > 0 {
		w.Add("%d statuses (In Progress threats, Risk Accepted items) have no exact Threat Composer equivalent; the nearest status is written", lossy)
	}
	w.Add("Threat Composer has no diagram: components, groups and flows are not exported (each threat names its element in impactedAssets)")
	return &Exported{Data: convert.JSONOut(doc), MediaType: "application/json", Extension: ".tc.json", Warnings: w.List()}, nil
}

func tcPriority(severity string) string {
	if severity == "Critical" {
		return "High"
	}
	return severity
}

// tcAssumption is an assumption of a Threat Composer document.
type tcAssumption struct {
	ID        string   `json:"id"`
	NumericID int      `json:"numericId"`
	Content   string   `json:"content"`
	Tags      []string `json:"tags,omitempty"`
	Metadata  []tcMeta `json:"metadata,omitempty"`
}

// tcAssumptionLink links an assumption to a threat or a mitigation.
type tcAssumptionLink struct {
	Type         string `json:"type"`
	AssumptionID string `json:"assumptionId"`
	LinkedID     string `json:"linkedId"`
}

// TCAssumptionsProperty is the model property that keeps a Threat Composer
// document's assumptions (a JSON array of {numericId, content, tags,
// links}); links name the custom entries the assumption is linked to. The
// Threat Composer export writes them back.
const TCAssumptionsProperty = "threatcomposer.assumptions"

// keptAssumption is one element of TCAssumptionsProperty.
type keptAssumption struct {
	NumericID int      `json:"numericId,omitempty"`
	Content   string   `json:"content"`
	Tags      []string `json:"tags,omitempty"`
	Links     []string `json:"links,omitempty"` // "threat/ID" or "mitigation/ID"
}

// tcInDoc is the import side of a Threat Composer document: the lists are
// decoded item by item so that an error names the item.
type tcInDoc struct {
	Schema          convert.LooseNumber `json:"schema"`
	ApplicationInfo *tcInfo             `json:"applicationInfo"`
	Architecture    *tcInfo             `json:"architecture"`
	Dataflow        *tcInfo             `json:"dataflow"`
	Assumptions     []json.RawMessage   `json:"assumptions"`
	AssumptionLinks []json.RawMessage   `json:"assumptionLinks"`
	Mitigations     []json.RawMessage   `json:"mitigations"`
	MitigationLinks []json.RawMessage   `json:"mitigationLinks"`
	Threats         []json.RawMessage   `json:"threats"`
}

// tcItem decodes item i of list into v, naming the source item on error.
func tcItem(file, list string, i int, raw json.RawMessage, v any) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return &errs.Error{Kind: errs.Malformed, Field: fmt.Sprintf("/%s/%d", list, i), Message: fmt.Sprintf("%s: /%s/%d cannot be read: %v", file, list, i, err)}
	}
	return nil
}

func importThreatComposer(files []File, _ *catalog.Catalog) (*Imported, error) {
	if len(files) != 1 {
		return nil, errs.E(errs.Invalid, "Threat Composer import reads one document, got %d files", len(files))
	}
	f := files[0]
	var doc tcInDoc
	if err := convert.DecodeJSON(f.Name, f.Data, &doc); err != nil {
		return nil, err
	}
	if doc.Schema != 1 {
		return nil, &errs.Error{Kind: errs.Invalid, Field: "/schema", Message: fmt.Sprintf("%s is not a Threat Composer schema 1 document (schema %v)", f.Name, float64(doc.Schema))}
	}
	var w convert.Warnings
	m := &model.ThreatModel{Name: "Imported Threat Composer model"}
	if doc.ApplicationInfo != nil {
		name, cut := convert.FitText(convert.OrDefault(doc.ApplicationInfo.Name, m.Name), model.MaxNameLen)
		if cut {
			w.Add("/applicationInfo/name is longer than %d characters; it is shortened", model.MaxNameLen)
		}
		m.Name = name
		m.Description, _ = convert.FitText(doc.ApplicationInfo.Description, model.MaxDescLen)
	}
	if doc.Architecture != nil && doc.Architecture.Description != "" {
		convert.SetModelProp(m, "threatcomposer.architecture", doc.Architecture.Description)
	}
	if doc.Dataflow != nil && doc.Dataflow.Description != "" {
		convert.SetModelProp(m, "threatcomposer.dataflow", doc.Dataflow.Description)
	}
	var customIDs convert.IDs
	var custom []convert.Custom
	idOf := map[string]string{} // source id → custom id (threats and mitigations)
	kindOf := map[string]string{}
	index := map[string]int{} // source id → index in custom
	// title fits a source text into a custom entry's title; where the text
	// is longer than Bulwark's title limit it is cut with a warning naming
	// the source item, and the whole text is kept in the description.
	title := func(text, what string) (string, bool) {
		t, cut := convert.FitText(strings.TrimSpace(text), 2*model.MaxNameLen)
		if cut {
			w.Add("%s: the text is longer than %d characters; the title is shortened and the whole text is kept in the description", what, 2*model.MaxNameLen)
		}
		return t, cut
	}
	for i, raw := range doc.Threats {
		var t tcThreat
		if err := tcItem(f.Name, "threats", i, raw, &t); err != nil {
			return nil, err
		}
		what := fmt.Sprintf("threat T-%d (/threats/%d)", t.NumericID, i)
		if t.ID == "" {
			t.ID = fmt.Sprintf("T-%d", t.NumericID)
			if t.NumericID == 0 {
				t.ID = fmt.Sprintf("threat-%d", i+1)
			}
		}
		statement := convert.OrDefault(t.Statement, tcStatement(t))
		c := convert.Custom{Kind: convert.CustomThreat, ID: customIDs.Take(t.ID), Status: fromTCThreat(t.Status, &w), Source: ThreatComposer}
		var desc []string
		var cut bool
		if c.Title, cut = title(convert.OrDefault(statement, t.ID), what); cut {
			desc = append(desc, statement)
		}
		for _, kv := range [][2]string{{"Threat source", t.ThreatSource}, {"Prerequisites", t.Prerequisites}, {"Threat action", t.ThreatAction}, {"Threat impact", t.ThreatImpact},
			{"Impacted goal", strings.Join(t.ImpactedGoal, ", ")}, {"Impacted assets", strings.Join(t.ImpactedAssets, ", ")}, {"Tags", strings.Join(t.Tags, ", ")}} {
			if strings.TrimSpace(kv[1]) != "" {
				desc = append(desc, kv[0]+": "+kv[1])
			}
		}
		c.Description, _ = convert.FitText(strings.Join(desc, "\n"), model.MaxDescLen)
		readTCMeta(t.Metadata, &c)
		idOf[t.ID], kindOf[t.ID], index[t.ID] = c.ID, convert.CustomThreat, len(custom)
		custom = append(custom, c)
	}
	links := map[string][]string{} // mitigation source id → linked source ids
	for i, raw := range doc.MitigationLinks {
		var l tcLink
		if err := tcItem(f.Name, "mitigationLinks", i, raw, &l); err != nil {
			return nil, err
		}
		links[l.MitigationID] = append(links[l.MitigationID], l.LinkedID)
	}
	for i, raw := range doc.Mitigations {
		var mt tcMitigation
		if err := tcItem(f.Name, "mitigations", i, raw, &mt); err != nil {
			return nil, err
		}
		what := fmt.Sprintf("mitigation M-%d (/mitigations/%d)", mt.NumericID, i)
		src := mt.ID
		if src == "" {
			src = fmt.Sprintf("M-%d", mt.NumericID)
			if mt.NumericID == 0 {
				src = fmt.Sprintf("mitigation-%d", i+1)
			}
		}
		c := convert.Custom{Kind: convert.CustomMitigation, ID: customIDs.Take(src), Status: fromTCMitigation(mt.Status, &w), Source: ThreatComposer}
		var desc []string
		var cut bool
		if c.Title, cut = title(convert.OrDefault(mt.Content, src), what); cut {
			desc = append(desc, mt.Content)
		}
		if len(mt.Tags) > 0 {
			desc = append(desc, "Tags: "+strings.Join(mt.Tags, ", "))
		}
		c.Description, _ = convert.FitText(strings.Join(desc, "\n"), model.MaxDescLen)
		readTCMeta(mt.Metadata, &c)
		for _, l := range links[mt.ID] {
			if kindOf[l] == convert.CustomThreat {
				c.Links = append(c.Links, idOf[l])
			} else {
				w.Add("%s links %s, which is not a threat of the document; the link is not imported", what, l)
			}
		}
		idOf[src], kindOf[src], index[src] = c.ID, convert.CustomMitigation, len(custom)
		custom = append(custom, c)
	}
	// Assumptions: kept whole in a model property, and noted on every
	// threat and mitigation they are linked to.
	if len(doc.Assumptions) > 0 {
		var kept []keptAssumption
		byID := map[string]int{}
		for i, raw := range doc.Assumptions {
			var a tcAssumption
			if err := tcItem(f.Name, "assumptions", i, raw, &a); err != nil {
				return nil, err
			}
			byID[a.ID] = len(kept)
			kept = append(kept, keptAssumption{NumericID: a.NumericID, Content: a.Content, Tags: a.Tags})
		}
		for i, raw := range doc.AssumptionLinks {
			var l tcAssumptionLink
			if err := tcItem(f.Name, "assumptionLinks", i, raw, &l); err != nil {
				return nil, err
			}
			ai, ok := byID[l.AssumptionID]
			ci, linked := index[l.LinkedID]
			if !ok || !linked {
				w.Add("/assumptionLinks/%d links assumption %s and %s, which are not both in the document; the link is not imported", i, l.AssumptionID, l.LinkedID)
				continue
			}
			a := &kept[ai]
			c := &custom[ci]
			a.Links = append(a.Links, c.Kind+"/"+c.ID)
			note := fmt.Sprintf("Assumption A-%d: %s", a.NumericID, a.Content)
			c.Notes, _ = convert.FitText(strings.TrimSpace(c.Notes+"\n"+note), model.MaxDescLen)
		}
		convert.SetModelProp(m, TCAssumptionsProperty, kept)
	}
	if len(custom) > 0 {
		w.Add("Threat Composer threats and mitigations are imported as %d custom entries attached to no diagram element (Threat Composer has no diagram)", len(custom))
	}
	convert.LinkBoth(custom)
	convert.SetCustom(m, custom)
	return &Imported{Model: m, Warnings: w.List()}, nil
}

// tcStatement composes a threat statement from its parts, as Threat
// Composer does, for threats saved without one.
func tcStatement(t tcThreat) string {
	if t.ThreatAction == "" {
		return ""
	}
	s := convert.OrDefault(t.ThreatSource, "A threat source")
	if t.Prerequisites != "" {
		s += " " + t.Prerequisites
	}
	s += " can " + t.ThreatAction
	if t.ThreatImpact != "" {
		s += ", which leads to " + t.ThreatImpact
	}
	return s
}

func readTCMeta(md []tcMeta, c *convert.Custom) {
	for _, kv := range md {
		switch kv.Key {
		case "Comments":
			s, _ := kv.Value.(string)
			c.Notes, _ = convert.FitText(strings.TrimSpace(c.Notes+"\n"+s), model.MaxDescLen)
		case "Priority":
			c.Severity, _ = kv.Value.(string)
		case "STRIDE":
			vals, _ := kv.Value.([]any)
			for _, v := range vals {
				if s, ok := v.(string); ok {
					if name, ok := convert.StrideFromAny(s); ok && !slices.Contains(c.STRIDE, name) {
						c.STRIDE = append(c.STRIDE, name)
					}
				}
			}
		}
	}
}

func fromTCThreat(s string, w *convert.Warnings) string {
	switch s {
	case "", tcThreatIdentified:
		return analysis.Open
	case tcThreatResolved:
		return analysis.Mitigated
	case tcThreatNotUseful:
		return analysis.NotApplicable
	}
	w.Add("threat status %q is unknown; imported as %s", s, analysis.Open)
	return analysis.Open
}

func fromTCMitigation(s string, w *convert.Warnings) string {
	switch s {
	case "", tcMitIdentified:
		return analysis.Open
	case tcMitInProgress:
		return analysis.InProgress
	case tcMitResolved:
		return analysis.Implemented
	case tcMitWillNotAction:
		return analysis.NotApplicable
	}
	w.Add("mitigation status %q is unknown; imported as %s", s, analysis.Open)
	return analysis.Open
}
