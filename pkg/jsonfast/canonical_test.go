package jsonfast

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// canonDoc has the shapes Canonical knows: a diagram's.
type canonDoc struct {
	ID    string                     `json:"id"`
	Kind  string                     `json:"kind,omitempty"`
	N     int                        `json:"n,omitempty"`
	X     float64                    `json:"x"`
	Y     float64                    `json:"y,omitempty"`
	On    bool                       `json:"on,omitempty"`
	Tags  []string                   `json:"tags"`
	More  []canonDoc                 `json:"more,omitempty"`
	Props map[string]json.RawMessage `json:"props,omitempty"`
	Size  *canonSize                 `json:"size,omitempty"`
	At    canonSize                  `json:"at"`
	Free  map[string]string          `json:"free,omitempty"`
}

type canonSize struct {
	W float64 `json:"w"`
	H float64 `json:"h"`
}

func TestCanonical(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     bool
	}{
		{"minimal", `{"id":"a","x":0,"tags":[],"at":{"w":0,"h":0}}`, true},
		{"full", `{"id":"a","kind":"k","n":-3,"x":1.5,"y":-2,"on":true,"tags":["t","ü"],"more":[{"id":"b","x":0,"tags":[],"at":{"w":0,"h":0}}],"props":{"a":1,"b":{"c":[true,null,"x"]}},"size":{"w":1,"h":2},"at":{"w":0.25,"h":100},"free":{"k":"v"}}`, true},
		{"white space", `{"id":"a", "x":0,"tags":[],"at":{"w":0,"h":0}}`, false},
		{"trailing newline", "{\"id\":\"a\",\"x\":0,\"tags\":[],\"at\":{\"w\":0,\"h\":0}}\n", false},
		{"fields out of order", `{"x":0,"id":"a","tags":[],"at":{"w":0,"h":0}}`, false},
		{"field missing", `{"id":"a","tags":[],"at":{"w":0,"h":0}}`, false},
		{"omitempty empty string", `{"id":"a","kind":"","x":0,"tags":[],"at":{"w":0,"h":0}}`, false},
		{"omitempty zero", `{"id":"a","n":0,"x":0,"tags":[],"at":{"w":0,"h":0}}`, false},
		{"omitempty negative zero", `{"id":"a","x":0,"y":-0,"tags":[],"at":{"w":0,"h":0}}`, false},
		{"omitempty false", `{"id":"a","x":0,"on":false,"tags":[],"at":{"w":0,"h":0}}`, false},
		{"omitempty empty list", `{"id":"a","x":0,"tags":[],"more":[],"at":{"w":0,"h":0}}`, false},
		{"omitempty empty map", `{"id":"a","x":0,"tags":[],"props":{},"at":{"w":0,"h":0}}`, false},
		{"null list", `{"id":"a","x":0,"tags":null,"at":{"w":0,"h":0}}`, false},
		{"null pointer", `{"id":"a","x":0,"tags":[],"size":null,"at":{"w":0,"h":0}}`, false},
		{"float spelled long", `{"id":"a","x":1.50,"tags":[],"at":{"w":0,"h":0}}`, false},
		{"float as exponent", `{"id":"a","x":1e2,"tags":[],"at":{"w":0,"h":0}}`, false},
		{"tiny float", `{"id":"a","x":0.0000001,"tags":[],"at":{"w":0,"h":0}}`, false},
		{"escape", `{"id":"\u0061","x":0,"tags":[],"at":{"w":0,"h":0}}`, false},
		{"HTML character", `{"id":"a<b","x":0,"tags":[],"at":{"w":0,"h":0}}`, false},
		{"line separator", "{\"id\":\"a\u2028\",\"x\":0,\"tags\":[],\"at\":{\"w\":0,\"h\":0}}", false},
		{"map keys out of order", `{"id":"a","x":0,"tags":[],"at":{"w":0,"h":0},"free":{"b":"","a":""}}`, false},
		{"raw with space", `{"id":"a","x":0,"tags":[],"props":{"a":[1, 2]},"at":{"w":0,"h":0}}`, false},
		{"unknown field", `{"id":"a","x":0,"tags":[],"at":{"w":0,"h":0},"zz":1}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Canonical([]byte(tc.in), reflect.TypeFor[canonDoc]())
			if got != tc.want {
				t.Fatalf("Canonical = %v, want %v", got, tc.want)
			}
			if got {
				assertCanonical(t, []byte(tc.in))
			}
		})
	}
}

// assertCanonical fails unless data decodes into a canonDoc that Marshal
// encodes as data.
func assertCanonical(t *testing.T, data []byte) {
	t.Helper()
	var v canonDoc
	if err := UnmarshalStrict(data, &v); err != nil {
		t.Fatalf("%q: %v", data, err)
	}
	b, err := Marshal(&v)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != string(data) {
		t.Fatalf("Canonical(%q), but Marshal writes\n%s", data, b)
	}
}

// FuzzCanonical holds Canonical to Marshal: data it accepts (and that
// decodes) is what Marshal writes for the decoded value.
func FuzzCanonical(f *testing.F) {
	for _, s := range []string{`{"id":"a","x":0,"tags":[],"at":{"w":0,"h":0}}`,
		`{"id":"a","kind":"k","n":-3,"x":1.5,"y":-2,"on":true,"tags":["t","ü"],"more":[{"id":"b","x":0,"tags":[],"at":{"w":0,"h":0}}],"props":{"a":1,"b":{"c":[true,null,"x"]}},"size":{"w":1,"h":2},"at":{"w":0.25,"h":100},"free":{"k":"v"}}`,
		`{"id":"a","x":123456789.125,"tags":["\u00e9"],"props":{"a":-0.0e+1},"at":{"w":1e-6,"h":999999999999999999999}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v canonDoc
		if UnmarshalStrict(data, &v) != nil || !Canonical(data, reflect.TypeFor[canonDoc]()) {
			return
		}
		assertCanonical(t, data)
	})
}

func TestCanonicalBoundsNesting(t *testing.T) {
	deep := `{"id":"a","x":0,"tags":[],"props":{"a":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `},"at":{"w":0,"h":0}}`
	if Canonical([]byte(deep), reflect.TypeFor[canonDoc]()) {
		t.Error("Canonical follows raw values nested 20,000 deep")
	}
}
