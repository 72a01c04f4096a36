package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/jsonfast"
)

// syntaxCases are inputs on both sides of JSON's grammar, for the syntax
// check CheckRaw's pass makes in place of jsonfast.Valid.
var syntaxCases = []struct{ name, in string }{
	{"empty", ``},
	{"space only", " \n\t"},
	{"object", `{"a":1,"b":[true,false,null],"c":{"d":"e"}}`},
	{"spaced", " { \"a\" : [ 1 , 2 ] } \r\n"},
	{"trailing value", `{} {}`},
	{"trailing comma in object", `{"a":1,}`},
	{"trailing comma in array", `[1,]`},
	{"missing colon", `{"a" 1}`},
	{"bare key", `{a:1}`},
	{"numbers", `[0,-0,1.5,-12.25e+3,1E-2,10]`},
	{"leading zero", `01`},
	{"lone minus", `-`},
	{"dot without digits", `1.`},
	{"exponent without digits", `1e+`},
	{"bad literal", `tru`},
	{"literal with tail", `nullx`},
	{"escapes", `"\" \\ \/ \b \f \n \r \t \u00e9 \ud83d\ude00"`},
	{"bad escape", `"\x"`},
	{"short unicode escape", `"\u12"`},
	{"bad hex", `"\u12g4"`},
	{"raw control character", "\"a\x01b\""},
	{"raw DEL", "\"a\x7fb\""},
	{"invalid UTF-8 in a string", "\"\xff\""},
	{"invalid UTF-8 outside strings", "[1]\xff"},
	{"UTF-8 surrogate", "\"\xed\xa0\x80\""},
	{"unterminated string", `"abc`},
	{"unterminated array", `[1,2`},
	{"depth 10000", strings.Repeat("[", 10000) + strings.Repeat("]", 10000)},
	{"depth 10001", strings.Repeat("[", 10001) + strings.Repeat("]", 10001)},
}

func TestCheckRawSyntaxMatchesValid(t *testing.T) {
	for _, tc := range syntaxCases {
		t.Run(tc.name, func(t *testing.T) {
			_, valid, _ := checkRaw([]byte(tc.in), nil)
			if want := jsonfast.Valid([]byte(tc.in)); valid != want {
				t.Errorf("checkRaw says valid %v, jsonfast.Valid %v", valid, want)
			}
		})
	}
}

// FuzzCheckRawSyntax holds the syntax check of CheckRaw's pass to
// jsonfast.Valid: DecodeStrict skips the latter when the former passes.
func FuzzCheckRawSyntax(f *testing.F) {
	for _, s := range seedFiles(f) {
		f.Add(s)
	}
	for _, tc := range syntaxCases {
		f.Add([]byte(tc.in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, typ := range []reflect.Type{nil, reflect.TypeFor[ThreatModel]()} {
			if _, valid, _ := checkRaw(data, typ); valid != jsonfast.Valid(data) {
				t.Fatalf("checkRaw says valid %v, jsonfast.Valid %v, for %q", valid, !valid, data)
			}
		}
	})
}

func TestCheckRawKnownFields(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		known    bool
	}{
		{"fields as spelled", `{"components":[{"id":"a","type":"aws.ec2","name":"A","position":{"x":1,"y":2},"properties":{"Any Key":1}}],"flows":[],"groups":[]}`, true},
		{"unknown field", `{"components":[],"flows":[],"groups":[],"extra":1}`, false},
		{"unknown nested field", `{"components":[{"id":"a","colour":"red"}]}`, false},
		{"field in another case", `{"Components":[]}`, false},
		{"escaped field name", `{"compon\u0065nts":[]}`, false},
		{"not an object", `[]`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, known := checkRaw([]byte(tc.in), reflect.TypeFor[Diagram]()); known != tc.known {
				t.Errorf("known = %v, want %v", known, tc.known)
			}
		})
	}
}

// FuzzDecodeKnownFields holds DecodeStrict's quicker decoding of documents
// without unknown fields (jsonfast.UnmarshalStrictKnown) to the streaming
// decoder that looks for them (jsonfast.UnmarshalStrictValid): the same
// answers, the same values.
func FuzzDecodeKnownFields(f *testing.F) {
	for _, s := range seedFiles(f) {
		f.Add(s)
	}
	for _, tc := range syntaxCases {
		f.Add([]byte(tc.in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		check := func(typ reflect.Type) {
			if _, valid, known := checkRaw(data, typ); !valid || !known {
				return
			}
			a, b := reflect.New(typ), reflect.New(typ)
			aerr := jsonfast.UnmarshalStrictKnown(data, a.Interface())
			berr := jsonfast.UnmarshalStrictValid(data, b.Interface())
			if (aerr == nil) != (berr == nil) || aerr == nil && !reflect.DeepEqual(a.Interface(), b.Interface()) {
				t.Fatalf("%v %q: UnmarshalStrictKnown %v (%v), UnmarshalStrictValid %v (%v)", typ, data, a, aerr, b, berr)
			}
		}
		check(reflect.TypeFor[ThreatModel]())
		check(reflect.TypeFor[Diagram]())
	})
}

// FuzzCanonicalDiagram holds CanonicalDiagram to the encoder: a diagram
// body it keeps is what jsonfast.Marshal writes for the decoded diagram,
// so that storing the body stores what encoding the diagram would.
func FuzzCanonicalDiagram(f *testing.F) {
	v := valid()
	d, _ := jsonfast.Marshal(&v.Diagram)
	f.Add(d)
	f.Add(append([]byte(" "), append(d, '\n')...))
	for _, s := range seedFiles(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := DecodeDiagram(data)
		if err != nil {
			return
		}
		kept := CanonicalDiagram(data)
		if kept == nil {
			return
		}
		want, err := jsonfast.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		if string(kept) != string(want) {
			t.Fatalf("CanonicalDiagram keeps\n%s\nMarshal writes\n%s", kept, want)
		}
	})
}

func TestCanonicalDiagram(t *testing.T) {
	v := valid()
	d, err := jsonfast.Marshal(&v.Diagram)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		in   string
		want string // "" for nil
	}{
		{"as encoded", string(d), string(d)},
		{"with white space around", " " + string(d) + "\r\n", string(d)},
		{"indented", strings.Replace(string(d), ":", ": ", 1), ""},
		{"null lists", `{"components":null,"flows":[],"groups":[]}`, ""},
		{"empty", `{"components":[],"flows":[],"groups":[]}`, `{"components":[],"flows":[],"groups":[]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := DecodeDiagram([]byte(tc.in)); err != nil {
				t.Fatal(err)
			}
			if got := CanonicalDiagram([]byte(tc.in)); string(got) != tc.want || (got == nil) != (tc.want == "") {
				t.Errorf("CanonicalDiagram = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestDecodeStrictLargeMatchesSequential holds the decoding of large
// documents, which starts the fast decoder beside the check, to the
// sequential one: the same values and errors, valid input or not.
func TestDecodeStrictLargeMatchesSequential(t *testing.T) {
	var d Diagram
	for i := range 600 {
		d.Components = append(d.Components, Component{ID: fmt.Sprintf("c%d", i), Type: "aws.ec2", Name: fmt.Sprintf("Component %d", i),
			Position: Point{X: float64(i), Y: 2.5}, Properties: Properties{"k": json.RawMessage(`{"a":[1,2]}`)}})
	}
	d.Flows, d.Groups = []Flow{}, []Group{}
	good, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if len(good) < speculateFrom {
		t.Fatalf("the document has %d bytes, too few to start the fast decoder", len(good))
	}
	last := bytes.LastIndex(good, []byte(`"name":`))
	variant := func(insert string) []byte {
		return append(append(append([]byte{}, good[:last]...), insert...), good[last:]...)
	}
	for name, data := range map[string][]byte{
		"valid":           good,
		"unknown field":   variant(`"colour":"red",`),
		"field in a case": variant(`"Type":"aws.ec2",`),
		"wrong type":      variant(`"parent":7,`),
		"duplicate key":   variant(`"name":"x",`),
		"invalid UTF-8":   variant("\"parent\":\"\xff\","),
		"control text":    variant(`"parent":"\u0007",`),
		"syntax":          variant(`"parent":,`),
		"trailing data":   append(append([]byte{}, good...), `{}`...),
		"truncated":       good[:len(good)-1],
	} {
		t.Run(name, func(t *testing.T) {
			var fast, seq Diagram
			ferr := DecodeStrict(data, &fast)
			defer func(n int) { speculateFrom = n }(speculateFrom)
			speculateFrom = math.MaxInt
			serr := DecodeStrict(data, &seq)
			if fmt.Sprint(ferr) != fmt.Sprint(serr) || !reflect.DeepEqual(fast, seq) {
				t.Errorf("with the fast decoder beside: %v; sequential: %v (values equal: %v)", ferr, serr, reflect.DeepEqual(fast, seq))
			}
			if name == "valid" && ferr != nil {
				t.Errorf("valid document refused: %v", ferr)
			}
			// DecodeDiagramCanonical checks the spelling beside, on any
			// input, and answers only for what decodes.
			speculateFrom = 64 << 10
			_, kept, err := DecodeDiagramCanonical(data)
			if fmt.Sprint(err) != fmt.Sprint(ferr) || (err != nil || name != "valid") != (kept == nil) {
				t.Errorf("DecodeDiagramCanonical: %v, kept %d bytes; want %v and bytes kept for the valid document only", err, len(kept), ferr)
			}
		})
	}
}
