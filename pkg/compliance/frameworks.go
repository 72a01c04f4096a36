package compliance

import (
	"encoding/csv"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"sync"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/rules"
)

// Framework is a compliance framework whose requirements the catalog's
// Security Hub controls map to: a CIS AWS Foundations Benchmark version, AWS
// Foundational Security Best Practices, NIST SP 800-53 or PCI DSS.
type Framework struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Mapped is false when the catalog has no mapping data for the
	// framework (its column is absent or empty); Note then says so.
	Mapped bool   `json:"mapped"`
	Note   string `json:"note,omitempty"`
	// Refs maps a Security Hub control id to the framework's references
	// it checks (CIS items, NIST controls, PCI requirements).
	Refs map[string][]string `json:"-"`
}

// RefsOf returns the framework references that the checks cover, sorted.
func (f *Framework) RefsOf(c *Checks) []string {
	var out []string
	for _, id := range c.SecurityHub {
		out = append(out, f.Refs[id]...)
	}
	if version, ok := strings.CutPrefix(f.ID, "cis-"); ok {
		for _, key := range c.CIS {
			if item, ok := strings.CutPrefix(key, version+"/"); ok {
				out = append(out, item)
			}
		}
		slices.SortFunc(out, compareDotted)
	} else {
		slices.Sort(out)
	}
	return slices.Compact(out)
}

// frameworkColumns are the per-framework columns of
// catalogs/securityhub-controls.csv.
var frameworkColumns = []struct{ id, name, column string }{
	{"nist-800-53", "NIST SP 800-53 Rev. 5", "nist_800_53"},
	{"pci-dss", "PCI DSS v3.2.1", "pci"},
}

// Frameworks returns the frameworks the catalog maps to, in display order:
// every CIS AWS Foundations Benchmark version of ctl, AWS Foundational
// Security Best Practices (the Security Hub control ids themselves: the
// catalog holds the consolidated controls), then the framework columns of
// fsys's catalogs/securityhub-controls.csv. A framework whose column is
// missing or empty is listed with Mapped false.
func Frameworks(fsys fs.FS, ctl *catalog.Controls) ([]Framework, error) {
	var out []Framework
	for _, v := range CISVersions(ctl) {
		f := Framework{ID: "cis-" + v, Name: "CIS AWS Foundations Benchmark v" + v, Refs: map[string][]string{}}
		for _, it := range ctl.CIS {
			if it.Version != v {
				continue
			}
			for _, c := range it.SecurityHub {
				f.Refs[c] = append(f.Refs[c], it.ID)
			}
		}
		f.Mapped = len(f.Refs) > 0
		if !f.Mapped {
			f.Note = "the catalog maps no Security Hub control to this version's items; the CIS report still evaluates them from findings that name them (Compliance.RelatedRequirements)"
		}
		out = append(out, f)
	}
	fsbp := Framework{ID: "aws-fsbp", Name: "AWS Foundational Security Best Practices", Mapped: len(ctl.SecurityHub) > 0, Refs: map[string][]string{}}
	for id := range ctl.SecurityHub {
		fsbp.Refs[id] = []string{id}
	}
	out = append(out, fsbp)

	file, err := fsys.Open("catalogs/securityhub-controls.csv")
	if err != nil {
		return nil, fmt.Errorf("framework mappings: %w", err)
	}
	defer file.Close()
	r := csv.NewReader(file)
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("framework mappings: read header: %w", err)
	}
	cols := map[string]int{}
	for i, h := range header {
		cols[h] = i
	}
	start := len(out)
	for _, fc := range frameworkColumns {
		out = append(out, Framework{ID: fc.id, Name: fc.name, Refs: map[string][]string{}})
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("framework mappings: %w", err)
		}
		for i, fc := range frameworkColumns {
			col, ok := cols[fc.column]
			if !ok || col >= len(rec) || rec[cols["control_id"]] == "" {
				continue
			}
			for _, ref := range strings.Split(rec[col], ";") {
				if ref = strings.TrimSpace(ref); ref != "" {
					f := &out[start+i]
					f.Refs[rec[cols["control_id"]]] = append(f.Refs[rec[cols["control_id"]]], ref)
				}
			}
		}
	}
	for i, fc := range frameworkColumns {
		f := &out[start+i]
		f.Mapped = len(f.Refs) > 0
		if _, ok := cols[fc.column]; !ok {
			f.Note = "no mapping data: the control catalog has no " + fc.column + " column"
		} else if !f.Mapped {
			f.Note = "no mapping data: the control catalog's " + fc.column + " column is empty"
		}
	}
	return out, nil
}

var defaultFrameworks = sync.OnceValues(func() ([]Framework, error) {
	cat, err := catalog.Default()
	if err != nil {
		return nil, err
	}
	return Frameworks(rules.FS, cat.Controls)
})

// DefaultFrameworks returns Frameworks of the embedded rules.
func DefaultFrameworks() ([]Framework, error) { return defaultFrameworks() }
