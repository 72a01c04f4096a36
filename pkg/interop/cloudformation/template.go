package cloudformation

import (
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/iac"
)

// cfnShortTags maps the YAML short-form intrinsic tags to their long form.
var cfnShortTags = map[string]string{
	"!Ref": "Ref", "!Condition": "Condition", "!GetAtt": "Fn::GetAtt", "!Sub": "Fn::Sub", "!Join": "Fn::Join",
	"!Select": "Fn::Select", "!Split": "Fn::Split", "!If": "Fn::If", "!Equals": "Fn::Equals", "!And": "Fn::And",
	"!Or": "Fn::Or", "!Not": "Fn::Not", "!FindInMap": "Fn::FindInMap", "!Base64": "Fn::Base64", "!Cidr": "Fn::Cidr",
	"!ImportValue": "Fn::ImportValue", "!GetAZs": "Fn::GetAZs", "!Transform": "Fn::Transform", "!Length": "Fn::Length",
	"!ToJsonString": "Fn::ToJsonString",
}

// cfnUnknown stands for a value written with a tag that is neither a
// CloudFormation intrinsic function nor a YAML type: another tool's
// directive (Rain's !Rain::Embed, !Rain::Module, ...) that only that tool
// resolves. It resolves to nothing.
type cfnUnknown struct {
	Tag  string
	Line int
}

// maxCFNValues bounds the values one template may hold once YAML aliases
// are expanded (a "billion laughs" document is refused, not expanded).
const maxCFNValues = 2_000_000

// maxResolveSteps bounds the work of resolving one value through
// parameters and outputs of nested stacks.
const maxResolveSteps = 10_000

// cfnValue turns a YAML (or JSON) node into plain values, short-form tags
// into their long form ({"Ref": "X"}, {"Fn::GetAtt": ["X", "Arn"]}), and
// values under unknown tags into cfnUnknown (with a warning).
func cfnValue(n *yaml.Node, depth int, file string, w *convert.Warnings, budget *int) (any, error) {
	if depth > 100 {
		return nil, fmt.Errorf("line %d: nested more than 100 levels", n.Line)
	}
	if *budget--; *budget < 0 {
		return nil, fmt.Errorf("line %d: more than %d values (YAML aliases expand to too much)", n.Line, maxCFNValues)
	}
	unknown := strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") && cfnShortTags[n.Tag] == ""
	if unknown {
		w.Add("%s line %d: unknown tag %s (a directive of another tool, such as Rain, that CloudFormation itself does not read); its value is not resolved", file, n.Line, n.Tag)
		return cfnUnknown{Tag: n.Tag, Line: n.Line}, nil
	}
	var v any
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return cfnValue(n.Content[0], depth+1, file, w, budget)
	case yaml.AliasNode:
		return cfnValue(n.Alias, depth+1, file, w, budget)
	case yaml.MappingNode:
		mp := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			val, err := cfnValue(n.Content[i+1], depth+1, file, w, budget)
			if err != nil {
				return nil, err
			}
			mp[n.Content[i].Value] = val
		}
		v = mp
	case yaml.SequenceNode:
		list := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			val, err := cfnValue(c, depth+1, file, w, budget)
			if err != nil {
				return nil, err
			}
			list = append(list, val)
		}
		v = list
	case yaml.ScalarNode:
		if long, ok := cfnShortTags[n.Tag]; ok {
			if long == "Fn::GetAtt" {
				parts := strings.SplitN(n.Value, ".", 2)
				return map[string]any{long: []any{parts[0], strings.Join(parts[1:], "")}}, nil
			}
			return map[string]any{long: n.Value}, nil
		}
		if err := n.Decode(&v); err != nil {
			return nil, fmt.Errorf("line %d: %v", n.Line, err)
		}
		return v, nil
	}
	if long, ok := cfnShortTags[n.Tag]; ok {
		return map[string]any{long: v}, nil
	}
	return v, nil
}

// cfnTemplate is one parsed template.
type cfnTemplate struct {
	file        string
	description string
	params      map[string]bool
	resources   map[string]map[string]any // logical id → resource
	order       []string                  // logical ids in file order
	outputs     map[string]any            // output name → its Value
}

// parseCFN reads one template. Values under unknown tags are warnings
// (they resolve to nothing); a resource whose Type is one is skipped with a
// warning.
func parseCFN(f convert.File, w *convert.Warnings) (*cfnTemplate, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(f.Data, &root); err != nil {
		return nil, errs.E(errs.Malformed, "%s: malformed template: %v", f.Name, err)
	}
	doc := &root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		doc = doc.Content[0]
	}
	if doc.Kind != yaml.MappingNode {
		return nil, errs.E(errs.Invalid, "%s is not a CloudFormation template: the document is not a mapping", f.Name)
	}
	t := &cfnTemplate{file: f.Name, params: map[string]bool{}, resources: map[string]map[string]any{}, outputs: map[string]any{}}
	budget := maxCFNValues
	var loops [][2]any              // Fn::ForEach entries of Resources
	defaults := map[string]string{} // parameter → its Default
	skipped := 0
	for i := 0; i+1 < len(doc.Content); i += 2 {
		key, val := doc.Content[i].Value, doc.Content[i+1]
		switch key {
		case "Description":
			t.description = val.Value
		case "Parameters":
			for j := 0; j+1 < len(val.Content); j += 2 {
				t.params[val.Content[j].Value] = true
				if pv, err := cfnValue(val.Content[j+1], 0, f.Name, w, &budget); err == nil {
					if d, ok := iac.Get1(pv, "Default").(string); ok {
						defaults[val.Content[j].Value] = d
					}
				}
			}
		case "Outputs":
			for j := 0; j+1 < len(val.Content); j += 2 {
				v, err := cfnValue(val.Content[j+1], 0, f.Name, w, &budget)
				if err != nil {
					return nil, errs.E(errs.Malformed, "%s: %v", f.Name, err).At("/Outputs/" + val.Content[j].Value)
				}
				t.outputs[val.Content[j].Value] = iac.Get1(v, "Value")
			}
		case "Resources":
			if val.Kind != yaml.MappingNode {
				return nil, errs.Field("/Resources", "%s: Resources must be a mapping of logical ids to resources", f.Name)
			}
			for j := 0; j+1 < len(val.Content); j += 2 {
				lid := val.Content[j].Value
				v, err := cfnValue(val.Content[j+1], 0, f.Name, w, &budget)
				if err != nil {
					return nil, errs.E(errs.Malformed, "%s: %v", f.Name, err).At("/Resources/" + lid)
				}
				if strings.HasPrefix(lid, "Fn::ForEach::") {
					loops = append(loops, [2]any{lid, v}) // expanded once the parameters are read
					continue
				}
				res, ok := v.(map[string]any)
				if u, isUnknown := res["Type"].(cfnUnknown); ok && isUnknown {
					w.Add("%s: resource %s has its Type given by %s (line %d), which only that tool expands; not imported", f.Name, lid, u.Tag, u.Line)
					skipped++
					continue
				}
				typ, _ := res["Type"].(string)
				if !ok || typ == "" {
					return nil, errs.Field("/Resources/"+lid+"/Type", "%s: resource %s needs a Type such as AWS::EC2::Instance (line %d)", f.Name, lid, val.Content[j].Line)
				}
				t.resources[lid] = res
				t.order = append(t.order, lid)
			}
		}
	}
	// AWS::LanguageExtensions: one resource per element of each loop.
	for _, l := range loops {
		lid := l[0].(string)
		expanded := map[string]any{}
		cfnForEach(lid, l[1], expanded, f.Name, w, &budget, 0, defaults)
		for _, k := range iac.SortedKeys(expanded) {
			res, ok := expanded[k].(map[string]any)
			if typ, _ := res["Type"].(string); !ok || typ == "" || t.resources[k] != nil {
				w.Add("%s: %s makes resource %s without a Type, or twice; not imported", f.Name, lid, k)
				continue
			}
			t.resources[k] = res
			t.order = append(t.order, k)
		}
		if len(expanded) == 0 {
			skipped++
		}
	}
	if len(t.resources) == 0 && skipped == 0 {
		return nil, errs.Field("/Resources", "%s is not a CloudFormation template: it has no Resources", f.Name)
	}
	return t, nil
}

// cfnForEach expands a Fn::ForEach of the AWS::LanguageExtensions
// transform ([identifier, collection, {key with ${identifier}: fragment}])
// into out, for a collection written in the template; a collection known
// only at deploy time is a warning.
func cfnForEach(name string, v any, out map[string]any, file string, w *convert.Warnings, budget *int, depth int, defaults map[string]string) {
	l, ok := v.([]any)
	if !ok || len(l) != 3 || depth > 5 {
		w.Add("%s: %s is not [identifier, collection, fragment]; not imported", file, name)
		return
	}
	id, _ := l[0].(string)
	items, isList := l[1].([]any)
	frag, isMap := l[2].(map[string]any)
	if id == "" || !isMap {
		w.Add("%s: %s is not [identifier, collection, fragment]; not imported", file, name)
		return
	}
	if p, isRef := iac.Get1(l[1], "Ref").(string); !isList && isRef && defaults[p] != "" {
		w.Add("%s: %s iterates over parameter %s, known at deploy time; its default (%s) is used", file, name, p, defaults[p])
		for _, e := range strings.Split(defaults[p], ",") {
			items = append(items, strings.TrimSpace(e))
		}
		isList = true
	}
	if !isList {
		w.Add("%s: the collection of %s is only known at deploy time; its resources are not imported", file, name)
		return
	}
	for _, it := range items {
		item, ok := it.(string)
		if !ok {
			item = iac.Str(it)
		}
		alnum := strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, item)
		rep := strings.NewReplacer("${"+id+"}", item, "&{"+id+"}", alnum)
		for _, k := range iac.SortedKeys(frag) {
			body := cfnSubstitute(frag[k], id, item, rep, budget, 0)
			if strings.HasPrefix(k, "Fn::ForEach::") {
				cfnForEach(k, body, out, file, w, budget, depth+1, defaults)
				continue
			}
			out[rep.Replace(k)] = body
		}
	}
}

// cfnSubstitute copies v with a loop's identifier replaced by item.
func cfnSubstitute(v any, id, item string, rep *strings.Replacer, budget *int, depth int) any {
	if *budget--; *budget < 0 || depth > 100 {
		return nil
	}
	switch x := v.(type) {
	case string:
		return rep.Replace(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = cfnSubstitute(e, id, item, rep, budget, depth+1)
		}
		return out
	case map[string]any:
		if r, ok := x["Ref"].(string); ok && len(x) == 1 && r == id {
			return item
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[rep.Replace(k)] = cfnSubstitute(e, id, item, rep, budget, depth+1)
		}
		return out
	}
	return v
}

var subVar = regexp.MustCompile(`\$\{([A-Za-z0-9:]+)((?:\.[A-Za-z0-9]+)*)\}`)
