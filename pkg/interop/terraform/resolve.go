package terraform

import (
	"fmt"
	"slices"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/interop/internal/iac"
)

// resolve returns the keys of the managed resources that the reference ref,
// made in module instance module, names, or why it names none.
func (r *tfReader) resolve(ref, module string, depth int) (keys []string, why string) {
	steps := tfSplit(ref)
	if len(steps) == 0 || depth > 20 {
		return nil, ""
	}
	switch steps[0].name {
	case "count", "each", "path", "terraform", "self":
		return nil, ""
	case "local":
		return nil, tfJoin(steps[:min(2, len(steps))]) + " is a local value, which the plan does not record"
	case "data":
		return nil, tfJoin(steps[:min(3, len(steps))]) + " is a data source (infrastructure outside this plan)"
	case "var":
		if len(steps) < 2 {
			return nil, ""
		}
		return r.resolveVar(steps[1].name, module, depth)
	case "module":
		if len(steps) < 3 {
			return nil, ""
		}
		return r.resolveOutput(steps[1], steps[2].name, module, depth)
	}
	if len(steps) < 2 {
		return nil, ""
	}
	base := steps[0].name + "." + steps[1].name
	inst := r.byName[module+"|"+base]
	if len(inst) == 0 {
		return nil, base + " is not a resource of the plan"
	}
	for _, res := range inst {
		if steps[1].indexed {
			k := strings.TrimPrefix(res.local, base)
			if !strings.HasPrefix(k, "[") || !sameKey(strings.TrimSuffix(strings.TrimPrefix(k, "["), "]"), steps[1].key) {
				continue
			}
		}
		keys = append(keys, res.key)
	}
	if len(keys) == 0 {
		return nil, steps[1].String() + " is not an instance of " + base + " in the plan"
	}
	return keys, ""
}

// resolveVar follows an input variable of module to the expression its
// caller passes.
func (r *tfReader) resolveVar(name, module string, depth int) ([]string, string) {
	if module == "" {
		return nil, "var." + name + " is an input variable of the root module"
	}
	steps := tfSplit(module)
	if len(steps) < 2 {
		return nil, fmt.Sprintf("%q is not a module address", module)
	}
	parent := tfJoin(steps[:len(steps)-2])
	call := steps[len(steps)-1].name
	pc := r.cfg[tfConfigPath(parent)]
	if pc == nil {
		return nil, "the configuration of " + module + " is not in the plan"
	}
	expr, _ := pc.ModuleCalls[call].Expressions[name].(map[string]any)
	if expr == nil {
		return nil, fmt.Sprintf("var.%s of %s is not set by its caller", name, module)
	}
	return r.resolveExpr(expr, parent, depth+1)
}

// resolveOutput follows an output of a child module of module.
func (r *tfReader) resolveOutput(call tfStep, output, module string, depth int) ([]string, string) {
	prefix := "module." + call.name
	if module != "" {
		prefix = module + "." + prefix
	}
	var instances []string
	for _, m := range iac.SortedKeys(r.modules) {
		if m == prefix {
			instances = append(instances, m)
			continue
		}
		if rest, ok := strings.CutPrefix(m, prefix+"["); ok && len(tfSplit(m)) == len(tfSplit(prefix)) {
			if !call.indexed || sameKey(strings.TrimSuffix(rest, "]"), call.key) {
				instances = append(instances, m)
			}
		}
	}
	cm := r.cfg[tfConfigPath(prefix)]
	if cm == nil || len(instances) == 0 {
		return nil, fmt.Sprintf("module.%s has no resources in the plan", call.name)
	}
	out, ok := cm.Outputs[output]
	if !ok {
		return nil, fmt.Sprintf("module.%s has no output %s", call.name, output)
	}
	var keys []string
	var whys []string
	for _, inst := range instances {
		k, why := r.resolveExpr(out.Expression, inst, depth+1)
		keys = append(keys, k...)
		if why != "" {
			whys = append(whys, why)
		}
	}
	return keys, strings.Join(whys, "; ")
}

// resolveExpr resolves the references of one expression made in module.
// Terraform lists a reference once per traversal step (aws_x.y[0].id,
// aws_x.y[0], aws_x.y); the longest one of each resource counts.
func (r *tfReader) resolveExpr(expr map[string]any, module string, depth int) ([]string, string) {
	refs, _ := expr["references"].([]any)
	var keys, whys []string
	seen := map[string]bool{}
	indexed := map[string]bool{} // resource bases referenced with an instance key
	base := func(ref string) (string, bool) {
		steps := tfSplit(ref)
		if len(steps) < 2 || tfRefRoots[steps[0].name] {
			return "", false
		}
		return steps[0].name + "." + steps[1].name, steps[1].indexed
	}
	for _, x := range refs {
		ref, _ := x.(string)
		if b, ok := base(ref); ok {
			indexed[b] = true
		}
	}
	for _, x := range refs {
		ref, _ := x.(string)
		if b, ok := base(ref); b != "" && !ok && indexed[b] {
			continue
		}
		ks, why := r.resolve(ref, module, depth)
		for _, k := range ks {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
		if why != "" && !slices.Contains(whys, why) {
			whys = append(whys, why)
		}
	}
	return keys, strings.Join(whys, "; ")
}

// at names an argument of a resource in messages.
func (r *tfReader) at(res *tfRes, p []string) string {
	var parts []string
	for _, s := range p {
		if s != "*" {
			parts = append(parts, s)
		}
	}
	return fmt.Sprintf("%s: %s %s", r.file, res.addr, strings.Join(parts, "."))
}

// present reports whether the argument at p is set, in the values, the
// configuration, or as an unknown value.
func (r *tfReader) present(res *tfRes, p []string) bool {
	return len(iac.Get(res.values, p...)) > 0 || len(iac.Get(res.exprs, p...)) > 0 || unknownAt(res.unknown, p)
}

// unknownAt reports whether after_unknown marks the value at p (or one of
// its enclosing values, or any element of it) unknown.
func unknownAt(u any, p []string) bool {
	switch x := u.(type) {
	case bool:
		return x
	case map[string]any:
		if len(p) > 0 && p[0] == "*" {
			p = p[1:]
		}
		if len(p) == 0 {
			for _, v := range x {
				if unknownAt(v, nil) {
					return true
				}
			}
			return false
		}
		return unknownAt(x[p[0]], p[1:])
	case []any:
		if len(p) > 0 && p[0] == "*" {
			p = p[1:]
		}
		for _, v := range x {
			if unknownAt(v, p) {
				return true
			}
		}
	}
	return false
}

// tfStrings returns the strings of values that may be strings or lists that may be one string or a list.
func tfStrings(vals []any) []string {
	var out []string
	for _, v := range vals {
		switch x := v.(type) {
		case string:
			if x != "" {
				out = append(out, x)
			}
		case []any:
			out = append(out, tfStrings(x)...)
		}
	}
	return out
}

// refsAt returns the resources the argument at p of res points at: from
// the references of its configuration expression, else from its known
// value. It warns when the argument is set and nothing resolves.
func (r *tfReader) refsAt(res *tfRes, p ...string) []string {
	if !r.present(res, p) {
		return nil
	}
	return r.refsOf(res, iac.Get(res.values, p...), iac.Get(res.exprs, p...), unknownAt(res.unknown, p), r.at(res, p))
}

// quietAt is refsAt without warnings, for arguments that may name
// something outside the plan (an event target, an endpoint, a URI).
func (r *tfReader) quietAt(res *tfRes, p ...string) []string {
	var keys []string
	for _, e := range iac.Get(res.exprs, p...) {
		em, _ := e.(map[string]any)
		ks, _ := r.resolveExpr(em, res.module, 0)
		keys = append(keys, ks...)
	}
	if len(keys) == 0 {
		for _, s := range tfStrings(mapValues(iac.Get(res.values, p...))) {
			if k := r.byValue[s]; k != "" {
				keys = append(keys, k)
			}
		}
	}
	return iac.Dedupe(keys)
}

// refsOf resolves expressions (configuration) or else values, for the
// argument named at.
func (r *tfReader) refsOf(res *tfRes, values, exprs []any, unknown bool, at string) []string {
	var keys, whys []string
	for _, e := range exprs {
		em, _ := e.(map[string]any)
		ks, why := r.resolveExpr(em, res.module, 0)
		// x[count.index] in the configuration: instance i of res points at
		// element i of what x names.
		if i, isNum := res.index.(float64); isNum && len(ks) > 1 && slices.Contains(tfStrings(iac.Get(em, "references")), "count.index") {
			ks = ks[int(i)%len(ks) : int(i)%len(ks)+1]
		}
		keys = append(keys, ks...)
		if why != "" {
			whys = append(whys, why)
		}
	}
	if len(keys) > 0 {
		return iac.Dedupe(keys)
	}
	var literal []string
	for _, s := range tfStrings(values) {
		if k := r.byValue[s]; k != "" {
			keys = append(keys, k)
		} else {
			literal = append(literal, s)
		}
	}
	if len(keys) > 0 {
		return iac.Dedupe(keys)
	}
	switch {
	case len(whys) > 0 && unknown:
		r.w.Add("%s: unknown until apply, and %s; not resolved", at, strings.Join(whys, "; "))
	case len(whys) > 0:
		r.w.Add("%s: %s; not resolved", at, strings.Join(whys, "; "))
	case unknown && len(exprs) > 0:
		// an argument the configuration sets; an unknown value the
		// configuration does not set is computed by the provider
		r.w.Add("%s: unknown until apply, and the configuration names no resource; not resolved", at)
	case len(literal) > 0:
		r.w.Add("%s: %q is not the id, ARN or name of a resource in the plan; not resolved", at, literal[0])
	}
	return nil
}

// attr returns the known value of a scalar argument, from the planned
// values or else the configuration's constant.
func attr(res *tfRes, name string) any {
	if v, ok := res.values[name]; ok && v != nil {
		return v
	}
	if e, ok := res.exprs[name].(map[string]any); ok {
		return e["constant_value"]
	}
	return nil
}

// blockAttr is attr for an element of a nested block: value first, then
// the element's expressions.
func blockAttr(val, expr map[string]any, name string) any {
	if v, ok := val[name]; ok && v != nil {
		return v
	}
	if e, ok := expr[name].(map[string]any); ok {
		return e["constant_value"]
	}
	return nil
}

func boolOf(v any) bool { b, _ := v.(bool); return b }
