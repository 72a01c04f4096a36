package model_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/bulwark-tm/bulwark/pkg/model"
	"github.com/bulwark-tm/bulwark/pkg/model/schema"
)

func compileSchema(t *testing.T, ref string) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema.ThreatModel))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schema.ID, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(schema.ID + ref)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSchemaPropertiesMatchGoTypes checks that every object in the JSON
// Schema has exactly the JSON fields of its Go type, so neither can gain a
// field the other lacks.
func TestSchemaPropertiesMatchGoTypes(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(schema.ThreatModel, &doc); err != nil {
		t.Fatal(err)
	}
	defs := doc["$defs"].(map[string]any)
	pairs := map[string]any{
		"":            model.ThreatModel{},
		"Diagram":     model.Diagram{},
		"Component":   model.Component{},
		"Flow":        model.Flow{},
		"Group":       model.Group{},
		"Point":       model.Point{},
		"Size":        model.Size{},
		"AWSResource": model.AWSResource{},
		"NestedRef":   model.NestedRef{},
		"ItemState":   model.ItemState{},
		"IssueLink":   model.IssueLink{},
		"TemplateRef": model.TemplateRef{},
		"CustomItem":  model.CustomItem{},
		"Summary":     model.Summary{},
	}
	for def, v := range pairs {
		obj := doc
		if def != "" {
			obj = defs[def].(map[string]any)
		}
		var inSchema []string
		for name := range obj["properties"].(map[string]any) {
			inSchema = append(inSchema, name)
		}
		var inGo []string
		rt := reflect.TypeOf(v)
		for i := range rt.NumField() {
			name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
			inGo = append(inGo, name)
		}
		slices.Sort(inSchema)
		slices.Sort(inGo)
		if !slices.Equal(inSchema, inGo) {
			t.Errorf("%s: schema properties %v, Go JSON fields %v", rt.Name(), inSchema, inGo)
		}
	}
}

// TestSchemaAgreesWithValidate checks documents that Go accepts against the
// schema, and that the schema rejects what Validate rejects structurally.
func TestSchemaAgreesWithValidate(t *testing.T) {
	s := compileSchema(t, "")
	good := &model.ThreatModel{ID: "m1", Name: "Shop", Diagram: model.Diagram{
		Groups:     []model.Group{{ID: "host", Kind: model.KindContainer, Type: "aws.ec2", Name: "Host", Size: model.Size{Width: 10, Height: 10}}},
		Components: []model.Component{{ID: "a", Type: "aws.ecs", Name: "A", Parent: "host", Properties: model.Properties{"k": json.RawMessage(`{"x":[1]}`)}, Resource: &model.AWSResource{ARN: "arn:aws:ecs:eu-west-1:123456789012:service/x", AccountID: "123456789012"}}},
		Flows:      []model.Flow{{ID: "f", Source: "a", Target: "host", Protocol: "HTTPS", Port: 443}},
	}, States: map[string]model.ItemState{"r@a": {Status: "Open"}}}
	good.Normalize()
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	check := func(name string, m *model.ThreatModel, wantValid bool) {
		t.Helper()
		b, _ := json.Marshal(m)
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		err = s.Validate(inst)
		if (err == nil) != wantValid {
			t.Errorf("%s: schema validation error = %v, want valid=%v", name, err, wantValid)
		}
		if (m.Validate() == nil) != wantValid {
			t.Errorf("%s: Go validation disagrees: %v", name, m.Validate())
		}
	}
	check("good", good, true)
	for name, edit := range map[string]func(m *model.ThreatModel){
		"bad priority":           func(m *model.ThreatModel) { m.Priority = "Urgent" },
		"bad kind":               func(m *model.ThreatModel) { m.Diagram.Groups[0].Kind = "x" },
		"container without type": func(m *model.ThreatModel) { m.Diagram.Groups[0].Type = "" },
		"bad id":                 func(m *model.ThreatModel) { m.Diagram.Components[0].ID = " a" },
		"bad type id":            func(m *model.ThreatModel) { m.Diagram.Components[0].Type = "EC2" },
		"bad port":               func(m *model.ThreatModel) { m.Diagram.Flows[0].Port = 1 << 17 },
		"empty name":             func(m *model.ThreatModel) { m.Name = "" },
		"bad account":            func(m *model.ThreatModel) { m.Diagram.Components[0].Resource.AccountID = "1" },
	} {
		m := good.Clone()
		edit(m)
		check(name, m, false)
	}
}
