// Package interop imports threat models from other tools and formats into
// Bulwark's document format (pkg/model) and exports Bulwark models to them.
//
// Importers read CloudFormation templates (JSON or YAML with the short-form
// intrinsic tags; other tools' tags, such as Rain's, become unresolved values
// with a warning; nested stacks matched by TemplateURL path, their outputs
// followed across stacks; AWS SAM resources), Terraform plans (the JSON of terraform
// show -json, format versions 0.1 to 1.x, with modules), Open Threat Model
// (OTM 0.2.0, with the component type names of OTM producers such as
// StartLeft and IriusRisk), OWASP Threat Dragon (v1 and every v2 shape) and
// AWS Threat Composer (schema 1, assumptions included) documents; TMBOM is
// listed and refused as not supported yet. Exporters write OTM, Threat
// Dragon and Threat Composer.
//
// This package is the registry: each format lives in its own package
// (cloudformation, terraform, otm, threatdragon, threatcomposer, tmbom),
// which describes itself as a Format and is listed in formats below; the
// checks every import and export gets, and what the formats share, are in
// internal/convert, and the infrastructure-as-code sources share one
// assembler (internal/iac). A new format is a new package and one line in
// formats.
//
// Nothing is dropped silently: whatever a source holds that the Bulwark model
// cannot (or whatever a model holds that the target format cannot) is listed
// in the result's warnings. Threats and mitigations that are not from the
// Bulwark catalog ("custom entries") are kept in ThreatModel.Custom, which
// analysis lists beside the catalog's items (see internal/convert/custom.go).
//
// Every function here is pure: no I/O, safe for concurrent use.
package interop

import (
	"slices"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/interop/cloudformation"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/interop/otm"
	"github.com/bulwark-tm/bulwark/pkg/interop/terraform"
	"github.com/bulwark-tm/bulwark/pkg/interop/threatcomposer"
	"github.com/bulwark-tm/bulwark/pkg/interop/threatdragon"
	"github.com/bulwark-tm/bulwark/pkg/interop/tmbom"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// The types callers use, defined in internal/convert so that the format
// packages share them.
type (
	// File is one input document: its name (used to match nested-stack
	// template URLs and in messages) and its bytes.
	File = convert.File
	// Imported is the result of an import: a model that has not been
	// stored, and what the import could not carry over.
	Imported = convert.Imported
	// Exported is the result of an export: the document, its media type and
	// usual file extension, and what the target format could not hold.
	Exported = convert.Exported
	// Format is one import or export format. Import or Export is nil when
	// the format only goes one way.
	Format = convert.Format
)

// Limits on what an import accepts. Callers that read from the network
// (pkg/api) bound the request body as well.
const (
	// MaxFiles bounds how many files one import reads (a root template and
	// its nested stacks, for instance).
	MaxFiles = convert.MaxFiles
	// MaxFileSize bounds one input file.
	MaxFileSize = convert.MaxFileSize
)

// OTMVersion is the Open Threat Model version the OTM export writes.
const OTMVersion = otm.Version

// The format names.
const (
	CloudFormation = cloudformation.Name
	Terraform      = terraform.Name
	OTM            = otm.Name
	ThreatDragon   = threatdragon.Name
	ThreatComposer = threatcomposer.Name
	// TMBOM is the Threat Model Bill of Materials, listed and refused as
	// not supported yet.
	TMBOM = tmbom.Name
)

// formats is the registry, in display order.
var formats = []Format{
	cloudformation.Format,
	terraform.Format,
	otm.Format,
	threatdragon.Format,
	threatcomposer.Format,
	tmbom.Format,
}

// Formats returns every format, in display order.
func Formats() []Format { return slices.Clone(formats) }

// ImportFormats and ExportFormats return the names of the formats that can
// be imported or exported.
func ImportFormats() []string { return names(func(f Format) bool { return f.Import != nil }) }

// ExportFormats returns the names of the formats that can be exported.
func ExportFormats() []string { return names(func(f Format) bool { return f.Export != nil }) }

func names(keep func(Format) bool) []string {
	var out []string
	for _, f := range formats {
		if keep(f) {
			out = append(out, f.Name)
		}
	}
	return out
}

func lookup(name string) (Format, bool) {
	for _, f := range formats {
		if f.Name == strings.ToLower(strings.TrimSpace(name)) {
			return f, true
		}
	}
	return Format{}, false
}

// Import reads files in the format named from and returns a new, valid,
// unstored model with the import's warnings. An unknown format or an empty
// file list is errs.Invalid; unparsable input is errs.Malformed; input that
// parses but is not a document of the format is errs.Invalid.
func Import(from string, files []File, cat *catalog.Catalog) (*Imported, error) {
	f, ok := lookup(from)
	if !ok || f.Import == nil {
		return nil, errs.Field("from", "unknown import format %q; want one of %s", from, strings.Join(ImportFormats(), ", "))
	}
	return convert.Import(f, files, cat)
}

// Export writes m in the format named to. Threat and requirement statuses
// come from analysis.Analyze with cat.
func Export(to string, m *model.ThreatModel, cat *catalog.Catalog) (*Exported, error) {
	f, ok := lookup(to)
	if !ok || f.Export == nil {
		return nil, errs.Field("to", "unknown export format %q; want one of %s", to, strings.Join(ExportFormats(), ", "))
	}
	return convert.Export(f, m, cat)
}
