package jira

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// IssueTracker is what the Service needs of one Jira instance, reached
// with the instance's credentials: its identity, the issue types of a
// project, and creating, reading and searching issues. pkg/jira/gojira
// implements it on github.com/andygrunwald/go-jira; the Service gets one
// per call from its Connect function.
//
// Implementations are safe for concurrent use. A Jira error answer is an
// *errs.Error wrapping an *APIError (see APIError.AsError); a Jira that
// cannot be reached is Unavailable; answers and errors never carry the
// credentials.
type IssueTracker interface {
	// ServerInfo returns the server's identity (GET /rest/api/2/serverInfo).
	ServerInfo(ctx context.Context) (*ServerInfo, error)
	// Myself returns the display name of the user the credentials belong
	// to.
	Myself(ctx context.Context) (string, error)
	// IssueTypes lists the issue types that can be created in project.
	IssueTypes(ctx context.Context, project string) ([]IssueType, error)
	// CreateIssue creates an issue. Field errors are an Invalid error whose
	// problems name /fields/<field id>.
	CreateIssue(ctx context.Context, in NewIssue) (*CreatedIssue, error)
	// GetIssue returns the issue with the given id or key.
	GetIssue(ctx context.Context, idOrKey string) (*Issue, error)
	// Search returns the issues matching jql, at most 1,000, with the
	// fields of Issue.
	Search(ctx context.Context, jql string) ([]Issue, error)
}

// Connector opens the IssueTracker of the Jira at baseURL, authenticating
// with cred and calling through hc (the Service's guarded HTTP client).
// pkg/jira/gojira.Connect is the one Bulwark uses.
type Connector func(baseURL string, cred Credentials, hc *http.Client) (IssueTracker, error)

// Deployment is the kind of Jira an instance is, which decides how Bulwark
// authenticates and which search endpoint it uses.
type Deployment string

// The deployments.
const (
	// Cloud authenticates with an Atlassian account email and API token
	// (HTTP basic) and searches with /rest/api/2/search/jql.
	Cloud Deployment = "cloud"
	// DataCenter authenticates with a personal access token (bearer) and
	// searches with /rest/api/2/search.
	DataCenter Deployment = "datacenter"
)

// Credentials are what an IssueTracker authenticates with.
type Credentials struct {
	Deployment Deployment
	Email      string // Cloud only
	Token      string // Cloud API token or Data Center personal access token
}

// CheckBaseURL parses a Jira base URL: https with a host and no query,
// user info or fragment; http only for a loopback host (a local Jira or a
// test server) when loopbackHTTP is true (local mode). The result ends
// with a slash. Which addresses may be reached is decided when dialing
// (see package outbound), not here.
func CheckBaseURL(raw string, loopbackHTTP bool) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return nil, errs.Field("/baseUrl", "must be an absolute URL such as https://example.atlassian.net")
	}
	switch {
	case u.User != nil:
		return nil, errs.Field("/baseUrl", "must not carry credentials; set the token instead")
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		return nil, errs.Field("/baseUrl", "must not have a query or fragment")
	case u.Scheme == "https":
	case u.Scheme == "http" && loopbackHTTP && isLoopback(u.Hostname()):
	default:
		return nil, errs.Field("/baseUrl", "must use https (http is accepted only for a loopback address in local mode)")
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	return u, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

var issueKey = regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,254}-[1-9][0-9]{0,17}$`)

// IssueURL is the web address of issue key on the Jira at baseURL:
// BASE/browse/KEY. It is the only issue address Bulwark stores or shows,
// so an item's link always leads to its instance; it is empty when key is
// not a Jira issue key (PROJECT-123) or baseURL is not http(s).
func IssueURL(baseURL, key string) string {
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || !issueKey.MatchString(key) {
		return ""
	}
	u.RawQuery, u.Fragment = "", ""
	return u.JoinPath("browse", key).String()
}

// APIError is an error answer from Jira, in its REST error shape
// ({"errorMessages": [...], "errors": {"field": "message"}}).
type APIError struct {
	Op         string // what Bulwark was doing, e.g. "create issue"
	Status     int
	Messages   []string
	Fields     map[string]string // field id → message, from a 400
	RetryAfter time.Duration     // from a 429 or 503
}

// Error describes the failure without any request data.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "jira %s: HTTP %d", e.Op, e.Status)
	if len(e.Messages) > 0 {
		b.WriteString(": " + strings.Join(e.Messages, "; "))
	}
	for _, k := range sortedKeys(e.Fields) {
		fmt.Fprintf(&b, "; %s: %s", k, e.Fields[k])
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	return b.String()
}

// Kind maps the HTTP status onto an errs.Kind. Jira refusing Bulwark's
// credentials is not the caller's authentication failing, so 401 and 403
// are Unavailable (the integration needs fixing), as are 429 and 5xx.
func (e *APIError) Kind() errs.Kind {
	switch {
	case e.Status == http.StatusBadRequest:
		return errs.Invalid
	case e.Status == http.StatusNotFound:
		return errs.NotFound
	case e.Status == http.StatusConflict:
		return errs.Conflict
	}
	return errs.Unavailable
}

// AsError returns e as an *errs.Error of its Kind, listing field errors
// as problems named /fields/<field id>: what an IssueTracker returns for a
// Jira error answer.
func (e *APIError) AsError() error {
	out := errs.E(e.Kind(), "%w", e)
	switch e.Status {
	case http.StatusUnauthorized, http.StatusForbidden:
		out.Message = "Jira refused the instance's credentials; check the email and token in Settings → Integrations"
	case http.StatusTooManyRequests:
		out.Message = "Jira is rate limiting Bulwark; try again later"
	}
	for _, k := range sortedKeys(e.Fields) {
		out.Problems = append(out.Problems, errs.Problem{Field: "/fields/" + k, Message: e.Fields[k]})
	}
	return out
}

// RetryAfter returns how long Jira asked to wait, if err carries an
// APIError with a Retry-After.
func RetryAfter(err error) (time.Duration, bool) {
	var ae *APIError
	if errors.As(err, &ae) && ae.RetryAfter > 0 {
		return ae.RetryAfter, true
	}
	return 0, false
}

// ServerInfo is what GET /rest/api/2/serverInfo reports.
type ServerInfo struct {
	BaseURL        string `json:"baseUrl"`
	Version        string `json:"version"`
	DeploymentType string `json:"deploymentType"` // Cloud, Server or DataCenter
	ServerTitle    string `json:"serverTitle"`
	BuildNumber    int    `json:"buildNumber"`
}

// IssueType is one issue type a project can create.
type IssueType struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Subtask bool   `json:"subtask"`
}

// NewIssue is what CreateIssue sends.
type NewIssue struct {
	Project     string // key
	IssueType   string // name
	Summary     string
	Description string // Jira wiki markup
	Labels      []string
}

// CreatedIssue identifies a new issue.
type CreatedIssue struct {
	ID  string `json:"id"`
	Key string `json:"key"`
}

// Issue is the part of a Jira issue Bulwark follows.
type Issue struct {
	ID             string    `json:"id"`
	Key            string    `json:"key"`
	Status         string    `json:"status"`         // status name
	StatusCategory string    `json:"statusCategory"` // new, indeterminate or done
	Resolution     string    `json:"resolution,omitempty"`
	Updated        time.Time `json:"updated"`
	Labels         []string  `json:"labels,omitempty"`
}

// RESTIssue is an issue as Jira's REST API v2 and its webhooks write it,
// reduced to the fields Issue holds: id, key, fields.status (name and
// statusCategory.key), fields.resolution.name, fields.updated and
// fields.labels.
type RESTIssue struct {
	ID     string `json:"id"`
	Key    string `json:"key"`
	Fields *struct {
		Status *struct {
			Name           string `json:"name"`
			StatusCategory struct {
				Key string `json:"key"`
			} `json:"statusCategory"`
		} `json:"status"`
		Resolution *struct {
			Name string `json:"name"`
		} `json:"resolution"`
		Updated restTime `json:"updated"`
		Labels  []string `json:"labels"`
	} `json:"fields"`
}

// Issue returns the Issue ri describes, its updated time in UTC.
func (ri *RESTIssue) Issue() Issue {
	is := Issue{ID: ri.ID, Key: ri.Key}
	if f := ri.Fields; f != nil {
		if f.Status != nil {
			is.Status, is.StatusCategory = f.Status.Name, f.Status.StatusCategory.Key
		}
		if f.Resolution != nil {
			is.Resolution = f.Resolution.Name
		}
		is.Updated = time.Time(f.Updated).UTC()
		is.Labels = f.Labels
	}
	return is
}

// restTime is a time as Jira's REST API writes it
// ("2026-11-02T12:00:00.000+0000"); null is the zero time.
type restTime time.Time

func (t *restTime) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	ti, err := time.Parse(`"2006-01-02T15:04:05.999-0700"`, string(b))
	if err != nil {
		return err
	}
	*t = restTime(ti)
	return nil
}
