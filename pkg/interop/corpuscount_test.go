package interop

import (
	"encoding/json"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// The independent counters of the corpus test. They read a source document
// as plain JSON or YAML values and count what the source tool shows, with
// nothing from the importers: a counter that agreed with an importer's bug
// would hide it.

func init() {
	sourceCounters[ThreatDragon] = countThreatDragon
	sourceCounters[ThreatComposer] = countThreatComposer
	sourceCounters[OTM] = countOTM
}

func rawDoc(f File) (map[string]any, error) {
	var v any
	var err error
	if t := strings.TrimSpace(string(f.Data)); strings.HasPrefix(t, "{") {
		err = json.Unmarshal(f.Data, &v)
	} else {
		err = yaml.Unmarshal(f.Data, &v)
	}
	if err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s is not an object", f.Name)
	}
	return m, nil
}

func rawList(v any) []any {
	l, _ := v.([]any)
	return l
}

func rawObj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func rawStr(v any) string {
	s, _ := v.(string)
	return s
}

// countThreatDragon counts the cells of every diagram of a Threat Dragon
// v1 (diagramJson.cells, "type") or v2 (cells, "shape" and data.type)
// model: actors, processes and stores are components; flows; boundary
// boxes and curves are boundaries; text blocks are not counted. Threats are
// those of every cell.
func countThreatDragon(files []File) (counts, error) {
	doc, err := rawDoc(files[0])
	if err != nil {
		return counts{}, err
	}
	var c counts
	for _, d := range rawList(rawObj(doc["detail"])["diagrams"]) {
		cells := rawList(rawObj(d)["cells"])
		if dj := rawObj(rawObj(d)["diagramJson"]); dj != nil {
			cells = rawList(dj["cells"])
		}
		for _, cell := range cells {
			cm := rawObj(cell)
			data := rawObj(cm["data"])
			kind := rawStr(cm["type"]) // v1
			if data != nil && rawStr(data["type"]) != "" {
				kind = rawStr(data["type"]) // v2
			}
			switch rawStr(cm["shape"]) {
			case "actor":
				kind = "tm.Actor"
			case "process":
				kind = "tm.Process"
			case "store":
				kind = "tm.Store"
			case "flow":
				kind = "tm.Flow"
			case "trust-boundary-box", "trust-boundary-curve", "trust-broundary-curve":
				kind = "tm.Boundary"
			}
			switch kind {
			case "tm.Actor", "tm.Process", "tm.Store":
				c.Components++
			case "tm.Flow":
				c.Flows++
			case "tm.Boundary", "tm.BoundaryBox":
				c.Boundaries++
			}
			threats := rawList(cm["threats"])
			if data != nil {
				threats = append(threats, rawList(data["threats"])...)
			}
			c.Threats += len(threats)
		}
	}
	return c, nil
}

// countThreatComposer counts the threats of a Threat Composer export; it
// has no diagram elements.
func countThreatComposer(files []File) (counts, error) {
	doc, err := rawDoc(files[0])
	if err != nil {
		return counts{}, err
	}
	return counts{Threats: len(rawList(doc["threats"]))}, nil
}

// countOTM counts an OTM document's components, dataflows, trust zones and
// threat definitions.
func countOTM(files []File) (counts, error) {
	doc, err := rawDoc(files[0])
	if err != nil {
		return counts{}, err
	}
	return counts{
		Components: len(rawList(doc["components"])),
		Flows:      len(rawList(doc["dataflows"])),
		Boundaries: len(rawList(doc["trustZones"])),
		Threats:    len(rawList(doc["threats"])),
	}, nil
}
