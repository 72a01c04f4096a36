package model

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// maxRawDepth bounds the nesting CheckRaw follows, as encoding/json does.
const maxRawDepth = 10000

// TextProblem says what is wrong with s as user text, or returns "" when
// nothing is: text must be valid UTF-8 without control characters (tab,
// line feed and carriage return excepted) and without the bidirectional
// embedding, override and isolate characters (U+202A–U+202E,
// U+2066–U+2069), which make text display differently from what it is.
// Any other Unicode, right-to-left scripts and emoji included, is fine.
func TextProblem(s string) string {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return "is not valid UTF-8"
			}
		}
		if msg := runeProblem(r); msg != "" {
			return msg
		}
	}
	return ""
}

// runeProblem is TextProblem for one character.
func runeProblem(r rune) string {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return ""
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
		return fmt.Sprintf("holds the control character U+%04X", r)
	case (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069):
		return fmt.Sprintf("holds the bidirectional control character U+%04X, which makes text display differently from what it is", r)
	}
	return ""
}

// CheckRaw refuses what encoding/json would read silently wrong from a JSON
// document meant for a value of type t (nil when unknown): a string with
// invalid UTF-8 or a lone UTF-16 surrogate escape (both become U+FFFD), a
// string breaking TextProblem's rules, an object key given twice (the last
// one would win), and, in objects that decode into a struct, keys that
// differ only in letter case (encoding/json matches both to one field).
// Text problems are errs.Invalid, key problems errs.Malformed; both name
// the field as a JSON Pointer. data must be syntactically valid JSON; what
// is not is left to the decoder to report.
func CheckRaw(data []byte, t reflect.Type) error {
	if p, _, _ := checkRaw(data, t); p != nil {
		return &rawError{p}
	}
	return nil
}

// checkRaw is CheckRaw's check, which also tells, in the same pass,
// whether data passes jsonfast.Valid (one JSON value in valid UTF-8, as
// encoding/json's scanner accepts it) and whether every key of an object
// that decodes into a struct names one of its fields as spelled (known), so
// that the decoder has no unknown field to refuse. The problem it returns
// for data that is not valid is meaningless.
func checkRaw(data []byte, t reflect.Type) (problem *errs.Error, valid, known bool) {
	c := rawChecker{data: data}
	c.value(t, 0)
	c.ws()
	return c.problem, !c.broken && !c.badUTF8 && c.i == len(c.data), !c.unknown
}

// rawError marks CheckRaw's errors, which decode must not try to mend by
// migrating the document (Migrate would re-encode it clean).
type rawError struct{ err *errs.Error }

func (e *rawError) Error() string { return e.err.Error() }
func (e *rawError) Unwrap() error { return e.err }

type rawChecker struct {
	data []byte
	i    int
	path []segment // where the checker is, turned into a pointer on error
	// problem is the first problem found; the checker reads on to the end
	// for the syntax.
	problem *errs.Error
	broken  bool              // not JSON: the check stopped there
	badUTF8 bool              // a string holds invalid UTF-8
	unknown bool              // a struct's key is not a field's JSON name as spelled
	names   map[string]string // plain keys read so far, to copy each once
}

// segment is one step of the path: an object key or an array index.
type segment struct {
	key   string
	index int // -1 for a key
}

// pointer returns the JSON Pointer of the current path.
func (c *rawChecker) pointer() string {
	var b strings.Builder
	for _, s := range c.path {
		b.WriteByte('/')
		if s.index >= 0 {
			b.WriteString(strconv.Itoa(s.index))
		} else {
			b.WriteString(escapePointer(s.key))
		}
	}
	return b.String()
}

// fail records the problem msg at the current path unless one is recorded.
func (c *rawChecker) fail(k errs.Kind, msg string) {
	if c.problem == nil {
		c.problem = errs.E(k, "%s", msg).At(c.pointer())
	}
}

// invalid marks the data as not JSON and stops the check.
func (c *rawChecker) invalid() {
	c.broken = true
	c.i = len(c.data)
}

func (c *rawChecker) ws() {
	for c.i < len(c.data) {
		switch c.data[c.i] {
		case ' ', '\t', '\n', '\r':
			c.i++
		default:
			return
		}
	}
}

// expect reads the byte ch after optional white space, or marks the data
// invalid.
func (c *rawChecker) expect(ch byte) bool {
	c.ws()
	if c.i < len(c.data) && c.data[c.i] == ch {
		c.i++
		return true
	}
	c.invalid()
	return false
}

func (c *rawChecker) value(t reflect.Type, depth int) {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	c.ws()
	if c.i >= len(c.data) {
		c.invalid()
		return
	}
	switch ch := c.data[c.i]; ch {
	case '{', '[':
		if depth >= maxRawDepth {
			c.fail(errs.Malformed, fmt.Sprintf("nested deeper than %d levels", maxRawDepth))
			c.invalid()
			return
		}
		if ch == '{' {
			c.object(t, depth)
		} else {
			c.array(t, depth)
		}
	case '"':
		if msg := c.str(); msg != "" {
			c.fail(errs.Invalid, msg)
		}
	case 't':
		c.literal("true")
	case 'f':
		c.literal("false")
	case 'n':
		c.literal("null")
	default:
		c.number()
	}
}

func (c *rawChecker) literal(word string) {
	if len(c.data)-c.i < len(word) || string(c.data[c.i:c.i+len(word)]) != word {
		c.invalid()
		return
	}
	c.i += len(word)
}

// number reads a number as JSON spells it: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (c *rawChecker) number() {
	if c.i < len(c.data) && c.data[c.i] == '-' {
		c.i++
	}
	switch {
	case c.i < len(c.data) && c.data[c.i] == '0':
		c.i++
	case !c.digits():
		c.invalid()
		return
	}
	if c.i < len(c.data) && c.data[c.i] == '.' {
		c.i++
		if !c.digits() {
			c.invalid()
			return
		}
	}
	if c.i < len(c.data) && (c.data[c.i] == 'e' || c.data[c.i] == 'E') {
		c.i++
		if c.i < len(c.data) && (c.data[c.i] == '+' || c.data[c.i] == '-') {
			c.i++
		}
		if !c.digits() {
			c.invalid()
		}
	}
}

// digits reads one or more decimal digits, or reports that there are none.
func (c *rawChecker) digits() bool {
	start := c.i
	for c.i < len(c.data) && c.data[c.i] >= '0' && c.data[c.i] <= '9' {
		c.i++
	}
	return c.i > start
}

func (c *rawChecker) array(t reflect.Type, depth int) {
	c.i++
	var elem reflect.Type
	if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) && !custom(t) {
		elem = t.Elem()
	}
	c.ws()
	if c.i < len(c.data) && c.data[c.i] == ']' {
		c.i++
		return
	}
	for n := 0; ; n++ {
		c.path = append(c.path, segment{index: n})
		c.value(elem, depth+1)
		c.path = c.path[:len(c.path)-1]
		if !c.more(']') {
			return
		}
	}
}

// more reads what follows a member of an array or object: a comma (there
// are more) or the closing bracket end (there are not). Anything else
// marks the data invalid.
func (c *rawChecker) more(end byte) bool {
	c.ws()
	switch {
	case c.i < len(c.data) && c.data[c.i] == ',':
		c.i++
		return true
	case c.i < len(c.data) && c.data[c.i] == end:
		c.i++
	default:
		c.invalid()
	}
	return false
}

func (c *rawChecker) object(t reflect.Type, depth int) {
	c.i++
	var fields *structInfo
	var elem reflect.Type
	if t != nil && !custom(t) {
		switch t.Kind() {
		case reflect.Struct:
			fields = structFields(t)
			c.unknown = c.unknown || !fields.plain
		case reflect.Map:
			elem = t.Elem()
		}
	}
	var seen, foldSeen keySet
	next := 0 // where fields.field looks first
	c.ws()
	if c.i < len(c.data) && c.data[c.i] == '}' {
		c.i++
		return
	}
	for {
		if !c.expect('"') {
			return
		}
		c.i-- // str reads the quote
		start := c.i
		msg := c.str()
		if c.broken {
			return
		}
		raw := c.data[start+1 : c.i-1]
		child := elem
		var key, folded string
		if f, ok := fields.field(raw, &next); ok {
			key, folded, child = f.name, f.folded, f.typ
		} else {
			key = c.key(raw, msg != "")
			if fields != nil {
				c.unknown = true
				folded = fold(key)
				child = fields.byFold[folded]
			}
		}
		c.path = append(c.path, segment{key: key, index: -1})
		if c.problem == nil {
			switch {
			case msg != "":
				c.fail(errs.Invalid, "the key "+msg)
			default:
				if _, dup := seen.add(key, key); dup {
					c.fail(errs.Malformed, fmt.Sprintf("the key %q appears twice in one object", key))
				} else if fields != nil {
					if prev, dup := foldSeen.add(folded, key); dup {
						c.fail(errs.Malformed, fmt.Sprintf("the keys %q and %q differ only in letter case; send one", prev, key))
					}
				}
			}
		}
		if !c.expect(':') {
			return
		}
		c.value(child, depth+1)
		c.path = c.path[:len(c.path)-1]
		if !c.more('}') {
			return
		}
	}
}

// key returns the text of the key whose JSON string (without quotes) is
// raw; escaped is set when raw is not plain text (it has escapes, or
// characters outside printable ASCII). Plain keys are read once per check.
func (c *rawChecker) key(raw []byte, escaped bool) string {
	if !escaped && bytes.IndexByte(raw, '\\') < 0 && !slices.ContainsFunc(raw, func(b byte) bool { return b < 0x20 || b >= 0x7f }) {
		if k, ok := c.names[string(raw)]; ok {
			return k
		}
		k := string(raw)
		if c.names == nil {
			c.names = map[string]string{}
		}
		c.names[k] = k
		return k
	}
	d := rawChecker{data: raw}
	var b strings.Builder
	for d.i < len(raw) {
		if start := d.i; raw[start] >= utf8.RuneSelf {
			_, size := utf8.DecodeRune(raw[start:])
			d.i += size
			b.Write(raw[start:d.i]) // as it is, even when not UTF-8
			continue
		}
		r, _ := d.char()
		b.WriteRune(r)
	}
	return b.String()
}

// keySet is a set of keys, each with a value: a few in place while small
// (most objects have a few keys), a map when larger.
type keySet struct {
	small [8][2]string
	n     int
	m     map[string]string
}

// add adds k with v, or returns the value k already has and true.
func (s *keySet) add(k, v string) (string, bool) {
	if s.m != nil {
		if old, ok := s.m[k]; ok {
			return old, true
		}
		s.m[k] = v
		return "", false
	}
	for _, e := range s.small[:s.n] {
		if e[0] == k {
			return e[1], true
		}
	}
	if s.n < len(s.small) {
		s.small[s.n] = [2]string{k, v}
		s.n++
		return "", false
	}
	s.m = make(map[string]string, 4*len(s.small))
	for _, e := range s.small {
		s.m[e[0]] = e[1]
	}
	s.m[k] = v
	return "", false
}

// str reads the string at c.i (a quote), returning what is wrong with its
// text, if anything; a string that is not valid JSON marks the data
// invalid.
func (c *rawChecker) str() string {
	c.i++ // the opening quote
	// Most strings are plain ASCII without escapes: read them in one go.
	for j := c.i; j < len(c.data); j++ {
		ch := c.data[j]
		if ch == '"' {
			c.i = j + 1
			return ""
		}
		if ch == '\\' || ch < 0x20 || ch >= 0x7f {
			c.i = j
			break
		}
	}
	msg := ""
	for c.i < len(c.data) {
		if c.data[c.i] == '"' {
			c.i++
			return msg
		}
		r, m := c.char()
		if m == "" {
			m = runeProblem(r)
		}
		if msg == "" {
			msg = m
		}
	}
	c.invalid() // no closing quote
	return msg
}

// char reads one character of a string's text at c.i (not its closing
// quote): an escape, or a character in UTF-8. It returns the character and
// a problem that only the spelling shows (invalid UTF-8, a lone surrogate).
func (c *rawChecker) char() (rune, string) {
	ch := c.data[c.i]
	switch {
	case ch == '\\':
		if c.i+1 >= len(c.data) {
			c.invalid()
			return utf8.RuneError, ""
		}
		esc := c.data[c.i+1]
		c.i += 2
		switch esc {
		case 'b':
			return '\b', ""
		case 'f':
			return '\f', ""
		case 'n':
			return '\n', ""
		case 'r':
			return '\r', ""
		case 't':
			return '\t', ""
		case '"', '\\', '/':
			return rune(esc), ""
		case 'u':
			r := c.hex4()
			if !utf16.IsSurrogate(r) {
				return r, ""
			}
			if r < 0xdc00 && c.i+1 < len(c.data) && c.data[c.i] == '\\' && c.data[c.i+1] == 'u' {
				save := c.i
				c.i += 2
				if lo := c.hex4(); lo >= 0xdc00 && lo <= 0xdfff {
					return utf16.DecodeRune(r, lo), ""
				}
				c.i = save
			}
			return utf8.RuneError, fmt.Sprintf("holds a lone UTF-16 surrogate \\u%04x, which is not a character", r)
		default:
			c.invalid()
			return utf8.RuneError, ""
		}
	case ch < 0x20:
		c.invalid() // JSON strings hold no raw control characters
		return rune(ch), ""
	case ch < utf8.RuneSelf:
		c.i++
		return rune(ch), ""
	default:
		r, size := utf8.DecodeRune(c.data[c.i:])
		c.i += size
		if r == utf8.RuneError && size == 1 {
			c.badUTF8 = true // jsonfast.Valid wants UTF-8; the check reads on
			return r, "is not valid UTF-8"
		}
		return r, ""
	}
}

// hex4 reads the four hex digits of a \u escape.
func (c *rawChecker) hex4() rune {
	if c.i+4 > len(c.data) {
		c.invalid()
		return utf8.RuneError
	}
	var r rune
	for _, h := range c.data[c.i : c.i+4] {
		r <<= 4
		switch {
		case h >= '0' && h <= '9':
			r |= rune(h - '0')
		case h >= 'a' && h <= 'f':
			r |= rune(h - 'a' + 10)
		case h >= 'A' && h <= 'F':
			r |= rune(h - 'A' + 10)
		default:
			c.invalid()
			return utf8.RuneError
		}
	}
	c.i += 4
	return r
}

// fold returns a key folded so that fold(a) == fold(b) exactly when
// strings.EqualFold(a, b), the matching encoding/json uses for fields.
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		// In ASCII the least of each case orbit is the upper case letter.
		return strings.ToUpper(s)
	}
	var b strings.Builder
	for _, r := range s {
		min := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < min {
				min = f
			}
		}
		b.WriteRune(min)
	}
	return b.String()
}

var (
	unmarshalerType = reflect.TypeFor[interface{ UnmarshalJSON([]byte) error }]()
	textType        = reflect.TypeFor[interface{ UnmarshalText([]byte) error }]()
	fieldCache      sync.Map // reflect.Type → *structInfo
	customCache     sync.Map // reflect.Type → bool
)

// custom reports whether t decodes itself, so its JSON shape is unknown.
func custom(t reflect.Type) bool {
	if v, ok := customCache.Load(t); ok {
		return v.(bool)
	}
	c := reflect.PointerTo(t).Implements(unmarshalerType) || reflect.PointerTo(t).Implements(textType)
	customCache.Store(t, c)
	return c
}

// structInfo is what CheckRaw knows of a struct's JSON fields.
type structInfo struct {
	byFold map[string]reflect.Type // the folded JSON name of each field → its type
	exact  map[string]fieldInfo    // each field's JSON name as spelled → the same, without folding
	// ordered holds exact's fields in their declaration order, which
	// keys mostly follow: field tries the ones after the last key's first.
	ordered []fieldInfo
	// plain is set when the struct embeds nothing, so that exact holds
	// every key its decoding accepts without folding.
	plain bool
}

// fieldInfo is a field as a key spelled exactly as its JSON name finds it.
type fieldInfo struct {
	name, folded string
	typ          reflect.Type
}

// field returns the field a key spelled exactly as its JSON name (raw, the
// key's JSON string without quotes) finds; s may be nil. It looks at the
// few fields from ordered[*next] first, and sets *next after the one it
// finds there.
func (s *structInfo) field(raw []byte, next *int) (fieldInfo, bool) {
	if s == nil {
		return fieldInfo{}, false
	}
	for j := *next; j < len(s.ordered) && j < *next+4; j++ {
		if string(raw) == s.ordered[j].name {
			*next = j + 1
			return s.ordered[j], true
		}
	}
	f, ok := s.exact[string(raw)]
	return f, ok
}

// structFields returns the JSON fields of struct t.
func structFields(t reflect.Type) *structInfo {
	if v, ok := fieldCache.Load(t); ok {
		return v.(*structInfo)
	}
	m := map[string]reflect.Type{}
	var names []string
	plain := true
	for _, f := range reflect.VisibleFields(t) {
		if f.Anonymous {
			plain = false
		}
		tag := f.Tag.Get("json")
		if !f.IsExported() || tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			continue // its fields are promoted
		}
		if name == "" {
			name = f.Name
		}
		if _, dup := m[fold(name)]; !dup || len(f.Index) == 1 {
			m[fold(name)] = f.Type
		}
		names = append(names, name)
	}
	info := &structInfo{byFold: m, exact: make(map[string]fieldInfo, len(names)), plain: plain}
	for _, name := range names {
		// A JSON string spelled like the name means the name only when
		// it has neither escapes nor quotes.
		if !strings.ContainsAny(name, `"\`) {
			if _, dup := info.exact[name]; !dup {
				info.exact[name] = fieldInfo{name: name, folded: fold(name), typ: m[fold(name)]}
				info.ordered = append(info.ordered, info.exact[name])
			}
		}
	}
	fieldCache.Store(t, info)
	return info
}

// Clip cuts s to at most n characters (runes, never inside one), ending with
// "…" when it is cut; n must be at least 1.
func Clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
