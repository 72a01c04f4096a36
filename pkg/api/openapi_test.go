package api

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/bulwark-tm/bulwark/pkg/model/schema"
)

// TestOpenAPIMatchesRoutes checks that the OpenAPI document and the router
// list the same operations, route for route.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	spec, err := OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(spec, &doc); err != nil {
		t.Fatal(err)
	}
	var inSpec, inRouter []string
	for path, ops := range doc.Paths {
		for method := range ops {
			if method == "parameters" {
				continue
			}
			inSpec = append(inSpec, strings.ToUpper(method)+" "+path)
		}
	}
	for _, rt := range routes {
		inRouter = append(inRouter, rt.method+" "+rt.pattern)
	}
	slices.Sort(inSpec)
	slices.Sort(inRouter)
	for _, op := range inRouter {
		if !slices.Contains(inSpec, op) {
			t.Errorf("route %s is missing from openapi.json", op)
		}
	}
	for _, op := range inSpec {
		if !slices.Contains(inRouter, op) {
			t.Errorf("openapi.json documents %s, which the router does not serve", op)
		}
	}
}

// TestOpenAPIServedAndResolvable checks that the served document is JSON
// whose schema references all resolve.
func TestOpenAPIServedAndResolvable(t *testing.T) {
	c := client{t: t, h: newTestAPI(t)}
	r := c.do("GET", "/api/v1/openapi.json", nil)
	if r.status != http.StatusOK {
		t.Fatalf("GET openapi.json: %d", r.status)
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(string(r.body)))
	if err != nil {
		t.Fatal(err)
	}
	// Compile each component schema inside the document: an unresolvable
	// $ref fails compilation.
	comp := jsonschema.NewCompiler()
	if err := comp.AddResource("openapi.json", doc); err != nil {
		t.Fatal(err)
	}
	// The bundled threat model schema is the resource its $id names.
	schemas := doc.(map[string]any)["components"].(map[string]any)["schemas"].(map[string]any)
	bundled, ok := schemas["ThreatModelDocument"].(map[string]any)
	if !ok || bundled["$id"] != schema.ID {
		t.Fatal("the threat model schema is not bundled under its $id")
	}
	if err := comp.AddResource(schema.ID, bundled); err != nil {
		t.Fatal(err)
	}
	for name := range schemas {
		if _, err := comp.Compile("openapi.json#/components/schemas/" + name); err != nil {
			t.Errorf("schema %s: %v", name, err)
		}
	}
}
