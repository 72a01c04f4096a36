package interop

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// The real-file corpus: testdata/real/<folder>/<entry>, where an entry is
// one file (one import) or a folder (its files are one import, e.g. a root
// template with its nested stacks). testdata/real/README.md names the source
// of every file. The files are taken whole and never edited.

// corpusFormats maps a corpus folder to the import format of its entries.
var corpusFormats = map[string]string{
	"threatdragon":   ThreatDragon,
	"threatcomposer": ThreatComposer,
	"otm":            OTM,
	"tmbom":          TMBOM,
	"cloudformation": CloudFormation,
	"terraform":      Terraform,
}

// corpusRefused lists the entries that are expected to be refused, with
// the reason; every other entry must import. Keys are paths below
// testdata/real.
var corpusRefused = map[string]string{}

// sourceCounters count, for each format, what a source document holds,
// directly over its raw JSON or YAML and without the importers' code (see
// corpuscount_test.go). A format with no counter is checked for panics,
// refusals and round trips only.
var sourceCounters = map[string]func(files []File) (counts, error){}

// counts are the numbers the corpus test compares.
type counts struct {
	Components, Flows, Boundaries, Threats int
}

func (c counts) String() string {
	return fmt.Sprintf("%d components, %d flows, %d boundaries, %d threats", c.Components, c.Flows, c.Boundaries, c.Threats)
}

// modelCounts counts the same things in an imported model: components
// (and container groups, which are components drawn as containers), flows,
// trust boundaries, and threats (custom threats plus imported statuses of
// catalog threats).
func modelCounts(m *model.ThreatModel, cat *catalog.Catalog) counts {
	c := counts{Components: len(m.Diagram.Components), Flows: len(m.Diagram.Flows)}
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

// corpusEntry is one import of the corpus.
type corpusEntry struct {
	path   string // below testdata/real
	format string
	files  []File
}

func corpusEntries(t *testing.T) []corpusEntry {
	t.Helper()
	root := filepath.Join("testdata", "real")
	dirs, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	var out []corpusEntry
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		format, ok := corpusFormats[d.Name()]
		if !ok {
			t.Errorf("testdata/real/%s: no format is known for this folder", d.Name())
			continue
		}
		entries, err := os.ReadDir(filepath.Join(root, d.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			p := filepath.Join(root, d.Name(), e.Name())
			ce := corpusEntry{path: d.Name() + "/" + e.Name(), format: format}
			if e.IsDir() {
				err = filepath.WalkDir(p, func(fp string, de os.DirEntry, err error) error {
					if err != nil || de.IsDir() {
						return err
					}
					b, err := os.ReadFile(fp)
					rel, _ := filepath.Rel(p, fp)
					ce.files = append(ce.files, File{Name: filepath.ToSlash(rel), Data: b})
					return err
				})
			} else {
				var b []byte
				b, err = os.ReadFile(p)
				ce.files = []File{{Name: e.Name(), Data: b}}
			}
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, ce)
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].path < out[b].path })
	return out
}

// safely runs f and turns a panic into an error with its stack.
func safely(what string, f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("PANIC in %s: %v\n%s", what, r, debug.Stack())
		}
	}()
	return f()
}

// TestCorpus imports every real file, compares what the model holds with
// what the source holds (counted independently), exports the model to
// every format and imports the export again. It fails on a panic, on a
// refused valid file and on any loss that no warning reports.
func TestCorpus(t *testing.T) {
	cat := testCatalog(t)
	entries := corpusEntries(t)
	var good, warned, refused int
	for _, e := range entries {
		t.Run(e.path, func(t *testing.T) {
			var res *Imported
			err := safely("import "+e.path, func() (err error) {
				res, err = Import(e.format, e.files, cat)
				return err
			})
			if reason, ok := corpusRefused[e.path]; ok {
				refused++
				if err == nil {
					t.Errorf("expected a refusal (%s), but it imported", reason)
				} else {
					t.Logf("refused as expected (%s): %v", reason, err)
				}
				return
			}
			if err != nil {
				refused++
				t.Fatalf("refused: %v", err)
			}
			if len(res.Warnings) == 0 {
				good++
			} else {
				warned++
			}
			got := modelCounts(res.Model, cat)
			if count := sourceCounters[e.format]; count != nil {
				want, err := count(e.files)
				if err != nil {
					t.Fatalf("count the source: %v", err)
				}
				checkCounts(t, "import", want, got, res.Warnings, false)
			}
			for _, to := range ExportFormats() {
				var ex *Exported
				if err := safely("export "+to, func() (err error) {
					ex, err = Export(to, res.Model, cat)
					return err
				}); err != nil {
					t.Errorf("export %s: %v", to, err)
					continue
				}
				var back *Imported
				if err := safely("re-import "+to, func() (err error) {
					back, err = Import(to, []File{{Name: "export" + ex.Extension, Data: ex.Data}}, cat)
					return err
				}); err != nil {
					t.Errorf("re-import of the %s export: %v", to, err)
					continue
				}
				checkCounts(t, "export to "+to+" and back", got, modelCounts(back.Model, cat), append(ex.Warnings, back.Warnings...), true)
			}
		})
	}
	t.Logf("corpus: %d files read correctly / %d with warnings / %d refused", good, warned, refused)
	fmt.Printf("corpus: %d files read correctly / %d with warnings / %d refused\n", good, warned, refused)
}

// checkCounts fails when the model holds more than the source, or less
// without any warning to say so. An export writes the threats Bulwark's
// analysis finds as well as the model's own, so after a round trip
// (exported is true) more threats are expected.
func checkCounts(t *testing.T, step string, want, got counts, warns []string, exported bool) {
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
