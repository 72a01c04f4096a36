// Package schema publishes the JSON Schema of Bulwark's threat model
// document (threatmodel.schema.json). Tests in pkg/model keep it in
// agreement with the Go types; the API serves it inside its OpenAPI document
// and the web app checks its types against it.
package schema

import _ "embed"

// ThreatModel is the JSON Schema (draft 2020-12) of a threat model document.
//
//go:embed threatmodel.schema.json
var ThreatModel []byte

// ID is the schema's $id.
const ID = "https://bulwark.dev/schema/threatmodel.schema.json"
