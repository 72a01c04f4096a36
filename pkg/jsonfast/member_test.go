package jsonfast

import "testing"

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
