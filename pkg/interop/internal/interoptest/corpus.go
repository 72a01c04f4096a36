package interoptest

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime/debug"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// The real-file corpus: testdata/real/<folder>/<entry>, where an entry is
// one file (one import) or a folder (its files are one import, e.g. a root
// template with its nested stacks). testdata/real/README.md names the source
// of every file. The files are taken whole and never edited.

// Entry is one import of the corpus.
type Entry struct {
	Path  string // below testdata/real
	Files []convert.File
}

// Folders lists the folders of the corpus, one per format.
func Folders(t testing.TB) []string {
	t.Helper()
	dirs, err := os.ReadDir(Path("real"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range dirs {
		if d.IsDir() {
			out = append(out, d.Name())
		}
	}
	return out
}

// Entries returns the entries of one folder of the corpus, sorted by path.
func Entries(t testing.TB, folder string) []Entry {
	t.Helper()
	entries, err := os.ReadDir(Path("real", folder))
	if err != nil {
		t.Fatal(err)
	}
	var out []Entry
	for _, e := range entries {
		files, err := readEntry(Path("real", folder, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, Entry{Path: folder + "/" + e.Name(), Files: files})
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Path < out[b].Path })
	return out
}

// Safely runs f and turns a panic into an error with its stack.
func Safely(what string, f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("PANIC in %s: %v\n%s", what, r, debug.Stack())
		}
	}()
	return f()
}

// Counts are the numbers the corpus test compares.
type Counts struct {
	Components, Flows, Boundaries, Threats int
}

func (c Counts) String() string {
	return fmt.Sprintf("%d components, %d flows, %d boundaries, %d threats", c.Components, c.Flows, c.Boundaries, c.Threats)
}

// ModelCounts counts the same things in an imported model: components
// (and container groups, which are components drawn as containers), flows,
// trust boundaries, and threats (custom threats plus imported statuses of
// catalog threats).
func ModelCounts(m *model.ThreatModel, cat *catalog.Catalog) Counts {
	c := Counts{Components: len(m.Diagram.Components), Flows: len(m.Diagram.Flows)}
	for _, g := range m.Diagram.Groups {
		switch g.Kind {
		case model.KindContainer:
			c.Components++
		case model.KindBoundary:
			c.Boundaries++
		}
	}
	for _, e := range m.Custom {
		if e.Kind == model.CustomThreat {
			c.Threats++
		}
	}
	for id := range m.States {
		rule, _, _ := strings.Cut(id, "@")
		if cat.Threat(rule) != nil {
			c.Threats++
		}
	}
	return c
}

// CheckCounts fails when the model holds more than the source, or less
// without any warning to say so. An export writes the threats Bulwark's
// analysis finds as well as the model's own, so after a round trip
// (exported is true) more threats are expected.
func CheckCounts(t testing.TB, step string, want, got Counts, warns []string, exported bool) {
	t.Helper()
	pairs := []struct {
		name      string
		want, got int
	}{
		{"components", want.Components, got.Components},
		{"flows", want.Flows, got.Flows},
		{"boundaries", want.Boundaries, got.Boundaries},
		{"threats", want.Threats, got.Threats},
	}
	for _, p := range pairs {
		switch {
		case p.got > p.want && exported && p.name == "threats":
		case p.got > p.want:
			t.Errorf("%s: %d %s, the source has %d", step, p.got, p.name, p.want)
		case p.got < p.want && len(warns) == 0:
			t.Errorf("%s: %d %s of %d, and no warning says what was lost", step, p.got, p.name, p.want)
		case p.got < p.want:
			t.Logf("%s: %d %s of %d; warnings: %s", step, p.got, p.name, p.want, strings.Join(warns, "; "))
		}
	}
}

// The independent counters of the corpus test. They read a source document
// as plain JSON or YAML values and count what the source tool shows, with
// nothing from the importers: a counter that agreed with an importer's bug
// would hide it.

func rawDoc(f convert.File) (map[string]any, error) {
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

// CountThreatDragon counts the cells of every diagram of a Threat Dragon
// v1 (diagramJson.cells, "type") or v2 (cells, "shape" and data.type)
// model: actors, processes and stores are components; flows; boundary
// boxes and curves are boundaries; text blocks are not counted. Threats are
// those of every cell.
func CountThreatDragon(files []convert.File) (Counts, error) {
	doc, err := rawDoc(files[0])
	if err != nil {
		return Counts{}, err
	}
	var c Counts
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

// CountThreatComposer counts the threats of a Threat Composer export; it
// has no diagram elements.
func CountThreatComposer(files []convert.File) (Counts, error) {
	doc, err := rawDoc(files[0])
	if err != nil {
		return Counts{}, err
	}
	return Counts{Threats: len(rawList(doc["threats"]))}, nil
}

// CountOTM counts an OTM document's components, dataflows, trust zones and
// threat definitions.
func CountOTM(files []convert.File) (Counts, error) {
	doc, err := rawDoc(files[0])
	if err != nil {
		return Counts{}, err
	}
	return Counts{
		Components: len(rawList(doc["components"])),
		Flows:      len(rawList(doc["dataflows"])),
		Boundaries: len(rawList(doc["trustZones"])),
		Threats:    len(rawList(doc["threats"])),
	}, nil
}
