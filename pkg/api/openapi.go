package api

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"sync"

	"github.com/bulwark-tm/bulwark/pkg/model/schema"
)

// openAPIFiles holds the OpenAPI 3.1 document in parts: base.json (info,
// security, shared components) and one file per feature with its "paths"
// and "components". OpenAPI merges them; a test keeps the merged paths and
// the router in agreement.
//
//go:embed openapi/*.json
var openAPIFiles embed.FS

var openAPIOnce = sync.OnceValues(buildOpenAPI)

// OpenAPI returns the merged OpenAPI document, with the threat model JSON
// Schema bundled under components.schemas.ThreatModelDocument so that its
// $id references resolve within one file.
func OpenAPI() ([]byte, error) { return openAPIOnce() }

func buildOpenAPI() ([]byte, error) {
	var doc map[string]any
	if err := readJSON("openapi/base.json", &doc); err != nil {
		return nil, err
	}
	parts, err := fs.Glob(openAPIFiles, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	for _, p := range parts {
		if p == "openapi/base.json" {
			continue
		}
		var part map[string]any
		if err := readJSON(p, &part); err != nil {
			return nil, err
		}
		if err := merge(doc, part, p); err != nil {
			return nil, err
		}
	}
	var tm map[string]any
	if err := json.Unmarshal(schema.ThreatModel, &tm); err != nil {
		return nil, err
	}
	doc["components"].(map[string]any)["schemas"].(map[string]any)["ThreatModelDocument"] = tm
	return json.MarshalIndent(doc, "", "  ")
}

func readJSON(name string, v any) error {
	b, err := openAPIFiles.ReadFile(name)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// merge adds src's maps into dst, refusing to redefine a leaf that both
// define (two features claiming one path and method, or one schema name).
func merge(dst, src map[string]any, from string) error {
	for k, v := range src {
		sv, isMap := v.(map[string]any)
		dv, exists := dst[k]
		switch {
		case !exists:
			dst[k] = v
		case isMap:
			dm, ok := dv.(map[string]any)
			if !ok {
				return fmt.Errorf("%s: %q clashes with another part", from, k)
			}
			if err := merge(dm, sv, from); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%s: %q is defined twice", from, k)
		}
	}
	return nil
}

func (s *server) openAPI(w http.ResponseWriter, r *http.Request) error {
	b, err := OpenAPI()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, err = w.Write(b)
	return err
}
