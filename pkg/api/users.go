package api

import (
	"net/http"

	"github.com/bulwark-tm/bulwark/pkg/auth"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/users"
)

var userRoutes = []route{
	{"GET", "/api/v1/users", auth.RoleAdmin, (*server).listUsers},
	{"POST", "/api/v1/users", auth.RoleAdmin, (*server).inviteUser},
	{"PUT", "/api/v1/users/{username}/role", auth.RoleAdmin, (*server).setUserRole},
	{"DELETE", "/api/v1/users/{username}", auth.RoleAdmin, (*server).removeUser},
}

// directory returns the user directory, or why there is none.
func (s *server) directory() (users.Directory, error) {
	if s.Users == nil {
		return nil, errs.E(errs.Unavailable, "users are managed in the deployed platform's Cognito user pool; this server (auth mode %s) has a single local admin", s.Auth.Mode())
	}
	return s.Users, nil
}

func (s *server) listUsers(w http.ResponseWriter, r *http.Request) error {
	d, err := s.directory()
	if err != nil {
		return err
	}
	list, err := d.List(r.Context(), principal(r).Tenant)
	if err != nil {
		return err
	}
	if list == nil {
		list = []users.User{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list, "roles": users.Roles})
	return nil
}

func (s *server) inviteUser(w http.ResponseWriter, r *http.Request) error {
	d, err := s.directory()
	if err != nil {
		return err
	}
	var in struct {
		Email string `json:"email"`
		Role  string `json:"role"`
	}
	if err := decodeSmallBody(w, r, &in); err != nil {
		return err
	}
	if _, err := users.CheckInvite(in.Email, in.Role); err != nil {
		return err
	}
	u, err := d.Invite(r.Context(), principal(r).Tenant, in.Email, in.Role)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, u)
	return nil
}

func (s *server) setUserRole(w http.ResponseWriter, r *http.Request) error {
	d, err := s.directory()
	if err != nil {
		return err
	}
	var in struct {
		Role string `json:"role"`
	}
	if err := decodeSmallBody(w, r, &in); err != nil {
		return err
	}
	if err := users.CheckRole(in.Role); err != nil {
		return err
	}
	name := r.PathValue("username")
	if name == principal(r).User && in.Role != "admin" {
		return errs.Field("/role", "you cannot take the admin role from yourself; ask another admin")
	}
	u, err := d.SetRole(r.Context(), principal(r).Tenant, name, in.Role)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u)
	return nil
}

func (s *server) removeUser(w http.ResponseWriter, r *http.Request) error {
	d, err := s.directory()
	if err != nil {
		return err
	}
	name := r.PathValue("username")
	if name == principal(r).User {
		return errs.E(errs.Invalid, "you cannot remove yourself; ask another admin")
	}
	if err := d.Remove(r.Context(), principal(r).Tenant, name); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
