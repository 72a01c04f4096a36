package terraform

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/iac"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// tfPlan is the part of a plan representation the importer reads. The
// state fields (values, version, lineage, serial) only serve to recognize
// a state given instead of a plan.
type tfPlan struct {
	FormatVersion    string `json:"format_version"`
	TerraformVersion string `json:"terraform_version"`
	PlannedValues    *struct {
		RootModule *tfModule `json:"root_module"`
	} `json:"planned_values"`
	ResourceChanges []tfChange `json:"resource_changes"`
	Configuration   *struct {
		RootModule *tfConfigModule `json:"root_module"`
	} `json:"configuration"`

	Values  json.RawMessage `json:"values"`
	Version json.RawMessage `json:"version"`
	Lineage json.RawMessage `json:"lineage"`
}

// tfModule is a module instance of planned_values.
type tfModule struct {
	Address      string       `json:"address"`
	Resources    []tfResource `json:"resources"`
	ChildModules []tfModule   `json:"child_modules"`
}

// tfResource is a resource instance of planned_values. Values lacks the
// attributes that are unknown until apply.
type tfResource struct {
	Address string         `json:"address"`
	Mode    string         `json:"mode"`
	Type    string         `json:"type"`
	Name    string         `json:"name"`
	Index   any            `json:"index"`
	Values  map[string]any `json:"values"`
}

// tfChange is one entry of resource_changes.
type tfChange struct {
	Address       string `json:"address"`
	ModuleAddress string `json:"module_address"`
	Mode          string `json:"mode"`
	Type          string `json:"type"`
	Name          string `json:"name"`
	Index         any    `json:"index"`
	Change        struct {
		Actions      []string `json:"actions"`
		After        any      `json:"after"`
		AfterUnknown any      `json:"after_unknown"`
	} `json:"change"`
}

// tfConfigModule is a module of the configuration: its resources' argument
// expressions, the modules it calls and its outputs.
type tfConfigModule struct {
	Resources   []tfConfigResource      `json:"resources"`
	ModuleCalls map[string]tfModuleCall `json:"module_calls"`
	Outputs     map[string]struct {
		Expression map[string]any `json:"expression"`
	} `json:"outputs"`
}

// tfConfigResource is a resource block; its address is relative to its
// module.
type tfConfigResource struct {
	Address     string         `json:"address"`
	Mode        string         `json:"mode"`
	Type        string         `json:"type"`
	Name        string         `json:"name"`
	Expressions map[string]any `json:"expressions"`
}

// tfModuleCall is a module block: the expressions of the arguments it
// passes (the child's input variables) and the child's configuration.
type tfModuleCall struct {
	Source      string          `json:"source"`
	Expressions map[string]any  `json:"expressions"`
	Module      *tfConfigModule `json:"module"`
}

// parseTerraformPlan decodes f and checks that it is a plan in a format
// version this importer reads.
func parseTerraformPlan(f convert.File) (*tfPlan, error) {
	data := bytes.TrimSpace(f.Data)
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return nil, errs.E(errs.Invalid, "%s is a binary Terraform plan file; convert it with terraform show -json %s", f.Name, f.Name)
	}
	var doc any
	if err := convert.DecodeJSON(f.Name, f.Data, &doc); err != nil {
		return nil, err
	}
	if _, ok := doc.(map[string]any); !ok {
		return nil, errs.E(errs.Invalid, "%s is not a Terraform plan: the document is not a JSON object", f.Name)
	}
	var p tfPlan
	if err := convert.DecodeJSON(f.Name, f.Data, &p); err != nil {
		return nil, err
	}
	isPlan := p.PlannedValues != nil || p.ResourceChanges != nil
	switch {
	case !isPlan && p.FormatVersion == "" && (p.Lineage != nil || p.Version != nil):
		return nil, errs.E(errs.Invalid, "%s is a Terraform state file, not a plan; import the output of terraform plan -out=PLANFILE && terraform show -json PLANFILE", f.Name)
	case !isPlan && p.FormatVersion != "" && p.Values != nil:
		return nil, errs.Field("/values", "%s is the JSON form of a Terraform state (it has values, not planned_values), not of a plan; run terraform show -json on a plan file", f.Name)
	case !isPlan:
		return nil, errs.Field("/planned_values", "%s is not a Terraform plan: it has neither planned_values nor resource_changes (want the output of terraform show -json PLANFILE)", f.Name)
	case p.FormatVersion == "":
		return nil, errs.Field("/format_version", "%s is not a Terraform plan: it has no format_version", f.Name)
	}
	if !tfSupportedVersion(p.FormatVersion) {
		return nil, errs.Field("/format_version", "%s: plan JSON format version %q is not supported; this importer reads format versions 0.1 to 1.x", f.Name, p.FormatVersion)
	}
	return &p, nil
}

// tfSupportedVersion reports whether v is 0.1, 0.2 or 1.x.
func tfSupportedVersion(v string) bool {
	major, minor, ok := strings.Cut(v, ".")
	if !ok {
		return false
	}
	mi, err := strconv.Atoi(minor)
	if err != nil || mi < 0 {
		return false
	}
	switch major {
	case "0":
		return mi == 1 || mi == 2
	case "1":
		return true
	}
	return false
}

// indexConfig records the configuration modules by path.
func (r *tfReader) indexConfig(p string, m *tfConfigModule, depth int) {
	if m == nil || depth > model.MaxNesting+10 {
		return
	}
	r.cfg[p] = m
	for _, name := range iac.SortedKeys(m.ModuleCalls) {
		child := "module." + name
		if p != "" {
			child = p + "." + child
		}
		r.indexConfig(child, m.ModuleCalls[name].Module, depth+1)
	}
}

// configOf returns the expressions of the resource type.name in the module
// instance module.
func (r *tfReader) configOf(module, mode, typ, name string) map[string]any {
	m := r.cfg[tfConfigPath(module)]
	if m == nil {
		return nil
	}
	for _, c := range m.Resources {
		if c.Type == typ && c.Name == name && (c.Mode == mode || c.Mode == "") {
			return c.Expressions
		}
	}
	return nil
}

// collect gathers the managed resource instances: planned_values first,
// then resource_changes for what planned_values lacks.
func (r *tfReader) collect(p *tfPlan) {
	changes := map[string]*tfChange{}
	for i := range p.ResourceChanges {
		changes[p.ResourceChanges[i].Address] = &p.ResourceChanges[i]
	}
	seen := map[string]bool{}
	add := func(addr, module, mode, typ, name string, index any, values map[string]any) {
		if strings.TrimSpace(addr) == "" || typ == "" {
			r.w.Add("%s: a resource without an address or a type; not imported", r.file)
			return
		}
		if seen[addr] {
			return
		}
		seen[addr] = true
		if mode == "data" {
			r.data++
			return
		}
		for _, pre := range tfUtilityPrefixes {
			if strings.HasPrefix(typ, pre) {
				r.utility[typ]++
				return
			}
		}
		res := &tfRes{addr: addr, key: tfGraphKey(addr), index: index, module: module, typ: typ, values: values, exprs: r.configOf(module, "managed", typ, name)}
		if r.byKey[res.key] != nil {
			res.key = addr // two addresses with the same graph key: keep the address
		}
		res.local = strings.TrimPrefix(strings.TrimPrefix(addr, module), ".")
		if ch := changes[addr]; ch != nil {
			res.unknown = ch.Change.AfterUnknown
		}
		r.res = append(r.res, res)
		r.byKey[res.key] = res
		base := typ + "." + name
		r.byName[module+"|"+base] = append(r.byName[module+"|"+base], res)
		r.addModule(module)
	}
	var walk func(m *tfModule, depth int)
	walk = func(m *tfModule, depth int) {
		if m == nil || depth > model.MaxNesting+10 {
			return
		}
		for _, res := range m.Resources {
			add(res.Address, m.Address, res.Mode, res.Type, res.Name, res.Index, res.Values)
		}
		for i := range m.ChildModules {
			walk(&m.ChildModules[i], depth+1)
		}
	}
	if p.PlannedValues != nil {
		walk(p.PlannedValues.RootModule, 0)
	}
	for i := range p.ResourceChanges {
		ch := &p.ResourceChanges[i]
		if seen[ch.Address] {
			continue
		}
		if actions := strings.Join(ch.Change.Actions, ","); (actions == "delete" || actions == "forget") && ch.Mode != "data" {
			seen[ch.Address] = true
			r.deleted++
			continue
		}
		module := ch.ModuleAddress
		if module == "" {
			module = tfModuleOf(ch.Address)
		}
		after, _ := ch.Change.After.(map[string]any)
		add(ch.Address, module, ch.Mode, ch.Type, ch.Name, ch.Index, after)
	}
	for _, res := range r.res {
		for _, a := range tfIDAttrs {
			r.indexValue(res.values[a], res.key)
		}
		if tfNamed[res.typ] {
			r.indexValue(res.values["name"], res.key)
		}
	}
}

func (r *tfReader) indexValue(v any, key string) {
	if s, ok := v.(string); ok && s != "" && r.byValue[s] == "" {
		r.byValue[s] = key
	}
}

// addModule notes a module instance and its ancestors, and makes each a
// group.
func (r *tfReader) addModule(module string) {
	if module == "" || r.modules[module] {
		return
	}
	steps := tfSplit(module)
	parent := ""
	if len(steps) >= 2 {
		parent = tfJoin(steps[:len(steps)-2])
	}
	r.addModule(parent)
	r.modules[module] = true
	r.g.Groups = append(r.g.Groups, iac.Group{Key: tfModuleKey(module), Name: tfJoin(steps[max(len(steps)-2, 0):]), Parent: tfModuleKey(parent)})
}
