package catalog

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"gopkg.in/yaml.v3"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// SchemaPath is the path of the rules file JSON Schema inside the rules FS.
const SchemaPath = "schema/rules.schema.json"

// file is the Go form of one rules file.
type file struct {
	ComponentTypes []*ComponentType `yaml:"componentTypes"`
	Threats        []*Threat        `yaml:"threats"`
	Requirements   []*Requirement   `yaml:"requirements"`
	Assist         []*AssistRule    `yaml:"assist"`
	Protocols      []*Protocol      `yaml:"protocols"`
}

// Load reads every *.yaml file in fsys (at any depth, in path order),
// validates each against the schema at SchemaPath, loads the catalogs and
// the icon list, and checks references across files. It reports every
// problem it finds (up to 50) in one errs.Invalid error.
func Load(fsys fs.FS) (*Catalog, error) {
	schema, err := compileSchema(fsys)
	if err != nil {
		return nil, err
	}
	var names []string
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && path.Ext(p) == ".yaml" {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list rules files: %w", err)
	}
	sort.Strings(names)
	if len(names) == 0 {
		return nil, errs.E(errs.Invalid, "no rules files (*.yaml) found")
	}
	c := &Catalog{}
	var p problems
	for _, name := range names {
		f, err := readFile(fsys, name, schema)
		if err != nil {
			p.addErr(err)
			continue
		}
		for _, t := range f.ComponentTypes {
			t.File = name
		}
		for _, t := range f.Threats {
			t.File = name
		}
		for _, r := range f.Requirements {
			r.File = name
		}
		for _, r := range f.Assist {
			r.File = name
		}
		for _, pr := range f.Protocols {
			pr.File = name
		}
		c.Types = append(c.Types, f.ComponentTypes...)
		c.Threats = append(c.Threats, f.Threats...)
		c.Requirements = append(c.Requirements, f.Requirements...)
		c.Assist = append(c.Assist, f.Assist...)
		c.Protocols = append(c.Protocols, f.Protocols...)
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	c.Controls, err = LoadControls(fsys)
	if err != nil {
		return nil, errs.E(errs.Invalid, "load catalogs: %w", err)
	}
	icons, err := loadIcons(fsys)
	if err != nil {
		return nil, errs.E(errs.Invalid, "load icon list: %w", err)
	}
	c.index(&p, icons)
	if err := p.err(); err != nil {
		return nil, err
	}
	return c, nil
}

func compileSchema(fsys fs.FS) (*jsonschema.Schema, error) {
	raw, err := fs.ReadFile(fsys, SchemaPath)
	if err != nil {
		return nil, fmt.Errorf("read rules schema: %w", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("parse rules schema: %w", err)
	}
	comp := jsonschema.NewCompiler()
	if err := comp.AddResource(SchemaPath, doc); err != nil {
		return nil, fmt.Errorf("add rules schema: %w", err)
	}
	s, err := comp.Compile(SchemaPath)
	if err != nil {
		return nil, fmt.Errorf("compile rules schema: %w", err)
	}
	return s, nil
}

// readFile validates one YAML file against the schema and decodes it
// strictly.
func readFile(fsys fs.FS, name string, schema *jsonschema.Schema) (*file, error) {
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var generic any
	if err := yaml.Unmarshal(raw, &generic); err != nil {
		return nil, errs.E(errs.Invalid, "%s: %w", name, err)
	}
	if generic == nil {
		generic = map[string]any{}
	}
	js, err := json.Marshal(generic)
	if err != nil {
		return nil, errs.E(errs.Invalid, "%s: not representable as JSON (keys must be strings): %w", name, err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		return nil, errs.E(errs.Invalid, "%s: %w", name, err)
	}
	if err := schema.Validate(inst); err != nil {
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			return nil, errs.E(errs.Invalid, "%s does not match %s: %s", name, SchemaPath, schemaMessage(ve))
		}
		return nil, errs.E(errs.Invalid, "%s: %w", name, err)
	}
	var f file
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) { // io.EOF: an empty file
		return nil, errs.E(errs.Invalid, "%s: %w", name, err)
	}
	return &f, nil
}

var printer = message.NewPrinter(language.English)

// schemaMessage flattens a validation error to its leaf causes, each with
// the JSON Pointer of the offending value.
func schemaMessage(ve *jsonschema.ValidationError) string {
	var out []string
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			out = append(out, "/"+strings.Join(e.InstanceLocation, "/")+": "+e.ErrorKind.LocalizedString(printer))
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	if len(out) > 5 {
		out = append(out[:5], fmt.Sprintf("and %d more", len(out)-5))
	}
	return strings.Join(out, "; ")
}

func loadIcons(fsys fs.FS) (map[string]bool, error) {
	raw, err := fs.ReadFile(fsys, "icons.txt")
	if err != nil {
		return nil, err
	}
	icons := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l != "" && !strings.HasPrefix(l, "#") {
			icons[l] = true
		}
	}
	return icons, sc.Err()
}

// problems collects load failures.
type problems []errs.Problem

const maxProblems = 50

func (p *problems) add(field, format string, args ...any) {
	if len(*p) < maxProblems {
		*p = append(*p, errs.Problem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
}

func (p *problems) addErr(err error) {
	if len(*p) < maxProblems {
		*p = append(*p, errs.Problem{Message: err.Error()})
	}
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	msgs := make([]string, len(p))
	for i, q := range p {
		msgs[i] = q.Message
		if q.Field != "" {
			msgs[i] = q.Field + ": " + q.Message
		}
	}
	return &errs.Error{Kind: errs.Invalid, Message: "rules: " + strings.Join(msgs, "\n  "), Problems: slices.Clone(p)}
}
