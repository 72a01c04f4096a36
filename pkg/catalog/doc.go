// Package catalog loads Bulwark's knowledge base (the YAML files embedded by
// package rules) and checks it: every file against the JSON Schema in
// rules/schema, then across files — ids are unique, every threat,
// requirement and Assist rule refers to component types, threats and
// properties that exist, every icon is one the aws-icons package provides,
// and every evidence id (Security Hub control, AWS Config managed rule, CIS
// item) is in the catalogs under rules/catalogs.
//
// A Catalog is immutable once loaded and safe for concurrent use. Default
// returns the embedded catalog, loaded once. The engines (packages assist and
// analysis) read rules from it; the HTTP API serves its Toolbox view to the
// web editor.
package catalog
