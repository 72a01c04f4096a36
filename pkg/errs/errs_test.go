package errs

import (
	"errors"
	"fmt"
	"testing"
)

func TestWrapKeepsAnExistingKind(t *testing.T) {
	plain := errors.New("connection reset")
	tests := []struct {
		name string
		err  error
		wrap Kind
		want Kind
	}{
		{"plain error takes the kind", plain, Unavailable, Unavailable},
		{"malformed stays malformed", E(Malformed, "bad JSON"), Invalid, Malformed},
		{"not found stays not found through fmt.Errorf", fmt.Errorf("read model: %w", E(NotFound, "no model")), Unavailable, NotFound},
		{"other kind is replaced", &Error{Kind: Other, Err: plain}, Conflict, Conflict},
		{"field error stays invalid", Field("/name", "empty"), Malformed, Invalid},
		{"twice wrapped keeps the innermost kind", Wrap(Forbidden, E(TooLarge, "big"), "first"), Invalid, TooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Wrap(tt.wrap, tt.err, "context")
			if k := KindOf(got); k != tt.want {
				t.Errorf("KindOf(Wrap(%v, %v)) = %v, want %v", tt.wrap, tt.err, k, tt.want)
			}
			if !errors.Is(got, tt.err) {
				t.Errorf("Wrap lost the cause: %v", got)
			}
		})
	}
	if Wrap(Invalid, nil, "x") != nil {
		t.Error("Wrap(nil) must be nil")
	}
}

func TestErrorText(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{E(NotFound, "no model %q", "m1"), `no model "m1"`},
		{Field("/diagram/components/3/parent", "unknown group"), "/diagram/components/3/parent: unknown group"},
		{Wrap(Unavailable, errors.New("timeout"), "read item"), "read item: timeout"},
		{&Error{Kind: Conflict}, "conflict"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}
