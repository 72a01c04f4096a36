package otm_test

import (
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/interop"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/interoptest"
	"github.com/bulwark-tm/bulwark/pkg/interop/otm"
)

// FuzzOTMImport fuzzes the OTM importer (JSON and YAML); whatever imports
// must export to every format of the registry.
func FuzzOTMImport(f *testing.F) {
	interoptest.FuzzImport(f, otm.Format, interop.Formats(), "otm", "otm-shop.yaml", "otm-shared-ids.json", "otm-wrong-type.json")
}
