package threatcomposer

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

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
		return errs.E(errs.Malformed, "%s: /%s/%d cannot be read: %v", file, list, i, err).At(fmt.Sprintf("/%s/%d", list, i))
	}
	return nil
}

// importDocument reads one Threat Composer document: its application
// info becomes the model's name and description, its threats and
// mitigations custom entries, its assumptions a model property.
func importDocument(files []convert.File, _ *catalog.Catalog) (*convert.Imported, error) {
	var doc tcInDoc
	file, err := convert.DecodeOne(files, "Threat Composer", &doc, convert.DecodeJSON)
	if err != nil {
		return nil, err
	}
	if doc.Schema != 1 {
		return nil, errs.Field("/schema", "%s is not a Threat Composer schema 1 document (schema %v)", file, float64(doc.Schema))
	}
	r := &reader{file: file, idOf: map[string]string{}, kindOf: map[string]string{}, index: map[string]int{}}
	r.describe(&doc)
	if err := r.threats(doc.Threats); err != nil {
		return nil, err
	}
	if err := r.mitigations(doc.Mitigations, doc.MitigationLinks); err != nil {
		return nil, err
	}
	if err := r.assumptions(doc.Assumptions, doc.AssumptionLinks); err != nil {
		return nil, err
	}
	if len(r.custom) > 0 {
		r.w.Add("Threat Composer threats and mitigations are imported as %d custom entries attached to no diagram element (Threat Composer has no diagram)", len(r.custom))
	}
	convert.LinkBoth(r.custom)
	convert.SetCustom(r.m, r.custom)
	return &convert.Imported{Model: r.m, Warnings: r.w.List()}, nil
}

// reader is one import under way.
type reader struct {
	file      string
	m         *model.ThreatModel
	w         convert.Warnings
	customIDs convert.IDs
	custom    []convert.Custom
	idOf      map[string]string // source id → custom id (threats and mitigations)
	kindOf    map[string]string // source id → custom entry kind
	index     map[string]int    // source id → index in custom
}

// describe starts the model from the document's application info and
// keeps its architecture and dataflow descriptions as model properties.
func (r *reader) describe(doc *tcInDoc) {
	r.m = &model.ThreatModel{Name: "Imported Threat Composer model"}
	if doc.ApplicationInfo != nil {
		name, cut := convert.FitText(convert.OrDefault(doc.ApplicationInfo.Name, r.m.Name), model.MaxNameLen)
		if cut {
			r.w.Add("/applicationInfo/name is longer than %d characters; it is shortened", model.MaxNameLen)
		}
		r.m.Name = name
		r.m.Description, _ = convert.FitText(doc.ApplicationInfo.Description, model.MaxDescLen)
	}
	if doc.Architecture != nil && doc.Architecture.Description != "" {
		convert.SetModelProp(r.m, "threatcomposer.architecture", doc.Architecture.Description)
	}
	if doc.Dataflow != nil && doc.Dataflow.Description != "" {
		convert.SetModelProp(r.m, "threatcomposer.dataflow", doc.Dataflow.Description)
	}
}

// title fits a source text into a custom entry's title; where the text is
// longer than Bulwark's title limit it is cut with a warning naming the
// source item, and the whole text is kept in the description.
func (r *reader) title(text, what string) (string, bool) {
	t, cut := convert.FitText(strings.TrimSpace(text), 2*model.MaxNameLen)
	if cut {
		r.w.Add("%s: the text is longer than %d characters; the title is shortened and the whole text is kept in the description", what, 2*model.MaxNameLen)
	}
	return t, cut
}

// add adds a custom entry read from the source item src.
func (r *reader) add(src string, c convert.Custom) {
	r.idOf[src], r.kindOf[src], r.index[src] = c.ID, c.Kind, len(r.custom)
	r.custom = append(r.custom, c)
}

// threats reads the threats as custom threats.
func (r *reader) threats(list []json.RawMessage) error {
	for i, raw := range list {
		var t tcThreat
		if err := tcItem(r.file, "threats", i, raw, &t); err != nil {
			return err
		}
		what := fmt.Sprintf("threat T-%d (/threats/%d)", t.NumericID, i)
		if t.ID == "" {
			t.ID = fmt.Sprintf("T-%d", t.NumericID)
			if t.NumericID == 0 {
				t.ID = fmt.Sprintf("threat-%d", i+1)
			}
		}
		statement := convert.OrDefault(t.Statement, tcStatement(t))
		c := convert.Custom{Kind: convert.CustomThreat, ID: r.customIDs.Take(t.ID), Status: tcThreatStatuses.fromTC(t.Status, &r.w), Source: Name}
		var desc []string
		var cut bool
		if c.Title, cut = r.title(convert.OrDefault(statement, t.ID), what); cut {
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
		r.add(t.ID, c)
	}
	return nil
}

// mitigations reads the mitigations as custom mitigations, linked to the
// threats their links name.
func (r *reader) mitigations(list, linkList []json.RawMessage) error {
	links := map[string][]string{} // mitigation source id → linked source ids
	for i, raw := range linkList {
		var l tcLink
		if err := tcItem(r.file, "mitigationLinks", i, raw, &l); err != nil {
			return err
		}
		links[l.MitigationID] = append(links[l.MitigationID], l.LinkedID)
	}
	for i, raw := range list {
		var mt tcMitigation
		if err := tcItem(r.file, "mitigations", i, raw, &mt); err != nil {
			return err
		}
		what := fmt.Sprintf("mitigation M-%d (/mitigations/%d)", mt.NumericID, i)
		src := mt.ID
		if src == "" {
			src = fmt.Sprintf("M-%d", mt.NumericID)
			if mt.NumericID == 0 {
				src = fmt.Sprintf("mitigation-%d", i+1)
			}
		}
		c := convert.Custom{Kind: convert.CustomMitigation, ID: r.customIDs.Take(src), Status: tcMitigationStatuses.fromTC(mt.Status, &r.w), Source: Name}
		var desc []string
		var cut bool
		if c.Title, cut = r.title(convert.OrDefault(mt.Content, src), what); cut {
			desc = append(desc, mt.Content)
		}
		if len(mt.Tags) > 0 {
			desc = append(desc, "Tags: "+strings.Join(mt.Tags, ", "))
		}
		c.Description, _ = convert.FitText(strings.Join(desc, "\n"), model.MaxDescLen)
		readTCMeta(mt.Metadata, &c)
		for _, l := range links[mt.ID] {
			if r.kindOf[l] == convert.CustomThreat {
				c.Links = append(c.Links, r.idOf[l])
			} else {
				r.w.Add("%s links %s, which is not a threat of the document; the link is not imported", what, l)
			}
		}
		r.add(src, c)
	}
	return nil
}

// assumptions keeps the assumptions whole in a model property, and notes
// them on every threat and mitigation they are linked to.
func (r *reader) assumptions(list, linkList []json.RawMessage) error {
	if len(list) == 0 {
		return nil
	}
	var kept []keptAssumption
	byID := map[string]int{}
	for i, raw := range list {
		var a tcAssumption
		if err := tcItem(r.file, "assumptions", i, raw, &a); err != nil {
			return err
		}
		byID[a.ID] = len(kept)
		kept = append(kept, keptAssumption{NumericID: a.NumericID, Content: a.Content, Tags: a.Tags})
	}
	for i, raw := range linkList {
		var l tcAssumptionLink
		if err := tcItem(r.file, "assumptionLinks", i, raw, &l); err != nil {
			return err
		}
		ai, ok := byID[l.AssumptionID]
		ci, linked := r.index[l.LinkedID]
		if !ok || !linked {
			r.w.Add("/assumptionLinks/%d links assumption %s and %s, which are not both in the document; the link is not imported", i, l.AssumptionID, l.LinkedID)
			continue
		}
		a := &kept[ai]
		c := &r.custom[ci]
		a.Links = append(a.Links, c.Kind+"/"+c.ID)
		note := fmt.Sprintf("Assumption A-%d: %s", a.NumericID, a.Content)
		c.Notes, _ = convert.FitText(strings.TrimSpace(c.Notes+"\n"+note), model.MaxDescLen)
	}
	convert.SetModelProp(r.m, AssumptionsProperty, kept)
	return nil
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

// tcStatuses maps the statuses of one kind of Threat Composer item to
// Bulwark's.
type tcStatuses struct {
	kind string            // "threat" or "mitigation", for the warning
	to   map[string]string // Threat Composer status ("" when absent) → Bulwark status
}

var (
	tcThreatStatuses = tcStatuses{kind: "threat", to: map[string]string{
		"":                 analysis.Open,
		tcThreatIdentified: analysis.Open,
		tcThreatResolved:   analysis.Mitigated,
		tcThreatNotUseful:  analysis.NotApplicable,
	}}
	tcMitigationStatuses = tcStatuses{kind: "mitigation", to: map[string]string{
		"":                 analysis.Open,
		tcMitIdentified:    analysis.Open,
		tcMitInProgress:    analysis.InProgress,
		tcMitResolved:      analysis.Implemented,
		tcMitWillNotAction: analysis.NotApplicable,
	}}
)

// fromTC returns the Bulwark status of Threat Composer status s; a status
// the map does not know is imported as open, with a warning.
func (m tcStatuses) fromTC(s string, w *convert.Warnings) string {
	if st, ok := m.to[s]; ok {
		return st
	}
	w.Add("%s status %q is unknown; imported as %s", m.kind, s, analysis.Open)
	return analysis.Open
}
