// Package gojira is the Jira adapter of pkg/jira: a jira.IssueTracker on
// github.com/andygrunwald/go-jira (Jira REST API v2, Cloud and Data
// Center). It is the only package that imports go-jira; the composition
// root (pkg/app) gives the Service its Connect function.
//
// Credentials go on the requests Bulwark makes and never on a redirect,
// redirects stay within the base URL's origin, and error answers become a
// *jira.APIError without any request data.
package gojira

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	gj "github.com/andygrunwald/go-jira"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/jira"
	"github.com/bulwark-tm/bulwark/pkg/outbound"
)

// Client calls one Jira instance's REST API v2. It is safe for concurrent
// use.
type Client struct {
	jc         *gj.Client
	base       *url.URL
	deployment jira.Deployment
}

var _ jira.IssueTracker = (*Client)(nil)

// DefaultTimeout bounds every call to Jira when the caller's HTTP client
// sets none.
const DefaultTimeout = 30 * time.Second

// NewClient returns a client for the Jira at baseURL. hc supplies the
// transport and timeout (nil: a strict outbound client, which reaches
// public addresses only). Whatever hc is, the client follows redirects only
// within the base URL's origin and sends the credentials on the first
// request only, never on a redirect.
func NewClient(baseURL string, cred jira.Credentials, hc *http.Client) (*Client, error) {
	base, err := jira.CheckBaseURL(baseURL, true)
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
	case jira.Cloud:
		a.set = func(r *http.Request) { r.SetBasicAuth(cred.Email, cred.Token) }
	case jira.DataCenter:
		a.set = func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+cred.Token) }
	default:
		return nil, errs.Field("/deployment", "must be %q or %q, got %q", jira.Cloud, jira.DataCenter, cred.Deployment)
	}
	jc, err := gj.NewClient(&http.Client{Transport: a, Timeout: timeout, CheckRedirect: outbound.CheckRedirect}, base.String())
	if err != nil {
		return nil, errs.E(errs.Invalid, "jira client for %s: %w", base.Redacted(), err)
	}
	return &Client{jc: jc, base: base, deployment: cred.Deployment}, nil
}

// Connect is NewClient as a jira.Connector, for jira.Service.Connect.
func Connect(baseURL string, cred jira.Credentials, hc *http.Client) (jira.IssueTracker, error) {
	c, err := NewClient(baseURL, cred, hc)
	if err != nil {
		return nil, err
	}
	return c, nil
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

// maxErrorBody bounds how much of an error answer is read.
const maxErrorBody = 64 << 10

// do sends one request built by go-jira and decodes a 2xx answer into out
// (nil: discard it).
func (c *Client) do(ctx context.Context, op, method, path string, body, out any) error {
	req, err := c.jc.NewRequestWithContext(ctx, method, path, body)
	if err != nil {
		return fmt.Errorf("jira %s: build request: %w", op, err)
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
			return errs.Field("/baseUrl", "jira %s: %s resolves to an address that is %s; Bulwark calls only public addresses unless an operator allows the range (--outbound-allow)", op, c.base.Hostname(), be.Why)
		}
		if errors.Is(err, outbound.ErrRedirect) {
			return errs.E(errs.Unavailable, "jira %s: %s redirected to another host, which Bulwark does not follow; use the address Jira redirects to as the base URL: %w", op, c.base.Host, outbound.ErrRedirect)
		}
		return errs.E(errs.Unavailable, "jira %s: cannot reach %s: %w", op, c.base.Host, redactURLError(err))
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return errs.E(errs.Unavailable, "jira %s: unreadable answer: %w", op, err)
	}
	return c.apiError(op, resp.Response)
}

func (c *Client) apiError(op string, resp *http.Response) error {
	ae := &jira.APIError{Op: op, Status: resp.StatusCode}
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
	return ae.AsError()
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

// ServerInfo returns the server's identity.
func (c *Client) ServerInfo(ctx context.Context) (*jira.ServerInfo, error) {
	var si jira.ServerInfo
	if err := c.do(ctx, "server info", "GET", "rest/api/2/serverInfo", nil, &si); err != nil {
		return nil, err
	}
	return &si, nil
}

// Myself returns the display name of the user the credentials belong to.
func (c *Client) Myself(ctx context.Context) (string, error) {
	var u gj.User
	if err := c.do(ctx, "current user", "GET", "rest/api/2/myself", nil, &u); err != nil {
		return "", err
	}
	return u.DisplayName, nil
}

// IssueTypes lists the issue types that can be created in project, from
// GET /rest/api/2/issue/createmeta/{project}/issuetypes (Cloud answers
// "issueTypes", Data Center "values"), following pages.
func (c *Client) IssueTypes(ctx context.Context, project string) ([]jira.IssueType, error) {
	var all []jira.IssueType
	for start := 0; ; {
		var page struct {
			Values     []jira.IssueType `json:"values"`
			IssueTypes []jira.IssueType `json:"issueTypes"`
			Total      int              `json:"total"`
			IsLast     *bool            `json:"isLast"`
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

// CreateIssue creates an issue (POST /rest/api/2/issue). A 400 answer
// becomes an errs.Invalid error whose problems name /fields/<field>.
func (c *Client) CreateIssue(ctx context.Context, in jira.NewIssue) (*jira.CreatedIssue, error) {
	body := gj.Issue{Fields: &gj.IssueFields{
		Project:     gj.Project{Key: in.Project},
		Type:        gj.IssueType{Name: in.IssueType},
		Summary:     in.Summary,
		Description: in.Description,
		Labels:      in.Labels,
	}}
	var out jira.CreatedIssue
	if err := c.do(ctx, "create issue in "+in.Project, "POST", "rest/api/2/issue", &body, &out); err != nil {
		return nil, err
	}
	if out.Key == "" || out.ID == "" {
		return nil, errs.E(errs.Unavailable, "jira create issue in %s: answer without an issue id and key", in.Project)
	}
	return &out, nil
}

// issueFields are the fields Bulwark reads.
var issueFields = []string{"status", "resolution", "updated", "labels"}

// GetIssue returns the issue with the given id or key.
func (c *Client) GetIssue(ctx context.Context, idOrKey string) (*jira.Issue, error) {
	var ri jira.RESTIssue
	path := "rest/api/2/issue/" + url.PathEscape(idOrKey) + "?fields=" + strings.Join(issueFields, ",")
	if err := c.do(ctx, "get issue "+idOrKey, "GET", path, nil, &ri); err != nil {
		return nil, err
	}
	is := ri.Issue()
	return &is, nil
}

// maxSearch bounds one Search.
const maxSearch = 1000

// Search returns the issues matching jql (at most 1,000), with the fields
// Bulwark follows. Cloud uses GET /rest/api/2/search/jql (token paging),
// Data Center GET /rest/api/2/search (offset paging).
func (c *Client) Search(ctx context.Context, jql string) ([]jira.Issue, error) {
	var out []jira.Issue
	q := url.Values{"jql": {jql}, "fields": {strings.Join(issueFields, ",")}, "maxResults": {"100"}}
	for {
		var page struct {
			Issues        []jira.RESTIssue `json:"issues"`
			Total         int              `json:"total"`
			NextPageToken string           `json:"nextPageToken"`
		}
		path := "rest/api/2/search?"
		if c.deployment == jira.Cloud {
			path = "rest/api/2/search/jql?"
		}
		if err := c.do(ctx, "search", "GET", path+q.Encode(), nil, &page); err != nil {
			return nil, err
		}
		for i := range page.Issues {
			out = append(out, page.Issues[i].Issue())
		}
		if len(page.Issues) == 0 || len(out) >= maxSearch {
			return out, nil
		}
		if c.deployment == jira.Cloud {
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
		Transitions []gj.Transition `json:"transitions"`
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
			body := gj.CreateTransitionPayload{Transition: gj.TransitionPayload{ID: t.ID}}
			return c.do(ctx, "transition "+idOrKey, "POST", "rest/api/2/issue/"+url.PathEscape(idOrKey)+"/transitions", &body, nil)
		}
	}
	return errs.E(errs.Invalid, "jira issue %s cannot move from %q to %q: no such transition", idOrKey, is.Status, status)
}
