package model

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// valid returns a small valid model that tests then break.
func valid() *ThreatModel {
	m := &ThreatModel{
		SchemaVersion: SchemaVersion, ID: "m1", Name: "Shop", ProjectType: "Web Application",
		Priority: PriorityHigh, Facing: FacingPublic, Labels: []string{"pci"},
		Diagram: Diagram{
			Groups: []Group{
				{ID: "vpc", Kind: KindBoundary, Name: "VPC", Size: Size{Width: 500, Height: 400}},
				{ID: "host", Kind: KindContainer, Type: "aws.ec2", Name: "Host", Parent: "vpc", Size: Size{Width: 200, Height: 100}},
			},
			Components: []Component{
				{ID: "alb", Type: "aws.alb", Name: "ALB", Parent: "vpc"},
				{ID: "app", Type: "aws.ecs", Name: "App", Parent: "host", Properties: Properties{"dataElements": json.RawMessage(`["card number"]`)}},
			},
			Flows: []Flow{
				{ID: "f1", Source: "alb", Target: "app", Protocol: "HTTPS", Port: 443},
				{ID: "f2", Source: "alb", Target: "host", Protocol: "HTTPS", Port: 8443},
			},
		},
	}
	return m
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(m *ThreatModel)
		field string // first problem's field; "" means valid
		msg   string // part of the message
	}{
		{"valid", func(m *ThreatModel) {}, "", ""},
		{"missing name", func(m *ThreatModel) { m.Name = "  " }, "/name", "required"},
		{"long name", func(m *ThreatModel) { m.Name = strings.Repeat("n", MaxNameLen+1) }, "/name", "longer than"},
		{"bad priority", func(m *ThreatModel) { m.Priority = "Urgent" }, "/priority", "must be one of"},
		{"bad facing", func(m *ThreatModel) { m.Facing = "outside" }, "/facing", "internal"},
		{"duplicate label", func(m *ThreatModel) { m.Labels = []string{"a", "a"} }, "/labels/1", "duplicate"},
		{"wrong schema version", func(m *ThreatModel) { m.SchemaVersion = 7 }, "/schemaVersion", "must be 1"},
		{"duplicate id across kinds", func(m *ThreatModel) { m.Diagram.Components[0].ID = "vpc" }, "/diagram/components/0/id", "duplicate id \"vpc\" (first used at /diagram/groups/0)"},
		{"missing id", func(m *ThreatModel) { m.Diagram.Flows[0].ID = "" }, "/diagram/flows/0/id", "required"},
		{"bad id", func(m *ThreatModel) { m.Diagram.Components[1].ID = "a b" }, "/diagram/components/1/id", "may contain only"},
		{"bad type", func(m *ThreatModel) { m.Diagram.Components[0].Type = "EC2" }, "/diagram/components/0/type", "not a catalog type"},
		{"missing type", func(m *ThreatModel) { m.Diagram.Components[0].Type = "" }, "/diagram/components/0/type", "required"},
		{"dangling parent", func(m *ThreatModel) { m.Diagram.Components[0].Parent = "nope" }, "/diagram/components/0/parent", "not a group"},
		{"parent is a component", func(m *ThreatModel) { m.Diagram.Components[0].Parent = "app" }, "/diagram/components/0/parent", "not a group"},
		{"dangling flow target", func(m *ThreatModel) { m.Diagram.Flows[0].Target = "ghost" }, "/diagram/flows/0/target", "not a component or group"},
		{"flow to plain group", func(m *ThreatModel) { m.Diagram.Flows[1].Target = "vpc" }, "/diagram/flows/1/target", "components or containers"},
		{"missing protocol", func(m *ThreatModel) { m.Diagram.Flows[0].Protocol = "" }, "/diagram/flows/0/protocol", "required"},
		{"bad port", func(m *ThreatModel) { m.Diagram.Flows[0].Port = 70000 }, "/diagram/flows/0/port", "65535"},
		{"parent cycle", func(m *ThreatModel) { m.Diagram.Groups[0].Parent = "host" }, "/diagram/groups/0/parent", "cycle"},
		{"self parent", func(m *ThreatModel) { m.Diagram.Groups[1].Parent = "host" }, "/diagram/groups/1/parent", "cycle"},
		{"unknown group kind", func(m *ThreatModel) { m.Diagram.Groups[0].Kind = "cloud" }, "/diagram/groups/0/kind", "unknown group kind"},
		{"container without type", func(m *ThreatModel) { m.Diagram.Groups[1].Type = "" }, "/diagram/groups/1/type", "needs the component type"},
		{"group with type", func(m *ThreatModel) { m.Diagram.Groups[0].Type = "aws.vpc" }, "/diagram/groups/0/type", "only a container"},
		{"negative size", func(m *ThreatModel) { m.Diagram.Groups[0].Size.Width = -1 }, "/diagram/groups/0/size", "not negative"},
		{"nested model without id", func(m *ThreatModel) { m.Diagram.Components[0].NestedModel = &NestedRef{} }, "/diagram/components/0/nestedModel/modelId", "required"},
		{"resource without ids", func(m *ThreatModel) { m.Diagram.Components[0].Resource = &AWSResource{Region: "eu-west-1"} }, "/diagram/components/0/resource", "arn or a resourceId"},
		{"bad account id", func(m *ThreatModel) {
			m.Diagram.Components[0].Resource = &AWSResource{ResourceID: "i-1", AccountID: "12"}
		}, "/diagram/components/0/resource/accountId", "12 digits"},
		{"too many components", func(m *ThreatModel) {
			m.Diagram.Components = make([]Component, MaxComponents+1)
		}, "/diagram/components", "at most"},
		{"custom item on an unknown element", func(m *ThreatModel) {
			m.Custom = []CustomItem{{Kind: CustomThreat, ID: "t1", Title: "Spoofed callback", Elements: []string{"ghost"}}}
		}, "/custom/0/elements/0", "not an element"},
		{"custom item of unknown kind", func(m *ThreatModel) {
			m.Custom = []CustomItem{{Kind: "risk", ID: "t1", Title: "x"}}
		}, "/custom/0/kind", "must be"},
		{"custom threat linked to a threat", func(m *ThreatModel) {
			m.Custom = []CustomItem{{Kind: CustomThreat, ID: "t1", Title: "a", Links: []string{"t2"}}, {Kind: CustomThreat, ID: "t2", Title: "b"}}
		}, "/custom/0/links/0", "links join threats and mitigations"},
		{"duplicate custom id", func(m *ThreatModel) {
			m.Custom = []CustomItem{{Kind: CustomThreat, ID: "t1", Title: "a"}, {Kind: CustomMitigation, ID: "t1", Title: "b"}}
		}, "/custom/1/id", "duplicate"},
		{"valid custom items", func(m *ThreatModel) {
			m.Custom = []CustomItem{{Kind: CustomThreat, ID: "t1", Title: "a", Elements: []string{"alb", "f1"}, Links: []string{"m1"}}, {Kind: CustomMitigation, ID: "m1", Title: "b", Links: []string{"t1"}}}
		}, "", ""},
		{"issue link to its issue", func(m *ThreatModel) {
			m.States = map[string]ItemState{"r@alb": {Issue: &IssueLink{Instance: "j1", Key: "SEC-12", URL: "https://acme.atlassian.net/browse/SEC-12"}}}
		}, "", ""},
		{"javascript issue link", func(m *ThreatModel) {
			m.States = map[string]ItemState{"r@alb": {Issue: &IssueLink{Instance: "j1", Key: "SEC-12", URL: "javascript:alert(1)//browse/SEC-12"}}}
		}, "/states/r@alb/issue/url", "http(s) address of issue SEC-12"},
		{"issue link to another page", func(m *ThreatModel) {
			m.States = map[string]ItemState{"r@alb": {Issue: &IssueLink{Instance: "j1", Key: "SEC-12", URL: "https://phish.example/login"}}}
		}, "/states/r@alb/issue/url", "browse/SEC-12"},
		{"issue link with credentials", func(m *ThreatModel) {
			m.States = map[string]ItemState{"r@alb": {Issue: &IssueLink{Instance: "j1", Key: "SEC-12", URL: "https://u:p@acme.atlassian.net/browse/SEC-12"}}}
		}, "/states/r@alb/issue/url", "http(s)"},
		{"issue link without a key", func(m *ThreatModel) {
			m.States = map[string]ItemState{"r@alb": {Issue: &IssueLink{Instance: "j1", Key: "<b>"}}}
		}, "/states/r@alb/issue/key", "issue key"},
		{"huge property", func(m *ThreatModel) {
			m.Diagram.Components[0].Properties = Properties{"blob": json.RawMessage(`"` + strings.Repeat("x", MaxPropertyBytes) + `"`)}
		}, "/diagram/components/0/properties/blob", "larger than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := valid()
			tt.edit(m)
			err := m.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			e, ok := errs.As(err)
			if !ok || e.Kind != errs.Invalid {
				t.Fatalf("err = %v, want an Invalid error", err)
			}
			if e.Field != tt.field {
				t.Errorf("field = %q, want %q (%v)", e.Field, tt.field, err)
			}
			if !strings.Contains(e.Message, tt.msg) {
				t.Errorf("message %q lacks %q", e.Message, tt.msg)
			}
			if len(e.Problems) == 0 || e.Problems[0].Field != e.Field {
				t.Errorf("problems list %v does not start with the field", e.Problems)
			}
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	m := valid()
	m.Name = ""
	m.Diagram.Flows[0].Target = "x"
	m.Diagram.Flows[1].Source = "y"
	e, _ := errs.As(m.Validate())
	if e == nil || len(e.Problems) != 3 {
		t.Fatalf("want 3 problems, got %v", e)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name, in, field, msg string
	}{
		{"empty", ``, "", "empty"},
		{"truncated", `{"name": "x"`, "", "ends too early"},
		{"syntax", "{\n  \"name\": x}", "", "line 2"},
		{"wrong type", `{"name": 3}`, "/name", "must be a string"},
		{"nested wrong type", `{"diagram": {"flows": [{"port": "443"}]}}`, "/diagram/flows/port", "must be a number"},
		{"unknown field", `{"nmae": "x"}`, "/nmae", "unknown field"},
		{"trailing data", `{"name": "x"} {}`, "", "after the JSON"},
		{"newer version", `{"schemaVersion": 2}`, "/schemaVersion", "newer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// DecodeStored trusts its input's syntax, yet must refuse bad
			// input exactly as Decode does.
			for name, decode := range map[string]func([]byte) (*ThreatModel, error){"Decode": Decode, "DecodeStored": DecodeStored} {
				_, err := decode([]byte(tt.in))
				e, ok := errs.As(err)
				if !ok {
					t.Fatalf("%s: err = %v, want a kinded error", name, err)
				}
				if e.Field != tt.field || !strings.Contains(e.Error(), tt.msg) {
					t.Errorf("%s: got field %q message %q; want field %q containing %q", name, e.Field, e.Error(), tt.field, tt.msg)
				}
			}
		})
	}
}

func TestMigrateV0(t *testing.T) {
	in, err := os.ReadFile("testdata/migrate/v0.json")
	if err != nil {
		t.Fatal(err)
	}
	m, err := Decode(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Validate(); err != nil {
		t.Fatalf("migrated document is invalid: %v", err)
	}
	if stored, err := DecodeStored(in); err != nil || !cmp.Equal(stored, m) {
		t.Errorf("DecodeStored of a v0 document: %v, differs: %s", err, cmp.Diff(m, stored))
	}
	wantJSON, err := os.ReadFile("testdata/migrate/v0.want.json")
	if err != nil {
		t.Fatal(err)
	}
	var want ThreatModel
	if err := DecodeStrict(wantJSON, &want); err != nil {
		t.Fatal(err)
	}
	want.Normalize()
	if d := cmp.Diff(&want, m); d != "" {
		t.Errorf("migrated v0 differs (-want +got):\n%s", d)
	}
}

func TestRoundTrip(t *testing.T) {
	m := valid()
	m.Normalize()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(m, got); d != "" {
		t.Errorf("round trip differs:\n%s", d)
	}
	if stored, err := DecodeStored(b); err != nil || !cmp.Equal(m, stored) {
		t.Errorf("DecodeStored round trip: %v, differs: %s", err, cmp.Diff(m, stored))
	}
	if c := m.Clone(); !cmp.Equal(c, m) || &c.Diagram.Components[0] == &m.Diagram.Components[0] {
		t.Error("Clone is not a deep equal copy")
	}
}

func TestSummarize(t *testing.T) {
	s := valid().Summarize()
	if s.ComponentCount != 2 || s.FlowCount != 2 || s.Name != "Shop" {
		t.Errorf("summary %+v", s)
	}
}

// seedFiles returns the fuzz seed corpus: the JSON fixtures in testdata/
// and a few hand-made edge cases.
func seedFiles(t testing.TB) [][]byte {
	var seeds [][]byte
	files, _ := filepath.Glob("testdata/*.json")
	more, _ := filepath.Glob("testdata/migrate/*.json")
	for _, f := range append(files, more...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	b, _ := json.Marshal(valid())
	seeds = append(seeds, b, []byte(`{}`), []byte(`{"diagram":{"groups":[{"id":"a","parent":"a","kind":"group"}]}}`), bytes.Repeat([]byte("["), 100))
	return seeds
}
