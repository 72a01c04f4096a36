package interop

import (
	"crypto/sha1"
	"fmt"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

type tcDoc struct {
	Schema          int            `json:"schema"`
	ApplicationInfo *tcInfo        `json:"applicationInfo,omitempty"`
	Architecture    *tcInfo        `json:"architecture,omitempty"`
	Dataflow        *tcInfo        `json:"dataflow,omitempty"`
	Assumptions     []any          `json:"assumptions"`
	AssumptionLinks []any          `json:"assumptionLinks"`
	Mitigations     []tcMitigation `json:"mitigations"`
	MitigationLinks []tcLink       `json:"mitigationLinks"`
	Threats         []tcThreat     `json:"threats"`
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

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

func exportThreatComposer(m *model.ThreatModel, cat *catalog.Catalog) (*Exported, error) {
	var w warnings
	d, err := prepare(m, cat, &w, "Threat Composer")
	if err != nil {
		return nil, err
	}
	doc := tcDoc{Schema: 1, ApplicationInfo: &tcInfo{Name: m.Name, Description: m.Description},
		Assumptions: []any{}, AssumptionLinks: []any{}, Mitigations: []tcMitigation{}, MitigationLinks: []tcLink{}, Threats: []tcThreat{}}
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
	for i := range d.res.Threats {
		t := &d.res.Threats[i]
		if t.Imported != nil {
			continue
		}
		st, lost := tcThreatStatus(t.Status)
		if lost {
			lossy++
		}
		n := len(doc.Threats) + 1
		where := orDefault(t.ElementName, t.Element)
		doc.Threats = append(doc.Threats, tcThreat{ID: tcUUID(m.ID, t.ID), NumericID: n, DisplayOrder: n,
			Statement: clip(fmt.Sprintf("%s (%s)", t.Title, where), tcMaxContent), ThreatAction: clip(t.Title, tcMaxContent),
			ThreatImpact: clip(cat.Threat(t.Rule).Description, tcMaxContent), ImpactedAssets: []string{clip(where, 200)}, Status: st,
			Metadata: meta(t.ID, t.Element, t.Notes, tcMeta{Key: "STRIDE", Value: []string{strideLetters[t.STRIDE]}}, tcMeta{Key: "Priority", Value: tcPriority(t.Severity)})})
	}
	for i := range d.res.Requirements {
		r := &d.res.Requirements[i]
		st, lost := tcMitigationStatus(r.Status)
		if lost {
			lossy++
		}
		n := len(doc.Mitigations) + 1
		id := tcUUID(m.ID, r.ID)
		doc.Mitigations = append(doc.Mitigations, tcMitigation{ID: id, NumericID: n, DisplayOrder: n,
			Content: clip(fmt.Sprintf("%s (%s)", r.Title, orDefault(r.ElementName, r.Element)), tcMaxContent), Status: st, Metadata: meta(r.ID, r.Element, r.Notes)})
		for _, tid := range r.Threats {
			doc.MitigationLinks = append(doc.MitigationLinks, tcLink{MitigationID: id, LinkedID: tcUUID(m.ID, tid)})
		}
	}
	for _, c := range d.custom {
		id := tcUUID(m.ID, c.Kind+"/"+c.ID)
		el := strings.Join(c.Elements, ",")
		if c.Kind == CustomMitigation {
			st, lost := tcMitigationStatus(c.Status)
			if lost {
				lossy++
			}
			n := len(doc.Mitigations) + 1
			doc.Mitigations = append(doc.Mitigations, tcMitigation{ID: id, NumericID: n, DisplayOrder: n, Content: clip(c.Title, tcMaxContent), Status: st, Metadata: meta(c.ID, el, c.Notes)})
			for _, l := range c.Links {
				doc.MitigationLinks = append(doc.MitigationLinks, tcLink{MitigationID: id, LinkedID: tcUUID(m.ID, CustomThreat+"/"+l)})
			}
			continue
		}
		st, lost := tcThreatStatus(c.Status)
		if lost {
			lossy++
		}
		var letters []string
		for _, s := range c.STRIDE {
			letters = append(letters, strideLetters[s])
		}
		n := len(doc.Threats) + 1
		md := []tcMeta{}
		if len(letters) > 0 {
			md = append(md, tcMeta{Key: "STRIDE", Value: letters})
		}
		if c.Severity != "" {
			md = append(md, tcMeta{Key: "Priority", Value: tcPriority(c.Severity)})
		}
		doc.Threats = append(doc.Threats, tcThreat{ID: id, NumericID: n, DisplayOrder: n, Statement: clip(c.Title, tcMaxContent), ThreatAction: clip(c.Title, tcMaxContent),
			ThreatImpact: clip(c.Description, tcMaxContent), Status: st, Metadata: meta(c.ID, el, c.Notes, md...)})
	}
	if lossy > 0 {
		w.add("%d statuses (In Progress threats, Risk Accepted items) have no exact Threat Composer equivalent; the nearest status is written", lossy)
	}
	w.add("Threat Composer has no diagram: components, groups and flows are not exported (each threat names its element in impactedAssets)")
	return &Exported{Data: jsonOut(doc), MediaType: "application/json", Extension: ".tc.json", Warnings: w.list}, nil
}

func tcPriority(severity string) string {
	if severity == "Critical" {
		return "High"
	}
	return severity
}

func importThreatComposer(files []File, _ *catalog.Catalog) (*Imported, error) {
	if len(files) != 1 {
		return nil, errs.E(errs.Invalid, "Threat Composer import reads one document, got %d files", len(files))
	}
	f := files[0]
	var doc tcDoc
	if err := decodeJSON(f.Name, f.Data, &doc); err != nil {
		return nil, err
	}
	if doc.Schema != 1 {
		return nil, &errs.Error{Kind: errs.Invalid, Field: "/schema", Message: fmt.Sprintf("%s is not a Threat Composer schema 1 document (schema %d)", f.Name, doc.Schema)}
	}
	var w warnings
	m := &model.ThreatModel{Name: "Imported Threat Composer model"}
	if doc.ApplicationInfo != nil {
		m.Name, m.Description = orDefault(doc.ApplicationInfo.Name, m.Name), doc.ApplicationInfo.Description
	}
	if doc.Architecture != nil && doc.Architecture.Description != "" {
		setModelProp(m, "threatcomposer.architecture", doc.Architecture.Description)
	}
	if doc.Dataflow != nil && doc.Dataflow.Description != "" {
		setModelProp(m, "threatcomposer.dataflow", doc.Dataflow.Description)
	}
	var custom []Custom
	for i, t := range doc.Threats {
		if t.ID == "" {
			return nil, &errs.Error{Kind: errs.Invalid, Field: fmt.Sprintf("/threats/%d/id", i), Message: "is required"}
		}
		c := Custom{Kind: CustomThreat, ID: t.ID, Title: orDefault(t.Statement, orDefault(t.ThreatAction, t.ID)), Description: t.ThreatImpact, Status: fromTCThreat(t.Status, &w), Source: ThreatComposer}
		readTCMeta(t.Metadata, &c)
		custom = append(custom, c)
	}
	threatIDs := map[string]bool{}
	for _, t := range doc.Threats {
		threatIDs[t.ID] = true
	}
	for i, mt := range doc.Mitigations {
		if mt.ID == "" {
			return nil, &errs.Error{Kind: errs.Invalid, Field: fmt.Sprintf("/mitigations/%d/id", i), Message: "is required"}
		}
		c := Custom{Kind: CustomMitigation, ID: mt.ID, Title: orDefault(mt.Content, mt.ID), Status: fromTCMitigation(mt.Status, &w), Source: ThreatComposer}
		readTCMeta(mt.Metadata, &c)
		for _, l := range doc.MitigationLinks {
			if l.MitigationID == mt.ID {
				if threatIDs[l.LinkedID] {
					c.Links = append(c.Links, l.LinkedID)
				} else {
					w.add("mitigation %s links %s, which is not a threat of the document; the link is not imported", mt.ID, l.LinkedID)
				}
			}
		}
		custom = append(custom, c)
	}
	if len(doc.Assumptions) > 0 {
		w.add("%d assumptions are not imported: Bulwark models have no assumptions", len(doc.Assumptions))
	}
	if len(custom) > 0 {
		w.add("Threat Composer threats and mitigations are imported as %d custom entries attached to no diagram element (Threat Composer has no diagram)", len(custom))
	}
	linkBoth(custom)
	setCustom(m, custom)
	return &Imported{Model: m, Warnings: w.list}, nil
}

func readTCMeta(md []tcMeta, c *Custom) {
	for _, kv := range md {
		switch kv.Key {
		case "Comments":
			c.Notes, _ = kv.Value.(string)
		case "Priority":
			c.Severity, _ = kv.Value.(string)
		case "STRIDE":
			vals, _ := kv.Value.([]any)
			for _, v := range vals {
				if s, ok := v.(string); ok {
					if name, ok := strideFromAny(s); ok {
						c.STRIDE = append(c.STRIDE, name)
					}
				}
			}
		}
	}
}

func fromTCThreat(s string, w *warnings) string {
	switch s {
	case "", tcThreatIdentified:
		return analysis.Open
	case tcThreatResolved:
		return analysis.Mitigated
	case tcThreatNotUseful:
		return analysis.NotApplicable
	}
	w.add("threat status %q is unknown; imported as %s", s, analysis.Open)
	return analysis.Open
}

func fromTCMitigation(s string, w *warnings) string {
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
	w.add("mitigation status %q is unknown; imported as %s", s, analysis.Open)
	return analysis.Open
}
