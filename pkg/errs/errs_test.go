package errs

import (
	"errors"
	"fmt"
	"testing"
)

func TestECauseKeepsAnExistingKind(t *testing.T) {
	plain := errors.New("connection reset")
	tests := []struct {
		name string
		err  error
		kind Kind
		want Kind
	}{
		{"plain error takes the kind", plain, Unavailable, Unavailable},
		{"malformed stays malformed", E(Malformed, "bad JSON"), Invalid, Malformed},
		{"not found stays not found through fmt.Errorf", fmt.Errorf("read model: %w", E(NotFound, "no model")), Unavailable, NotFound},
		{"other kind is replaced", &Error{Kind: Other, Err: plain}, Conflict, Conflict},
		{"field error stays invalid", Field("/name", "empty"), Malformed, Invalid},
		{"twice wrapped keeps the innermost kind", E(Forbidden, "first: %w", E(TooLarge, "big")), Invalid, TooLarge},
		{"other as the new kind keeps the cause's", E(NotFound, "gone"), Other, NotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := E(tt.kind, "context: %w", tt.err)
			if k := KindOf(got); k != tt.want {
				t.Errorf("KindOf(E(%v, %v)) = %v, want %v", tt.kind, tt.err, k, tt.want)
			}
			if !errors.Is(got, tt.err) {
				t.Errorf("E lost the cause: %v", got)
			}
			if e, ok := As(got); !ok || e.Kind != tt.want {
				t.Errorf("As(E(…)) = %v, %v; want kind %v", e, ok, tt.want)
			}
		})
	}
}

func TestEWithoutCause(t *testing.T) {
	plain := errors.New("timeout")
	got := E(Unavailable, "read item: %v", plain)
	if errors.Is(got, plain) {
		t.Errorf("a cause formatted with %%v must not be kept: %v", got)
	}
	if got.Kind != Unavailable || got.Err != nil {
		t.Errorf("E = %+v", got)
	}
}

func TestEWithTwoCauses(t *testing.T) {
	a, b := errors.New("closing"), E(Conflict, "stale")
	got := E(Unavailable, "save: %w; %w", a, b)
	if !errors.Is(got, a) || !errors.Is(got, b) {
		t.Errorf("E lost a cause: %v", got)
	}
	if KindOf(got) != Conflict {
		t.Errorf("KindOf = %v, want the classified cause's Conflict", KindOf(got))
	}
}

func TestErrorText(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{E(NotFound, "no model %q", "m1"), `no model "m1"`},
		{Field("/diagram/components/3/parent", "unknown group"), "/diagram/components/3/parent: unknown group"},
		{E(Unavailable, "read item: %w", errors.New("timeout")), "read item: timeout"},
		{E(Unavailable, "read %s: %w (try again)", "m1", errors.New("timeout")), "read m1: timeout (try again)"},
		{&Error{Kind: Conflict}, "conflict"},
		{&Error{Kind: Other, Message: "save", Err: errors.New("disk full")}, "save: disk full"},
		{&Error{Kind: Invalid, Field: "/name", Err: errors.New("empty")}, "/name: empty"},
		{fmt.Errorf("outer: %w", E(Invalid, "inner: %w", errors.New("cause"))), "outer: inner: cause"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}
