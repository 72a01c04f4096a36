package model

import (
	"encoding/json"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// FuzzDecode checks that any input either decodes into a document that
// marshals and decodes again to the same value, or fails with a kinded
// error — never a panic or an unkinded error.
func FuzzDecode(f *testing.F) {
	for _, s := range seedFiles(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Decode(data)
		if err != nil {
			if errs.KindOf(err) == errs.Other {
				t.Fatalf("unkinded error: %v", err)
			}
			return
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatalf("decoded document does not marshal: %v", err)
		}
		again, err := Decode(b)
		if err != nil {
			t.Fatalf("re-decode of our own output failed: %v\n%s", err, b)
		}
		b2, _ := json.Marshal(again)
		if string(b) != string(b2) {
			t.Fatalf("not stable:\n%s\n%s", b, b2)
		}
	})
}

// FuzzValidate checks that Validate never panics and that every problem
// names a field.
func FuzzValidate(f *testing.F) {
	for _, s := range seedFiles(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Decode(data)
		if err != nil {
			return
		}
		err = m.Validate()
		if err == nil {
			return
		}
		e, ok := errs.As(err)
		if !ok || e.Kind != errs.Invalid || len(e.Problems) == 0 {
			t.Fatalf("Validate returned %v", err)
		}
		for _, p := range e.Problems {
			if p.Field == "" || p.Message == "" {
				t.Fatalf("problem without field or message: %+v", p)
			}
		}
	})
}
