package interop

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// decodeJSON unmarshals a JSON document into v, allowing fields v does not
// name (other tools extend their formats), and reports errors as
// errs.Malformed naming the file, line and field.
func decodeJSON(name string, data []byte, v any) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return &errs.Error{Kind: errs.Malformed, Message: fmt.Sprintf("%s is empty", name)}
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
		return &errs.Error{Kind: errs.Malformed, Message: fmt.Sprintf("%s: malformed JSON at line %d: %s", name, line, syn.Error())}
	case errors.As(err, &typ):
		field := "/" + strings.ReplaceAll(typ.Field, ".", "/")
		return &errs.Error{Kind: errs.Malformed, Field: field, Message: fmt.Sprintf("%s: %s must not be JSON %s", name, field, typ.Value)}
	default:
		return &errs.Error{Kind: errs.Malformed, Message: fmt.Sprintf("%s: malformed JSON: %v", name, err)}
	}
}

// decodeJSONOrYAML reads a document that may be JSON or YAML (OTM allows
// both) into v, through its JSON form.
func decodeJSONOrYAML(name string, data []byte, v any) error {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		return decodeJSON(name, data, v)
	}
	var doc any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return &errs.Error{Kind: errs.Malformed, Message: fmt.Sprintf("%s: malformed YAML: %v", name, err)}
	}
	if doc == nil {
		return &errs.Error{Kind: errs.Malformed, Message: fmt.Sprintf("%s is empty", name)}
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return &errs.Error{Kind: errs.Malformed, Message: fmt.Sprintf("%s: YAML that has no JSON form: %v", name, err)}
	}
	return decodeJSON(name, b, v)
}

// exportData is what every exporter needs from the analysis of a model.
type exportData struct {
	res       *analysis.Result
	threatsOf map[string][]*analysis.Threat // element id → its threat items
	reqs      map[string]*analysis.Requirement
	custom    []Custom
	rules     []string // catalog threat rules used, in first-use order
	reqRules  []string // catalog requirement rules used, in first-use order
}

// prepare analyzes m and notes what no export format can hold.
func prepare(m *model.ThreatModel, cat *catalog.Catalog, w *warnings, format string) (*exportData, error) {
	custom, err := CustomEntries(m)
	if err != nil {
		return nil, err
	}
	res := analysis.Analyze(cat, m, nil)
	d := &exportData{res: res, threatsOf: map[string][]*analysis.Threat{}, reqs: map[string]*analysis.Requirement{}, custom: custom}
	seen := map[string]bool{}
	nested := 0
	for i := range res.Threats {
		t := &res.Threats[i]
		if t.Imported != nil {
			nested++
			continue
		}
		if strings.HasPrefix(t.Rule, "custom:") {
			continue // exported from d.custom
		}
		d.threatsOf[t.Element] = append(d.threatsOf[t.Element], t)
		if !seen[t.Rule] {
			seen[t.Rule] = true
			d.rules = append(d.rules, t.Rule)
		}
	}
	for i := range res.Requirements {
		r := &res.Requirements[i]
		if strings.HasPrefix(r.Rule, "custom:") {
			continue // exported from d.custom
		}
		d.reqs[r.ID] = r
		if !seen[r.Rule] {
			seen[r.Rule] = true
			d.reqRules = append(d.reqRules, r.Rule)
		}
	}
	if nested > 0 {
		w.add("%d threats imported from nested models are not exported (%s has no nested models; export those models separately)", nested, format)
	}
	for _, c := range m.Diagram.Components {
		if c.NestedModel != nil {
			w.add("component %q nests model %q; %s has no nested models, so the link is lost", c.ID, c.NestedModel.ModelID, format)
		}
	}
	return d, nil
}

// jsonOut marshals an export document with indentation and a final newline.
func jsonOut(v any) []byte {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		panic("interop: marshal export: " + err.Error()) // export types always marshal
	}
	return append(b, '\n')
}

// looseText is a text field that other tools write in more than one shape:
// a string, a number, a boolean, null, or an object holding the text (such
// as a diagram label {"attrs": {"labelText": {"text": "HTTPS"}}}). It reads
// all of them and never fails on a valid JSON value.
type looseText string

// UnmarshalJSON implements json.Unmarshaler.
func (t *looseText) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*t = looseText(textOf(v, 0))
	return nil
}

// textOf returns the text a JSON value holds: strings as they are, numbers
// and booleans printed, and for objects the first "text" found in "attrs"
// (label objects), "text" or "label" (depth first, keys in a fixed order).
func textOf(v any, depth int) string {
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
			if s := textOf(x[k], depth+1); s != "" {
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
				if s := textOf(a[k], depth+1); s != "" {
					return s
				}
			}
		}
	case []any:
		var parts []string
		for _, e := range x {
			if s := textOf(e, depth+1); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, " ")
	}
	return ""
}

// looseBool is a flag written as a boolean, a string ("true", "yes") or a
// number; anything else is false.
type looseBool bool

// UnmarshalJSON implements json.Unmarshaler.
func (f *looseBool) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch x := v.(type) {
	case bool:
		*f = looseBool(x)
	case string:
		s := strings.ToLower(strings.TrimSpace(x))
		*f = looseBool(s == "true" || s == "yes" || s == "1")
	case float64:
		*f = looseBool(x != 0)
	default:
		*f = false
	}
	return nil
}

// looseNumber is a number that may be written as a string; anything that
// is not a number is 0.
type looseNumber float64

// UnmarshalJSON implements json.Unmarshaler.
func (n *looseNumber) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch x := v.(type) {
	case float64:
		*n = looseNumber(x)
	case string:
		f, _ := strconv.ParseFloat(strings.TrimSpace(x), 64)
		*n = looseNumber(f)
	default:
		*n = 0
	}
	if math.IsNaN(float64(*n)) || math.IsInf(float64(*n), 0) {
		*n = 0
	}
	return nil
}

// fitText makes source text acceptable to the model: characters the model
// refuses (control and bidirectional-override characters) are removed, and
// text longer than max runes is cut, ending with "…". It reports whether
// the text changed.
func fitText(s string, max int) (string, bool) {
	changed := false
	if model.TextProblem(s) != "" {
		s = strings.ToValidUTF8(s, "\uFFFD")
		s = strings.Map(func(r rune) rune {
			if model.TextProblem(string(r)) != "" {
				return -1
			}
			return r
		}, s)
		changed = true
	}
	if r := []rune(s); len(r) > max {
		s = string(r[:max-1]) + "…"
		changed = true
	}
	return s, changed
}
