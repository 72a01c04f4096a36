package interop

import (
	"fmt"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/interop/internal/interoptest"
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
// interoptest.CountThreatDragon). A format with no counter is checked for
// panics, refusals and round trips only.
var sourceCounters = map[string]func(files []File) (interoptest.Counts, error){
	ThreatDragon:   interoptest.CountThreatDragon,
	ThreatComposer: interoptest.CountThreatComposer,
	OTM:            interoptest.CountOTM,
}

// corpusEntry is one import of the corpus, with the format of its folder.
type corpusEntry struct {
	interoptest.Entry
	format string
}

// corpusEntries returns every entry of the corpus, sorted by path.
func corpusEntries(t *testing.T) []corpusEntry {
	t.Helper()
	var out []corpusEntry
	for _, folder := range interoptest.Folders(t) {
		format, ok := corpusFormats[folder]
		if !ok {
			t.Errorf("testdata/real/%s: no format is known for this folder", folder)
			continue
		}
		for _, e := range interoptest.Entries(t, folder) {
			out = append(out, corpusEntry{Entry: e, format: format})
		}
	}
	return out
}

// TestCorpus imports every real file, compares what the model holds with
// what the source holds (counted independently), exports the model to
// every format and imports the export again. It fails on a panic, on a
// refused valid file and on any loss that no warning reports.
func TestCorpus(t *testing.T) {
	cat := interoptest.Catalog(t)
	entries := corpusEntries(t)
	var good, warned, refused int
	for _, e := range entries {
		t.Run(e.Path, func(t *testing.T) {
			var res *Imported
			err := interoptest.Safely("import "+e.Path, func() (err error) {
				res, err = Import(e.format, e.Files, cat)
				return err
			})
			if reason, ok := corpusRefused[e.Path]; ok {
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
			got := interoptest.ModelCounts(res.Model, cat)
			if count := sourceCounters[e.format]; count != nil {
				want, err := count(e.Files)
				if err != nil {
					t.Fatalf("count the source: %v", err)
				}
				interoptest.CheckCounts(t, "import", want, got, res.Warnings, false)
			}
			for _, to := range ExportFormats() {
				var ex *Exported
				if err := interoptest.Safely("export "+to, func() (err error) {
					ex, err = Export(to, res.Model, cat)
					return err
				}); err != nil {
					t.Errorf("export %s: %v", to, err)
					continue
				}
				var back *Imported
				if err := interoptest.Safely("re-import "+to, func() (err error) {
					back, err = Import(to, []File{{Name: "export" + ex.Extension, Data: ex.Data}}, cat)
					return err
				}); err != nil {
					t.Errorf("re-import of the %s export: %v", to, err)
					continue
				}
				interoptest.CheckCounts(t, "export to "+to+" and back", got, interoptest.ModelCounts(back.Model, cat), append(ex.Warnings, back.Warnings...), true)
			}
		})
	}
	t.Logf("corpus: %d files read correctly / %d with warnings / %d refused", good, warned, refused)
	fmt.Printf("corpus: %d files read correctly / %d with warnings / %d refused\n", good, warned, refused)
}
