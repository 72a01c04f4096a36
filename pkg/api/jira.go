package api

import (
	"context"
	"net/http"

	"github.com/bulwark-tm/bulwark/pkg/auth"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/jira"
	"github.com/bulwark-tm/bulwark/pkg/store"
)

// JiraService is what the Jira routes (and model deletion) need of the
// Jira integration; *jira.Service implements it.
type JiraService interface {
	Instances(ctx context.Context, tenant string) ([]*jira.Instance, error)
	Instance(ctx context.Context, tenant, id string) (*jira.Instance, error)
	CreateInstance(ctx context.Context, tenant, user string, in jira.InstanceInput) (*jira.Instance, error)
	UpdateInstance(ctx context.Context, tenant, user, id string, expected int64, in jira.InstanceInput) (*jira.Instance, error)
	DeleteInstance(ctx context.Context, tenant, id string, expected int64) error
	TestConnection(ctx context.Context, tenant, id string) (*jira.Connection, error)
	Pull(ctx context.Context, tenant, instanceID string) (*jira.PullResult, error)
	IssueTypes(ctx context.Context, tenant, id, project string) ([]jira.IssueType, error)
	Link(ctx context.Context, tenant, modelID string) (*jira.Link, error)
	PutLink(ctx context.Context, tenant, user string, l *jira.Link, expected int64) error
	ForgetModel(ctx context.Context, tenant, modelID string) error
	Drafts(ctx context.Context, tenant, modelID string, ids []string) ([]jira.Draft, error)
	CreateIssues(ctx context.Context, tenant, user, modelID string, reqs []jira.IssueRequest) ([]jira.IssueResult, error)
	HandleWebhook(ctx context.Context, tenant, instanceID string, body []byte, signature string) (*jira.Outcome, error)
}

var _ JiraService = (*jira.Service)(nil)

// jiraRoutes are the Jira integration: instances (Settings → Integrations,
// admin), the per-model link, issue drafts and creation, and the webhook,
// which is authenticated by its signature instead of a user.
var jiraRoutes = []route{
	{"GET", "/api/v1/integrations/jira/instances", auth.RoleEditor, (*server).listJiraInstances},
	{"POST", "/api/v1/integrations/jira/instances", auth.RoleAdmin, (*server).createJiraInstance},
	{"GET", "/api/v1/integrations/jira/instances/{instance}", auth.RoleEditor, (*server).getJiraInstance},
	{"PATCH", "/api/v1/integrations/jira/instances/{instance}", auth.RoleAdmin, (*server).patchJiraInstance},
	{"DELETE", "/api/v1/integrations/jira/instances/{instance}", auth.RoleAdmin, (*server).deleteJiraInstance},
	{"POST", "/api/v1/integrations/jira/instances/{instance}/test", auth.RoleAdmin, (*server).testJiraInstance},
	{"POST", "/api/v1/integrations/jira/instances/{instance}/pull", auth.RoleAdmin, (*server).pullJiraInstance},
	{"GET", "/api/v1/integrations/jira/instances/{instance}/projects/{project}/issuetypes", auth.RoleEditor, (*server).jiraIssueTypes},
	{"GET", "/api/v1/models/{id}/jira", auth.RoleViewer, (*server).getJiraLink},
	{"PUT", "/api/v1/models/{id}/jira", auth.RoleEditor, (*server).putJiraLink},
	{"POST", "/api/v1/models/{id}/jira/drafts", auth.RoleEditor, (*server).jiraDrafts},
	{"POST", "/api/v1/models/{id}/jira/issues", auth.RoleEditor, (*server).createJiraIssues},
	jiraWebhookRoute,
}

var jiraWebhookRoute = route{"POST", "/api/v1/webhooks/jira/{tenant}/{instance}", auth.RoleNone, (*server).jiraWebhook}

// NewJiraWebhook returns a handler serving only the Jira webhook route, for
// functions/jirawebhook; every other request is a problem+json 404.
func NewJiraWebhook(d Deps) http.Handler {
	mux := http.NewServeMux()
	mux.Handle(jiraWebhookRoute.method+" "+jiraWebhookRoute.pattern, New(d))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, errs.E(errs.NotFound, "this function serves only %s %s", jiraWebhookRoute.method, jiraWebhookRoute.pattern))
	})
	return mux
}

func (s *server) jira() (JiraService, error) {
	if s.Jira == nil {
		return nil, errs.E(errs.Unavailable, "the Jira integration is not configured on this server (no secret store)")
	}
	return s.Jira, nil
}

// jiraInstance is an instance as the API shows it: never a secret, and
// the path Jira's webhook must call.
type jiraInstance struct {
	*jira.Instance
	WebhookPath string `json:"webhookPath"`
}

func showInstance(tenant string, inst *jira.Instance) jiraInstance {
	return jiraInstance{Instance: inst, WebhookPath: "/api/v1/webhooks/jira/" + tenant + "/" + inst.ID}
}

func (s *server) listJiraInstances(w http.ResponseWriter, r *http.Request) error {
	j, err := s.jira()
	if err != nil {
		return err
	}
	p := principal(r)
	insts, err := j.Instances(r.Context(), p.Tenant)
	if err != nil {
		return err
	}
	items := make([]jiraInstance, 0, len(insts))
	for _, inst := range insts {
		items = append(items, showInstance(p.Tenant, inst))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

func (s *server) createJiraInstance(w http.ResponseWriter, r *http.Request) error {
	j, err := s.jira()
	if err != nil {
		return err
	}
	var in jira.InstanceInput
	if err := decodeSmallBody(w, r, &in); err != nil {
		return err
	}
	p := principal(r)
	inst, err := j.CreateInstance(r.Context(), p.Tenant, p.User, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/integrations/jira/instances/"+inst.ID)
	w.Header().Set("ETag", etag(inst.Revision))
	writeJSON(w, http.StatusCreated, showInstance(p.Tenant, inst))
	return nil
}

func (s *server) getJiraInstance(w http.ResponseWriter, r *http.Request) error {
	j, err := s.jira()
	if err != nil {
		return err
	}
	p := principal(r)
	inst, err := j.Instance(r.Context(), p.Tenant, r.PathValue("instance"))
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(inst.Revision))
	writeJSON(w, http.StatusOK, showInstance(p.Tenant, inst))
	return nil
}

func (s *server) patchJiraInstance(w http.ResponseWriter, r *http.Request) error {
	j, err := s.jira()
	if err != nil {
		return err
	}
	expected, _, err := ifMatch(r, true)
	if err != nil {
		return err
	}
	var in jira.InstanceInput
	if err := decodeSmallBody(w, r, &in); err != nil {
		return err
	}
	p := principal(r)
	inst, err := j.UpdateInstance(r.Context(), p.Tenant, p.User, r.PathValue("instance"), expected, in)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(inst.Revision))
	writeJSON(w, http.StatusOK, showInstance(p.Tenant, inst))
	return nil
}

func (s *server) deleteJiraInstance(w http.ResponseWriter, r *http.Request) error {
	j, err := s.jira()
	if err != nil {
		return err
	}
	expected, _, err := ifMatch(r, true)
	if err != nil {
		return err
	}
	if err := j.DeleteInstance(r.Context(), principal(r).Tenant, r.PathValue("instance"), expected); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *server) testJiraInstance(w http.ResponseWriter, r *http.Request) error {
	j, err := s.jira()
	if err != nil {
		return err
	}
	c, err := j.TestConnection(r.Context(), principal(r).Tenant, r.PathValue("instance"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *server) pullJiraInstance(w http.ResponseWriter, r *http.Request) error {
	j, err := s.jira()
	if err != nil {
		return err
	}
	res, err := j.Pull(r.Context(), principal(r).Tenant, r.PathValue("instance"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

func (s *server) jiraIssueTypes(w http.ResponseWriter, r *http.Request) error {
	j, err := s.jira()
	if err != nil {
		return err
	}
	types, err := j.IssueTypes(r.Context(), principal(r).Tenant, r.PathValue("instance"), r.PathValue("project"))
	if err != nil {
		return err
	}
	if types == nil {
		types = []jira.IssueType{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": types})
	return nil
}

// modelExists fails with NotFound unless the caller's tenant has model id.
func (s *server) modelExists(r *http.Request, id string) error {
	if _, err := s.Store.Get(r.Context(), principal(r).Tenant, store.KindModel, id); err != nil {
		return err
	}
	return nil
}

func (s *server) getJiraLink(w http.ResponseWriter, r *http.Request) error {
	j, err := s.jira()
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if err := s.modelExists(r, id); err != nil {
		return err
	}
	l, err := j.Link(r.Context(), principal(r).Tenant, id)
	if err != nil {
		return err
	}
	if l.Revision > 0 {
		w.Header().Set("ETag", etag(l.Revision))
	}
	writeJSON(w, http.StatusOK, l)
	return nil
}

// jiraLinkInput is the body of PUT /models/{id}/jira.
type jiraLinkInput struct {
	Enabled              bool              `json:"enabled"`
	Instance             string            `json:"instance"`
	Project              string            `json:"project"`
	ThreatIssueType      string            `json:"threatIssueType"`
	RequirementIssueType string            `json:"requirementIssueType"`
	Labels               []string          `json:"labels"`
	StatusMap            []jira.StatusRule `json:"statusMap"`
}

func (s *server) putJiraLink(w http.ResponseWriter, r *http.Request) error {
	j, err := s.jira()
	if err != nil {
		return err
	}
	// Without If-Match the link must not exist yet (first save).
	expected, _, err := ifMatch(r, false)
	if err != nil {
		return err
	}
	var in jiraLinkInput
	if err := decodeSmallBody(w, r, &in); err != nil {
		return err
	}
	p := principal(r)
	l := &jira.Link{Model: r.PathValue("id"), Enabled: in.Enabled, Instance: in.Instance, Project: in.Project,
		ThreatIssueType: in.ThreatIssueType, RequirementIssueType: in.RequirementIssueType, Labels: in.Labels, StatusMap: in.StatusMap}
	if err := j.PutLink(r.Context(), p.Tenant, p.User, l, expected); err != nil {
		if expected == 0 && errs.Is(err, errs.Conflict) {
			return errs.E(errs.Conflict, "this model already has a Jira link; send If-Match with the revision you read").At("If-Match")
		}
		return err
	}
	w.Header().Set("ETag", etag(l.Revision))
	writeJSON(w, http.StatusOK, l)
	return nil
}

func (s *server) jiraDrafts(w http.ResponseWriter, r *http.Request) error {
	j, err := s.jira()
	if err != nil {
		return err
	}
	var in struct {
		Items []string `json:"items"`
	}
	if err := decodeSmallBody(w, r, &in); err != nil {
		return err
	}
	drafts, err := j.Drafts(r.Context(), principal(r).Tenant, r.PathValue("id"), in.Items)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"drafts": drafts})
	return nil
}

func (s *server) createJiraIssues(w http.ResponseWriter, r *http.Request) error {
	j, err := s.jira()
	if err != nil {
		return err
	}
	var in struct {
		Issues []jira.IssueRequest `json:"issues"`
	}
	if err := decodeSmallBody(w, r, &in); err != nil {
		return err
	}
	p := principal(r)
	res, err := j.CreateIssues(r.Context(), p.Tenant, p.User, r.PathValue("id"), in.Issues)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": res})
	return nil
}

func (s *server) jiraWebhook(w http.ResponseWriter, r *http.Request) error {
	j, err := s.jira()
	if err != nil {
		return err
	}
	body, err := readBody(w, r, jira.MaxWebhookBody)
	if err != nil {
		return err
	}
	out, err := j.HandleWebhook(r.Context(), r.PathValue("tenant"), r.PathValue("instance"), body, r.Header.Get(jira.SignatureHeader))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"action": out.Action, "reason": out.Reason})
	return nil
}
