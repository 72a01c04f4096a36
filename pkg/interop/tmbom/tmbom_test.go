package tmbom

import (
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/interoptest"
)

// TestRefused: a TMBOM document is refused with a message that says what
// to import instead.
func TestRefused(t *testing.T) {
	interoptest.ImportErrors(t, Format, interoptest.BadInput{Name: "tmbom not supported yet",
		Files: []convert.File{{Name: "model.cdx.json", Data: []byte(`{"bomFormat": "CycloneDX", "specVersion": "1.6"}`)}},
		Kind:  errs.Invalid, Msg: "TMBOM (Threat Model Bill of Materials) is not supported yet"})
}
