package model

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// TestDecodeStrictRefusesSilentlyMisreadInput holds issue 14 point 10:
// what encoding/json would store silently wrong is refused, naming the
// field, and ordinary Unicode is still accepted.
func TestDecodeStrictRefusesSilentlyMisreadInput(t *testing.T) {
	type meta struct {
		Name        string            `json:"name"`
		Description string            `json:"description"`
		Labels      []string          `json:"labels"`
		Properties  map[string]string `json:"properties"`
		Nested      *struct {
			Title string `json:"title"`
		} `json:"nested"`
	}
	cases := []struct {
		name, body string
		kind       errs.Kind // errs.Other: accepted
		field, msg string
	}{
		{"plain", `{"name":"Payments"}`, errs.Other, "", ""},
		{"ordinary unicode", `{"name":"Zahlungsdienst – Ü 支付 🔒 مدفوعات","description":"line one\nline two\ttab"}`, errs.Other, "", ""},
		{"escaped surrogate pair", `{"name":"lock \ud83d\udd12"}`, errs.Other, "", ""},
		{"case-variant keys in a free-form map", `{"properties":{"Name":"a","name":"b"}}`, errs.Other, "", ""},
		{"invalid utf-8", "{\"name\":\"bad \xff byte\"}", errs.Invalid, "/name", "not valid UTF-8"},
		{"lone high surrogate", `{"name":"x\ud800y"}`, errs.Invalid, "/name", "lone UTF-16 surrogate"},
		{"lone low surrogate", `{"description":"\udc00"}`, errs.Invalid, "/description", "lone UTF-16 surrogate"},
		{"high surrogate then a non-surrogate escape", `{"name":"\ud800\u0041"}`, errs.Invalid, "/name", "lone UTF-16 surrogate"},
		{"escaped NUL", `{"name":"a\u0000b"}`, errs.Invalid, "/name", "U+0000"},
		{"escaped bell in a label", `{"labels":["ok","\u0007"]}`, errs.Invalid, "/labels/1", "U+0007"},
		{"C1 control", "{\"name\":\"a\u0085b\"}", errs.Invalid, "/name", "U+0085"},
		{"raw bidi override", "{\"name\":\"invoice\u202Egpj.exe\"}", errs.Invalid, "/name", "U+202E"},
		{"escaped bidi isolate deep", `{"nested":{"title":"x\u2067y"}}`, errs.Invalid, "/nested/title", "U+2067"},
		{"bidi in a map value", `{"properties":{"k":"\u202a"}}`, errs.Invalid, "/properties/k", "U+202A"},
		{"control character in a key", `{"properties":{"a\u0001":"v"}}`, errs.Invalid, "/properties/a\x01", "the key holds the control character"},
		{"duplicate key", `{"name":"a","name":"b"}`, errs.Malformed, "/name", `"name" appears twice`},
		{"duplicate key in a map", `{"properties":{"k":"a","k":"b"}}`, errs.Malformed, "/properties/k", "appears twice"},
		{"case-variant key", `{"name":"a","Name":"b"}`, errs.Malformed, "/Name", `"name" and "Name" differ only in letter case`},
		{"case-variant key by Unicode folding", "{\"nested\":{\"title\":\"a\",\"TITLE\":\"b\"}}", errs.Malformed, "/nested/TITLE", "letter case"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var v meta
			err := DecodeStrict([]byte(tc.body), &v)
			if tc.kind == errs.Other {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			e, ok := errs.As(err)
			if !ok || e.Kind != tc.kind || e.Field != tc.field || !strings.Contains(e.Message, tc.msg) {
				t.Fatalf("got %#v, want kind %s field %q message containing %q", err, tc.kind, tc.field, tc.msg)
			}
		})
	}
}

// TestValidateRefusesControlAndBidiText holds Validate to the same text
// rules for models that do not come from JSON (imports, templates).
func TestValidateRefusesControlAndBidiText(t *testing.T) {
	for _, tc := range []struct{ name, field, want string }{
		{"a\x00b", "/name", "U+0000"},
		{"abc\u202egpj", "/name", "U+202E"},
		{"Zahlungsdienst – 支付 🔒", "", ""},
	} {
		m := &ThreatModel{Name: tc.name, ProjectType: "AWS Cloud Application", Priority: "High", Facing: "public"}
		err := m.Validate()
		e, _ := errs.As(err)
		var got []string
		if e != nil {
			for _, p := range e.Problems {
				if p.Field == "/name" {
					got = append(got, p.Message)
				}
			}
		}
		switch {
		case tc.want == "" && len(got) > 0:
			t.Errorf("%q refused: %v", tc.name, got)
		case tc.want != "" && (len(got) == 0 || !strings.Contains(got[0], tc.want)):
			t.Errorf("%q: problems %v, want one on %s containing %s (err %v)", tc.name, got, tc.field, tc.want, err)
		}
	}
}

func TestClip(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly", 7, "exactly"},
		{"one too long", 11, "one too lo…"},
		{"héllo wörld", 6, "héllo…"},
		{"日本語のテキスト", 4, "日本語…"},
		{"🙂🙂🙂", 2, "🙂…"},
		{"x", 1, "x"},
		{"xy", 1, "…"},
	}
	for _, tt := range tests {
		got := Clip(tt.s, tt.n)
		if got != tt.want {
			t.Errorf("Clip(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
		if !utf8.ValidString(got) || utf8.RuneCountInString(got) > tt.n {
			t.Errorf("Clip(%q, %d) = %q: invalid UTF-8 or longer than %d characters", tt.s, tt.n, got, tt.n)
		}
	}
}
