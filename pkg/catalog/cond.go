package catalog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/model"
)

// Condition is a parsed property condition such as "encrypted == false".
type Condition struct {
	Property string
	Op       string // "==", "!=" or "contains"
	Value    any    // bool, float64 or string
}

var condPattern = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9_]*) +(==|!=|contains) +(\S.*)$`)

// ParseCondition parses "name op value". Values are true, false, numbers,
// double-quoted strings or bare words (taken as strings).
func ParseCondition(s string) (Condition, error) {
	m := condPattern.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return Condition{}, fmt.Errorf("condition %q: want \"name == value\", \"name != value\" or \"name contains value\"", s)
	}
	c := Condition{Property: m[1], Op: m[2]}
	v := strings.TrimSpace(m[3])
	switch {
	case v == "true" || v == "false":
		c.Value = v == "true"
	case strings.HasPrefix(v, `"`):
		u, err := strconv.Unquote(v)
		if err != nil {
			return Condition{}, fmt.Errorf("condition %q: bad quoted value: %w", s, err)
		}
		c.Value = u
	default:
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			c.Value = f
		} else {
			c.Value = v
		}
	}
	return c, nil
}

// String returns the condition in its source form.
func (c Condition) String() string {
	v := c.Value
	if s, ok := v.(string); ok && strings.ContainsAny(s, " \"") {
		v = strconv.Quote(s)
	}
	return fmt.Sprintf("%s %s %v", c.Property, c.Op, v)
}

// Match reports whether an element of type t with properties props meets
// c. A property the element does not set takes the type's default; with no
// default it has no value, which equals nothing (so "x != v" holds).
func (c Condition) Match(props model.Properties, t *ComponentType) bool {
	v, ok := PropertyValue(props, t, c.Property)
	if !ok {
		return c.Op == "!="
	}
	return c.matchValue(v)
}

// MatchAll reports whether every condition matches.
func MatchAll(conds []Condition, props model.Properties, t *ComponentType) bool {
	for _, c := range conds {
		if !c.Match(props, t) {
			return false
		}
	}
	return true
}

// PropertyValue returns the value of property name on an element of type t:
// the element's own value when set (and valid JSON), else the type's
// default. Numbers are float64, lists []any.
func PropertyValue(props model.Properties, t *ComponentType, name string) (any, bool) {
	if raw, ok := props[name]; ok {
		if v, ok := decodeScalar(raw); ok {
			return v, true
		}
	}
	if t != nil {
		if p := t.Property(name); p != nil && p.Default != nil {
			return normalize(p.Default), true
		}
	}
	return nil, false
}

// decodeScalar decodes a JSON value, with fast paths for the common scalars.
func decodeScalar(raw json.RawMessage) (any, bool) {
	b := bytes.TrimSpace(raw)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		return nil, false
	case bytes.Equal(b, []byte("true")):
		return true, true
	case bytes.Equal(b, []byte("false")):
		return false, true
	case b[0] == '"' && bytes.IndexByte(b[1:], '\\') < 0 && bytes.IndexByte(b[1:], '"') == len(b)-2:
		return string(b[1 : len(b)-1]), true
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, false
	}
	return v, true
}

// normalize turns YAML-decoded numbers into float64, as JSON decoding does.
func normalize(v any) any {
	switch x := v.(type) {
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case uint64:
		return float64(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalize(e)
		}
		return out
	}
	return v
}

func equal(a, b any) bool {
	switch x := a.(type) {
	case bool, float64:
		return a == b
	case string:
		y, ok := b.(string)
		return ok && strings.EqualFold(x, y)
	}
	return false
}
