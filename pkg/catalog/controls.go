package catalog

import (
	"encoding/csv"
	"fmt"
	"io"
	"io/fs"
	"strings"
)

// Controls holds the security catalogs that requirement evidence refers to,
// read from rules/catalogs (see its README for sources and licenses).
type Controls struct {
	SecurityHub map[string]*SecurityHubControl // by control id, e.g. "EC2.8"
	ConfigRules map[string]*ConfigRule         // by rule name, e.g. "ec2-imdsv2-check"
	CIS         map[string]*CISItem            // by "version/item", e.g. "1.4.0/2.1.1"
}

// SecurityHubControl is one AWS Security Hub control.
type SecurityHubControl struct {
	ID            string   `json:"id"`
	Title         string   `json:"title"`
	Severity      string   `json:"severity"`
	Category      string   `json:"category,omitempty"`
	ResourceTypes []string `json:"resourceTypes,omitempty"`
	ConfigRule    string   `json:"configRule,omitempty"`
}

// ConfigRule is one AWS Config managed rule.
type ConfigRule struct {
	Identifier    string   `json:"identifier"`
	Name          string   `json:"name"`
	ResourceTypes []string `json:"resourceTypes,omitempty"`
	Trigger       string   `json:"trigger"`
}

// DocURL is the rule's page in the AWS Config developer guide.
func (r *ConfigRule) DocURL() string {
	return "https://docs.aws.amazon.com/config/latest/developerguide/" + r.Name + ".html"
}

// CISItem is one item of a CIS AWS Foundations Benchmark version.
type CISItem struct {
	Version     string   `json:"version"`
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Level       string   `json:"level,omitempty"`
	SecurityHub []string `json:"securityHub,omitempty"`
	Automated   bool     `json:"automated"`
}

// Key is the item's reference form, "version/id".
func (c *CISItem) Key() string { return c.Version + "/" + c.ID }

// LoadControls reads the three catalog CSVs from fsys (paths
// catalogs/securityhub-controls.csv, catalogs/config-managed-rules.csv and
// catalogs/cis-aws-foundations.csv).
func LoadControls(fsys fs.FS) (*Controls, error) {
	c := &Controls{
		SecurityHub: map[string]*SecurityHubControl{},
		ConfigRules: map[string]*ConfigRule{},
		CIS:         map[string]*CISItem{},
	}
	err := readCSV(fsys, "catalogs/securityhub-controls.csv",
		[]string{"control_id", "title", "severity", "category", "resource_types", "config_rule"},
		func(r map[string]string) error {
			id := r["control_id"]
			if c.SecurityHub[id] != nil {
				return fmt.Errorf("duplicate control %q", id)
			}
			c.SecurityHub[id] = &SecurityHubControl{ID: id, Title: r["title"], Severity: r["severity"],
				Category: r["category"], ResourceTypes: split(r["resource_types"]), ConfigRule: r["config_rule"]}
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = readCSV(fsys, "catalogs/config-managed-rules.csv",
		[]string{"identifier", "name", "resource_types", "trigger"},
		func(r map[string]string) error {
			name := r["name"]
			if c.ConfigRules[name] != nil {
				return fmt.Errorf("duplicate rule %q", name)
			}
			c.ConfigRules[name] = &ConfigRule{Identifier: r["identifier"], Name: name,
				ResourceTypes: split(r["resource_types"]), Trigger: r["trigger"]}
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = readCSV(fsys, "catalogs/cis-aws-foundations.csv",
		[]string{"version", "id", "title", "level", "securityhub_control_id", "automated"},
		func(r map[string]string) error {
			it := &CISItem{Version: r["version"], ID: r["id"], Title: r["title"], Level: r["level"],
				SecurityHub: split(r["securityhub_control_id"]), Automated: r["automated"] == "yes"}
			if c.CIS[it.Key()] != nil {
				return fmt.Errorf("duplicate CIS item %q", it.Key())
			}
			c.CIS[it.Key()] = it
			return nil
		})
	if err != nil {
		return nil, err
	}
	return c, nil
}

func split(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ";")
}

// readCSV calls row for each record of a CSV file with a header, as a map
// from column name to value; want lists the columns that must exist.
func readCSV(fsys fs.FS, name string, want []string, row func(map[string]string) error) error {
	f, err := fsys.Open(name)
	if err != nil {
		return fmt.Errorf("open catalog: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("%s: read header: %w", name, err)
	}
	cols := map[string]int{}
	for i, h := range header {
		cols[h] = i
	}
	for _, w := range want {
		if _, ok := cols[w]; !ok {
			return fmt.Errorf("%s: missing column %q", name, w)
		}
	}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		m := make(map[string]string, len(header))
		for col, i := range cols {
			m[col] = strings.TrimSpace(rec[i])
		}
		if err := row(m); err != nil {
			return fmt.Errorf("%s:%d: %w", name, line, err)
		}
	}
}
