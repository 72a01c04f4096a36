package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/jsonfast"
)

// Decode reads one threat model document from JSON, migrating it from an
// older schema version when needed, and normalizes it. It rejects unknown
// fields, wrong types and trailing data with an errs.Malformed error naming the
// field. It does not Validate: callers decide when (a client may send a
// partial document that the server completes first).
func Decode(data []byte) (*ThreatModel, error) {
	return decode(data, DecodeStrict)
}

// DecodeStored is Decode for a document Bulwark itself encoded (a stored
// model): the first pass skips the JSON syntax check such bytes pass by
// construction; anything else is read as Decode reads it.
func DecodeStored(data []byte) (*ThreatModel, error) {
	return decode(data, func(data []byte, v any) error {
		if jsonfast.UnmarshalStrictValid(data, v) != nil {
			return DecodeStrict(data, v)
		}
		return nil
	})
}

// decode is Decode with first as the decoder of the first pass.
func decode(data []byte, first func([]byte, any) error) (*ThreatModel, error) {
	// Documents at the current version (all stored ones) decode in one pass;
	// anything else goes through Migrate and decodes again.
	var m ThreatModel
	err := first(data, &m)
	if err == nil && m.SchemaVersion == SchemaVersion {
		m.Normalize()
		return &m, nil
	}
	if re := (*rawError)(nil); errors.As(err, &re) {
		return nil, err
	}
	migrated, err := Migrate(data)
	if err != nil {
		return nil, err
	}
	m = ThreatModel{}
	if err := DecodeStrict(migrated, &m); err != nil {
		return nil, err
	}
	m.Normalize()
	return &m, nil
}

// DecodeDiagram reads a Diagram from JSON as Decode does for a whole model.
func DecodeDiagram(data []byte) (*Diagram, error) {
	d, _, err := decodeDiagram(data, false)
	return d, err
}

// DecodeDiagramCanonical is DecodeDiagram that also returns what
// CanonicalDiagram returns for data, worked out (for a large document) in
// another goroutine while the decoder runs.
func DecodeDiagramCanonical(data []byte) (*Diagram, []byte, error) {
	return decodeDiagram(data, true)
}

// decodeDiagram is DecodeDiagram, and with canonical set
// DecodeDiagramCanonical.
func decodeDiagram(data []byte, canonical bool) (*Diagram, []byte, error) {
	var kept []byte
	var done chan struct{}
	if canonical && len(data) >= speculateFrom {
		// Canonical reads any input safely (it bounds nesting).
		done = make(chan struct{})
		go func() {
			defer close(done)
			kept = CanonicalDiagram(data)
		}()
	}
	var d Diagram
	err := DecodeStrict(data, &d)
	if done != nil {
		<-done
	} else if canonical && err == nil {
		kept = CanonicalDiagram(data)
	}
	if err != nil {
		return nil, nil, err
	}
	d.Normalize()
	return &d, kept, nil
}

// CanonicalDiagram returns data, without the JSON white space around it,
// when it is exactly what jsonfast.Marshal writes for the diagram
// DecodeDiagram reads from it (see jsonfast.Canonical), and nil otherwise.
// Its answer means something only for a diagram DecodeDiagram accepts; it
// reads any input safely.
func CanonicalDiagram(data []byte) []byte {
	data = bytes.Trim(data, " \t\r\n")
	if !jsonfast.Canonical(data, reflect.TypeFor[Diagram]()) {
		return nil
	}
	return data
}

// DecodeStrict unmarshals exactly one JSON value from data into v, rejecting
// unknown fields and trailing data, and turns decoder errors into
// errs.Malformed errors that name the offending field as a JSON Pointer.
// It also refuses, with CheckRaw, what the decoder would read silently
// wrong: invalid text, duplicate keys and keys differing only in case.
// Decoder errors come first; CheckRaw's pass also checks the syntax that
// jsonfast.UnmarshalStrict would check again, and whether there are unknown
// fields to look for. A large document is decoded by the fast decoder in
// another goroutine during the check, and the decoding kept when the check
// finds that the fast decoder may read it.
func DecodeStrict(data []byte, v any) error {
	var spec *jsonfast.Speculation
	if len(data) >= speculateFrom {
		spec = jsonfast.Speculate(data, v)
	}
	problem, valid, known := checkRaw(data, reflect.TypeOf(v))
	var err error
	switch {
	case valid && known && spec != nil && spec.Into(v):
	case valid && known:
		err = jsonfast.UnmarshalStrictKnown(data, v)
	case valid:
		err = jsonfast.UnmarshalStrictValid(data, v)
	default:
		err = jsonfast.UnmarshalStrict(data, v)
	}
	if spec != nil {
		spec.Wait() // done already when Into ran
	}
	switch {
	case errors.Is(err, jsonfast.ErrTrailingData):
		return errs.E(errs.Malformed, "unexpected data after the JSON document")
	case err != nil:
		return decodeError(data, err)
	case problem != nil:
		return &rawError{problem}
	}
	return nil
}

// speculateFrom is the size from which DecodeStrict starts the fast
// decoder (jsonfast.Speculate) beside its check, and DecodeDiagramCanonical
// its check of the spelling: below it, a goroutine costs more than it
// saves. A variable for tests.
var speculateFrom = 64 << 10

func decodeError(data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	if len(bytes.TrimSpace(data)) == 0 {
		return errs.E(errs.Malformed, "the body is empty; a JSON document is required")
	}
	switch {
	case errors.As(err, &syn) && strings.Contains(syn.Error(), "unexpected end of JSON input"),
		errors.Is(err, io.ErrUnexpectedEOF):
		return errs.E(errs.Malformed, "malformed JSON: the document ends too early")
	case errors.As(err, &syn) && strings.Contains(syn.Error(), "after top-level value"):
		return errs.E(errs.Malformed, "unexpected data after the JSON document")
	case errors.Is(err, io.EOF):
		return errs.E(errs.Malformed, "the body is empty; a JSON document is required")
	case errors.As(err, &syn):
		line, col := position(data, syn.Offset)
		return errs.E(errs.Malformed, "malformed JSON at line %d, column %d: %s", line, col, syn.Error())
	case errors.As(err, &typ):
		field := "/" + strings.ReplaceAll(typ.Field, ".", "/")
		if typ.Field == "" {
			field = ""
		}
		return errs.E(errs.Malformed, "must be %s, got JSON %s", describeType(typ.Type.String()), typ.Value).At(field)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return errs.E(errs.Malformed, "unknown field %q", name).At("/" + name)
	default:
		return errs.E(errs.Malformed, "%s", "invalid JSON: "+err.Error())
	}
}

func describeType(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "an array"
	case strings.HasPrefix(goType, "map["), strings.HasPrefix(goType, "model."), strings.HasPrefix(goType, "*model."), strings.HasPrefix(goType, "struct"):
		return "an object"
	case strings.HasPrefix(goType, "int"), strings.HasPrefix(goType, "float"), strings.HasPrefix(goType, "uint"):
		return "a number"
	case goType == "bool":
		return "true or false"
	case goType == "time.Time":
		return "an RFC 3339 time"
	default:
		return "a string"
	}
}

func position(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line = 1 + bytes.Count(data[:off], []byte("\n"))
	col = int(off) - bytes.LastIndexByte(data[:off], '\n')
	return line, col
}
