package terraform

import (
	"strconv"
	"strings"
)

// tfRes is one managed resource instance of the plan, with the expressions
// of its configuration.
type tfRes struct {
	addr    string // the full address
	key     string // the graph key: the address with instance keys as -KEY (tfGraphKey)
	index   any    // count index or for_each key, if any
	module  string // module instance address, "" for the root module
	local   string // address inside its module
	typ     string
	values  map[string]any
	unknown any // after_unknown
	exprs   map[string]any
}

// tfStep is one step of an address or reference: a name with an optional
// index key (the bracket's text, quotes included).
type tfStep struct {
	name, key string
	indexed   bool
}

func (s tfStep) String() string {
	if s.indexed {
		return s.name + "[" + s.key + "]"
	}
	return s.name
}

// tfSplit splits an address or reference ("module.app[\"a.b\"].aws_x.y[0].id")
// into steps.
func tfSplit(addr string) []tfStep {
	var steps []tfStep
	var cur strings.Builder
	for i := 0; i < len(addr); i++ {
		switch ch := addr[i]; ch {
		case '.':
			if cur.Len() > 0 {
				steps = append(steps, tfStep{name: cur.String()})
				cur.Reset()
			}
		case '[':
			j, inQuote := i+1, false
			for ; j < len(addr); j++ {
				if addr[j] == '\\' && inQuote {
					j++
					continue
				}
				if addr[j] == '"' {
					inQuote = !inQuote
				}
				if addr[j] == ']' && !inQuote {
					break
				}
			}
			steps = append(steps, tfStep{name: cur.String(), key: addr[i+1 : min(j, len(addr))], indexed: true})
			cur.Reset()
			i = j
		default:
			cur.WriteByte(ch)
		}
	}
	if cur.Len() > 0 {
		steps = append(steps, tfStep{name: cur.String()})
	}
	return steps
}

func tfJoin(steps []tfStep) string {
	parts := make([]string, len(steps))
	for i, s := range steps {
		parts[i] = s.String()
	}
	return strings.Join(parts, ".")
}

// tfGraphKey turns an address into the key of its element in the graph,
// from which the element id derives: instance keys become "-KEY" steps
// (aws_subnet.private[0] → aws_subnet.private-0), brackets and quotes being
// no id characters. Components keep the address as their resource id.
func tfGraphKey(addr string) string {
	steps := tfSplit(addr)
	parts := make([]string, len(steps))
	for i, s := range steps {
		parts[i] = s.name
		if s.indexed {
			k := s.key
			if u, err := strconv.Unquote(k); err == nil {
				k = u
			}
			parts[i] += "-" + k
		}
	}
	return strings.Join(parts, ".")
}

// tfConfigPath is the configuration path of a module instance address: its
// address without instance keys.
func tfConfigPath(module string) string {
	steps := tfSplit(module)
	for i := range steps {
		steps[i].indexed, steps[i].key = false, ""
	}
	return tfJoin(steps)
}

// tfIndexKey is the text of an instance key as it appears in brackets.
func tfIndexKey(index any) (string, bool) {
	switch x := index.(type) {
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case string:
		return strconv.Quote(x), true
	}
	return "", false
}

// sameKey compares two instance keys, tolerating quoting differences.
func sameKey(a, b string) bool {
	unq := func(s string) string {
		if u, err := strconv.Unquote(s); err == nil {
			return u
		}
		return s
	}
	return unq(a) == unq(b)
}

// tfModuleOf returns the module instance part of a resource address.
func tfModuleOf(addr string) string {
	steps := tfSplit(addr)
	n := 0
	for n+1 < len(steps) && steps[n].name == "module" && !steps[n].indexed {
		n += 2
	}
	return tfJoin(steps[:n])
}

// tfRefRoots are the first steps of references that do not name a managed
// resource.
var tfRefRoots = map[string]bool{"var": true, "local": true, "data": true, "module": true, "count": true, "each": true,
	"path": true, "terraform": true, "self": true}

// tfModuleKey is the graph key of a module instance's group ("" for the
// root module, which has none).
func tfModuleKey(module string) string {
	if module == "" {
		return ""
	}
	return tfGraphKey(module)
}
