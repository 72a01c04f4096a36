package gojira

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/jira"
	"github.com/bulwark-tm/bulwark/pkg/jira/jiratest"
)

func newClient(t *testing.T, fake *jiratest.Server) *Client {
	t.Helper()
	cred := jira.Credentials{Deployment: jira.DataCenter, Token: fake.Token}
	if fake.Cloud {
		cred = jira.Credentials{Deployment: jira.Cloud, Email: fake.Email, Token: fake.Token}
	}
	c, err := NewClient(fake.URL, cred, fake.Client())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestClientAgainstFakeJira(t *testing.T) {
	for _, cloud := range []bool{true, false} {
		name := map[bool]string{true: "cloud", false: "datacenter"}[cloud]
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			fake := jiratest.New(t, cloud)
			c := newClient(t, fake)

			si, err := c.ServerInfo(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if want := map[bool]string{true: "Cloud", false: "DataCenter"}[cloud]; si.DeploymentType != want {
				t.Errorf("deployment type %q, want %q", si.DeploymentType, want)
			}
			if me, err := c.Myself(ctx); err != nil || me != "Bulwark Bot" {
				t.Errorf("Myself = %q, %v", me, err)
			}
			types, err := c.IssueTypes(ctx, "SEC")
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, it := range types {
				names = append(names, it.Name)
			}
			if !slices.Equal(names, []string{"Bug", "Task", "Story", "Epic"}) {
				t.Errorf("issue types %v", names)
			}

			created, err := c.CreateIssue(ctx, jira.NewIssue{Project: "SEC", IssueType: "Bug", Summary: "S3 bucket is public", Description: "h1. x", Labels: []string{"bulwark", "bulwark-abc"}})
			if err != nil {
				t.Fatal(err)
			}
			if created.Key != "SEC-1" {
				t.Errorf("key %q", created.Key)
			}
			is, err := c.GetIssue(ctx, created.Key)
			if err != nil {
				t.Fatal(err)
			}
			if is.Status != "To Do" || is.StatusCategory != "new" || is.Updated.IsZero() || !slices.Contains(is.Labels, "bulwark-abc") {
				t.Errorf("issue %+v", is)
			}
			// Search pages: create more than one page's worth.
			for i := range 120 {
				if _, err := c.CreateIssue(ctx, jira.NewIssue{Project: "SEC", IssueType: "Task", Summary: "t" + strings.Repeat("x", i%3), Labels: []string{"bulk"}}); err != nil {
					t.Fatal(err)
				}
			}
			found, err := c.Search(ctx, `labels = "bulk" AND project = "SEC"`)
			if err != nil || len(found) != 120 {
				t.Fatalf("Search found %d, %v; want 120", len(found), err)
			}
			found, err = c.Search(ctx, `labels = "bulwark-abc"`)
			if err != nil || len(found) != 1 || found[0].Key != "SEC-1" {
				t.Fatalf("Search by label = %+v, %v", found, err)
			}
			searchPath := map[bool]string{true: "/rest/api/2/search/jql", false: "/rest/api/2/search"}[cloud]
			if n := fake.Count("GET", searchPath); n != 3 {
				t.Errorf("%d calls of %s, want 3 (two pages, then one)", n, searchPath)
			}

			ts, err := c.Transitions(ctx, "SEC-1")
			if err != nil || len(ts) != 2 {
				t.Fatalf("Transitions = %+v, %v", ts, err)
			}
			if err := c.TransitionTo(ctx, "SEC-1", "done"); err != nil {
				t.Fatal(err)
			}
			if is, _ := fake.Issue("SEC-1"); is.Status != jiratest.Done || is.Resolution != "Done" {
				t.Errorf("after transition: %+v", is)
			}
			if err := c.TransitionTo(ctx, "SEC-1", "Done"); err != nil {
				t.Errorf("transition to the current status: %v", err)
			}
			if err := c.TransitionTo(ctx, "SEC-1", "Blocked"); !errs.Is(err, errs.Invalid) {
				t.Errorf("transition to an unknown status: %v", err)
			}
		})
	}
}

func TestClientErrors(t *testing.T) {
	ctx := context.Background()
	fake := jiratest.New(t, true)
	fake.Required["Epic"] = []string{"customfield_10011"}
	c := newClient(t, fake)
	wrong, err := NewClient(fake.URL, jira.Credentials{Deployment: jira.Cloud, Email: fake.Email, Token: "wrong"}, fake.Client())
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name     string
		call     func() error
		kind     errs.Kind
		status   int
		problems []string // fields
		retry    time.Duration
	}{
		{"wrong token", func() error { _, err := wrong.ServerInfo(ctx); return err }, errs.Unavailable, 401, nil, 0},
		{"unknown issue", func() error { _, err := c.GetIssue(ctx, "SEC-999"); return err }, errs.NotFound, 404, nil, 0},
		{"unknown project", func() error { _, err := c.IssueTypes(ctx, "NOPE"); return err }, errs.NotFound, 404, nil, 0},
		{"field errors", func() error {
			_, err := c.CreateIssue(ctx, jira.NewIssue{Project: "SEC", IssueType: "Epic", Labels: []string{"has space"}})
			return err
		}, errs.Invalid, 400, []string{"/fields/customfield_10011", "/fields/labels", "/fields/summary"}, 0},
		{"bad project", func() error {
			_, err := c.CreateIssue(ctx, jira.NewIssue{Project: "NOPE", IssueType: "Bug", Summary: "x"})
			return err
		}, errs.Invalid, 400, []string{"/fields/project"}, 0},
		{"rate limited", func() error { fake.RateLimit(1, 17); _, err := c.ServerInfo(ctx); return err }, errs.Unavailable, 429, nil, 17 * time.Second},
		{"bad JQL", func() error { _, err := c.Search(ctx, `summary ~ "x"`); return err }, errs.Invalid, 400, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if !errs.Is(err, tt.kind) {
				t.Fatalf("err = %v, want kind %v", err, tt.kind)
			}
			var ae *jira.APIError
			if !errors.As(err, &ae) || ae.Status != tt.status {
				t.Fatalf("err = %#v, want an jira.APIError with status %d", err, tt.status)
			}
			e, _ := errs.As(err)
			var fields []string
			for _, p := range e.Problems {
				fields = append(fields, p.Field)
			}
			if !slices.Equal(fields, tt.problems) {
				t.Errorf("problems %v, want %v", fields, tt.problems)
			}
			if d, _ := jira.RetryAfter(err); d != tt.retry {
				t.Errorf("jira.RetryAfter = %v, want %v", d, tt.retry)
			}
			if strings.Contains(err.Error(), fake.Token) {
				t.Errorf("error leaks the token: %v", err)
			}
		})
	}

	t.Run("unreachable", func(t *testing.T) {
		fake2 := jiratest.New(t, false)
		c2 := newClient(t, fake2)
		fake2.Close()
		if _, err := c2.ServerInfo(ctx); !errs.Is(err, errs.Unavailable) {
			t.Errorf("err = %v, want Unavailable", err)
		}
	})
}

func TestNewClientRefusesUnknownDeployment(t *testing.T) {
	if _, err := NewClient("https://x.example.com", jira.Credentials{Deployment: "server"}, nil); !errs.Is(err, errs.Invalid) {
		t.Errorf("unknown deployment: %v", err)
	}
}
