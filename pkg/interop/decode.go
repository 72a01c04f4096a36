package interop

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
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
