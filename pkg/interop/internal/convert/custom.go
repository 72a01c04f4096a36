package convert

import (
	"slices"
	"sort"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// The kinds of custom entry.
const (
	CustomThreat     = model.CustomThreat
	CustomMitigation = model.CustomMitigation
)

// Custom is a threat or mitigation imported from another tool that the
// Bulwark catalog does not define; the model keeps them in
// ThreatModel.Custom and analysis lists them beside the catalog's items.
type Custom = model.CustomItem

// SetCustom stores entries in m.
func SetCustom(m *model.ThreatModel, entries []Custom) {
	if len(entries) == 0 {
		m.Custom = nil
		return
	}
	m.Custom = entries
}

// LinkBoth adds the missing half of every threat–mitigation link, so that
// either side's list is complete.
func LinkBoth(entries []Custom) {
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

// SourceState is a status (and notes) that a source holds for a catalog item
// ("rule@element").
type SourceState struct {
	Status, Notes string
}

// ApplyStates stores the imported decisions on catalog items in m.States,
// keeping only what analysis would not derive by itself: requirement
// statuses first, then threat statuses that differ from the derived ones.
// Statuses for items that do not apply to the element are kept too, with a
// warning.
func ApplyStates(m *model.ThreatModel, cat *catalog.Catalog, reqs, threats map[string]SourceState, w *Warnings) {
	if m.States == nil {
		m.States = map[string]model.ItemState{}
	}
	for id, st := range reqs {
		if (st.Status != "" && st.Status != analysis.Open) || st.Notes != "" {
			m.States[id] = model.ItemState{Status: st.Status, Notes: st.Notes}
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
			w.Add("requirement %s does not apply to its element in Bulwark's analysis; its status is kept", id)
		}
	}
	for id, st := range threats {
		t, ok := known[id]
		if !ok {
			w.Add("threat %s does not apply to its element in Bulwark's analysis; its status is kept", id)
		}
		if st.Status == "" {
			st.Status = analysis.Open
		}
		if !ok || t.Status != st.Status || st.Notes != "" {
			if st.Status == analysis.Open && st.Notes == "" {
				continue
			}
			m.States[id] = model.ItemState{Status: st.Status, Notes: st.Notes}
		}
	}
	if len(m.States) == 0 {
		m.States = nil
	}
}

// StrideLetters maps STRIDE categories to their letters and back.
var StrideLetters = map[string]string{
	catalog.Spoofing: "S", catalog.Tampering: "T", catalog.Repudiation: "R",
	catalog.InformationDisclosure: "I", catalog.DenialOfService: "D", catalog.ElevationOfPrivilege: "E",
}

// StrideFromAny returns the STRIDE category named by s: a letter, a name in
// any case, or Threat Dragon's spelling.
func StrideFromAny(s string) (string, bool) {
	for name, letter := range StrideLetters {
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
