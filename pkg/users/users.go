// Package users manages who may use a tenant of Bulwark and with which
// role, for Settings → Users: list the tenant's users, invite one (the
// directory emails a temporary password), change a user's role, and remove
// a user's access.
//
// The Directory interface is implemented for Amazon Cognito by
// pkg/users/cognito (the user pool the deployed platform signs in with;
// roles are its groups admin, editor, reviewer and viewer, the tenant is the
// custom:tenant attribute). On a laptop there is one local admin and no
// directory.
package users

import (
	"context"
	"net/mail"
	"strings"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// Roles lists the roles a user can have, least privileged first.
var Roles = []string{"viewer", "reviewer", "editor", "admin"}

// User is one member of a tenant.
type User struct {
	Username string    `json:"username"`
	Email    string    `json:"email"`
	Role     string    `json:"role"`   // viewer, reviewer, editor or admin ("" when in no role group)
	Status   string    `json:"status"` // the directory's account status, e.g. FORCE_CHANGE_PASSWORD, CONFIRMED
	Enabled  bool      `json:"enabled"`
	Created  time.Time `json:"created,omitzero"`
}

// Directory keeps the users of every tenant. Each method acts within one
// tenant: a user of another tenant is NotFound.
type Directory interface {
	List(ctx context.Context, tenant string) ([]User, error)
	Invite(ctx context.Context, tenant, email, role string) (*User, error)
	SetRole(ctx context.Context, tenant, username, role string) (*User, error)
	Remove(ctx context.Context, tenant, username string) error
}

// CheckInvite validates an invitation's email address and role.
func CheckInvite(email, role string) (string, error) {
	addr, err := mail.ParseAddress(strings.TrimSpace(email))
	if err != nil || addr.Address != strings.TrimSpace(email) {
		return "", errs.Field("/email", "%q is not an email address", email)
	}
	if err := CheckRole(role); err != nil {
		return "", err
	}
	return strings.ToLower(addr.Address), nil
}

// CheckRole validates a role name.
func CheckRole(role string) error {
	for _, r := range Roles {
		if r == role {
			return nil
		}
	}
	return errs.Field("/role", "must be one of %s, got %q", strings.Join(Roles, ", "), role)
}

// HighestRole returns the most privileged of Roles among group names
// (case-insensitive), or "" when none is a role.
func HighestRole(groups []string) string {
	best := -1
	for _, g := range groups {
		for i, r := range Roles {
			if strings.EqualFold(g, r) && i > best {
				best = i
			}
		}
	}
	if best < 0 {
		return ""
	}
	return Roles[best]
}
