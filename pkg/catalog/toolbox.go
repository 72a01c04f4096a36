package catalog

// Toolbox is the JSON view of the catalog the web editor builds its toolbox
// from (served at GET /api/v1/catalog).
type Toolbox struct {
	ComponentTypes []ToolboxType     `json:"componentTypes"`
	Protocols      []ToolboxProtocol `json:"protocols"`
}

// ToolboxType is one component type in the toolbox.
type ToolboxType struct {
	ID            string            `json:"id"`
	Name          string            `json:"name"`
	Description   string            `json:"description,omitempty"`
	Category      string            `json:"category"`
	Icon          string            `json:"icon"`
	CanContain    bool              `json:"canContain"`
	DataStore     bool              `json:"dataStore"`
	External      bool              `json:"external"`
	ResourceTypes []string          `json:"resourceTypes"`
	Properties    []ToolboxProperty `json:"properties"`
}

// ToolboxProperty is one property of a component type.
type ToolboxProperty struct {
	Name        string   `json:"name"`
	Type        string   `json:"type"`
	Enum        []string `json:"enum,omitempty"`
	Default     any      `json:"default,omitempty"`
	Description string   `json:"description"`
	// Label is the name the editor shows for the property (Property.DisplayName).
	Label string `json:"label"`
}

// ToolboxProtocol is one protocol a flow can use.
type ToolboxProtocol struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	DefaultPort int      `json:"defaultPort,omitempty"`
	Encrypted   bool     `json:"encrypted"`
	Aliases     []string `json:"aliases,omitempty"`
}

// Toolbox returns the editor's view of c: every component type in catalog
// order and every protocol. Slices are never nil, so they encode as arrays.
func (c *Catalog) Toolbox() *Toolbox {
	tb := &Toolbox{ComponentTypes: make([]ToolboxType, 0, len(c.Types)), Protocols: make([]ToolboxProtocol, 0, len(c.Protocols))}
	for _, t := range c.Types {
		tt := ToolboxType{ID: t.ID, Name: t.Name, Description: t.Description, Category: t.Category, Icon: t.Icon,
			CanContain: t.CanContain, DataStore: t.DataStore, External: t.External,
			ResourceTypes: append([]string{}, t.ResourceTypes...), Properties: make([]ToolboxProperty, 0, len(t.Properties))}
		for _, p := range t.Properties {
			tt.Properties = append(tt.Properties, ToolboxProperty{Name: p.Name, Type: p.Type, Enum: p.Enum,
				Default: normalize(p.Default), Description: p.Description, Label: p.DisplayName()})
		}
		tb.ComponentTypes = append(tb.ComponentTypes, tt)
	}
	for _, p := range c.Protocols {
		tb.Protocols = append(tb.Protocols, ToolboxProtocol{ID: p.ID, Name: p.Name, DefaultPort: p.DefaultPort,
			Encrypted: p.Encrypted, Aliases: p.Aliases})
	}
	return tb
}
