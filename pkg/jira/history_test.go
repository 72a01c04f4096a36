package jira_test

import (
	"context"
	"testing"

	. "github.com/bulwark-tm/bulwark/pkg/jira"
	"github.com/bulwark-tm/bulwark/pkg/jira/jiratest"
	"github.com/bulwark-tm/bulwark/pkg/store"
)

// TestSavesAreVersions (#18.3): every model save of the integration is a
// version in the model's history, as an editor's save is, with an author
// that names the path: creating issues, a webhook delivery, a pull.
func TestSavesAreVersions(t *testing.T) {
	ctx := context.Background()
	create := func(t *testing.T, e *env) {
		if _, err := e.svc.CreateIssues(ctx, tenant, "alice", e.model.ID, []IssueRequest{{Item: e.threat}}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, author string
		before, do   func(*testing.T, *env)
	}{
		{"create issues", AuthorExport, nil, create},
		{"webhook", AuthorWebhook, create, func(t *testing.T, e *env) { e.deliver(t, "issue_updated_in_progress.json") }},
		{"webhook deletion", AuthorWebhook, create, func(t *testing.T, e *env) { e.deliver(t, "issue_deleted.json") }},
		{"pull", AuthorPull, create, func(t *testing.T, e *env) {
			e.fake.SetStatus("SEC-1", jiratest.Done, "Done")
			if res, err := e.svc.Pull(ctx, tenant, e.inst.ID); err != nil || res.Updated != 1 {
				t.Fatalf("pull %+v %v", res, err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, true)
			if tt.before != nil {
				tt.before(t, e)
			}
			rev := func() int64 {
				t.Helper()
				m, err := store.Models{Store: e.svc.Store}.Get(ctx, tenant, e.model.ID)
				if err != nil {
					t.Fatal(err)
				}
				return m.Revision
			}
			before := rev()
			tt.do(t, e)
			after := rev()
			vs, _, err := (&store.History{Store: e.svc.Store}).List(ctx, tenant, e.model.ID, "", 1)
			if err != nil {
				t.Fatal(err)
			}
			if after == before || len(vs) != 1 || vs[0].Revision != after || vs[0].Author != tt.author || vs[0].Summary == "" {
				t.Errorf("model revision %d → %d, newest version %+v; want a summarized version of the new revision by %q", before, after, vs, tt.author)
			}
		})
	}
}
