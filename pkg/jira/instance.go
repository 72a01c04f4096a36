package jira

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/model"
	"github.com/bulwark-tm/bulwark/pkg/outbound"
	"github.com/bulwark-tm/bulwark/pkg/store"
)

// The store collections this package keeps. None of them holds a secret.
const (
	KindInstance = store.KindJiraInstance // Instance by id
	KindLink     = store.KindJiraLink     // Link by model id
	KindIssueRef = store.KindJiraIssue    // issueRef by "instance/issue id"
	KindIntent   = store.KindJiraIntent   // intent by "model/item"
)

// Instance is a Jira site of a tenant. Its token and webhook secret live
// in the secret store; the record only says whether they are set.
type Instance struct {
	ID               string     `json:"id"`
	Name             string     `json:"name"`
	BaseURL          string     `json:"baseUrl"`
	Deployment       Deployment `json:"deployment"`
	Email            string     `json:"email,omitempty"` // Cloud: the account the API token belongs to
	HasToken         bool       `json:"hasToken"`
	HasWebhookSecret bool       `json:"hasWebhookSecret"`
	CreatedAt        time.Time  `json:"createdAt"`
	UpdatedAt        time.Time  `json:"updatedAt"`
	UpdatedBy        string     `json:"updatedBy,omitempty"`
	Revision         int64      `json:"revision"`
}

// InstanceInput creates or changes an Instance. Absent (nil) fields stay
// as they are; Token and WebhookSecret are write-only.
type InstanceInput struct {
	Name          *string     `json:"name"`
	BaseURL       *string     `json:"baseUrl"`
	Deployment    *Deployment `json:"deployment"`
	Email         *string     `json:"email"`
	Token         *string     `json:"token"`
	WebhookSecret *string     `json:"webhookSecret"`
}

// instanceSecret is the secret-store value of an instance.
type instanceSecret struct {
	Token         string `json:"token,omitempty"`
	WebhookSecret string `json:"webhookSecret,omitempty"`
}

// Limits of instance settings.
const (
	MaxNameLen   = 100
	MaxSecretLen = 4096
	// MinWebhookSecretLen is the shortest webhook secret accepted.
	MinWebhookSecretLen = 16
)

// secretName is where an instance's secrets are kept. Tenants may contain
// ':', which secret names may not; '=' cannot occur in a tenant, so the
// mapping is one-to-one.
func secretName(tenant, id string) string {
	return "jira/" + strings.ReplaceAll(tenant, ":", "=") + "/" + id
}

func newInstanceID() string { return "ji-" + strings.ToLower(rand.Text()[:16]) }

func (in *InstanceInput) apply(inst *Instance, sec *instanceSecret, pol outbound.Policy) error {
	var problems []errs.Problem
	add := func(f, format string, args ...any) {
		problems = append(problems, errs.Problem{Field: f, Message: fmt.Sprintf(format, args...)})
	}
	if in.Name != nil {
		inst.Name = strings.TrimSpace(*in.Name)
	}
	if in.BaseURL != nil {
		inst.BaseURL = strings.TrimSpace(*in.BaseURL)
	}
	if in.Deployment != nil {
		inst.Deployment = *in.Deployment
	}
	if in.Email != nil {
		inst.Email = strings.TrimSpace(*in.Email)
	}
	if in.Token != nil {
		sec.Token = strings.TrimSpace(*in.Token)
	}
	if in.WebhookSecret != nil {
		sec.WebhookSecret = *in.WebhookSecret
	}
	if inst.Name == "" || utf8.RuneCountInString(inst.Name) > MaxNameLen {
		add("/name", "is required, at most %d characters", MaxNameLen)
	}
	if u, err := CheckBaseURL(inst.BaseURL, pol.AllowLoopback); err != nil {
		e, _ := errs.As(err)
		add("/baseUrl", "%s", e.Message)
	} else if a, perr := netip.ParseAddr(strings.Trim(u.Hostname(), "[]")); perr == nil && pol.Check(u.Hostname(), a) != nil {
		// Names are checked when they are dialled; an address can be now.
		var be *outbound.BlockedError
		errors.As(pol.Check(u.Hostname(), a), &be)
		add("/baseUrl", "%s is %s; Bulwark calls only public addresses unless an operator allows the range (--outbound-allow)", a, be.Why)
	} else {
		inst.BaseURL = strings.TrimSuffix(u.String(), "/")
	}
	switch inst.Deployment {
	case Cloud:
		if !strings.Contains(inst.Email, "@") || len(inst.Email) > 254 {
			add("/email", "Jira Cloud needs the email address of the account the API token belongs to")
		}
	case DataCenter:
		inst.Email = ""
	default:
		add("/deployment", "must be %q or %q", Cloud, DataCenter)
	}
	if sec.Token == "" {
		add("/token", "is required: a Jira Cloud API token or a Data Center personal access token")
	} else if len(sec.Token) > MaxSecretLen {
		add("/token", "at most %d characters", MaxSecretLen)
	}
	if w := sec.WebhookSecret; w != "" && (len(w) < MinWebhookSecretLen || len(w) > MaxSecretLen) {
		add("/webhookSecret", "must have %d to %d characters (or be empty to disable the webhook)", MinWebhookSecretLen, MaxSecretLen)
	}
	inst.HasToken, inst.HasWebhookSecret = sec.Token != "", sec.WebhookSecret != ""
	if len(problems) > 0 {
		return errs.Problems(problems)
	}
	return nil
}

func (s *Service) putInstance(ctx context.Context, tenant string, inst *Instance, expected int64) error {
	body, err := json.Marshal(inst)
	if err != nil {
		return fmt.Errorf("encode jira instance %s: %w", inst.ID, err)
	}
	sum, _ := json.Marshal(map[string]string{"name": inst.Name})
	r := &store.Record{Tenant: tenant, Kind: KindInstance, ID: inst.ID, Body: body, Summary: sum}
	if expected == 0 {
		err = s.Store.Create(ctx, r)
	} else {
		err = s.Store.Update(ctx, r, expected)
	}
	if err != nil {
		return fmt.Errorf("save jira instance %s: %w", inst.ID, err)
	}
	inst.Revision, inst.UpdatedAt = r.Revision, r.UpdatedAt
	return nil
}

// Instance returns the tenant's instance id.
func (s *Service) Instance(ctx context.Context, tenant, id string) (*Instance, error) {
	r, err := s.Store.Get(ctx, tenant, KindInstance, id)
	if err != nil {
		return nil, fmt.Errorf("jira instance %s: %w", id, err)
	}
	var inst Instance
	if err := json.Unmarshal(r.Body, &inst); err != nil {
		return nil, fmt.Errorf("decode jira instance %s: %w", id, err)
	}
	inst.Revision, inst.UpdatedAt = r.Revision, r.UpdatedAt
	return &inst, nil
}

// Instances returns the tenant's instances, by id.
func (s *Service) Instances(ctx context.Context, tenant string) ([]*Instance, error) {
	recs, err := store.ListAll(ctx, s.Store, tenant, KindInstance)
	if err != nil {
		return nil, fmt.Errorf("list jira instances: %w", err)
	}
	out := make([]*Instance, 0, len(recs))
	for _, r := range recs {
		inst, err := s.Instance(ctx, tenant, r.ID)
		if errs.Is(err, errs.NotFound) {
			continue // deleted meanwhile
		}
		if err != nil {
			return nil, err
		}
		out = append(out, inst)
	}
	return out, nil
}

// CreateInstance validates in, stores the secrets, then the instance.
func (s *Service) CreateInstance(ctx context.Context, tenant, user string, in InstanceInput) (*Instance, error) {
	now := s.now()
	inst := &Instance{ID: newInstanceID(), CreatedAt: now, UpdatedBy: user}
	var sec instanceSecret
	if err := in.apply(inst, &sec, s.Outbound); err != nil {
		return nil, err
	}
	if err := s.putSecret(ctx, tenant, inst.ID, sec); err != nil {
		return nil, err
	}
	if err := s.putInstance(ctx, tenant, inst, 0); err != nil {
		_ = s.Secrets.Delete(ctx, secretName(tenant, inst.ID))
		return nil, err
	}
	return inst, nil
}

// UpdateInstance changes instance id if its revision is expected. A new
// token or webhook secret replaces the stored one; absent ones are kept.
func (s *Service) UpdateInstance(ctx context.Context, tenant, user, id string, expected int64, in InstanceInput) (*Instance, error) {
	inst, err := s.Instance(ctx, tenant, id)
	if err != nil {
		return nil, err
	}
	if inst.Revision != expected {
		return nil, errs.ConflictAt(inst.Revision, "jira instance %s changed since revision %d (now %d); reload it", id, expected, inst.Revision)
	}
	sec, err := s.secret(ctx, tenant, id)
	if err != nil && !errs.Is(err, errs.NotFound) {
		return nil, err
	}
	old := sec
	if err := in.apply(inst, &sec, s.Outbound); err != nil {
		return nil, err
	}
	inst.UpdatedBy = user
	if sec != old {
		if err := s.putSecret(ctx, tenant, id, sec); err != nil {
			return nil, err
		}
	}
	if err := s.putInstance(ctx, tenant, inst, expected); err != nil {
		return nil, err
	}
	return inst, nil
}

// DeleteInstance removes instance id (if its revision is expected) and its
// secrets. Links to it stay but cannot create issues until relinked.
func (s *Service) DeleteInstance(ctx context.Context, tenant, id string, expected int64) error {
	if err := s.Store.Delete(ctx, tenant, KindInstance, id, expected); err != nil {
		return fmt.Errorf("delete jira instance %s: %w", id, err)
	}
	if err := s.Secrets.Delete(ctx, secretName(tenant, id)); err != nil {
		return fmt.Errorf("delete secrets of jira instance %s: %w", id, err)
	}
	return nil
}

func (s *Service) putSecret(ctx context.Context, tenant, id string, sec instanceSecret) error {
	b, err := json.Marshal(sec)
	if err != nil {
		return fmt.Errorf("encode secrets of jira instance %s: %w", id, err)
	}
	if err := s.Secrets.Put(ctx, secretName(tenant, id), b); err != nil {
		return fmt.Errorf("store secrets of jira instance %s: %w", id, err)
	}
	return nil
}

func (s *Service) secret(ctx context.Context, tenant, id string) (instanceSecret, error) {
	var sec instanceSecret
	b, err := s.Secrets.Get(ctx, secretName(tenant, id))
	if err != nil {
		return sec, fmt.Errorf("secrets of jira instance %s: %w", id, err)
	}
	if err := json.Unmarshal(b, &sec); err != nil {
		return sec, errs.E(errs.Other, "secrets of jira instance %s are not readable", id)
	}
	return sec, nil
}

// client returns the IssueTracker of inst with its stored token.
func (s *Service) client(ctx context.Context, tenant string, inst *Instance) (IssueTracker, error) {
	sec, err := s.secret(ctx, tenant, inst.ID)
	if err != nil {
		return nil, err
	}
	if sec.Token == "" {
		return nil, errs.E(errs.Invalid, "jira instance %s has no token; set one in Settings → Integrations", inst.Name)
	}
	if _, err := CheckBaseURL(inst.BaseURL, s.Outbound.AllowLoopback); err != nil {
		return nil, errs.E(errs.Invalid, "jira instance %s: its base URL is no longer accepted (https is required outside local mode); change it in Settings → Integrations", inst.Name)
	}
	if s.Connect == nil {
		return nil, errs.E(errs.Unavailable, "jira instance %s: this server has no Jira client (jira.Service.Connect)", inst.Name)
	}
	return s.Connect(inst.BaseURL, Credentials{Deployment: inst.Deployment, Email: inst.Email, Token: sec.Token}, s.httpClient())
}

// Connection is the result of testing an instance.
type Connection struct {
	OK             bool   `json:"ok"`
	ServerTitle    string `json:"serverTitle,omitempty"`
	Version        string `json:"version,omitempty"`
	DeploymentType string `json:"deploymentType,omitempty"`
	User           string `json:"user,omitempty"` // whom the token authenticates
	Error          string `json:"error,omitempty"`
	RetryAfter     int    `json:"retryAfter,omitempty"` // seconds
}

// TestConnection calls the instance's server info and current user with
// the stored credentials. A failure to reach or authenticate is reported
// in the Connection, not as an error, as a summary (HTTP status, or why
// the host cannot be reached): nothing of the answer's body is shown, so
// the test cannot be used to read another server's pages. The server's
// title and version are shown only when the answer is a Jira one.
func (s *Service) TestConnection(ctx context.Context, tenant, id string) (*Connection, error) {
	inst, err := s.Instance(ctx, tenant, id)
	if err != nil {
		return nil, err
	}
	c, err := s.client(ctx, tenant, inst)
	if err != nil {
		return nil, err
	}
	fail := func(err error) *Connection {
		s.logger().InfoContext(ctx, "jira: connection test failed", "instance", id, "err", err.Error())
		out := &Connection{Error: connectionSummary(inst, err)}
		if d, ok := RetryAfter(err); ok {
			out.RetryAfter = int(d.Seconds())
		}
		return out
	}
	si, err := c.ServerInfo(ctx)
	if err != nil {
		return fail(err), nil
	}
	if si.Version == "" || si.BuildNumber == 0 {
		return fail(errs.E(errs.Unavailable, "not a Jira answer")), nil
	}
	user, err := c.Myself(ctx)
	if err != nil {
		return fail(err), nil
	}
	return &Connection{OK: true, ServerTitle: clip(si.ServerTitle, 100), Version: clip(si.Version, 40),
		DeploymentType: clip(si.DeploymentType, 20), User: clip(user, 200)}, nil
}

// connectionSummary says why a connection test failed in Bulwark's words.
func connectionSummary(inst *Instance, err error) string {
	host := inst.BaseURL
	if u, perr := url.Parse(inst.BaseURL); perr == nil {
		host = u.Host
	}
	var ae *APIError
	switch {
	case errors.As(err, &ae):
		switch {
		case ae.Status == http.StatusUnauthorized || ae.Status == http.StatusForbidden:
			return fmt.Sprintf("%s answered HTTP %d: it refused the credentials; check the email and token", host, ae.Status)
		case ae.Status == http.StatusNotFound:
			return fmt.Sprintf("%s answered HTTP 404: no Jira REST API at this base URL", host)
		case ae.Status == http.StatusTooManyRequests:
			return fmt.Sprintf("%s answered HTTP 429: Jira is rate limiting Bulwark; try again later", host)
		}
		return fmt.Sprintf("%s answered HTTP %d", host, ae.Status)
	case errs.Is(err, errs.Invalid):
		if e, ok := errs.As(err); ok && e.Field == "/baseUrl" {
			return e.Message
		}
	case errors.Is(err, outbound.ErrRedirect):
		return fmt.Sprintf("%s redirected to another host, which Bulwark does not follow; use the address Jira redirects to as the base URL", host)
	case errs.Is(err, errs.TooLarge):
		return fmt.Sprintf("%s sent an answer larger than Bulwark accepts", host)
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		return fmt.Sprintf("%s did not answer in time", host)
	}
	if strings.Contains(err.Error(), "not a Jira answer") || strings.Contains(err.Error(), "unreadable answer") {
		return fmt.Sprintf("%s answered, but not as Jira's REST API does; check the base URL", host)
	}
	return fmt.Sprintf("cannot reach %s", host)
}

func clip(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	return model.Clip(s, n)
}

// IssueTypes lists the issue types of a project of instance id.
func (s *Service) IssueTypes(ctx context.Context, tenant, id, project string) ([]IssueType, error) {
	inst, err := s.Instance(ctx, tenant, id)
	if err != nil {
		return nil, err
	}
	c, err := s.client(ctx, tenant, inst)
	if err != nil {
		return nil, err
	}
	return c.IssueTypes(ctx, project)
}
