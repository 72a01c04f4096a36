package jsonfast

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestMember(t *testing.T) {
	tests := []struct {
		name, data, key, want string
		ok                    bool
	}{
		{"object", `{"a":{"b":[1,"}"]},"c":2}`, "a", `{"b":[1,"}"]}`, true},
		{"number last", `{"a":1,"c":-2.5e3}`, "c", `-2.5e3`, true},
		{"number before comma", `{"c":12,"a":1}`, "c", `12`, true},
		{"spaces", " { \"a\" : [ ] , \"b\" : true } ", "b", `true`, true},
		{"string with escapes", `{"s":"x\"}\\","t":null}`, "s", `"x\"}\\"`, true},
		{"nested key of the same name", `{"p":{"d":1},"d":2}`, "d", `2`, true},
		{"string value like the key", `{"p":"d","d":3}`, "d", `3`, true},
		{"missing", `{"a":1}`, "d", "", false},
		{"empty object", `{}`, "d", "", false},
		{"not an object", `[{"d":1}]`, "d", "", false},
		{"escaped key", `{"\u0064":1}`, "d", "", false},
		{"backslashes before quotes", `{"s":"a\\","k":"\\\"d\":","d":[" \\\\\" ",4]}`, "d", `[" \\\\\" ",4]`, true},
		{"quote right after the opening one", `{"":"","d":""}`, "d", `""`, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start, end, ok := Member([]byte(tc.data), tc.key)
			if ok != tc.ok || ok && tc.data[start:end] != tc.want {
				t.Errorf("Member = %d, %d, %v, want %q, %v", start, end, ok, tc.want, tc.ok)
			}
		})
	}
}

// FuzzMember holds Member to encoding/json: on an object that passes
// Valid, the value it finds is the member's, as a json.RawMessage reads it.
func FuzzMember(f *testing.F) {
	for _, s := range []string{`{"a":{"b":[1,"}"]},"c":2}`, `{"s":"x\"}\\","d":null}`, `{"d":"\\\\\""}`, `{"p":{"d":1},"d":2}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var obj map[string]json.RawMessage
		if !Valid(data) || json.Unmarshal(data, &obj) != nil || bytes.Count(data, []byte(`"d"`)) != 1 {
			return // (with "d" twice, Member finds the first, json keeps the last)
		}
		start, end, ok := Member(data, "d")
		want, has := obj["d"]
		if ok && (!has || !bytes.Equal(data[start:end], want)) {
			t.Fatalf("Member(%q) = %q, json reads %q (%v)", data, data[start:end], want, has)
		}
	})
}
