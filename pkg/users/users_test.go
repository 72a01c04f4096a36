package users

import "testing"

func TestHighestRole(t *testing.T) {
	for _, tt := range []struct {
		in   []string
		want string
	}{{nil, ""}, {[]string{"viewer", "admin"}, "admin"}, {[]string{"Editor"}, "editor"}, {[]string{"staff"}, ""}, {[]string{"viewer", "reviewer"}, "reviewer"}, {[]string{"reviewer", "editor"}, "editor"}} {
		if got := HighestRole(tt.in); got != tt.want {
			t.Errorf("HighestRole(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
