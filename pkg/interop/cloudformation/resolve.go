package cloudformation

import (
	"fmt"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/interop/internal/iac"
)

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
