package interop

import (
	"strings"
	"testing"
)

// TestTMBOMListed: TMBOM is listed among the formats (GET /interop/formats
// answers from this list) and described as not supported yet.
func TestTMBOMListed(t *testing.T) {
	for _, f := range Formats() {
		if f.Name == TMBOM {
			if !strings.Contains(f.Description, "not supported yet") {
				t.Errorf("description %q", f.Description)
			}
			return
		}
	}
	t.Error("tmbom is not listed")
}
