// Package tmbom lists the Threat Model Bill of Materials (TMBOM, the
// threat-model form of CycloneDX that Threat Dragon offers) among the
// import formats. Its schema is still a draft, so the importer refuses its
// documents with a message that says what to do instead.
package tmbom

import (
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
)

// Name is the format's name.
const Name = "tmbom"

// Format is TMBOM for the registry of pkg/interop.
var Format = convert.Format{Name: Name, Description: "Threat Model Bill of Materials (TMBOM): not supported yet; export Threat Dragon JSON or OTM instead", Import: refuse}

// refuse refuses every document: TMBOM is not supported yet.
func refuse(files []convert.File, _ *catalog.Catalog) (*convert.Imported, error) {
	name := "the document"
	if len(files) > 0 {
		name = files[0].Name
	}
	return nil, errs.Field("from", "%s", "TMBOM (Threat Model Bill of Materials) is not supported yet: "+name+
		" is not read. Export the model from Threat Dragon as Threat Dragon JSON (or as OTM) and import that instead")
}
