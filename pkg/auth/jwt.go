package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	jose "github.com/go-jose/go-jose/v4"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/outbound"
)

// JWTConfig configures JWT mode.
type JWTConfig struct {
	// Issuer is the exact "iss" every token must carry, e.g.
	// https://cognito-idp.REGION.amazonaws.com/POOL_ID.
	Issuer string
	// Audience is the app client id: a token is accepted when its "aud"
	// (ID tokens) or "client_id" (Cognito access tokens) equals it.
	Audience string
	// JWKSURL is where the signing keys are; default Issuer + "/.well-known/jwks.json".
	JWKSURL string
	// TenantClaim names the claim holding the tenant; default "custom:tenant".
	TenantClaim string
	// GroupsClaim names the claim listing the role groups; default "cognito:groups".
	GroupsClaim string
	// HTTPClient fetches the JWKS; nil uses a guarded outbound client
	// (public addresses only, with timeouts and a size bound).
	HTTPClient *http.Client
	// Now returns the current time; default time.Now.
	Now func() time.Time
}

// JWT authenticates Cognito-style bearer tokens.
type JWT struct {
	cfg      JWTConfig
	verifier *oidc.IDTokenVerifier
	keys     *keySet
}

var tenantPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// NewJWT returns a JWT authenticator. Keys are fetched from the JWKS URL on
// first use and refreshed when a token names an unknown key id, at most
// once per MinKeyRefresh; each fetch is bounded by the request's context
// and the client's timeout.
func NewJWT(ctx context.Context, cfg JWTConfig) (*JWT, error) {
	if cfg.Issuer == "" {
		return nil, errs.E(errs.Invalid, "jwt auth: an issuer is required")
	}
	if cfg.Audience == "" {
		return nil, errs.E(errs.Invalid, "jwt auth: an audience (app client id) is required")
	}
	if cfg.JWKSURL == "" {
		cfg.JWKSURL = strings.TrimSuffix(cfg.Issuer, "/") + "/.well-known/jwks.json"
	}
	if cfg.TenantClaim == "" {
		cfg.TenantClaim = "custom:tenant"
	}
	if cfg.GroupsClaim == "" {
		cfg.GroupsClaim = "cognito:groups"
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = outbound.New(outbound.Policy{Timeout: 10 * time.Second, MaxResponseBytes: maxJWKS})
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	// A key set of Bulwark's own rather than oidc.NewRemoteKeySet, which
	// fetches the JWKS again for every token with an unknown key id.
	keys := &keySet{url: cfg.JWKSURL, client: hc, now: now, algs: []jose.SignatureAlgorithm{jose.RS256, jose.ES256}}
	// The audience is checked below, since Cognito access tokens carry
	// client_id instead of aud.
	v := oidc.NewVerifier(cfg.Issuer, keys, &oidc.Config{SkipClientIDCheck: true, SupportedSigningAlgs: []string{oidc.RS256, oidc.ES256}, Now: now})
	return &JWT{cfg: cfg, verifier: v, keys: keys}, nil
}

// Mode returns "jwt".
func (*JWT) Mode() string { return "jwt" }

// Authenticate verifies the bearer token and maps its claims to a Principal.
func (j *JWT) Authenticate(r *http.Request) (Principal, error) {
	raw, err := bearer(r)
	if err != nil {
		return Principal{}, err
	}
	tok, err := j.verifier.Verify(r.Context(), raw)
	if err != nil {
		return Principal{}, errs.E(errs.Unauthorized, "invalid token: %w", err)
	}
	var claims map[string]json.RawMessage
	if err := tok.Claims(&claims); err != nil {
		return Principal{}, errs.E(errs.Unauthorized, "invalid token claims: %w", err)
	}
	if !j.audienceOK(tok.Audience, claims) {
		return Principal{}, errs.E(errs.Unauthorized, "token was not issued for this application")
	}
	tenant := stringClaim(claims, j.cfg.TenantClaim)
	if !tenantPattern.MatchString(tenant) {
		return Principal{}, errs.E(errs.Forbidden, "token has no valid %s claim: the user belongs to no tenant", j.cfg.TenantClaim)
	}
	role := highestRole(listClaim(claims, j.cfg.GroupsClaim))
	if role == RoleNone {
		return Principal{}, errs.E(errs.Forbidden, "the user is in none of the groups admin, editor, viewer")
	}
	user := stringClaim(claims, "email")
	if user == "" {
		user = stringClaim(claims, "username")
	}
	if user == "" {
		user = stringClaim(claims, "cognito:username")
	}
	if user == "" {
		user = tok.Subject
	}
	return Principal{User: user, Tenant: tenant, Role: role}, nil
}

func (j *JWT) audienceOK(aud []string, claims map[string]json.RawMessage) bool {
	for _, a := range aud {
		if a == j.cfg.Audience {
			return true
		}
	}
	return stringClaim(claims, "client_id") == j.cfg.Audience
}

func stringClaim(claims map[string]json.RawMessage, name string) string {
	var s string
	if raw, ok := claims[name]; ok {
		if json.Unmarshal(raw, &s) != nil {
			return ""
		}
	}
	return s
}

// listClaim reads a claim that is a JSON array of strings or a single
// string (space- or comma-separated).
func listClaim(claims map[string]json.RawMessage, name string) []string {
	raw, ok := claims[name]
	if !ok {
		return nil
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return list
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' })
	}
	return nil
}

// String describes the configuration without secrets (there are none).
func (c JWTConfig) String() string {
	return fmt.Sprintf("issuer=%s audience=%s jwks=%s", c.Issuer, c.Audience, c.JWKSURL)
}
