package gate

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/interop"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

func importCFN(t *testing.T, cat *catalog.Catalog, name string) (*model.ThreatModel, File) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	res, err := interop.Import("cloudformation", []interop.File{{Name: name, Data: data}}, cat)
	if err != nil {
		t.Fatal(err)
	}
	return res.Model, File{Name: "templates/" + name, Data: data}
}

// lineOf returns the 1-based line of data that equals text.
func lineOf(t *testing.T, data []byte, text string) int {
	t.Helper()
	for i, l := range strings.Split(string(data), "\n") {
		if l == text {
			return i + 1
		}
	}
	t.Fatalf("no line %q", text)
	return 0
}

// sarifSchema compiles the official SARIF 2.1.0 JSON Schema (testdata,
// see its README).
func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	const url = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validSARIF(t *testing.T, s *jsonschema.Schema, b []byte) map[string]any {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(v); err != nil {
		t.Fatalf("SARIF output is not valid SARIF 2.1.0: %v\n%s", err, b)
	}
	return v.(map[string]any)
}

// TestPublicDatabaseFailsTheGate: a CloudFormation change that adds a
// publicly accessible database fails a High gate with the new threat,
// located at the database's line, in SARIF that the official schema
// accepts.
func TestPublicDatabaseFailsTheGate(t *testing.T) {
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	base, _ := importCFN(t, cat, "base.yaml")
	changed, file := importCFN(t, cat, "changed.yaml")
	res, err := Check(cat, base, changed, "high", []File{file})
	if err != nil {
		t.Fatal(err)
	}
	if res.Pass || res.Failing == 0 || res.Threshold != "High" {
		t.Fatalf("the gate passed a public database: %+v", res)
	}
	dbLine := lineOf(t, file.Data, "  OrdersDatabase:")
	var public *Finding
	for i, f := range res.Findings {
		if f.Rule == "aws.rds.public-endpoint" {
			public = &res.Findings[i]
		}
		if f.Fails && f.Severity != "High" && f.Severity != "Critical" {
			t.Errorf("%s (%s) fails a High gate", f.ID, f.Severity)
		}
	}
	if public == nil || !public.Fails || public.Location == nil || public.Location.Line != dbLine || public.Location.File != file.Name {
		t.Fatalf("public endpoint finding: %+v (want at %s:%d)", public, file.Name, dbLine)
	}
	if res.Diff.Summary.ComponentsAdded != 2 || res.Diff.Summary.ComponentsRemoved != 0 {
		t.Errorf("summary: %+v", res.Diff.Summary)
	}

	out, err := res.SARIF("test")
	if err != nil {
		t.Fatal(err)
	}
	doc := validSARIF(t, sarifSchema(t), out)
	run := doc["runs"].([]any)[0].(map[string]any)
	found := false
	for _, r := range run["results"].([]any) {
		r := r.(map[string]any)
		if r["ruleId"] != "aws.rds.public-endpoint" {
			continue
		}
		found = true
		loc := r["locations"].([]any)[0].(map[string]any)["physicalLocation"].(map[string]any)
		if r["level"] != "error" || loc["artifactLocation"].(map[string]any)["uri"] != "templates/changed.yaml" ||
			fmt.Sprint(loc["region"].(map[string]any)["startLine"]) != strconv.Itoa(dbLine) {
			t.Errorf("SARIF result: %v", r)
		}
		if !strings.Contains(r["message"].(map[string]any)["text"].(string), "The database is reachable from the internet") {
			t.Errorf("SARIF message: %v", r["message"])
		}
	}
	if !found {
		t.Errorf("SARIF has no result for the public endpoint:\n%s", out)
	}

	var text bytes.Buffer
	if err := res.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "FAIL") || !strings.Contains(text.String(), "templates/changed.yaml:"+strconv.Itoa(dbLine)) {
		t.Errorf("text:\n%s", text.String())
	}
}

// TestGatePasses: no change, a Critical threshold on a change that only
// adds High threats, and a baseline decision on the new threat all pass.
func TestGatePasses(t *testing.T) {
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("no change", func(t *testing.T) {
		base, _ := importCFN(t, cat, "base.yaml")
		same, file := importCFN(t, cat, "base.yaml")
		res, err := Check(cat, base, same, "low", []File{file})
		if err != nil || !res.Pass || len(res.Findings) != 0 || res.Diff.Summary.ThreatsAdded != 0 {
			t.Fatalf("%+v %v", res, err)
		}
		out, err := res.SARIF("test")
		if err != nil {
			t.Fatal(err)
		}
		validSARIF(t, sarifSchema(t), out)
	})
	t.Run("decided in the baseline", func(t *testing.T) {
		base, _ := importCFN(t, cat, "base.yaml")
		changed, file := importCFN(t, cat, "changed.yaml")
		// Decide every threat the change adds, as a reviewer might have.
		probe, _ := importCFN(t, cat, "changed.yaml")
		first, err := Check(cat, base, probe, "low", nil)
		if err != nil {
			t.Fatal(err)
		}
		base.States = map[string]model.ItemState{}
		for _, f := range first.Findings {
			base.States[f.ID] = model.ItemState{Status: analysis.RiskAccepted}
		}
		res, err := Check(cat, base, changed, "low", []File{file})
		if err != nil || !res.Pass || len(res.Findings) != 0 || res.Diff.Summary.ThreatsAdded == 0 {
			t.Fatalf("accepted threats still fail: %+v %v", res, err)
		}
	})
	t.Run("renamed import ids", func(t *testing.T) {
		// A baseline drawn in the editor names elements its own way; the
		// resource ties them together.
		base, _ := importCFN(t, cat, "base.yaml")
		for i := range base.Diagram.Components {
			c := &base.Diagram.Components[i]
			if c.Resource == nil {
				continue
			}
			old := c.ID
			c.ID = "drawn-" + old
			for j := range base.Diagram.Flows {
				f := &base.Diagram.Flows[j]
				if f.Source == old {
					f.Source = c.ID
				}
				if f.Target == old {
					f.Target = c.ID
				}
			}
		}
		same, _ := importCFN(t, cat, "base.yaml")
		res, err := Check(cat, base, same, "low", nil)
		if err != nil || !res.Pass || res.Diff.Summary.ComponentsAdded != 0 || res.Diff.Summary.ThreatsAdded != 0 {
			t.Fatalf("renamed ids: %+v %v", res.Diff.Summary, err)
		}
	})
}

func TestThreshold(t *testing.T) {
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	base, _ := importCFN(t, cat, "base.yaml")
	changed, _ := importCFN(t, cat, "changed.yaml")
	if _, err := Check(cat, base, changed, "severe", nil); err == nil || !strings.Contains(err.Error(), "Critical, High, Medium, Low") {
		t.Errorf("unknown threshold: %v", err)
	}
	res, err := Check(cat, base, changed, "Critical", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		if f.Fails != (f.Severity == "Critical") {
			t.Errorf("Critical gate: %s (%s) fails=%v", f.ID, f.Severity, f.Fails)
		}
	}
	if res.Failing == 0 || res.Pass {
		t.Errorf("the public endpoint is Critical: %+v", res)
	}
}

func TestLine(t *testing.T) {
	for _, tc := range []struct {
		name, data, resource string
		want                 int
	}{
		{"yaml", "Resources:\n  Web:\n    Type: x\n  Db:\n    Type: y\n", "Db", 4},
		{"yaml comment", "Resources:\n  Db:  # the database\n", "Db", 2},
		{"yaml quoted", "Resources:\n  \"Db\":\n", "Db", 2},
		{"not a value", "Resources:\n  Web:\n    Ref: Db\n", "Db", 0},
		{"json", "{\n \"Resources\": {\n  \"Db\": {\n   \"Type\": \"x\"}}}", "Db", 3},
		{"json not a string value", "{\"A\": \"Db\"}", "Db", 0},
		{"terraform plan", "{\n\"resource_changes\": [\n{\"address\": \"aws_db_instance.db\"}]}", "aws_db_instance.db", 3},
		{"nested stack", "Resources:\n  Db:\n", "Child/Db", 2},
		{"regexp characters", "Resources:\n  A.B:\n", "A.B", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Line([]byte(tc.data), tc.resource); got != tc.want {
				t.Errorf("Line(%q) = %d, want %d", tc.resource, got, tc.want)
			}
		})
	}
}

func TestURI(t *testing.T) {
	for in, want := range map[string]string{"a/b c.yaml": "a/b%20c.yaml", "t.json": "t.json", "x#y": "x%23y"} {
		if got := uri(in); got != want {
			t.Errorf("uri(%q) = %q, want %q", in, got, want)
		}
	}
}
