// Package convert is what every format of pkg/interop shares: the input
// and result types, the format record the registry lists, the checks every
// import and export goes through, the warning list, tolerant decoding,
// element ids and layout for the diagrams importers build, custom entries
// and imported statuses, and the analysis exporters write from.
//
// It is internal to pkg/interop: pkg/interop re-exports the types callers
// use. Every function here is pure: no I/O, safe for concurrent use.
package convert

import (
	"fmt"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// Limits on what an import accepts. Callers that read from the network
// (pkg/api) bound the request body as well.
const (
	// MaxFiles bounds how many files one import reads (a root template and
	// its nested stacks, for instance).
	MaxFiles = 50
	// MaxFileSize bounds one input file.
	MaxFileSize = 16 << 20
)

// File is one input document: its name (used to match nested-stack template
// URLs and in messages) and its bytes.
type File struct {
	Name string
	Data []byte
}

// Imported is the result of an import: a model that has not been stored, and
// what the import could not carry over.
type Imported struct {
	Model    *model.ThreatModel `json:"model"`
	Warnings []string           `json:"warnings"`
}

// Exported is the result of an export: the document, its media type and
// usual file extension, and what the target format could not hold.
type Exported struct {
	Data      []byte   `json:"-"`
	MediaType string   `json:"mediaType"`
	Extension string   `json:"extension"`
	Warnings  []string `json:"warnings"`
}

// Format is one import or export format. Import or Export is nil when the
// format only goes one way.
type Format struct {
	Name        string
	Description string
	Import      func(files []File, cat *catalog.Catalog) (*Imported, error)
	Export      func(m *model.ThreatModel, cat *catalog.Catalog) (*Exported, error)
}

// Import runs f's importer on files with the checks every import gets: at
// least one file, at most MaxFiles of at most MaxFileSize bytes each; the
// model it builds is normalized and must be valid. A refused input is
// errs.Invalid or errs.TooLarge; an importer's error is wrapped with the
// format's name.
func Import(f Format, files []File, cat *catalog.Catalog) (*Imported, error) {
	if len(files) == 0 {
		return nil, errs.E(errs.Invalid, "import %s: no input file", f.Name)
	}
	if len(files) > MaxFiles {
		return nil, errs.E(errs.TooLarge, "import %s: %d files; at most %d", f.Name, len(files), MaxFiles)
	}
	for _, fl := range files {
		if len(fl.Data) > MaxFileSize {
			return nil, errs.E(errs.TooLarge, "import %s: %s has %d bytes; at most %d", f.Name, fl.Name, len(fl.Data), MaxFileSize)
		}
	}
	res, err := f.Import(files, cat)
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", f.Name, err)
	}
	res.Model.Normalize()
	if err := res.Model.Validate(); err != nil {
		return nil, errs.E(errs.Invalid, "import %s: the imported model is not valid: %w", f.Name, err)
	}
	if res.Warnings == nil {
		res.Warnings = []string{}
	}
	return res, nil
}

// Export runs f's exporter on m, which must be valid.
func Export(f Format, m *model.ThreatModel, cat *catalog.Catalog) (*Exported, error) {
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("export %s: %w", f.Name, err)
	}
	res, err := f.Export(m, cat)
	if err != nil {
		return nil, fmt.Errorf("export %s: %w", f.Name, err)
	}
	if res.Warnings == nil {
		res.Warnings = []string{}
	}
	return res, nil
}
