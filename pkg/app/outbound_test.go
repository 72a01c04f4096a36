package app

import (
	"testing"
)

func TestOutboundPolicy(t *testing.T) {
	tests := []struct {
		name, auth, allow, lambda string
		loopback                  bool
		allowed                   int
		bad                       bool
	}{
		{"local mode", "local", "", "", true, 0, false},
		{"jwt mode", "jwt", "", "", false, 0, false},
		{"local mode in Lambda", "local", "", "127.0.0.1:9001", false, 0, false},
		{"allow list", "jwt", "10.20.0.0/16, 192.168.1.5", "", false, 2, false},
		{"bad allow list", "jwt", "10.20.0.0/99", "", false, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("AWS_LAMBDA_RUNTIME_API", tt.lambda)
			c := FromEnv(func(k string) string {
				return map[string]string{"BULWARK_AUTH": tt.auth, "BULWARK_OUTBOUND_ALLOW": tt.allow}[k]
			})
			p, err := c.Outbound()
			if (err != nil) != tt.bad {
				t.Fatalf("err = %v", err)
			}
			if err == nil && (p.AllowLoopback != tt.loopback || len(p.Allow) != tt.allowed) {
				t.Errorf("policy %+v", p)
			}
		})
	}
}
