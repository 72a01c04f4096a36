// Package api is Bulwark's HTTP API under /api/v1: one http.Handler that
// `bulwark serve` runs with net/http on a laptop and functions/api runs in
// Lambda behind API Gateway.
//
// Every route is declared once, in its feature's route list (coreRoutes,
// modelRoutes, …, joined in routes) with the least role it needs; the
// OpenAPI document, kept in parts under openapi/ and served merged at
// /api/v1/openapi.json, describes the same routes, and a test keeps the two
// in agreement. Errors are problem+json (RFC 9457) documents made in exactly
// one place (problem.go) from an errs.Kind. Writes are conditional on the
// revision the client read (ETag / If-Match): a stale write gets 409 with the
// current revision, never a silent overwrite.
package api
