package api

import (
	_ "embed"
	"encoding/json"
	"net/http"

	"github.com/bulwark-tm/bulwark/pkg/model/schema"
)

// openAPISpec is the OpenAPI 3.1 document of every route. The threat model
// schema it references by $id is bundled into components at serve time.
//
//go:embed openapi.json
var openAPISpec []byte

// OpenAPI returns the OpenAPI document with the threat model JSON Schema
// bundled under components.schemas.ThreatModelDocument, so that its $id
// references resolve within one file.
func OpenAPI() ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(openAPISpec, &doc); err != nil {
		return nil, err
	}
	var tm map[string]any
	if err := json.Unmarshal(schema.ThreatModel, &tm); err != nil {
		return nil, err
	}
	doc["components"].(map[string]any)["schemas"].(map[string]any)["ThreatModelDocument"] = tm
	return json.MarshalIndent(doc, "", "  ")
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
