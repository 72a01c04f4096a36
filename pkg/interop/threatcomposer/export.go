package threatcomposer

import (
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/model"
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

// exportModel writes m as a Threat Composer document: the threat and
// requirement items of Bulwark's analysis, then the custom entries, then
// the assumptions an import kept.
func exportModel(m *model.ThreatModel, cat *catalog.Catalog) (*convert.Exported, error) {
	x := &writer{m: m, cat: cat}
	x.d = convert.Prepare(m, cat, &x.w, "Threat Composer")
	x.doc = tcDoc{Schema: 1, ApplicationInfo: &tcInfo{Name: m.Name, Description: m.Description},
		Assumptions: []tcAssumption{}, AssumptionLinks: []tcAssumptionLink{}, Mitigations: []tcMitigation{}, MitigationLinks: []tcLink{}, Threats: []tcThreat{}}
	x.catalogThreats()
	x.requirements()
	x.customEntries()
	x.assumptions()
	if x.lossy > 0 {
		x.w.Add("%d statuses (In Progress threats, Risk Accepted items) have no exact Threat Composer equivalent; the nearest status is written", x.lossy)
	}
	x.w.Add("Threat Composer has no diagram: components, groups and flows are not exported (each threat names its element in impactedAssets)")
	return &convert.Exported{Data: convert.JSONOut(x.doc), MediaType: "application/json", Extension: ".tc.json", Warnings: x.w.List()}, nil
}

// writer is one export under way.
type writer struct {
	m     *model.ThreatModel
	cat   *catalog.Catalog
	d     *convert.ExportData
	doc   tcDoc
	w     convert.Warnings
	lossy int // statuses written as the nearest Threat Composer status
}

// meta is the metadata of an exported item: extra, the notes as comments,
// and the Bulwark item id and element that an import reads back.
func meta(itemID, element, notes string, extra ...tcMeta) []tcMeta {
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

// status returns st, counting it when it is only the nearest Threat
// Composer status (lost): x.status(tcThreatStatus(s)).
func (x *writer) status(st string, lost bool) string {
	if lost {
		x.lossy++
	}
	return st
}

// catalogThreats writes the catalog threat items of the analysis.
func (x *writer) catalogThreats() {
	for i := range x.d.Analysis.Threats {
		t := &x.d.Analysis.Threats[i]
		if t.Imported != nil || strings.HasPrefix(t.Rule, "custom:") {
			continue // nested models' threats are noted by Prepare; custom ones are written from d.Custom
		}
		impact := ""
		if ct := x.cat.Threat(t.Rule); ct != nil {
			impact = ct.Description
		}
		st := x.status(tcThreatStatus(t.Status))
		n := len(x.doc.Threats) + 1
		where := convert.OrDefault(t.ElementName, t.Element)
		x.doc.Threats = append(x.doc.Threats, tcThreat{ID: tcUUID(x.m.ID, t.ID), NumericID: n, DisplayOrder: n,
			Statement: model.Clip(fmt.Sprintf("%s (%s)", t.Title, where), tcMaxContent), ThreatAction: model.Clip(t.Title, tcMaxContent),
			ThreatImpact: model.Clip(impact, tcMaxContent), ImpactedAssets: []string{model.Clip(where, 200)}, Status: st,
			Metadata: meta(t.ID, t.Element, t.Notes, tcMeta{Key: "STRIDE", Value: []string{convert.StrideLetters[t.STRIDE]}}, tcMeta{Key: "Priority", Value: tcPriority(t.Severity)})})
	}
}

// requirements writes the catalog requirement items of the analysis as
// mitigations, linked to the threats they mitigate.
func (x *writer) requirements() {
	for i := range x.d.Analysis.Requirements {
		r := &x.d.Analysis.Requirements[i]
		if strings.HasPrefix(r.Rule, "custom:") {
			continue // written from d.Custom
		}
		st := x.status(tcMitigationStatus(r.Status))
		n := len(x.doc.Mitigations) + 1
		id := tcUUID(x.m.ID, r.ID)
		x.doc.Mitigations = append(x.doc.Mitigations, tcMitigation{ID: id, NumericID: n, DisplayOrder: n,
			Content: model.Clip(fmt.Sprintf("%s (%s)", r.Title, convert.OrDefault(r.ElementName, r.Element)), tcMaxContent), Status: st, Metadata: meta(r.ID, r.Element, r.Notes)})
		for _, tid := range r.Threats {
			x.doc.MitigationLinks = append(x.doc.MitigationLinks, tcLink{MitigationID: id, LinkedID: tcUUID(x.m.ID, tid)})
		}
	}
}

// customEntries writes the model's custom threats and mitigations.
func (x *writer) customEntries() {
	for _, c := range x.d.Custom {
		id := tcUUID(x.m.ID, c.Kind+"/"+c.ID)
		el := strings.Join(c.Elements, ",")
		if c.Kind == convert.CustomMitigation {
			st := x.status(tcMitigationStatus(c.Status))
			n := len(x.doc.Mitigations) + 1
			x.doc.Mitigations = append(x.doc.Mitigations, tcMitigation{ID: id, NumericID: n, DisplayOrder: n, Content: model.Clip(c.Title, tcMaxContent), Status: st, Metadata: meta(c.ID, el, c.Notes)})
			for _, l := range c.Links {
				x.doc.MitigationLinks = append(x.doc.MitigationLinks, tcLink{MitigationID: id, LinkedID: tcUUID(x.m.ID, convert.CustomThreat+"/"+l)})
			}
			continue
		}
		st := x.status(tcThreatStatus(c.Status))
		var letters []string
		for _, s := range c.STRIDE {
			letters = append(letters, convert.StrideLetters[s])
		}
		n := len(x.doc.Threats) + 1
		md := []tcMeta{}
		if len(letters) > 0 {
			md = append(md, tcMeta{Key: "STRIDE", Value: letters})
		}
		if c.Severity != "" {
			md = append(md, tcMeta{Key: "Priority", Value: tcPriority(c.Severity)})
		}
		x.doc.Threats = append(x.doc.Threats, tcThreat{ID: id, NumericID: n, DisplayOrder: n, Statement: model.Clip(c.Title, tcMaxContent), ThreatAction: model.Clip(c.Title, tcMaxContent),
			ThreatImpact: model.Clip(c.Description, tcMaxContent), Status: st, Metadata: meta(c.ID, el, c.Notes, md...)})
	}
}

// assumptions writes back the assumptions an import kept in
// AssumptionsProperty, with their links.
func (x *writer) assumptions() {
	raw := x.m.Properties[AssumptionsProperty]
	if raw == "" {
		return
	}
	var kept []keptAssumption
	if err := json.Unmarshal([]byte(raw), &kept); err != nil {
		x.w.Add("model property %s is not a list of assumptions; the assumptions are not exported", AssumptionsProperty)
	}
	for i, a := range kept {
		id := tcUUID(x.m.ID, fmt.Sprintf("assumption/%d", i+1))
		x.doc.Assumptions = append(x.doc.Assumptions, tcAssumption{ID: id, NumericID: i + 1, Content: model.Clip(a.Content, tcMaxContent), Tags: a.Tags})
		for _, l := range a.Links {
			kind, _, _ := strings.Cut(l, "/")
			x.doc.AssumptionLinks = append(x.doc.AssumptionLinks, tcAssumptionLink{Type: map[string]string{convert.CustomThreat: "Threat", convert.CustomMitigation: "Mitigation"}[kind], AssumptionID: id, LinkedID: tcUUID(x.m.ID, l)})
		}
	}
}

func tcPriority(severity string) string {
	if severity == "Critical" {
		return "High"
	}
	return severity
}
