package api

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/store/bolt"
	"github.com/bulwark-tm/bulwark/pkg/users"
)

// memDirectory is a small in-memory users.Directory for the API's tests;
// the Cognito directory is tested against a Cognito stand-in in pkg/users.
type memDirectory struct {
	byTenant map[string]map[string]*users.User
}

func (m *memDirectory) List(_ context.Context, tenant string) ([]users.User, error) {
	var out []users.User
	for _, u := range m.byTenant[tenant] {
		out = append(out, *u)
	}
	return out, nil
}

func (m *memDirectory) Invite(_ context.Context, tenant, email, role string) (*users.User, error) {
	if m.byTenant[tenant] == nil {
		m.byTenant[tenant] = map[string]*users.User{}
	}
	if m.byTenant[tenant][email] != nil {
		return nil, errs.E(errs.Conflict, "%s exists", email)
	}
	u := &users.User{Username: email, Email: email, Role: role, Enabled: true}
	m.byTenant[tenant][email] = u
	return u, nil
}

func (m *memDirectory) SetRole(_ context.Context, tenant, name, role string) (*users.User, error) {
	u := m.byTenant[tenant][name]
	if u == nil {
		return nil, errs.E(errs.NotFound, "no user %s", name)
	}
	u.Role = role
	return u, nil
}

func (m *memDirectory) Remove(_ context.Context, tenant, name string) error {
	if m.byTenant[tenant][name] == nil {
		return errs.E(errs.NotFound, "no user %s", name)
	}
	delete(m.byTenant[tenant], name)
	return nil
}

func TestUsersAPI(t *testing.T) {
	st, err := bolt.Open(filepath.Join(t.TempDir(), "u.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h := New(Deps{Store: st, Auth: headerAuth{}, Logger: discardLogger(), Users: &memDirectory{byTenant: map[string]map[string]*users.User{}}})
	admin := client{t: t, h: h, who: "acme/admin/root@example.com"}
	if r := admin.do("POST", "/api/v1/users", map[string]string{"email": "ann@example.com", "role": "editor"}); r.status != http.StatusCreated {
		t.Fatalf("invite: %d %s", r.status, r.body)
	}
	tests := []struct {
		name, who, method, path string
		body                    any
		status                  int
		field                   string
	}{
		{"bad email", "", "POST", "/api/v1/users", map[string]string{"email": "ann", "role": "editor"}, 422, "/email"},
		{"bad role", "", "POST", "/api/v1/users", map[string]string{"email": "x@example.com", "role": "owner"}, 422, "/role"},
		{"duplicate", "", "POST", "/api/v1/users", map[string]string{"email": "ann@example.com", "role": "viewer"}, 409, ""},
		{"editor lists users", "acme/editor/ann@example.com", "GET", "/api/v1/users", nil, 403, ""},
		{"demote yourself", "", "PUT", "/api/v1/users/root@example.com/role", map[string]string{"role": "viewer"}, 422, "/role"},
		{"remove yourself", "", "DELETE", "/api/v1/users/root@example.com", nil, 422, ""},
		{"other tenant's user", "globex/admin/g@example.com", "PUT", "/api/v1/users/ann@example.com/role", map[string]string{"role": "viewer"}, 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := admin
			if tt.who != "" {
				c.who = tt.who
			}
			r := c.do(tt.method, tt.path, tt.body)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if p := r.problem(t); p.Field != tt.field {
				t.Errorf("field %q, want %q", p.Field, tt.field)
			}
		})
	}
	if r := admin.do("PUT", "/api/v1/users/ann@example.com/role", map[string]string{"role": "admin"}); r.status != 200 || !strings.Contains(string(r.body), `"role":"admin"`) {
		t.Errorf("set role: %d %s", r.status, r.body)
	}
	if r := admin.do("DELETE", "/api/v1/users/ann@example.com", nil); r.status != http.StatusNoContent {
		t.Errorf("remove: %d %s", r.status, r.body)
	}
	// Without a directory (a laptop) the routes explain why.
	local := client{t: t, h: newTestAPI(t), who: "acme/admin/root"}
	if r := local.do("GET", "/api/v1/users", nil); r.status != 503 || !strings.Contains(r.problem(t).Detail, "Cognito") {
		t.Errorf("no directory: %d %s", r.status, r.body)
	}
}
