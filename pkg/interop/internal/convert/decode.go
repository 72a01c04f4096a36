package convert

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// DecodeJSON unmarshals a JSON document into v, allowing fields v does not
// name (other tools extend their formats), and reports errors as
// errs.Malformed naming the file, line and field.
func DecodeJSON(name string, data []byte, v any) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return errs.E(errs.Malformed, "%s is empty", name)
	}
	err := json.Unmarshal(data, v)
	if err == nil {
		return nil
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line := 1 + bytes.Count(data[:min(int(syn.Offset), len(data))], []byte("\n"))
		return errs.E(errs.Malformed, "%s: malformed JSON at line %d: %s", name, line, syn.Error())
	case errors.As(err, &typ):
		field := "/" + strings.ReplaceAll(typ.Field, ".", "/")
		return errs.E(errs.Malformed, "%s: %s must not be JSON %s", name, field, typ.Value).At(field)
	default:
		return errs.E(errs.Malformed, "%s: malformed JSON: %v", name, err)
	}
}

// DecodeOne decodes the one document of files into v with decode
// (DecodeJSON or DecodeJSONOrYAML) and returns its file's name; more or
// fewer files are errs.Invalid, naming the format.
func DecodeOne(files []File, format string, v any, decode func(name string, data []byte, v any) error) (string, error) {
	if len(files) != 1 {
		return "", errs.E(errs.Invalid, "%s import reads one document, got %d files", format, len(files))
	}
	return files[0].Name, decode(files[0].Name, files[0].Data, v)
}

// DecodeJSONOrYAML reads a document that may be JSON or YAML (OTM allows
// both) into v, through its JSON form.
func DecodeJSONOrYAML(name string, data []byte, v any) error {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		return DecodeJSON(name, data, v)
	}
	var doc any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return errs.E(errs.Malformed, "%s: malformed YAML: %v", name, err)
	}
	if doc == nil {
		return errs.E(errs.Malformed, "%s is empty", name)
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return errs.E(errs.Malformed, "%s: YAML that has no JSON form: %v", name, err)
	}
	return DecodeJSON(name, b, v)
}

// LooseText is a text field that other tools write in more than one shape:
// a string, a number, a boolean, null, or an object holding the text (such
// as a diagram label {"attrs": {"labelText": {"text": "HTTPS"}}}). It reads
// all of them and never fails on a valid JSON value.
type LooseText string

// UnmarshalJSON implements json.Unmarshaler.
func (t *LooseText) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*t = LooseText(TextOf(v, 0))
	return nil
}

// TextOf returns the text a JSON value holds: strings as they are, numbers
// and booleans printed, and for objects the first "text" found in "attrs"
// (label objects), "text" or "label" (depth first, keys in a fixed order).
func TextOf(v any, depth int) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case map[string]any:
		if depth > 8 {
			return ""
		}
		if s, ok := x["text"].(string); ok {
			return s
		}
		for _, k := range []string{"attrs", "labelText", "label", "text", "body"} {
			if s := TextOf(x[k], depth+1); s != "" {
				return s
			}
		}
		if a, ok := x["attrs"].(map[string]any); ok {
			keys := make([]string, 0, len(a))
			for k := range a {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				if s := TextOf(a[k], depth+1); s != "" {
					return s
				}
			}
		}
	case []any:
		var parts []string
		for _, e := range x {
			if s := TextOf(e, depth+1); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, " ")
	}
	return ""
}

// LooseBool is a flag written as a boolean, a string ("true", "yes") or a
// number; anything else is false.
type LooseBool bool

// UnmarshalJSON implements json.Unmarshaler.
func (f *LooseBool) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch x := v.(type) {
	case bool:
		*f = LooseBool(x)
	case string:
		s := strings.ToLower(strings.TrimSpace(x))
		*f = LooseBool(s == "true" || s == "yes" || s == "1")
	case float64:
		*f = LooseBool(x != 0)
	default:
		*f = false
	}
	return nil
}

// LooseNumber is a number that may be written as a string; anything that
// is not a number is 0.
type LooseNumber float64

// UnmarshalJSON implements json.Unmarshaler.
func (n *LooseNumber) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch x := v.(type) {
	case float64:
		*n = LooseNumber(x)
	case string:
		f, _ := strconv.ParseFloat(strings.TrimSpace(x), 64)
		*n = LooseNumber(f)
	default:
		*n = 0
	}
	if math.IsNaN(float64(*n)) || math.IsInf(float64(*n), 0) {
		*n = 0
	}
	return nil
}
