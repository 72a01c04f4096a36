package jira

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	gojira "github.com/andygrunwald/go-jira"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/outbound"
)

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

// Credentials are what a Client authenticates with.
type Credentials struct {
	Deployment Deployment
	Email      string // Cloud only
	Token      string // Cloud API token or Data Center personal access token
}

// Client calls one Jira instance's REST API v2. It is safe for concurrent
// use.
type Client struct {
	jc         *gojira.Client
	base       *url.URL
	deployment Deployment
}

// DefaultTimeout bounds every call to Jira when the caller's HTTP client
// sets none.
const DefaultTimeout = 30 * time.Second

// NewClient returns a client for the Jira at baseURL. hc supplies the
// transport and timeout (nil: a strict outbound client, which reaches
// public addresses only). Whatever hc is, the client follows redirects only
// within the base URL's origin and sends the credentials on the first
// request only, never on a redirect.
func NewClient(baseURL string, cred Credentials, hc *http.Client) (*Client, error) {
	base, err := CheckBaseURL(baseURL, true)
	if err != nil {
		return nil, err
	}
	if hc == nil {
		hc = outbound.New(outbound.Policy{Timeout: DefaultTimeout})
	}
	rt := hc.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	timeout := hc.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	a := &authTransport{rt: rt}
	switch cred.Deployment {
	case Cloud:
		a.set = func(r *http.Request) { r.SetBasicAuth(cred.Email, cred.Token) }
	case DataCenter:
		a.set = func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+cred.Token) }
	default:
		return nil, errs.Field("/deployment", "must be %q or %q, got %q", Cloud, DataCenter, cred.Deployment)
	}
	jc, err := gojira.NewClient(&http.Client{Transport: a, Timeout: timeout, CheckRedirect: outbound.CheckRedirect}, base.String())
	if err != nil {
		return nil, errs.Wrap(errs.Invalid, err, "jira client for %s", base.Redacted())
	}
	return &Client{jc: jc, base: base, deployment: cred.Deployment}, nil
}

// authTransport adds the credentials to a request Bulwark makes, and not
// to one the HTTP client makes to follow a redirect (go-jira's auth
// transports add them to every request, redirects included).
type authTransport struct {
	rt  http.RoundTripper
	set func(*http.Request)
}

func (a *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if outbound.IsRedirect(req) {
		return a.rt.RoundTrip(req)
	}
	r := req.Clone(req.Context())
	a.set(r)
	return a.rt.RoundTrip(r)
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

// BrowseURL returns the web address of an issue.
func (c *Client) BrowseURL(key string) string {
	return IssueURL(c.base.String(), key)
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

// asErrs wraps e with its kind, listing field errors as problems named
// /fields/<field id>.
func (e *APIError) asErrs() error {
	out := &errs.Error{Kind: e.Kind(), Err: e}
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

// maxErrorBody bounds how much of an error answer is read.
const maxErrorBody = 64 << 10

// do sends one request built by go-jira and decodes a 2xx answer into out
// (nil: discard it).
func (c *Client) do(ctx context.Context, op, method, path string, body, out any) error {
	req, err := c.jc.NewRequestWithContext(ctx, method, path, body)
	if err != nil {
		return errs.Wrap(errs.Other, err, "jira %s: build request", op)
	}
	resp, err := c.jc.Do(req, out)
	if resp != nil && resp.Body != nil {
		defer func() {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
			resp.Body.Close()
		}()
	}
	if err == nil {
		return nil
	}
	if resp == nil || resp.Response == nil {
		if ctx.Err() != nil {
			return fmt.Errorf("jira %s: %w", op, ctx.Err())
		}
		var be *outbound.BlockedError
		if errors.As(err, &be) {
			return &errs.Error{Kind: errs.Invalid, Field: "/baseUrl",
				Message: fmt.Sprintf("jira %s: %s resolves to an address that is %s; Bulwark calls only public addresses unless an operator allows the range (--outbound-allow)", op, c.base.Hostname(), be.Why)}
		}
		if errors.Is(err, outbound.ErrRedirect) {
			return errs.Wrap(errs.Unavailable, outbound.ErrRedirect, "jira %s: %s redirected to another host, which Bulwark does not follow; use the address Jira redirects to as the base URL", op, c.base.Host)
		}
		return errs.Wrap(errs.Unavailable, redactURLError(err), "jira %s: cannot reach %s", op, c.base.Host)
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return errs.Wrap(errs.Unavailable, err, "jira %s: unreadable answer", op)
	}
	return c.apiError(op, resp.Response)
}

func (c *Client) apiError(op string, resp *http.Response) error {
	ae := &APIError{Op: op, Status: resp.StatusCode}
	if ra := resp.Header.Get("Retry-After"); ra != "" {
		if secs, err := strconv.Atoi(ra); err == nil && secs >= 0 {
			ae.RetryAfter = time.Duration(secs) * time.Second
		} else if t, err := http.ParseTime(ra); err == nil {
			ae.RetryAfter = max(time.Until(t), time.Second)
		}
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	var jerr struct {
		ErrorMessages []string          `json:"errorMessages"`
		Errors        map[string]string `json:"errors"`
		Message       string            `json:"message"` // some gateways (429) answer {"message": ...}
	}
	if json.Unmarshal(b, &jerr) == nil {
		ae.Messages, ae.Fields = jerr.ErrorMessages, jerr.Errors
		if jerr.Message != "" {
			ae.Messages = append(ae.Messages, jerr.Message)
		}
	}
	return ae.asErrs()
}

// redactURLError drops the request URL from a transport error, keeping
// the cause (a query could carry JQL naming issues).
func redactURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// ServerInfo is what GET /rest/api/2/serverInfo reports.
type ServerInfo struct {
	BaseURL        string `json:"baseUrl"`
	Version        string `json:"version"`
	DeploymentType string `json:"deploymentType"` // Cloud, Server or DataCenter
	ServerTitle    string `json:"serverTitle"`
	BuildNumber    int    `json:"buildNumber"`
}

// ServerInfo returns the server's identity.
func (c *Client) ServerInfo(ctx context.Context) (*ServerInfo, error) {
	var si ServerInfo
	if err := c.do(ctx, "server info", "GET", "rest/api/2/serverInfo", nil, &si); err != nil {
		return nil, err
	}
	return &si, nil
}

// Myself returns the display name of the user the credentials belong to.
func (c *Client) Myself(ctx context.Context) (string, error) {
	var u gojira.User
	if err := c.do(ctx, "current user", "GET", "rest/api/2/myself", nil, &u); err != nil {
		return "", err
	}
	return u.DisplayName, nil
}

// IssueType is one issue type a project can create.
type IssueType struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Subtask bool   `json:"subtask"`
}

// IssueTypes lists the issue types that can be created in project, from
// GET /rest/api/2/issue/createmeta/{project}/issuetypes (Cloud answers
// "issueTypes", Data Center "values"), following pages.
func (c *Client) IssueTypes(ctx context.Context, project string) ([]IssueType, error) {
	var all []IssueType
	for start := 0; ; {
		var page struct {
			Values     []IssueType `json:"values"`
			IssueTypes []IssueType `json:"issueTypes"`
			Total      int         `json:"total"`
			IsLast     *bool       `json:"isLast"`
		}
		path := fmt.Sprintf("rest/api/2/issue/createmeta/%s/issuetypes?startAt=%d&maxResults=50", url.PathEscape(project), start)
		if err := c.do(ctx, "create meta of "+project, "GET", path, nil, &page); err != nil {
			return nil, err
		}
		got := append(page.Values, page.IssueTypes...)
		all = append(all, got...)
		start += len(got)
		if len(got) == 0 || (page.IsLast != nil && *page.IsLast) || (page.IsLast == nil && start >= page.Total) || len(all) >= 1000 {
			return all, nil
		}
	}
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

// CreateIssue creates an issue (POST /rest/api/2/issue). A 400 answer
// becomes an errs.Invalid error whose problems name /fields/<field>.
func (c *Client) CreateIssue(ctx context.Context, in NewIssue) (*CreatedIssue, error) {
	body := gojira.Issue{Fields: &gojira.IssueFields{
		Project:     gojira.Project{Key: in.Project},
		Type:        gojira.IssueType{Name: in.IssueType},
		Summary:     in.Summary,
		Description: in.Description,
		Labels:      in.Labels,
	}}
	var out CreatedIssue
	if err := c.do(ctx, "create issue in "+in.Project, "POST", "rest/api/2/issue", &body, &out); err != nil {
		return nil, err
	}
	if out.Key == "" || out.ID == "" {
		return nil, errs.E(errs.Unavailable, "jira create issue in %s: answer without an issue id and key", in.Project)
	}
	return &out, nil
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

// issueFields are the fields Bulwark reads.
var issueFields = []string{"status", "resolution", "updated", "labels"}

func fromGoJira(gi *gojira.Issue) Issue {
	is := Issue{ID: gi.ID, Key: gi.Key}
	if f := gi.Fields; f != nil {
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

// GetIssue returns the issue with the given id or key.
func (c *Client) GetIssue(ctx context.Context, idOrKey string) (*Issue, error) {
	var gi gojira.Issue
	path := "rest/api/2/issue/" + url.PathEscape(idOrKey) + "?fields=" + strings.Join(issueFields, ",")
	if err := c.do(ctx, "get issue "+idOrKey, "GET", path, nil, &gi); err != nil {
		return nil, err
	}
	is := fromGoJira(&gi)
	return &is, nil
}

// maxSearch bounds one Search.
const maxSearch = 1000

// Search returns the issues matching jql (at most 1,000), with the fields
// Bulwark follows. Cloud uses GET /rest/api/2/search/jql (token paging),
// Data Center GET /rest/api/2/search (offset paging).
func (c *Client) Search(ctx context.Context, jql string) ([]Issue, error) {
	var out []Issue
	q := url.Values{"jql": {jql}, "fields": {strings.Join(issueFields, ",")}, "maxResults": {"100"}}
	for {
		var page struct {
			Issues        []gojira.Issue `json:"issues"`
			Total         int            `json:"total"`
			NextPageToken string         `json:"nextPageToken"`
		}
		path := "rest/api/2/search?"
		if c.deployment == Cloud {
			path = "rest/api/2/search/jql?"
		}
		if err := c.do(ctx, "search", "GET", path+q.Encode(), nil, &page); err != nil {
			return nil, err
		}
		for i := range page.Issues {
			out = append(out, fromGoJira(&page.Issues[i]))
		}
		if len(page.Issues) == 0 || len(out) >= maxSearch {
			return out, nil
		}
		if c.deployment == Cloud {
			if page.NextPageToken == "" {
				return out, nil
			}
			q.Set("nextPageToken", page.NextPageToken)
		} else {
			if len(out) >= page.Total {
				return out, nil
			}
			q.Set("startAt", strconv.Itoa(len(out)))
		}
	}
}

// Transition is a workflow step available on an issue.
type Transition struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	To   string `json:"to"` // the status it leads to
}

// Transitions lists the transitions the credentials may perform on an
// issue.
func (c *Client) Transitions(ctx context.Context, idOrKey string) ([]Transition, error) {
	var res struct {
		Transitions []gojira.Transition `json:"transitions"`
	}
	if err := c.do(ctx, "transitions of "+idOrKey, "GET", "rest/api/2/issue/"+url.PathEscape(idOrKey)+"/transitions", nil, &res); err != nil {
		return nil, err
	}
	out := make([]Transition, 0, len(res.Transitions))
	for _, t := range res.Transitions {
		out = append(out, Transition{ID: t.ID, Name: t.Name, To: t.To.Name})
	}
	return out, nil
}

// TransitionTo moves an issue to the named status (case-insensitive) with
// the first transition that leads there. An issue already in that status
// is left alone; one that cannot get there is an errs.Invalid error.
func (c *Client) TransitionTo(ctx context.Context, idOrKey, status string) error {
	is, err := c.GetIssue(ctx, idOrKey)
	if err != nil {
		return err
	}
	if strings.EqualFold(is.Status, status) {
		return nil
	}
	ts, err := c.Transitions(ctx, idOrKey)
	if err != nil {
		return err
	}
	for _, t := range ts {
		if strings.EqualFold(t.To, status) {
			body := gojira.CreateTransitionPayload{Transition: gojira.TransitionPayload{ID: t.ID}}
			return c.do(ctx, "transition "+idOrKey, "POST", "rest/api/2/issue/"+url.PathEscape(idOrKey)+"/transitions", &body, nil)
		}
	}
	return errs.E(errs.Invalid, "jira issue %s cannot move from %q to %q: no such transition", idOrKey, is.Status, status)
}
