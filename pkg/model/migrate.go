package model

import (
	"encoding/json"
	"fmt"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// A migration rewrites a document of schema version n into version n+1. It
// works on the generic JSON form so that old shapes need no Go types.
type migration func(doc map[string]any) error

// migrations[n] upgrades version n to n+1. Version 0 is the pre-release
// format written before schemaVersion existed: its diagram named flows
// "edges" and kept a container's component type under "componentType".
// To change the format: bump SchemaVersion, append one function here, add a
// testdata/migrate/vN.json fixture and update schema/threatmodel.schema.json.
var migrations = []migration{
	0: func(doc map[string]any) error {
		d, _ := doc["diagram"].(map[string]any)
		if d == nil {
			return nil
		}
		if edges, ok := d["edges"]; ok {
			if _, both := d["flows"]; both {
				return fmt.Errorf("diagram has both \"edges\" and \"flows\"")
			}
			d["flows"] = edges
			delete(d, "edges")
		}
		groups, _ := d["groups"].([]any)
		for _, g := range groups {
			gm, _ := g.(map[string]any)
			if ct, ok := gm["componentType"]; ok && gm != nil {
				gm["type"] = ct
				delete(gm, "componentType")
			}
		}
		return nil
	},
}

// Migrate upgrades a JSON document to SchemaVersion. A document already at
// the current version is returned unchanged; one from a newer Bulwark is
// rejected, since fields it holds would be lost.
func Migrate(data []byte) ([]byte, error) {
	var head struct {
		SchemaVersion *int `json:"schemaVersion"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, decodeError(data, err)
	}
	v := 0
	if head.SchemaVersion != nil {
		v = *head.SchemaVersion
	}
	switch {
	case v == SchemaVersion:
		return data, nil
	case v > SchemaVersion:
		return nil, errs.Field("/schemaVersion", "document has schema version %d, newer than this Bulwark understands (%d); upgrade Bulwark", v, SchemaVersion)
	case v < 0:
		return nil, errs.Field("/schemaVersion", "must not be negative, got %d", v)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, decodeError(data, err)
	}
	for ; v < SchemaVersion; v++ {
		if err := migrations[v](doc); err != nil {
			return nil, errs.E(errs.Invalid, "migrate schema version %d to %d: %w", v, v+1, err)
		}
	}
	doc["schemaVersion"] = SchemaVersion
	return json.Marshal(doc)
}
