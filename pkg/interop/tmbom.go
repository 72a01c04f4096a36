package interop

import (
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// TMBOM is the Threat Model Bill of Materials (the threat-model form of
// CycloneDX that Threat Dragon offers). Its schema is still a draft, so
// Bulwark lists the format but refuses its documents with a message that
// says what to do instead.
const TMBOM = "tmbom"

// importTMBOM refuses every document: TMBOM is not supported yet.
func importTMBOM(files []File, _ *catalog.Catalog) (*Imported, error) {
	name := "the document"
	if len(files) > 0 {
		name = files[0].Name
	}
	return nil, &errs.Error{Kind: errs.Invalid, Field: "from", Message: "TMBOM (Threat Model Bill of Materials) is not supported yet: " + name +
		" is not read. Export the model from Threat Dragon as Threat Dragon JSON (or as OTM) and import that instead"}
}
