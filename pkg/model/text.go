package model

import (
	"fmt"
	"reflect"
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
	c := rawChecker{data: data}
	if err := c.value(t, 0); err != nil {
		return &rawError{err}
	}
	return nil
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

func (c *rawChecker) fail(k errs.Kind, msg string) *errs.Error {
	return &errs.Error{Kind: k, Field: c.pointer(), Message: msg}
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

func (c *rawChecker) value(t reflect.Type, depth int) *errs.Error {
	if depth > maxRawDepth {
		return c.fail(errs.Malformed, fmt.Sprintf("nested deeper than %d levels", maxRawDepth))
	}
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	c.ws()
	if c.i >= len(c.data) {
		return nil
	}
	switch c.data[c.i] {
	case '{':
		return c.object(t, depth)
	case '[':
		c.i++
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) && !custom(t) {
			elem = t.Elem()
		}
		for n := 0; ; {
			c.ws()
			if c.i >= len(c.data) {
				return nil
			}
			switch c.data[c.i] {
			case ']':
				c.i++
				return nil
			case ',':
				c.i++
				continue
			}
			c.path = append(c.path, segment{index: n})
			if err := c.value(elem, depth+1); err != nil {
				return err
			}
			c.path = c.path[:len(c.path)-1]
			n++
		}
	case '"':
		_, msg := c.str(false)
		if msg != "" {
			return c.fail(errs.Invalid, msg)
		}
		return nil
	default:
		// A number, true, false or null.
		start := c.i
		for c.i < len(c.data) && !strings.ContainsRune(",]} \t\n\r", rune(c.data[c.i])) {
			c.i++
		}
		if c.i == start {
			c.i++ // not valid JSON; only make progress
		}
		return nil
	}
}

func (c *rawChecker) object(t reflect.Type, depth int) *errs.Error {
	c.i++
	var fields map[string]reflect.Type
	var elem reflect.Type
	if t != nil && !custom(t) {
		switch t.Kind() {
		case reflect.Struct:
			fields = structFields(t)
		case reflect.Map:
			elem = t.Elem()
		}
	}
	var seen keySet
	var folded keySet
	for {
		c.ws()
		if c.i >= len(c.data) {
			return nil
		}
		switch c.data[c.i] {
		case '}':
			c.i++
			return nil
		case ',':
			c.i++
			continue
		case '"':
		default:
			return nil // not valid JSON; the decoder reports it
		}
		key, msg := c.str(true)
		c.path = append(c.path, segment{key: key, index: -1})
		if msg != "" {
			return c.fail(errs.Invalid, "the key "+msg)
		}
		if _, dup := seen.add(key, key); dup {
			return c.fail(errs.Malformed, fmt.Sprintf("the key %q appears twice in one object", key))
		}
		child := elem
		if fields != nil {
			f := fold(key)
			if prev, dup := folded.add(f, key); dup {
				return c.fail(errs.Malformed, fmt.Sprintf("the keys %q and %q differ only in letter case; send one", prev, key))
			}
			child = fields[f]
		}
		c.ws()
		if c.i < len(c.data) && c.data[c.i] == ':' {
			c.i++
		}
		if err := c.value(child, depth+1); err != nil {
			return err
		}
		c.path = c.path[:len(c.path)-1]
	}
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

// str reads the string at c.i, returning its text when want is set and
// what is wrong with it, if anything.
func (c *rawChecker) str(want bool) (string, string) {
	c.i++ // the opening quote
	// Most strings are plain ASCII without escapes: read them in one go.
	for j := c.i; j < len(c.data); j++ {
		ch := c.data[j]
		if ch == '"' {
			var text string
			if want {
				text = string(c.data[c.i:j])
			}
			c.i = j + 1
			return text, ""
		}
		if ch == '\\' || ch < 0x20 || ch >= 0x7f {
			break
		}
	}
	var b strings.Builder
	msg := ""
	note := func(m string) {
		if msg == "" {
			msg = m
		}
	}
	for c.i < len(c.data) {
		ch := c.data[c.i]
		switch {
		case ch == '"':
			c.i++
			return b.String(), msg
		case ch == '\\' && c.i+1 < len(c.data):
			esc := c.data[c.i+1]
			c.i += 2
			var r rune
			switch esc {
			case 'b':
				r = '\b'
			case 'f':
				r = '\f'
			case 'n':
				r = '\n'
			case 'r':
				r = '\r'
			case 't':
				r = '\t'
			case 'u':
				r = c.hex4()
				if utf16.IsSurrogate(r) {
					lo := rune(-1)
					if r < 0xdc00 && c.i+1 < len(c.data) && c.data[c.i] == '\\' && c.data[c.i+1] == 'u' {
						save := c.i
						c.i += 2
						if lo = c.hex4(); lo < 0xdc00 || lo > 0xdfff {
							c.i, lo = save, -1
						}
					}
					if lo < 0 {
						note(fmt.Sprintf("holds a lone UTF-16 surrogate \\u%04x, which is not a character", r))
						r = utf8.RuneError
					} else {
						r = utf16.DecodeRune(r, lo)
					}
				}
			default:
				r = rune(esc)
			}
			if m := runeProblem(r); m != "" {
				note(m)
			}
			if want {
				b.WriteRune(r)
			}
		case ch < utf8.RuneSelf:
			c.i++
			if m := runeProblem(rune(ch)); m != "" {
				note(m)
			}
			if want {
				b.WriteByte(ch)
			}
		default:
			r, size := utf8.DecodeRune(c.data[c.i:])
			if r == utf8.RuneError && size == 1 {
				note("is not valid UTF-8")
			} else if m := runeProblem(r); m != "" {
				note(m)
			}
			if want {
				b.Write(c.data[c.i : c.i+size])
			}
			c.i += size
		}
	}
	return b.String(), msg
}

func (c *rawChecker) hex4() rune {
	if c.i+4 > len(c.data) {
		c.i = len(c.data)
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
	fieldCache      sync.Map // reflect.Type → map[string]reflect.Type
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

// structFields maps the folded JSON name of each field of struct t to its
// type.
func structFields(t reflect.Type) map[string]reflect.Type {
	if v, ok := fieldCache.Load(t); ok {
		return v.(map[string]reflect.Type)
	}
	m := map[string]reflect.Type{}
	for _, f := range reflect.VisibleFields(t) {
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
	}
	fieldCache.Store(t, m)
	return m
}
