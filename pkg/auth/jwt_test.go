package auth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// issuer is a loopback Cognito stand-in: it serves a JWKS and signs tokens.
type issuer struct {
	srv *httptest.Server
	key *rsa.PrivateKey
	kid string
}

func newIssuer(t *testing.T) *issuer {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	is := &issuer{key: key, kid: "k1"}
	is.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/pool/.well-known/jwks.json" {
			http.NotFound(w, r)
			return
		}
		set := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: is.kid, Algorithm: "RS256", Use: "sig"}}}
		_ = json.NewEncoder(w).Encode(set)
	}))
	t.Cleanup(is.srv.Close)
	return is
}

func (is *issuer) url() string { return is.srv.URL + "/pool" }

func (is *issuer) sign(t *testing.T, key *rsa.PrivateKey, claims map[string]any) string {
	t.Helper()
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", is.kid))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.Signed(sig).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestJWT(t *testing.T) {
	is := newIssuer(t)
	a, err := NewJWT(context.Background(), JWTConfig{Issuer: is.url(), Audience: "client-1"})
	if err != nil {
		t.Fatal(err)
	}
	otherKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	now := time.Now()
	base := func() map[string]any {
		return map[string]any{
			"iss": is.url(), "client_id": "client-1", "sub": "u-1", "username": "ann",
			"exp": now.Add(time.Hour).Unix(), "iat": now.Unix(), "token_use": "access",
			"custom:tenant": "acme", "cognito:groups": []string{"viewer", "editor"},
		}
	}
	with := func(k string, v any) map[string]any { c := base(); c[k] = v; return c }
	without := func(k string) map[string]any { c := base(); delete(c, k); return c }

	tests := []struct {
		name   string
		header string
		want   Principal
		kind   errs.Kind
	}{
		{"access token", "Bearer " + is.sign(t, is.key, base()), Principal{User: "ann", Tenant: "acme", Role: RoleEditor}, 0},
		{"id token with aud", "Bearer " + is.sign(t, is.key, with("aud", "client-1")), Principal{User: "ann", Tenant: "acme", Role: RoleEditor}, 0},
		{"admin group", "Bearer " + is.sign(t, is.key, with("cognito:groups", []string{"admin"})), Principal{User: "ann", Tenant: "acme", Role: RoleAdmin}, 0},
		{"no header", "", Principal{}, errs.Unauthorized},
		{"not bearer", "Basic abc", Principal{}, errs.Unauthorized},
		{"garbage token", "Bearer abc.def.ghi", Principal{}, errs.Unauthorized},
		{"wrong signing key", "Bearer " + is.sign(t, otherKey, base()), Principal{}, errs.Unauthorized},
		{"expired", "Bearer " + is.sign(t, is.key, with("exp", now.Add(-time.Minute).Unix())), Principal{}, errs.Unauthorized},
		{"wrong issuer", "Bearer " + is.sign(t, is.key, with("iss", "https://evil.example/pool")), Principal{}, errs.Unauthorized},
		{"wrong audience", "Bearer " + is.sign(t, is.key, with("client_id", "client-2")), Principal{}, errs.Unauthorized},
		{"no tenant", "Bearer " + is.sign(t, is.key, without("custom:tenant")), Principal{}, errs.Forbidden},
		{"bad tenant", "Bearer " + is.sign(t, is.key, with("custom:tenant", "../x")), Principal{}, errs.Forbidden},
		{"no role group", "Bearer " + is.sign(t, is.key, with("cognito:groups", []string{"staff"})), Principal{}, errs.Forbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/api/v1/models", nil)
			if tt.header != "" {
				r.Header.Set("Authorization", tt.header)
			}
			got, err := a.Authenticate(r)
			if tt.kind != 0 {
				if !errs.Is(err, tt.kind) {
					t.Fatalf("err = %v (kind %v), want kind %v", err, errs.KindOf(err), tt.kind)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("principal = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestNewJWTNeedsIssuerAndAudience(t *testing.T) {
	if _, err := NewJWT(context.Background(), JWTConfig{Audience: "a"}); !errs.Is(err, errs.Invalid) {
		t.Errorf("missing issuer: %v", err)
	}
	if _, err := NewJWT(context.Background(), JWTConfig{Issuer: "https://x"}); !errs.Is(err, errs.Invalid) {
		t.Errorf("missing audience: %v", err)
	}
}

func TestRoles(t *testing.T) {
	for _, tt := range []struct {
		in   []string
		want Role
	}{{nil, RoleNone}, {[]string{"viewer"}, RoleViewer}, {[]string{"EDITOR", "viewer"}, RoleEditor}, {[]string{"x", "admin"}, RoleAdmin}} {
		if got := highestRole(tt.in); got != tt.want {
			t.Errorf("highestRole(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if !(Principal{Role: RoleAdmin}).Can(RoleEditor) || (Principal{Role: RoleViewer}).Can(RoleEditor) {
		t.Error("Can is wrong")
	}
}
