package store

import (
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

func TestCheckKey(t *testing.T) {
	for _, tt := range []struct {
		tenant, kind, id string
		ok               bool
	}{
		{"acme", "model", "m-1", true},
		{"acme", "model", "a/b ü", true},
		{"", "model", "m", false},
		{"ac#me", "model", "m", false},
		{"acme", "", "m", false},
		{"acme", "model", "", false},
		{"acme", "model", "m\x00", false},
		{"acme", "model", "m\xff", false},
		{strings.Repeat("t", MaxScopeLen+1), "model", "m", false},
		{"acme", "model", strings.Repeat("i", MaxIDLen+1), false},
	} {
		err := CheckKey(tt.tenant, Kind(tt.kind), tt.id)
		if (err == nil) != tt.ok || (err != nil && !errs.Is(err, errs.Invalid)) {
			t.Errorf("CheckKey(%q, %q, %q) = %v, want ok=%v", tt.tenant, tt.kind, tt.id, err, tt.ok)
		}
	}
}

func TestListLimit(t *testing.T) {
	for in, want := range map[int]int{0: 100, 1: 1, 1000: 1000, 5000: 1000} {
		if got, err := ListLimit(in); err != nil || got != want {
			t.Errorf("ListLimit(%d) = %d, %v; want %d", in, got, err, want)
		}
	}
	if _, err := ListLimit(-1); !errs.Is(err, errs.Invalid) {
		t.Errorf("ListLimit(-1): %v", err)
	}
}

func TestCursor(t *testing.T) {
	a, b := Cursor("a1:"), Cursor("b1:")
	if id, err := a.Decode(a.Encode("m/1")); err != nil || id != "m/1" {
		t.Errorf("round trip: %q %v", id, err)
	}
	if id, err := a.Decode(""); err != nil || id != "" {
		t.Errorf("empty cursor: %q %v", id, err)
	}
	for _, bad := range []string{b.Encode("m"), "%%%", a.Encode(""), a.Encode("m\x00")} {
		if _, err := a.Decode(bad); !errs.Is(err, errs.Invalid) {
			t.Errorf("Decode(%q) = %v, want Invalid", bad, err)
		}
	}
}
