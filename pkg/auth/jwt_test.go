package auth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/outbound"
)

// issuer is a loopback Cognito stand-in: it serves a JWKS and signs tokens.
type issuer struct {
	srv  *httptest.Server
	key  *rsa.PrivateKey
	kid  string
	mu   sync.Mutex
	hits int // JWKS fetches
	set  jose.JSONWebKeySet
}

func newIssuer(t *testing.T) *issuer {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	is := &issuer{key: key, kid: "k1"}
	is.set = jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: is.kid, Algorithm: "RS256", Use: "sig"}}}
	is.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/pool/.well-known/jwks.json" {
			http.NotFound(w, r)
			return
		}
		is.mu.Lock()
		is.hits++
		set := is.set
		is.mu.Unlock()
		_ = json.NewEncoder(w).Encode(set)
	}))
	t.Cleanup(is.srv.Close)
	return is
}

func (is *issuer) url() string { return is.srv.URL + "/pool" }

func (is *issuer) sign(t *testing.T, key *rsa.PrivateKey, claims map[string]any) string {
	t.Helper()
	return is.signKid(t, key, is.kid, claims)
}

func (is *issuer) signKid(t *testing.T, key *rsa.PrivateKey, kid string, claims map[string]any) string {
	t.Helper()
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", kid))
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
	a, err := NewJWT(context.Background(), JWTConfig{Issuer: is.url(), Audience: "client-1", HTTPClient: outbound.New(outbound.Policy{AllowLoopback: true})})
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

// TestUnknownKeyIDRateLimited: tokens naming a key id the issuer does not
// have make Bulwark fetch the JWKS at most once per MinKeyRefresh, however
// many arrive, also concurrently; after the interval a rotated key is
// picked up.
func TestUnknownKeyIDRateLimited(t *testing.T) {
	is := newIssuer(t)
	var mu sync.Mutex
	clock := time.Now()
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	a, err := NewJWT(context.Background(), JWTConfig{Issuer: is.url(), Audience: "client-1", Now: now,
		HTTPClient: outbound.New(outbound.Policy{AllowLoopback: true})})
	if err != nil {
		t.Fatal(err)
	}
	claims := func() map[string]any {
		return map[string]any{"iss": is.url(), "client_id": "client-1", "sub": "u-1", "exp": now().Add(time.Hour).Unix(),
			"custom:tenant": "acme", "cognito:groups": []string{"viewer"}}
	}
	auth := func(tok string) error {
		r := httptest.NewRequest("GET", "/api/v1/models", nil)
		r.Header.Set("Authorization", "Bearer "+tok)
		_, err := a.Authenticate(r)
		return err
	}
	hits := func() int { is.mu.Lock(); defer is.mu.Unlock(); return is.hits }

	if err := auth(is.sign(t, is.key, claims())); err != nil {
		t.Fatal(err)
	}
	rotated, _ := rsa.GenerateKey(rand.Reader, 2048)
	unknown := is.signKid(t, rotated, "k2", claims())
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				if err := auth(unknown); !errs.Is(err, errs.Unauthorized) {
					t.Errorf("unknown kid: %v", err)
				}
			}
		}()
	}
	wg.Wait()
	if h := hits(); h != 1 {
		t.Errorf("the JWKS was fetched %d times for 1 valid and 200 unknown-kid tokens, want 1", h)
	}
	// The issuer rotates to k2; after MinKeyRefresh one fetch picks it up.
	is.mu.Lock()
	is.set.Keys = append(is.set.Keys, jose.JSONWebKey{Key: &rotated.PublicKey, KeyID: "k2", Algorithm: "RS256", Use: "sig"})
	is.mu.Unlock()
	if err := auth(unknown); err == nil {
		t.Error("a key was picked up before MinKeyRefresh passed")
	}
	mu.Lock()
	clock = clock.Add(MinKeyRefresh + time.Second)
	mu.Unlock()
	if err := auth(is.signKid(t, rotated, "k2", claims())); err != nil {
		t.Errorf("the rotated key: %v", err)
	}
	if h := hits(); h != 2 {
		t.Errorf("JWKS fetches = %d, want 2", h)
	}
}

// TestJWKSGuarded: by default the key set is fetched with the guarded
// outbound client, which does not call a loopback address.
func TestJWKSGuarded(t *testing.T) {
	is := newIssuer(t)
	a, err := NewJWT(context.Background(), JWTConfig{Issuer: is.url(), Audience: "client-1"})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/api/v1/models", nil)
	r.Header.Set("Authorization", "Bearer "+is.sign(t, is.key, map[string]any{"iss": is.url(), "client_id": "client-1", "exp": time.Now().Add(time.Hour).Unix()}))
	if _, err := a.Authenticate(r); !errs.Is(err, errs.Unauthorized) {
		t.Errorf("err = %v, want Unauthorized", err)
	}
	if is.hits != 0 {
		t.Errorf("the loopback JWKS was fetched %d times", is.hits)
	}
}
