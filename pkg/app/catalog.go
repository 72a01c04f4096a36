package app

import "github.com/bulwark-tm/bulwark/pkg/catalog"

// toolbox is the knowledge base view served at /api/v1/catalog.
func toolbox() (any, error) {
	c, err := catalog.Default()
	if err != nil {
		return nil, err
	}
	return c.Toolbox(), nil
}
