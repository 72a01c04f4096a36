package catalog

import (
	"encoding/json"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/model"
)

func TestParseCondition(t *testing.T) {
	tests := []struct {
		in      string
		want    Condition
		wantErr bool
	}{
		{in: "encrypted == false", want: Condition{"encrypted", "==", false}},
		{in: "multiAZ != true", want: Condition{"multiAZ", "!=", true}},
		{in: "port == 443", want: Condition{"port", "==", 443.0}},
		{in: "engine == postgres", want: Condition{"engine", "==", "postgres"}},
		{in: `mfa == "ON"`, want: Condition{"mfa", "==", "ON"}},
		{in: "dataElements contains PII", want: Condition{"dataElements", "contains", "PII"}},
		{in: "encrypted = false", wantErr: true},
		{in: "== false", wantErr: true},
		{in: `name == "unterminated`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseCondition(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if !tt.wantErr && got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestConditionMatch(t *testing.T) {
	ty := &ComponentType{ID: "aws.x", Properties: []Property{
		{Name: "encrypted", Type: "boolean", Default: false},
		{Name: "public", Type: "boolean"},
		{Name: "engine", Type: "enum", Enum: []string{"postgres", "mysql"}, Default: "postgres"},
		{Name: "size", Type: "number", Default: 10},
		{Name: "dataElements", Type: "list", Default: []any{}},
	}}
	props := func(kv ...string) model.Properties {
		p := model.Properties{}
		for i := 0; i < len(kv); i += 2 {
			p[kv[i]] = json.RawMessage(kv[i+1])
		}
		return p
	}
	tests := []struct {
		name  string
		cond  string
		props model.Properties
		want  bool
	}{
		{"default false matches == false", "encrypted == false", nil, true},
		{"set true does not match == false", "encrypted == false", props("encrypted", "true"), false},
		{"set false matches", "encrypted == false", props("encrypted", " false "), true},
		{"no value and no default: == fails", "public == true", nil, false},
		{"no value and no default: != holds", "public != true", nil, true},
		{"null is no value", "public != false", props("public", "null"), true},
		{"enum default", "engine == postgres", nil, true},
		{"enum case-insensitive", "engine == MySQL", props("engine", `"mysql"`), true},
		{"string with escapes", "engine == my\"sql", props("engine", `"my\"sql"`), true},
		{"number default", "size == 10", nil, true},
		{"number set", "size != 10", props("size", "12"), true},
		{"list contains", "dataElements contains PII", props("dataElements", `["PCI","pii"]`), true},
		{"list lacks", "dataElements contains PII", props("dataElements", `["PCI"]`), false},
		{"contains on non-list", "engine contains postgres", nil, false},
		{"type mismatch is no match", "encrypted == false", props("encrypted", `"false"`), false},
		{"invalid JSON falls back to default", "encrypted == false", props("encrypted", `{bad`), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseCondition(tt.cond)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Match(tt.props, ty); got != tt.want {
				t.Errorf("%s on %v = %v, want %v", tt.cond, tt.props, got, tt.want)
			}
		})
	}
}

func TestRiskSeverity(t *testing.T) {
	tests := []struct {
		l, i int
		want string
	}{{5, 5, "Critical"}, {4, 5, "Critical"}, {4, 4, "High"}, {3, 4, "High"}, {3, 3, "Medium"}, {2, 3, "Medium"}, {2, 2, "Low"}, {1, 5, "Low"}}
	for _, tt := range tests {
		if got := RiskSeverity(tt.l, tt.i); got != tt.want {
			t.Errorf("RiskSeverity(%d, %d) = %s, want %s", tt.l, tt.i, got, tt.want)
		}
	}
}
