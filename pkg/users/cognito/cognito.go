// Package cognito is the Amazon Cognito adapter of pkg/users: a
// users.Directory over the user pool the deployed platform signs in with.
// A user's roles are the pool's groups admin, editor, reviewer and viewer
// (the highest one counts), and the tenant is the custom:tenant attribute.
package cognito

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/users"
)

// TenantAttribute is the user attribute holding a user's tenant.
const TenantAttribute = "custom:tenant"

// Directory is the users.Directory of an Amazon Cognito user pool.
type Directory struct {
	Client     *cip.Client
	UserPoolID string
}

var _ users.Directory = (*Directory)(nil)

// New returns the Directory of the user pool userPoolID, using cfg's
// credentials and region.
func New(cfg aws.Config, userPoolID string) *Directory {
	return &Directory{Client: cip.NewFromConfig(cfg), UserPoolID: userPoolID}
}

// List returns the tenant's users, by email. Cognito cannot filter on a
// custom attribute, so it pages through the pool and keeps the tenant's.
func (c *Directory) List(ctx context.Context, tenant string) ([]users.User, error) {
	var out []users.User
	p := cip.NewListUsersPaginator(c.Client, &cip.ListUsersInput{UserPoolId: aws.String(c.UserPoolID)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, kind(err, "list users")
		}
		for _, u := range page.Users {
			if attr(u.Attributes, TenantAttribute) != tenant {
				continue
			}
			user := fromType(u.Username, u.Attributes, u.UserStatus, u.Enabled, u.UserCreateDate)
			role, err := c.role(ctx, user.Username)
			if err != nil {
				return nil, err
			}
			user.Role = role
			out = append(out, user)
		}
	}
	slices.SortFunc(out, func(a, b users.User) int { return strings.Compare(a.Email, b.Email) })
	return out, nil
}

// Invite creates the user in the tenant with the role; Cognito emails a
// temporary password. Inviting an address that exists is a Conflict.
func (c *Directory) Invite(ctx context.Context, tenant, email, role string) (*users.User, error) {
	email, err := users.CheckInvite(email, role)
	if err != nil {
		return nil, err
	}
	out, err := c.Client.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
		UserPoolId: aws.String(c.UserPoolID),
		Username:   aws.String(email),
		UserAttributes: []types.AttributeType{
			{Name: aws.String("email"), Value: aws.String(email)},
			{Name: aws.String("email_verified"), Value: aws.String("true")},
			{Name: aws.String(TenantAttribute), Value: aws.String(tenant)},
		},
		DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail},
	})
	if err != nil {
		return nil, kind(err, "invite %s", email)
	}
	u := fromType(out.User.Username, out.User.Attributes, out.User.UserStatus, out.User.Enabled, out.User.UserCreateDate)
	if _, err := c.Client.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{
		UserPoolId: aws.String(c.UserPoolID), Username: aws.String(u.Username), GroupName: aws.String(role),
	}); err != nil {
		return nil, kind(err, "give %s the %s role", email, role)
	}
	u.Role = role
	return &u, nil
}

// SetRole makes role the user's only role group.
func (c *Directory) SetRole(ctx context.Context, tenant, username, role string) (*users.User, error) {
	if err := users.CheckRole(role); err != nil {
		return nil, err
	}
	u, err := c.get(ctx, tenant, username)
	if err != nil {
		return nil, err
	}
	if _, err := c.Client.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{
		UserPoolId: aws.String(c.UserPoolID), Username: aws.String(username), GroupName: aws.String(role),
	}); err != nil {
		return nil, kind(err, "give %s the %s role", username, role)
	}
	for _, r := range users.Roles {
		if r == role {
			continue
		}
		if _, err := c.Client.AdminRemoveUserFromGroup(ctx, &cip.AdminRemoveUserFromGroupInput{
			UserPoolId: aws.String(c.UserPoolID), Username: aws.String(username), GroupName: aws.String(r),
		}); err != nil {
			return nil, kind(err, "take the %s role from %s", r, username)
		}
	}
	u.Role = role
	return u, nil
}

// Remove disables the user and takes every role away; the account stays so
// that its history keeps a name.
func (c *Directory) Remove(ctx context.Context, tenant, username string) error {
	if _, err := c.get(ctx, tenant, username); err != nil {
		return err
	}
	if _, err := c.Client.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: aws.String(c.UserPoolID), Username: aws.String(username)}); err != nil {
		return kind(err, "disable %s", username)
	}
	for _, r := range users.Roles {
		if _, err := c.Client.AdminRemoveUserFromGroup(ctx, &cip.AdminRemoveUserFromGroupInput{
			UserPoolId: aws.String(c.UserPoolID), Username: aws.String(username), GroupName: aws.String(r),
		}); err != nil {
			return kind(err, "take the %s role from %s", r, username)
		}
	}
	return nil
}

// get returns the user if it belongs to tenant; another tenant's user is
// NotFound.
func (c *Directory) get(ctx context.Context, tenant, username string) (*users.User, error) {
	out, err := c.Client.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(c.UserPoolID), Username: aws.String(username)})
	if err != nil {
		return nil, kind(err, "get user %s", username)
	}
	if attr(out.UserAttributes, TenantAttribute) != tenant {
		return nil, errs.E(errs.NotFound, "no user %s", username)
	}
	u := fromType(out.Username, out.UserAttributes, out.UserStatus, out.Enabled, out.UserCreateDate)
	return &u, nil
}

func (c *Directory) role(ctx context.Context, username string) (string, error) {
	var groups []string
	p := cip.NewAdminListGroupsForUserPaginator(c.Client, &cip.AdminListGroupsForUserInput{UserPoolId: aws.String(c.UserPoolID), Username: aws.String(username)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return "", kind(err, "groups of %s", username)
		}
		for _, g := range page.Groups {
			groups = append(groups, aws.ToString(g.GroupName))
		}
	}
	return users.HighestRole(groups), nil
}

func fromType(username *string, attrs []types.AttributeType, status types.UserStatusType, enabled bool, created *time.Time) users.User {
	u := users.User{Username: aws.ToString(username), Email: attr(attrs, "email"), Status: string(status), Enabled: enabled}
	if created != nil {
		u.Created = created.UTC()
	}
	return u
}

func attr(attrs []types.AttributeType, name string) string {
	for _, a := range attrs {
		if aws.ToString(a.Name) == name {
			return aws.ToString(a.Value)
		}
	}
	return ""
}

// kind gives a Cognito error its errs.Kind.
func kind(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		switch api.ErrorCode() {
		case "UserNotFoundException", "ResourceNotFoundException":
			return errs.E(errs.NotFound, format+": %w", append(args, err)...)
		case "UsernameExistsException", "AliasExistsException":
			return errs.E(errs.Conflict, format+": %w", append(args, err)...)
		case "InvalidParameterException":
			return errs.E(errs.Invalid, format+": %w", append(args, err)...)
		case "NotAuthorizedException":
			return errs.E(errs.Forbidden, format+": %w", append(args, err)...)
		}
	}
	return errs.E(errs.Unavailable, format+": %w", append(args, err)...)
}
