package workflow

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

func TestErrorName(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{errs.E(errs.NotFound, "gone"), "Bulwark.NotFound"},
		{fmt.Errorf("run x step collect: %w", errs.E(errs.Unavailable, "throttled")), "Bulwark.Unavailable"},
		{errs.E(errs.TooLarge, "big"), "Bulwark.TooLarge"},
		{errors.New("boom"), "Bulwark.Internal"},
		{fmt.Errorf("step: %w", context.DeadlineExceeded), "Bulwark.Unavailable"},
	}
	for _, tc := range tests {
		if got := ErrorName(tc.err); got != tc.want {
			t.Errorf("ErrorName(%v) = %s, want %s", tc.err, got, tc.want)
		}
	}
}
