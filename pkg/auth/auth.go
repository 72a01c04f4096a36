// Package auth says who is calling: it turns an HTTP request into a
// Principal (user, tenant, role), in one of two modes.
//
//   - Local: a single admin user of the tenant "local", for `bulwark serve`
//     on a laptop (the server binds to 127.0.0.1 by default).
//   - JWT: Cognito-style bearer tokens checked for signature (JWKS),
//     issuer, audience or client id, and expiry; tenant and role come from
//     claims.
//
// Roles are ordered: viewer < reviewer < editor < admin. A reviewer may do
// what a viewer may and also approve or reject versions submitted for
// review, which only reviewers and admins may (Principal.CanReview; an
// editor cannot sign off their own work). Enforcement is the API's job
// (pkg/api); this package only establishes identity.
package auth

import (
	"context"
	"net/http"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// Role is what a principal may do.
type Role int

// The roles, least to most privileged.
const (
	RoleNone Role = iota
	RoleViewer
	// RoleReviewer is a viewer who may also approve or reject versions
	// submitted for review.
	RoleReviewer
	RoleEditor
	RoleAdmin
)

var roleNames = map[Role]string{RoleNone: "none", RoleViewer: "viewer", RoleReviewer: "reviewer", RoleEditor: "editor", RoleAdmin: "admin"}

// String returns the role's name as used in claims and the API.
func (r Role) String() string { return roleNames[r] }

// ParseRole returns the role named s (case-insensitive), or RoleNone.
func ParseRole(s string) Role {
	for r, n := range roleNames {
		if strings.EqualFold(n, s) {
			return r
		}
	}
	return RoleNone
}

// Principal is an authenticated caller.
type Principal struct {
	User   string `json:"user"`
	Tenant string `json:"tenant"`
	Role   Role   `json:"-"`
}

// Can reports whether p's role is at least need.
func (p Principal) Can(need Role) bool { return p.Role >= need }

// CanReview reports whether p may approve or reject a version submitted
// for review: reviewers and admins may, editors and viewers may not.
func (p Principal) CanReview() bool { return p.Role == RoleReviewer || p.Role == RoleAdmin }

// Authenticator establishes the Principal of a request. It returns an
// errs.Unauthorized error when the request carries no valid credentials and
// errs.Forbidden when they are valid but grant no role or tenant.
type Authenticator interface {
	Authenticate(r *http.Request) (Principal, error)
	// Mode names the mode ("local" or "jwt") for the session endpoint.
	Mode() string
}

// Local authenticates every request as the one local user.
type Local struct {
	User   string // default "admin"
	Tenant string // default "local"
	// Role is the local user's role; RoleNone means RoleAdmin. Another role
	// shows the app as an editor or a viewer sees it.
	Role Role
}

// Authenticate returns the local user.
func (l Local) Authenticate(*http.Request) (Principal, error) {
	p := Principal{User: l.User, Tenant: l.Tenant, Role: l.Role}
	if p.Role == RoleNone {
		p.Role = RoleAdmin
	}
	if p.User == "" {
		p.User = "admin"
	}
	if p.Tenant == "" {
		p.Tenant = "local"
	}
	return p, nil
}

// Mode returns "local".
func (Local) Mode() string { return "local" }

type ctxKey struct{}

// WithPrincipal returns a context carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// FromContext returns the Principal stored by WithPrincipal.
func FromContext(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(ctxKey{}).(Principal)
	return p, ok
}

// highestRole returns the most privileged role among names.
func highestRole(names []string) Role {
	best := RoleNone
	for _, n := range names {
		best = max(best, ParseRole(n))
	}
	return best
}

// bearer extracts the token of an "Authorization: Bearer" header.
func bearer(r *http.Request) (string, error) {
	h := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	if h == "" {
		return "", errs.E(errs.Unauthorized, "missing Authorization header with a bearer token")
	}
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
		return "", errs.E(errs.Unauthorized, "Authorization header must be \"Bearer <token>\"")
	}
	return strings.TrimSpace(tok), nil
}
