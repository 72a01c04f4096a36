package template

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/bulwark-tm/bulwark/rules"
)

var builtIns = sync.OnceValues(func() ([]*Template, error) { return LoadBuiltIns(rules.FS) })

// BuiltIns returns the templates shipped in rules/templates, loaded once.
func BuiltIns() ([]*Template, error) { return builtIns() }

// LoadBuiltIns reads templates/*.json of fsys: each must decode and
// validate; they are approved, read-only and at version 1.
func LoadBuiltIns(fsys fs.FS) ([]*Template, error) {
	names, err := fs.Glob(fsys, "templates/*.json")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	var out []*Template
	seen := map[string]bool{}
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		t, err := Decode(b)
		if err != nil {
			return nil, fmt.Errorf("built-in template %s: %w", n, err)
		}
		t.ID = "builtin-" + strings.TrimSuffix(path.Base(n), ".json")
		t.BuiltIn, t.State, t.Version = true, Approved, 1
		if err := t.Validate(); err != nil {
			return nil, fmt.Errorf("built-in template %s: %w", n, err)
		}
		if seen[t.ID] {
			return nil, fmt.Errorf("built-in template %s: duplicate id %s", n, t.ID)
		}
		seen[t.ID] = true
		out = append(out, t)
	}
	return out, nil
}
