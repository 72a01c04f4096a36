package interop

import (
	"encoding/json"
	"slices"
	"sort"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// CustomProperty is the model property (ThreatModel.Properties) that holds
// the imported custom entries, as a JSON array of Custom. It is the interim
// home of threats and mitigations that are not from the Bulwark catalog,
// until pkg/model has a list of its own for them.
const CustomProperty = "bulwark.interop.custom"

// The kinds of custom entry.
const (
	CustomThreat     = "threat"
	CustomMitigation = "mitigation"
)

// Custom is a threat or mitigation imported from another tool that the
// Bulwark catalog does not define.
type Custom struct {
	Kind        string   `json:"kind"` // CustomThreat or CustomMitigation
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	STRIDE      []string `json:"stride,omitempty"`
	Severity    string   `json:"severity,omitempty"`
	// Status uses the vocabulary of pkg/analysis (Open, Mitigated, ...).
	Status string `json:"status"`
	Notes  string `json:"notes,omitempty"`
	// Elements are the ids of the components, containers or flows the
	// entry is attached to.
	Elements []string `json:"elements,omitempty"`
	// Links are, for a threat, the ids of the mitigations that address it;
	// for a mitigation, the ids of the threats it addresses.
	Links []string `json:"links,omitempty"`
	// Source is the format the entry was imported from.
	Source string `json:"source"`
}

// CustomEntries returns the custom entries kept in m, or an errs.Malformed
// error when the property does not hold them.
func CustomEntries(m *model.ThreatModel) ([]Custom, error) {
	raw, ok := m.Properties[CustomProperty]
	if !ok || raw == "" {
		return nil, nil
	}
	var out []Custom
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		return nil, &errs.Error{Kind: errs.Malformed, Field: "/properties/" + CustomProperty, Message: "does not hold a JSON array of custom entries", Err: err}
	}
	return out, nil
}

// setCustom stores entries in m (removing the property when there are none).
func setCustom(m *model.ThreatModel, entries []Custom) {
	if len(entries) == 0 {
		delete(m.Properties, CustomProperty)
		return
	}
	b, err := json.Marshal(entries)
	if err != nil {
		panic("interop: marshal custom entries: " + err.Error()) // plain strings always marshal
	}
	if m.Properties == nil {
		m.Properties = map[string]string{}
	}
	m.Properties[CustomProperty] = string(b)
}

// link adds the missing half of every threat–mitigation link, so that
// either side's list is complete.
func linkBoth(entries []Custom) {
	byID := map[string]*Custom{}
	for i := range entries {
		byID[entries[i].Kind+"\x00"+entries[i].ID] = &entries[i]
	}
	for i := range entries {
		e := &entries[i]
		other := CustomMitigation
		if e.Kind == CustomMitigation {
			other = CustomThreat
		}
		for _, l := range e.Links {
			if o := byID[other+"\x00"+l]; o != nil && !slices.Contains(o.Links, e.ID) {
				o.Links = append(o.Links, e.ID)
			}
		}
	}
	for i := range entries {
		sort.Strings(entries[i].Links)
	}
}

// imported is a status (and notes) that a source holds for a catalog item
// ("rule@element").
type imported struct {
	status, notes string
}

// applyStates stores the imported decisions on catalog items in m.States,
// keeping only what analysis would not derive by itself: requirement
// statuses first, then threat statuses that differ from the derived ones.
// Statuses for items that do not apply to the element are kept too, with a
// warning.
func applyStates(m *model.ThreatModel, cat *catalog.Catalog, reqs, threats map[string]imported, w *warnings) {
	if m.States == nil {
		m.States = map[string]model.ItemState{}
	}
	for id, st := range reqs {
		if (st.status != "" && st.status != analysis.Open) || st.notes != "" {
			m.States[id] = model.ItemState{Status: st.status, Notes: st.notes}
		}
	}
	res := analysis.Analyze(cat, m, nil)
	known := map[string]analysis.Threat{}
	for _, t := range res.Threats {
		known[t.ID] = t
	}
	knownReq := map[string]bool{}
	for _, r := range res.Requirements {
		knownReq[r.ID] = true
	}
	for id := range reqs {
		if !knownReq[id] {
			w.add("requirement %s does not apply to its element in Bulwark's analysis; its status is kept", id)
		}
	}
	for id, st := range threats {
		t, ok := known[id]
		if !ok {
			w.add("threat %s does not apply to its element in Bulwark's analysis; its status is kept", id)
		}
		if st.status == "" {
			st.status = analysis.Open
		}
		if !ok || t.Status != st.status || st.notes != "" {
			if st.status == analysis.Open && st.notes == "" {
				continue
			}
			m.States[id] = model.ItemState{Status: st.status, Notes: st.notes}
		}
	}
	if len(m.States) == 0 {
		m.States = nil
	}
}

// strideLetters maps STRIDE categories to their letters and back.
var strideLetters = map[string]string{
	catalog.Spoofing: "S", catalog.Tampering: "T", catalog.Repudiation: "R",
	catalog.InformationDisclosure: "I", catalog.DenialOfService: "D", catalog.ElevationOfPrivilege: "E",
}

// strideFromAny returns the STRIDE category named by s: a letter, a name in
// any case, or Threat Dragon's spelling.
func strideFromAny(s string) (string, bool) {
	for name, letter := range strideLetters {
		if equalFold(s, name) || s == letter {
			return name, true
		}
	}
	return "", false
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
