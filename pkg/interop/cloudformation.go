package interop

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
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
func parseCFN(f File, w *convert.Warnings) (*cfnTemplate, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(f.Data, &root); err != nil {
		return nil, &errs.Error{Kind: errs.Malformed, Message: fmt.Sprintf("%s: malformed template: %v", f.Name, err)}
	}
	doc := &root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		doc = doc.Content[0]
	}
	if doc.Kind != yaml.MappingNode {
		return nil, &errs.Error{Kind: errs.Invalid, Message: fmt.Sprintf("%s is not a CloudFormation template: the document is not a mapping", f.Name)}
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
					return nil, &errs.Error{Kind: errs.Malformed, Field: "/Outputs/" + val.Content[j].Value, Message: fmt.Sprintf("%s: %v", f.Name, err)}
				}
				t.outputs[val.Content[j].Value] = iac.Get1(v, "Value")
			}
		case "Resources":
			if val.Kind != yaml.MappingNode {
				return nil, &errs.Error{Kind: errs.Invalid, Field: "/Resources", Message: fmt.Sprintf("%s: Resources must be a mapping of logical ids to resources", f.Name)}
			}
			for j := 0; j+1 < len(val.Content); j += 2 {
				lid := val.Content[j].Value
				v, err := cfnValue(val.Content[j+1], 0, f.Name, w, &budget)
				if err != nil {
					return nil, &errs.Error{Kind: errs.Malformed, Field: "/Resources/" + lid, Message: fmt.Sprintf("%s: %v", f.Name, err)}
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
					return nil, &errs.Error{Kind: errs.Invalid, Field: "/Resources/" + lid + "/Type", Message: fmt.Sprintf("%s: resource %s needs a Type such as AWS::EC2::Instance (line %d)", f.Name, lid, val.Content[j].Line)}
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
		return nil, &errs.Error{Kind: errs.Invalid, Field: "/Resources", Message: fmt.Sprintf("%s is not a CloudFormation template: it has no Resources", f.Name)}
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

// cfnStack is one stack of the import: the root template or a nested
// stack, with the key prefix of its resources, its group, and the values
// its parent passes to its parameters.
type cfnStack struct {
	t      *cfnTemplate
	prefix string // key prefix of its resources ("" for the root)
	group  string // group key of its elements ("" for the root)
	parent *cfnStack
	params map[string]any       // parameter → expression in the parent
	nested map[string]*cfnStack // logical id of a nested stack resource → its stack
}

// cfnReader reads a root template and its nested stacks into an iacGraph.
type cfnReader struct {
	g      *iac.Graph
	w      *convert.Warnings
	cat    *catalog.Catalog
	stacks []*cfnStack // in reading order
	// target groups (key) → protocol and port, read at the end
	tgs []cfnTG
	// resource key → the properties used for flows and security attributes
	byKey map[string]cfnRes
	steps int // resolve steps left for the value being resolved
}

type cfnRes struct {
	st    *cfnStack
	lid   string
	typ   string
	props map[string]any
}

type cfnTG struct {
	key, name, proto string
	port             int
}

// cfnSAM maps AWS SAM resource types to the CloudFormation resources they
// deploy as, for the catalog.
var cfnSAM = map[string]string{
	"AWS::Serverless::Function": "AWS::Lambda::Function", "AWS::Serverless::SimpleTable": "AWS::DynamoDB::Table",
	"AWS::Serverless::Api": "AWS::ApiGateway::RestApi", "AWS::Serverless::HttpApi": "AWS::ApiGatewayV2::Api",
	"AWS::Serverless::StateMachine": "AWS::StepFunctions::StateMachine",
}

// maxStacks bounds how many stacks (root and nested) one import reads.
const maxStacks = 100

func importCloudFormation(files []File, cat *catalog.Catalog) (*Imported, error) {
	var w convert.Warnings
	temps := make([]*cfnTemplate, len(files))
	for i, f := range files {
		t, err := parseCFN(f, &w)
		if err != nil {
			return nil, err
		}
		temps[i] = t
	}
	// The root is the first template that no other template names as a
	// nested stack.
	referenced := map[int]bool{}
	for i, t := range temps {
		for _, lid := range t.order {
			if url := cfnNestedURL(t.resources[lid]); url != "" {
				if j, ties := matchTemplate(files, i, url); j >= 0 && j != i {
					referenced[j] = true
					for _, k := range ties {
						referenced[k] = true
					}
				}
			}
		}
	}
	rootIdx := 0
	for i := range temps {
		if !referenced[i] {
			rootIdx = i
			break
		}
	}
	r := &cfnReader{g: &iac.Graph{}, w: &w, cat: cat, byKey: map[string]cfnRes{}}
	used := map[int]bool{rootIdx: true}
	root := &cfnStack{t: temps[rootIdx]}
	r.build(root, files, temps, rootIdx, used, 0)
	for _, st := range r.stacks {
		r.read(st)
	}
	for _, st := range r.stacks {
		r.relate(st)
	}
	r.targetGroups()
	r.attributes()
	for i, f := range files {
		if !used[i] {
			w.Add("%s is not the template of any nested stack (AWS::CloudFormation::Stack TemplateURL); it is ignored", f.Name)
		}
	}
	name := strings.TrimSuffix(path.Base(files[rootIdx].Name), path.Ext(files[rootIdx].Name))
	m := iac.Assemble("Imported from "+name, root.t.description, r.g, cat, &w)
	return &Imported{Model: m, Warnings: w.List()}, nil
}

// cfnNestedURL is the template location of a nested stack resource
// (AWS::CloudFormation::Stack TemplateURL, AWS::Serverless::Application
// Location), as text with the expressions in it left as ${...}; "" for
// other resources.
func cfnNestedURL(res map[string]any) string {
	var v any
	switch res["Type"] {
	case "AWS::CloudFormation::Stack":
		v = iac.Get1(res, "Properties", "TemplateURL")
	case "AWS::Serverless::Application":
		v = iac.Get1(res, "Properties", "Location")
		if _, isMap := v.(map[string]any); isMap && iac.Get1(v, "ApplicationId") != nil {
			return "" // a Serverless Application Repository application
		}
	default:
		return ""
	}
	return cfnText(v, 0)
}

// cfnText renders a value as text, expressions as ${...}.
func cfnText(v any, depth int) string {
	if depth > 10 {
		return "${}"
	}
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		if s, ok := x["Fn::Sub"].(string); ok {
			return s
		}
		if l, ok := x["Fn::Sub"].([]any); ok && len(l) > 0 {
			return cfnText(l[0], depth+1)
		}
		if l, ok := x["Fn::Join"].([]any); ok && len(l) == 2 {
			sep, _ := l[0].(string)
			parts, _ := l[1].([]any)
			var out []string
			for _, p := range parts {
				out = append(out, cfnText(p, depth+1))
			}
			return strings.Join(out, sep)
		}
	}
	return "${}"
}

// matchTemplate finds the given file a nested stack of files[parent] names
// by url: a relative path is resolved against the parent's folder; an
// S3 or HTTPS address is matched by the longest trailing part of its path
// that is a given file's whole path, else by the most trailing folder
// names in common with a file's path. It returns -1 when no file matches,
// and the other files that match as well when the match is ambiguous.
func matchTemplate(files []File, parent int, url string) (int, []int) {
	clean := func(name string) string {
		return path.Clean("/" + strings.ReplaceAll(name, `\`, "/"))[1:]
	}
	url, _, _ = strings.Cut(url, "?")
	if !strings.Contains(url, "://") {
		want := clean(path.Join(path.Dir(clean(files[parent].Name)), url))
		for i, f := range files {
			if i != parent && clean(f.Name) == want {
				return i, nil
			}
		}
	} else {
		_, rest, _ := strings.Cut(url, "://")
		_, url, _ = strings.Cut(rest, "/") // drop the host
	}
	parts := strings.Split(clean(url), "/")
	best, bestScore := -1, 0
	var ties []int
	for i, f := range files {
		if i == parent {
			continue
		}
		fp := strings.Split(clean(f.Name), "/")
		common := 0
		for common < len(fp) && common < len(parts) && fp[len(fp)-1-common] == parts[len(parts)-1-common] {
			common++
		}
		score := common
		if common == len(fp) {
			score += 1000 // the file's whole path ends the address
		}
		switch {
		case common == 0:
		case score > bestScore:
			best, bestScore, ties = i, score, nil
		case score == bestScore:
			ties = append(ties, i)
		}
	}
	return best, ties
}

// build reads the nested stacks of st, depth first, and records the
// stacks in reading order.
func (r *cfnReader) build(st *cfnStack, files []File, temps []*cfnTemplate, idx int, used map[int]bool, depth int) {
	r.stacks = append(r.stacks, st)
	st.nested = map[string]*cfnStack{}
	for _, lid := range st.t.order {
		res := st.t.resources[lid]
		url := cfnNestedURL(res)
		if url == "" {
			continue
		}
		at := fmt.Sprintf("%s: resource %s", st.t.file, lid)
		j, ties := matchTemplate(files, idx, url)
		switch {
		case j < 0:
			r.w.Add("%s: nested stack template %q was not given; its resources are not imported (pass it as another file)", at, url)
			continue
		case len(ties) > 0:
			// Files of the same name given without their folders: each
			// nested stack takes the first one no other stack took yet.
			for _, k := range append([]int{j}, ties...) {
				if !used[k] {
					j = k
					break
				}
			}
			names := []string{}
			for _, k := range append([]int{j}, ties...) {
				names = append(names, files[k].Name)
			}
			r.w.Add("%s: nested stack template %q matches %d given files (%s); file %d of that name is used (pass files with their folders to tell them apart)", at, url, len(names), strings.Join(iac.Dedupe(names), ", "), j+1)
		}
		if depth >= 5 || len(r.stacks) >= maxStacks {
			r.w.Add("%s: nested stack %s is nested deeper than 5 levels or beyond %d stacks; not imported", at, files[j].Name, maxStacks)
			continue
		}
		used[j] = true
		params, _ := iac.Get1(res, "Properties", "Parameters").(map[string]any)
		key := st.prefix + lid
		child := &cfnStack{t: temps[j], prefix: key + "/", group: key, parent: st, params: params}
		st.nested[lid] = child
		r.g.Groups = append(r.g.Groups, iac.Group{Key: key, Name: lid, Parent: st.group})
		r.build(child, files, temps, j, used, depth+1)
	}
}

// resolve returns the keys of the resources that the value v, written in
// stack st, names: through Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::If,
// Fn::Select, lists, the parameters a parent passes and the outputs of
// nested stacks. whys says why a part names nothing.
func (r *cfnReader) resolve(st *cfnStack, v any, depth int) (keys, whys []string) {
	if depth > 30 || st == nil {
		return nil, nil
	}
	if r.steps--; r.steps < 0 {
		return nil, []string{"it refers through too many parameters and outputs"}
	}
	add := func(k, w []string) {
		keys = append(keys, k...)
		whys = append(whys, w...)
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			add(r.resolve(st, e, depth+1))
		}
		return keys, whys
	case cfnUnknown:
		return nil, []string{fmt.Sprintf("the value of tag %s (line %d) is not resolved", x.Tag, x.Line)}
	case map[string]any:
		switch {
		case x["Ref"] != nil:
			return r.name(st, litName(x["Ref"]), "", depth)
		case x["Fn::GetAtt"] != nil:
			var name, attr string
			switch a := x["Fn::GetAtt"].(type) {
			case []any:
				if len(a) > 0 {
					name = litName(a[0])
				}
				if len(a) > 1 {
					attr, _ = a[1].(string)
				}
			case string:
				name, attr, _ = strings.Cut(a, ".")
			}
			return r.name(st, name, attr, depth)
		case x["Fn::Sub"] != nil:
			s, _ := x["Fn::Sub"].(string)
			var vars map[string]any
			if l, isList := x["Fn::Sub"].([]any); isList && len(l) > 0 {
				s, _ = l[0].(string)
				if len(l) > 1 {
					vars, _ = l[1].(map[string]any)
				}
			}
			for _, mt := range subVar.FindAllStringSubmatch(s, -1) {
				if e, ok := vars[mt[1]]; ok {
					add(r.resolve(st, e, depth+1))
					continue
				}
				if strings.HasPrefix(mt[1], "AWS::") {
					continue
				}
				add(r.name(st, mt[1], strings.TrimPrefix(mt[2], "."), depth))
			}
			return keys, whys
		case x["Fn::Join"] != nil:
			if l, ok := x["Fn::Join"].([]any); ok && len(l) == 2 {
				return r.resolve(st, l[1], depth+1)
			}
		case x["Fn::If"] != nil:
			if l, ok := x["Fn::If"].([]any); ok && len(l) == 3 {
				return r.resolve(st, l[1:], depth+1)
			}
		case x["Fn::Select"] != nil:
			if l, ok := x["Fn::Select"].([]any); ok && len(l) == 2 {
				if list, isList := l[1].([]any); isList {
					if i, isNum := l[0].(int); isNum && i >= 0 && i < len(list) {
						return r.resolve(st, list[i], depth+1)
					}
				}
				return r.resolve(st, l[1], depth+1)
			}
		case x["Fn::Split"] != nil:
			if l, ok := x["Fn::Split"].([]any); ok && len(l) == 2 {
				return r.resolve(st, l[1], depth+1)
			}
		case x["Fn::ImportValue"] != nil:
			return nil, []string{"Fn::ImportValue refers to another stack's export"}
		case x["Fn::Base64"] != nil, x["Fn::FindInMap"] != nil, x["Fn::GetAZs"] != nil, x["Fn::Cidr"] != nil:
			return nil, nil
		}
		return nil, []string{"an intrinsic function that does not name one resource"}
	}
	return nil, nil
}

// litName is a logical name written as a string, or as a Fn::Sub without
// variables (as Fn::ForEach fragments write them once expanded).
func litName(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	if s, ok := iac.Get1(v, "Fn::Sub").(string); ok && !strings.Contains(s, "${") {
		return s
	}
	return ""
}

// name resolves a logical name (with an attribute, for Fn::GetAtt) of
// stack st.
func (r *cfnReader) name(st *cfnStack, name, attr string, depth int) ([]string, []string) {
	if child := st.nested[name]; child != nil {
		out, isOutput := strings.CutPrefix(attr, "Outputs.")
		if !isOutput {
			return nil, []string{fmt.Sprintf("nested stack %s is not a resource to draw a flow to", name)}
		}
		val, ok := child.t.outputs[out]
		if !ok {
			return nil, []string{fmt.Sprintf("%s has no output %s", child.t.file, out)}
		}
		return r.resolve(child, val, depth+1)
	}
	if res, ok := st.t.resources[name]; ok {
		if cfnNestedURL(res) != "" {
			return nil, []string{fmt.Sprintf("the template of nested stack %s was not given", name)}
		}
		return []string{st.prefix + name}, nil
	}
	if e, ok := st.params[name]; ok && st.parent != nil {
		keys, whys := r.resolve(st.parent, e, depth+1)
		if len(keys) == 0 && len(whys) == 0 {
			whys = []string{fmt.Sprintf("parameter %s is given a value that names no resource", name)}
		}
		return keys, whys
	}
	switch {
	case strings.HasPrefix(name, "AWS::"):
		return nil, []string{"pseudo parameter " + name}
	case st.t.params[name]:
		return nil, []string{fmt.Sprintf("parameter %s is only known at deploy time", name)}
	}
	return nil, []string{fmt.Sprintf("%q is not a resource or parameter of %s", name, st.t.file)}
}

// refs returns the keys of the resources v names in stack st, with a
// warning when it names none.
func (r *cfnReader) refs(st *cfnStack, v any, at string) []string {
	if v == nil {
		return nil
	}
	if list, ok := v.([]any); ok {
		var out []string
		for i, x := range list {
			out = append(out, r.refs(st, x, fmt.Sprintf("%s/%d", at, i))...)
		}
		return iac.Dedupe(out)
	}
	if s, ok := v.(string); ok {
		if s != "" {
			r.w.Add("%s: %q is a literal id, not a reference to a resource of the template; not resolved", at, s)
		}
		return nil
	}
	r.steps = maxResolveSteps
	keys, whys := r.resolve(st, v, 0)
	if len(keys) == 0 {
		if len(whys) == 0 {
			whys = []string{"it names no resource"}
		}
		r.w.Add("%s: %s; not resolved", at, strings.Join(iac.Dedupe(whys), "; "))
	}
	return iac.Dedupe(keys)
}

// ref is refs for a value that names one resource: the first one.
func (r *cfnReader) ref(st *cfnStack, v any, at string) string {
	if ks := r.refs(st, v, at); len(ks) > 0 {
		return ks[0]
	}
	return ""
}

// quiet resolves v without warnings (for optional relationships).
func (r *cfnReader) quiet(st *cfnStack, v any) []string {
	r.steps = maxResolveSteps
	keys, _ := r.resolve(st, v, 0)
	return iac.Dedupe(keys)
}

// Relationship properties of CloudFormation resources.
var (
	cfnSubnetPaths = [][]string{{"SubnetId"}, {"SubnetIds", "*"}, {"Subnets", "*"}, {"VPCZoneIdentifier", "*"}, {"VpcConfig", "SubnetIds", "*"},
		{"NetworkInterfaces", "*", "SubnetId"}, {"NetworkConfiguration", "AwsvpcConfiguration", "Subnets", "*"}, {"SubnetMappings", "*", "SubnetId"},
		{"VpcOptions", "SubnetIds", "*"}, {"VPCOptions", "SubnetIds", "*"}}
	cfnVPCPaths = [][]string{{"VpcId"}, {"VPCId"}}
	cfnSGPaths  = [][]string{{"SecurityGroupIds", "*"}, {"SecurityGroups", "*"}, {"VpcSecurityGroupIds", "*"}, {"VpcConfig", "SecurityGroupIds", "*"},
		{"NetworkInterfaces", "*", "GroupSet", "*"}, {"NetworkConfiguration", "AwsvpcConfiguration", "SecurityGroups", "*"}, {"VPCSecurityGroups", "*"},
		{"VpcOptions", "SecurityGroupIds", "*"}}
	// cfnConsumed are read for relationships and not drawn.
	cfnConsumed = map[string]bool{
		"AWS::EC2::SecurityGroupIngress": true, "AWS::EC2::SecurityGroupEgress": true, "AWS::ElasticLoadBalancingV2::Listener": true,
		"AWS::ElasticLoadBalancingV2::ListenerRule": true, "AWS::ElasticLoadBalancingV2::TargetGroup": true, "AWS::ElasticLoadBalancingV2::ListenerCertificate": true,
		"AWS::Lambda::EventSourceMapping": true, "AWS::SNS::Subscription": true, "AWS::Lambda::Permission": true, "AWS::EC2::Route": true,
		"AWS::EC2::RouteTable": true, "AWS::EC2::SubnetRouteTableAssociation": true, "AWS::EC2::VPCGatewayAttachment": true, "AWS::EC2::EIP": true,
		"AWS::ApiGateway::Method": true, "AWS::ApiGateway::Resource": true, "AWS::ApiGateway::Deployment": true, "AWS::ApiGatewayV2::Integration": true,
		"AWS::IAM::InstanceProfile": true, "AWS::CDK::Metadata": true, "AWS::EC2::FlowLog": true, "AWS::S3::BucketPolicy": true,
		"AWS::RDS::DBSubnetGroup": true, "AWS::ElastiCache::SubnetGroup": true, "AWS::Lambda::Url": true,
	}
)

// read adds the resources of stack st to the graph.
func (r *cfnReader) read(st *cfnStack) {
	for _, lid := range st.t.order {
		res := st.t.resources[lid]
		typ := res["Type"].(string)
		props, _ := res["Properties"].(map[string]any)
		if st.nested[lid] != nil || cfnNestedURL(res) != "" {
			continue
		}
		key := st.prefix + lid
		r.byKey[key] = cfnRes{st: st, lid: lid, typ: typ, props: props}
		if cfnConsumed[typ] {
			r.g.Skip(typ)
			continue
		}
		at := fmt.Sprintf("%s: resource %s", st.t.file, lid)
		ir := &iac.Resource{Key: key, Name: lid, AWSType: typ, Group: st.group}
		if alias, ok := cfnSAM[typ]; ok {
			ir.AWSType, ir.Source = alias, typ
		}
		for _, p := range cfnSubnetPaths {
			if vals := iac.Get(props, p...); len(vals) > 0 && ir.Place == "" {
				if ks := r.refs(st, vals, fmt.Sprintf("%s %s", at, strings.Join(p, "/"))); len(ks) > 0 {
					ir.Place = ks[0]
				}
			}
		}
		for _, p := range []string{"DBSubnetGroupName", "CacheSubnetGroupName"} {
			if props[p] != nil && ir.Place == "" {
				for _, k := range r.refs(st, props[p], at+" "+p) {
					if sg, ok := r.lookup(k); ok {
						if ks := r.refs(sg.st, iac.Get(sg.props, "SubnetIds", "*"), at+" "+p+" SubnetIds"); len(ks) > 0 {
							ir.Place = ks[0]
						}
					}
				}
			}
		}
		if ir.Place == "" {
			for _, p := range cfnVPCPaths {
				if vals := iac.Get(props, p...); len(vals) > 0 && ir.Place == "" {
					ir.Place = r.ref(st, vals[0], at+" "+p[0])
				}
			}
		}
		for _, p := range cfnSGPaths {
			ir.SGs = append(ir.SGs, r.refs(st, iac.Get(props, p...), fmt.Sprintf("%s %s", at, strings.Join(p, "/")))...)
		}
		r.g.Resources = append(r.g.Resources, ir)
	}
}

// lookup returns a resource of any stack by key, reading its stack's
// template if the stack has not been read yet.
func (r *cfnReader) lookup(key string) (cfnRes, bool) {
	if res, ok := r.byKey[key]; ok {
		return res, true
	}
	for _, st := range r.stacks {
		if lid, ok := strings.CutPrefix(key, st.prefix); ok && !strings.Contains(lid, "/") {
			if res, ok := st.t.resources[lid]; ok {
				props, _ := res["Properties"].(map[string]any)
				typ, _ := res["Type"].(string)
				return cfnRes{st: st, lid: lid, typ: typ, props: props}, true
			}
		}
	}
	return cfnRes{}, false
}

// typeOf returns the type of the resource with key, "" if unknown.
func (r *cfnReader) typeOf(key string) string {
	res, _ := r.lookup(key)
	if alias, ok := cfnSAM[res.typ]; ok {
		return alias
	}
	return res.typ
}

// link adds a flow from every resource of from to every resource of to.
func (r *cfnReader) link(from, to []string, proto string, port int, label, reason string) {
	for _, a := range from {
		for _, b := range to {
			r.g.Links = append(r.g.Links, iac.Link{From: a, To: b, Protocol: proto, Port: port, Label: label, Reason: reason})
		}
	}
}

// relate reads the relationships of stack st's resources into links and
// ingress rules.
func (r *cfnReader) relate(st *cfnStack) {
	for _, lid := range st.t.order {
		res := st.t.resources[lid]
		typ, _ := res["Type"].(string)
		props, _ := res["Properties"].(map[string]any)
		if st.nested[lid] != nil || cfnNestedURL(res) != "" {
			continue
		}
		key := st.prefix + lid
		at := fmt.Sprintf("%s: resource %s", st.t.file, lid)
		why := func(what string) string { return fmt.Sprintf("%s %s (%s)", typ, lid, what) }
		self := []string{key}
		switch typ {
		case "AWS::EC2::SecurityGroupIngress":
			r.ingress(st, r.ref(st, props["GroupId"], at+" GroupId"), props, at, why("ingress rule"))
		case "AWS::EC2::SecurityGroup":
			for i, rule := range iac.Get(props, "SecurityGroupIngress", "*") {
				rm, _ := rule.(map[string]any)
				r.ingress(st, key, rm, fmt.Sprintf("%s SecurityGroupIngress/%d", at, i), why(fmt.Sprintf("SecurityGroupIngress %d", i)))
			}
		case "AWS::ElasticLoadBalancingV2::Listener":
			r.listener(st, lid, props, at)
		case "AWS::ElasticLoadBalancingV2::ListenerRule":
			r.listenerRule(st, lid, props, at)
		case "AWS::ElasticLoadBalancingV2::TargetGroup":
			port := iac.Num(props["Port"])
			proto := iac.ListenerProtocol(iac.Str(props["Protocol"]), port)
			if iac.Str(props["TargetType"]) == "lambda" {
				proto = "AWS-API"
			}
			r.tgs = append(r.tgs, cfnTG{key: key, name: lid, proto: proto, port: port})
			for _, t := range r.refs(st, iac.Get(props, "Targets", "*", "Id"), at+" Targets") {
				r.g.Links = append(r.g.Links, iac.Link{From: "tg:" + key, To: t, Reason: why("Targets")})
			}
		case "AWS::ElasticLoadBalancing::LoadBalancer":
			internal := iac.Str(props["Scheme"]) == "internal"
			for _, l := range iac.Get(props, "Listeners", "*") {
				port := iac.Num(iac.Get1(l, "LoadBalancerPort"))
				if !internal {
					r.g.Links = append(r.g.Links, iac.Link{From: iac.InternetKey, To: key, Protocol: iac.ListenerProtocol(iac.Str(iac.Get1(l, "Protocol")), port), Port: port, Label: "listener", Reason: why("Listeners; Scheme is not internal")})
				}
				iport := iac.Num(iac.Get1(l, "InstancePort"))
				r.link(self, r.refs(st, props["Instances"], at+" Instances"), iac.ListenerProtocol(convert.OrDefault(iac.Str(iac.Get1(l, "InstanceProtocol")), iac.Str(iac.Get1(l, "Protocol"))), iport), iport, "listener", why("Instances"))
			}
		case "AWS::Lambda::EventSourceMapping":
			r.link(r.refs(st, props["EventSourceArn"], at+" EventSourceArn"), r.refs(st, props["FunctionName"], at+" FunctionName"), "AWS-API", 443, "event source", why("EventSourceArn → FunctionName"))
		case "AWS::SNS::Subscription":
			r.link(r.refs(st, props["TopicArn"], at+" TopicArn"), r.quiet(st, props["Endpoint"]), "AWS-API", 443, "subscription", why("TopicArn → Endpoint"))
		case "AWS::SNS::Topic":
			r.link(self, r.quiet(st, iac.Get(props, "Subscription", "*", "Endpoint")), "AWS-API", 443, "subscription", why("Subscription"))
		case "AWS::Lambda::Permission":
			if props["SourceArn"] != nil {
				r.link(r.quiet(st, props["SourceArn"]), r.refs(st, props["FunctionName"], at+" FunctionName"), "AWS-API", 443, "invoke", why("SourceArn may invoke FunctionName"))
			}
		case "AWS::ApiGateway::Method":
			for _, uri := range iac.Get(props, "Integration", "Uri") {
				r.link(r.refs(st, props["RestApiId"], at+" RestApiId"), r.quiet(st, uri), "AWS-API", 443, "integration", why("Integration Uri"))
			}
		case "AWS::ApiGateway::Authorizer", "AWS::ApiGatewayV2::Authorizer":
			r.link(r.refs(st, orAny(props["RestApiId"], props["ApiId"]), at+" RestApiId"), r.quiet(st, props["AuthorizerUri"]), "AWS-API", 443, "authorizer", why("AuthorizerUri"))
		case "AWS::ApiGatewayV2::Integration":
			r.link(r.refs(st, props["ApiId"], at+" ApiId"), r.quiet(st, props["IntegrationUri"]), "AWS-API", 443, "integration", why("IntegrationUri"))
		case "AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api", "AWS::Serverless::Api", "AWS::Serverless::HttpApi":
			for _, uri := range findKey(props["Body"], "x-amazon-apigateway-integration", 0) {
				r.link(self, r.quiet(st, iac.Get1(uri, "uri")), "AWS-API", 443, "integration", why("x-amazon-apigateway-integration in the OpenAPI Body"))
			}
			for _, uri := range findKey(iac.Get1(props, "DefinitionBody"), "x-amazon-apigateway-integration", 0) {
				r.link(self, r.quiet(st, iac.Get1(uri, "uri")), "AWS-API", 443, "integration", why("x-amazon-apigateway-integration in the OpenAPI DefinitionBody"))
			}
		case "AWS::Events::Rule":
			r.link(self, r.quiet(st, iac.Get(props, "Targets", "*", "Arn")), "AWS-API", 443, "event", why("Targets"))
		case "AWS::S3::Bucket":
			for _, p := range [][]string{{"LambdaConfigurations", "*", "Function"}, {"QueueConfigurations", "*", "Queue"}, {"TopicConfigurations", "*", "Topic"}} {
				r.link(self, r.quiet(st, iac.Get(props, append([]string{"NotificationConfiguration"}, p...)...)), "AWS-API", 443, "notification", why("NotificationConfiguration "+p[0]))
			}
		case "AWS::ECS::Service":
			for _, lb := range iac.Get(props, "LoadBalancers", "*") {
				if lm, _ := lb.(map[string]any); lm["TargetGroupArn"] != nil {
					for _, tg := range r.refs(st, lm["TargetGroupArn"], at+" LoadBalancers TargetGroupArn") {
						r.g.Links = append(r.g.Links, iac.Link{From: "tg:" + tg, To: key, Port: iac.Num(lm["ContainerPort"]), Reason: why("LoadBalancers TargetGroupArn")})
					}
				} else if lm["LoadBalancerName"] != nil {
					r.link(r.refs(st, lm["LoadBalancerName"], at+" LoadBalancers LoadBalancerName"), self, "HTTP", iac.Num(lm["ContainerPort"]), "load balancer", why("LoadBalancers LoadBalancerName"))
				}
			}
		case "AWS::AutoScaling::AutoScalingGroup":
			for _, tg := range r.refs(st, iac.Get(props, "TargetGroupARNs", "*"), at+" TargetGroupARNs") {
				r.g.Links = append(r.g.Links, iac.Link{From: "tg:" + tg, To: key, Reason: why("TargetGroupARNs")})
			}
			r.link(r.refs(st, iac.Get(props, "LoadBalancerNames", "*"), at+" LoadBalancerNames"), self, "HTTP", 0, "load balancer", why("LoadBalancerNames"))
		case "AWS::CloudFront::Distribution":
			for i, o := range iac.Get(props, "DistributionConfig", "Origins", "*") {
				proto, port := "HTTPS", 443
				if iac.Str(iac.Get1(o, "CustomOriginConfig", "OriginProtocolPolicy")) == "http-only" {
					proto, port = "HTTP", orInt(iac.Num(iac.Get1(o, "CustomOriginConfig", "HTTPPort")), 80)
				}
				r.link(self, r.quiet(st, iac.Get1(o, "DomainName")), proto, port, "origin", why(fmt.Sprintf("DistributionConfig Origins %d DomainName", i)))
			}
		case "AWS::Lambda::Function", "AWS::Serverless::Function":
			r.function(st, key, lid, typ, props, at)
		}
	}
}

func orInt(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

// findKey returns the values of every map entry named name inside v.
func findKey(v any, name string, depth int) []any {
	if depth > 30 {
		return nil
	}
	var out []any
	switch x := v.(type) {
	case map[string]any:
		for _, k := range iac.SortedKeys(x) {
			if k == name {
				out = append(out, x[k])
				continue
			}
			out = append(out, findKey(x[k], name, depth+1)...)
		}
	case []any:
		for _, e := range x {
			out = append(out, findKey(e, name, depth+1)...)
		}
	}
	return out
}

// function draws the flows of a Lambda function: to the data resources its
// environment variables and its role's (or SAM Policies') statements name,
// and from the event sources SAM Events name.
func (r *cfnReader) function(st *cfnStack, key, lid, typ string, props map[string]any, at string) {
	self := []string{key}
	data := func(keys []string) []string {
		var out []string
		for _, k := range keys {
			if k != key && iac.DataTypes[r.typeOf(k)] {
				out = append(out, k)
			}
		}
		return out
	}
	vars, _ := iac.Get1(props, "Environment", "Variables").(map[string]any)
	for _, name := range iac.SortedKeys(vars) {
		r.link(self, data(r.quiet(st, vars[name])), "AWS-API", 443, "", fmt.Sprintf("%s %s (environment variable %s)", typ, lid, name))
	}
	// The role's inline policies and the policies attached to it.
	for _, role := range r.quiet(st, props["Role"]) {
		rr, ok := r.lookup(role)
		if !ok || rr.typ != "AWS::IAM::Role" {
			continue
		}
		for i, stmt := range iac.Get(rr.props, "Policies", "*", "PolicyDocument", "Statement", "*") {
			if iac.Str(iac.Get1(stmt, "Effect")) == "Allow" {
				r.link(self, data(r.quiet(rr.st, iac.Get1(stmt, "Resource"))), "AWS-API", 443, "", fmt.Sprintf("%s %s (role %s, inline policy statement %d)", typ, lid, rr.lid, i))
			}
		}
		for _, pk := range iac.SortedKeys(r.byKey) {
			p := r.byKey[pk]
			if p.typ != "AWS::IAM::Policy" && p.typ != "AWS::IAM::ManagedPolicy" {
				continue
			}
			if !slices.Contains(r.quiet(p.st, iac.Get1(p.props, "Roles")), role) {
				continue
			}
			for i, stmt := range iac.Get(p.props, "PolicyDocument", "Statement", "*") {
				if iac.Str(iac.Get1(stmt, "Effect")) == "Allow" {
					r.link(self, data(r.quiet(p.st, iac.Get1(stmt, "Resource"))), "AWS-API", 443, "", fmt.Sprintf("%s %s (role %s, policy %s statement %d)", typ, lid, rr.lid, p.lid, i))
				}
			}
		}
	}
	if typ != "AWS::Serverless::Function" {
		return
	}
	// SAM: policy templates and statements, and event sources.
	pol := props["Policies"]
	if _, isList := pol.([]any); !isList && pol != nil {
		pol = []any{pol}
	}
	for i, p := range iac.Get(pol, "*") {
		pm, _ := p.(map[string]any)
		for _, name := range iac.SortedKeys(pm) {
			if name == "Statement" {
				for j, stmt := range iac.Get(pm[name], "*") {
					r.link(self, data(r.quiet(st, iac.Get1(stmt, "Resource"))), "AWS-API", 443, "", fmt.Sprintf("%s %s (Policies %d statement %d)", typ, lid, i, j))
				}
				continue
			}
			if args, ok := pm[name].(map[string]any); ok {
				var targets []string
				for _, a := range iac.SortedKeys(args) {
					targets = append(targets, r.quiet(st, args[a])...)
				}
				r.link(self, data(targets), "AWS-API", 443, "", fmt.Sprintf("%s %s (policy template %s)", typ, lid, name))
			}
		}
	}
	events, _ := props["Events"].(map[string]any)
	for _, name := range iac.SortedKeys(events) {
		ev := events[name]
		ep := iac.Get1(ev, "Properties")
		why := fmt.Sprintf("%s %s (event %s of type %s)", typ, lid, name, iac.Str(iac.Get1(ev, "Type")))
		var from []string
		switch iac.Str(iac.Get1(ev, "Type")) {
		case "Api":
			from = r.quiet(st, iac.Get1(ep, "RestApiId"))
			if iac.Get1(ep, "RestApiId") == nil {
				from = []string{r.implicitAPI(st, "ServerlessRestApi", "AWS::ApiGateway::RestApi")}
			}
		case "HttpApi":
			from = r.quiet(st, iac.Get1(ep, "ApiId"))
			if iac.Get1(ep, "ApiId") == nil {
				from = []string{r.implicitAPI(st, "ServerlessHttpApi", "AWS::ApiGatewayV2::Api")}
			}
		case "S3":
			from = r.quiet(st, iac.Get1(ep, "Bucket"))
		case "SQS", "Kinesis", "DynamoDB", "MSK", "MQ", "DocumentDB":
			from = r.quiet(st, orAny(iac.Get1(ep, "Queue"), iac.Get1(ep, "Stream"), iac.Get1(ep, "Broker"), iac.Get1(ep, "Cluster")))
		case "SNS":
			from = r.quiet(st, iac.Get1(ep, "Topic"))
		case "EventBridgeRule", "CloudWatchEvent":
			from = r.quiet(st, iac.Get1(ep, "EventBusName"))
		}
		r.link(from, self, "AWS-API", 443, "event source", why)
	}
}

func orAny(vals ...any) any {
	for _, v := range vals {
		if v != nil {
			return v
		}
	}
	return nil
}

// implicitAPI adds (once per stack) the API that AWS SAM creates for
// functions whose Api or HttpApi events name none.
func (r *cfnReader) implicitAPI(st *cfnStack, name, typ string) string {
	key := st.prefix + name
	if _, ok := r.byKey[key]; ok {
		return key
	}
	r.byKey[key] = cfnRes{st: st, lid: name, typ: typ}
	r.g.Resources = append(r.g.Resources, &iac.Resource{Key: key, Name: name, AWSType: typ, Group: st.group})
	r.w.Add("%s: AWS SAM creates the API %s for functions whose events name no API; it is drawn as a component", st.t.file, name)
	return key
}

// targetGroups turns the links into and out of every target group into
// load balancer → target flows.
func (r *cfnReader) targetGroups() {
	for _, tg := range r.tgs {
		var in []iac.Link
		for _, l := range r.g.Links {
			if l.To == "tg:"+tg.key {
				in = append(in, l)
			}
		}
		n := len(r.g.Links)
		for i := range n {
			l := r.g.Links[i]
			if l.From != "tg:"+tg.key {
				continue
			}
			p := tg.port
			if l.Port != 0 {
				p = l.Port
			}
			for _, lb := range in {
				r.g.Links = append(r.g.Links, iac.Link{From: lb.From, To: l.To, Protocol: tg.proto, Port: p, Label: "target group " + tg.name,
					Reason: lb.Reason + " → target group " + tg.name + " → " + l.Reason})
			}
		}
	}
}

func (r *cfnReader) ingress(st *cfnStack, sg string, rule map[string]any, at, reason string) {
	if sg == "" || rule == nil {
		return
	}
	in := iac.Ingress{SG: sg, IPProtocol: iac.Str(rule["IpProtocol"]), Port: iac.Num(rule["FromPort"]), Reason: reason}
	if in.Port < 0 {
		in.Port = 0
	}
	switch {
	case rule["SourceSecurityGroupId"] != nil:
		in.FromSG = r.ref(st, rule["SourceSecurityGroupId"], at+" SourceSecurityGroupId")
		if in.FromSG == "" {
			return
		}
	case iac.Str(rule["CidrIp"]) != "":
		in.CIDR = iac.Str(rule["CidrIp"])
	case iac.Str(rule["CidrIpv6"]) != "":
		in.CIDR = iac.Str(rule["CidrIpv6"])
	default:
		r.w.Add("%s: an ingress rule without a source security group or CIDR; not drawn", at)
		return
	}
	r.g.Ingress = append(r.g.Ingress, in)
}

// internal reports whether the load balancer with key is internal.
func (r *cfnReader) internal(key string) bool {
	res, ok := r.lookup(key)
	return ok && iac.Str(res.props["Scheme"]) == "internal"
}

// listener links a load balancer to the target groups it forwards to, and
// the internet to an internet-facing load balancer.
func (r *cfnReader) listener(st *cfnStack, lid string, props map[string]any, at string) {
	port := iac.Num(props["Port"])
	proto := iac.ListenerProtocol(iac.Str(props["Protocol"]), port)
	why := func(what string) string {
		return fmt.Sprintf("AWS::ElasticLoadBalancingV2::Listener %s (%s)", lid, what)
	}
	for _, lb := range r.refs(st, props["LoadBalancerArn"], at+" LoadBalancerArn") {
		if !r.internal(lb) {
			r.g.Links = append(r.g.Links, iac.Link{From: iac.InternetKey, To: lb, Protocol: proto, Port: port, Label: "listener", Reason: why("the load balancer's Scheme is not internal")})
		}
		for _, tg := range r.quiet(st, append(iac.Get(props, "DefaultActions", "*", "TargetGroupArn"), iac.Get(props, "DefaultActions", "*", "ForwardConfig", "TargetGroups", "*", "TargetGroupArn")...)) {
			r.g.Links = append(r.g.Links, iac.Link{From: lb, To: "tg:" + tg, Reason: why("DefaultActions")})
		}
	}
}

func (r *cfnReader) listenerRule(st *cfnStack, lid string, props map[string]any, at string) {
	for _, lk := range r.refs(st, props["ListenerArn"], at+" ListenerArn") {
		l, ok := r.lookup(lk)
		if !ok {
			continue
		}
		for _, lb := range r.quiet(l.st, l.props["LoadBalancerArn"]) {
			for _, tg := range r.quiet(st, append(iac.Get(props, "Actions", "*", "TargetGroupArn"), iac.Get(props, "Actions", "*", "ForwardConfig", "TargetGroups", "*", "TargetGroupArn")...)) {
				r.g.Links = append(r.g.Links, iac.Link{From: lb, To: "tg:" + tg, Reason: fmt.Sprintf("AWS::ElasticLoadBalancingV2::ListenerRule %s (Actions)", lid)})
			}
		}
	}
}
