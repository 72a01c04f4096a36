// Package model defines Bulwark's threat model document: its metadata, its
// diagram (components, flows and groups), validation with precise messages,
// and the schema version with migrations from older documents.
//
// The package does no I/O. A ThreatModel is a plain value; callers that share
// one between goroutines must copy it (Clone) before changing it.
//
// The JSON form of ThreatModel is the document format of the whole product:
// the API, the store drivers, the web app (web/src/schema) and exports all use
// it. schema/threatmodel.schema.json publishes it as a JSON Schema; a test
// keeps that schema and these types in agreement.
package model
