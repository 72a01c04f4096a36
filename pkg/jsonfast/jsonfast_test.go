package jsonfast

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// doc has the shapes Bulwark's documents use: nested structs, pointers,
// maps of raw JSON, slices, numbers, times and omitempty.
type doc struct {
	ID       string                     `json:"id"`
	Count    int64                      `json:"count,omitempty"`
	X        float64                    `json:"x"`
	On       bool                       `json:"on,omitempty"`
	Tags     []string                   `json:"tags,omitempty"`
	Props    map[string]json.RawMessage `json:"props,omitempty"`
	Child    *doc                       `json:"child,omitempty"`
	Items    []item                     `json:"items,omitempty"`
	At       time.Time                  `json:"at"`
	Free     map[string]string          `json:"free,omitempty"`
	internal string
}

type item struct {
	Name string `json:"name"`
	N    int    `json:"n"`
}

func TestMarshalMatchesEncodingJSON(t *testing.T) {
	for name, v := range map[string]any{
		"empty":   doc{},
		"full":    doc{ID: "a<b>&c", Count: 7, X: 1e21, On: true, Tags: []string{"x", "ü", "\u2028"}, Props: map[string]json.RawMessage{"b": json.RawMessage(`{"z":1}`), "a": json.RawMessage(`"s"`)}, Child: &doc{ID: "c"}, Items: []item{{"i", 1}}, At: time.Date(2026, 11, 26, 1, 2, 3, 400, time.UTC), Free: map[string]string{"k": "v"}},
		"floats":  []float64{0, -0.5, 1e-7, 123456789.125, 1e20, 3.0},
		"strings": []string{"", "\x00\x1f", "tab\t", `quote"`, "invalid \xff utf8"},
	} {
		want, werr := json.Marshal(v)
		got, gerr := Marshal(v)
		if name == "floats" {
			want = []byte(strings.Replace(string(want), "1e-7", "1e-07", 1)) // the one difference
		}
		if (werr == nil) != (gerr == nil) || string(got) != string(want) {
			t.Errorf("%s: Marshal\n%s (%v)\nwant\n%s (%v)", name, got, gerr, want, werr)
		}
	}
}

func TestUnmarshalStrict(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		trailing bool // the error is ErrTrailingData
		errType  any  // else the error has this type (nil: no error)
	}{
		{name: "ok", in: `{"id":"a","x":1.5,"props":{"k":[1,2]},"child":{"id":"b"},"items":[{"name":"i","n":2}],"at":"2026-11-26T00:00:00Z"}`},
		{name: "space after", in: "{\"id\":\"a\"}\n\t "},
		{name: "unknown field", in: `{"id":"a","nope":1}`, errType: errors.New("")},
		{name: "wrong type", in: `{"id":1}`, errType: &json.UnmarshalTypeError{}},
		{name: "nested wrong type", in: `{"items":[{"n":"x"}]}`, errType: &json.UnmarshalTypeError{}},
		{name: "syntax", in: `{"id":"a",}`, errType: &json.SyntaxError{}},
		{name: "truncated", in: `{"id":"a"`, errType: errors.New("")},
		{name: "trailing value", in: `{"id":"a"} {}`, trailing: true},
		{name: "trailing garbage", in: `{"id":"a"}x`, trailing: true},
		{name: "bad time", in: `{"at":"yesterday"}`, errType: &time.ParseError{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got, want doc
			err := UnmarshalStrict([]byte(tc.in), &got)
			switch {
			case tc.trailing:
				if !errors.Is(err, ErrTrailingData) {
					t.Fatalf("error %v, want ErrTrailingData", err)
				}
			case tc.errType == nil:
				if err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal([]byte(tc.in), &want); err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("decoded %+v, want %+v", got, want)
				}
			default:
				if err == nil {
					t.Fatalf("no error for %s", tc.in)
				}
				if reflect.TypeOf(tc.errType) != reflect.TypeOf(errors.New("")) && reflect.TypeOf(err) != reflect.TypeOf(tc.errType) {
					t.Errorf("error %T (%v), want %T", err, err, tc.errType)
				}
			}
		})
	}
}

// FuzzUnmarshal holds the fast decoder to encoding/json's answers: the same
// inputs accepted, the same values decoded.
func FuzzUnmarshal(f *testing.F) {
	for _, s := range []string{`{"id":"a","x":1,"tags":["t"],"props":{"k":{"a":[1,"2",null]}},"child":{"id":"b","items":[{"name":"n","n":3}]}}`,
		`{"id":"\u00e9\ud83d\ude00","x":-1.5e-3,"on":true,"free":{"a":"b"}}`, `[]`, `null`, `{"ID":"case"}`, `{"id":"a"}{"id":"b"}`, `{"count":1.5}`,
		`{"at":"2026-11-26T00:00:00.123+01:00"}`, `{"props":{"k":}}`, "{\"id\":\"\xff\"}", `{"id":"a","id":"b"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var fast, std doc
		ferr := Unmarshal(data, &fast)
		serr := json.Unmarshal(data, &std)
		if (ferr == nil) != (serr == nil) {
			t.Fatalf("Unmarshal(%q): fast %v, encoding/json %v", data, ferr, serr)
		}
		if serr == nil && !reflect.DeepEqual(fast, std) {
			t.Fatalf("Unmarshal(%q):\nfast %+v\nstd  %+v", data, fast, std)
		}
		// On data that passes Valid, UnmarshalValid and UnmarshalStrictValid
		// answer as encoding/json does.
		if Valid(data) {
			var vfast, vstd doc
			verr := UnmarshalValid(data, &vfast)
			serr := json.Unmarshal(data, &vstd)
			if (verr == nil) != (serr == nil) || serr == nil && !reflect.DeepEqual(vfast, vstd) {
				t.Fatalf("UnmarshalValid(%q): fast %+v, %v; encoding/json %+v, %v", data, vfast, verr, vstd, serr)
			}
			var tfast, tstd doc
			terr := UnmarshalStrictValid(data, &tfast)
			tserr := strictStd(data, &tstd)
			if (terr == nil) != (tserr == nil) || tserr == nil && !reflect.DeepEqual(tfast, tstd) {
				t.Fatalf("UnmarshalStrictValid(%q): fast %+v, %v; encoding/json %+v, %v", data, tfast, terr, tstd, tserr)
			}
		}
		var sfast, sstd doc
		ferr = UnmarshalStrict(data, &sfast)
		serr = strictStd(data, &sstd)
		if (ferr == nil) != (serr == nil) {
			t.Fatalf("UnmarshalStrict(%q): fast %v, encoding/json %v", data, ferr, serr)
		}
		if serr == nil && !reflect.DeepEqual(sfast, sstd) {
			t.Fatalf("UnmarshalStrict(%q):\nfast %+v\nstd  %+v", data, sfast, sstd)
		}
		if serr == nil {
			// The same JSON, up to the spelling of float exponents.
			var a, b doc
			if err := json.Unmarshal(mustMarshal(t, Marshal, sfast), &a); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(mustMarshal(t, json.Marshal, sstd), &b); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("Marshal round trip: fast %+v, std %+v", a, b)
			}
		}
	})
}

func mustMarshal(t *testing.T, enc func(any) ([]byte, error), v any) []byte {
	b, err := enc(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSpeculate(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		ok       bool
	}{
		{"valid", `{"id":"a","x":1.5,"props":{"k":[1,2]},"child":{"id":"b"},"items":[{"name":"i","n":2}],"at":"2026-11-26T00:00:00Z"}`, true},
		{"wrong type", `{"id":1}`, false},
		{"not JSON", `{"id":`, false},
		{"deep", strings.Repeat("[", 20000), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got doc
			if ok := Speculate([]byte(tc.in), &got).Into(&got); ok != tc.ok {
				t.Fatalf("Into = %v, want %v", ok, tc.ok)
			}
			var want doc
			if err := UnmarshalStrictKnown([]byte(tc.in), &want); tc.ok && (err != nil || !reflect.DeepEqual(got, want)) {
				t.Errorf("decoded %+v, UnmarshalStrictKnown %+v (%v)", got, want, err)
			}
			if !tc.ok && !reflect.DeepEqual(got, doc{}) {
				t.Errorf("a failed decoding changed the value: %+v", got)
			}
		})
	}
}
