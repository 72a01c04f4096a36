package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/model"
)

const otmFixture = "../interop/testdata/otm-shop.yaml"
const modelFixture = "../interop/testdata/model.json"

func TestImportExportCommands(t *testing.T) {
	dir := t.TempDir()
	modelOut := filepath.Join(dir, "model.json")
	otmOut := filepath.Join(dir, "out.otm.json")
	tests := []struct {
		name   string
		args   []string
		code   int    // 0: success
		stderr string // substring of stderr or the error
		check  func(t *testing.T, stdout string)
	}{
		{name: "import to file, flags after the file", args: []string{"import", "--from", "otm", otmFixture, "--out", modelOut, "--name", "Shop"}, stderr: "warning: dataflow store-order is bidirectional",
			check: func(t *testing.T, _ string) {
				b, err := os.ReadFile(modelOut)
				if err != nil {
					t.Fatal(err)
				}
				m, err := model.Decode(b)
				if err != nil {
					t.Fatal(err)
				}
				if err := m.Validate(); err != nil || m.Name != "Shop" || len(m.Diagram.Components) != 3 {
					t.Errorf("imported model: %v %+v", err, m)
				}
			}},
		{name: "import to stdout", args: []string{"import", "--from=otm", otmFixture}, check: func(t *testing.T, out string) {
			if !json.Valid([]byte(out)) || !strings.Contains(out, `"Web shop"`) {
				t.Errorf("stdout is not the model: %.200s", out)
			}
		}},
		{name: "export", args: []string{"export", "--to", "otm", "--model", modelFixture, "--out", otmOut}, stderr: "threat notes are not exported",
			check: func(t *testing.T, _ string) {
				b, err := os.ReadFile(otmOut)
				if err != nil || !bytes.Contains(b, []byte(`"otmVersion": "0.2.0"`)) {
					t.Errorf("export file: %v %.200s", err, b)
				}
			}},
		{name: "export to stdout", args: []string{"export", "--to", "otm", "--model", modelFixture}, check: func(t *testing.T, out string) {
			if !strings.Contains(out, `"otmVersion"`) {
				t.Errorf("stdout: %.200s", out)
			}
		}},
		{name: "import without --from", args: []string{"import", otmFixture}, code: 2, stderr: "needs --from"},
		{name: "import unknown format", args: []string{"import", "--from", "visio", otmFixture}, code: 2, stderr: `unknown import format "visio"`},
		{name: "import without files", args: []string{"import", "--from", "otm"}, code: 2, stderr: "at least one FILE"},
		{name: "import missing file", args: []string{"import", "--from", "otm", filepath.Join(dir, "nope.yaml")}, code: 1, stderr: "no such file"},
		{name: "import malformed", args: []string{"import", "--from", "otm", "../interop/testdata/otm-malformed.json"}, code: 1, stderr: "malformed JSON at line 2"},
		{name: "export without --model", args: []string{"export", "--to", "otm"}, code: 2, stderr: "needs --model"},
		{name: "export to import-only format", args: []string{"export", "--to", "cloudformation", "--model", modelFixture}, code: 2, stderr: "unknown export format"},
		{name: "export of a non-model", args: []string{"export", "--to", "otm", "--model", otmFixture}, code: 1, stderr: "otm-shop.yaml"},
		{name: "export with arguments", args: []string{"export", "--to", "otm", "--model", modelFixture, "extra"}, code: 2, stderr: "takes no arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			err := Run(context.Background(), tt.args, &out, &errb)
			if tt.code == 0 && err != nil {
				t.Fatalf("err = %v; stderr %s", err, errb.String())
			}
			if tt.code != 0 && (err == nil || ExitCode(err) != tt.code) {
				t.Fatalf("err = %v (exit %d), want exit %d", err, ExitCode(err), tt.code)
			}
			msg := errb.String()
			if err != nil {
				msg += err.Error()
			}
			if !strings.Contains(msg, tt.stderr) {
				t.Errorf("stderr/error %q lacks %q", msg, tt.stderr)
			}
			if tt.check != nil {
				tt.check(t, out.String())
			}
		})
	}
}
