package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/bulwark-tm/bulwark/pkg/errs"
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
}

// JWT authenticates Cognito-style bearer tokens.
type JWT struct {
	cfg      JWTConfig
	verifier *oidc.IDTokenVerifier
}

var tenantPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// NewJWT returns a JWT authenticator. Keys are fetched from the JWKS URL on
// first use and refreshed when a token names an unknown key id; ctx bounds
// those fetches' lifetime (use a long-lived context).
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
	keys := oidc.NewRemoteKeySet(ctx, cfg.JWKSURL)
	// The audience is checked below, since Cognito access tokens carry
	// client_id instead of aud.
	v := oidc.NewVerifier(cfg.Issuer, keys, &oidc.Config{SkipClientIDCheck: true, SupportedSigningAlgs: []string{oidc.RS256, oidc.ES256}})
	return &JWT{cfg: cfg, verifier: v}, nil
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
		return Principal{}, errs.Wrap(errs.Unauthorized, err, "invalid token")
	}
	var claims map[string]json.RawMessage
	if err := tok.Claims(&claims); err != nil {
		return Principal{}, errs.Wrap(errs.Unauthorized, err, "invalid token claims")
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
