// Package rules holds Bulwark's knowledge base as data: component types,
// threats, security requirements, Assist rules and protocols written in YAML
// (one file per AWS service under aws/, plus generic.yaml and
// protocols.yaml), the JSON Schema those files must satisfy (schema/), the
// security catalogs that evidence ids are checked against (catalogs/) and
// the list of icon paths the aws-icons npm package provides (icons.txt).
//
// The files are embedded in FS so that every binary carries the same rules.
// Package catalog loads and validates them; see README.md for the format.
package rules

import "embed"

// FS holds the rule files, the schema, the catalogs and the icon list, with
// paths relative to this directory (e.g. "aws/ec2.yaml").
//
//go:embed *.yaml aws/*.yaml schema/*.json catalogs/*.csv catalogs/README.md icons.txt templates/*.json
var FS embed.FS
