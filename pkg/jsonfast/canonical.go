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
// makes it answer false, which only costs the caller an encoding. It reads
// any input safely (the nesting of raw values is bounded), so that it may
// run before decoding is done.
func Canonical(data []byte, t reflect.Type) bool {
	c := canonChecker{data: data}
	return c.value(planFor(t)) && c.i == len(data)
}

// canonChecker reads data from i, answering false at the first spelling
// Marshal would not produce.
type canonChecker struct {
	data  []byte
	i     int
	depth int // of raw values, bounded by maxCanonDepth
}

// maxCanonDepth bounds the nesting of raw values Canonical follows, as
// encoding/json bounds what it decodes.
const maxCanonDepth = 10000

// canonKind is how Canonical checks a value of a type.
type canonKind uint8

const (
	kindUnknown canonKind = iota // a type Canonical does not check: refused
	kindString
	kindBool
	kindInt
	kindFloat
	kindRaw // json.RawMessage
	kindStruct
	kindMap
	kindSlice
)

// canonPlan is what Canonical knows of a type, worked out once per type.
type canonPlan struct {
	kind   canonKind
	ptr    bool         // a pointer to the kind: null is refused
	fields []canonField // of a struct, in order
	elem   *canonPlan   // of a slice or map
}

// canonField is a struct field as Marshal writes it.
type canonField struct {
	first, next []byte // the key and colon, and the same after a comma
	plan        *canonPlan
	omitEmpty   bool
	emptyKind   reflect.Kind
}

var (
	rawMessageType = reflect.TypeFor[json.RawMessage]()
	marshalerType  = reflect.TypeFor[json.Marshaler]()
	textMarshaler  = reflect.TypeFor[encoding.TextMarshaler]()
	canonPlans     sync.Map // reflect.Type → *canonPlan
)

// planFor returns the plan of type t.
func planFor(t reflect.Type) *canonPlan {
	if p, ok := canonPlans.Load(t); ok {
		return p.(*canonPlan)
	}
	p := buildPlan(t, map[reflect.Type]*canonPlan{})
	canonPlans.Store(t, p)
	return p
}

// buildPlan works out the plan of t; building holds the plans under
// construction, for types that contain themselves.
func buildPlan(t reflect.Type, building map[reflect.Type]*canonPlan) *canonPlan {
	if p, ok := building[t]; ok {
		return p
	}
	p := &canonPlan{}
	building[t] = p
	if t.Kind() == reflect.Pointer {
		if t.Implements(marshalerType) || t.Implements(textMarshaler) {
			return p
		}
		p.ptr = true
		t = t.Elem()
	}
	switch {
	case t == rawMessageType:
		p.kind = kindRaw
		return p
	case t.Implements(marshalerType) || t.Implements(textMarshaler) ||
		reflect.PointerTo(t).Implements(marshalerType) || reflect.PointerTo(t).Implements(textMarshaler):
		return p
	}
	switch t.Kind() {
	case reflect.Struct:
		if fs, ok := structPlan(t, building); ok {
			p.kind, p.fields = kindStruct, fs
		}
	case reflect.Map:
		if t.Key().Kind() == reflect.String {
			p.kind, p.elem = kindMap, buildPlan(t.Elem(), building)
		}
	case reflect.Slice:
		if t.Elem().Kind() != reflect.Uint8 {
			p.kind, p.elem = kindSlice, buildPlan(t.Elem(), building)
		}
	case reflect.String:
		p.kind = kindString
	case reflect.Bool:
		p.kind = kindBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		p.kind = kindInt
	case reflect.Float64:
		p.kind = kindFloat
	}
	return p
}

// structPlan returns t's fields in the order Marshal writes them, or false
// when t has a field Canonical does not know how to check (embedded, an
// option other than omitempty, a name that needs escaping).
func structPlan(t reflect.Type, building map[reflect.Type]*canonPlan) ([]canonField, bool) {
	var fs []canonField
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if f.Anonymous {
			return nil, false
		}
		if !f.IsExported() || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		if (opts != "" && opts != "omitempty") || !plainName(name) {
			return nil, false
		}
		fs = append(fs, canonField{
			first: []byte(`"` + name + `":`), next: []byte(`,"` + name + `":`),
			plan: buildPlan(f.Type, building), omitEmpty: opts == "omitempty", emptyKind: f.Type.Kind(),
		})
	}
	return fs, true
}

// value checks one value of plan p.
func (c *canonChecker) value(p *canonPlan) bool {
	if c.i >= len(c.data) || p.ptr && c.data[c.i] == 'n' {
		return false
	}
	switch p.kind {
	case kindRaw:
		return c.raw()
	case kindStruct:
		return c.object(p.fields)
	case kindMap:
		return c.mapValue(p.elem)
	case kindSlice:
		return c.array(p.elem)
	case kindString:
		return c.str()
	case kindBool:
		return c.word("true") || c.word("false")
	case kindInt:
		return c.integer()
	case kindFloat:
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
	plain := true // digits only, as a whole number below 2^53 is written
	for c.i < len(c.data) {
		b := c.data[c.i]
		if b >= '0' && b <= '9' || b == '-' && c.i == start {
			c.i++
			continue
		}
		if b != '.' && b != 'e' && b != 'E' && b != '+' && b != '-' {
			break
		}
		plain = false
		c.i++
	}
	text := c.data[start:c.i]
	if digits := text[min(len(text), 1):]; plain && len(text) > 0 && len(text) < 16 && text[0] != '0' && (text[0] != '-' || len(digits) > 0 && digits[0] != '0') {
		return true
	}
	if plain && string(text) == "0" {
		return true
	}
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
	i := c.i + 1
	for {
		for i < len(c.data) && plainByte[c.data[i]] {
			i++
		}
		switch {
		case i >= len(c.data):
			return false
		case c.data[i] == '"':
			c.i = i + 1
			return true
		case c.data[i] < utf8.RuneSelf:
			return false // a byte Marshal escapes
		}
		r, size := utf8.DecodeRune(c.data[i:])
		if r == utf8.RuneError || r == '\u2028' || r == '\u2029' {
			return false
		}
		i += size
	}
}

// plainByte marks the bytes Marshal writes as they are in a string:
// printable ASCII but for the quote, the backslash, <, > and &.
var plainByte = func() (t [256]bool) {
	for b := 0x20; b < 0x7f; b++ {
		t[b] = true
	}
	for _, b := range []byte(`"\<>&`) {
		t[b] = false
	}
	return t
}()

// raw reads a json.RawMessage, which Marshal writes compacted, with the
// HTML characters escaped: any JSON value without white space whose
// strings str accepts.
func (c *canonChecker) raw() bool {
	if c.i >= len(c.data) || c.depth >= maxCanonDepth {
		return false
	}
	c.depth++
	defer func() { c.depth-- }()
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
func (c *canonChecker) array(elem *canonPlan) bool {
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

// mapValue reads a map of elem: keys in increasing order.
func (c *canonChecker) mapValue(elem *canonPlan) bool {
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
		if !c.byte(':') || !c.value(elem) {
			return false
		}
		if !c.byte(',') {
			return c.byte('}')
		}
	}
}

// object reads a struct with fields fs: its fields in order, the
// omitempty ones present only when not empty.
func (c *canonChecker) object(fs []canonField) bool {
	if !c.byte('{') {
		return false
	}
	first := true
	for i := range fs {
		f := &fs[i]
		key := f.next
		if first {
			key = f.first
		}
		if !bytes.HasPrefix(c.data[c.i:], key) {
			if f.omitEmpty {
				continue // left out: zero, so empty
			}
			return false
		}
		c.i += len(key)
		start := c.i
		if !c.value(f.plan) || f.omitEmpty && emptyJSON(c.data[start:c.i], f.emptyKind) {
			return false
		}
		first = false
	}
	return c.byte('}')
}

// emptyJSON reports whether v, the JSON of a value of type t, decodes to a
// value omitempty leaves out.
func emptyJSON(v []byte, kind reflect.Kind) bool {
	switch kind {
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

// plainName reports whether a field name is written without escapes.
func plainName(s string) bool {
	for i := 0; i < len(s); i++ {
		if b := s[i]; b < 0x20 || b >= 0x7f || b == '"' || b == '\\' || b == '<' || b == '>' || b == '&' {
			return false
		}
	}
	return s != ""
}
