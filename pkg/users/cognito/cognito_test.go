package cognito

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// fakePool is a loopback Cognito user pool speaking the service's JSON 1.1
// protocol (X-Amz-Target AWSCognitoIdentityProviderService.<Op>), enough
// for the operations the Directory uses. ListUsers pages by two.
type fakePool struct {
	mu    sync.Mutex
	users map[string]*fakeUser
	order []string
	calls []string
}

type fakeUser struct {
	attrs   map[string]string
	groups  map[string]bool
	enabled bool
}

func (f *fakePool) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "AWSCognitoIdentityProviderService.")
	f.calls = append(f.calls, op)
	var in map[string]any
	body, _ := io.ReadAll(r.Body)
	_ = json.Unmarshal(body, &in)
	if in["UserPoolId"] != "eu-west-1_pool" {
		fail(w, "ResourceNotFoundException", "no such pool")
		return
	}
	name, _ := in["Username"].(string)
	u := f.users[name]
	needUser := op != "ListUsers" && op != "AdminCreateUser"
	if needUser && u == nil {
		fail(w, "UserNotFoundException", "User does not exist.")
		return
	}
	switch op {
	case "ListUsers":
		start := 0
		if tok, ok := in["PaginationToken"].(string); ok {
			fmt.Sscan(tok, &start)
		}
		end := min(start+2, len(f.order))
		var out []any
		for _, n := range f.order[start:end] {
			out = append(out, userJSON(n, f.users[n], "Attributes"))
		}
		resp := map[string]any{"Users": out}
		if end < len(f.order) {
			resp["PaginationToken"] = fmt.Sprint(end)
		}
		ok(w, resp)
	case "AdminCreateUser":
		if f.users[name] != nil {
			fail(w, "UsernameExistsException", "User account already exists.")
			return
		}
		nu := &fakeUser{attrs: map[string]string{}, groups: map[string]bool{}, enabled: true}
		for _, a := range in["UserAttributes"].([]any) {
			am := a.(map[string]any)
			nu.attrs[am["Name"].(string)] = am["Value"].(string)
		}
		f.users[name] = nu
		f.order = append(f.order, name)
		ok(w, map[string]any{"User": userJSON(name, nu, "Attributes")})
	case "AdminGetUser":
		ok(w, userJSON(name, u, "UserAttributes"))
	case "AdminAddUserToGroup":
		u.groups[in["GroupName"].(string)] = true
		ok(w, map[string]any{})
	case "AdminRemoveUserFromGroup":
		delete(u.groups, in["GroupName"].(string))
		ok(w, map[string]any{})
	case "AdminListGroupsForUser":
		var gs []any
		for g := range u.groups {
			gs = append(gs, map[string]any{"GroupName": g})
		}
		ok(w, map[string]any{"Groups": gs})
	case "AdminDisableUser":
		u.enabled = false
		ok(w, map[string]any{})
	default:
		fail(w, "InvalidParameterException", "unsupported "+op)
	}
}

func userJSON(name string, u *fakeUser, attrKey string) map[string]any {
	var attrs []any
	for k, v := range u.attrs {
		attrs = append(attrs, map[string]any{"Name": k, "Value": v})
	}
	return map[string]any{"Username": name, attrKey: attrs, "Enabled": u.enabled, "UserStatus": "FORCE_CHANGE_PASSWORD", "UserCreateDate": 1.7e9}
}

func ok(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	_ = json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, code, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-ErrorType", code)
	w.WriteHeader(http.StatusBadRequest)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": code, "message": msg})
}

func newCognito(t *testing.T) (*Directory, *fakePool) {
	t.Helper()
	f := &fakePool{users: map[string]*fakeUser{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	client := cip.New(cip.Options{
		Region:       "eu-west-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
	})
	return &Directory{Client: client, UserPoolID: "eu-west-1_pool"}, f
}

func TestCognitoDirectory(t *testing.T) {
	ctx := context.Background()
	d, f := newCognito(t)
	for _, in := range []struct{ tenant, email, role string }{
		{"acme", "ann@example.com", "admin"},
		{"acme", "bob@example.com", "viewer"},
		{"globex", "eve@example.com", "admin"},
		{"acme", "cy@example.com", "editor"},
	} {
		if _, err := d.Invite(ctx, in.tenant, in.email, in.role); err != nil {
			t.Fatalf("invite %s: %v", in.email, err)
		}
	}
	list, err := d.List(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range list {
		got = append(got, u.Email+"="+u.Role)
	}
	if want := []string{"ann@example.com=admin", "bob@example.com=viewer", "cy@example.com=editor"}; !slices.Equal(got, want) {
		t.Errorf("acme users (paged by two) = %v, want %v", got, want)
	}
	if _, err := d.Invite(ctx, "acme", "ann@example.com", "viewer"); !errs.Is(err, errs.Conflict) {
		t.Errorf("second invite: %v", err)
	}
	for _, bad := range []struct{ email, role, field string }{{"not-an-email", "viewer", "/email"}, {"x@example.com", "owner", "/role"}} {
		_, err := d.Invite(ctx, "acme", bad.email, bad.role)
		if e, ok := errs.As(err); !ok || e.Field != bad.field {
			t.Errorf("invite %+v: %v", bad, err)
		}
	}
	u, err := d.SetRole(ctx, "acme", "bob@example.com", "editor")
	if err != nil || u.Role != "editor" {
		t.Fatalf("set role: %+v %v", u, err)
	}
	if g := f.users["bob@example.com"].groups; !g["editor"] || g["viewer"] || g["admin"] {
		t.Errorf("bob's groups after SetRole: %v", g)
	}
	// Another tenant's user cannot be changed or removed.
	if _, err := d.SetRole(ctx, "acme", "eve@example.com", "viewer"); !errs.Is(err, errs.NotFound) {
		t.Errorf("cross-tenant SetRole: %v", err)
	}
	if err := d.Remove(ctx, "acme", "eve@example.com"); !errs.Is(err, errs.NotFound) {
		t.Errorf("cross-tenant Remove: %v", err)
	}
	if f.users["eve@example.com"].enabled != true || !f.users["eve@example.com"].groups["admin"] {
		t.Error("a cross-tenant call changed the other tenant's user")
	}
	if err := d.Remove(ctx, "acme", "cy@example.com"); err != nil {
		t.Fatal(err)
	}
	if cy := f.users["cy@example.com"]; cy.enabled || len(cy.groups) != 0 {
		t.Errorf("removed user: enabled %v groups %v", cy.enabled, cy.groups)
	}
	if _, err := d.SetRole(ctx, "acme", "nobody@example.com", "viewer"); !errs.Is(err, errs.NotFound) {
		t.Errorf("unknown user: %v", err)
	}
	if d2 := (&Directory{Client: d.Client, UserPoolID: "other"}); true {
		if _, err := d2.List(ctx, "acme"); !errs.Is(err, errs.NotFound) {
			t.Errorf("unknown pool: %v", err)
		}
	}
}
