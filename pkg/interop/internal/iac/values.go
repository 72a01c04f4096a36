package iac

import (
	"fmt"
	"sort"
	"strconv"
)

// Get walks a path of map keys and list indexes ("*" means every element
// of a list) and returns the values found.
func Get(v any, path ...string) []any {
	if len(path) == 0 {
		if v == nil {
			return nil
		}
		return []any{v}
	}
	if path[0] == "*" {
		if _, isList := v.([]any); !isList {
			return Get(v, path[1:]...) // a single value where a list may be
		}
	}
	switch x := v.(type) {
	case map[string]any:
		return Get(x[path[0]], path[1:]...)
	case []any:
		if path[0] == "*" {
			var out []any
			for _, e := range x {
				out = append(out, Get(e, path[1:]...)...)
			}
			return out
		}
	}
	return nil
}

// Get1 returns the first value Get finds, or nil.
func Get1(v any, p ...string) any {
	if vals := Get(v, p...); len(vals) > 0 {
		return vals[0]
	}
	return nil
}

// Num returns a number written as a number or a string, else 0.
func Num(v any) int {
	switch x := v.(type) {
	case int:
		return x
	case float64:
		return int(x)
	case string:
		n, _ := strconv.Atoi(x)
		return n
	}
	return 0
}

// Str returns a string, or a number or boolean printed, else "".
func Str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int, float64, bool:
		return fmt.Sprint(x)
	}
	return ""
}

// Dedupe removes repeated keys, keeping the first of each, in place.
func Dedupe(keys []string) []string {
	seen := map[string]bool{}
	out := keys[:0]
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// SortedKeys returns the keys of mp, sorted.
func SortedKeys[V any](mp map[string]V) []string {
	keys := make([]string, 0, len(mp))
	for k := range mp {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
