package jsonfast

import (
	"bytes"
	"encoding"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Canonical reports whether data is exactly what Marshal returns for the
// value that data decodes into when decoded into a new value of type t:
// no white space, struct fields in their order with every field that is
// not omitempty present and none that is omitempty empty, map keys in
// order, numbers and strings spelled as Marshal spells them. A caller that
// holds data and its decoded value may then keep data instead of encoding
// the value again.
//
// data must decode into t without error (Canonical does not check what
// decoding checks, such as the range of integers). The check is
// conservative: any shape it does not know (null, escapes in strings,
// exponents, interfaces, types that marshal themselves other than
// json.RawMessage, embedded structs, field options other than omitempty)
// makes it answer false, which only costs the caller an encoding.
func Canonical(data []byte, t reflect.Type) bool {
	c := canonChecker{data: data}
	return c.value(t) && c.i == len(data)
}

// canonChecker reads data from i, answering false at the first spelling
// Marshal would not produce.
type canonChecker struct {
	data []byte
	i    int
}

var (
	rawMessageType = reflect.TypeFor[json.RawMessage]()
	marshalerType  = reflect.TypeFor[json.Marshaler]()
	textMarshaler  = reflect.TypeFor[encoding.TextMarshaler]()
)

// value checks one value meant for type t.
func (c *canonChecker) value(t reflect.Type) bool {
	if c.i >= len(c.data) {
		return false
	}
	if t.Kind() == reflect.Pointer {
		if c.data[c.i] == 'n' || t.Implements(marshalerType) || t.Implements(textMarshaler) {
			return false // null; or a pointer that marshals itself
		}
		t = t.Elem()
	}
	switch {
	case t == rawMessageType:
		return c.raw()
	case t.Implements(marshalerType) || t.Implements(textMarshaler) ||
		reflect.PointerTo(t).Implements(marshalerType) || reflect.PointerTo(t).Implements(textMarshaler):
		return false
	}
	switch t.Kind() {
	case reflect.Struct:
		return c.object(t)
	case reflect.Map:
		return t.Key().Kind() == reflect.String && c.mapValue(t)
	case reflect.Slice:
		return t.Elem().Kind() != reflect.Uint8 && c.array(t.Elem())
	case reflect.String:
		return c.str()
	case reflect.Bool:
		return c.word("true") || c.word("false")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return c.integer()
	case reflect.Float64:
		return c.float()
	}
	return false
}

// word reads w if it is next.
func (c *canonChecker) word(w string) bool {
	if bytes.HasPrefix(c.data[c.i:], []byte(w)) {
		c.i += len(w)
		return true
	}
	return false
}

// integer reads an integer spelled as strconv.FormatInt spells it.
func (c *canonChecker) integer() bool {
	start := c.i
	if c.data[c.i] == '-' {
		c.i++
	}
	digits := c.i
	for c.i < len(c.data) && c.data[c.i] >= '0' && c.data[c.i] <= '9' {
		c.i++
	}
	n := c.i - digits
	switch {
	case n == 0:
		return false
	case c.data[digits] == '0':
		return n == 1 && digits == start // "0", not "-0"
	}
	return true
}

// float reads a float64 spelled as Marshal spells it. Numbers Marshal
// writes with an exponent are refused.
func (c *canonChecker) float() bool {
	start := c.i
	for c.i < len(c.data) && strings.IndexByte("-+.0123456789eE", c.data[c.i]) >= 0 {
		c.i++
	}
	text := c.data[start:c.i]
	f, err := strconv.ParseFloat(string(text), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return false
	}
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) || a == 0 && string(text) != "0" {
		return false // an exponent, or a zero spelled otherwise (-0 is empty too)
	}
	var buf [32]byte
	return bytes.Equal(strconv.AppendFloat(buf[:0], f, 'f', -1, 64), text)
}

// str reads a string that Marshal writes without escapes: printable ASCII
// but for the quote, the backslash and the HTML characters <, > and &, or
// valid UTF-8 but for U+2028 and U+2029.
func (c *canonChecker) str() bool {
	if c.data[c.i] != '"' {
		return false
	}
	for c.i++; c.i < len(c.data); {
		b := c.data[c.i]
		switch {
		case b == '"':
			c.i++
			return true
		case b < utf8.RuneSelf:
			if b < 0x20 || b == 0x7f || b == '\\' || b == '<' || b == '>' || b == '&' {
				return false
			}
			c.i++
		default:
			r, size := utf8.DecodeRune(c.data[c.i:])
			if r == utf8.RuneError || r == '\u2028' || r == '\u2029' {
				return false
			}
			c.i += size
		}
	}
	return false
}

// raw reads a json.RawMessage, which Marshal writes compacted, with the
// HTML characters escaped: any JSON value without white space whose
// strings str accepts.
func (c *canonChecker) raw() bool {
	if c.i >= len(c.data) {
		return false
	}
	switch b := c.data[c.i]; {
	case b == '"':
		return c.str()
	case b == '{':
		c.i++
		if c.i < len(c.data) && c.data[c.i] == '}' {
			c.i++
			return true
		}
		for {
			if !c.str() || !c.byte(':') || !c.raw() {
				return false
			}
			if !c.byte(',') {
				return c.byte('}')
			}
		}
	case b == '[':
		c.i++
		if c.byte(']') {
			return true
		}
		for {
			if !c.raw() {
				return false
			}
			if !c.byte(',') {
				return c.byte(']')
			}
		}
	case b == 't':
		return c.word("true")
	case b == 'f':
		return c.word("false")
	case b == 'n':
		return c.word("null")
	}
	return c.number()
}

// number reads a JSON number as it is spelled (Marshal keeps a raw
// message's numbers as they are).
func (c *canonChecker) number() bool {
	start := c.i
	for c.i < len(c.data) && strings.IndexByte("-+.0123456789eE", c.data[c.i]) >= 0 {
		c.i++
	}
	return c.i > start && json.Valid(c.data[start:c.i])
}

// byte reads b if it is next.
func (c *canonChecker) byte(b byte) bool {
	if c.i < len(c.data) && c.data[c.i] == b {
		c.i++
		return true
	}
	return false
}

// array reads the elements of a slice of elem.
func (c *canonChecker) array(elem reflect.Type) bool {
	if !c.byte('[') {
		return false
	}
	if c.byte(']') {
		return true
	}
	for {
		if !c.value(elem) {
			return false
		}
		if !c.byte(',') {
			return c.byte(']')
		}
	}
}

// mapValue reads a map of type t: keys in increasing order.
func (c *canonChecker) mapValue(t reflect.Type) bool {
	if !c.byte('{') {
		return false
	}
	if c.byte('}') {
		return true
	}
	var prev []byte
	for n := 0; ; n++ {
		start := c.i
		if !c.str() {
			return false
		}
		key := c.data[start+1 : c.i-1]
		if n > 0 && bytes.Compare(prev, key) >= 0 {
			return false
		}
		prev = key
		if !c.byte(':') || !c.value(t.Elem()) {
			return false
		}
		if !c.byte(',') {
			return c.byte('}')
		}
	}
}

// object reads a struct of type t: its fields in order, the omitempty ones
// present only when not empty.
func (c *canonChecker) object(t reflect.Type) bool {
	fields, ok := canonFields(t)
	if !ok || !c.byte('{') {
		return false
	}
	first := true
	for _, f := range fields {
		key := `"` + f.name + `":`
		if !first {
			key = "," + key
		}
		if !bytes.HasPrefix(c.data[c.i:], []byte(key)) {
			if f.omitEmpty {
				continue // left out: zero, so empty
			}
			return false
		}
		c.i += len(key)
		start := c.i
		if !c.value(f.typ) || f.omitEmpty && emptyJSON(c.data[start:c.i], f.typ) {
			return false
		}
		first = false
	}
	return c.byte('}')
}

// emptyJSON reports whether v, the JSON of a value of type t, decodes to a
// value omitempty leaves out.
func emptyJSON(v []byte, t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Struct:
		return false // not null: a pointer to something; omitempty keeps structs
	case reflect.Slice, reflect.Map, reflect.Array:
		return len(v) == 2 // [] or {}
	case reflect.String:
		return len(v) == 2 // ""
	case reflect.Bool:
		return string(v) == "false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Float64:
		return string(v) == "0"
	}
	return true // not a kind value accepts; refuse
}

// canonField is a struct field as Marshal writes it.
type canonField struct {
	name      string
	typ       reflect.Type
	omitEmpty bool
}

var canonFieldCache sync.Map // reflect.Type → []canonField, or nil when not known

// canonFields returns t's fields in the order Marshal writes them, or false
// when t has a field Canonical does not know how to check (embedded, an
// option other than omitempty, a name that needs escaping).
func canonFields(t reflect.Type) ([]canonField, bool) {
	if v, ok := canonFieldCache.Load(t); ok {
		fs := v.([]canonField)
		return fs, fs != nil
	}
	var fs []canonField
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if f.Anonymous {
			fs = nil
			break
		}
		if !f.IsExported() || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		if (opts != "" && opts != "omitempty") || !plainName(name) {
			fs = nil
			break
		}
		fs = append(fs, canonField{name: name, typ: f.Type, omitEmpty: opts == "omitempty"})
	}
	if fs == nil && t.NumField() > 0 {
		canonFieldCache.Store(t, []canonField(nil))
		return nil, false
	}
	if fs == nil {
		fs = []canonField{}
	}
	canonFieldCache.Store(t, fs)
	return fs, true
}

// plainName reports whether a field name is written without escapes.
func plainName(s string) bool {
	for i := 0; i < len(s); i++ {
		if b := s[i]; b < 0x20 || b >= 0x7f || b == '"' || b == '\\' || b == '<' || b == '>' || b == '&' {
			return false
		}
	}
	return s != ""
}
