package store

import (
	"context"
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

func TestStartList(t *testing.T) {
	c := Cursor("x#")
	ctx := context.Background()
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	for _, tc := range []struct {
		name        string
		ctx         context.Context
		tenant      string
		opts        ListOptions
		limit       int
		after       string
		kind        errs.Kind // Other: no error
		errContains string
	}{
		{"defaults", ctx, "acme", ListOptions{}, 100, "", errs.Other, ""},
		{"after a cursor", ctx, "acme", ListOptions{Limit: 5, Cursor: c.Encode("m-1")}, 5, "m-1", errs.Other, ""},
		{"bad scope", ctx, "", ListOptions{}, 0, "", errs.Invalid, "list:"},
		{"negative limit", ctx, "acme", ListOptions{Limit: -1}, 0, "", errs.Invalid, "list model"},
		{"another driver's cursor", ctx, "acme", ListOptions{Cursor: Cursor("y#").Encode("m-1")}, 0, "", errs.Invalid, "malformed cursor"},
		{"canceled", canceled, "acme", ListOptions{}, 0, "", errs.Other, "context canceled"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			limit, after, err := c.StartList(tc.ctx, tc.tenant, "model", tc.opts)
			if tc.errContains == "" {
				if err != nil || limit != tc.limit || after != tc.after {
					t.Fatalf("got %d %q %v, want %d %q", limit, after, err, tc.limit, tc.after)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.errContains) || (tc.kind != errs.Other && !errs.Is(err, tc.kind)) {
				t.Fatalf("error %v, want kind %v containing %q", err, tc.kind, tc.errContains)
			}
		})
	}
}
