package gctune

import (
	"runtime/debug"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestApply(t *testing.T) {
	tests := []struct {
		name        string
		env         map[string]string
		wantPercent int
		wantLimit   int64
	}{
		{"nothing set: the server's settings", nil, Percent, Limit},
		{"GOGC set: only the limit", map[string]string{"GOGC": "50"}, 0, Limit},
		{"GOMEMLIMIT set: only the target", map[string]string{"GOMEMLIMIT": "2GiB"}, Percent, 0},
		{"both set: nothing", map[string]string{"GOGC": "off", "GOMEMLIMIT": "2GiB"}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			beforePercent := debug.SetGCPercent(77)
			beforeLimit := debug.SetMemoryLimit(3 << 30)
			defer debug.SetGCPercent(beforePercent)
			defer debug.SetMemoryLimit(beforeLimit)

			s, restore := Apply(env(tt.env))
			if s.Percent != tt.wantPercent || s.Limit != tt.wantLimit {
				t.Errorf("Apply = %+v, want percent %d, limit %d", s, tt.wantPercent, tt.wantLimit)
			}
			wantNowPercent, wantNowLimit := 77, int64(3<<30)
			if tt.wantPercent != 0 {
				wantNowPercent = tt.wantPercent
			}
			if tt.wantLimit != 0 {
				wantNowLimit = tt.wantLimit
			}
			if got := debug.SetGCPercent(-1); got != wantNowPercent {
				t.Errorf("GC percent %d, want %d", got, wantNowPercent)
			}
			debug.SetGCPercent(wantNowPercent)
			if got := debug.SetMemoryLimit(-1); got != wantNowLimit {
				t.Errorf("memory limit %d, want %d", got, wantNowLimit)
			}
			restore()
			if got := debug.SetGCPercent(-1); got != 77 {
				t.Errorf("after restore: GC percent %d, want 77", got)
			}
			debug.SetGCPercent(77)
			if got := debug.SetMemoryLimit(-1); got != 3<<30 {
				t.Errorf("after restore: memory limit %d, want %d", got, int64(3<<30))
			}
		})
	}
}
