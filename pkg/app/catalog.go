package app

// toolbox is the knowledge base view served at /api/v1/catalog; nil until
// the catalog package is wired in.
var toolbox func() (any, error)
