package jira

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/store"
)

// Link is a threat model's Jira settings: whether the integration is on,
// where issues go, and how Jira statuses map back.
type Link struct {
	Model                string       `json:"model"`
	Enabled              bool         `json:"enabled"`
	Instance             string       `json:"instance"`
	Project              string       `json:"project"`              // project key
	ThreatIssueType      string       `json:"threatIssueType"`      // e.g. Bug
	RequirementIssueType string       `json:"requirementIssueType"` // e.g. Task or Epic
	Labels               []string     `json:"labels,omitempty"`     // added to every issue
	StatusMap            []StatusRule `json:"statusMap"`
	UpdatedAt            time.Time    `json:"updatedAt,omitzero"`
	UpdatedBy            string       `json:"updatedBy,omitempty"`
	Revision             int64        `json:"revision"` // 0: not saved yet
}

// DefaultLink is the link a model has before anyone saves one: off, with
// Threats → Bug, Security Requirements → Task and DefaultStatusMap.
func DefaultLink(modelID string) *Link {
	return &Link{Model: modelID, ThreatIssueType: "Bug", RequirementIssueType: "Task", StatusMap: DefaultStatusMap()}
}

var (
	projectKey = regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,254}$`)
	labelRE    = regexp.MustCompile(`^[^\s]{1,255}$`)
)

// Validate checks l. An enabled link needs an instance, a project and
// both issue types.
func (l *Link) Validate() error {
	var problems []errs.Problem
	add := func(f, format string, args ...any) {
		problems = append(problems, errs.Problem{Field: f, Message: fmt.Sprintf(format, args...)})
	}
	if l.Project != "" && !projectKey.MatchString(l.Project) {
		add("/project", "%q is not a Jira project key (upper-case letters, digits and _, starting with a letter)", l.Project)
	}
	if l.Enabled {
		if l.Instance == "" {
			add("/instance", "is required when the integration is enabled")
		}
		if l.Project == "" {
			add("/project", "is required when the integration is enabled")
		}
		if l.ThreatIssueType == "" {
			add("/threatIssueType", "is required when the integration is enabled")
		}
		if l.RequirementIssueType == "" {
			add("/requirementIssueType", "is required when the integration is enabled")
		}
	}
	for _, f := range []struct{ name, v string }{{"/threatIssueType", l.ThreatIssueType}, {"/requirementIssueType", l.RequirementIssueType}} {
		if len(f.v) > 255 {
			add(f.name, "at most 255 characters")
		}
	}
	if len(l.Labels) > 20 {
		add("/labels", "at most 20 labels")
	}
	for i, lb := range l.Labels {
		if !labelRE.MatchString(lb) {
			add(fmt.Sprintf("/labels/%d", i), "a Jira label has 1 to 255 characters and no spaces")
		}
	}
	if err := ValidateStatusMap("/statusMap", l.StatusMap); err != nil {
		e, _ := errs.As(err)
		if len(e.Problems) > 0 {
			problems = append(problems, e.Problems...)
		} else {
			add(e.Field, "%s", e.Message)
		}
	}
	if len(problems) > 0 {
		return errs.Problems(problems)
	}
	return nil
}

// Link returns the model's link, or DefaultLink (revision 0) when none is
// saved. It does not check that the model exists.
func (s *Service) Link(ctx context.Context, tenant, modelID string) (*Link, error) {
	r, err := s.Store.Get(ctx, tenant, KindLink, modelID)
	if errs.Is(err, errs.NotFound) {
		return DefaultLink(modelID), nil
	}
	if err != nil {
		return nil, fmt.Errorf("jira link of model %s: %w", modelID, err)
	}
	var l Link
	if err := json.Unmarshal(r.Body, &l); err != nil {
		return nil, fmt.Errorf("decode jira link of model %s: %w", modelID, err)
	}
	l.Model, l.Revision, l.UpdatedAt = modelID, r.Revision, r.UpdatedAt
	return &l, nil
}

// PutLink saves l for its model: creates it when expected is 0 (Conflict
// if one exists), else replaces it if its revision is expected. The model
// must exist and an enabled link's instance must exist.
func (s *Service) PutLink(ctx context.Context, tenant, user string, l *Link, expected int64) error {
	l.Project = strings.TrimSpace(l.Project)
	if l.StatusMap == nil {
		l.StatusMap = DefaultStatusMap()
	}
	if err := l.Validate(); err != nil {
		return err
	}
	if _, err := s.Store.Get(ctx, tenant, store.KindModel, l.Model); err != nil {
		return fmt.Errorf("model %s: %w", l.Model, err)
	}
	if l.Instance != "" {
		if _, err := s.Instance(ctx, tenant, l.Instance); errs.Is(err, errs.NotFound) {
			return errs.Field("/instance", "no Jira instance %q; add it in Settings → Integrations", l.Instance)
		} else if err != nil {
			return err
		}
	}
	l.UpdatedBy = user
	body, err := json.Marshal(l)
	if err != nil {
		return fmt.Errorf("encode jira link: %w", err)
	}
	sum, _ := json.Marshal(map[string]any{"instance": l.Instance, "enabled": l.Enabled})
	r := &store.Record{Tenant: tenant, Kind: KindLink, ID: l.Model, Body: body, Summary: sum}
	if expected == 0 {
		err = s.Store.Create(ctx, r)
	} else {
		err = s.Store.Update(ctx, r, expected)
	}
	if err != nil {
		return fmt.Errorf("save jira link of model %s: %w", l.Model, err)
	}
	l.Revision, l.UpdatedAt = r.Revision, r.UpdatedAt
	return nil
}

// ForgetModel removes the Jira link of a deleted model. Its issue records
// stay (webhooks for them find no model and are ignored); a model without a
// link is not an error.
func (s *Service) ForgetModel(ctx context.Context, tenant, modelID string) error {
	l, err := s.Link(ctx, tenant, modelID)
	if err != nil {
		return err
	}
	if l.Revision == 0 {
		return nil // defaults, never saved
	}
	if err := s.Store.Delete(ctx, tenant, KindLink, modelID, l.Revision); err != nil && !errs.Is(err, errs.NotFound) {
		return fmt.Errorf("forget Jira link of model %s: %w", modelID, err)
	}
	return nil
}
