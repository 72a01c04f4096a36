// Package jsonfast encodes and decodes the large JSON documents on Bulwark's
// hot paths — diagrams of a thousand components, a hundred thousand
// Security Hub findings — with github.com/goccy/go-json, about three times
// faster than encoding/json and with far fewer allocations.
//
// encoding/json stays the reference: whenever the fast decoder refuses an
// input, the input is decoded again by encoding/json, so that callers see
// encoding/json's error types (*json.SyntaxError, *json.UnmarshalTypeError)
// and messages, which they turn into field-precise errors, and so that an
// input the fast decoder wrongly refuses is still read. A differential fuzz
// test holds the two decoders to the same answers.
package jsonfast

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"unicode/utf8"

	gojson "github.com/goccy/go-json"
)

// Marshal returns the JSON encoding of v: what json.Marshal returns, but
// for the spelling of a float's exponent (1e-07, not 1e-7), which only
// numbers below 1e-6 or from 1e21 up have.
func Marshal(v any) ([]byte, error) {
	return gojson.Marshal(v)
}

// Unmarshal decodes data into v, a non-nil pointer to a zero value, as
// json.Unmarshal does.
func Unmarshal(data []byte, v any) error {
	if !Valid(data) {
		return json.Unmarshal(data, v)
	}
	return UnmarshalValid(data, v)
}

// UnmarshalValid is Unmarshal for data known to pass Valid: data this
// program encoded (a stored record), or a part of a checked document. It
// skips the syntax check.
func UnmarshalValid(data []byte, v any) error {
	if gojson.Unmarshal(data, v) == nil {
		return nil
	}
	reset(v)
	return json.Unmarshal(data, v)
}

// UnmarshalStrict decodes exactly one JSON value from data into v (a
// non-nil pointer to a zero value), rejecting fields v has no place for and
// data after the value. Its errors are those of a json.Decoder with
// DisallowUnknownFields; data after the value is reported as
// ErrTrailingData.
func UnmarshalStrict(data []byte, v any) error {
	if !Valid(data) {
		return strictStd(data, v)
	}
	return UnmarshalStrictValid(data, v)
}

// UnmarshalStrictValid is UnmarshalStrict for data known to pass Valid,
// such as a document this program stored: it skips the syntax check.
// Anything the fast decoder refuses is still decoded, and refused, by
// encoding/json.
func UnmarshalStrictValid(data []byte, v any) error {
	dec := gojson.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if dec.Decode(v) == nil {
		if off := dec.InputOffset(); off >= 0 && off <= int64(len(data)) && onlySpace(data[off:]) {
			return nil
		}
	}
	reset(v)
	return strictStd(data, v)
}

// UnmarshalStrictKnown is UnmarshalStrictValid for data in which every
// key of an object that decodes into a struct is known to name one of its
// fields exactly as spelled (model.DecodeStrict's check tells): with no
// unknown field to look for, the fast decoder reads the whole buffer at
// once, which is quicker than its streaming mode. Anything it refuses is
// still decoded, and refused, by encoding/json.
func UnmarshalStrictKnown(data []byte, v any) error {
	if gojson.Unmarshal(data, v) == nil {
		return nil
	}
	reset(v)
	return strictStd(data, v)
}

// Speculation is a decoding of data by UnmarshalStrictKnown's fast
// decoder started in another goroutine before the caller knows whether
// data may go to it, so that the decoding and the caller's check of data
// run at once. The fast decoder reads data, whatever it is, only into a
// value of its own; a panic there counts as a failed decoding.
type Speculation struct {
	done  chan struct{}
	value reflect.Value // a new value of the type v points to
	ok    bool
}

// Speculate starts decoding data into a new value of the type v (a
// non-nil pointer) points to. The caller must call Into or Wait, and must
// not change data until then.
func Speculate(data []byte, v any) *Speculation {
	s := &Speculation{done: make(chan struct{}), value: reflect.New(reflect.TypeOf(v).Elem())}
	go func() {
		defer close(s.done)
		defer func() {
			if recover() != nil {
				s.ok = false
			}
		}()
		s.ok = gojson.Unmarshal(data, s.value.Interface()) == nil
	}()
	return s
}

// Into waits for the decoding and, when it succeeded, stores the decoded
// value in what v points to and reports true: what UnmarshalStrictKnown
// would have decoded into v, a pointer to a zero value of the same type as
// the one given to Speculate, had it been called instead.
func (s *Speculation) Into(v any) bool {
	<-s.done
	if !s.ok {
		return false
	}
	reflect.ValueOf(v).Elem().Set(s.value.Elem())
	return true
}

// Wait waits for the decoding, whose result is not wanted.
func (s *Speculation) Wait() { <-s.done }

// strictStd is UnmarshalStrict on encoding/json alone.
func strictStd(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return ErrTrailingData
	}
	return nil
}

// ErrTrailingData is returned by UnmarshalStrict for data after the JSON
// value.
var ErrTrailingData = errors.New("data after the JSON value")

// Valid reports whether data may go to the fast decoder: one JSON value in
// valid UTF-8. The fast decoder does not check the syntax of what it skips
// (raw values, unknown fields) and keeps invalid UTF-8 where encoding/json
// puts U+FFFD, so Unmarshal and UnmarshalStrict check first, with
// encoding/json's scanner (about 180 MB/s, a third of the fast decoder's
// time).
func Valid(data []byte) bool {
	return utf8.Valid(data) && json.Valid(data)
}

func onlySpace(b []byte) bool {
	return len(bytes.TrimLeft(b, " \t\r\n")) == 0
}

// reset zeroes what v points to, so that a second decoder starts from what
// the caller passed rather than from a half-decoded value.
func reset(v any) {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv.Elem().SetZero()
	}
}

// Member returns where the value of the top-level member key lies in
// data, a JSON object known to pass Valid (such as a document this program
// stored): data[start:end] is the value. ok is false when data is not an
// object or has no member spelled exactly key (without escapes). It reads
// only the bytes, several times faster than decoding.
func Member(data []byte, key string) (start, end int, ok bool) {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return 0, 0, false
	}
	i++
	for {
		i = skipSpace(data, i)
		if i >= len(data) || data[i] != '"' {
			return 0, 0, false // the end of the object
		}
		k := i + 1
		i = skipString(data, i)
		match := i-1-k == len(key) && string(data[k:i-1]) == key
		i = skipSpace(data, i)
		if i >= len(data) || data[i] != ':' {
			return 0, 0, false
		}
		start = skipSpace(data, i+1)
		end = skipValue(data, start)
		if match {
			return start, end, true
		}
		i = skipSpace(data, end)
		if i >= len(data) || data[i] != ',' {
			return 0, 0, false
		}
		i++
	}
}

// skipSpace returns the index of the first byte from i that is not JSON
// white space.
func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the JSON string starting at i. It
// jumps from quote to quote (bytes.IndexByte), and a quote ends the string
// unless an odd run of backslashes comes before it.
func skipString(data []byte, i int) int {
	for i++; i < len(data); {
		j := bytes.IndexByte(data[i:], '"')
		if j < 0 {
			return len(data)
		}
		q, n := i+j, 0
		for data[q-1-n] == '\\' { // stops at the opening quote at the latest
			n++
		}
		if n%2 == 0 {
			return q + 1
		}
		i = q + 1
	}
	return len(data)
}

// skipValue returns the index after the valid JSON value starting at i.
func skipValue(data []byte, i int) int {
	depth := 0
	for i < len(data) {
		switch data[i] {
		case '"':
			i = skipString(data, i)
			if depth == 0 {
				return i
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return i // the end of a number or literal
			}
			depth--
			if depth == 0 {
				return i + 1
			}
		case ',', ' ', '\t', '\n', '\r':
			if depth == 0 {
				return i // the end of a number or literal
			}
		}
		i++
	}
	return i
}
