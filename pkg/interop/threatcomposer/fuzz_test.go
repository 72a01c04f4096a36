package threatcomposer_test

import (
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/interop"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/interoptest"
	"github.com/bulwark-tm/bulwark/pkg/interop/threatcomposer"
)

// FuzzThreatComposerImport fuzzes the Threat Composer importer; whatever
// imports must export to every format of the registry.
func FuzzThreatComposerImport(f *testing.F) {
	interoptest.FuzzImport(f, threatcomposer.Format, interop.Formats(), "threatcomposer", "threatcomposer-demo.json", "threatcomposer-schema2.json")
}
