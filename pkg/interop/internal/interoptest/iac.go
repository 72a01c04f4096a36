package interoptest

import (
	"slices"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
)

// Properties is an element of an imported corpus entry whose attributes
// decide threats.
type Properties struct {
	File      string         // below testdata/real
	ID        string         // the element
	Props     map[string]any // catalog properties it must have
	Threats   []string       // threat rules analysis must find on it
	NoThreats []string       // threat rules analysis must not find on it
}

// CheckProperties imports each case's file with f and checks that the
// attributes deciding threats are carried into catalog properties, and
// that analysis then finds the threats they decide.
func CheckProperties(t *testing.T, f convert.Format, cases ...Properties) {
	for _, tt := range cases {
		t.Run(tt.File+" "+tt.ID, func(t *testing.T) {
			m := MustImport(t, f, RealFiles(t, tt.File)).Model
			for k, want := range tt.Props {
				if got := Prop(t, m, tt.ID, k); got != want {
					t.Errorf("%s = %v, want %v", k, got, want)
				}
			}
			rules := ThreatRules(t, m, tt.ID)
			for _, r := range tt.Threats {
				if !slices.Contains(rules, r) {
					t.Errorf("threat %s missing; threats: %v", r, rules)
				}
			}
			for _, r := range tt.NoThreats {
				if slices.Contains(rules, r) {
					t.Errorf("threat %s should not apply", r)
				}
			}
		})
	}
}

// Flow is a flow an imported corpus entry must have, with a substring of
// the reference that made it.
type Flow struct {
	File, Source, Target, Reason string
}

// CheckFlows imports each case's file with f and checks the flow and its
// reason.
func CheckFlows(t *testing.T, f convert.Format, cases ...Flow) {
	for _, tt := range cases {
		t.Run(tt.File+" "+tt.Source+" "+tt.Target, func(t *testing.T) {
			m := MustImport(t, f, RealFiles(t, tt.File)).Model
			fs := FlowsBetween(m, tt.Source, tt.Target)
			if len(fs) == 0 {
				var all []string
				for _, f := range m.Diagram.Flows {
					all = append(all, f.Source+" → "+f.Target)
				}
				t.Fatalf("no flow %s → %s; flows: %v", tt.Source, tt.Target, all)
			}
			if !strings.Contains(Reason(fs[0]), tt.Reason) {
				t.Errorf("reason %q lacks %q", Reason(fs[0]), tt.Reason)
			}
		})
	}
}

// EveryFlowHasReason imports every entry of a corpus folder with f and
// checks that each flow records the reference that made it.
func EveryFlowHasReason(t *testing.T, f convert.Format, folder string) {
	cat := Catalog(t)
	for _, e := range Entries(t, folder) {
		res, err := convert.Import(f, e.Files, cat)
		if err != nil {
			t.Errorf("%s: %v", e.Path, err)
			continue
		}
		for _, fl := range res.Model.Diagram.Flows {
			if Reason(fl) == "" {
				t.Errorf("%s: flow %s → %s has no reason", e.Path, fl.Source, fl.Target)
			}
		}
	}
}
