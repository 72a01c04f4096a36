package model_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/model"
	"github.com/bulwark-tm/bulwark/pkg/store/storetest"
)

// BenchmarkCheckRaw measures the text and key checks DecodeStrict adds,
// beside the decoding itself, and the check that a diagram PUT's body may
// be stored as it is, on a 1,000-component diagram.
func BenchmarkCheckRaw(b *testing.B) {
	m := storetest.GenerateModel("bench", "", 1000)
	data, err := json.Marshal(m.Diagram)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("CheckRaw", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if err := model.CheckRaw(data, reflect.TypeFor[model.Diagram]()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("CanonicalDiagram", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if model.CanonicalDiagram(data) == nil {
				b.Fatal("not canonical")
			}
		}
	})
	b.Run("DecodeDiagram", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := model.DecodeDiagram(data); err != nil {
				b.Fatal(err)
			}
		}
	})
}
