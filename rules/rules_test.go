package rules_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io/fs"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/bulwark-tm/bulwark/rules"
)

// TestFilesMatchSchema validates every embedded rules file against the JSON
// Schema on its own (package catalog adds the cross-file checks).
func TestFilesMatchSchema(t *testing.T) {
	raw, err := fs.ReadFile(rules.FS, "schema/rules.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("rules.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("rules.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	err = fs.WalkDir(rules.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".yaml" {
			return err
		}
		n++
		t.Run(p, func(t *testing.T) {
			b, err := fs.ReadFile(rules.FS, p)
			if err != nil {
				t.Fatal(err)
			}
			var v any
			if err := yaml.Unmarshal(b, &v); err != nil {
				t.Fatal(err)
			}
			js, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
			if err != nil {
				t.Fatal(err)
			}
			if err := schema.Validate(inst); err != nil {
				t.Errorf("%s: %v", p, err)
			}
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 40 {
		t.Errorf("only %d rules files embedded; the go:embed patterns may be wrong", n)
	}
}

// TestSchemaRejectsBadFile makes sure the schema is strict enough to catch
// a typo'd field and a bad enum value.
func TestSchemaRejectsBadFile(t *testing.T) {
	raw, _ := fs.ReadFile(rules.FS, "schema/rules.schema.json")
	doc, _ := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	c := jsonschema.NewCompiler()
	_ = c.AddResource("s.json", doc)
	schema := c.MustCompile("s.json")
	for _, bad := range []string{
		`{"threat": []}`,
		`{"threats": [{"id": "a.b", "title": "t", "stride": "Spoof", "description": "d", "likelihood": 1, "impact": 1, "appliesTo": {"types": ["aws.x"]}}]}`,
		`{"threats": [{"id": "a.b@c", "title": "t", "stride": "Spoofing", "description": "d", "likelihood": 1, "impact": 1, "appliesTo": {"types": ["aws.x"]}}]}`,
		`{"requirements": [{"id": "a.b", "title": "Do it", "epic": "IAM", "severity": "High", "description": "d", "mitigates": ["x.y"]}]}`,
		`{"assist": [{"id": "a.b", "for": ["aws.x"], "task": "t", "needs": {"inside": ["aws.y"], "present": ["aws.z"]}}]}`,
	} {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(bad))
		if err != nil {
			t.Fatal(err)
		}
		if schema.Validate(inst) == nil {
			t.Errorf("schema accepted %s", bad)
		}
	}
}

// TestIconList checks that icons.txt is sorted, unique and non-trivial.
func TestIconList(t *testing.T) {
	b, err := fs.ReadFile(rules.FS, "icons.txt")
	if err != nil {
		t.Fatal(err)
	}
	var icons []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if l := sc.Text(); l != "" && !strings.HasPrefix(l, "#") {
			icons = append(icons, l)
		}
	}
	if len(icons) < 500 {
		t.Errorf("icons.txt has %d icons, want the full aws-icons list", len(icons))
	}
	if !slices.IsSorted(icons) {
		t.Error("icons.txt is not sorted")
	}
	if len(slices.Compact(slices.Clone(icons))) != len(icons) {
		t.Error("icons.txt has duplicates")
	}
	for _, want := range []string{"architecture-service/AmazonEC2", "architecture-group/VirtualprivatecloudVPC"} {
		if !slices.Contains(icons, want) {
			t.Errorf("icons.txt lacks %s", want)
		}
	}
}
