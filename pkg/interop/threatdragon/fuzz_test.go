package threatdragon_test

import (
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/interop"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/interoptest"
	"github.com/bulwark-tm/bulwark/pkg/interop/threatdragon"
)

// FuzzThreatDragonImport fuzzes the Threat Dragon importer; whatever
// imports must export to every format of the registry.
func FuzzThreatDragonImport(f *testing.F) {
	interoptest.FuzzImport(f, threatdragon.Format, interop.Formats(), "threatdragon", "threatdragon-demo.json", "threatdragon-v1.json", "threatdragon-wrong-type.json")
}
