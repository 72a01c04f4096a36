package secrets_test

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/secrets"
	"github.com/bulwark-tm/bulwark/pkg/secrets/secretstest"
)

// TestConformance runs the secrets.Store conformance suite on the file
// driver.
func TestConformance(t *testing.T) {
	key := bytes.Repeat([]byte{7}, secrets.KeySize)
	secretstest.Run(t, func(t *testing.T) secrets.Store {
		f, err := secrets.OpenFile(filepath.Join(t.TempDir(), "secrets.json"), key)
		if err != nil {
			t.Fatal(err)
		}
		return f
	})
}
